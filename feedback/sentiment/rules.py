"""What a label means to a leader: the rules applied on top of the model's label.

The model learnt UIT-VSFC's conventions; three readings of a citizen's comment overrule it:

1. **Integrity.** A comment that raises the integrity alert (bribery, informal fees,
   harassment) is negative, whatever the model says: an alert next to "positive" is a
   contradiction no leader should see.
2. **Sarcasm.** Praise said ironically ("Tuyệt vời thật", "Nhanh thật đấy") followed by a
   complaint of delay or repetition ("đi ba lần vẫn chưa xong", "hẹn hai tuần") is negative.
3. **Suggestions and questions** (topics ``suggestion`` and ``question``) are not
   dissatisfaction: UIT-VSFC labels every "nên…"/"mong…" negative, so the model does too. One
   the model calls negative becomes neutral unless it also complains (see :func:`complains`).
4. **Said outright.** "Tôi không hài lòng." (or "chưa hài lòng", "ko hai long") is negative:
   the corpus has few such bare statements, and the model read this one as neutral.

A label set by a rule has confidence 1: the rule decided it, not the model.
"""

import re

from feedback.sentiment.features import NEG_PREFIX
from feedback.sentiment.lexicon import NEGATIVE_WORDS, POSITIVE_WORDS
from feedback.sentiment.normalize import fold

SUGGESTION, QUESTION = "suggestion", "question"

_PRAISE = (
    "tuyệt vời", "nhanh", "nhanh chóng", "nhanh gọn", "giỏi", "hay", "tốt", "xuất sắc",
    "chuyên nghiệp", "hiệu quả", "tiện lợi", "đỉnh", "quá đỉnh", "nhiệt tình", "chu đáo",
)
_IRONY = (
    "thật", "thật đấy", "thật sự", "thật là", "ghê", "ghê chưa", "ghê nhỉ", "quá cơ", "lắm cơ",
    "quá đi", "thế", "thế nhỉ", "nhỉ", "đấy", "quá há", "quá nhỉ", "thật chứ",
)
_COUNT = r"(?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mấy|nhiều|bao nhiêu|\d+)"
#: The citizen's burden, not any repetition: "đi ba lần", "hẹn hai tuần", "chờ cả buổi" (a
#: lecturer who "giải thích nhiều lần" is praised).
_DELAY = (
    rf"(?:đi|nộp|chạy|lên|xuống|quay lại|bổ sung|sửa|làm lại|đến|tới|về)(?: \w+){{0,2}} "
    rf"{_COUNT} (?:lần|lượt|chuyến)",
    rf"hẹn(?: \w+){{0,2}} {_COUNT} (?:tuần|tháng)",
    rf"(?:chờ|đợi)(?: \w+){{0,2}} (?:cả|{_COUNT}) (?:tiếng|buổi|ngày|tuần|tháng)",
    r"vẫn chưa", r"chưa xong", r"mãi (?:không|chưa|vẫn|mới)", r"lại phải", r"quay lại",
    r"trả về", r"bắt bổ sung", r"cả buổi", r"cả ngày", r"lần thứ",
)


def _words(alternatives: tuple[str, ...]) -> str:
    return "|".join(sorted(alternatives, key=len, reverse=True))


