"""The 5-point rating scale every rating question uses (Rất không hài lòng … Rất hài lòng), and
the two points on it the rules read: from where a citizen counts as satisfied (below it is the
"không hài lòng" level of the 3-level count, which asks a reason), and up to where a rating is low
(it makes a response unhappy for the centre alerts). Plain values, no Flask: the form, the
recording service, the indices, the 766 pack and the rollups all read them here."""

from __future__ import annotations

#: The ratings, lowest first.
SCALE = (1, 2, 3, 4, 5)
#: A rating at or above this counts as satisfied (4 and 5).
SATISFIED_FROM = 4
#: A rating at or below this is low (1 and 2).
LOW_RATING = 2


def is_dissatisfied(overall: int | None) -> bool:
    """True for an overall answer on the "không hài lòng" level (1–3)."""
    return overall is not None and overall < SATISFIED_FROM


def is_rating(value: object) -> bool:
    """Whether a value is a rating on the scale: an int (not a bool, not a float) in SCALE."""
    return isinstance(value, int) and not isinstance(value, bool) and value in SCALE
