"""The one-time survey link printed on a queue ticket: one visit, one response.

The link shows the usual survey form; the first valid answer is stored as a verified visit
(channel "ticket", linked to the visit, which records the ticket number). Any later use shows
"already answered, thank you"; an unused link expires after VISIT_TOKEN_TTL_HOURS.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from core.db import db, now_utc
from core.forms import BaseForm
from core.ratelimit import ensure_device_id
from feedback.intake.submission import citizen_form, form_submission, store_once, take_reference
from feedback.models import Channel, Response
from feedback.reason_step import reason_step
from surveys.channels.visits import Visit, counters_for_visit, visit_for_token
from surveys.defaults import RATING_SCALE
from surveys.forms import make_response_form
from surveys.queries import active_survey, procedure_areas_for, staff_on_duty

bp = Blueprint("visits", __name__)


class ServedAtForm(BaseForm):
    """Which counter served the citizen, asked only when the queue system did not say."""

    class Meta:
        csrf = False

    counter = SelectField(_l("Which counter served you?"), coerce=int, validate_choice=True,
                          validators=[InputRequired(message=_l("Please choose one answer."))])


def _answered(visit: Visit) -> bool:
    return db.session.execute(
        select(Response.id).where(Response.visit_id == visit.id)
    ).first() is not None


def _load(token: str) -> Visit:
    visit = visit_for_token(token)
    if visit is None:
        abort(404)
    return visit


@bp.route("/v/<token>", methods=["GET", "POST"])
@citizen_form
def respond(token: str):
    """The survey of one visit; stores the first valid answer, then says it was answered."""
    visit = _load(token)
    if _answered(visit):
        return render_template("visits/answered.html", centre=visit.centre)
    counters = counters_for_visit(visit)
    survey = active_survey(visit.centre.unit_id)
    if visit.expires_at <= now_utc() or not counters or survey is None:
        return render_template("visits/expired.html", centre=visit.centre), 410
    locale = str(get_locale())
    formdata = request.form if request.method == "POST" else None
    form = make_response_form(survey, procedure_areas_for(counters[0]), locale, formdata)
    served_at = None
    if len(counters) > 1:
        served_at = ServedAtForm(formdata)
        served_at.counter.choices = [SelectChoice(c.id, c.label) for c in counters]
    if formdata is None and visit.procedure_area_id is not None:
        form.procedure_area.data = str(visit.procedure_area_id)
    if request.method == "POST":
        valid = form.validate()
        if (served_at is None or served_at.validate()) and valid:
            counter = counters[0] if served_at is None else next(
                c for c in counters if c.id == served_at.counter.data)
            return reason_step(form, request.form, centre=visit.centre, counter=counter) \
                or store_once(counter, survey,
                              form_submission(form, f"visit:{visit.public_id}", locale,
                                              default_area_id=visit.procedure_area_id,
                                              default_dossier_code=visit.dossier_code,
                                              channel=Channel.TICKET, visit_id=visit.id),
                              lambda: _answered(visit), url_for("visits.thanks", token=token))
    counter = counters[0] if served_at is None else None
    ensure_device_id()  # like the QR form: the device limit then follows this phone
    return render_template(
        "feedback/respond.html", form=form, counter=counter, centre=visit.centre,
        staff=staff_on_duty(counter.id, now_utc()) if counter else None, scale=RATING_SCALE,
        ticket_error=None, served_at=served_at,
    ), 400 if request.method == "POST" else 200


@bp.route("/v/<token>/thanks")
def thanks(token: str):
    """Thank the citizen after their answer, with the reference of the complaint it opened
    (shown once)."""
    visit = _load(token)
    return render_template("feedback/thanks.html", centre=visit.centre, counter=visit.counter,
                           token=token, reference=take_reference())
