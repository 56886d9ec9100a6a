"""Feature extraction: one normalised comment -> named feature strings per block.

No word segmentation: Vietnamese is written one syllable at a time, and syllable bigrams and
trigrams stand in for compound words (``nhiệt tình``, ``thủ tục hành``) at a fraction of the
cost of underthesea's CRF segmenter. Five blocks, each TF-IDF weighted and L2-normalised on
its own by the model:

* ``m`` — syllables with their marks, 1- to ``marked_ngrams``-grams, with a negation scope:
  the syllables after a negator carry a ``NEG_`` prefix (``không nhiệt tình`` ->
  ``không NEG_nhiệt NEG_tình``).
* ``s`` — the same on the diacritic-free text, so "khong nhiet tinh" and "không nhiệt tình"
  share features.
* ``p`` — prior polarity: ``positive``/``negative`` for each lexicon word, ``not_positive``/
  ``not_negative`` when it is negated, so one "không chậm" example generalises to
  "không lâu".
* ``c`` — character n-grams inside word boundaries of the diacritic-free text (negated words
  marked too), which absorb typos, missing tone marks and unseen compounds.
* ``x`` — the comment's shape: its length in syllables (in buckets), whether it holds any
  lexicon word, how many of each polarity (0, 1, 2 or more) and a question mark. UIT-VSFC's
  neutral rows are mostly short fragments without an opinion word ("bài tập trên lớp ."), which
  no single n-gram says.
"""

from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass
from functools import lru_cache

from feedback.sentiment.lexicon import (
    FOLDED_NEGATORS,
    NEGATION_FILLERS,
    NEGATIVE_WORDS,
    NEGATORS,
    POSITIVE_WORDS,
    SCOPE_BREAKERS,
)
from feedback.sentiment.normalize import fold

NEG_PREFIX = "NEG_"
#: The lexicon's one-syllable entries, for scopes over syllables (no segmentation).
SYLLABLE_NEGATORS = frozenset(w for w in NEGATORS if "_" not in w)
SYLLABLE_FILLERS = frozenset(w for w in NEGATION_FILLERS if "_" not in w)
SYLLABLE_BREAKERS = frozenset(w for w in SCOPE_BREAKERS if "_" not in w)
_FOLDED_FILLERS = frozenset(fold(w) for w in SYLLABLE_FILLERS)
_FOLDED_BREAKERS = frozenset(fold(w) for w in SYLLABLE_BREAKERS)
_POLARITY = {
    **{fold(w): "positive" for w in POSITIVE_WORDS},
    **{fold(w): "negative" for w in NEGATIVE_WORDS},
}


@dataclass(frozen=True)
class FeatureConfig:
    """What each block extracts; stored in the model's metadata and reused at inference."""

    marked_ngrams: int = 3
    folded_ngrams: int = 2
    char_min: int = 2
    char_max: int = 4
    negation_window: int = 3
    polarity: bool = True
    shape: bool = True

    def to_dict(self) -> dict[str, int | bool]:
        """Return the configuration as a JSON-ready dict."""
        return asdict(self)


def mark_negation(
    tokens: list[str],
    negators: AbstractSet[str],
    fillers: AbstractSet[str],
    breakers: AbstractSet[str],
    window: int,
) -> list[str]:
    """Prefix up to ``window`` content tokens after a negator with ``NEG_``.

    Fillers right after the negator ("hề" in "không hề chậm") are kept as they are and do not
    use up the window; punctuation, a breaker ("nhưng", "và") or another negator ends the scope.
    """
    out: list[str] = []
    left = 0
    opening = False
    for token in tokens:
        if token in negators:
            out.append(token)
            left, opening = window, True
        elif left and opening and token in fillers:
            out.append(token)
        elif left and token[0].isalnum() and token not in breakers:
            out.append(NEG_PREFIX + token)
            left -= 1
            opening = False
        else:
            out.append(token)
            left, opening = 0, False
    return out


