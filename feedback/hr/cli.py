"""`flask report staff`: a unit's staff evaluation for a period as CSV, XLSX or PDF."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from feedback.hr.evaluation import Settings, parse_hr_period, unit_report
from feedback.hr.exports import write_csv, write_pdf, write_xlsx
from feedback.hr.rule_files import RuleFileError
from feedback.periods import PeriodError
from surveys.queries import unit_by_code

report_cli = AppGroup("report", help="Reports for HR.")


@report_cli.command("staff")
@click.option("--unit", "unit_code", required=True, help="Official code of the ward/commune.")
@click.option("--period", "period_text", required=True,
              help="YYYY-MM, YYYY-Qn or YYYY (local calendar, Asia/Ho_Chi_Minh).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def staff_report_command(unit_code: str, period_text: str, fmt: str, output: str,
                         lang: str) -> None:
    """Per staff member: counted responses, indices, score, rank, the input to the evaluation
    in the profile's points, the grade the head of unit decided (if any), exclusions."""
    unit = unit_by_code(unit_code)
    if unit is None:
        raise click.BadParameter(f"no unit with code {unit_code!r}", param_hint="--unit")
    try:
        period = parse_hr_period(period_text)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from error
    try:
        settings = Settings.from_config(current_app.config)
    except RuleFileError as error:
        raise click.ClickException(f"rule or profile file: {error}") from error
    with force_locale(lang):
        report = unit_report(unit, period, settings)
        if fmt == "csv":
            with open(output, "w", encoding="utf-8-sig", newline="") as out:
                rows = write_csv(report, out)
            detail = f"{rows} staff rows"
        elif fmt == "xlsx":
            with open(output, "wb") as out:
                write_xlsx(report, out)
            detail = f"{len(report.staff)} staff rows"
        else:
            with open(output, "wb") as out:
                pages = write_pdf(report, out)
            detail = f"{pages} pages"
    click.echo(f"{unit.code} {period.key()}: {detail}, {report.responses} responses "
               f"({report.excluded} excluded) -> {output}")
