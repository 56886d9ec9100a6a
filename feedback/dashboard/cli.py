"""`flask dashboard rebuild-rollups`: recompute the rollup tables from the stored responses;
`flask dashboard fold`: add the responses waiting for the fold; `flask dashboard warm-charts`:
draw charts ahead of their first view."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from core.click_text import option
from core.db import db
from feedback.dashboard import fold, rollups, warm
from feedback.dashboard.chart_store import current_store
from feedback.dashboard.report import Options
from feedback.periods import PeriodError, PeriodKind, parse_period
from surveys.queries import unit_by_code

dashboard_cli = AppGroup("dashboard", help=_l("Dashboards and their summary tables."))


def _month(text: str | None, name: str):
    if text is None:
        return None
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint=name) from error
    if period.kind != PeriodKind.MONTH:
        raise click.BadParameter(gettext("'%(text)s' is not a month: write YYYY-MM", text=text),
                                 param_hint=name)
    return period.start


@dashboard_cli.command("rebuild-rollups", help=_l(
    "Recompute the dashboards' summary tables month by month (each month committed).\n\n"
    "Run once after upgrading a database that already holds responses, and after \"flask "
    "sentiment retag\". Responses stored meanwhile are counted exactly once."))
@option("--from", "first", help=_l("First month (YYYY-MM); default: the first response's."))
@option("--to", "last", help=_l("Last month (YYYY-MM), included; default: the last one's."))
def rebuild_rollups_command(first: str | None, last: str | None) -> None:
    start, end = _month(first, "--from"), _month(last, "--to")
    months = [m for m in rollups.response_months()
              if (start is None or m >= start) and (end is None or m <= end)]
    for month in months:
        rollups.rebuild_month(month)
        db.session.commit()
        click.echo(gettext("%(month)s rebuilt", month=f"{month:%Y-%m}"))
    click.echo(ngettext("%(num)d month rebuilt", "%(num)d months rebuilt", len(months)))


@dashboard_cli.command("warm-charts", help=_l(
    "Draw the dashboards' charts ahead of their first view, into the shared store.\n\n"
    "For each unit: the last full month (the page's default), this month and this week, in "
    "Vietnamese. The served app does the same by itself for units that receive responses "
    "(DASHBOARD_WARM_SECONDS); run this after an import, a restore or a rebuild."))
@option("--unit", "codes", multiple=True,
        help=_l("Unit code (repeatable); default: every unit whose dashboard has responses."))
def warm_charts_command(codes: tuple[str, ...]) -> None:
    if current_store() is None:
        raise click.UsageError(gettext("DASHBOARD_CHART_DIR is empty: there is no store to draw "
                                       "the charts into."))
    if codes:
        units = [unit_by_code(code) for code in codes]
        if None in units:
            missing = [code for code, unit in zip(codes, units, strict=True) if unit is None]
            raise click.BadParameter(gettext("there is no unit with code %(code)s",
                                             code=", ".join(missing)), param_hint="--unit")
    else:
        units = warm.units_with_responses()
    fold.fold_all()
    drawn = draw_units_ahead(units, gettext("Drawing charts"))
    click.echo(gettext("%(charts)s for %(units)s",
                       charts=ngettext("%(num)d chart drawn", "%(num)d charts drawn", drawn),
                       units=ngettext("%(num)d unit", "%(num)d units", len(units))))


def draw_units_ahead(units: list, label: str) -> int:
    """Draw the units' dashboards ahead (`warm.warm_unit`) behind a progress bar; returns how
    many charts were drawn (none when there is no store to keep them)."""
    if current_store() is None:
        return 0
    options, periods = Options.of(current_app.config), warm.warm_periods()
    with click.progressbar(units, label=label) as bar:
        return sum(warm.warm_unit(unit, options, periods) for unit in bar)


@dashboard_cli.command("fold", help=_l(
    "Add the stored responses still waiting for the fold to the summary tables (the app does it "
    "after each submission and before each dashboard; e.g. after a crash, or from cron on a "
    "server whose dashboards are read by other tools)."))
def fold_command() -> None:
    before = fold.pending_count()
    fold.fold_all()
    after = fold.pending_count()
    click.echo(ngettext("%(num)d response folded, %(waiting)d waiting.",
                        "%(num)d responses folded, %(waiting)d waiting.", before - after,
                        waiting=after))
