"""The Decision 766 satisfaction ratios shown on the dashboard, for its scope and period.

Computed from the same facts as the pack (`feedback.standards.pack.scope_ratios`, counted in the
database), read fresh on each view (a case resolved or a follow-up answered changes them, which
the dashboard's response-based cache would not notice). Staff members' own dashboards do not
show them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal

from feedback.dashboard.queries import Scope
from feedback.periods import Period
from feedback.scoring import Tally
from feedback.standards.decision766 import Ratio, Scheme, below_target
from feedback.standards.exports import ratio_label, ratio_text
from feedback.standards.pack import scope_ratios


@dataclass(frozen=True)
class RatioLine:
    """One ratio as the dashboard shows it."""

    label: str
    text: str
    ratio: Ratio
    below: bool


def dashboard_ratios(scope: Scope, period: Period, scheme: Scheme,
                     overall: Tally | None = None) -> list[RatioLine]:
    """The three ratios of the scope, each with its text ("72,5 % (29/40)") and whether it is
    below the lowest target; `overall` is the scope's tally of overall answers when the
    dashboard has it (from its rollups)."""
    unit_ids = set(scope.unit_ids) if scope.unit_ids is not None else None
    found = scope_ratios(unit_ids, period, scope.centre_id, scope.counter_id, scope.staff_id,
                         scope.area_id, overall)
    return [RatioLine(ratio_label(ratio.code), ratio_text(ratio), ratio,
                      below_target(ratio, min(scheme.targets))) for ratio in found]


def targets_text(scheme: Scheme) -> str:
    """"90 %, 95 %": the target lines."""
    return ", ".join(format_decimal(100 * target, format="0.#") + " %"
                     for target in scheme.targets)
