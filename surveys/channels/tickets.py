"""Signed submission tickets: each rendered form carries a one-use key bound to its counter,
the staff member it showed and the device that fetched it.

The key makes a second post of the same form (double tap, back-and-resubmit) store nothing, and
the signature means keys cannot be invented or moved to another counter. The staff member shown
on the form is signed in, so the response is theirs even if the counter is reassigned before
Send is pressed; the device binding means forms fetched by one browser cannot be posted by
another (collected and posted later in bulk); the signing time gives the fill time.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "hailong.submission"


@dataclass(frozen=True)
class Ticket:
    """What a valid ticket says."""

    key: str
    counter_id: int
    #: The staff member shown on the form (None: nobody was on duty).
    staff_id: int | None
    #: When the form was shown (UTC).
    issued_at: datetime


class TicketError(ValueError):
    """The ticket is forged, malformed, for another counter or from another device."""


class TicketExpired(TicketError):
    """The ticket is genuine but older than allowed."""


def _device_tag(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()[:16]


def issue_ticket(secret: str, counter_id: int, staff_id: int | None, device_id: str) -> str:
    """A new signed ticket for a form shown at a counter, naming the staff member shown."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(
        {"k": uuid.uuid4().hex, "c": counter_id, "s": staff_id, "d": _device_tag(device_id)}
    )


def read_ticket(secret: str, text: str, counter_id: int, device_id: str,
                max_age: int) -> Ticket:
    """Verify a ticket from a posted form; raise TicketError or TicketExpired."""
    serializer = URLSafeTimedSerializer(secret, salt=SALT)
    try:
        data, signed_at = serializer.loads(text or "", max_age=max_age, return_timestamp=True)
    except SignatureExpired as exc:
        raise TicketExpired(str(exc)) from exc
    except BadSignature as exc:
        raise TicketError(str(exc)) from exc
    if not isinstance(data, dict) or data.get("c") != counter_id:
        raise TicketError("ticket belongs to another counter")
    if data.get("d") != _device_tag(device_id):
        raise TicketError("ticket fetched by another device")
    key, staff_id = data.get("k"), data.get("s")
    if not isinstance(key, str) or len(key) != 32 or not (
            staff_id is None or (isinstance(staff_id, int) and not isinstance(staff_id, bool))):
        raise TicketError("malformed ticket")
    return Ticket(key=key, counter_id=counter_id, staff_id=staff_id, issued_at=signed_at)
