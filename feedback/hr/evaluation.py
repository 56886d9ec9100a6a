"""Per staff member and period: what counted, the indices, the score, the rank, the input to the
evaluation in the profile's points, and the grade the head of unit decided (if any).

`unit_report` builds the report of a unit (with the wards merged into it) for a period; the
screens, the exports and the command line all read the same report. Numbers follow
feedback/hr/stats.py; below the minimum number of counted responses a staff member gets
"insufficient data": no share, no score, no rank and no sub-score. No grade is derived from
satisfaction: `decision` is what a person recorded (feedback/hr/decisions.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select

from core.db import db
from core.timeutil import local_today, to_local
from feedback.cases.ending import NOT_COMPLAINTS, dismissed_at, ended_at
from feedback.cases.models import Case
from feedback.cases.sla import is_late
from feedback.hr import stats
from feedback.hr.decisions import latest
from feedback.hr.exclusions import Exclusion, exclusions
from feedback.hr.integrity import IntegrityRules
from feedback.hr.models import Contest, GradeDecision
from feedback.hr.profiles import INPUT_CRITERION, Level3, Profile, ProfileChoice, ProfileVersion
from feedback.hr.queries import Row, assignment_spells, load_rows, mark_first_days
from feedback.hr.rule_files import load_integrity_rules
from feedback.hr.secondments import home_agencies
from feedback.hr.settings import MIN_RESPONSES, NEW_COUNTER_DAYS, PRIOR_WEIGHT
from feedback.models import Response, SentimentLabel
from feedback.periods import Period, PeriodError, PeriodKind, containing, month_starts, parse_period
from feedback.scoring import OVERALL, CriterionIndex, Tally, criterion_index
from surveys.models import Staff, Unit
from surveys.queries import unit_lineage_ids
from surveys.scale import LOW_RATING, SCALE

#: Criteria in report order (question codes of the default survey; others follow).
CRITERIA = ("overall", "access", "procedure", "staff", "result")
#: HR evaluates by month, quarter or year.
HR_PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)


def parse_hr_period(text: str) -> Period:
    """A period written YYYY-MM, YYYY-Qn or YYYY; PeriodError for anything else."""
    period = parse_period(text)
    if period.kind not in HR_PERIOD_KINDS:
        raise PeriodError(gettext("'%(text)s' is not a month, quarter or year: write YYYY-MM, "
                                  "YYYY-Qn or YYYY", text=text))
    return period


def recent_periods(today: date, months: int = 12, quarters: int = 8,
                   years: int = 3) -> list[Period]:
    """The periods offered by the period picker: this month, quarter and year and the ones
    before them, newest first within each kind."""
    found = []
    for kind, count in ((PeriodKind.MONTH, months), (PeriodKind.QUARTER, quarters),
                        (PeriodKind.YEAR, years)):
        period = containing(kind, today)
        for _step in range(count):
            found.append(period)
            period = period.previous()
    return found


@dataclass(frozen=True)
class Settings:
    """The configurable parts of the method."""

    min_responses: int = MIN_RESPONSES
    prior_weight: float = PRIOR_WEIGHT
    new_counter_days: int = NEW_COUNTER_DAYS
    integrity: IntegrityRules = field(default_factory=IntegrityRules)
    profiles: ProfileChoice = field(default_factory=lambda: ProfileChoice.from_config({}))

    @classmethod
    def from_config(cls, config: Mapping) -> Settings:
        """Settings from the app's configuration (rule files are read now)."""
        return cls(min_responses=int(config.get("HR_MIN_RESPONSES", MIN_RESPONSES)),
                   prior_weight=float(config.get("HR_PRIOR_WEIGHT", PRIOR_WEIGHT)),
                   new_counter_days=int(config.get("HR_NEW_COUNTER_DAYS", NEW_COUNTER_DAYS)),
                   integrity=load_integrity_rules(config.get("HR_INTEGRITY_RULES")),
                   profiles=ProfileChoice.from_config(config))


@dataclass(frozen=True)
class ExcludedLine:
    """A response left out (or restored), with the reasons."""

    public_id: str
    submitted_at: datetime
    counter_id: int
    overall: int | None
    state: Exclusion