def _ngrams(tokens: list[str], order: int) -> list[str]:
    """All 1..order-grams of ``tokens`` joined by a space."""
    grams = list(tokens)
    for n in range(2, order + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


@lru_cache(maxsize=65536)
def _word_char_ngrams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    """Character n-grams of one word padded with spaces, like scikit-learn's ``char_wb``.

    A word in a negation scope (``NEG_cham``) yields n-grams of the bare word with the
    ``NEG_`` prefix, so "không chậm" does not share features with "chậm". Cached: comments
    reuse a small vocabulary, so most words have been seen before.
    """
    prefix = ""
    if word.startswith(NEG_PREFIX):
        prefix, word = NEG_PREFIX, word[len(NEG_PREFIX) :]
    padded = f" {word} "
    size = len(padded)
    return tuple(
        prefix + padded[i : i + n]
        for n in range(lo, min(hi, size) + 1)
        for i in range(size - n + 1)
    )


def clear_cache() -> None:
    """Forget the cached character n-grams (benchmarks use this to measure a cold start)."""
    _word_char_ngrams.cache_clear()


def _char_ngrams(words: list[str], lo: int, hi: int) -> list[str]:
    """Character n-grams of all words."""
    grams: list[str] = []
    for word in words:
        grams.extend(_word_char_ngrams(word, lo, hi))
    return grams


def _polarity(folded: list[str]) -> list[str]:
    """Prior-polarity features of the folded words and word pairs (``not_`` when negated)."""
    bare = [t.removeprefix(NEG_PREFIX) for t in folded]
    negated = [len(b) != len(t) for b, t in zip(bare, folded, strict=True)]
    out = []
    for i, word in enumerate(bare):
        polarity = _POLARITY.get(word)
        if polarity:
            out.append("not_" + polarity if negated[i] else polarity)
        if i + 1 < len(bare):
            polarity = _POLARITY.get(f"{word} {bare[i + 1]}")
            if polarity:
                both = negated[i] and negated[i + 1]
                out.append("not_" + polarity if both else polarity)
    return out


#: Upper bounds of the length buckets (syllables) of the ``x`` block; longer is "21+".
_LENGTHS = ((1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8"), (12, "9-12"), (20, "13-20"))
_POLARITY_KINDS = ("positive", "negative", "not_positive", "not_negative")


def _shape(folded: list[str], polarity: list[str]) -> list[str]:
    """The ``x`` block: length bucket, opinion word or not (and both together), polarity
    counts capped at 2, and ``question`` for a question mark."""
    size = sum(1 for token in folded if token[0].isalnum())
    length = next((name for bound, name in _LENGTHS if size <= bound), "21+")
    opinion = "pol" if polarity else "nopol"
    counts = Counter(polarity)
    out = [f"len{length}", opinion, f"len{length}|{opinion}"]
    out.extend(f"{kind}={min(counts[kind], 2)}" for kind in _POLARITY_KINDS)
    if "?" in folded:
        out.append("question")
    return out


def extract(normalized: str, config: FeatureConfig) -> dict[str, list[str]]:
    """Return the feature strings of each block for one normalised comment."""
    window = config.negation_window
    marked = mark_negation(
        normalized.split(), SYLLABLE_NEGATORS, SYLLABLE_FILLERS, SYLLABLE_BREAKERS, window
    )
    folded = mark_negation(
        fold(normalized).split(), FOLDED_NEGATORS, _FOLDED_FILLERS, _FOLDED_BREAKERS, window
    )
    polarity = _polarity(folded) if config.polarity or config.shape else []
    return {
        "m": _ngrams(marked, config.marked_ngrams),
        "s": _ngrams(folded, config.folded_ngrams),
        "p": polarity if config.polarity else [],
        "c": _char_ngrams(folded, config.char_min, config.char_max),
        "x": _shape(folded, polarity) if config.shape else [],
    }
