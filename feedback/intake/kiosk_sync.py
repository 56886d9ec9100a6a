"""Answers delivered by an enrolled kiosk, possibly hours after they were given offline.

Each answer carries an idempotency key made on the tablet and the time it was given by the
tablet's clock. The tablet also says what its clock read when it sent the batch, so the
server can correct for a tablet clock that is off: given_at + (received_at - sent_at). The
corrected time must lie within the allowed offline age and not in the future (beyond a small
skew); the response is then stored with that time, attributed to the staff on duty then.

Two rules keep a kiosk key from being used to stuff the ballot. An answer may not have been
given before the kiosk was enrolled, nor before the kiosk's previous successful contact (the
last time it said its whole queue was delivered; it says so at least every minute while
online) minus a small margin for a batch in flight: answers cannot be back-dated onto earlier
shifts. And a kiosk takes answers at human speed only: more than `per_minute` answers given
within a minute of each other are refused.

A "không hài lòng" answer (1–3) carries the reasons ticked on the tablet (`reasons`, codes of
feedback.reasons); the tablet asks them before it lets the citizen send. An answer whose
citizen walked away before ticking one is stored without reasons when the screen times out (the
rating still counts), and so is one queued by a tablet that ran an older page.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.config import RESPONSE_COMMENT_MAX
from core.db import db
from core.params import DB_INT_MAX
from core.text import clean_text
from core.timeutil import day_in_range
from feedback.models import Channel, Response
from feedback.reasons import REASONS, clean_reasons
from feedback.services import Submission, SubmissionError, find_by_submission_key, record_response
from surveys.channels.kiosks import Kiosk
from surveys.models import QuestionKind, Survey
from surveys.queries import survey_applies_to
from surveys.scale import is_dissatisfied, is_rating

#: Answers a kiosk may send in one request; the tablet sends larger queues in chunks.
BATCH_MAX = 50
#: Bytes one request of answers may hold: BATCH_MAX answers whose comments are as long as
#: allowed, each character written the longest way JSON can ("\\u00e9", 6 bytes), plus the
#: other fields. More than the app's MAX_CONTENT_LENGTH: a batch refused as too large would
#: stay on the tablet, retried for ever.
BATCH_MAX_BYTES = BATCH_MAX * (6 * RESPONSE_COMMENT_MAX + 1024)
#: Offsets smaller than this are network latency, not a wrong clock.
_LATENCY = timedelta(seconds=2)
_KEY = re.compile(r"^[A-Za-z0-9-]{8,40}$")
#: The question a kiosk asks.
KIOSK_QUESTION = "overall"


class Status(enum.StrEnum):
    """What became of one delivered answer. The tablet forgets every answer with a status."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Outcome:
    """The server's word on one answer, sent back to the tablet."""

    key: str
    status: Status
    reason: str | None = None


@dataclass(frozen=True)
class Limits:
    """How old or how far ahead a kiosk answer's corrected time may be, and how fast a kiosk
    may take answers."""

    max_age: timedelta
    skew: timedelta
    languages: tuple[str, ...]
    #: Answers one kiosk may have given within a minute of each other.
    per_minute: int = 6
    #: How far before the previous contact an answer may have been given (a batch in flight).
    contact_margin: timedelta = timedelta(seconds=120)


def earliest_allowed(kiosk: Kiosk, limits: Limits) -> datetime | None:
    """The earliest time an answer of this kiosk may have been given: its enrolment, or its
    previous successful contact less the margin, whichever is later."""
    bounds = [moment for moment in (
        kiosk.enrolled_at,
        kiosk.synced_at - limits.contact_margin if kiosk.synced_at else None) if moment]
    return max(bounds) if bounds else None


def too_fast(kiosk: Kiosk, at: datetime, per_minute: int) -> bool:
    """Whether the kiosk already has `per_minute` answers given within a minute of `at` (read
    through the counter/time index: a kiosk belongs to one counter)."""
    minute = timedelta(minutes=1)
    near = db.session.execute(
        select(func.count()).select_from(Response).where(
            Response.counter_id == kiosk.counter_id, Response.kiosk_id == kiosk.id,
            Response.submitted_at > at - minute,
            Response.submitted_at < at + minute)).scalar_one()
    return near >= per_minute


