"""Dashboards at /dashboard (signed in, scoped by role) and the public board at /board/<token>.

Roles: admin, leader and hr see their unit, the units below it and the units merged into them
(a filter outside that answers 404); staff see only their own numbers — no rankings of others
and no comments (which could identify the citizen who rated them) — and any filter pointing at
someone or somewhere else answers 403. Filters live in the query string, so a view can be
bookmarked and shared with anyone who has the same access.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select
from wtforms.fields.choices import SelectChoice

from accounts.auth import admin_only, in_scope_or_404, roles_required, scoped_unit_ids
from accounts.models import Role
from core.db import db, now_utc
from core.forms import ActionForm
from core.params import id_arg
from core.timeutil import local_today
from feedback import access_log
from feedback.dashboard import board as boards
from feedback.dashboard import figures, subject, warm
from feedback.dashboard.exports import MIMETYPES, table_csv, table_xlsx
from feedback.dashboard.fold import fold_all
from feedback.dashboard.forms import FilterForm
from feedback.dashboard.models import RatingMonth
from feedback.dashboard.queries import Scope
from feedback.dashboard.report import (
    Options,
    Report,
    cached_report,
    criterion_codes,
    full_ranking,
    without_comments_about,
)
from feedback.dashboard.scopes import Filters, Resolved, ScopeError, resolve, staff_choices
from feedback.dashboard.tables import build_tables, display, not_enough, ranking_table
from feedback.models import AccessKind
from feedback.models import Response as FeedbackResponse
from feedback.periods import (
    Period,
    PeriodError,
    PeriodKind,
    containing,
    last_full_month,
    parse_period,
)
from feedback.standards.config import current_scheme
from feedback.standards.dashboard import dashboard_ratios, targets_text
from surveys.defaults import criterion_name
from surveys.models import Centre, ProcedureArea
from surveys.queries import centres_in_scope, communes_in_scope

bp = Blueprint("dashboard", __name__)


@bp.before_request
def _fold_first() -> None:
    """Every page here reads the rollups: the responses still waiting for the fold are added
    first (one read when none waits), so that no dashboard, chart, export or board is behind."""
    fold_all()


viewers = roles_required(Role.ADMIN, Role.LEADER, Role.HR, Role.STAFF)
FILTER_KEYS = ("unit", "centre", "counter", "staff", "area")
#: Staff lists longer than this are not offered in the filter (use the ranking's links).
STAFF_CHOICES_MAX = 300


@dataclass(frozen=True)
class View:
    """One dashboard request: what it covers, for which period, with which options."""

    scope: Scope
    period: Period
    options: Options
    resolved: Resolved | None
    args: dict[str, str]

    def url(self, endpoint: str, **changes) -> str:
        """A URL of this view's filters with some changed (None removes one)."""
        args = {**self.args, **changes}
        return url_for(endpoint, **{k: v for k, v in args.items() if v not in (None, "")})


def _allowed_units() -> frozenset[int] | None:
    """The signed-in user's units (None: all), computed once per request."""
    if "dashboard_units" not in g:
        allowed = scoped_unit_ids(current_user)
        g.dashboard_units = frozenset(allowed) if allowed is not None else None
    return g.dashboard_units


def _period() -> Period:
    text = request.args.get("period", "")
    if not text:
        return last_full_month()
    try:
        return parse_period(text)
    except PeriodError:
        abort(400)


def _about_viewer(resolved) -> bool:
    """Whether the view is of the viewer's own staff record (a staff member, or a leader or
    HR officer who also serves at a counter): `subject` decides what it may show."""
    return resolved is not None and resolved.staff is not None \
        and resolved.staff.id == current_user.staff_id


def _view() -> View:
    period = _period()
    options = Options.of(current_app.config)
    area_code = request.args.get("area") or None
    if current_user.role == Role.STAFF:
        own = current_user.staff
        asked_staff = request.args.get("staff")
        if own is None or any(request.args.get(k) for k in ("unit", "centre", "counter")) or \
                asked_staff not in (None, "", own.code):
            abort(403)
        try:
            resolved = resolve(Filters(area=area_code), None, None)
        except ScopeError:
            abort(404)
        scope = replace(resolved.scope, staff_id=own.id)
        resolved = replace(resolved, scope=scope, staff=own)
    else:
        allowed = _allowed_units()
        filters = Filters(unit=request.args.get("unit") or None, centre=id_arg("centre"),
                          counter=id_arg("counter"), staff=request.args.get("staff") or None,
                          area=area_code)
        try:
            resolved = resolve(filters, allowed, current_user.unit_id)
            if resolved.centre and resolved.counter and \
                    resolved.counter.centre_id != resolved.centre.id:
                # another centre was chosen (the form sent without JavaScript): its counters
                resolved = resolve(replace(filters, counter=None), allowed, current_user.unit_id)
        except ScopeError:
            abort(404)
        scope = resolved.scope
    if _about_viewer(resolved):  # a staff member's own numbers, whatever their role
        if not subject.shown_to_subject(period, local_today()):
            raise subject.PeriodNotShown()
        options = replace(options, rankings=(), comments=0, heatmap=False)
    args = {key: request.args.get(key, "") for key in FILTER_KEYS}
    if resolved.counter is None:
        args["counter"] = ""
    args["period"] = period.key()
    return View(scope, period, options, resolved, args)


def _report(view: View) -> Report:
    """The view's report, without the comments about the viewer (when they serve too)."""
    return without_comments_about(cached_report(view.scope, view.period, view.options),
                                  current_user.staff_id)


def _title(view: View) -> str:
    r = view.resolved
    parts = [x for x in (
        r.unit.name if r and r.unit else None,
        r.centre.name if r and r.centre else None,
        r.counter.label if r and r.counter else None,
        r.staff.full_name if r and r.staff else None,
        r.area.name(str(get_locale())) if r and r.area else None) if x]
    return " · ".join(parts) or _("All units")


def _filter_form(view: View) -> FilterForm:
    form = FilterForm(data=view.args)
    empty = SelectChoice("", _("All"))
    if current_user.role == Role.STAFF:
        form.unit.choices = form.centre.choices = form.counter.choices = [empty]
        form.staff.choices = [SelectChoice(current_user.staff.code,
                                           current_user.staff.full_name)]
    else:
        allowed = _allowed_units()
        unit_ids = set(view.scope.unit_ids) if view.scope.unit_ids is not None else None
        form.unit.choices = [SelectChoice("", _("My unit"))] + [
            SelectChoice(u.code, u.name) for u in communes_in_scope(allowed)]
        form.centre.choices = [empty] + [SelectChoice(str(c.id), c.name)
                                         for c in centres_in_scope(unit_ids)]
        centre = view.resolved.centre if view.resolved else None
        form.counter.choices = [empty] + ([SelectChoice(str(c.id), c.label)
                                           for c in centre.counters] if centre else [])
        people = staff_choices(unit_ids, STAFF_CHOICES_MAX)
        chosen = view.resolved.staff if view.resolved else None
        if chosen and chosen.code not in {code for code, _name in people}:
            people.append((chosen.code, chosen.full_name))
        form.staff.choices = [empty] + [SelectChoice(code, f"{name} ({code})")
                                         for code, name in people]
    locale = str(get_locale())
    form.area.choices = [empty] + [
        SelectChoice(a.code, a.name(locale))
        for a in db.session.execute(select(ProcedureArea).order_by(ProcedureArea.code)).scalars()]
    return form


def _period_links(view: View) -> list[tuple[str, str]]:
    today = local_today()
    links = [(_("Previous period"), view.period.previous()),
             (_("Next period"), view.period.following())]
    links += [(_("Last month"), last_full_month())]
    links += [(label, containing(kind, today)) for label, kind in (
        (_("Today"), PeriodKind.DAY), (_("This week"), PeriodKind.WEEK),
        (_("This month"), PeriodKind.MONTH), (_("This quarter"), PeriodKind.QUARTER),
        (_("This year"), PeriodKind.YEAR))]
    if _about_viewer(view.resolved):
        links = [(label, period) for label, period in links
                 if subject.shown_to_subject(period, today)]
    return [(label, view.url("dashboard.index", period=period.key())) for label, period in links]


def _drill_link(view: View, kind: str, row) -> str:
    """The dashboard of one ranked ward, centre, counter or staff member."""
    if kind in ("unit", "staff"):
        return view.url("dashboard.index", **{kind: row.detail})
    return view.url("dashboard.index", **{kind: row.key})


def _ranking_rows(view: View, report: Report, tables: dict, name: str) -> dict:
    """For a ranking chart: the table rows listed on the page and the links of their names."""
    if not name.startswith("ranking-"):
        return {"rows": None, "links": None, "total": None}
    kind = name.removeprefix("ranking-")
    ranking = report.rankings[kind]
    return {"rows": tables[name].rows,
            "links": [_drill_link(view, kind, row) for row in ranking.shown],
            "total": ranking.total}


def _rollups_missing() -> bool:
    return bool(db.session.execute(select(exists().where(FeedbackResponse.id > 0))).scalar()) \
        and not db.session.execute(select(exists().where(RatingMonth.v1 >= 0))).scalar()


def _note_view(view: View) -> None:
    """A unit's dashboard as its leaders see it (no finer filter, the usual options) is noted,
    so that it is drawn ahead when its data change (`warm.note_view`)."""
    r = view.resolved
    if r and r.unit and not (r.centre or r.counter or r.staff or r.area) \
            and view.options == Options.of(current_app.config):
        warm.note_view(r.unit.code, view.period, str(get_locale()))


