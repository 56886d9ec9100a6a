"""The HR score as pure functions, on top of feedback/scoring.py (tallies, Wilson intervals).

For one staff member in one period, on the *overall* rating of the responses counted:

1. share   = satisfied / n                       (satisfied: rated 4 or 5)
2. expected = Σ_a n_a · p_a / n                  (p_a: the unit's share in procedure area a,
                                                  n_a: the staff member's responses in area a)
3. adjusted = clamp(share − expected + p_unit)   (the share with the unit's average mix of
                                                  areas, so handling land dossiers, rated lower
                                                  everywhere, costs nothing)
4. shrunk   = (n · adjusted + w · p_unit) / (n + w)   (w: prior weight in pseudo-responses;
                                                  few responses stay close to the unit's share)
5. score    = 100 · shrunk

With one area, or the unit's own mix, step 3 changes nothing and step 4 is the mean of a
Beta(w·p_unit, w·(1 − p_unit)) prior updated by the staff member's answers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from feedback.scoring import Tally


def share(tally: Tally) -> float | None:
    """Share of answers rated 4–5 (None without answers)."""
    return tally.satisfied / tally.n if tally.n else None


def mean(tally: Tally) -> float | None:
    """Mean rating (None without answers)."""
    return tally.total / tally.n if tally.n else None


def mix_expected(mix: Mapping[Hashable, int],
                 reference: Mapping[Hashable, float | None]) -> float | None:
    """Σ n_a · reference_a / Σ n_a over the areas with a reference value (None if none)."""
    weighted = total = 0
    for area, count in mix.items():
        value = reference.get(area)
        if value is not None and count:
            weighted += count * value
            total += count
    return weighted / total if total else None


def adjusted_share(own: float, expected: float, unit: float) -> float:
    """The share with the unit's mix of procedure areas, kept within [0, 1]."""
    return min(1.0, max(0.0, own - expected + unit))


def shrunk(value: float, n: int, prior: float, weight: float) -> float:
    """(n · value + weight · prior) / (n + weight): pulls small samples toward the prior."""
    if n + weight <= 0:
        return prior
    return (n * value + weight * prior) / (n + weight)


@dataclass(frozen=True)
class Score:
    """The steps of one staff member's score (shares in [0, 1], score in [0, 100])."""

    n: int
    share: float | None
    expected: float | None
    adjusted: float | None
    shrunk: float | None
    score: float | None


def staff_score(overall_by_area: Mapping[Hashable, Tally],
                unit_by_area: Mapping[Hashable, Tally], prior_weight: float) -> Score:
    """The score of one staff member from their and the unit's overall tallies per area."""
    own = sum(overall_by_area.values(), Tally())
    unit = sum(unit_by_area.values(), Tally())
    own_share, unit_share = share(own), share(unit)
    if own_share is None or unit_share is None:
        return Score(own.n, own_share, None, None, None, None)
    area_shares = {area: share(tally) for area, tally in unit_by_area.items()}
    expected = mix_expected({a: t.n for a, t in overall_by_area.items()}, area_shares)
    adjusted = adjusted_share(own_share, expected, unit_share)
    pulled = shrunk(adjusted, own.n, unit_share, prior_weight)
    return Score(own.n, own_share, expected, adjusted, pulled, 100 * pulled)


def expected_mean(overall_by_area: Mapping[Hashable, Tally],
                  unit_by_area: Mapping[Hashable, Tally]) -> float | None:
    """The unit's mean overall rating, weighted by the staff member's mix of areas."""
    return mix_expected({a: t.n for a, t in overall_by_area.items()},
                        {a: mean(t) for a, t in unit_by_area.items()})


def competition_ranks(values: Sequence[float | None]) -> list[int | None]:
    """Ranks, highest value first, ties sharing a rank ("1, 2, 2, 4"); None stays unranked."""
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[v] if v is not None else None for v in values]
