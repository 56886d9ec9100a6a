"""Sign-in rate limiting on the database: failed attempts counted per client address.

Works with several worker processes (the counts live in the database) and under concurrent
attempts: an attempt is written down (and committed by the caller) *before* its password is
checked, then the attempts already written decide whether it may go on, so forty simultaneous
guesses cannot all slip past a limit of five. A successful sign-in erases its own attempt.

Every limit backs off the *address*, never the account alone, so failures made elsewhere never
lock the real user out:
- `per_address`: failures for one username from one address;
- `per_address_all`: failures from one address across all usernames (a guesser trying names);
- `per_username`: when a username has that many failures from all addresses (a distributed
  guess), each address that has itself failed on it must wait; an address that has not is
  still let in.
Failures older than the window no longer count and are purged on the next attempt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from accounts.models import LoginFailure
from core.db import db


@dataclass(frozen=True)
class Limits:
    """Failures allowed within `window` (see the module's description)."""

    per_address: int
    per_address_all: int
    per_username: int
    window: timedelta

    @classmethod
    def from_config(cls, config) -> Limits:
        """The limits configured for the app."""
        return cls(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                   config["LOGIN_MAX_FAILURES_PER_USERNAME"],
                   timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]))


def _key(username: str) -> str:
    return (username or "").strip().lower()[:64]


def record_attempt(username: str, ip_hash: str | None, now: datetime,
                   limits: Limits) -> LoginFailure:
    """Write down an attempt as a failure before its password is checked, and forget failures
    older than the window. Flushes; commit before checking `wait_minutes`."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - limits.window))
    attempt = LoginFailure(username=_key(username), ip_hash=ip_hash, at=now)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _wait(times: list[datetime], limit: int, now: datetime, window: timedelta) -> int:
    """Minutes until fewer than `limit` of these failures remain in the window; 0 if already."""
    if len(times) <= limit:
        return 0
    times = sorted(times, reverse=True)
    free_at = times[limit] + window
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def wait_minutes(attempt: LoginFailure, now: datetime, limits: Limits) -> int:
    """Minutes this address must wait before trying this username; 0: go ahead and check the
    password. Counts every committed attempt, this one included: of N simultaneous attempts,
    the last to count sees all N, so no more than the limit can be let through."""
    since = now - limits.window
    recent = select(LoginFailure.at).where(LoginFailure.at > since)
    from_here = recent.where(LoginFailure.ip_hash == attempt.ip_hash)
    this_name = from_here.where(LoginFailure.username == attempt.username)
    own = list(db.session.execute(this_name).scalars())
    waits = [_wait(own, limits.per_address, now, limits.window),
             _wait(list(db.session.execute(from_here).scalars()), limits.per_address_all, now,
                   limits.window)]
    everywhere = db.session.execute(
        select(func.count()).select_from(LoginFailure).where(
            LoginFailure.at > since, LoginFailure.username == attempt.username)).scalar_one()
    if len(own) > 1 and everywhere > limits.per_username:
        waits.append(math.ceil(limits.window.total_seconds() / 60))
    return max(waits)


def forget_attempt(attempt: LoginFailure) -> None:
    """Take back an attempt that was refused before its password was checked. Flushes."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.id))
    db.session.flush()


def clear_failures(username: str, ip_hash: str | None) -> None:
    """Forget this address's failures for the username (this attempt included) after a
    successful sign-in. Flushes."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username),
                                                  LoginFailure.ip_hash == ip_hash))
    db.session.flush()
