"""`flask report sipas`: the Decision 766 / SIPAS pack of a ward (ward, centres, counters,
officers) or of a province (one row per ward) for a period, as CSV, XLSX or PDF."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from feedback.periods import PeriodError, parse_period
from feedback.report_options import report_file_options
from feedback.standards.config import current_scheme
from feedback.standards.exports import write_csv, write_pdf, write_xlsx
from feedback.standards.pack import pack
from surveys.queries import unit_by_code


@click.command("sipas")
@with_appcontext
@click.option("--unit", "unit_code", required=True,
              help="Official code of a ward/commune, or of a province (one row per ward).")
@report_file_options
def sipas_command(unit_code: str, period_text: str, fmt: str, output: str, lang: str) -> None:
    """Three-level counts, the three Decision 766 ratios with their points, SIPAS factors."""
    unit = unit_by_code(unit_code)
    if unit is None:
        raise click.BadParameter(f"no unit with code {unit_code!r}", param_hint="--unit")
    try:
        period = parse_period(period_text)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from error
    scheme = current_scheme()
    with force_locale(lang):
        rows = pack(unit, period)
        if fmt == "csv":
            with open(output, "w", encoding="utf-8-sig", newline="") as out:
                detail = f"{write_csv(rows, period, scheme, out)} rows"
        elif fmt == "xlsx":
            with open(output, "wb") as out:
                write_xlsx(rows, period, scheme, out)
            detail = f"{len(rows)} rows"
        else:
            with open(output, "wb") as out:
                detail = f"{write_pdf(rows, period, scheme, out)} pages"
    click.echo(f"{unit.code} {period.key()}: {detail} -> {output}")
