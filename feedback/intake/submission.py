"""What the HTML form channels (QR code, queue-ticket link) share: a validated response form
made into a Submission, stored exactly once in one transaction, and the reference of the case
it opened carried to the thank-you page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app, redirect, request, session
from sqlalchemy.exc import IntegrityError

from core.db import db
from core.errors import keeps_answers
from core.hashing import identity_hash_key, keyed_hash
from core.ratelimit import citizen_address_limit, citizen_device_limit, ensure_device_id
from feedback.dashboard.folding import after_submission_commit
from feedback.models import Response
from feedback.screening import request_flags
from feedback.services import Submission, record_response
from surveys.forms import ResponseFormBase
from surveys.models import Counter, Survey


def citizen_form(view: Callable) -> Callable:
    """The guards of a citizen form's view (put it right under the route, or under
    `reads_first`): the answers are kept through a database failure (`keeps_answers`), and
    posts are limited per device and per address."""
    return keeps_answers(citizen_device_limit(citizen_address_limit(view)))


#: The session key carrying the reference of the case just opened to the thank-you page.
REFERENCE_SESSION_KEY = "case_reference"


def remember_reference(response: Response) -> None:
    """Keep the reference of the case the response opened as it was stored (if any) for its
    thank-you page."""
    if response.opened_case_reference is not None:
        session[REFERENCE_SESSION_KEY] = response.opened_case_reference


def take_reference() -> str | None:
    """The reference kept for this thank-you page, shown once (taken out of the session)."""
    return session.pop(REFERENCE_SESSION_KEY, None)


def form_submission(form: ResponseFormBase, submission_key: str, locale: str, *,
                    default_area_id: int | None = None, default_dossier_code: str | None = None,
                    shown_at: datetime | None = None, **channel_fields) -> Submission:
    """The submission of a validated response form posted in this request: answers, reasons
    for dissatisfaction, dossier code, comment, contact details (kept only with consent), hashes
    of the address and device, and the flags the request itself raises. `channel_fields` are
    the channel's own Submission fields."""
    hash_key = identity_hash_key(current_app.config)
    area = form.procedure_area.data
    return Submission(
        submission_key=submission_key,
        ratings=form.ratings(),
        locale=locale,
        procedure_area_id=int(area) if area else default_area_id,
        comment=form.comment.data,
        reasons=form.given_reasons(),
        dossier_code=form.dossier_code.data or default_dossier_code,
        contact_consent=bool(form.contact_consent.data),
        contact_name=form.contact_name.data,
        contact_phone=form.contact_phone.data,
        contact_email=form.contact_email.data,
        ip_hash=keyed_hash(hash_key, request.remote_addr),
        device_hash=keyed_hash(hash_key, ensure_device_id()),
        request_flags=request_flags(bool(form.website.data), shown_at),
        **channel_fields,
    )


def store_once(counter: Counter, survey: Survey, submission: Submission,
               already_stored: Callable[[], bool], thanks_url: str):
    """Record the submission in one commit and redirect to the thank-you page (303); the
    rollups follow after the commit (`after_submission_commit`). A concurrent twin (a double
    tap, another tab) that won the race is not an error: the citizen's answers are stored,
    once."""
    try:
        response = record_response(counter, survey, submission)
        remember_reference(response)
        db.session.commit()
    except IntegrityError:
        session.pop(REFERENCE_SESSION_KEY, None)
        db.session.rollback()
        if not already_stored():
            raise
    else:
        after_submission_commit()
    return redirect(thanks_url, code=303)
