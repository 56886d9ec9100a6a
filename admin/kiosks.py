"""Administrators enrol and revoke the kiosks (tablets) of their counters."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from accounts.audit import AuditAction, AuditTarget
from accounts.audit_views import log_admin
from accounts.auth import admin_only, in_scope_or_404
from admin.views import counter_in_scope
from core.db import db
from core.forms import ActionForm, BaseForm
from core.text import clean_text
from surveys.channels.kiosks import Kiosk, create_kiosk, kiosks_of, revoke_kiosk
from surveys.links import public_base_url
from surveys.qr import qr_svg

bp = Blueprint("kiosk_admin", __name__, url_prefix="/admin")



class KioskForm(BaseForm):
    """A new kiosk for a counter."""

    label = StringField(_l("Name of the tablet"), filters=[clean_text],
                        validators=[InputRequired(message=_l("This field is required.")),
                                    Length(max=100)])


def _what(kiosk: Kiosk) -> str:
    """The kiosk as the administration log names it: its counter and its label."""
    return f"{kiosk.counter.centre.name} · {kiosk.counter.label}: {kiosk.label}"


@bp.route("/counters/<int:counter_id>/kiosks", methods=["GET", "POST"])
@admin_only
def kiosks(counter_id: int):
    """The counter's kiosks; a new one gets a one-time enrolment link shown only here."""
    counter = counter_in_scope(counter_id)
    form = KioskForm(request.form if request.method == "POST" else None)
    enrolment = None
    if request.method == "POST" and form.validate():
        valid_for = timedelta(minutes=current_app.config["KIOSK_ENROL_TTL_MINUTES"])
        created = create_kiosk(counter, form.label.data, valid_for)
        log_admin(AuditAction.CREATED, AuditTarget.KIOSK, created.kiosk.id,
                  counter.centre.unit_id, _what(created.kiosk))
        db.session.commit()
        url = public_base_url() + url_for("kiosk.enrol", code=created.code)
        enrolment = {"kiosk": created.kiosk, "url": url, "svg": qr_svg(url).decode(),
                     "minutes": current_app.config["KIOSK_ENROL_TTL_MINUTES"]}
        form = KioskForm()
    return render_template("admin/kiosks.html", counter=counter, kiosks=kiosks_of(counter),
                           form=form, enrolment=enrolment, action_form=ActionForm())


@bp.route("/kiosks/<int:kiosk_id>/revoke", methods=["POST"])
@admin_only
def revoke(kiosk_id: int):
    """Stop a kiosk (lost or replaced tablet); its key no longer opens the kiosk page."""
    kiosk = in_scope_or_404(Kiosk, kiosk_id, lambda kiosk: kiosk.counter.centre.unit_id)
    if not ActionForm(request.form).validate():
        abort(400)
    if kiosk.revoked_at is None:
        revoke_kiosk(kiosk)
        log_admin(AuditAction.DEACTIVATED, AuditTarget.KIOSK, kiosk.id,
                  kiosk.counter.centre.unit_id, _what(kiosk))
        db.session.commit()
    flash(_("The kiosk %(label)s was revoked.", label=kiosk.label), "info")
    return redirect(url_for("kiosk_admin.kiosks", counter_id=kiosk.counter_id), code=303)
