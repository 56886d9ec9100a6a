"""Cleaning free text a citizen or an administrator typed, for every channel (HTML forms, the
kiosk's JSON, roster files): no WTForms, no request."""

from __future__ import annotations

import re
import unicodedata

#: Invisible characters that reorder or hide text (bidi embeddings, overrides and isolates,
#: zero-width spaces and joiners, the BOM): in a name or a comment they only serve to make what
#: a leader reads differ from what was typed.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_text(value: str | None) -> str | None:
    """Trim and NFC-normalise free text, without bidi controls or zero-width characters; None
    when empty."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", _INVISIBLE.sub("", value)).strip()
    return value or None