def _patterns(folded: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The ironic-praise opening and the delay complaint, with marks or folded."""
    f = fold if folded else str
    praise = _words(tuple(f(w) for w in _PRAISE))
    irony = _words(tuple(f(w) for w in _IRONY))
    between = "|".join(f(w) for w in ("quá", "lắm", "thế", "thật"))
    opening = re.compile(
        rf"^(?:\w+ ){{0,3}}?(?:{praise}) (?:(?:{between}) )?(?:{irony})(?: \w+)? ?"
        rf"(?:[,.!:;]|{f('mà')}|{f('nhưng')})"
    )
    delay = re.compile(rf"(?<!\w)(?:{'|'.join(f(d) for d in _DELAY)})(?!\w)")
    return opening, delay


#: Dissatisfaction said in so many words: "không hài lòng", "chưa thật sự hài lòng".
_DISSATISFIED = (r"(?<!\w)(?:không|chưa|chẳng|chả|ko|k|hok)(?: (?:được|thật|thật sự|lắm|mấy))? "
                 r"hài lòng(?!\w)")
#: …unless it is denied: "không có gì (để) không hài lòng" says the opposite.
_NOTHING = r"(?:không|chẳng|chả|ko) có (?:gì|điều gì|điều nào|chỗ nào|điểm nào)(?: \w+)? $"
_DISSATISFIED_MARKED = re.compile(_DISSATISFIED), re.compile(_NOTHING)
_DISSATISFIED_FOLDED = re.compile(fold(_DISSATISFIED)), re.compile(fold(_NOTHING))

#: Matched on the comment as written, or on its folded form when it has no marks at all, so
#: "đầy" or "dạy" is never read as the irony marker "đấy".
_MARKED, _FOLDED = _patterns(folded=False), _patterns(folded=True)


def _read(normalized: str, plain_input: bool) -> tuple[str, re.Pattern[str], re.Pattern[str]]:
    """The text and patterns to use (teen-code expansion may add marks to a plain comment)."""
    if plain_input:
        return fold(normalized), *_FOLDED
    return normalized, *_MARKED


def is_sarcastic(normalized: str, plain_input: bool = False) -> bool:
    """Ironic praise followed by a complaint of delay or repetition."""
    text, opening_re, delay_re = _read(normalized, plain_input)
    opening = opening_re.match(text)
    return bool(opening) and bool(delay_re.search(text, opening.end()))


def says_dissatisfied(normalized: str, plain_input: bool = False) -> bool:
    """The comment says outright that the citizen is not satisfied."""
    text = fold(normalized) if plain_input else normalized
    said, denied = _DISSATISFIED_FOLDED if plain_input else _DISSATISFIED_MARKED
    return any(not denied.search(text, 0, match.start()) for match in said.finditer(text))


def _delayed(normalized: str, plain_input: bool) -> bool:
    text, _, delay_re = _read(normalized, plain_input)
    return bool(delay_re.search(text))


def complains(normalized: str, features: dict[str, list[str]], plain_input: bool) -> bool:
    """True if the comment carries a complaint: a word of the negative lexicon, even negated
    ("đừng hách dịch" asks to stop something), a denied praise ("không nhiệt tình") or a
    complaint of delay or repetition.

    Words are read from the syllables and syllable pairs with their marks (block ``m``), since
    folding confuses "muốn" (want) with "muộn" (late); a comment typed without marks can only be
    read from its folded prior-polarity features (block ``p``).
    """
    if _delayed(normalized, plain_input):
        return True
    if plain_input:
        return bool({"negative", "not_negative", "not_positive"} & set(features.get("p", [])))
    for gram in features.get("m", []):
        parts = gram.split(" ")
        if len(parts) > 2:
            continue
        bare = " ".join(part.removeprefix(NEG_PREFIX) for part in parts)
        negated = all(part.startswith(NEG_PREFIX) for part in parts)
        if bare in NEGATIVE_WORDS or (negated and bare in POSITIVE_WORDS):
            return True
    return False


def apply(
    label: str,
    normalized: str,
    topics: tuple[str, ...],
    integrity_alert: bool,
    features: dict[str, list[str]],
    plain_input: bool,
    suggestions_neutral: bool = True,
) -> str | None:
    """The label the rules impose on the model's ``label``, or None to keep it (and its
    confidence). An integrity alert always imposes negative, so that its label is asserted,
    never shown as uncertain.

    ``suggestions_neutral=False`` keeps UIT-VSFC's convention (a suggestion is negative), to
    score the tagger against that corpus's gold labels.
    """
    if integrity_alert:
        return "negative"
    if label != "negative" and (is_sarcastic(normalized, plain_input)
                                or says_dissatisfied(normalized, plain_input)):
        return "negative"
    if (
        suggestions_neutral
        and label == "negative"
        and (SUGGESTION in topics or QUESTION in topics)
        and not complains(normalized, features, plain_input)
    ):
        return "neutral"
    return None
