"""A case's public reference: short, easy to read aloud, without look-alike letters or digits.

Eight characters from REFERENCE_ALPHABET (no B/8, I/1/L, O/0/Q, S/5, Z/2) in two groups of
four, e.g. "KM4T-9HXC": 25**8 (about 1.5e11) values, drawn with `secrets`; the database keeps it
unique. Whoever holds it may read the case's status and public replies (feedback.cases.tracking).
"""

from __future__ import annotations

import re
import secrets

REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
GROUP = 4
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_reference() -> str:
    """A fresh random reference such as "KM4T-9HXC"."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(LENGTH))
    return f"{chars[:GROUP]}-{chars[GROUP:]}"


def normalise_reference(text: str | None) -> str | None:
    """The reference as stored, from what a citizen typed (any case, spaces or dashes), or None
    when it cannot be one."""
    chars = _SEPARATORS.sub("", (text or "").upper())
    if len(chars) != LENGTH or any(c not in REFERENCE_ALPHABET for c in chars):
        return None
    return f"{chars[:GROUP]}-{chars[GROUP:]}"
