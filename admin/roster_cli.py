"""`flask staff import FILE --unit CODE [--dry-run]` and `flask staff template PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from accounts import audit
from accounts.audit import AuditAction, AuditTarget
from core.click_text import option
from core.db import db
from feedback.attribution import assign_retroactively
from surveys.queries import unit_by_code
from surveys.rosters import (
    RosterFileError,
    apply_roster,
    check_roster,
    read_roster,
    write_template,
)

staff_cli = AppGroup("staff", help=_l("Staff rosters."))


@staff_cli.command("import", help=_l(
    "Store the staff and counter assignments of a CSV or XLSX roster (headers as in \"staff "
    "template\"). Every row is checked first; if any row is wrong, its errors are printed and "
    "nothing is stored. Importing the same file again changes nothing."))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--unit", "unit_code", required=True,
        help=_l("Code of the unit whose staff the file lists (its rows may name it or the units "
                "below it)."))
@option("--dry-run", is_flag=True, help=_l("Check every row and store nothing."))
def import_command(path: Path, unit_code: str, dry_run: bool) -> None:
    scope_unit = unit_by_code(unit_code)
    if scope_unit is None:
        raise click.ClickException(gettext("Unknown unit %(code)s.", code=unit_code))
    try:
        rows = read_roster(path.name, path.read_bytes())
    except RosterFileError as exc:
        raise click.ClickException(str(exc)) from exc
    bad = check_roster(rows, scope_unit)
    for row in bad:
        for error in row.errors:
            click.echo(gettext("Row %(row)d: %(error)s", row=row.number, error=error), err=True)
    if bad:
        db.session.rollback()
        raise click.ClickException(gettext(
            "%(bad)d of %(rows)s have errors; nothing was stored.", bad=len(bad),
            rows=ngettext("%(num)d row", "%(num)d rows", len(rows))))
    if dry_run:
        db.session.rollback()
        click.echo(gettext("%(rows)s checked, no errors; nothing stored (dry run).",
                           rows=ngettext("%(num)d row", "%(num)d rows", len(rows))))
        return
    result = apply_roster(rows, seat=assign_retroactively)
    audit.record(None, AuditAction.IMPORTED, AuditTarget.ROSTER, None, scope_unit.id,
                 result.summary(len(rows)), f"flask staff import {path.name} --unit {unit_code}")
    db.session.commit()
    if not result.changed:
        click.echo(gettext("%(rows)s, nothing changed: every row is already stored.",
                           rows=ngettext("%(num)d row", "%(num)d rows", len(rows))))
        return
    click.echo(result.summary(len(rows)) + "; " + ngettext(
        "%(num)d staff member unchanged.", "%(num)d staff members unchanged.",
        result.unchanged_rows))


@staff_cli.command("template", help=_l("Write an empty roster with the Vietnamese headers to PATH "
                                        "(.xlsx or .csv)."))
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def template_command(path: Path) -> None:
    try:
        write_template(path)
    except RosterFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(gettext("Wrote an empty staff roster to %(path)s.", path=path))
