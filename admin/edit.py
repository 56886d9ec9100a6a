"""Administrators change what was set up: edit, deactivate and reactivate centres, counters and
staff, move a counter to another centre, and record mergers of units. Every change is written
to the administration log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import npgettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from accounts.audit import AuditAction, AuditTarget
from accounts.audit_views import log_admin
from accounts.auth import admin_only, current_scope, in_scope_or_404
from admin.forms import CentreEditForm, CounterEditForm, MergerForm, MoveCounterForm, StaffEditForm
from core.dates import day_text
from core.db import db, now_utc
from core.forms import ActionForm
from core.timeutil import local_today
from feedback.counter_moves import move_counter
from surveys.editing import record_merger, set_active
from surveys.models import Centre, Counter, Staff, Unit
from surveys.queries import centres_in_scope, communes_in_scope, units_in_scope
from surveys.services import OrganisationError

bp = Blueprint("admin_edit", __name__, url_prefix="/admin")


#: URL segment → (model, log target, unit of the thing, its name in the log).
KINDS = {
    "centres": (Centre, AuditTarget.CENTRE, lambda c: c.unit_id, lambda c: c.name),
    "counters": (Counter, AuditTarget.COUNTER, lambda c: c.centre.unit_id,
                 lambda c: f"{c.centre.name} · {c.label}"),
    "staff": (Staff, AuditTarget.STAFF, lambda s: s.unit_id,
              lambda s: f"{s.full_name} ({s.code})"),
}


def _thing(kind: str, thing_id: int):
    model, _target, unit_of, _name = KINDS[kind]
    return in_scope_or_404(model, thing_id, unit_of)


def _unit_choices() -> list[SelectChoice]:
    return [SelectChoice(u.id, f"{u.name} ({u.code})") for u in units_in_scope(current_scope())]


def _posted(form_class, **data):
    return form_class(request.form) if request.method == "POST" else form_class(data=data)


def _save_edit(kind: str, thing, changes: str, page: str, **context):
    """Commit an edit and log it; a duplicate name or label shows the page again (409)."""
    _model, target, unit_of, name = KINDS[kind]
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        flash(_("Something with this name or code already exists."), "error")
        return _status_page(page, 409, **context)
    if changes:
        log_admin(AuditAction.CHANGED, target, thing.id, unit_of(thing),
                  f"{name(thing)}: {changes}")
    db.session.commit()
    flash(_("Changes saved."), "info")
    return redirect(_list_of(kind), code=303)


def _list_of(kind: str) -> str:
    return url_for("admin_edit.staff_list" if kind == "staff" else "admin.organisation")


def _diff(thing, form, fields: tuple[str, ...]) -> str:
    """Apply the form's fields to the thing; what changed, as "Field label: old → new" in the
    page's language."""
    changes = []
    for field in fields:
        old, new = getattr(thing, field), getattr(form, field).data or ""
        if old != new:
            changes.append(f"{getattr(form, field).label.text}: {old} → {new}")
            setattr(thing, field, new)
    return "; ".join(changes)


def _status_page(template: str, status: int | None = None, **context):
    """The page; a post that comes back to it was refused (400) unless told otherwise."""
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render_template(template, action_form=ActionForm(), **context), status


