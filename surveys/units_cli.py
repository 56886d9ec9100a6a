"""`flask units import --province CODE`: official units from the `vietnam-provinces` package."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from core.click_text import option
from core.db import db
from surveys.official_units import UnknownProvince, import_province

units_cli = AppGroup("units", help=_l("Provinces, wards, communes and special zones."))


@units_cli.command("import", help=_l(
    "Store a province and all its wards, communes and special zones from the official list (in "
    "force since 1 July 2025). Running it again changes nothing; renamed units are updated."))
@option("--province", "province_code", required=True,
        help=_l("National code of the province, e.g. 92 (Thành phố Cần Thơ)."))
def import_command(province_code: str) -> None:
    try:
        result = import_province(province_code)
    except UnknownProvince as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    province = result.province
    if not result.changed:
        click.echo(gettext("%(code)s %(name)s: nothing changed, %(units)s already up to date.",
                           code=province.code, name=province.name,
                           units=ngettext("%(num)d unit", "%(num)d units", result.unchanged)))
        return
    click.echo(gettext("%(code)s %(name)s: added %(added)s, updated %(updated)s, %(unchanged)s "
                       "already up to date.", code=province.code, name=province.name,
                       added=ngettext("%(num)d unit", "%(num)d units", len(result.added)),
                       updated=len(result.updated), unchanged=result.unchanged))
    for code in result.updated:
        click.echo(gettext("  renamed or moved: %(code)s", code=code))