def parse_time(value: object) -> datetime | None:
    """An aware datetime from ISO 8601 text with an offset (JavaScript's toISOString), within
    the supported years (so that clock arithmetic cannot overflow); None for anything else."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None or not day_in_range(parsed.replace(tzinfo=None)):
        return None
    return parsed


def clock_offset(sent_at: object, received_at: datetime) -> timedelta:
    """How far the tablet's clock is behind the server's (zero when unknown or negligible)."""
    sent = parse_time(sent_at)
    if sent is None:
        return timedelta(0)
    offset = received_at - sent
    return offset if abs(offset) > _LATENCY else timedelta(0)


def submission_key(kiosk_id: int, key: str) -> str:
    """The stored idempotency key: the tablet's key, namespaced by its kiosk."""
    return f"kiosk:{kiosk_id}:{key}"


def _comment(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("comment")
    text = clean_text(value)
    if text is None:
        return None
    if len(text) > RESPONSE_COMMENT_MAX or any(
        unicodedata.category(ch) in {"Cc", "Cs"} and ch not in "\n\r\t" for ch in text
    ):
        raise ValueError("comment")
    return text


def _survey_question(survey_id: object, unit_id: int) -> tuple[Survey, int] | None:
    """The survey version the kiosk showed (one its unit asks or asked) and its question."""
    if not isinstance(survey_id, int) or isinstance(survey_id, bool) \
            or not 1 <= survey_id <= DB_INT_MAX:
        return None
    survey = db.session.get(Survey, survey_id)
    if survey is None or not survey_applies_to(survey, unit_id):
        return None
    for question in survey.questions:
        if question.code == KIOSK_QUESTION and question.kind == QuestionKind.RATING:
            return survey, question.id
    return None


def deliver_answer(kiosk: Kiosk, raw: object, received_at: datetime, offset: timedelta,
                   limits: Limits) -> Outcome:
    """Validate one answer and store it unless it was stored before. Flushes; caller commits."""
    key = raw.get("key") if isinstance(raw, dict) else None
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        return Outcome(key if isinstance(key, str) else "", Status.REJECTED, "key")
    if find_by_submission_key(submission_key(kiosk.id, key)) is not None:
        return Outcome(key, Status.DUPLICATE)
    given = parse_time(raw.get("given_at"))
    if given is None:
        return Outcome(key, Status.REJECTED, "given_at")
    given += offset
    if given > received_at + limits.skew:
        return Outcome(key, Status.REJECTED, "in_future")
    if given < received_at - limits.max_age:
        return Outcome(key, Status.REJECTED, "too_old")
    earliest = earliest_allowed(kiosk, limits)
    if earliest is not None and given < earliest:
        return Outcome(key, Status.REJECTED, "before_contact")
    at = min(given, received_at)
    if too_fast(kiosk, at, limits.per_minute):
        return Outcome(key, Status.REJECTED, "too_fast")
    rating = raw.get("rating")
    if not is_rating(rating):
        return Outcome(key, Status.REJECTED, "rating")
    asked = _survey_question(raw.get("survey"), kiosk.counter.centre.unit_id)
    if asked is None:
        return Outcome(key, Status.REJECTED, "survey")
    try:
        comment = _comment(raw.get("comment"))
    except ValueError:
        return Outcome(key, Status.REJECTED, "comment")
    reasons = raw.get("reasons", [])
    if not isinstance(reasons, list) or len(reasons) > len(REASONS) \
            or not all(isinstance(code, str) for code in reasons) \
            or clean_reasons(reasons) != set(reasons):
        return Outcome(key, Status.REJECTED, "reasons")
    locale = raw.get("locale")
    survey, question_id = asked
    submission = Submission(
        submission_key=submission_key(kiosk.id, key),
        ratings={question_id: rating},
        locale=locale if locale in limits.languages else limits.languages[0],
        comment=comment,
        channel=Channel.KIOSK,
        asked=frozenset({KIOSK_QUESTION}),
        kiosk_id=kiosk.id,
        reasons=clean_reasons(reasons) if is_dissatisfied(rating) else frozenset(),
    )
    try:
        record_response(kiosk.counter, survey, submission, at=at)
    except SubmissionError:
        return Outcome(key, Status.REJECTED, "survey")
    return Outcome(key, Status.STORED)
