"""`flask dashboard rebuild-rollups`: recompute the rollup tables from the stored responses;
`flask dashboard fold`: add the responses waiting for the fold."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.db import db
from feedback.dashboard import rollups
from feedback.periods import PeriodError, PeriodKind, parse_period

dashboard_cli = AppGroup("dashboard", help="Dashboards and their summary tables.")


def _month(text: str | None):
    if text is None:
        return None
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise click.BadParameter(str(error)) from error
    if period.kind != PeriodKind.MONTH:
        raise click.BadParameter("give a month as YYYY-MM")
    return period.start


@dashboard_cli.command("rebuild-rollups")
@click.option("--from", "first", help="First month (YYYY-MM); default: the first response's.")
@click.option("--to", "last", help="Last month (YYYY-MM), included; default: the last one's.")
def rebuild_rollups_command(first: str | None, last: str | None) -> None:
    """Recompute the dashboards' summary tables month by month (each month committed).

    Run once after upgrading a database that already holds responses, and after
    `flask sentiment retag`. Responses stored meanwhile are counted exactly once.
    """
    start, end = _month(first), _month(last)
    months = [m for m in rollups.response_months()
              if (start is None or m >= start) and (end is None or m <= end)]
    for month in months:
        rollups.rebuild_month(month)
        db.session.commit()
        click.echo(f"{month:%Y-%m} rebuilt")
    click.echo(f"{len(months)} months rebuilt")


