"""What happens to a response right after it is stored: a case when it needs one, and the
centre's alerts. This must never cost the citizen their submission."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from flask import after_this_request, current_app, has_request_context

from core.db import db, now_utc
from feedback.cases import alerts, notify, opening
from feedback.cases.mail import mail_enabled
from feedback.cases.services import open_case_if_needed
from feedback.cases.sla import SlaPolicy
from feedback.models import Response

log = logging.getLogger(__name__)


def after_response_recorded(response: Response, suspected: bool = False,
                            fresh: tuple[int | None, frozenset[str]] | None = None,
                            centre_alerts: bool = True) -> bool:
    """Open a case for an unhappy or flagged response and evaluate the centre's alerts
    (`centre_alerts` False: the fold evaluates them, see `centre_alerts_after_fold`); a response
    suspected of stuffing opens only an integrity case.

    Runs inside the submission's transaction, in a savepoint: if anything fails here, it is
    logged and undone, and the response is stored all the same (False is returned). New alerts
    are e-mailed once the request's transaction is committed (when SMTP is configured). Also
    run by `flask sentiment tag-pending` once a comment whose tagging failed has its tags.
    `fresh` (overall answer, reasons ticked): the response is being stored with these; the
    reference of the case it opens is kept on it (`Response.opened_case_reference`). A fresh
    response that no unit's rule would open a case for (no reason ticked with a "không hài
    lòng" answer, no negative comment, no integrity report) costs no statement here.
    """
    if fresh is not None and not centre_alerts and not opening.open_reasons(
            opening.DEFAULT_RULE, *fresh, response.sentiment_label, response.integrity_alert):
        return True  # no unit's rule opens a case for it (none opens more than the default)
    config = current_app.config
    try:
        with db.session.begin_nested():
            case = open_case_if_needed(response, SlaPolicy.from_config(config), suspected,
                                       fresh)
            opened = alerts.evaluate_centre(response.centre_id, response.submitted_at,
                                            config) if centre_alerts else []
    except Exception:  # a case or an alert must never cost a citizen's response
        log.exception("case/alert handling failed for response %s", response.public_id)
        return False
    if fresh is not None and case is not None:  # opened now (a fresh response had none)
        response.opened_case_reference = case.reference
    mail_opened(opened)
    return True


def centre_alerts_after_fold(latest: Mapping[int, datetime]) -> None:
    """Evaluate the alerts of the centres whose responses the fold just took, each at its
    latest response (`latest`: centre id → submitted_at), in the fold's transaction: once per
    centre and fold instead of once per submission. New alerts are e-mailed after the request
    (a fold run by a request) or by the background fold after its commit, when SMTP is
    configured."""
    config = current_app.config
    opened = []
    for centre_id, at in sorted(latest.items()):
        opened += alerts.evaluate_centre(centre_id, at, config)
    mail_opened(opened)


def mail_opened(opened: list) -> None:
    """In a request: e-mail the alerts opened in its transaction once the request is done
    (outside one, the background fold sends them after its commit: `send_opened_alerts`)."""
    if opened and mail_enabled(current_app.config) and has_request_context():
        after_this_request(_mail_new_alerts)


def send_opened_alerts() -> None:
    """E-mail the alerts not sent yet (when SMTP is configured); failures are only logged."""
    if mail_enabled(current_app.config):
        _mail_new_alerts(None)


def _mail_new_alerts(http_response):
    """After the submission's commit: e-mail the leaders; failures are only logged."""
    try:
        notify.send_pending_alerts(current_app.config, now_utc())
        db.session.commit()
    except Exception:  # e-mail trouble must not turn the citizen's thank-you into an error
        db.session.rollback()
        log.exception("alert e-mail failed")
    return http_response
