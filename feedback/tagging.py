"""Sentiment and topic tags on responses: at submission, and in resumable batches afterwards.

Tagging never blocks storing: if the tagger fails, the response is stored untagged and a later
`flask sentiment retag` (or the next run of it from cron) tags it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import or_, select

from core.db import db, now_utc
from feedback import sentiment
from feedback.models import Response

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
