"""`flask report staff`: a unit's staff evaluation for a period as CSV, XLSX or PDF (or only its
staff seconded from one agency, addressed to it); `flask report second`: a staff member's home
agency."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.click_text import option
from core.db import db
from feedback.hr.evaluation import Settings, UnitReport, parse_hr_period, unit_report
from feedback.hr.exports import write_csv, write_pdf, write_xlsx
from feedback.hr.rule_files import RuleFileError
from feedback.hr.secondments import second
from feedback.report_options import report_file_options, unit_and_period, write_report
from feedback.standards.cli import sipas_command
from surveys.models import COMMUNE_LEVEL, Staff

report_cli = AppGroup("report", help=_l("Reports for HR."))


@report_cli.command("staff", help=_l(
    "Per staff member: counted responses, indices, score, rank, the input to the evaluation in "
    "the profile's points, the grade the head of unit decided (if any), exclusions."))
@option("--unit", "unit_code", required=True,
        help=_l("Official code of the ward, commune or special zone."))
@report_file_options
@option("--home-agency", default=None,
        help=_l("Only the staff seconded from this agency, addressed to it."))
def staff_report_command(unit_code: str, period_text: str, fmt: str, output: str,
                         lang: str, home_agency: str | None) -> None:
    unit, period = unit_and_period(unit_code, period_text, parse_hr_period)
    if unit.kind not in COMMUNE_LEVEL:
        raise click.BadParameter(gettext(
            "%(unit)s is a province: the staff report is made per ward, commune or special zone "
            "(the dashboard and \"report sipas\" cover a province).", unit=unit.name),
            param_hint="--unit")
    try:
        settings = Settings.from_config(current_app.config)
    except RuleFileError as error:
        raise click.ClickException(gettext("rule or profile file: %(error)s",
                                           error=error)) from error
    with force_locale(lang):
        report = unit_report(unit, period, settings)
        if home_agency:
            report = _addressed_to(report, home_agency)
        written = write_report(fmt, output, {
            "csv": lambda out: write_csv(report, out),
            "xlsx": lambda out: write_xlsx(report, out) or len(report.staff),
            "pdf": lambda out: write_pdf(report, out)})
    detail = (ngettext("%(num)d page", "%(num)d pages", written) if fmt == "pdf" else
              ngettext("%(num)d staff row", "%(num)d staff rows", written))
    click.echo(gettext("%(unit)s %(period)s: %(detail)s, %(responses)s (%(excluded)s excluded) "
                       "→ %(output)s", unit=unit.code, period=period.key(), detail=detail,
                       responses=ngettext("%(num)d response", "%(num)d responses",
                                          report.responses),
                       excluded=report.excluded, output=output))


def _addressed_to(report: UnitReport, agency: str) -> UnitReport:
    """The report for the staff seconded from `agency`; a usage error naming the agencies the
    unit's staff come from when none of them is from it."""
    agency = agency.strip()
    agencies = sorted({line.home_agency for line in report.staff if line.home_agency})
    if agency not in agencies:
        raise click.BadParameter(
            gettext("no staff member of %(unit)s in %(period)s is seconded from %(agency)s; "
                    "their home agencies: %(known)s.", unit=report.unit.name,
                    period=report.period.key(), agency=agency,
                    known=", ".join(agencies) or gettext("none")),
            param_hint="--home-agency")
    return report.addressed_to(agency)


@report_cli.command("second", help=_l("Record the home agency of a staff member seconded to a "
                                        "centre (kept as history)."))
@option("--staff", "staff_code", required=True, help=_l("Code of the staff member."))
@option("--agency", required=True, help=_l('The agency they belong to ("" ends the secondment).'))
def second_command(staff_code: str, agency: str) -> None:
    staff = db.session.execute(select(Staff).where(Staff.code == staff_code)).scalar_one_or_none()
    if staff is None:
        raise click.BadParameter(gettext("there is no civil servant with code %(code)s",
                                         code=staff_code), param_hint="--staff")
    second(staff, agency)
    db.session.commit()
    agency = agency.strip()
    click.echo(gettext("%(code)s: seconded from %(agency)s.", code=staff.code, agency=agency)
               if agency else gettext("%(code)s: no longer seconded.", code=staff.code))


report_cli.add_command(sipas_command)
