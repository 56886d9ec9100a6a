"""Sign-in rate limiting on the database: failed attempts per username and client address.

Works with several worker processes (the counts live in the database). Failures older than the
window no longer count and are purged on the next failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from accounts.models import LoginFailure
from core.db import db


@dataclass(frozen=True)
class Limits:
    """At most `per_address` failures for one username from one address, and `per_username`
    from all addresses, within `window`."""

    per_address: int
    per_username: int
    window: timedelta

    @classmethod
    def from_config(cls, config) -> Limits:
        """The limits configured for the app."""
        return cls(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_USERNAME"],
                   timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]))


def _key(username: str) -> str:
    return (username or "").strip().lower()[:64]


def wait_minutes(username: str, ip_hash: str | None, now: datetime, limits: Limits) -> int:
    """Minutes to wait before this username may try again from this address; 0: go ahead."""
    since = now - limits.window
    recent = select(LoginFailure.at).where(LoginFailure.username == _key(username),
                                           LoginFailure.at > since)
    waits = []
    for query, limit in ((recent.where(LoginFailure.ip_hash == ip_hash), limits.per_address),
                         (recent, limits.per_username)):
        times = sorted(db.session.execute(query).scalars(), reverse=True)
        if len(times) >= limit:
            free_at = times[limit - 1] + limits.window
            waits.append(max(1, math.ceil((free_at - now).total_seconds() / 60)))
    return max(waits, default=0)


def record_failure(username: str, ip_hash: str | None, now: datetime, limits: Limits) -> None:
    """Count a failed sign-in and forget failures older than the window. Flushes."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - limits.window))
    db.session.add(LoginFailure(username=_key(username), ip_hash=ip_hash, at=now))
    db.session.flush()


def clear_failures(username: str, ip_hash: str | None) -> None:
    """Forget this address's failures for the username after a successful sign-in. Flushes."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username),
                                                  LoginFailure.ip_hash == ip_hash))
    db.session.flush()

