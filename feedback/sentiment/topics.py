"""Topic codes and the integrity alert, by keyword rules over normalised text.

Each keyword is written once, in Vietnamese with diacritics, and matches whole syllables of
the normalised comment (lower case, teen-code expanded). A comment typed without diacritics is
matched on its folded form instead: multi-syllable keywords, and the few one-syllable ones
that stay unambiguous when folded ("chờ" would become "cho"). Integrity keywords are always
matched folded as well, so a half-accented "vòi tien" is caught. Syllables may be separated by
spaces, hyphens, dots or nothing ("phong bì", "phong-bì", "phongbi").
"""

import re
from collections.abc import Iterable

from feedback.sentiment.normalize import fold
from feedback.sentiment.topic_keywords import (
    INTEGRITY,
    INTEGRITY_DENIALS,
    SAFE_FOLDED_SINGLES,
    TOPIC_KEYWORDS,
)

TOPICS: tuple[str, ...] = tuple(TOPIC_KEYWORDS)


_SEPARATORS = re.compile(r"[\s\-_.]+")


def _alternation(keywords: Iterable[str]) -> str:
    """One regex alternation, longest first, allowing any separator between syllables."""
    parts = sorted(set(keywords), key=len, reverse=True)
    return "|".join(r"[\s\-_.]*".join(map(re.escape, k.split())) for k in parts)


def _compile(keywords: Iterable[str]) -> re.Pattern[str] | None:
    keywords = list(keywords)
    if not keywords:
        return None
    return re.compile(rf"(?<!\w)(?:{_alternation(keywords)})(?!\w)")


class KeywordIndex:
    """Keywords (each with a set of codes) compiled for exact and diacritic-free matching.

    One pass over the text finds every keyword; at a given position the longest keyword wins,
    so "phòng chờ" counts as facilities and not also as waiting ("chờ").
    """

    def __init__(self, codes_by_keyword: dict[str, set[str]], always_folded: bool = False) -> None:
        self.always_folded = always_folded
        self.codes: dict[str, set[str]] = {}
        for keyword, codes in codes_by_keyword.items():
            for key in (keyword.replace(" ", ""), fold(keyword).replace(" ", "")):
                self.codes.setdefault(key, set()).update(codes)
        keywords = list(codes_by_keyword)
        self.exact = _compile(keywords)
        self.folded = _compile(fold(k) for k in keywords if " " in k)
        self.singles = _compile(fold(k) for k in keywords if k in SAFE_FOLDED_SINGLES)

    def find(self, normalized: str, plain_input: bool) -> list[tuple[int, set[str]]]:
        """(start offset, codes) of every keyword found in the normalised comment.

        Folded matching is used for comments typed without diacritics (or always, if the index
        asks for it); offsets agree between both texts because folding keeps the length.
        """
        folded = fold(normalized)
        pairs = [(self.exact, normalized)]
        if plain_input or self.always_folded:
            pairs.append((self.folded, folded))
        if plain_input:
            pairs.append((self.singles, folded))
        found = []
        for pattern, text in pairs:
            if pattern is not None:
                for match in pattern.finditer(text):
                    key = _SEPARATORS.sub("", match.group(0))
                    found.append((match.start(), self.codes[key]))
        return found


def _by_keyword(groups: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for code, keywords in groups.items():
        for keyword in keywords:
            index.setdefault(keyword, set()).add(code)
    return index


_TOPICS = KeywordIndex(_by_keyword(TOPIC_KEYWORDS))
_INTEGRITY = KeywordIndex(_by_keyword({"integrity": INTEGRITY}), always_folded=True)
_DENIAL_RE = re.compile(rf"(?<!\w)(?:{_alternation(fold(d) for d in INTEGRITY_DENIALS)})\s*$")


def is_plain(raw: str) -> bool:
    """True when the comment was typed without any Vietnamese diacritic."""
    return fold(raw) == raw


def detect_topics(normalized: str, plain_input: bool) -> tuple[str, ...]:
    """The topic codes whose keywords occur in the normalised comment, in ``TOPICS`` order."""
    found = set().union(*(codes for _, codes in _TOPICS.find(normalized, plain_input)))
    return tuple(code for code in TOPICS if code in found)


def integrity_alert(normalized: str, plain_input: bool) -> bool:
    """True if the comment mentions bribery, harassment or informal fees.

    A mention is ignored only when it is directly denied ("không có tiêu cực", "không hề
    nhũng nhiễu", "không phải lót tay") — a citizen praising the centre. Anything less clear,
    e.g. "không đưa phong bì thì không làm", still raises the alert: leaders should see it.
    """
    folded = fold(normalized)
    for start, _ in _INTEGRITY.find(normalized, plain_input):
        if not _DENIAL_RE.search(folded[max(0, start - 40) : start]):
            return True
    return False
