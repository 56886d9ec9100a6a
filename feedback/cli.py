"""`flask seed-demo` and `flask export ...`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from accounts.demo import DEMO_LEADERS, non_demo_users, seed_demo_users
from accounts.services import find_user
from core.click_text import batch_option
from core.config import is_production
from core.db import db, now_utc
from core.timeutil import to_local
from feedback.cases.demo import progress_demo_cases
from feedback.cases.sla import SlaPolicy
from feedback.dashboard import rollups
from feedback.dashboard.cli import draw_units_ahead
from feedback.dashboard.warm import units_with_responses
from feedback.demo import DEMO_RESPONSES, seed_responses
from feedback.exports import write_responses_csv
from feedback.periods import month_start
from feedback.sentiment import model_version
from feedback.sentiment.cli import sentiment
from feedback.tagging import catch_up, failed_batch, pending_count, retag_batch
from surveys.cli import base_url_option, counter_links
from surveys.demo import non_demo_organisation, seed_assignments, seed_organisation

export_cli = AppGroup("export", help=_l("Export data."))


@click.command("seed-demo", help=_l(
    "Create a demo province, wards, centres, counters, staff, users and ~2,000 responses.\n\n"
    "Their dashboards' charts are drawn ahead of the first view (into DASHBOARD_CHART_DIR).\n\n"
    "Running it again adds nothing that is already there. Refused in production mode and on a "
    "database that holds anything the demo did not create (its demo passwords are public)."))
@with_appcontext
@base_url_option(_l("Base URL for the printed links (default PUBLIC_BASE_URL, else the address "
                    "`flask run` will use: FLASK_RUN_HOST and FLASK_RUN_PORT, by default "
                    "http://127.0.0.1:5000)."))
def seed_demo_command(base_url: str | None) -> None:
    if is_production(current_app.config):
        raise click.ClickException(gettext("seed-demo is refused in production mode "
                                           "(HAILONG_ENV)."))
    foreign = non_demo_organisation() + non_demo_users()
    if foreign:
        raise click.ClickException(gettext(
            "seed-demo only fills an empty or demo database; this one holds other data: "
            "%(what)s", what=", ".join(foreign[:10])))
    click.echo(gettext("1/5 Units, centres, counters and staff…"))
    units, centres, counters, staff = seed_organisation()
    seed_assignments(now_utc())
    with click.progressbar(length=DEMO_RESPONSES, label=gettext("2/5 Demo responses")) as bar:
        responses = seed_responses(now_utc(), progress=bar.update)
    click.echo(gettext("3/5 Users and complaint cases…"))
    logins = seed_demo_users()
    policy = SlaPolicy.from_config(current_app.config)
    handled = sum(progress_demo_cases(now_utc(), find_user(leader), policy)
                  for leader in DEMO_LEADERS)
    click.echo(gettext("4/5 Saving…"))
    db.session.commit()
    drawn = draw_units_ahead(units_with_responses(), gettext("5/5 Dashboard charts"))
    click.echo(gettext(
        "Added %(units)s, %(centres)s, %(counters)s, %(staff)s, %(responses)s; moved %(cases)s "
        "along; drew %(charts)s ahead of their first view.",
        units=ngettext("%(num)d unit", "%(num)d units", units),
        centres=ngettext("%(num)d centre", "%(num)d centres", centres),
        counters=ngettext("%(num)d counter", "%(num)d counters", counters),
        staff=ngettext("%(num)d staff member", "%(num)d staff members", staff),
        responses=ngettext("%(num)d response", "%(num)d responses", responses),
        cases=ngettext("%(num)d older complaint case", "%(num)d older complaint cases",
                       handled),
        charts=ngettext("%(num)d dashboard chart", "%(num)d dashboard charts", drawn)))
    click.echo(gettext("Demo sign-ins (at /login):"))
    for username, role, password in logins:
        click.echo(f"  {role:<7} {username:<15} {password}")
    click.echo(gettext("Survey links (scan or open them):"))
    for link in counter_links(base_url):
        click.echo(f"  {link['centre']} / {link['counter']}: {link['url']}")


@export_cli.command("responses", help=_l("Write every response to standard output (times in "
                                          "Asia/Ho_Chi_Minh, ISO 8601)."))
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv")
def export_responses_command(fmt: str) -> None:
    write_responses_csv(sys.stdout)


@sentiment.command("retag", help=_l(
    "Tag stored comments that are untagged or tagged by an older model, in batches.\n\n"
    "Each batch is committed, so the command can be interrupted and run again to resume. The "
    "dashboard rollups of the months concerned are then rebuilt, so sentiment and topics there "
    "show the new tags."))
@batch_option("--batch-size", 500, _l("Comments per transaction."))
@with_appcontext
def retag_command(batch_size: int) -> None:
    total = pending_count()
    last_id = 0
    months: set = set()
    with click.progressbar(length=total, label=gettext("Tagging comments")) as bar:
        while batch := retag_batch(last_id, batch_size):
            db.session.commit()
            last_id = batch[-1].id
            months.update(month_start(to_local(r.submitted_at).date()) for r in batch)
            bar.update(len(batch))
    click.echo(ngettext("Tagged %(num)d comment with model %(model)s.",
                        "Tagged %(num)d comments with model %(model)s.", total,
                        model=model_version()))
    for month in sorted(months):
        rollups.rebuild_month(month)
        db.session.commit()
    click.echo(ngettext("Rebuilt the dashboard rollups of %(num)d month.",
                        "Rebuilt the dashboard rollups of %(num)d months.", len(months)))


@sentiment.command("tag-pending", help=_l(
    "Tag the comments whose tagging failed at submission, and open the cases and alerts their "
    "tags call for (an urgent case for a bribery report), as the submission would have.\n\n"
    "Run it every minute from cron, like `cases check-alerts` (which e-mails the new alerts). "
    "Each batch is committed; a response done is never done again, so it is safe to re-run."))
@batch_option("--batch-size", 200, _l("Comments per transaction."))
@with_appcontext
def tag_pending_command(batch_size: int) -> None:
    done = failed = 0
    last_id = 0
    while batch := failed_batch(last_id, batch_size):
        for response in batch:
            if catch_up(response):
                done += 1
            else:
                failed += 1
        last_id = batch[-1].id
        db.session.commit()
    click.echo(ngettext("Tagged %(num)d pending comment; %(failed)d still failing.",
                        "Tagged %(num)d pending comments; %(failed)d still failing.", done,
                        failed=failed))
