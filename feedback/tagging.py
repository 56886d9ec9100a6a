"""Sentiment and topic tags on responses: at submission, and in resumable batches afterwards.

Tagging never blocks storing: if the tagger fails, the response is stored untagged and marked
(`tagging_failed_at`); `flask sentiment tag-pending`, run from cron, tags it and then does what
the tags call for (a case, an urgent case, a centre alert). `/healthz` reports that backlog.
`flask sentiment retag` re-tags comments after a model change.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from core.db import db, now_utc
from feedback import sentiment
from feedback.cases.hooks import after_response_recorded
from feedback.dashboard.rollups import record_tag_rollups
from feedback.models import Response
from feedback.screening import suspected_of_stuffing

log = logging.getLogger(__name__)


def apply_tagging(response: Response, tagging: sentiment.Tagging) -> None:
    """Copy a tagging onto the response."""
    response.sentiment_label = tagging.label
    response.sentiment_confidence = tagging.confidence
    response.sentiment_model = tagging.model_version
    response.topics = ",".join(tagging.topics) or None
    response.integrity_alert = tagging.integrity_alert
    response.tagged_at = now_utc()


def tag_response(response: Response) -> bool:
    """Tag a response's comment in place; False (and the response left untagged) on failure."""
    if not response.comment:
        return True
    try:
        tagging = sentiment.tag(response.comment)
    except Exception:  # the tagger must never cost us a response
        log.exception("sentiment tagging failed; response %s stored untagged", response.public_id)
        response.tagging_failed_at = response.tagging_failed_at or now_utc()
        return False
    apply_tagging(response, tagging)
    return True


def needs_tagging():
    """Responses with a comment that are untagged or tagged by another model version."""
    return (Response.comment.is_not(None),
            or_(Response.sentiment_model.is_(None),
                Response.sentiment_model != sentiment.model_version()))


def pending_count() -> int:
    """How many responses `retag_batch` still has to do."""
    return db.session.execute(
        select(db.func.count()).select_from(Response).where(*needs_tagging())
    ).scalar_one()


def retag_batch(after_id: int, size: int) -> Sequence[Response]:
    """Tag the next `size` pending responses with id > after_id; the caller commits."""
    batch = list(db.session.execute(
        select(Response).where(Response.id > after_id, *needs_tagging())
        .order_by(Response.id).limit(size)
    ).scalars())
    for response, tagging in zip(batch, sentiment.tag_many([r.comment for r in batch]),
                                 strict=True):
        apply_tagging(response, tagging)
    return batch


@dataclass(frozen=True)
class Backlog:
    """Responses whose tagging failed and that `tag-pending` has not caught up with yet."""

    count: int
    #: When the oldest of them failed (None: no backlog).
    oldest: datetime | None


def backlog() -> Backlog:
    """The tagging backlog (two index look-ups, cheap enough for every health check)."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(Response.tagging_failed_at))
        .where(Response.tagging_failed_at.is_not(None))
    ).one()
    return Backlog(count, oldest)


def failed_batch(after_id: int, size: int) -> Sequence[Response]:
    """The next `size` responses of the backlog with id > after_id, oldest first."""
    return db.session.execute(
        select(Response).where(Response.tagging_failed_at.is_not(None), Response.id > after_id)
        .order_by(Response.id).limit(size)
    ).scalars().all()


def catch_up(response: Response) -> bool:
    """Tag a response whose tagging failed and do what its submission would have done with the
    tags: count them in the dashboards, open (or make urgent) its case, evaluate its centre's
    alerts. True when done, and the mark cleared; False when the tagger or the case handling
    failed again (it stays in the backlog for the next run). Flushes; the caller commits.
    """
    if response.tagged_at is None:  # else `sentiment retag` tagged it and rebuilt the rollups
        if not tag_response(response):
            return False
        db.session.flush()
        if response.counted:
            record_tag_rollups(response)
    if not after_response_recorded(response, suspected_of_stuffing(response.id)):
        return False
    response.tagging_failed_at = None
    db.session.flush()
    return True
