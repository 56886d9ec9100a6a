"""`flask privacy ...`: retention of contact details and the encryption key."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.db import db
from core.encryption import new_key
from core.timeutil import local_iso
from feedback.privacy import (
    count_contacts_before,
    purge_contacts_before,
    reencrypt_contacts,
    retention_cutoff,
)

privacy_cli = AppGroup("privacy", help="Citizens' personal data: retention and encryption.")


@privacy_cli.command("purge")
@click.option("--days", type=click.IntRange(min=0),
              help="Retention in days (default CONTACT_RETENTION_DAYS, 180).")
@click.option("--dry-run", is_flag=True, help="Only count what would be erased.")
def purge_command(days: int | None, dry_run: bool) -> None:
    """Erase contact details older than the retention period; the responses stay, anonymous."""
    days = current_app.config["CONTACT_RETENTION_DAYS"] if days is None else days
    cutoff = retention_cutoff(days)
    if dry_run:
        click.echo(f"{count_contacts_before(cutoff)} responses given before {local_iso(cutoff)} "
                   "hold contact details (nothing erased: --dry-run)")
        return
    erased = purge_contacts_before(cutoff)
    db.session.commit()
    click.echo(f"erased the contact details of {erased} responses given before "
               f"{local_iso(cutoff)} (retention {days} days)")


@privacy_cli.command("rotate-key")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000))
def rotate_key_command(batch_size: int) -> None:
    """Re-encrypt stored contact details with the first key of CONTACT_ENCRYPTION_KEY.

    Put the new key first and keep the old ones after it until this has run; then drop them.
    """
    done, last_id = 0, 0
    while ids := reencrypt_contacts(last_id, batch_size):
        db.session.commit()
        done += len(ids)
        last_id = ids[-1]
    click.echo(f"re-encrypted the contact details of {done} responses")


@privacy_cli.command("new-key")
def new_key_command() -> None:
    """Print a fresh key for CONTACT_ENCRYPTION_KEY."""
    click.echo(new_key())
