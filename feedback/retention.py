"""Retention of the personal parts of responses; the ratings always stay, anonymous.

- the names, phone numbers and e-mail addresses found in a comment (feedback.masking) are
  masked for good after COMMENT_RETENTION_DAYS: the masked comment stays, with its tags;
- the keyed hashes of the network address and of the browser are erased after
  HASH_RETENTION_DAYS (the integrity rules need them for minutes around a response, and a kiosk
  answer may arrive days late: feedback.rights.settings checks the setting at start-up);
- contact details are erased after CONTACT_RETENTION_DAYS (feedback.privacy).

Every function flushes, never commits; running them again finds nothing more to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update

from core.db import db
from feedback.cases.models import MASKABLE, Case
from feedback.cases.services import search_text
from feedback.masking import mask_personal
from feedback.models import Response

BATCH = 500


def mask_comment(response: Response, now: datetime) -> bool:
    """Mask the names and numbers in the response's comment for good (and in its case's search
    text); True when the comment changed. Flushes."""
    if response.comment_masked_at is not None or not response.comment:
        return False
    masked = mask_personal(response.comment)
    response.comment_masked_at = now
    if masked == response.comment:
        db.session.flush()
        return False
    response.comment = masked
    case = db.session.execute(
        select(Case).where(Case.response_id == response.id)).scalar_one_or_none()
    if case is not None:
        case.search_text = search_text(masked)
    db.session.flush()
    return True


def mask_timeline(case: Case) -> bool:
    """Mask the names, numbers and addresses in a case's timeline for good — the leaders' notes,
    the replies to the citizen and the e-mail outcomes (a rejected address is quoted in them);
    True when any changed. Flushes."""
    changed = False
    for event in case.events:
        for field in MASKABLE:
            text = getattr(event, field)
            if text and (masked := mask_personal(text)) != text:
                setattr(event, field, masked)
                changed = True
    db.session.flush()
    return changed


def _comments_due(cutoff: datetime):
    return (Response.submitted_at < cutoff, Response.comment.is_not(None),
            Response.comment_masked_at.is_(None))


def _hashes_due(cutoff: datetime):
    return (Response.submitted_at < cutoff,
            or_(Response.ip_hash.is_not(None), Response.device_hash.is_not(None)))


@dataclass(frozen=True)
class Due:
    """What a purge would do (or did): comments masked, responses whose hashes go."""

    comments_checked: int
    comments_masked: int
    hashes: int


def count_due(comment_cutoff: datetime, hash_cutoff: datetime) -> Due:
    """What a purge with these cutoffs would change, without changing anything."""
    comments = [text for text, in db.session.execute(
        select(Response.comment).where(*_comments_due(comment_cutoff)))]
    hashes = db.session.execute(select(db.func.count()).select_from(Response)
                                .where(*_hashes_due(hash_cutoff))).scalar_one()
    return Due(len(comments), sum(1 for text in comments if mask_personal(text) != text), hashes)


def mask_comments_before(cutoff: datetime, now: datetime) -> tuple[int, int]:
    """Mask the comments of responses given before `cutoff` not masked yet; returns (checked,
    changed). Flushes batch by batch."""
    checked = changed = 0
    while batch := list(db.session.execute(
            select(Response).where(*_comments_due(cutoff)).order_by(Response.id).limit(BATCH))
            .scalars()):
        for response in batch:
            changed += mask_comment(response, now)
        checked += len(batch)
    return checked, changed


def erase_hashes_before(cutoff: datetime) -> int:
    """Erase the address and device hashes of responses given before `cutoff`; returns how
    many responses held some. Flushes."""
    result = db.session.execute(
        update(Response).where(*_hashes_due(cutoff))
        .values(ip_hash=None, device_hash=None)
        .execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount
