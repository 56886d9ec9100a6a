"""Administrators: set up centres, counters and staff, print QR posters, publish surveys."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import CombinedMultiDict
from wtforms.fields.choices import SelectChoice

from accounts.audit import AuditAction, AuditTarget
from accounts.audit_views import log_admin
from accounts.auth import admin_only, current_scope, in_scope_or_404
from accounts.services import display_names
from admin.forms import (
    AssignForm,
    CentreForm,
    CounterForm,
    PublishSurveyForm,
    RosterConfirmForm,
    RosterUploadForm,
    StaffForm,
)
from core.db import db, now_utc
from core.forms import ActionForm
from feedback.attribution import assign_retroactively
from feedback.cases import coverage, gap_text
from surveys import services
from surveys.defaults import QuestionSpec
from surveys.links import counter_url
from surveys.models import Centre, Counter, Staff, Unit
from surveys.qr import qr_png, qr_svg
from surveys.queries import (
    active_survey,
    centres_in_scope,
    communes_in_scope,
    staff_in_scope,
    staff_on_duty,
    survey_publications,
    survey_versions,
    unit_by_code,
    units_in_scope,
)
from surveys.rosters import (
    RosterFileError,
    apply_roster,
    check_roster,
    read_roster,
    rows_from_json,
    rows_to_json,
    template_bytes,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")



def counter_in_scope(counter_id: int) -> Counter:
    """The counter, if its centre's unit is in the administrator's scope (404 otherwise)."""
    return in_scope_or_404(Counter, counter_id, lambda counter: counter.centre.unit_id)


def _centre(centre_id: int) -> Centre:
    return in_scope_or_404(Centre, centre_id)


@bp.route("/")
@admin_only
def organisation():
    """Centres and counters in the administrator's scope, with who is on duty now; the duty
    selector starts on that person and marks people of another unit than the centre's. Units
    where a complaint would reach no leader (`coverage.gaps`) are listed first."""
    now = now_utc()
    centres = centres_in_scope(current_scope())
    on_duty = {c.id: staff_on_duty(c.id, now) for centre in centres for c in centre.counters}
    handler_gaps = [line for gap in coverage.gaps(current_scope(), now, current_user.staff_id)
                    for line in gap_text.gap_lines(gap)]
    return render_template("admin/organisation.html", centres=centres, on_duty=on_duty,
                           handler_gaps=handler_gaps, remedy=gap_text.remedy(),
                           staff=staff_in_scope(current_scope()), assign_form=AssignForm(),
                           action_form=ActionForm())


def _counter_qr_url(counter: Counter) -> str:
    url = counter_url(counter)
    if url is None:
        services.ensure_counter_token(counter)
        db.session.commit()
        url = counter_url(counter)
    return url


@bp.route("/counters/<int:counter_id>/qr.<any(png, svg):fmt>")
@admin_only
def counter_qr(counter_id: int, fmt: str):
    """The counter's QR code as a PNG or SVG download."""
    counter = counter_in_scope(counter_id)
    url = _counter_qr_url(counter)
    body, mimetype = (qr_png(url), "image/png") if fmt == "png" else (qr_svg(url), "image/svg+xml")
    name = f"qr-counter-{counter.id}.{fmt}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


def poster_instructions() -> list[tuple[str, str]]:
    """The one-line instruction in Vietnamese and English, whatever the page's language."""
    lines = []
    for lang in ("vi", "en"):
        with force_locale(lang):
            lines.append((lang, _("Scan to rate our service: under 30 seconds, no sign-in.")))
    return lines


def _poster(counter: Counter) -> dict:
    url = _counter_qr_url(counter)
    return {"counter": counter, "url": url, "svg": qr_svg(url).decode()}


@bp.route("/counters/<int:counter_id>/poster")
@admin_only
def counter_poster(counter_id: int):
    """A printable A5 poster for one counter."""
    counter = counter_in_scope(counter_id)
    return render_template("admin/posters.html", centre=counter.centre,
                           posters=[_poster(counter)], instructions=poster_instructions())


@bp.route("/centres/<int:centre_id>/posters")
@admin_only
def centre_posters(centre_id: int):
    """All posters of a centre on one print page, one A5 sheet each."""
    centre = _centre(centre_id)
    posters = [_poster(c) for c in centre.counters if c.active]
    return render_template("admin/posters.html", centre=centre, posters=posters,
                           instructions=poster_instructions())


@bp.route("/counters/<int:counter_id>/rotate", methods=["GET", "POST"])
@admin_only
def rotate_token(counter_id: int):
    """Ask to confirm, naming the centre and counter; then replace the counter's QR code (the
    old code then says it is no longer in use)."""
    counter = counter_in_scope(counter_id)
    if request.method == "GET":
        return render_template("admin/confirm_qr.html", counter=counter,
                               action_form=ActionForm())
    if not ActionForm(request.form).validate():
        abort(400)
    services.rotate_counter_token(counter)
    log_admin(AuditAction.QR_REPLACED, AuditTarget.COUNTER, counter.id, counter.centre.unit_id,
              f"{counter.centre.name} · {counter.label}")
    db.session.commit()
    flash(_("The QR code of %(counter)s (%(centre)s) was replaced. Print the new poster.",
            counter=counter.label, centre=counter.centre.name), "info")
    return redirect(url_for("admin.organisation"), code=303)