@dataclass(frozen=True)
class CommentLine:
    """A low rating or a negative comment (never the citizen's contact details)."""

    public_id: str
    submitted_at: datetime
    overall: int | None
    text: str | None
    sentiment: str | None


@dataclass(frozen=True)
class CaseLine:
    """A complaint case about one of the staff member's responses and how it ended."""

    public_id: str
    opened_at: datetime
    status: str
    outcome: str | None
    dismiss_reason: str | None
    #: Handled after its due day (None: still open and not yet due).
    late: bool | None


@dataclass
class StaffReport:
    """One staff member in one period."""

    staff_id: int
    code: str
    name: str
    position: str
    enough: bool = False
    counted: int = 0
    overall: CriterionIndex | None = None
    criteria: list[CriterionIndex] = field(default_factory=list)
    score: stats.Score | None = None
    mean: float | None = None
    expected_mean: float | None = None
    rank: int | None = None
    #: The officer's own criterion (attitude and guidance): the input to the evaluation.
    attitude: CriterionIndex | None = None
    level3: Level3 = field(default_factory=lambda: Level3(0, 0, 0))
    #: The input in the profile's points (None: too few answers or no profile in force).
    sub_score: float | None = None
    #: The grade the head of unit recorded for the period (the newest), if any.
    decision: GradeDecision | None = None
    #: The agency a seconded staff member belongs to (None: the centre's unit).
    home_agency: str | None = None
    first_days: int = 0
    areas: dict[int | None, int] = field(default_factory=dict)
    #: Per local month of the period: (YYYY-MM, counted responses, share or None if too few).
    months: list[tuple[str, int, float | None]] = field(default_factory=list)
    excluded: list[ExcludedLine] = field(default_factory=list)
    restored: list[ExcludedLine] = field(default_factory=list)
    #: Negative comments (with their text) among the counted responses.
    comments: list[CommentLine] = field(default_factory=list)
    #: Counted responses rated low overall or commented negatively (text may be None).
    low_ratings: list[CommentLine] = field(default_factory=list)
    cases: list[CaseLine] = field(default_factory=list)
    contests: list[Contest] = field(default_factory=list)

    @property
    def relative(self) -> float | None:
        """Share satisfied minus the share expected from the procedure-area mix (points)."""
        if self.score is None or self.score.share is None or self.score.expected is None:
            return None
        return 100 * (self.score.share - self.score.expected)

    @property
    def relative_mean(self) -> float | None:
        """Mean overall rating minus the unit's mean for the same mix of procedure areas."""
        if self.mean is None or self.expected_mean is None:
            return None
        return self.mean - self.expected_mean


@dataclass
class UnitReport:
    """Every staff member of a unit in a period, and the unit's own figures."""

    unit: Unit
    period: Period
    settings: Settings
    profile: Profile
    version: ProfileVersion | None
    unit_overall: CriterionIndex
    unit_share: float | None
    staff: list[StaffReport]
    responses: int
    excluded: int
    unattributed: int
    flagged_by_rule: Counter
    #: How many staff members of the unit have a rank.
    ranked: int
    #: The home agency the report is addressed to (None: the whole unit).
    addressee: str | None = None

    def ranked_count(self) -> int:
        """How many staff members of the unit have a rank."""
        return self.ranked

    def addressed_to(self, agency: str) -> UnitReport:
        """The same report with only the staff seconded from `agency` (ranks stay the unit's)."""
        return replace(self, staff=[s for s in self.staff if s.home_agency == agency],
                       addressee=agency)


def prepare(unit: Unit, period: Period,
            settings: Settings) -> tuple[set[int], list[Row], dict[int, Exclusion]]:
    """The unit's responses of the period with their stored attribution and flags (reads
    only: flags were raised when the responses were stored)."""
    unit_ids = unit_lineage_ids(unit.id)
    start, end = period.utc_bounds()
    rows = load_rows(unit_ids, start, end)
    mark_first_days(rows, assignment_spells({row.counter_id for row in rows}),
                    settings.new_counter_days)
    return unit_ids, rows, exclusions(row.id for row in rows)


