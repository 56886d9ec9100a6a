"""Random secrets handed out once (kiosk keys, enrolment codes, API and visit tokens).

Only a SHA-256 digest is stored: the secrets carry at least 192 bits of randomness, so a fast
hash is enough, and a copy of the database cannot be used to act as a kiosk or an API client.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from core.db import db

SECRET_BYTES = 32
#: Longer values are not secrets handed out here: refused before they are hashed.
MAX_SECRET_LENGTH = 100


def new_secret(prefix: str = "") -> str:
    """A fresh URL-safe secret (256 bits), with an optional readable prefix."""
    return prefix + secrets.token_urlsafe(SECRET_BYTES)


def secret_digest(value: str) -> str:
    """The stored form of a secret: SHA-256 as 64 hex characters."""
    return hashlib.sha256(value.encode()).hexdigest()


def holder_of(digest_column: InstrumentedAttribute, value: str | None):
    """The row whose `digest_column` holds the digest of the secret `value`, or None (also for
    an empty or overlong value)."""
    if not value or len(value) > MAX_SECRET_LENGTH:
        return None
    return db.session.execute(
        select(digest_column.class_).where(digest_column == secret_digest(value))
    ).scalar_one_or_none()
