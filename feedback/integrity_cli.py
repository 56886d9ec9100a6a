"""`flask integrity rescan` and `flask assignments correct`: the write-time rules and the
attribution applied again to stored responses (after a rule change, an upgrade, a correction)."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext, ngettext, npgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import audit
from accounts.audit import AuditAction, AuditTarget
from core.click_text import batch_option, option
from core.dates import when_text
from core.db import db, now_utc
from core.timeutil import LOCAL_TZ, local_iso, local_midnight_utc
from feedback.attribution import correct_assignment
from feedback.models import Response
from feedback.screening import current_rules, screen
from surveys.models import Assignment

integrity_cli = AppGroup("integrity", help=_l("Integrity screening of stored responses."))
assignments_cli = AppGroup("assignments", help=_l("Corrections to who was on duty."))


def _day(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return local_midnight_utc(datetime.strptime(value, "%Y-%m-%d").date())
    except ValueError as error:
        raise click.BadParameter(gettext("'%(text)s' is not a date: write YYYY-MM-DD",
                                         text=value), param_hint=name) from error


@integrity_cli.command("rescan", help=_l(
    "Screen stored responses again with the rules in force, oldest first (once after an upgrade, "
    "or after HR_INTEGRITY_RULES changed); dashboards follow what it holds out."))
@option("--from", "first",
        help=_l("First local day (YYYY-MM-DD); default: the first response."))
@option("--to", "last", help=_l("Day after the last one (YYYY-MM-DD); default: no end."))
@batch_option("--batch", 500, _l("Responses per transaction."))
def rescan_command(first: str | None, last: str | None, batch: int) -> None:
    rules = current_rules()
    filters = []
    start, end = _day(first, "--from"), _day(last, "--to")
    if start is not None:
        filters.append(Response.submitted_at >= start)
    if end is not None:
        filters.append(Response.submitted_at < end)
    ids = list(db.session.execute(
        select(Response.id).where(*filters).order_by(Response.submitted_at, Response.id)
    ).scalars())
    with click.progressbar(length=len(ids), label=gettext("Screening")) as bar:
        for offset in range(0, len(ids), batch):
            chunk = ids[offset:offset + batch]
            for response in db.session.execute(
                    select(Response).where(Response.id.in_(chunk))
                    .order_by(Response.submitted_at, Response.id)).scalars():
                screen(response, rules=rules, fresh=False)
            db.session.commit()
            bar.update(len(chunk))
    held = db.session.execute(
        select(db.func.count()).select_from(Response)
        .where(Response.counted.is_(False), *filters)).scalar_one()
    click.echo(ngettext("%(num)d response screened; %(held)d held out of the counts.",
                        "%(num)d responses screened; %(held)d held out of the counts.", len(ids),
                        held=held))
    hashed_since = now_utc() - timedelta(days=current_app.config["HASH_RETENTION_DAYS"])
    if start is None or start < hashed_since:
        click.echo(gettext("Note: responses before %(day)s have no address or device hashes any "
                           "more (HASH_RETENTION_DAYS): bursts among them cannot be found again.",
                           day=local_iso(hashed_since)))


@assignments_cli.command("correct", help=_l(
    "Correct when someone sat at a counter; the responses of the changed time move to the person "
    "the corrected history names, in every report and dashboard."))
@click.argument("assignment_id", type=int)
@option("--starts", required=True, type=click.DateTime(["%Y-%m-%dT%H:%M"]),
        help=_l("Corrected start, local time (YYYY-MM-DDTHH:MM)."))
@option("--ends", type=click.DateTime(["%Y-%m-%dT%H:%M"]),
        help=_l("Corrected end, local time; leave out while it goes on."))
def correct_command(assignment_id: int, starts: datetime, ends: datetime | None) -> None:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise click.BadParameter(gettext("there is no assignment %(id)d", id=assignment_id),
                                 param_hint="ASSIGNMENT_ID")
    before = _span(assignment)
    try:
        moved = correct_assignment(assignment, _local(starts), _local(ends) if ends else None)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    counter, staff = assignment.counter, assignment.staff
    command = f"flask assignments correct {assignment_id} --starts {starts:%Y-%m-%dT%H:%M}" + (
        f" --ends {ends:%Y-%m-%dT%H:%M}" if ends else "")
    # It moves responses from one person's score to another's: the unit's administrators
    # read it in their log (shown as the command line), as they read a roster import.
    audit.record(None, AuditAction.CHANGED, AuditTarget.COUNTER, counter.id,
                 counter.centre.unit_id, gettext(
                     "%(counter)s: %(name)s (%(code)s) on duty %(before)s → %(after)s; %(moved)s",
                     counter=f"{counter.centre.name} · {counter.label}", name=staff.full_name,
                     code=staff.code, before=before, after=_span(assignment),
                     moved=npgettext("to the person on duty", "%(num)d response moved",
                                     "%(num)d responses moved", moved)),
                 command)
    db.session.commit()
    click.echo(ngettext("Assignment %(id)s corrected; %(num)d response re-attributed.",
                        "Assignment %(id)s corrected; %(num)d responses re-attributed.", moved,
                        id=assignment_id))


def _span(assignment: Assignment) -> str:
    """When an assignment began and ended, in words (the administration log's)."""
    ends = when_text(assignment.ends_at) if assignment.ends_at else gettext("no end yet")
    return f"{when_text(assignment.starts_at)} – {ends}"


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=LOCAL_TZ)