def _overall_by_area(rows: list[Row]) -> dict[int | None, Tally]:
    values: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        if OVERALL in row.ratings:
            values[row.area_id].append(row.ratings[OVERALL])
    return {area: Tally.of(found) for area, found in values.items()}


def _criteria(rows: list[Row], min_responses: int) -> list[CriterionIndex]:
    values: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        for code, value in row.ratings.items():
            values[code].append(value)
    codes = [c for c in CRITERIA if c in values] + sorted(set(values) - set(CRITERIA))
    return [criterion_index(code, Tally.of(values[code]), min_responses) for code in codes]


def _is_low(row: Row) -> bool:
    return row.ratings.get(OVERALL, SCALE[-1]) <= LOW_RATING or (
        bool(row.comment) and row.sentiment_label == SentimentLabel.NEGATIVE)


#: Response ids per query (PostgreSQL takes at most 65,535 parameters in one statement).
CHUNK = 5000


def _cases(response_ids: list[int]) -> dict[int, CaseLine]:
    """Complaint cases of the responses: not those dismissed as spam or withdrawn as suspected
    stuffing, which are no complaint (as in the Decision 766 pack), so that flooding a counter
    gives its staff member no cases."""
    found = {}
    today = local_today()
    cases = (select(Case, Response.public_id, dismissed_at())
             .join(Response, Response.id == Case.response_id).order_by(Case.opened_at))
    for offset in range(0, len(response_ids), CHUNK):
        chunk = response_ids[offset:offset + CHUNK]
        for case, public_id, dismissed in db.session.execute(
                cases.where(Case.response_id.in_(chunk))):
            if case.dismiss_reason in NOT_COMPLAINTS:
                continue
            ended = ended_at(case.status, case.resolved_at, case.closed_at, dismissed)
            found[case.response_id] = CaseLine(
                public_id, case.opened_at, case.status.value, case.outcome,
                case.dismiss_reason.value if case.dismiss_reason else None,
                is_late(case.due_on, to_local(ended).date() if ended else None, today))
    return found


def _contests(staff_ids: list[int], period: Period) -> dict[int, list[Contest]]:
    found: dict[int, list[Contest]] = defaultdict(list)
    for contest in db.session.execute(
        select(Contest).where(Contest.staff_id.in_(staff_ids),
                              Contest.period_key == period.key())
        .order_by(Contest.opened_at, Contest.id)
    ).scalars():
        found[contest.staff_id].append(contest)
    return found


def _months(rows: list[Row], period: Period,
            min_responses: int) -> list[tuple[str, int, float | None]]:
    values: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if OVERALL in row.ratings:
            values[to_local(row.submitted_at).strftime("%Y-%m")].append(row.ratings[OVERALL])
    found = []
    for first in month_starts(period.start, period.end):
        key = first.strftime("%Y-%m")
        index = criterion_index(OVERALL, Tally.of(values.get(key, [])), min_responses)
        found.append((key, index.n, index.share))
    return found


def _staff_of(unit_ids: set[int], rows: list[Row]) -> list[Staff]:
    attributed = {row.staff_id for row in rows if row.staff_id is not None}
    return list(db.session.execute(
        select(Staff).where((Staff.unit_id.in_(sorted(unit_ids)) & Staff.active.is_(True))
                            | Staff.id.in_(sorted(attributed)))
        .order_by(Staff.full_name, Staff.code)
    ).scalars())


def _line(row: Row, state: Exclusion) -> ExcludedLine:
    return ExcludedLine(row.public_id, row.submitted_at, row.counter_id,
                        row.ratings.get(OVERALL), state)


