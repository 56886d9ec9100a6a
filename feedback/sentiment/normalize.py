"""Text normalisation shared by training and inference.

Real citizen comments are mixed case, carry emoji, teen-code ("ko", "dc", "nv"), stretched
letters ("quáaaa") and punctuation glued to words, while UIT-VSFC is lower-cased with spaces
around punctuation and emoticons replaced by words such as ``colonsmile``. Every text, from the
corpus or from a citizen, goes through :func:`normalize` so both look alike to the model.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from feedback.sentiment.lexicon import EMOJI, EMOTICONS, TEENCODE


def _build_fold_table() -> dict[int, str]:
    """Map every accented Latin letter used in Vietnamese to its bare ASCII letter."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _build_fold_table()
_EMOTICON_RE = re.compile(
    "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True))
)
_EMOJI_RE = re.compile("[" + "".join(re.escape(e) for e in EMOJI) + "]")
_SYMBOL_RE = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_DOUBLE_RE = re.compile(r"([^\W\d_])\1")
_SPACES_RE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Strip Vietnamese diacritics: ``"Cán bộ nhiệt tình"`` -> ``"Can bo nhiet tinh"``."""
    return text.translate(_FOLD)


def _squeeze_word(match: re.Match[str]) -> str:
    """Collapse stretched letters in one word ("quáaaa" -> "quá", "lâuuu" -> "lâu").

    A run of three or more letters with the same bare letter keeps its first letter; so does a
    pair whose letters differ only by diacritics ("quáa"), which Vietnamese spelling never has.
    Plain doubles such as "oo" in "xoong" or "good" are kept.
    """
    word = match.group(0)
    bare = fold(word)
    out: list[str] = []
    i = 0
    while i < len(word):
        j = i + 1
        while j < len(word) and bare[j] == bare[i]:
            j += 1
        run = j - i
        if run >= 3 or (run == 2 and word[i] != word[i + 1]):
            out.append(word[i])
        else:
            out.append(word[i:j])
        i = j
    return "".join(out)


def _replace_emoji(text: str) -> str:
    """Replace emoji and ASCII emoticons by the corpus-style placeholder words."""
    text = _EMOTICON_RE.sub(lambda m: f" {EMOTICONS[m.group(0)]} ", text)
    text = _EMOJI_RE.sub(lambda m: f" {EMOJI[m.group(0)]} ", text)
    return _SYMBOL_RE.sub(" ", text)


def _expand_teencode(text: str) -> str:
    """Expand abbreviations and teen-code word by word ("ko dc" -> "không được").

    "k" after a number is a thousand ("50 k" -> "50 nghìn"), elsewhere it means "không".
    """
    out: list[str] = []
    for token in text.split(" "):
        if token == "k" and out and out[-1][:1].isdigit():
            out.append("nghìn")
        else:
            out.append(TEENCODE.get(token, token))
    return " ".join(out)


@cache
def underthesea_normalisers() -> tuple[Callable[[str], str], Callable[[str], str], re.Pattern]:
    """underthesea's character and token normalisers and its token pattern, imported on first
    use: importing the package takes about 0.4 s, which every command would otherwise pay
    (gunicorn workers call this before serving, through the tagger's warm-up)."""
    from underthesea.pipeline.text_normalize.character_normalize import (
        normalize_characters_in_text,
    )
    from underthesea.pipeline.text_normalize.token_normalize import token_normalize
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    return normalize_characters_in_text, token_normalize, patterns


@lru_cache(maxsize=65536)
def _normalize_token(token: str) -> str:
    """underthesea's ``token_normalize``, applied twice as its ``text_normalize`` does."""
    token_normalize = underthesea_normalisers()[1]
    return token_normalize(token_normalize(token))


def text_normalize(text: str) -> str:
    """underthesea's ``text_normalize`` with the same output, about twice as fast.

    Theirs normalises the characters of each token and each token twice (once inside
    ``tokenize``, once after); here the characters are normalised once for the whole text and
    each distinct token's normalisation is cached. A test checks both agree.
    """
    normalize_characters, _token, token_pattern = underthesea_normalisers()
    text = normalize_characters(text)
    return " ".join(_normalize_token(m.group(0)) for m in token_pattern.finditer(text))


def normalize(text: str) -> str:
    """Return the canonical form of a comment: NFC, lower case, emoji as words, stretched
    letters collapsed, tokens (punctuation included) split by underthesea's
    ``text_normalize`` (which also normalises tone-mark placement), teen-code expanded."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _replace_emoji(text)
    if _DOUBLE_RE.search(fold(text)):
        text = _LETTERS_RE.sub(_squeeze_word, text)
    text = _SPACES_RE.sub(" ", text).strip()
    if not text:
        return ""
    return _expand_teencode(text_normalize(text))
