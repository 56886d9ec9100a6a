"""The satisfaction group of Decision 766/QĐ-TTg: its three ratios and the points they earn.

Pure functions over per-case and per-visit facts (no database, no Flask), so the dashboards, the
SIPAS pack and the province report compute the same numbers. The formulas, as the research notes
give them (`../shared/research/vn_standards.md` §2.2 and the December 2026 addendum):

- **complaints handled on time** = complaints handled on time or early ÷ complaints received;
  a complaint still open before its due date counts as on time (as provincial implementations
  count dossiers "đang xử lý trong hạn"), one open past its due date as late;
- **satisfaction with complaint handling** = (complaints − those whose handling the citizen
  rated "không hài lòng" or that were handled late) ÷ complaints;
- **satisfaction with dossier handling** = (visits − those rated "không hài lòng" or with a
  complaint about them) ÷ visits.

Each ratio earns up to its points (default 6 + 6 + 6 = 18 of the 100): the full points from
`full_from` (default 90 %) up, otherwise ratio × points ÷ `full_from`. The point scheme and the
target lines are data (`Scheme`), loaded per deployment from a rule file.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class RatioCode(enum.StrEnum):
    """The three ratios, by the column names the exports use."""

    COMPLAINTS_ON_TIME = "ratio_complaints_on_time"
    COMPLAINT_HANDLING_SATISFIED = "ratio_complaint_handling_satisfied"
    DOSSIER_SATISFIED = "ratio_dossier_satisfied"


@dataclass(frozen=True)
class ComplaintFacts:
    """What the ratios need to know about one complaint (phản ánh, kiến nghị)."""

    late: bool
    rated_dissatisfied: bool = False


@dataclass(frozen=True)
class VisitFacts:
    """What the ratios need to know about one rated visit (a dossier's handling)."""

    dissatisfied: bool
    complained: bool = False


@dataclass(frozen=True)
class Ratio:
    """A ratio with the counts it was computed from; `value` is None when nothing was counted."""

    code: RatioCode
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Scheme:
    """Points per ratio, the share from which a ratio earns its full points, and the target
    lines drawn on the charts (national targets: 90 % by 2025, 95 % by 2030)."""

    points: dict[RatioCode, float] = field(default_factory=lambda: dict.fromkeys(RatioCode, 6.0))
    full_from: float = 0.9
    targets: tuple[float, ...] = (0.9, 0.95)

    def __post_init__(self) -> None:
        if not 0 < self.full_from <= 1:
            raise ValueError(f"full_from must be in (0, 1], not {self.full_from!r}")
        if any(not 0 < target <= 1 for target in self.targets):
            raise ValueError(f"targets must be shares in (0, 1], not {self.targets!r}")
        if set(self.points) != set(RatioCode) or any(p < 0 for p in self.points.values()):
            raise ValueError("points must give a non-negative number for each of the 3 ratios")

    @property
    def max_points(self) -> float:
        return sum(self.points.values())


def complaints_on_time(complaints: Iterable[ComplaintFacts]) -> Ratio:
    """Complaints handled on time (or still within their deadline) ÷ complaints."""
    facts = list(complaints)
    return Ratio(RatioCode.COMPLAINTS_ON_TIME, sum(not c.late for c in facts), len(facts))


def complaint_handling_satisfied(complaints: Iterable[ComplaintFacts]) -> Ratio:
    """(Complaints − rated dissatisfied or handled late) ÷ complaints; a complaint both late
    and rated dissatisfied is taken off once."""
    facts = list(complaints)
    bad = sum(c.late or c.rated_dissatisfied for c in facts)
    return Ratio(RatioCode.COMPLAINT_HANDLING_SATISFIED, len(facts) - bad, len(facts))


def dossier_satisfied(visits: Iterable[VisitFacts]) -> Ratio:
    """(Visits − rated dissatisfied or complained about) ÷ visits, each visit taken off once."""
    facts = list(visits)
    bad = sum(v.dissatisfied or v.complained for v in facts)
    return Ratio(RatioCode.DOSSIER_SATISFIED, len(facts) - bad, len(facts))


def ratios(complaints: Iterable[ComplaintFacts], visits: Iterable[VisitFacts]) -> list[Ratio]:
    """The three ratios in the order of the decision."""
    complaint_facts = list(complaints)
    return [complaints_on_time(complaint_facts), complaint_handling_satisfied(complaint_facts),
            dossier_satisfied(visits)]


def points(ratio: Ratio, scheme: Scheme) -> float | None:
    """The points a ratio earns under the scheme; None when the ratio has nothing to count."""
    value = ratio.value
    if value is None:
        return None
    most = scheme.points[ratio.code]
    return most if value >= scheme.full_from else value * most / scheme.full_from


def below_target(ratio: Ratio, target: float) -> bool:
    """True when the ratio has data and falls short of the target share."""
    return ratio.value is not None and ratio.value < target
