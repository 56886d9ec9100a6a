"""The retired terms of docs/GLOSSARY.md stay out of what users read.

The compiled catalogues (what the app shows) and the default questionnaire (stored as survey
text, outside the catalogues) are searched for each retired term; a term allowed in one sense
only (e.g. "tiêu cực" for wrongdoing) is allowed where the English source names that sense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo

from surveys.defaults import DEFAULT_QUESTIONS

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"


@dataclass(frozen=True)
class Retired:
    """A retired term: the text shown (case-insensitive), its language, and where it is still
    right (a pattern the English source matches), if anywhere."""

    term: str
    locale: str = "vi"
    allowed_when: str | None = None

    def found_in(self, source: str, text: str) -> bool:
        if self.term.lower() not in text.lower():
            return False
        return not (self.allowed_when and re.search(self.allowed_when, source, re.I))


RETIRED = (
    Retired("tiêu cực", allowed_when=r"integrity|bribery"),
    Retired("bình thường", allowed_when=r"^Neutral$"),
    Retired("Sắc thái"),
    Retired("đưa hối lộ"),
    Retired("Cảnh báo báo"),
    Retired("lãnh đạo phường"),
    Retired("Phường / xã"),
    Retired("Chỉ mất chưa đến"),
    Retired("được ẩn danh"),
    Retired("giữ kín danh tính"),
    Retired("đánh giá sự phục vụ hôm nay thế nào"),
    Retired("cách phản ánh của mình được xử lý"),
    Retired("cán bộ"),
    Retired("Chức vụ"),
    Retired("Ông/Bà không có quyền"),
    Retired("Thư rác"),
    Retired("máy đánh giá"),
    Retired("phát hành"),
    Retired("Không được phép dùng cách này"),
    Retired("nhận trả lời bằng văn bản"),
    # "ý kiến" is the citizen's feedback; a response (what is counted) is a "phiếu"
    Retired("ý kiến", allowed_when=r"^(?!.*\bresponses?\b)|feedback"),
    Retired("Thời gian giải quyết và kết quả nhận được"),
    Retired("ward's leaders", locale="en"),
    Retired("Ward / commune", locale="en"),
)


def retired_terms_in(pairs: list[tuple[str, str]], locale: str) -> list[str]:
    """Every (source, shown text) pair that shows a term retired in this language."""
    return [f"{rule.term!r} in {text!r} (source {source!r})"
            for rule in RETIRED if rule.locale == locale
            for source, text in pairs if rule.found_in(source, text)]


def catalogue_pairs(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a compiled catalogue, plural forms flattened."""
    with path.open("rb") as f:
        catalogue = read_mo(f)
    pairs = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
        strings = message.string if isinstance(message.string, list | tuple) else (message.string,)
        pairs += [(ids[0], text) for text in strings]
    return pairs


@pytest.mark.parametrize("locale", ("vi", "en"))
def test_no_retired_term_in_the_compiled_catalogue(locale):
    pairs = catalogue_pairs(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.mo")
    if locale == "en":  # the English source is what English readers see where msgstr = msgid
        pairs += [(source, source) for source, _text in pairs]
    assert retired_terms_in(pairs, locale) == []


def test_no_retired_term_in_the_default_questions():
    pairs = [(q.prompt_en, q.prompt_vi) for q in DEFAULT_QUESTIONS]
    assert retired_terms_in(pairs, "vi") == []
    assert retired_terms_in([(q.prompt_en, q.prompt_en) for q in DEFAULT_QUESTIONS], "en") == []


def test_every_retired_term_is_listed_in_the_glossary():
    text = GLOSSARY.read_text(encoding="utf-8")
    retired_section = text.split("## Retired terms", 1)[1]
    missing = [rule.term for rule in RETIRED if f"`{rule.term}" not in retired_section]
    assert missing == []


def test_the_check_reports_the_wording_this_issue_retired(tmp_path):
    catalogue = Catalog(locale="vi")
    for message in (Message("Negative comments", "Góp ý tiêu cực"),
                    Message("Integrity alert", "Dấu hiệu tiêu cực"),
                    Message("Neutral", "Bình thường"),
                    Message("Neutral sentiment", "Bình thường"),
                    Message("%(n)s responses", "%(n)s ý kiến"),
                    Message("Thank you for your feedback!", "Cảm ơn ý kiến của Ông/Bà!"),
                    Message("Served by", "Cán bộ tiếp nhận")):
        catalogue[message.id] = message
    path = tmp_path / "messages.mo"
    with path.open("wb") as f:
        write_mo(f, catalogue)
    found = retired_terms_in(catalogue_pairs(path), "vi")
    assert [entry.split(" in ")[0] for entry in found] == ["'tiêu cực'", "'bình thường'",
                                                          "'cán bộ'", "'ý kiến'"]
    assert "Góp ý tiêu cực" in found[0] and "Neutral sentiment" in found[1]
