"""The options every report command shares: the period, the file format, the output file and the
language it is written in."""

from __future__ import annotations

from collections.abc import Callable

import click


def report_file_options(command: Callable) -> Callable:
    """Add --period, --format (csv, xlsx, pdf), -o/--output and --lang to a report command."""
    for option in reversed((
        click.option("--period", "period_text", required=True,
                     help="YYYY-MM, YYYY-Qn or YYYY (local calendar, Asia/Ho_Chi_Minh)."),
        click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]),
                     default="csv", show_default=True),
        click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                     required=True, help="File to write."),
        click.option("--lang", type=click.Choice(["vi", "en"]), default="vi",
                     show_default=True),
    )):
        command = option(command)
    return command
