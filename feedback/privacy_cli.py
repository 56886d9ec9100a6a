"""`flask privacy ...`: retention of citizens' personal data and the encryption key."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from core.click_text import batch_option, option
from core.dates import when_text
from core.db import db, now_utc
from core.encryption import UndecryptableError, new_key, read_secret_key_derived_values
from feedback.privacy import (
    count_contacts_before,
    purge_contacts_before,
    reencrypt_contacts,
    retention_cutoff,
)
from feedback.retention import count_due, erase_hashes_before, mask_comments_before

privacy_cli = AppGroup("privacy", help=_l("Citizens' personal data: retention and encryption."))


@privacy_cli.command("purge", help=_l(
    "Erase what is past its retention period, per kind: contact details (CONTACT_RETENTION_DAYS), "
    "names and numbers in comments (COMMENT_RETENTION_DAYS, the masked comment stays) and the "
    "address and device hashes (HASH_RETENTION_DAYS). The ratings stay, anonymous. Safe to run "
    "again (e.g. nightly from cron)."))
@option("--days", type=click.IntRange(min=0),
        help=_l("Retention of contact details in days (default CONTACT_RETENTION_DAYS)."))
@option("--dry-run", is_flag=True, help=_l("Only count what would be erased."))
def purge_command(days: int | None, dry_run: bool) -> None:
    config, now = current_app.config, now_utc()
    days = config["CONTACT_RETENTION_DAYS"] if days is None else days
    contacts = retention_cutoff(days, now)
    comments = retention_cutoff(config["COMMENT_RETENTION_DAYS"], now)
    hashes = retention_cutoff(config["HASH_RETENTION_DAYS"], now)
    if dry_run:
        due = count_due(comments, hashes)
        click.echo(gettext("contact details: held by %(responses)s given before %(when)s",
                           responses=_responses(count_contacts_before(contacts)),
                           when=when_text(contacts)))
        click.echo(gettext("comments: names or numbers to mask in %(due)d of %(comments)s given "
                           "before %(when)s", due=due.comments_masked,
                           comments=_comments(due.comments_checked), when=when_text(comments)))
        click.echo(gettext("hashes: held by %(responses)s given before %(when)s",
                           responses=_responses(due.hashes), when=when_text(hashes)))
        click.echo(gettext("nothing erased: --dry-run"))
        return
    erased = purge_contacts_before(contacts)
    checked, masked = mask_comments_before(comments, now)
    hashed = erase_hashes_before(hashes)
    db.session.commit()
    click.echo(gettext("contact details: erased from %(responses)s given before %(when)s "
                       "(retention %(days)s)", responses=_responses(erased),
                       when=when_text(contacts), days=_days(days)))
    click.echo(gettext("comments: names or numbers masked in %(masked)d of %(comments)s given "
                       "before %(when)s (retention %(days)s)", masked=masked,
                       comments=_comments(checked), when=when_text(comments),
                       days=_days(config["COMMENT_RETENTION_DAYS"])))
    click.echo(gettext("hashes: erased from %(responses)s given before %(when)s (retention "
                       "%(days)s)", responses=_responses(hashed), when=when_text(hashes),
                       days=_days(config["HASH_RETENTION_DAYS"])))
    click.echo(gettext("ratings kept: every response stays, anonymous"))


def _responses(count: int) -> str:
    return ngettext("%(num)d response", "%(num)d responses", count)


def _comments(count: int) -> str:
    return ngettext("%(num)d comment", "%(num)d comments", count)


def _days(count: int) -> str:
    return ngettext("%(num)d day", "%(num)d days", count)


@privacy_cli.command("rotate-key", help=_l(
    "Re-encrypt stored contact details with the first key of CONTACT_ENCRYPTION_KEY.\n\n"
    "Put the new key first and keep the old ones after it until this has run; then drop them. A "
    "deployment that ran without CONTACT_ENCRYPTION_KEY sets it to a new key (new-key) and runs "
    "this with --from-secret-key, SECRET_KEY unchanged."))
@batch_option("--batch-size", 500, _l("Responses per transaction."))
@option("--from-secret-key", is_flag=True,
        help=_l("Also read values encrypted with the key derived from SECRET_KEY (used while "
                "CONTACT_ENCRYPTION_KEY was not set), to move them to CONTACT_ENCRYPTION_KEY."))
def rotate_key_command(batch_size: int, from_secret_key: bool) -> None:
    if from_secret_key:
        if not current_app.config.get("CONTACT_ENCRYPTION_KEY"):
            raise click.UsageError(gettext(
                "Set CONTACT_ENCRYPTION_KEY to a new key first (flask --app app privacy "
                "new-key): --from-secret-key moves the contact details to it."))
        read_secret_key_derived_values(current_app)
    done, last_id = 0, 0
    try:
        while ids := reencrypt_contacts(last_id, batch_size):
            db.session.commit()
            done += len(ids)
            last_id = ids[-1]
    except UndecryptableError as error:
        db.session.rollback()
        raise click.ClickException(gettext(
            "Some contact details cannot be read with the keys of CONTACT_ENCRYPTION_KEY; keep "
            "the old key after the new one, or add --from-secret-key if they were written while "
            "CONTACT_ENCRYPTION_KEY was not set. %(done)s re-encrypted so far.",
            done=done)) from error
    click.echo(ngettext("Re-encrypted the contact details of %(num)d response.",
                        "Re-encrypted the contact details of %(num)d responses.", done))


@privacy_cli.command("new-key", help=_l("Print a fresh key for CONTACT_ENCRYPTION_KEY."))
def new_key_command() -> None:
    click.echo(new_key())
