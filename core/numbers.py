"""Numbers as pages, exports and PDFs show them."""

from __future__ import annotations


def shown(value: float, places: int) -> float:
    """The value rounded to the places shown, a negative zero made zero: a change of −0.03
    points shows as "+0,0", never "−0,0"."""
    return round(value, places) + 0.0
