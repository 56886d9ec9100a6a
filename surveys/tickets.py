"""Signed submission tickets: each rendered form carries a one-use key bound to its counter.

The key makes a second post of the same form (double tap, back-and-resubmit) store nothing,
and the signature means keys cannot be invented or moved to another counter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "hailong.submission"


@dataclass(frozen=True)
class Ticket:
    """What a valid ticket says: the idempotency key and the counter it belongs to."""

    key: str
    counter_id: int


class TicketError(ValueError):
    """The ticket is forged, malformed or for another counter."""


class TicketExpired(TicketError):
    """The ticket is genuine but older than allowed."""


def issue_ticket(secret: str, counter_id: int) -> str:
    """A new signed ticket for a form shown at a counter."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(
        {"k": uuid.uuid4().hex, "c": counter_id}
    )


def read_ticket(secret: str, text: str, counter_id: int, max_age: int) -> Ticket:
    """Verify a ticket from a posted form; raise TicketError or TicketExpired."""
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    try:
        data = serializer.loads(text or "", max_age=max_age)
    except SignatureExpired as exc:
        raise TicketExpired(str(exc)) from exc
    except BadSignature as exc:
        raise TicketError(str(exc)) from exc
    if not isinstance(data, dict) or data.get("c") != counter_id:
        raise TicketError("ticket belongs to another counter")
    key = data.get("k")
    if not isinstance(key, str) or len(key) != 32:
        raise TicketError("malformed ticket")
    return Ticket(key=key, counter_id=counter_id)