@bp.route("/dashboard")
@viewers
def index():
    """The dashboard of the chosen scope and period."""
    view = _view()
    report = _report(view)
    tables = build_tables(report)
    chart_names = figures.available(report)
    charts_info = [{
        "name": name, "table": tables[figures.CHART_TABLE[name]],
        "svg": view.url("dashboard.chart", name=name, fmt="svg"),
        "png": view.url("dashboard.chart", name=name, fmt="png"),
        "alt": figures.alt_text(name, report, tables[figures.CHART_TABLE[name]]),
        **_ranking_rows(view, report, tables, name),
    } for name in chart_names]
    if current_user.role == Role.ADMIN and _rollups_missing():
        flash(_("The summary tables are empty: run “flask dashboard rebuild-rollups”."), "error")
    _note_view(view)
    scheme = current_scheme()
    ratios766 = None if current_user.role == Role.STAFF else dashboard_ratios(
        view.scope, view.period, scheme, report.overall.tally if report.overall else None)
    return render_template(
        "dashboard/index.html", view=view, report=report, tables=tables, charts=charts_info,
        ratios766=ratios766, targets=targets_text(scheme),
        title=_title(view), form=_filter_form(view), period_links=_period_links(view),
        display=display, not_enough=not_enough(), criteria=tables["criteria"],
        unranked=[tables[f"ranking-{kind}"] for kind in report.rankings
                  if f"ranking-{kind}" not in chart_names])


@bp.route("/dashboard/chart/<name>.<any(svg, png):fmt>")
@viewers
def chart(name: str, fmt: str):
    """One chart of the view as SVG (for the page) or PNG (to download). Cached by what it
    draws: a new response redraws only the charts whose values it changed; the digest is also
    the ETag, so a browser holding the same chart gets 304."""
    if name not in figures.DRAWERS:  # before any work: a name no chart has
        abort(404)
    view = _view()
    report = _report(view)
    if name not in figures.available(report):
        abort(404)
    plot = figures.DRAWERS[name](report)
    digest = plot.digest()
    body = figures.rendered(plot, fmt, str(get_locale()))
    response = Response(body, mimetype="image/svg+xml" if fmt == "svg" else "image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.set_etag(f"{digest}-{fmt}")
    if fmt == "svg":
        # An image document: matplotlib's inline styles, nothing that can run.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    else:
        response.headers["Content-Disposition"] = \
            f'attachment; filename="{name}-{view.period.key()}.png"'
    return response.make_conditional(request)


@bp.route("/dashboard/export/<name>.<any(csv, xlsx):fmt>")
@viewers
def export(name: str, fmt: str):
    """One table of the view as CSV or XLSX, with headers in the current language."""
    view = _view()
    report = _report(view)
    tables = build_tables(report)
    if name not in tables:
        abort(404)
    if name.startswith("ranking-"):
        kind = name.removeprefix("ranking-")
        tables[name] = ranking_table(kind, full_ranking(view.scope, view.period, view.options,
                                                        kind))
    if name == "comments":
        access_log.record(current_user, AccessKind.EXPORT, current_user.unit_id,
                          f"dashboard-comments {view.period.key()} {fmt}")
        db.session.commit()
    body = table_csv(tables[name]) if fmt == "csv" else table_xlsx(tables[name])
    response = Response(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{name}-{view.period.key()}.{fmt}"'
    return response


@bp.route("/dashboard/boards")
@admin_only
def boards_list():
    """Centres in the administrator's scope with their public board links."""
    allowed = scoped_unit_ids(current_user)
    return render_template("dashboard/boards.html", centres=centres_in_scope(allowed),
                           action_form=ActionForm())


def _admin_centre(centre_id: int) -> Centre:
    centre = in_scope_or_404(Centre, centre_id)
    form = ActionForm(request.form)
    if not form.validate():
        abort(400)
    return centre


@bp.route("/dashboard/boards/<int:centre_id>/publish", methods=["POST"])
@admin_only
def publish_board(centre_id: int):
    """Create or replace a centre's board address."""
    boards.publish_board(_admin_centre(centre_id))
    db.session.commit()
    flash(_("The board has a new address; the old one no longer works."), "success")
    return redirect(url_for("dashboard.boards_list"), code=303)


@bp.route("/dashboard/boards/<int:centre_id>/staff-names", methods=["POST"])
@admin_only
def board_staff_names(centre_id: int):
    """Switch staff names on the centre's board on or off (the centre's opt-in)."""
    centre = _admin_centre(centre_id)
    boards.set_board_staff_names(centre, not centre.board_show_staff)
    db.session.commit()
    flash(_("Staff names are now shown on the board.") if centre.board_show_staff
          else _("Staff names are no longer shown on the board."), "success")
    return redirect(url_for("dashboard.boards_list"), code=303)


@bp.route("/board/<token>")
def board(token: str):
    """A centre's public board: today's and this month's satisfaction; refreshes itself."""
    centre = boards.find_board(token)
    if centre is None:
        abort(404)
    options = Options.of(current_app.config)
    numbers = boards.board_numbers(centre, criterion_codes([centre.unit_id]),
                                   options.min_responses, now_utc())
    response = Response(render_template(
        "dashboard/board.html", centre=centre, board=numbers, display=display,
        criterion_name=criterion_name,
        not_enough=not_enough(), refresh=current_app.config["BOARD_REFRESH_SECONDS"],
        today=local_today()))
    response.headers["Cache-Control"] = "no-store"
    return response