@bp.route("/centres/<int:centre_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_centre(centre_id: int):
    """Rename a centre or change its address; deactivate or reactivate it."""
    centre = _thing("centres", centre_id)
    form = _posted(CentreEditForm, name=centre.name, address=centre.address)
    if request.method == "POST" and form.validate():
        return _save_edit("centres", centre, _diff(centre, form, ("name", "address")),
                          "admin/edit_centre.html", centre=centre, form=form)
    return _status_page("admin/edit_centre.html", centre=centre, form=form)


def _move_form(counter: Counter, posted: bool = False) -> MoveCounterForm:
    form = MoveCounterForm(request.form) if posted else MoveCounterForm(
        data={"effective_on": local_today()})
    form.centre.choices = [SelectChoice(c.id, f"{c.name} — {c.unit.name}")
                           for c in centres_in_scope(current_scope())
                           if c.id != counter.centre_id and c.active]
    return form


def _counter_page(counter: Counter, form, move_form, status: int | None = None):
    return _status_page("admin/edit_counter.html", status, counter=counter, form=form,
                        move_form=move_form)


@bp.route("/counters/<int:counter_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_counter(counter_id: int):
    """Change a counter's label; deactivate, reactivate or move it."""
    counter = _thing("counters", counter_id)
    form = _posted(CounterEditForm, label=counter.label)
    move_form = _move_form(counter)
    if request.method == "POST" and form.validate():
        return _save_edit("counters", counter, _diff(counter, form, ("label",)),
                          "admin/edit_counter.html", counter=counter, form=form,
                          move_form=move_form)
    return _counter_page(counter, form, move_form)


@bp.route("/counters/<int:counter_id>/move", methods=["POST"])
@admin_only
def move(counter_id: int):
    """Move a counter to another centre from a date (history before it stays behind)."""
    counter = _thing("counters", counter_id)
    form = _move_form(counter, posted=True)
    if not form.validate():
        return _counter_page(counter, CounterEditForm(data={"label": counter.label}), form, 400)
    centre = db.session.get(Centre, form.centre.data)
    old_name = counter.centre.name
    try:
        done = move_counter(counter, centre, form.effective_on.data, local_today(), current_scope())
    except OrganisationError as exc:
        db.session.rollback()
        form.effective_on.errors = [str(exc.args[0])]
        return _counter_page(counter, CounterEditForm(data={"label": counter.label}), form, 409)
    what = _("%(counter)s: %(old)s → %(new)s from %(day)s; %(moved)s", counter=counter.label,
             old=old_name, new=centre.name, day=day_text(form.effective_on.data),
             moved=npgettext("with the counter", "%(num)d response moved",
                             "%(num)d responses moved", done.responses_moved))
    for unit_id in {done.old_centre.unit_id, centre.unit_id}:
        log_admin(AuditAction.MOVED, AuditTarget.COUNTER, counter.id, unit_id, what)
    db.session.commit()
    flash(_("%(counter)s now belongs to %(centre)s from %(day)s. Responses before that day stay "
            "with %(old)s.", counter=counter.label, centre=centre.name,
            day=form.effective_on.data.strftime("%d/%m/%Y"), old=old_name), "info")
    return redirect(url_for("admin.organisation"), code=303)


@bp.route("/staff")
@admin_only
def staff_list():
    """Every civil servant of the administrator's units, in operation or not."""
    scope = current_scope()
    query = select(Staff).order_by(Staff.active.desc(), Staff.full_name)
    if scope is not None:
        query = query.where(Staff.unit_id.in_(scope))
    return _status_page("admin/staff_list.html", staff=db.session.execute(query).scalars().all())


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_staff(staff_id: int):
    """Change a civil servant's name, job position or unit; deactivate or reactivate them."""
    staff = _thing("staff", staff_id)
    form = _posted(StaffEditForm, unit=staff.unit_id, full_name=staff.full_name,
                   position=staff.position)
    form.unit.choices = _unit_choices()
    if request.method == "POST" and form.validate():
        changes = _diff(staff, form, ("full_name", "position"))
        if form.unit.data != staff.unit_id:
            unit = db.session.get(Unit, form.unit.data)
            changes = "; ".join(filter(None, [
                changes, f"{form.unit.label.text}: {staff.unit.code} → {unit.code}"]))
            staff.unit = unit
        return _save_edit("staff", staff, changes, "admin/edit_staff.html", staff=staff,
                          form=form)
    return _status_page("admin/edit_staff.html", staff=staff, form=form)


@bp.route("/<any(centres, counters, staff):kind>/<int:thing_id>/"
          "<any(deactivate, reactivate):action>", methods=["POST"])
@admin_only
def set_status(kind: str, thing_id: int, action: str):
    """Deactivate (stop taking responses, end who is on duty) or reactivate a centre, counter
    or staff member; nothing is deleted."""
    thing = _thing(kind, thing_id)
    if not ActionForm(request.form).validate():
        abort(400)
    active = action == "reactivate"
    if thing.active != active:
        set_active(thing, active, now_utc())
        _model, target, unit_of, name = KINDS[kind]
        log_admin(AuditAction.REACTIVATED if active else AuditAction.DEACTIVATED, target,
                  thing.id, unit_of(thing), name(thing))
        db.session.commit()
    flash(_("%(name)s is in operation again.", name=KINDS[kind][3](thing)) if active else
          _("%(name)s no longer takes responses. Its history is kept.",
            name=KINDS[kind][3](thing)), "info")
    return redirect(_list_of(kind), code=303)


def _merger_form(posted: bool) -> MergerForm:
    form = MergerForm(request.form) if posted else MergerForm()
    choices = [SelectChoice(u.id, f"{u.name} ({u.code})")
               for u in communes_in_scope(current_scope())]
    form.old_units.choices = choices
    form.successor.choices = choices
    return form


def _merged_units() -> list[Unit]:
    scope = current_scope()
    query = select(Unit).where(Unit.successor_id.is_not(None)).order_by(Unit.valid_to.desc(),
                                                                        Unit.name)
    if scope is not None:
        query = query.where(Unit.id.in_(scope))
    return list(db.session.execute(query).scalars())


@bp.route("/units", methods=["GET", "POST"])
@admin_only
def units():
    """The units in force, the mergers recorded, and a form to record a merger."""
    posted = request.method == "POST"
    form = _merger_form(posted)
    status = None
    if posted and form.validate():
        olds = [db.session.get(Unit, unit_id) for unit_id in form.old_units.data]
        successor = db.session.get(Unit, form.successor.data)
        try:
            record_merger(olds, successor, form.first_day.data, current_scope())
        except OrganisationError as exc:
            db.session.rollback()
            form.old_units.errors = [str(exc.args[0])]
            status = 409
        else:
            what = ", ".join(f"{u.name} ({u.code})" for u in olds)
            log_admin(AuditAction.MERGED, AuditTarget.UNIT, successor.id, successor.id,
                      _("%(old)s → %(new)s from %(day)s", old=what,
                        new=f"{successor.name} ({successor.code})",
                        day=day_text(form.first_day.data)))
            db.session.commit()
            flash(_("The merger was recorded: reports on %(unit)s now include the history of the "
                    "old units.", unit=successor.name), "info")
            return redirect(url_for("admin_edit.units"), code=303)
    return _status_page("admin/units.html", status, form=form,
                        units=units_in_scope(current_scope()), merged=_merged_units())
