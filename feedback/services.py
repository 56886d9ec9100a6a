"""Recording responses: one transaction, attributed to the counter and the staff member on duty.

Every statement of a submission runs while it holds the database's write lock on SQLite, so the
work that needs no database (tagging the comment) is done before the first write, the answers
go in one statement, and the rollups (rows every response of a centre shares) are left to the
fold after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select

from core.db import db, now_utc
from feedback.attribution import Shown, attributed_staff
from feedback.cases.hooks import after_response_recorded
from feedback.hr.exclusions import rules_version
from feedback.hr.models import FlagRule
from feedback.models import Answer, Channel, Response
from feedback.reasons import clean_reasons, store_reasons
from feedback.scoring import OVERALL
from feedback.screening import current_rules, screen
from feedback.tagging import tag_response
from surveys.defaults import CONSENT_VERSION
from surveys.models import Counter, QuestionKind, Survey
from surveys.scale import SCALE


class SubmissionError(ValueError):
    """The submission cannot be stored as given."""


@dataclass(frozen=True)
class Submission:
    """What a citizen sent, already validated by the form."""

    submission_key: str
    ratings: dict[int, int]
    locale: str
    procedure_area_id: int | None = None
    comment: str | None = None
    contact_consent: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    channel: Channel = Channel.QR
    ip_hash: str | None = None
    device_hash: str | None = None
    #: Codes of the questions this channel asked (None: all); a kiosk asks only "overall".
    asked: frozenset[str] | None = None
    kiosk_id: int | None = None
    visit_id: int | None = None
    #: The staff member the form showed (signed into its ticket); None: the one on duty.
    shown: Shown | None = None
    #: Facts about the request that flag it at once (a form sent too fast, the honeypot).
    request_flags: Mapping[FlagRule, dict] = field(default_factory=dict)
    #: Reasons ticked for a "không hài lòng" answer (codes of feedback.reasons.REASONS).
    reasons: frozenset[str] = frozenset()
    #: The one-stop system's dossier code (mã hồ sơ) the citizen or the queue system gave.
    dossier_code: str | None = None


def find_by_submission_key(key: str) -> Response | None:
    """The response already stored for this submission key, if any."""
    return db.session.execute(
        select(Response).where(Response.submission_key == key)
    ).scalar_one_or_none()


def record_response(counter: Counter, survey: Survey, submission: Submission,
                    at: datetime | None = None, rollups: bool = True) -> Response:
    """Store a response and its answers, attributed to counter, centre, unit and staff member.

    The reasons ticked are stored with it. The comment is sentiment-tagged (left untagged if
    the tagger fails) and the response screened for integrity in the same transaction. It is
    stored `rollup_pending`: the fold adds it to the rollups (if counted) and evaluates its
    centre's alerts after the commit, see `feedback.dashboard.folding`. Contact details are kept
    only when the citizen ticked the consent box. Flushes; the caller commits (a unique
    submission key makes a concurrent duplicate fail at commit). `rollups=False` leaves the
    rollups to the caller, who rebuilds the months it stored (the demo seed: one GROUP BY per
    month), and evaluates the centre's alerts at once.
    """
    at = at or now_utc()
    questions = {q.id: q for q in survey.questions if q.kind == QuestionKind.RATING}
    unknown = set(submission.ratings) - set(questions)
    if unknown:
        raise SubmissionError("answers to questions of another survey")
    missing = [q.code for q in questions.values() if q.required and q.id not in submission.ratings
               and (submission.asked is None or q.code in submission.asked)]
    if missing:
        raise SubmissionError("required answers missing: " + ", ".join(missing))
    if any(value not in SCALE for value in submission.ratings.values()):
        raise SubmissionError("rating out of range")
    staff_id = attributed_staff(counter.id, at, submission.shown)
    consented = submission.contact_consent and bool(submission.contact_phone
                                                    or submission.contact_email)
    response = Response(
        public_id=str(uuid.uuid4()),
        submission_key=submission.submission_key,
        counter_id=counter.id,
        centre_id=counter.centre_id,
        unit_id=counter.centre.unit_id,
        staff_id=staff_id,
        survey_id=survey.id,
        procedure_area_id=submission.procedure_area_id,
        submitted_at=at,
        locale=submission.locale,
        channel=submission.channel,
        comment=submission.comment,
        contact_name=submission.contact_name if consented else None,
        contact_phone=submission.contact_phone if consented else None,
        contact_email=submission.contact_email if consented else None,
        contact_consent_at=at if consented else None,
        consent_version=CONSENT_VERSION if consented else None,
        ip_hash=submission.ip_hash,
        device_hash=submission.device_hash,
        kiosk_id=submission.kiosk_id,
        visit_id=submission.visit_id,
        screened_version=rules_version(current_rules()),
        dossier_code=submission.dossier_code,
        rollup_pending=rollups,
    )
    tag_response(response)
    db.session.add(response)
    db.session.flush()
    if submission.ratings:
        db.session.execute(insert(Answer), [
            {"response_id": response.id, "question_id": qid, "value": value}
            for qid, value in submission.ratings.items()])
    store_reasons(response.id, submission.reasons)
    suspected = screen(response, submission.request_flags)
    overall = next((value for qid, value in submission.ratings.items()
                    if questions[qid].code == OVERALL), None)
    after_response_recorded(response, suspected,
                            fresh=(overall, clean_reasons(submission.reasons)),
                            centre_alerts=not rollups)
    return response