@bp.route("/counters/<int:counter_id>/assign", methods=["POST"])
@admin_only
def assign(counter_id: int):
    """Seat a staff member at the counter from now on."""
    counter = counter_in_scope(counter_id)
    form = AssignForm(request.form)
    form.staff.choices = [SelectChoice(s.id, s.full_name) for s in staff_in_scope(current_scope())]
    if not form.validate():
        abort(400)
    if not (counter.active and counter.centre.active):
        flash(_("This counter is not in operation; nobody can be put on duty there."), "error")
        return redirect(url_for("admin.organisation"), code=303)
    staff = db.session.get(Staff, form.staff.data)
    services.assign_staff(staff, counter)
    log_admin(AuditAction.CHANGED, AuditTarget.COUNTER, counter.id, counter.centre.unit_id,
              _("%(counter)s: %(name)s (%(code)s) on duty",
                counter=f"{counter.centre.name} · {counter.label}", name=staff.full_name,
                code=staff.code))
    db.session.commit()
    flash(_("%(name)s is now on duty at %(counter)s.", name=staff.full_name,
            counter=counter.label), "info")
    if staff.unit_id != counter.centre.unit_id:
        flash(_("Note: %(name)s belongs to %(unit)s, not to %(centre_unit)s of this centre. "
                "Check that this is intended.", name=staff.full_name, unit=staff.unit.name,
                centre_unit=counter.centre.unit.name), "warning")
    return redirect(url_for("admin.organisation"), code=303)


def _unit_choices() -> list[SelectChoice]:
    return [SelectChoice(u.id, f"{u.name} ({u.code})") for u in communes_in_scope(current_scope())]


def _create(form_class, title: str, create: Callable[..., Centre | Counter | Staff], done: str,
            **choices: list[SelectChoice]):
    """A "new …" page: the form (its select fields offered `choices`, by field name), and on a
    valid POST `create(form)`, logged and committed; a duplicate name or code shows the form
    again (409)."""
    form = form_class(request.form if request.method == "POST" else None)
    for name, offered in choices.items():
        form[name].choices = offered
    if request.method != "POST" or not form.validate():
        return render_template("admin/form.html", form=form, title=title)
    try:
        thing = create(form)
        _log_created(thing)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("Something with this name or code already exists."), "error")
        return render_template("admin/form.html", form=form, title=title), 409
    flash(done, "info")
    return redirect(url_for("admin.organisation"), code=303)


def _log_created(thing: Centre | Counter | Staff) -> None:
    if isinstance(thing, Centre):
        log_admin(AuditAction.CREATED, AuditTarget.CENTRE, thing.id, thing.unit_id, thing.name)
    elif isinstance(thing, Counter):
        log_admin(AuditAction.CREATED, AuditTarget.COUNTER, thing.id, thing.centre.unit_id,
                  f"{thing.centre.name} · {thing.label}")
    else:
        log_admin(AuditAction.CREATED, AuditTarget.STAFF, thing.id, thing.unit_id,
                  f"{thing.full_name} ({thing.code})")


@bp.route("/centres/new", methods=["GET", "POST"])
@admin_only
def new_centre():
    """Add a service centre."""
    return _create(CentreForm, _("New centre"), lambda form: services.create_centre(
        db.session.get(Unit, form.unit.data), form.name.data, form.address.data or ""),
        _("Centre added."), unit=_unit_choices())


@bp.route("/counters/new", methods=["GET", "POST"])
@admin_only
def new_counter():
    """Add a counter to a centre (it gets its QR code at once)."""
    return _create(CounterForm, _("New counter"), lambda form: services.create_counter(
        db.session.get(Centre, form.centre.data), form.label.data), _("Counter added."),
        centre=[SelectChoice(c.id, c.name) for c in centres_in_scope(current_scope()) if c.active])


@bp.route("/staff/new", methods=["GET", "POST"])
@admin_only
def new_staff():
    """Add a civil servant."""
    return _create(StaffForm, _("New staff member"), lambda form: services.create_staff(
        form.code.data, form.full_name.data, db.session.get(Unit, form.unit.data),
        form.position.data or ""), _("Staff member added."), unit=_unit_choices())


