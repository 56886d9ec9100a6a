"""One-time codes that confirm a citizen's request: six digits e-mailed to the address they
left, stored only as a keyed hash, valid for minutes, a few wrong tries, used once, and only a
few sent per case a day."""

from __future__ import annotations

import enum
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.db import db
from core.hashing import keyed_hash
from feedback.cases.models import Case
from feedback.rights.models import RequestKind, RightsCode

DIGITS = 6


class CodeCheck(enum.StrEnum):
    """What became of a code the citizen typed."""

    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    #: Too many wrong tries, or used already: a new code is needed.
    SPENT = "spent"


class TooManyCodes(RuntimeError):
    """The case was sent its daily number of codes already."""


def _hash(secret: str, code_id: int, code: str) -> str:
    return keyed_hash(secret, f"{code_id}:{code}") or ""


def issue_code(case: Case, kind: RequestKind, secret: str, now: datetime, ttl_minutes: int,
               per_day: int) -> str:
    """A fresh code for the case and kind (returned once, to be sent; earlier codes of the
    case stop working). TooManyCodes past `per_day` codes in 24 hours. Flushes."""
    sent = db.session.execute(select(func.count()).select_from(RightsCode).where(
        RightsCode.case_id == case.id,
        RightsCode.created_at > now - timedelta(days=1))).scalar_one()
    if sent >= per_day:
        raise TooManyCodes(case.reference)
    for earlier in db.session.execute(select(RightsCode).where(
            RightsCode.case_id == case.id, RightsCode.used_at.is_(None))).scalars():
        earlier.used_at = now
    code = "".join(secrets.choice("0123456789") for _ in range(DIGITS))
    row = RightsCode(case_id=case.id, kind=kind, code_hash="", created_at=now,
                     expires_at=now + timedelta(minutes=ttl_minutes), attempts=0)
    db.session.add(row)
    db.session.flush()
    row.code_hash = _hash(secret, row.id, code)
    db.session.flush()
    return code


def check_code(case: Case, kind: RequestKind, typed: str, secret: str, now: datetime,
               max_attempts: int) -> CodeCheck:
    """Check the code typed for the case's latest unused code of this kind; a right one is
    spent, a wrong one counts as a try. Flushes (the caller commits either way)."""
    row = db.session.execute(select(RightsCode).where(
        RightsCode.case_id == case.id, RightsCode.kind == kind, RightsCode.used_at.is_(None))
        .order_by(RightsCode.id.desc()).limit(1)).scalar_one_or_none()
    if row is None or row.attempts >= max_attempts:
        return CodeCheck.SPENT
    if row.expires_at <= now:
        return CodeCheck.EXPIRED
    clean = "".join(ch for ch in typed or "" if ch.isdigit())
    if not hmac.compare_digest(row.code_hash, _hash(secret, row.id, clean)):
        row.attempts += 1
        if row.attempts >= max_attempts:
            row.used_at = now
        db.session.flush()
        return CodeCheck.WRONG if row.attempts < max_attempts else CodeCheck.SPENT
    row.used_at = now
    db.session.flush()
    return CodeCheck.OK
