"""`flask report sipas`: the Decision 766 / SIPAS pack of a ward (ward, centres, counters,
officers) or of a province (one row per ward) for a period, as CSV, XLSX or PDF."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from core.click_text import option
from feedback.report_options import report_file_options, unit_and_period, write_report
from feedback.standards.config import current_scheme
from feedback.standards.exports import write_csv, write_pdf, write_xlsx
from feedback.standards.pack import pack


@click.command("sipas", help=_l("Three-level counts, the three Decision 766 ratios with their "
                                 "points, SIPAS factors."))
@with_appcontext
@option("--unit", "unit_code", required=True,
        help=_l("Official code of a ward, commune or special zone, or of a province (one row per "
                "ward, commune or special zone)."))
@report_file_options
def sipas_command(unit_code: str, period_text: str, fmt: str, output: str, lang: str) -> None:
    unit, period = unit_and_period(unit_code, period_text)
    scheme = current_scheme()
    with force_locale(lang):
        rows = pack(unit, period)
        written = write_report(fmt, output, {
            "csv": lambda out: write_csv(rows, period, scheme, out),
            "xlsx": lambda out: write_xlsx(rows, period, scheme, out) or len(rows),
            "pdf": lambda out: write_pdf(rows, period, scheme, out)})
    detail = (ngettext("%(num)d page", "%(num)d pages", written) if fmt == "pdf" else
              ngettext("%(num)d row", "%(num)d rows", written))
    click.echo(gettext("%(unit)s %(period)s: %(detail)s → %(output)s", unit=unit.code,
                       period=period.key(), detail=detail, output=output))