@bp.route("/staff/roster-template.xlsx")
@admin_only
def roster_template():
    """The empty staff roster with its Vietnamese headers."""
    return Response(template_bytes(), headers={
        "Content-Disposition": 'attachment; filename="danh-sach-can-bo.xlsx"'},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/staff/import", methods=["GET", "POST"])
@admin_only
def import_roster():
    """Upload a staff roster and preview every row with its errors; nothing is stored yet."""
    posted = request.method == "POST"
    form = RosterUploadForm(CombinedMultiDict((request.files, request.form)) if posted else None)
    form.unit.choices = _unit_choices()
    rows, bad, unit = [], [], None
    if posted and form.validate():
        unit = db.session.get(Unit, form.unit.data)
        try:
            rows = read_roster(form.roster.data.filename, form.roster.data.read())
        except RosterFileError as exc:
            form.roster.errors = [*form.roster.errors, exc.args[0]]
        else:
            bad = check_roster(rows, unit)
    confirm = RosterConfirmForm(unit=unit.id if unit else "", rows=rows_to_json(rows))
    return render_template("admin/roster_import.html", form=form, rows=rows, bad=bad,
                           unit=unit, confirm=confirm), 422 if bad else 200


@bp.route("/staff/import/confirm", methods=["POST"])
@admin_only
def confirm_roster():
    """Store a previewed roster: checked again, all rows or none."""
    form = RosterConfirmForm(request.form)
    if not form.validate():
        abort(400)
    unit = in_scope_or_404(Unit, int(form.unit.data), lambda unit: unit.id)
    try:
        rows = rows_from_json(form.rows.data)
    except RosterFileError:
        abort(400)
    if check_roster(rows, unit):
        db.session.rollback()
        flash(_("The roster no longer passes its checks (the data changed meanwhile); "
                "upload the file again. Nothing was stored."), "error")
        return redirect(url_for("admin.import_roster"), code=303)
    result = apply_roster(rows, seat=assign_retroactively)
    log_admin(AuditAction.IMPORTED, AuditTarget.ROSTER, None, unit.id, result.summary(len(rows)))
    db.session.commit()
    flash(_("Roster stored: %(summary)s.", summary=result.changes()), "info")
    return redirect(url_for("admin.organisation"), code=303)


def _survey_unit(code: str | None) -> Unit | None:
    """The unit whose survey is shown or published (None: the national default).

    Without a code: the national survey for an administrator of the whole country, else their
    own unit's. 404 for an unknown code; 403 for a unit outside the administrator's units, or
    the national survey for anyone but an administrator of the whole country.
    """
    scope = current_scope()
    if code is None:
        return None if scope is None else db.session.get(Unit, current_user.unit_id)
    unit = None
    if code:
        unit = unit_by_code(code)
        if unit is None:
            abort(404)
    if not services.may_publish_for(scope, unit.id if unit else None):
        abort(403)
    return unit


@bp.route("/surveys", methods=["GET", "POST"])
@admin_only
def surveys():
    """The survey a unit's counters ask (its own version, else the nearest unit's above it,
    else the national one), the versions and their publications, and a form to publish the
    unit's next version from the wording in use there."""
    posted = request.method == "POST"
    unit = _survey_unit((request.form if posted else request.args).get("unit"))
    unit_id = unit.id if unit else None
    current = active_survey(unit_id) or services.ensure_default_survey()
    if posted:
        form = PublishSurveyForm(request.form)
    else:
        form = PublishSurveyForm(data={"unit": unit.code if unit else "", "questions": [
            {"include": True, "required": q.required, "prompt_vi": q.prompt_vi,
             "prompt_en": q.prompt_en} for q in current.questions]})
    if posted and form.validate():
        specs = _specs_from_form(current, form)
        if specs is None:
            flash(_("Every asked question needs its wording in Vietnamese and English, and the "
                    "overall rating must stay."), "error")
        else:
            try:
                survey = services.publish_survey(specs, note=form.note.data, unit_id=unit_id,
                                                 scope=current_scope(),
                                                 published_by_id=current_user.id)
            except services.SurveyScopeError:
                abort(403)
            log_admin(AuditAction.PUBLISHED, AuditTarget.SURVEY, survey.id, unit_id,
                      _("version %(version)s: %(note)s", version=survey.version,
                        note=form.note.data))
            db.session.commit()
            if unit is None:
                flash(_("Survey version %(version)d is now in use.", version=survey.version),
                      "info")
            else:
                flash(_("Survey version %(version)d is now in use in %(unit)s.",
                        version=survey.version, unit=unit.name), "info")
            return redirect(url_for("admin.surveys", unit=unit.code if unit else ""), code=303)
    entries = list(zip(current.questions, form.questions.entries, strict=False))
    scope = current_scope()
    publications = survey_publications(scope)
    return render_template(
        "admin/surveys.html", form=form, current=current, entries=entries, unit=unit,
        units=units_in_scope(scope), national=scope is None,
        versions=survey_versions(scope), publications=publications,
        publishers=display_names({p.published_by_id for p in publications}))


def _specs_from_form(current, form) -> list[QuestionSpec] | None:
    specs = []
    for question, entry in zip(current.questions, form.questions.entries, strict=False):
        if not entry.include.data and question.code != "overall":
            continue
        if not entry.prompt_vi.data or not entry.prompt_en.data:
            return None
        specs.append(QuestionSpec(question.code, question.criterion, entry.prompt_vi.data,
                                  entry.prompt_en.data, required=bool(entry.required.data)))
    return specs if any(s.code == "overall" for s in specs) else None
