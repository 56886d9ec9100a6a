"""`flask users ...`: manage back-office accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from accounts.forms import ROLE_LABELS
from accounts.models import Role
from accounts.services import AccountError, create_user
from core.click_text import option
from core.db import db
from surveys.models import Staff
from surveys.queries import unit_by_code

users_cli = AppGroup("users", help=_l("Manage back-office accounts."))


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt(gettext("Password"), hide_input=True,
                            confirmation_prompt=gettext("The password again"))
    return sys.stdin.readline().rstrip("\n")


@users_cli.command("create", help=_l("Create a user; the password is prompted for, or read from "
                                      "standard input."))
@click.argument("username")
@option("--role", type=click.Choice([r.value for r in Role]), required=True,
        help=_l("What the account may do."))
@option("--unit", "unit_code",
        help=_l("Official code of the user's province, ward, commune or special zone."))
@option("--staff", "staff_code", help=_l("Staff code (required for the staff role)."))
@option("--email", help=_l("Where alerts are e-mailed (leaders)."))
@option("--full-name", help=_l("The person's name, shown instead of the username."))
def create_command(username: str, role: str, unit_code: str | None,
                   staff_code: str | None, email: str | None, full_name: str | None) -> None:
    unit = unit_by_code(unit_code) if unit_code else None
    if unit_code and unit is None:
        raise click.BadParameter(gettext("there is no unit with code %(code)s", code=unit_code),
                                 param_hint="--unit")
    staff = None
    if staff_code:
        staff = db.session.execute(db.select(Staff).filter_by(code=staff_code)).scalar()
        if staff is None:
            raise click.BadParameter(gettext("there is no civil servant with code %(code)s",
                                             code=staff_code), param_hint="--staff")
    try:
        user = create_user(username, _read_password(), Role(role), unit, staff, email,
                           full_name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(gettext("Created the account %(username)s (%(role)s).", username=user.username,
                       role=ROLE_LABELS[user.role]))
