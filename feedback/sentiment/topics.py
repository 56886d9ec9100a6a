"""Topic codes and the integrity alert, by keyword rules over normalised text.

Each keyword is written once, in Vietnamese with diacritics, and matches whole syllables of
the normalised comment (lower case, teen-code expanded). A comment typed without diacritics is
matched on its folded form instead: multi-syllable keywords, and the few one-syllable ones
that stay unambiguous when folded ("chờ" would become "cho"). Integrity keywords are always
matched folded as well, so a half-accented "vòi tien" is caught. A folded match must agree with
the keyword on every letter that carries a mark: "có mỗi" is not "cò mồi". Syllables may be
separated by spaces, hyphens, dots or nothing ("phong bì", "phong-bì", "phongbi").
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from feedback.sentiment.normalize import fold
from feedback.sentiment.topic_keywords import (
    INTEGRITY,
    INTEGRITY_DENIALS,
    LEGITIMATE_FEE,
    MONEY_UNITS,
    MONEY_VERBS,
    SAFE_FOLDED_SINGLES,
    TOPIC_KEYWORDS,
    WEAK_INTEGRITY,
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


def _agrees(written: str, keyword: str) -> bool:
    """True if ``written`` is ``keyword`` with some marks left out, and no mark changed."""
    return len(written) == len(keyword) and all(
        w == k or w == fold(w) for w, k in zip(written, keyword, strict=True)
    )


class KeywordIndex:
    """Keywords (each with a set of codes) compiled for exact and diacritic-free matching.

    One pass over the text finds every keyword; at a given position the longest keyword wins,
    so "phòng chờ" counts as facilities and not also as waiting ("chờ").
    """

    def __init__(self, codes_by_keyword: dict[str, set[str]], always_folded: bool = False) -> None:
        self.always_folded = always_folded
        self.codes: dict[str, set[str]] = {}
        #: folded key -> the keywords (syllables joined) that fold to it
        self.spellings: dict[str, set[str]] = {}
        for keyword, codes in codes_by_keyword.items():
            for key in (keyword.replace(" ", ""), fold(keyword).replace(" ", "")):
                self.codes.setdefault(key, set()).update(codes)
            joined = keyword.replace(" ", "")
            self.spellings.setdefault(fold(joined), set()).add(joined)
        keywords = list(codes_by_keyword)
        self.exact = _compile(keywords)
        self.folded = _compile(fold(k) for k in keywords if " " in k)
        self.singles = _compile(
            fold(k)
            for k in keywords
            if k in SAFE_FOLDED_SINGLES or (always_folded and " " not in k)
        )

    def find(self, normalized: str, plain_input: bool) -> list[tuple[int, set[str]]]:
        """(start offset, codes) of every keyword found in the normalised comment.

        Folded matching is used for comments typed without diacritics (or always, if the index
        asks for it); offsets agree between both texts because folding keeps the length. A
        folded match counts only if the written letters agree with the keyword's marks.
        """
        found = self._matches(self.exact, normalized, normalized, check=False)
        if plain_input or self.always_folded:
            folded = fold(normalized)
            for pattern in (self.folded, self.singles):
                found += self._matches(pattern, folded, normalized, check=not plain_input)
        return found

    def _matches(
        self, pattern: re.Pattern[str] | None, text: str, normalized: str, check: bool
    ) -> list[tuple[int, set[str]]]:
        """Matches of ``pattern`` in ``text``; with ``check``, only those whose letters in
        ``normalized`` agree with the keyword's marks (a comment typed without any mark
        agrees with every keyword)."""
        if pattern is None:
            return []
        found = []
        for match in pattern.finditer(text):
            key = _SEPARATORS.sub("", match.group(0))
            if check:
                written = _SEPARATORS.sub("", normalized[match.start() : match.end()])
                if not any(_agrees(written, k) for k in self.spellings[fold(key)]):
                    continue
            found.append((match.start(), self.codes[key]))
        return found


def _by_keyword(groups: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for code, keywords in groups.items():
        for keyword in keywords:
            index.setdefault(keyword, set()).add(code)
    return index


@dataclass(frozen=True)
class _Indexes:
    topics: KeywordIndex
    integrity: KeywordIndex
    money_verbs: KeywordIndex
    legitimate: KeywordIndex


@functools.cache
def _indexes() -> _Indexes:
    """The keyword indexes, compiled on first use: their regular expressions took 17 ms, which
    every command and test process paid at import (a worker compiles them when it warms the
    tagger: `compile_keywords`)."""
    return _Indexes(
        KeywordIndex(_by_keyword(TOPIC_KEYWORDS)),
        KeywordIndex(_by_keyword({"integrity": INTEGRITY, "weak": WEAK_INTEGRITY}),
                     always_folded=True),
        KeywordIndex(_by_keyword({"money": MONEY_VERBS}), always_folded=True),
        KeywordIndex(_by_keyword({"legitimate": LEGITIMATE_FEE}), always_folded=True))


_DENIAL_RE = re.compile(rf"(?<!\w)(?:{_alternation(fold(d) for d in INTEGRITY_DENIALS)})\s*$")
_AMOUNT_RE = re.compile(
    rf"(?<!\w)\d+(?:[.,]\d+)*\s?(?:{_alternation(fold(u) for u in MONEY_UNITS)})(?!\w)"
)
_DIGIT_RE = re.compile(r"\d")
#: "mới" (only then) within two words after an amount: "200k mới nhận", "1 triệu thì mới làm".
_THEN_RE = re.compile(r"(?:\s+\w+){0,2}?\s+(moi)(?!\w)")
#: How far before an amount a money verb may stand ("đòi thêm cho anh ấy 200k").
_VERB_REACH = 24


def compile_keywords() -> None:
    """Compile the keyword indexes now (a worker, before it serves)."""
    _indexes()


def is_plain(raw: str) -> bool:
    """True when the comment was typed without any Vietnamese diacritic."""
    return fold(raw) == raw


def detect_topics(normalized: str, plain_input: bool) -> tuple[str, ...]:
    """The topic codes whose keywords occur in the normalised comment, in ``TOPICS`` order."""
    found = set().union(*(codes for _, codes in _indexes().topics.find(normalized, plain_input)))
    return tuple(code for code in TOPICS if code in found)


def _denied(folded: str, start: int) -> bool:
    return bool(_DENIAL_RE.search(folded[max(0, start - 40) : start]))


def _money_asked(normalized: str, folded: str) -> list[int]:
    """Offsets of money verbs standing shortly before an amount ("đòi 200 nghìn"), and of
    amounts that a service waits for ("500 nghìn mới làm")."""
    starts = []
    for amount in _AMOUNT_RE.finditer(folded):
        before = normalized[max(0, amount.start() - _VERB_REACH) : amount.start()]
        offset = amount.start() - len(before)
        starts.extend(offset + start for start, _ in _indexes().money_verbs.find(before, False))
        after = _THEN_RE.match(folded, amount.end())
        if after and _agrees(normalized[after.start(1) : after.end(1)], "mới"):
            starts.append(amount.start())
    return starts


def integrity_alert(normalized: str, plain_input: bool) -> bool:
    """True if the comment mentions bribery, harassment or informal fees.

    A mention is ignored only when it is directly denied ("không có tiêu cực", "không hề
    nhũng nhiễu", "không phải lót tay") — a citizen praising the centre. Anything less clear,
    e.g. "không đưa phong bì thì không làm", still raises the alert: leaders should see it.
    Weak mentions — handing over or asking for an amount ("đòi 200k", "đưa 2 triệu"), an amount
    the service waits for ("500 nghìn mới làm") and ``WEAK_INTEGRITY`` words — alert unless a
    receipt or invoice shows a legitimate fee ("chẳng có biên lai" shows none).
    """
    folded = fold(normalized)
    weak = []
    for start, codes in _indexes().integrity.find(normalized, plain_input):
        if not _denied(folded, start):
            if "integrity" in codes:
                return True
            weak.append(start)
    if not weak and not _DIGIT_RE.search(folded):
        return False
    weak += [start for start in _money_asked(normalized, folded) if not _denied(folded, start)]
    if not weak:
        return False
    receipts = _indexes().legitimate.find(normalized, plain_input)
    return not any(not _denied(folded, start) for start, _ in receipts)
