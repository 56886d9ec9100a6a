"""`flask backup PATH` and `flask restore PATH`: the whole database, to and from one file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from core.backup import BackupError, backup, restore
from core.click_text import confirm, option
from core.db import db


@click.command("backup", help=_l("Copy the database to PATH (SQLite: online backup; "
                                  "PostgreSQL: pg_dump custom format)."))
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    try:
        backup(db.engine, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(gettext("Backed up %(database)s to %(path)s (%(size)s).",
                       database=db.engine.url.render_as_string(hide_password=True), path=path,
                       size=ngettext("%(num)d byte", "%(num)d bytes", path.stat().st_size)))


@click.command("restore", help=_l("Replace everything in the database with the backup at PATH."))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--yes", is_flag=True, help=_l("Do not ask for confirmation."))
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    target = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        confirm(gettext("Replace everything in %(database)s with the backup %(path)s?",
                        database=target, path=path))
    db.session.remove()
    try:
        restore(db.engine, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(gettext("Restored %(database)s from the backup %(path)s.", database=target,
                       path=path))
