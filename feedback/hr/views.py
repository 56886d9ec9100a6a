"""HR screens: a unit's staff for a period, one staff member's detail, exclusions, requests for
review, the head of unit's grades, exports and the method page. HR officers and leaders see
their units (only leaders record grades); a staff member sees only themselves; ids outside a
user's scope answer 404."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask import Response as HttpResponse
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from accounts.auth import require_unit_in_scope, roles_required, scoped_unit_ids
from accounts.models import Role
from core.db import db, now_utc
from core.numbers import shown
from core.timeutil import local_today
from feedback import access_log
from feedback.dashboard.subject import PeriodNotShown, shown_to_subject
from feedback.hr import charts, contests, decisions, exclusions, labels
from feedback.hr.evaluation import (
    Settings,
    StaffReport,
    UnitReport,
    monthly_trend,
    parse_hr_period,
    recent_periods,
    unit_report,
)
from feedback.hr.exports import write_csv, write_pdf, write_xlsx
from feedback.hr.forms import ContestForm, DecisionForm, NoteForm, ReportForm, grade_set_form
from feedback.hr.grades import GRADE_LABELS, Grade
from feedback.hr.method import sections
from feedback.hr.models import Contest, ContestStatus, OverrideAction
from feedback.hr.profiles import CapBase
from feedback.hr.subject import as_subject, reader_as_subject
from feedback.models import AccessKind, Response
from feedback.periods import (
    Period,
    PeriodError,
    PeriodKind,
    add_months,
    containing,
    last_full_month,
)
from surveys.defaults import criterion_name
from surveys.models import Centre, ProcedureArea, Staff, Unit
from surveys.queries import communes_in_scope

bp = Blueprint("hr", __name__, url_prefix="/hr")

readers = roles_required(Role.HR, Role.LEADER)
hr_only = roles_required(Role.HR)
everyone = roles_required(Role.HR, Role.LEADER, Role.STAFF)

SORT_KEYS = {
    "name": lambda s: (s.name.casefold(),),
    "counted": lambda s: (s.counted,),
    "share": lambda s: (s.score.share if s.score else -1,),
    "relative": lambda s: (s.relative if s.relative is not None else -1000,),
    "score": lambda s: (s.score.score if s.score else -1,),
    "excluded": lambda s: (len(s.excluded),),
}


@bp.context_processor
def _formatters() -> dict:
    def dec(value: float | None, digits: int = 1) -> str:
        if value is None:
            return "—"
        return format_decimal(shown(value, digits),
                              format="#,##0." + "0" * digits if digits else "#,##0")

    def pct(value: float | None) -> str:
        return "—" if value is None else dec(100 * value) + " %"

    return {"dec": dec, "pct": pct, "criterion_name": criterion_name}


def _settings() -> Settings:
    return Settings.from_config(current_app.config)


def _wards() -> list[Unit]:
    return communes_in_scope(scoped_unit_ids(current_user))


def _period(text: str | None) -> Period:
    if not text:
        return containing(PeriodKind.QUARTER, local_today())
    try:
        return parse_hr_period(text)
    except PeriodError:
        abort(400)


def _unit(code: str | None) -> Unit:
    """The unit named by `code`; without one, the first of the user's wards that has a centre
    (a province's HR officer lands on a ward with staff, not on the first name of the list)."""
    wards = _wards()
    if not code:
        if not wards:
            abort(404)
        with_centres = set(db.session.execute(select(Centre.unit_id).where(
            Centre.unit_id.in_([ward.id for ward in wards]))).scalars())
        return next((ward for ward in wards if ward.id in with_centres), wards[0])
    unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        abort(404)
    require_unit_in_scope(current_user, unit.id)
    return unit


def _current(unit: Unit) -> Unit:
    """The unit now in force for a unit that may have been merged since."""
    seen = set()
    while unit.successor_id is not None and unit.id not in seen:
        seen.add(unit.id)
        unit = db.session.get(Unit, unit.successor_id)
    return unit


def _report(unit: Unit, period: Period) -> UnitReport:
    return unit_report(unit, period, _settings())


def _period_form(subject: bool = False) -> tuple[ReportForm, Period]:
    """The period picker read from the query string; a bad period is shown as an error beside
    the field and the current quarter is reported instead. The subject of the page (`subject`)
    is offered only periods that are over, the last month by default; a running one is
    refused (403)."""
    form = ReportForm(request.args)
    today = local_today()
    offered = recent_periods(today)
    if subject:
        offered = [p for p in offered if shown_to_subject(p, today)]
    form.period.choices = [SelectChoice(p.key(), labels.period_label(p)) for p in offered]
    period = last_full_month(today) if subject else containing(PeriodKind.QUARTER, today)
    if form.period.data and form.period.validate(form):
        period = parse_hr_period(form.period.data)
        if subject and not shown_to_subject(period, today):
            raise PeriodNotShown()
        if period.key() not in {p.key() for p in offered}:
            form.period.choices.append(SelectChoice(period.key(), labels.period_label(period)))
    if not form.period.errors:
        form.period.data = period.key()
    return form, period


def _status(form: ReportForm) -> int:
    """400 for a page shown with an error beside its period field (the page still answers)."""
    return 400 if form.period.errors else 200


def _report_form() -> tuple[ReportForm, Unit, Period]:
    """The unit and period picker of the unit's pages."""
    form, period = _period_form()
    form.unit.choices = [SelectChoice(u.code, f"{u.name} ({u.code})") for u in _wards()]
    unit = _unit(request.args.get("unit"))
    form.unit.data = unit.code
    return form, unit, period


@bp.route("/")
@readers
def overview():
    """A unit's staff for a period: sortable table and the distribution of scores."""
    form, unit, period = _report_form()
    report = _report(unit, period)
    sort = request.args.get("sort", "score")
    sort = sort if sort in SORT_KEYS else "score"
    descending = request.args.get("dir", "desc") != "asc"
    rows = sorted(report.staff, key=SORT_KEYS[sort], reverse=descending)
    return render_template("hr/overview.html", form=form, report=report, rows=rows,
                           sort=sort, descending=descending, labels=labels,
                           args={"unit": unit.code, "period": period.key()}), _status(form)


@bp.route("/distribution.png")
@readers
def distribution_png():
    """The distribution of a unit's scores as PNG."""
    report = _report(_unit(request.args.get("unit")), _period(request.args.get("period")))
    scores = [s.score.score for s in report.staff if s.score and s.score.score is not None]
    image = charts.distribution_png(scores, _("Scores of the unit"), _("Score"),
                                    _("Staff members"))
    return HttpResponse(image, mimetype="image/png")


@bp.route("/export.<any(csv, xlsx, pdf):fmt>")
@readers
def export(fmt: str):
    """The report of a unit and period as a file (the same as `flask report staff`)."""
    unit = _unit(request.args.get("unit"))
    period = _period(request.args.get("period"))
    report = _report(unit, period)
    name = f"danh-gia-{unit.code}-{period.key()}.{fmt}"
    access_log.record(current_user, AccessKind.EXPORT, unit.id, f"hr-report {name}")
    db.session.commit()
    if fmt == "csv":
        text = io.StringIO()
        write_csv(report, text)
        data, mimetype = ("\ufeff" + text.getvalue()).encode(), "text/csv"
    else:
        out = io.BytesIO()
        if fmt == "xlsx":
            # The reader's own responses (one who also serves) as on their own page.
            write_xlsx(report, out, reader_as_subject(report, current_user.staff_id,
                                                      now_utc(), current_app.config))
        else:
            write_pdf(report, out)
        data = out.getvalue()
        mimetype = ("application/pdf" if fmt == "pdf" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=name)


def _require_visible(staff_id: int, unit_id: int) -> None:
    """404 unless the user may see what concerns this staff member of this unit: a staff
    member only themselves, the others what is in their scope."""
    if current_user.role == Role.STAFF:
        if not current_user.is_staff(staff_id):
            abort(404)
    else:
        require_unit_in_scope(current_user, unit_id)


def _staff(staff_id: int) -> Staff:
    """The staff member, if the user may see them (404 otherwise)."""
    staff = db.get_or_404(Staff, staff_id)
    _require_visible(staff.id, staff.unit_id)
    return staff


def _staff_report(staff: Staff, period: Period) -> tuple[UnitReport, StaffReport]:
    report = _report(_current(staff.unit), period)
    for line in report.staff:
        if line.staff_id == staff.id:
            return report, line
    abort(404)


@bp.route("/me")
@roles_required(Role.STAFF)
def me():
    """A staff member's own page."""
    if current_user.staff_id is None:
        abort(404)
    return redirect(url_for("hr.staff_detail", staff_id=current_user.staff_id,
                            period=request.args.get("period") or last_full_month().key()))


def _trend_months(period: Period) -> list[Period]:
    last = containing(PeriodKind.MONTH, add_months(period.end, -1))
    return [containing(PeriodKind.MONTH, add_months(last.start, -back))
            for back in range(11, -1, -1)]


@bp.route("/staff/<int:staff_id>")
@everyone
def staff_detail(staff_id: int):
    """One staff member in a period: figures, criteria, trend, comments, cases, exclusions."""
    staff = _staff(staff_id)
    # Whoever the record is (a staff member, or a leader or HR officer who also serves) reads
    # it as its subject: periods that are over, by day or week only, nothing that traces a
    # citizen.
    subject = current_user.is_staff(staff.id)
    period_form, period = _period_form(subject)
    report, line = _staff_report(staff, period)
    contest_form = None
    visible: frozenset[str] = frozenset()
    if subject:
        view = as_subject(line, now_utc(), current_app.config)
        visible = view.visible
        contest_form = ContestForm()
        contest_form.target.choices = [SelectChoice("", _("My score for %(period)s",
                                                         period=period.key()))] + [
            SelectChoice(c.public_id, _("Response of %(date)s (overall %(value)s/5)",
                                        date=view.when(c.submitted_at),
                                        value=c.overall or "—"))
            for c in line.low_ratings if view.shows(c.public_id)]
    return render_template("hr/staff.html", staff=staff, report=report, line=line,
                           period=period, period_form=period_form, labels=labels,
                           note_form=NoteForm(),
                           contest_form=contest_form, areas=_area_names(line.areas),
                           case_status=labels.case_status_label,
                           can_override=current_user.role == Role.HR and not subject,
                           subject=subject, visible=visible), _status(period_form)


def _area_names(counts: dict[int | None, int]) -> list[tuple[str, int]]:
    locale = str(get_locale())
    names = {area.id: area.name(locale) for area in db.session.execute(
        select(ProcedureArea).where(ProcedureArea.id.in_([a for a in counts if a]))).scalars()}
    return sorted(((names.get(area, _("No area chosen")) if area else _("No area chosen"), n)
                   for area, n in counts.items()), key=lambda item: -item[1])


@bp.route("/staff/<int:staff_id>/trend.png")
@everyone
def trend_png(staff_id: int):
    """The staff member's share satisfied per month over the 12 months ending with the period."""
    staff = _staff(staff_id)
    period = _period(request.args.get("period"))
    if current_user.is_staff(staff.id) and not shown_to_subject(period, local_today()):
        raise PeriodNotShown()
    trend = monthly_trend(staff.id, _current(staff.unit), _trend_months(period), _settings())
    image = charts.trend_png([month.key() for month, _i in trend],
                             [index.n for _m, index in trend],
                             [index.share for _m, index in trend],
                             _("Last 12 months"), _("Responses"), _("Share satisfied (%)"))
    return HttpResponse(image, mimetype="image/png")


def _response_in_scope(public_id: str) -> Response:
    response = db.session.execute(
        select(Response).where(Response.public_id == public_id)).scalar_one_or_none()
    if response is None:
        abort(404)
    require_unit_in_scope(current_user, response.unit_id)
    return response


@bp.route("/responses/<public_id>/<any(restore, exclude):action>", methods=["POST"])
@hr_only
def override(public_id: str, action: str):
    """Restore an excluded response, or exclude a restored one again, with a note."""
    response = _response_in_scope(public_id)
    staff_id = request.args.get("staff", type=int)
    period = request.args.get("period")
    form = NoteForm(request.form)
    if not form.validate():
        flash(_("Please write a note."), "error")
    else:
        try:
            exclusions.override(response, OverrideAction(action), current_user,
                                form.note.data)
        except exclusions.SelfDecision:
            flash(_("A response given to you is restored or excluded by another HR officer."),
                  "error")
        except exclusions.ExclusionError:
            flash(_("This response cannot be changed that way."), "error")
        else:
            db.session.commit()
            flash(_("Response restored: it counts again.") if action == "restore"
                  else _("Response excluded again."), "success")
    if staff_id:
        return redirect(url_for("hr.staff_detail", staff_id=staff_id, period=period), code=303)
    return redirect(url_for("hr.overview"), code=303)


@bp.route("/staff/<int:staff_id>/contest", methods=["POST"])
@everyone
def contest_new(staff_id: int):
    """A staff member (whatever their role) contests their period score or one of their
    responses."""
    staff = _staff(staff_id)
    if not current_user.is_staff(staff.id):
        abort(403)
    period = _period(request.args.get("period"))
    form = ContestForm(request.form)
    response = None
    if not form.validate():
        flash(_("Please write your reason."), "error")
        return redirect(url_for("hr.staff_detail", staff_id=staff.id, period=period.key()),
                        code=303)
    if form.target.data:
        response = db.session.execute(select(Response).where(
            Response.public_id == form.target.data)).scalar_one_or_none()
        if response is None:
            abort(404)
    try:
        contest = contests.open_contest(staff, current_user, period, form.reason.data, response)
    except contests.ContestError:
        flash(_("This cannot be contested: it is not yours, not in this period, or already "
                "waiting for HR."), "error")
        return redirect(url_for("hr.staff_detail", staff_id=staff.id, period=period.key()),
                        code=303)
    db.session.commit()
    flash(_("Your contest was sent to HR."), "success")
    return redirect(url_for("hr.contest_detail", contest_id=contest.id), code=303)


def _contest(contest_id: int) -> Contest:
    contest = db.get_or_404(Contest, contest_id)
    _require_visible(contest.staff_id, contest.unit_id)
    return contest


@bp.route("/contests")
@everyone
def contest_list():
    """Contests: HR and leaders see their units', a staff member their own."""
    if current_user.role == Role.STAFF:
        found = contests.contests_for(staff_id=current_user.staff_id or -1)
    else:
        found = contests.contests_for(unit_ids=scoped_unit_ids(current_user))
    return render_template("hr/contests.html", contests=found, labels=labels,
                           open_status=ContestStatus.OPEN)


def _contest_page(contest: Contest, form: DecisionForm | None) -> str:
    # Its subject (a staff member, or a leader or HR officer who also serves) reads the
    # contested response's day or week, not its minute.
    return render_template("hr/contest.html", contest=contest, form=form, labels=labels,
                           subject=current_user.is_staff(contest.staff_id))


@bp.route("/contests/<int:contest_id>")
@everyone
def contest_detail(contest_id: int):
    """A contest and its timeline; HR decides here."""
    contest = _contest(contest_id)
    form = DecisionForm() if (current_user.role == Role.HR
                              and contest.status == ContestStatus.OPEN) else None
    return _contest_page(contest, form)


@bp.route("/contests/<int:contest_id>/decide", methods=["POST"])
@hr_only
def contest_decide(contest_id: int):
    """HR accepts or rejects a contest with an answer."""
    contest = _contest(contest_id)
    form = DecisionForm(request.form)
    if not form.validate():
        return _contest_page(contest, form), 400
    try:
        contests.decide(contest, current_user, form.decision.data == "accept", form.answer.data)
    except contests.SelfDecision:
        flash(_("Your own contest is decided by another HR officer."), "error")
    except contests.ContestError:
        flash(_("This contest is already decided."), "error")
    else:
        db.session.commit()
        flash(_("Decision recorded; the staff member sees it."), "success")
    return redirect(url_for("hr.contest_detail", contest_id=contest.id), code=303)


def _cap_reason(breach, version) -> str:
    if version.cap.of == CapBase.GOOD:
        return _("Refused: %(n)s staff members would be graded \"%(excellent)s\", but at most "
                 "%(limit)s may be (%(ratio)s percent of the %(base)s graded \"%(good)s\"). "
                 "Nothing was recorded.", n=breach.excellent,
                 excellent=GRADE_LABELS[Grade.EXCELLENT], limit=breach.limit,
                 ratio=f"{100 * version.cap.ratio:g}", base=breach.base,
                 good=GRADE_LABELS[Grade.GOOD])
    return _("Refused: %(n)s staff members would be graded \"%(excellent)s\", but at most "
             "%(limit)s may be (%(ratio)s percent of the %(base)s staff members graded). "
             "Nothing was recorded.", n=breach.excellent,
             excellent=GRADE_LABELS[Grade.EXCELLENT], limit=breach.limit,
             ratio=f"{100 * version.cap.ratio:g}", base=breach.base)


@bp.route("/decisions", methods=["GET", "POST"])
@readers
def grade_decisions():
    """The head of unit records each staff member's grade for the period, with the
    satisfaction input beside it; HR reads."""
    form, unit, period = _report_form()
    report = _report(unit, period)
    staff_ids = [line.staff_id for line in report.staff]
    # Nobody grades themselves: a head of unit who also serves is graded by the level above.
    gradable = [staff_id for staff_id in staff_ids if not current_user.is_staff(staff_id)]
    grade_form = grade_set_form(gradable, request.form if request.method == "POST" else None)
    refused = None
    if request.method == "POST":
        if current_user.role != Role.LEADER:
            abort(403)
        if grade_form.validate():
            grades = {staff_id: Grade(grade_form[f"grade_{staff_id}"].data)
                      for staff_id in gradable if grade_form[f"grade_{staff_id}"].data}
            try:
                decisions.record(unit.id, period, report.version, report.profile.key, grades,
                                 {line.staff_id: line.sub_score for line in report.staff},
                                 staff_ids, current_user, grade_form.note.data or "")
            except decisions.CapExceeded as error:
                refused = _cap_reason(error.breach, report.version)
            except decisions.DecisionError:
                refused = (_("No evaluation profile in force for this period.")
                           if report.version is None
                           else _("Choose a grade for at least one staff member."))
            else:
                db.session.commit()
                flash(_("Grades recorded for %(n)s staff members.", n=len(grades)), "success")
                return redirect(url_for("hr.grade_decisions", unit=unit.code,
                                        period=period.key()), code=303)
    return render_template("hr/decisions.html", form=form, grade_form=grade_form,
                           report=report, refused=refused, labels=labels,
                           can_decide=current_user.role == Role.LEADER,
                           args={"unit": unit.code, "period": period.key()}), (
        400 if refused else 200)


@bp.route("/method")
@login_required
def method():
    """How every number is computed, with the configured values."""
    settings = _settings()
    period = containing(PeriodKind.QUARTER, local_today())
    code = request.args.get("unit") or (current_user.unit.code if current_user.unit else "")
    profile = settings.profiles.for_unit(code)
    return render_template("hr/method.html",
                           sections=sections(settings, profile, profile.in_force(period)),
                           settings=settings)
