"""Every version of the consent text shown next to the contact fields, archived word for word.

A response stores only the version it accepted (`Response.consent_version`); this archive says
what that version said, in each language. Changing the form's consent label needs a new
CONSENT_VERSION and a new entry here (tests/cases/test_cases_consent_archive.py checks the current
one against the form).
"""

from __future__ import annotations

CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2026-02": {
        "vi": "Tôi đồng ý để Trung tâm liên hệ với tôi qua điện thoại hoặc thư điện tử, chỉ để "
              "trả lời ý kiến này.",
        "en": "I agree that the centre may contact me by phone or e-mail only to answer this "
              "feedback.",
    },
}


def consent_text(version: str | None, locale: str) -> str | None:
    """The consent text of a version in a language (Vietnamese when the language is missing);
    None for an unknown version."""
    texts = CONSENT_TEXTS.get(version or "")
    if texts is None:
        return None
    return texts.get(locale, texts["vi"])
