"""`flask cases ...`: alert checks for cron, and cases for responses stored before this feature."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.click_text import batch_option
from core.db import db, now_utc
from feedback.cases import alerts, coverage, gap_text, notify
from feedback.cases.models import Case
from feedback.cases.queries import centre_ids_in_scope
from feedback.cases.services import open_case_if_needed
from feedback.cases.sla import SlaPolicy
from feedback.models import Response

cases_cli = AppGroup("cases", help=_l("Complaint cases and centre alerts."))


@cases_cli.command("check-alerts", help=_l(
    "Close alerts of centres that recovered and e-mail leaders about new ones; warn about open "
    "cases that no leader may handle (recusal left nobody) and e-mail the administrators.\n\n"
    "Run it every minute or so from cron; submissions and the leaders' page also do this."))
def check_alerts_command() -> None:
    now = now_utc()
    alerts.refresh(centre_ids_in_scope(None), now, current_app.config)
    sent = notify.send_pending_alerts(current_app.config, now)
    unhandled = coverage.unhandled_cases(None)
    told = notify.tell_admins_of_unhandled(current_app.config, unhandled)
    db.session.commit()
    click.echo(gettext("Alert e-mails sent: %(num)d", num=sent))
    for line in gap_text.open_cases_lines(unhandled):
        click.echo(gettext("Warning: %(what)s", what=line))
    if unhandled:
        click.echo(gettext("E-mails to administrators about complaints without a handler: "
                           "%(num)d", num=told))


@cases_cli.command("backfill", help=_l(
    "Open the cases that stored responses need under their unit's rule (negative comment, a "
    "reason given with \"không hài lòng\", integrity alert).\n\n"
    "Responses that already have a case are skipped, so it can be run again."))
@batch_option("--batch-size", 500, _l("Responses per transaction."))
def backfill_command(batch_size: int) -> None:
    policy = SlaPolicy.from_config(current_app.config)
    opened = 0
    last_id = 0
    while True:
        batch = list(db.session.execute(
            select(Response).outerjoin(Case, Case.response_id == Response.id)
            .where(Case.id.is_(None), Response.id > last_id)
            .order_by(Response.id).limit(batch_size)).scalars())
        if not batch:
            break
        opened += sum(open_case_if_needed(response, policy) is not None for response in batch)
        db.session.commit()
        last_id = batch[-1].id
    click.echo(gettext("Cases opened: %(num)d", num=opened))
