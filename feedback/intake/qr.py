"""The public citizen journey: scan a counter's QR code, answer, be thanked.

The form itself is built by `surveys` (what we ask); this endpoint lives in `feedback` because it
stores what came back, and `feedback` may import `surveys` but never the reverse. The privacy
notice the form links to is served here too.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale

from core.db import db, now_utc, reads_first
from core.params import id_arg
from core.ratelimit import citizen_form_address_limit, citizen_form_device_limit, ensure_device_id
from feedback.attribution import Shown
from feedback.intake.form_page import blank_form_page
from feedback.intake.submission import citizen_form, form_submission, store_once, take_reference
from feedback.reason_step import reason_step
from feedback.services import find_by_submission_key
from surveys.catalogue import CounterForm, counter_form
from surveys.channels.tickets import TicketError, TicketExpired, issue_ticket, read_ticket
from surveys.defaults import RATING_SCALE
from surveys.forms import ResponseFormBase, make_response_form, response_form_class
from surveys.models import Centre, Staff

bp = Blueprint("feedback", __name__)


def _load_counter_form(token: str, allow_revoked: bool = False) -> CounterForm:
    """The token's form (this process's copy, current with the catalogue version), or a 404
    (unknown) / 410 (revoked, or counter closed) error page."""
    found = counter_form(token)
    if found is None:
        abort(404)
    if not found.counter.active or not found.centre.active:
        abort(make_response(render_template("feedback/closed.html", counter=found.counter,
                                            centre=found.centre), 410))
    if found.token.revoked_at is not None and not allow_revoked:
        abort(410)
    return found


def _read_outside_a_transaction() -> None:
    """On PostgreSQL, let this request's reads run outside a transaction: a citizen's GET reads
    one row (the catalogue version; the form's rows when its copy is missing), so BEGIN and
    ROLLBACK would be two of its four round trips. The pool restores the connection's
    isolation when the request gives it back. (A request that has read already, e.g. the
    signed-in user, stays in its transaction.)"""
    if db.session.get_bind().dialect.name == "postgresql" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@bp.route("/s/<token>", methods=["GET", "POST"])
@reads_first
@citizen_form
@citizen_form_device_limit
@citizen_form_address_limit
def respond(token: str):
    """Show the survey for a counter and store a valid submission exactly once (a form posted
    again after it was stored, e.g. a double tap, fails on its unique key and is thanked).

    The form's ticket names the staff member shown and the device that fetched it; a post
    from another device gets the form again with a new ticket (answers kept). On SQLite a post
    takes the write lock only when it stores the response (`reads_first`): loading the form
    and checking the ticket do not hold up other citizens' answers.
    """
    if request.method != "POST":
        _read_outside_a_transaction()
    found = _load_counter_form(token, allow_revoked=request.method == "POST")
    counter, survey = found.counter, found.survey
    if survey is None:
        abort(404)
    locale = str(get_locale())
    secret = current_app.config["SECRET_KEY"]

    def make_form(formdata=None) -> ResponseFormBase:
        form_class = found.memo.get(("form class", locale))
        if form_class is None:
            form_class = found.memo[("form class", locale)] = response_form_class(survey,
                                                                                  locale)
        return make_response_form(survey, found.areas, locale, formdata, form_class)

    def page(form: ResponseFormBase, staff: Staff | None, ticket_error: str | None = None):
        return render_template(
            "feedback/respond.html", form=form, counter=counter, centre=found.centre,
            staff=staff, scale=RATING_SCALE, ticket_error=ticket_error)

    device = ensure_device_id()
    if request.method != "POST":
        staff = found.staff_on_duty(now_utc())
        ticket = issue_ticket(secret, counter.id, staff.id if staff else None, device)
        return blank_form_page(found, staff, ticket, make_form,
                               lambda form: page(form, staff)), 200
    form = make_form(request.form)
    ticket_error = None
    try:
        ticket = read_ticket(secret, form.ticket.data, counter.id, device,
                             current_app.config["SUBMISSION_MAX_AGE_SECONDS"])
    except TicketExpired:
        ticket, ticket_error = None, "expired"
    except TicketError:
        ticket, ticket_error = None, "invalid"
    if found.token.revoked_at is not None and ticket is None:
        abort(410)
    if form.validate() and ticket is not None:
        return reason_step(form, request.form, centre=found.centre, counter=counter) \
            or store_once(counter, survey,
                          form_submission(form, ticket.key, locale, shown_at=ticket.issued_at,
                                          shown=Shown(ticket.staff_id)),
                          lambda: find_by_submission_key(ticket.key) is not None,
                          url_for("feedback.thanks", token=token))
    staff = found.staff_on_duty(now_utc())
    form.ticket.data = issue_ticket(secret, counter.id, staff.id if staff else None, device)
    return page(form, staff, ticket_error), 400


@bp.route("/s/<token>/thanks")
def thanks(token: str):
    """Thank the citizen; no personal data shown, only the reference of the complaint their
    answers opened (shown once: it is taken out of the session)."""
    found = _load_counter_form(token, allow_revoked=True)
    return render_template("feedback/thanks.html", centre=found.centre,
                           counter=found.counter, token=token,
                           reference=take_reference())


@bp.route("/rieng-tu")
@bp.route("/privacy", endpoint="privacy_en")
def privacy():
    """The privacy notice: who is responsible, what is stored and why, for how long, and the
    citizen's rights; names the centre and its unit when the form links here with its id."""
    centre_id = id_arg("centre")
    centre = db.session.get(Centre, centre_id) if centre_id is not None else None
    config = current_app.config
    return render_template("feedback/privacy.html", centre=centre,
                           retention_days=config["CONTACT_RETENTION_DAYS"],
                           comment_days=config["COMMENT_RETENTION_DAYS"],
                           hash_days=config["HASH_RETENTION_DAYS"],
                           deadline_days=max(config["RIGHTS_WITHDRAW_DEADLINE_DAYS"],
                                             config["RIGHTS_ERASE_DEADLINE_DAYS"]),
                           weekly=config["STAFF_VIEW_GRANULARITY"] == "week")