def unit_report(unit: Unit, period: Period, settings: Settings) -> UnitReport:
    """The report of a unit for a period (reads only)."""
    unit_ids, rows, states = prepare(unit, period, settings)
    counted = [row for row in rows if row.counted]
    unit_by_area = _overall_by_area(counted)
    unit_tally = sum(unit_by_area.values(), Tally())
    by_staff: dict[int, list[Row]] = defaultdict(list)
    all_by_staff: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        if row.staff_id is not None:
            all_by_staff[row.staff_id].append(row)
    for row in counted:
        if row.staff_id is not None:
            by_staff[row.staff_id].append(row)
    profile = settings.profiles.for_unit(unit.code)
    version = profile.in_force(period)
    cases = _cases([row.id for row in rows if row.staff_id is not None])
    staff = _staff_of(unit_ids, rows)
    contests = _contests([s.id for s in staff], period)
    decisions = latest([s.id for s in staff], period)
    agencies = home_agencies([s.id for s in staff])
    reports = []
    for member in staff:
        own = by_staff.get(member.id, [])
        report = StaffReport(member.id, member.code, member.full_name, member.position,
                             counted=len(own), contests=contests.get(member.id, []),
                             decision=decisions.get(member.id),
                             home_agency=agencies.get(member.id))
        own_by_area = _overall_by_area(own)
        overall = sum(own_by_area.values(), Tally())
        report.overall = criterion_index(OVERALL, overall, settings.min_responses)
        report.enough = report.overall.enough
        report.criteria = _criteria(own, settings.min_responses)
        report.attitude = next((c for c in report.criteria if c.code == INPUT_CRITERION), None)
        if report.attitude is not None:
            report.level3 = Level3.of(report.attitude.tally)
            if report.attitude.enough and version is not None:
                report.sub_score = version.points(report.attitude.tally.satisfied,
                                                  report.attitude.n)
        report.areas = {area: tally.n for area, tally in own_by_area.items()}
        report.first_days = sum(1 for row in own if row.first_days)
        report.months = _months(own, period, settings.min_responses)
        if report.enough:
            report.score = stats.staff_score(own_by_area, unit_by_area, settings.prior_weight)
            report.mean = stats.mean(overall)
            report.expected_mean = stats.expected_mean(own_by_area, unit_by_area)
        for row in all_by_staff.get(member.id, []):
            state = states.get(row.id)
            if state is not None and state.flags:
                (report.excluded if state.excluded else report.restored).append(
                    _line(row, state))
            elif state is not None and state.excluded:
                report.excluded.append(_line(row, state))
            if row.id in cases:
                report.cases.append(cases[row.id])
        report.low_ratings = [CommentLine(row.public_id, row.submitted_at,
                                          row.ratings.get(OVERALL), row.comment,
                                          row.sentiment_label)
                              for row in own if _is_low(row)]
        report.comments = [line for line in report.low_ratings if line.text]
        reports.append(report)
    scores = [round(r.score.score, 1) if r.score and r.score.score is not None else None
              for r in reports]
    for report, rank in zip(reports, stats.competition_ranks(scores), strict=True):
        report.rank = rank
    flagged = Counter(flag.rule for state in states.values() if state.excluded
                      for flag in state.flags)
    return UnitReport(
        unit=unit, period=period, settings=settings, profile=profile, version=version,
        unit_overall=criterion_index(OVERALL, unit_tally, settings.min_responses),
        unit_share=stats.share(unit_tally), staff=reports, responses=len(rows),
        excluded=len(rows) - len(counted),
        unattributed=sum(1 for row in counted if row.staff_id is None),
        flagged_by_rule=flagged, ranked=sum(1 for r in reports if r.rank is not None))


def monthly_trend(staff_id: int, unit: Unit, months: list[Period],
                  settings: Settings) -> list[tuple[Period, CriterionIndex]]:
    """The staff member's overall index per month (exclusions applied), oldest first."""
    if not months:
        return []
    start, end = months[0].utc_bounds()[0], months[-1].utc_bounds()[1]
    own = [row for row in load_rows(unit_lineage_ids(unit.id), start, end, staff_id=staff_id)
           if row.counted]
    trend = []
    for month in months:
        values = [row.ratings[OVERALL] for row in own
                  if OVERALL in row.ratings and month.contains(row.submitted_at)]
        trend.append((month, criterion_index(OVERALL, Tally.of(values),
                                             settings.min_responses)))
    return trend
