"""Satisfaction indices as pure functions: counts in, numbers (or "not enough responses") out.

Nothing here touches the database or Flask, so the same functions serve the dashboards, the
public board and HR evaluation. Ratings are on the 1–5 scale; a rating of 4 or 5 counts as
*satisfied*. A criterion is identified by its question code (``overall``, ``access``,
``procedure``, ``staff``, ``result``), which stays the same across survey versions.

- `Tally` holds how many answers had each value 1..5; tallies add up, so any grouping can be
  summed from smaller ones (e.g. daily rollups into a month).
- `criterion_index` turns a tally into n, mean, share satisfied and its 95 % Wilson interval,
  and marks it *not enough* below the minimum n, in which case `mean`, `share` and `interval`
  are None so that it can be neither shown as a grade nor ranked.
- `change` compares an index with the one of the previous period.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import mul

from surveys.scale import SATISFIED_FROM, SCALE

#: z for a two-sided 95 % interval.
Z95 = 1.959963984540054
#: Default minimum number of answers before an index is shown (configurable per app).
DEFAULT_MIN_RESPONSES = 30
OVERALL = "overall"


@dataclass(frozen=True)
class SatisfiedShare:
    """How many of `total` answers were satisfied (4–5), and their share."""

    satisfied: int
    total: int

    @property
    def share(self) -> float | None:
        """The share satisfied, or None without answers."""
        return self.satisfied / self.total if self.total else None


@dataclass(frozen=True)
class Tally:
    """How many answers had each value of the 1–5 scale."""

    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    #: Number of answers (counted once: a ranking of thousands asks it several times each).
    n: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", sum(self.counts))

    @classmethod
    def of(cls, values: Iterable[int]) -> Tally:
        """Count a sequence of ratings."""
        counts = [0] * len(SCALE)
        for value in values:
            if value not in SCALE:
                raise ValueError(f"rating out of range: {value!r}")
            counts[value - 1] += 1
        return cls(tuple(counts))

    def __add__(self, other: Tally) -> Tally:
        return Tally(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))

    @property
    def total(self) -> int:
        """Sum of the ratings."""
        return sum(map(mul, SCALE, self.counts))

    @property
    def satisfied(self) -> int:
        """Number of answers rated 4 or 5."""
        return sum(self.counts[SATISFIED_FROM - 1:])


@dataclass(frozen=True)
class Interval:
    """A confidence interval for a share, both ends in [0, 1]."""

    low: float
    high: float


def wilson_interval(successes: int, n: int, z: float = Z95) -> Interval | None:
    """Wilson score interval for a binomial share; None when n is 0.

    Unlike the normal approximation it stays inside [0, 1] and behaves at shares of 0 and 1.
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(low, high)


@dataclass(frozen=True)
class CriterionIndex:
    """The index of one criterion in one scope and period.

    When `enough` is False (n below the minimum), `mean`, `share` and `interval` are None: show
    "not enough responses" instead of a number.
    """

    code: str
    n: int
    enough: bool
    mean: float | None
    share: float | None
    interval: Interval | None
    tally: Tally = field(repr=False)


def criterion_index(code: str, tally: Tally,
                    min_responses: int = DEFAULT_MIN_RESPONSES) -> CriterionIndex:
    """n, mean, share satisfied (4–5) and its 95 % Wilson interval of one criterion."""
    n = tally.n
    if not has_enough(tally, min_responses):
        return CriterionIndex(code, n, False, None, None, None, tally)
    return CriterionIndex(code, n, True, tally.total / n, tally.satisfied / n,
                          wilson_interval(tally.satisfied, n), tally)


def indices(tallies: Mapping[str, Tally], codes: Sequence[str],
            min_responses: int = DEFAULT_MIN_RESPONSES) -> list[CriterionIndex]:
    """One index per criterion code, in the order of `codes` (missing codes count zero)."""
    return [criterion_index(code, tallies.get(code, Tally()), min_responses) for code in codes]


@dataclass(frozen=True)
class Change:
    """Difference from the previous period (None when either side has not enough answers)."""

    mean: float | None
    share: float | None


def change(current: CriterionIndex, previous: CriterionIndex) -> Change:
    """Mean and share now minus in the previous period."""
    if not (current.enough and previous.enough):
        return Change(None, None)
    return Change(current.mean - previous.mean, current.share - previous.share)


def has_enough(tally: Tally, min_responses: int = DEFAULT_MIN_RESPONSES) -> bool:
    """Whether a tally has enough answers to be shown as an index and ranked."""
    n = tally.n
    return n > 0 and n >= min_responses
