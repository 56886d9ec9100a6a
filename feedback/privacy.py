"""Personal data in responses: erase contact details after the retention period, rotate keys.

Contact details exist only to call a citizen back about their feedback, so they are kept for a
limited time (CONTACT_RETENTION_DAYS); the response itself stays, anonymous.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import flag_modified

from core.db import db, now_utc
from core.encryption import EncryptedText
from feedback.models import Response


def contact_columns() -> list:
    """Every encrypted (personal) column of a response."""
    return [c for c in Response.__table__.columns if isinstance(c.type, EncryptedText)]


def _has_contact():
    return or_(*(column.is_not(None) for column in contact_columns()))


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    """Contact details given before this moment are due for erasure."""
    return (now or now_utc()) - timedelta(days=days)


def count_contacts_before(cutoff: datetime) -> int:
    """How many responses given before `cutoff` still hold contact details."""
    return db.session.execute(
        select(db.func.count()).select_from(Response)
        .where(Response.submitted_at < cutoff, _has_contact())
    ).scalar_one()


def purge_contacts_before(cutoff: datetime) -> int:
    """Erase the contact details of responses given before `cutoff`; return how many. Flushes."""
    result = db.session.execute(
        update(Response)
        .where(Response.submitted_at < cutoff, _has_contact())
        .values({column.name: None for column in contact_columns()})
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount


def reencrypt_contacts(after_id: int, size: int) -> list[int]:
    """Re-encrypt the next `size` responses with contact details under the primary key.

    Returns their ids (empty when done); the caller commits each batch.
    """
    batch = list(db.session.execute(
        select(Response).where(Response.id > after_id, _has_contact())
        .order_by(Response.id).limit(size)
    ).scalars())
    for response in batch:
        for column in contact_columns():
            flag_modified(response, column.key)
    db.session.flush()
    return [response.id for response in batch]
