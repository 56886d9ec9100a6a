"""Random secrets handed out once (kiosk keys, enrolment codes, API and visit tokens).

Only a SHA-256 digest is stored: the secrets carry at least 192 bits of randomness, so a fast
hash is enough, and a copy of the database cannot be used to act as a kiosk or an API client.
"""

from __future__ import annotations

import hashlib
import secrets

SECRET_BYTES = 32


def new_secret(prefix: str = "") -> str:
    """A fresh URL-safe secret (256 bits), with an optional readable prefix."""
    return prefix + secrets.token_urlsafe(SECRET_BYTES)


def secret_digest(value: str) -> str:
    """The stored form of a secret: SHA-256 as 64 hex characters."""
    return hashlib.sha256(value.encode()).hexdigest()
