"""What a staff member's dashboard of their own numbers may cover, so that it cannot trace the
citizen who rated them (`feedback/cases/staff_view.py` holds the same rule for their comments).

A day, a week, a short custom range or a period still running shows a rating, a comment's
sentiment and topics almost as they are given: a staff member refreshing the page after each
citizen (or comparing two ranges a day apart) would learn what that citizen answered. So their
dashboard covers whole months, quarters or years that are over, and leaves out the weekday ×
hour heatmap (the time of day of each response). A centre's public board, when it names the
staff on duty, shows each one's share of the last whole month for the same reason.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden

from feedback.periods import Period, PeriodKind, month_start

#: The kinds of period a staff member's own dashboard shows.
SHOWN_KINDS = frozenset({PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR})


def shown_to_subject(period: Period, today: date) -> bool:
    """Whether a staff member may see their own numbers of `period` (local `today`): a whole
    month, quarter or year that ended before the current month began."""
    return period.kind in SHOWN_KINDS and period.end <= month_start(today)


class PeriodNotShown(Forbidden):
    """A 403 whose page says which periods a staff member's own numbers are shown for."""

    message = _l("Your own numbers are shown only for whole months, quarters or years that are "
                 "over, so that no answer can be traced to the citizen who gave it.")
