"""The handling gaps `coverage` finds, in words: for the administrators' page, `flask cases
check-alerts` and the administrators' e-mail. Units and counts only, never a case's content,
reference, time or counter."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from core.db import db
from feedback.cases.coverage import Gap, Unhandled, count_by_unit
from surveys.models import Unit


def open_cases_line(unit: Unit, num: int) -> str:
    """How many open cases of the unit no leader may handle."""
    return ngettext("%(unit)s: %(num)d open complaint that no leader may handle.",
                    "%(unit)s: %(num)d open complaints that no leader may handle.",
                    num, unit=unit.name)


def open_cases_lines(unhandled: list[Unhandled]) -> list[str]:
    """`open_cases_line` for each unit of the cases, by unit name."""
    units = [(db.session.get(Unit, unit_id), num)
             for unit_id, num in count_by_unit(unhandled).items()]
    return [open_cases_line(unit, num) for unit, num in sorted(units, key=lambda u: u[0].name)]


def gap_lines(gap: Gap) -> list[str]:
    """What is wrong in the unit: open cases without a handler, and why cases about its staff
    on duty would have none."""
    lines = [open_cases_line(gap.unit, gap.open_cases)] if gap.open_cases else []
    if gap.uncovered and gap.leaders:
        lines.append(_("%(unit)s: its only leader, %(leader)s, also serves at its counters; no "
                       "other leader of the unit or of the province could handle a complaint "
                       "about them.", unit=gap.unit.name,
                       leader=", ".join(user.display_name for user in gap.leaders)))
    elif gap.uncovered:
        lines.append(_("%(unit)s: no leader account covers it (neither the unit's nor the "
                       "province's); complaints about the staff on duty there would reach "
                       "nobody.", unit=gap.unit.name))
    return lines


def remedy() -> str:
    """What closes a gap, and that no case is lost meanwhile."""
    return _("These complaints are kept and wait for a leader who may handle them: create a "
             "leader account for the unit or the province.")
