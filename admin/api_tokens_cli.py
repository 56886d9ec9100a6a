"""`flask api-tokens ...`: API tokens with which a centre's queue system creates visits.

Creating and revoking one are written to the administration log (whoever holds a token can
post answers at the centre's counters), like enrolling and revoking a kiosk."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import audit
from accounts.audit import AuditAction, AuditTarget
from core.dates import when_text
from core.db import db
from surveys.channels.visits import ApiToken, create_api_token, revoke_api_token
from surveys.models import Centre

api_tokens_cli = AppGroup("api-tokens", help=_l("API tokens of the visit tokens API (/api/v1)."))


@api_tokens_cli.command("create", help=_l("Create a token for the centre CENTRE_ID; the secret "
                                           "is printed once, only now."))
@click.argument("centre_id", type=int)
@click.argument("label")
def create_command(centre_id: int, label: str) -> None:
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        raise click.BadParameter(gettext("there is no centre %(id)d", id=centre_id),
                                 param_hint="CENTRE_ID")
    token, secret = create_api_token(centre, label[:100])
    audit.record(None, AuditAction.CREATED, AuditTarget.API_TOKEN, token.id, centre.unit_id,
                 f"{centre.name}: {token.label}", f"flask api-tokens create {centre_id}")
    db.session.commit()
    click.echo(gettext("API token %(id)d of %(centre)s: %(secret)s", id=token.id,
                       centre=centre.name, secret=secret))
    click.echo(gettext("Keep it in the queue system's settings; it cannot be shown again."))


@api_tokens_cli.command("list", help=_l("Every token: id, centre, label, last use, whether "
                                         "revoked (never the secret)."))
def list_command() -> None:
    tokens = db.session.execute(select(ApiToken).order_by(ApiToken.id)).scalars()
    for token in tokens:
        used = when_text(token.last_used_at) or gettext("never used")
        state = gettext("revoked") if token.revoked_at else gettext("in use")
        click.echo(f"{token.id}\t{token.centre.name}\t{token.label}\t{used}\t{state}")


@api_tokens_cli.command("revoke", help=_l("Stop accepting the token TOKEN_ID."))
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.BadParameter(gettext("there is no API token %(id)d", id=token_id),
                                 param_hint="TOKEN_ID")
    if token.revoked_at is None:
        revoke_api_token(token)
        audit.record(None, AuditAction.DEACTIVATED, AuditTarget.API_TOKEN, token.id,
                     token.centre.unit_id, f"{token.centre.name}: {token.label}",
                     f"flask api-tokens revoke {token_id}")
    db.session.commit()
    click.echo(gettext("API token %(id)d revoked.", id=token.id))
