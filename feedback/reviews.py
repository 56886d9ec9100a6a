"""Leaders correcting a comment's sentiment label: the correction is recorded, append-only,
and moves the comment between the dashboard's sentiment counts at once."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import User
from core.db import db
from feedback.dashboard import rollups
from feedback.models import Response, SentimentLabel, SentimentReview
from feedback.sentiment import LABELS


class ReviewRefused(ValueError):
    """The correction would contradict what is known about the comment."""


def review_sentiment(response: Response, label: str, actor: User) -> SentimentReview | None:
    """Record `actor`'s label for the response's comment; None if it already has that label.

    An integrity alert keeps a comment negative (the alert and the label must never disagree),
    so another label is refused there, as is a label for a response without a comment. Flushes,
    never commits.
    """
    if label not in LABELS:
        raise ReviewRefused(f"unknown label {label!r}")
    if not response.comment:
        raise ReviewRefused("the response has no comment")
    if response.integrity_alert and label != SentimentLabel.NEGATIVE:
        raise ReviewRefused("a comment with an integrity alert stays negative")
    # two leaders correcting at once must not both move the comment out of the same count
    db.session.refresh(response, with_for_update=True)
    old = response.sentiment
    if old == label:
        return None
    review = SentimentReview(
        response=response, actor=actor, old_label=old, new_label=label,
        model_label=response.sentiment_label, model_version=response.sentiment_model,
    )
    db.session.add(review)
    response.reviewed_label = label
    if response.counted:  # a response held out of the counts is in no rollup
        rollups.move_sentiment(response, old, label)
    db.session.flush()
    return review


def reviews_of(response: Response) -> list[SentimentReview]:
    """The corrections of one response, oldest first."""
    return list(db.session.execute(
        select(SentimentReview).where(SentimentReview.response_id == response.id)
        .order_by(SentimentReview.at, SentimentReview.id)
    ).scalars())


def reviewed_labels() -> list[tuple[str, str]]:
    """(comment, label) of every comment whose label a leader set: extra training rows."""
    return [(comment, label) for comment, label in db.session.execute(
        select(Response.comment, Response.reviewed_label)
        .where(Response.reviewed_label.is_not(None), Response.comment.is_not(None))
        .order_by(Response.id)
    )]
