"""What every report command shares: the options (period, file format, output file, language),
finding the unit and the period they name, and writing the chosen format to the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

import click
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from core.click_text import option
from feedback.periods import Period, PeriodError, parse_period
from surveys.models import Unit
from surveys.queries import unit_by_code


def report_file_options(command: Callable) -> Callable:
    """Add --period, --format (csv, xlsx, pdf), -o/--output and --lang to a report command."""
    for add in reversed((
        option("--period", "period_text", required=True,
               help=_l("YYYY-MM, YYYY-Qn or YYYY (local calendar, Asia/Ho_Chi_Minh).")),
        option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv",
               show_default=True, help=_l("Format of the file.")),
        option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
               help=_l("File to write.")),
        option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
               help=_l("Language of the file.")),
    )):
        command = add(command)
    return command


def unit_and_period(unit_code: str, period_text: str,
                    parse: Callable[[str], Period] = parse_period) -> tuple[Unit, Period]:
    """The unit and the period the options name; a usage error naming the option otherwise."""
    unit = unit_by_code(unit_code)
    if unit is None:
        raise click.BadParameter(gettext("there is no unit with code %(code)s", code=unit_code),
                                 param_hint="--unit")
    try:
        return unit, parse(period_text)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from error


def write_report(fmt: str, output: str, writers: dict[str, Callable[[IO], Any]]) -> Any:
    """Open `output` as the format needs (CSV: UTF-8 text with a BOM for Excel; XLSX and PDF:
    bytes) and write it with `writers[fmt]`; returns what the writer returns."""
    if fmt == "csv":
        with open(output, "w", encoding="utf-8-sig", newline="") as out:
            return writers[fmt](out)
    with open(output, "wb") as out:
        return writers[fmt](out)
