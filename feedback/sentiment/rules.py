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

A label set by a rule has confidence 1: the rule decided it, not the model.
"""

import re

from feedback.sentiment.features import NEG_PREFIX
from feedback.sentiment.lexicon import NEGATIVE_WORDS, POSITIVE_WORDS
from feedback.sentiment.normalize import fold

SUGGESTION, QUESTION = "suggestion", "question"

_PRAISE = (
    "tuyet voi", "nhanh", "nhanh chong", "nhanh gon", "gioi", "hay", "tot", "xuat sac",
    "chuyen nghiep", "hieu qua", "tien loi", "dinh", "qua dinh", "nhiet tinh", "chu dao",
)
_IRONY = (
    "that", "that day", "that su", "that la", "ghe", "ghe chua", "ghe nhi", "qua co", "lam co",
    "qua di", "the", "the nhi", "nhi", "day", "qua ha", "qua nhi", "that chu",
)
_COUNT = r"(?:hai|ba|bon|nam|sau|bay|tam|chin|muoi|may|nhieu|bao nhieu|\d+)"
_DELAY = (
    rf"{_COUNT} (?:lan|luot|tuan|thang|buoi|chuyen)",
    r"van chua", r"chua xong", r"chua duoc", r"chua co", r"mai (?:khong|chua|van)",
    r"lai phai", r"quay lai", r"di lai", r"tra ve", r"bat bo sung", r"ca buoi", r"ca ngay",
    r"ca thang", r"lan thu",
)


def _words(alternatives: tuple[str, ...]) -> str:
    return "|".join(sorted(alternatives, key=len, reverse=True))


#: Ironic praise opening the comment: praise, then an irony marker, then a clause break.
_IRONIC_PRAISE = re.compile(
    rf"^(?:\w+ ){{0,3}}?(?:{_words(_PRAISE)}) (?:qua |lam |the |that )?"
    rf"(?:{_words(_IRONY)})(?: \w+)? ?(?:[,.!:;]|ma|nhung)"
)
_DELAY_RE = re.compile(rf"(?<!\w)(?:{'|'.join(_DELAY)})(?!\w)")


def is_sarcastic(normalized: str) -> bool:
    """Ironic praise followed by a complaint of delay or repetition."""
    folded = fold(normalized)
    opening = _IRONIC_PRAISE.match(folded)
    return bool(opening) and bool(_DELAY_RE.search(folded, opening.end()))


_NEGATIVE = frozenset(w.replace(" ", "_") for w in NEGATIVE_WORDS)
_POSITIVE = frozenset(w.replace(" ", "_") for w in POSITIVE_WORDS)


def complains(normalized: str, features: dict[str, list[str]], plain_input: bool) -> bool:
    """True if the comment carries a complaint: a word of the negative lexicon, even negated
    ("đừng hách dịch" asks to stop something), a denied praise ("không nhiệt tình") or a
    complaint of delay or repetition.

    Words are read from the segmented words (block ``w``) with their marks, since folding
    confuses "muốn" (want) with "muộn" (late); a comment typed without marks can only be read
    from its folded prior-polarity features (block ``p``).
    """
    if _DELAY_RE.search(fold(normalized)):
        return True
    if plain_input:
        return bool({"negative", "not_negative", "not_positive"} & set(features.get("p", [])))
    for word in features.get("w", []):
        bare = word.removeprefix(NEG_PREFIX)
        if bare in _NEGATIVE or (bare != word and bare in _POSITIVE):
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
    if label != "negative" and is_sarcastic(normalized):
        return "negative"
    if (
        suggestions_neutral
        and label == "negative"
        and (SUGGESTION in topics or QUESTION in topics)
        and not complains(normalized, features, plain_input)
    ):
        return "neutral"
    return None
