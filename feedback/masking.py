"""Mask names, phone numbers and e-mail addresses found in a citizen's free text (pure).

Comments often name people ("chị Lan ở quầy 2") or give a phone number; every reader except the
leader handling the case sees them masked. The rules are deliberately simple and err on masking:
a Vietnamese phone number (0xx… or +84…, 9–11 digits with optional spaces, dots or dashes), an
e-mail address, and the capitalised words following a form of address (anh, chị, ông, bà, …).
"""

from __future__ import annotations

import re

MASK = "***"

PHONE = re.compile(r"(?<![\w+])(?:\(\+84\)|\+84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: Forms of address that precede a person's name.
TITLES = frozenset({"anh", "chị", "ông", "bà", "cô", "chú", "bác", "em", "cậu", "dì"})
_TOKENS = re.compile(r"(\s+)")
_EDGE = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
#: At most this many capitalised words after a title are taken as a name.
MAX_NAME_WORDS = 4


def _is_name_word(word: str) -> bool:
    core = _EDGE.match(word).group(2)
    return bool(core) and core[0].isupper() and core.isalpha() and core.lower() not in TITLES


def _mask_names(text: str) -> str:
    tokens = _TOKENS.split(text)  # words at even positions, whitespace at odd ones
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        out.append(word)
        i += 1
        if i % 2 == 0 or _EDGE.match(word).group(2).lower() not in TITLES:
            continue
        taken = 0
        while (taken < MAX_NAME_WORDS and i + 1 < len(tokens)
               and _is_name_word(tokens[i + 1])):
            taken += 1
            i += 2
            if _EDGE.match(tokens[i - 1]).group(3):
                break
        if taken:
            trailing = _EDGE.match(tokens[i - 1]).group(3)
            out.append(tokens[i - 2 * taken])
            out.append(MASK + trailing)
    return "".join(out)


def mask_personal(text: str | None) -> str | None:
    """The text with phone numbers, e-mail addresses and names after a title replaced by ***."""
    if not text:
        return text
    text = EMAIL.sub(MASK, text)
    text = PHONE.sub(MASK, text)
    return _mask_names(text)
