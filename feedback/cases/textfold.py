"""Vietnamese text folded for search: lower case, no diacritics, đ → d, single spaces.

"Chờ LÂU quá" and "cho lau qua" fold to the same text, so a LIKE on the folded copy finds both
on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """The text in lower case without diacritics (đ → d) and with single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip().lower()


def like_patterns(query: str | None) -> list[str]:
    """One LIKE pattern per word of the query (all must match); `\\` escapes % and _."""
    words = fold(query).split(" ")
    escaped = (w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words)
    return [f"%{w}%" for w in escaped if w]
