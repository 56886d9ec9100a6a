"""Administrators manage the back-office accounts of their units: list, create, change role and
unit, disable and enable, reset a password. Accounts of other units answer 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from accounts import management
from accounts.audit import AuditAction, AuditTarget
from accounts.audit_views import log_admin
from accounts.auth import admin_only, current_scope
from accounts.forms import ROLE_LABELS, UserCreateForm, UserEditForm
from accounts.models import Role, User
from accounts.services import AccountError, find_user
from core.db import db
from core.forms import ActionForm
from surveys.models import Staff, Unit
from surveys.queries import units_in_scope

bp = Blueprint("users", __name__, url_prefix="/admin/users")



def _managed(user_id: int) -> User:
    """The account, if the signed-in administrator manages it (404 otherwise)."""
    user = db.get_or_404(User, user_id)
    if not management.may_manage(current_scope(), user):
        abort(404)
    return user


def _fill(form: UserEditForm) -> UserEditForm:
    scope = current_scope()
    national = [SelectChoice("", _("— Whole country —"))] if scope is None else []
    form.unit.choices = national + [SelectChoice(u.id, f"{u.name} ({u.code})")
                                    for u in units_in_scope(scope)]
    return form


def _placement(form: UserEditForm) -> tuple[Role, Unit | None, Staff | None] | None:
    """The role, unit and staff record the form names; None (with the field's error) when the
    staff code is unknown."""
    unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
    staff = None
    if form.staff_code.data:
        staff = db.session.execute(
            select(Staff).where(Staff.code == form.staff_code.data)).scalar_one_or_none()
        if staff is None:
            form.staff_code.errors = [_("No staff member has this code.")]
            return None
    return Role(form.role.data), unit, staff


def _what(user: User) -> str:
    """The account as the administration log names it, its role in the page's language, and
    the staff record it is linked to (whose responses and cases it must not handle)."""
    unit = user.unit.code if user.unit else "-"
    staff = f", {user.staff.code}" if user.staff else ""
    return f"{user.username} ({ROLE_LABELS[user.role]}, {unit}{staff})"


@bp.route("/")
@admin_only
def user_list():
    """The accounts of the administrator's units."""
    return render_template("admin/users.html", users=management.users_in_scope(current_scope()),
                           roles=ROLE_LABELS, action_form=ActionForm())


def _password_page(user: User, password: str, created: bool):
    return render_template("admin/user_password.html", user=user, password=password,
                           created=created)


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def new_user():
    """Create an account; its temporary password is shown once."""
    form = _fill(UserCreateForm(request.form if request.method == "POST" else None))
    if request.method == "POST" and form.validate():
        placement = _placement(form)
        if find_user(form.username.data) is not None:
            form.username.errors = [_("This username is already taken.")]
        elif placement is not None:
            try:
                user, password = management.create_managed_user(
                    current_scope(), form.username.data, *placement, form.email.data,
                    full_name=form.full_name.data)
            except AccountError as exc:
                db.session.rollback()
                flash(str(exc.args[0]), "error")
            except IntegrityError:  # created by another request a moment ago
                db.session.rollback()
                form.username.errors = [_("This username is already taken.")]
                return render_template("admin/user_form.html", form=form, user=None), 409
            else:
                log_admin(AuditAction.CREATED, AuditTarget.USER, user.id, user.unit_id,
                          _what(user))
                db.session.commit()
                return _password_page(user, password, created=True)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int):
    """Change an account's role, unit, staff record or e-mail."""
    user = _managed(user_id)
    if request.method == "POST":
        form = _fill(UserEditForm(request.form))
    else:
        form = _fill(UserEditForm(data={
            "role": user.role.value, "unit": user.unit_id, "email": user.email or "",
            "full_name": user.full_name or "",
            "staff_code": user.staff.code if user.staff else ""}))
    if request.method == "POST" and form.validate():
        placement = _placement(form)
        if placement is not None:
            before = _what(user)
            try:
                changed = management.change_user(current_scope(), user, *placement, form.email.data,
                                                 full_name=form.full_name.data)
            except AccountError as exc:
                db.session.rollback()
                flash(str(exc.args[0]), "error")
            else:
                if changed:
                    log_admin(AuditAction.CHANGED, AuditTarget.USER, user.id, user.unit_id,
                              f"{before} → {_what(user)}")
                db.session.commit()
                flash(_("Changes saved."), "info")
                return redirect(url_for("users.user_list"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user,
                           action_form=ActionForm()), status


def _acted_on(user_id: int) -> User:
    user = _managed(user_id)
    if not ActionForm(request.form).validate():
        abort(400)
    if user.id == current_user.id:
        abort(403)
    return user


@bp.route("/<int:user_id>/<any(disable, enable):action>", methods=["POST"])
@admin_only
def set_active(user_id: int, action: str):
    """Disable an account (its sessions end at once) or enable it again."""
    user = _acted_on(user_id)
    active = action == "enable"
    if user.active != active:
        management.set_user_active(user, active)
        log_admin(AuditAction.REACTIVATED if active else AuditAction.DEACTIVATED,
                  AuditTarget.USER, user.id, user.unit_id, _what(user))
        db.session.commit()
    flash(_("%(user)s can sign in again.", user=user.username) if active else
          _("%(user)s is disabled and was signed out everywhere.", user=user.username), "info")
    return redirect(url_for("users.user_list"), code=303)


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
@admin_only
def reset_password(user_id: int):
    """Give the account a temporary password, shown once; the user must choose a new one."""
    user = _acted_on(user_id)
    password = management.reset_password(user)
    log_admin(AuditAction.PASSWORD_RESET, AuditTarget.USER, user.id, user.unit_id, _what(user))
    db.session.commit()
    return _password_page(user, password, created=False)
