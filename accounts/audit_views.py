"""The administrators' audit log page, and the one helper admin views record entries with."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from accounts import audit
from accounts.audit import AuditAction, AuditTarget
from accounts.auth import roles_required, scoped_unit_ids
from accounts.models import Role
from core.forms import BaseForm, supported_day
from core.params import page_arg
from core.timeutil import local_midnight_utc
from surveys.queries import unit_tree_ids, units_in_scope

bp = Blueprint("audit", __name__, url_prefix="/admin")

ACTION_LABELS = {
    AuditAction.CREATED: _l("Created"),
    AuditAction.CHANGED: _l("Changed"),
    AuditAction.DEACTIVATED: _l("Deactivated"),
    AuditAction.REACTIVATED: _l("Put back in operation"),
    AuditAction.MOVED: _l("Moved"),
    AuditAction.MERGED: _l("Merged"),
    AuditAction.IMPORTED: _l("Imported"),
    AuditAction.QR_REPLACED: _l("Replaced the QR code"),
    AuditAction.PUBLISHED: _l("Published"),
    AuditAction.PASSWORD_RESET: _l("Reset the password"),
}
#: What deactivating and reactivating are called for an account.
ACCOUNT_ACTION_LABELS = {
    AuditAction.DEACTIVATED: _l("Disabled the account"),
    AuditAction.REACTIVATED: _l("Enabled the account"),
}
TARGET_LABELS = {
    AuditTarget.UNIT: _l("Unit"),
    AuditTarget.CENTRE: _l("Centre"),
    AuditTarget.COUNTER: _l("Counter"),
    AuditTarget.STAFF: _l("Staff member"),
    AuditTarget.USER: _l("Account"),
    AuditTarget.ROSTER: _l("Staff roster"),
    AuditTarget.SURVEY: _l("Survey"),
    AuditTarget.CASE_RULE: _l("What opens a case"),
    AuditTarget.ALERT_RULE: _l("Alert thresholds"),
    AuditTarget.KIOSK: _l("Kiosk"),
    AuditTarget.API_TOKEN: _l("Queue-system API token"),
}


def log_admin(action: AuditAction, target: AuditTarget, target_id: int | None,
              unit_id: int | None, what: str) -> None:
    """Record what the signed-in administrator just did on this page (committed with it)."""
    audit.record(current_user, action, target, target_id, unit_id, what, request.path)


class AuditFilterForm(BaseForm):
    """The log's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), coerce=lambda v: int(v) if v else None,
                       validators=[Optional()])
    date_from = DateField(_l("From (date)"), validators=[Optional(), supported_day])
    date_to = DateField(_l("To (date)"), validators=[Optional(), supported_day])


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    """What administrators did in the signed-in administrator's units, newest first."""
    scope = scoped_unit_ids(current_user)
    form = AuditFilterForm(request.args)
    form.unit.choices = [SelectChoice("", _l("All"))] + [
        SelectChoice(u.id, f"{u.name} ({u.code})") for u in units_in_scope(scope)]
    valid = form.validate()
    unit_ids = start = end = None
    if valid and form.unit.data:
        unit_ids = set(unit_tree_ids(form.unit.data))
    if valid and form.date_from.data:
        start = local_midnight_utc(form.date_from.data)
    if valid and form.date_to.data:
        end = local_midnight_utc(form.date_to.data + timedelta(days=1))
    page = audit.entries(scope, unit_ids=unit_ids, start=start, end=end, page=page_arg(),
                         per_page=current_app.config["CASES_PER_PAGE"])
    args = {k: v for k, v in request.args.items() if k != "page" and valid}
    return render_template("admin/audit.html", page=page, form=form, args=args,
                           actions=ACTION_LABELS, account_actions=ACCOUNT_ACTION_LABELS,
                           targets=TARGET_LABELS), 200 if valid else 400
