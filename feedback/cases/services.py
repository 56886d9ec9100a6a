"""Write operations on cases. Each one appends to the case's timeline; they flush, never commit."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select

from accounts.models import Role, User
from core.db import db, now_utc
from feedback.cases import opening, workflow
from feedback.cases.models import Case, CaseEvent, CaseStatus, DismissReason, EventKind
from feedback.cases.sla import SlaPolicy
from feedback.cases.textfold import fold
from feedback.cases.workflow import Action
from feedback.masking import mask_personal
from feedback.models import Answer, Response
from feedback.reasons import reasons_of
from feedback.scoring import OVERALL
from surveys.models import Question
from surveys.scale import SCALE


class CaseError(ValueError):
    """The change is not possible (e.g. a second case for one response, dismissal without a
    reason, a follow-up link used twice)."""


def _event(case: Case, kind: EventKind, actor: User | None, at: datetime, **fields) -> CaseEvent:
    event = CaseEvent(case_id=case.id, kind=kind, actor_id=actor.id if actor else None, at=at,
                      **fields)
    db.session.add(event)
    db.session.flush()
    return event


def lock_case(case: Case) -> Case:
    """Lock the case's row until the transaction ends (SELECT ... FOR UPDATE; SQLite has
    one writer at a time anyway) and read it again: two requests changing the same case at once
    take turns, and the second sees what the first did. Call it before checking the state."""
    return db.session.execute(
        select(Case).where(Case.id == case.id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()


def case_for_response(response_id: int) -> Case | None:
    """The case opened for a response, if any."""
    return db.session.execute(
        select(Case).where(Case.response_id == response_id)
    ).scalar_one_or_none()


def response_reasons(response: Response) -> list[str]:
    """Why this stored response needs a case under its unit's rule (empty: it does not)."""
    overall = db.session.execute(
        select(Answer.value).join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id == response.id, Question.code == OVERALL)).scalar()
    given = reasons_of([response.id]).get(response.id, set())
    return opening.open_reasons(opening.rule_for(response.unit_id), overall, given,
                                response.sentiment_label, response.integrity_alert)


def search_text(comment: str | None) -> str:
    """What the inbox search reads of a comment: folded, with names after a form of address,
    phone numbers and e-mail addresses masked (as every list shows them), so that a reader of
    masked comments cannot confirm a hidden name or number by searching for it."""
    return fold(mask_personal(comment))


def open_case(response: Response, reasons: list[str], policy: SlaPolicy,
              actor: User | None = None, at: datetime | None = None,
              fresh: bool = False) -> Case:
    """Open a case for a response (one per response; `fresh`: the response is being stored,
    it has none yet); the due date follows the SLA."""
    if not fresh and case_for_response(response.id) is not None:
        raise CaseError("this response already has a case")
    at = at or now_utc()
    priority = workflow.priority_for(reasons)
    case = Case(response_id=response.id, unit_id=response.unit_id, status=CaseStatus.NEW,
                priority=priority, reasons=",".join(reasons), opened_at=at,
                opened_by_id=actor.id if actor else None, due_on=policy.due_on(at, priority),
                search_text=search_text(response.comment))
    db.session.add(case)
    db.session.flush()
    _event(case, EventKind.OPENED, actor, at, to_status=CaseStatus.NEW, detail=case.reasons)
    return case


def open_case_if_needed(response: Response, policy: SlaPolicy, suspected: bool = False,
                        fresh: tuple[int | None, frozenset[str]] | None = None) -> Case | None:
    """Open a case for a response its unit's rule says needs one (`feedback.cases.opening`).

    A response suspected of stuffing opens no ordinary case; an integrity report (bribery,
    harassment, informal fees) always opens its urgent case. At submission the response has no
    case yet. When it already has one (its comment was tagged after the case was opened for its
    reason, by `flask sentiment tag-pending`), the reasons the tags add are added to that case,
    on its timeline; an integrity alert makes it urgent, with the urgent due date. Returns the
    case opened or changed, else None. `fresh` (overall answer, reasons ticked): the response
    is being stored with these (nothing to read back, no case yet).
    """
    if fresh is None:
        reasons = response_reasons(response)
    else:
        reasons = opening.open_reasons(opening.rule_for(response.unit_id), *fresh,
                                       response.sentiment_label, response.integrity_alert)
    if suspected and workflow.REASON_INTEGRITY not in reasons:
        return None
    if not reasons:
        return None
    case = None if fresh is not None else case_for_response(response.id)
    if case is None:
        return open_case(response, reasons, policy, at=response.submitted_at,
                         fresh=fresh is not None)
    known = case.reasons.split(",")
    added = [reason for reason in reasons if reason not in known]
    if not added:
        return None
    case.reasons = ",".join(known + added)
    priority = workflow.priority_for(known + added)
    if priority != case.priority:
        case.priority = priority
        case.due_on = min(case.due_on, policy.due_on(case.opened_at, priority))
    _event(case, EventKind.REASONS_ADDED, None, now_utc(), detail=",".join(added))
    return case


def withdraw_case(response: Response, at: datetime | None = None) -> CaseEvent | None:
    """Dismiss the ordinary case opened automatically for a response now held as suspected
    stuffing, while nobody has started on it; integrity cases and cases a leader opened or
    touched are left alone. Flushes."""
    case = case_for_response(response.id)
    if (case is None or case.status != CaseStatus.NEW or case.opened_by_id is not None
            or workflow.REASON_INTEGRITY in (case.reasons or "").split(",")):
        return None
    at = at or now_utc()
    case.status = workflow.next_status(case.status, Action.DISMISS)
    case.dismiss_reason = DismissReason.STUFFING
    return _event(case, EventKind.STATUS, None, at, from_status=CaseStatus.NEW,
                  to_status=case.status, detail=DismissReason.STUFFING.value)


def open_case_by_leader(response: Response, actor: User, policy: SlaPolicy,
                        at: datetime | None = None) -> Case:
    """A leader opens a case for any response (urgent when the response has an integrity
    alert)."""
    reasons = [workflow.REASON_LEADER]
    if response.integrity_alert:
        reasons.append(workflow.REASON_INTEGRITY)
    return open_case(response, reasons, policy, actor=actor, at=at)


def apply_action(case: Case, action: Action, actor: User, policy: SlaPolicy, *,
                 reason: DismissReason | None = None, text: str | None = None,
                 at: datetime | None = None) -> CaseEvent:
    """Move the case through the workflow (IllegalTransition for a move that is not allowed).

    Resolving needs the outcome written (urgent cases too); dismissing needs a reason;
    reopening clears the resolution and gives the case a new due date. A case nobody was given
    becomes the acting leader's.
    """
    at = at or now_utc()
    target = workflow.next_status(case.status, action)
    if action == Action.DISMISS and reason is None:
        raise CaseError("a dismissal needs a reason")
    if action == Action.RESOLVE and not (text or "").strip():
        raise CaseError("resolving needs the outcome")
    _claim(case, actor, at)
    previous = case.status
    case.status = target
    if action == Action.RESOLVE:
        case.resolved_at = at
        case.outcome = text
    elif action == Action.CLOSE:
        case.closed_at = at
    elif action == Action.DISMISS:
        case.dismiss_reason = reason
    elif action == Action.REOPEN:
        case.resolved_at = case.closed_at = case.dismiss_reason = None
        case.due_on = policy.due_on(at, case.priority)
    return _event(case, EventKind.STATUS, actor, at, from_status=previous, to_status=target,
                  body=text or None, detail=reason.value if reason else action.value)


def _claim(case: Case, actor: User, at: datetime) -> None:
    """The leader who acts on a case nobody was given becomes its "Người xử lý"."""
    if case.assignee_id is None and actor.role == Role.LEADER:
        assign(case, actor, actor, at)


def assign(case: Case, assignee: User | None, actor: User,
           at: datetime | None = None) -> CaseEvent:
    """Give the case to a user (None: to nobody)."""
    case.assignee_id = assignee.id if assignee else None
    return _event(case, EventKind.ASSIGNED, actor, at or now_utc(),
                  detail=assignee.username if assignee else "")


def add_note(case: Case, actor: User, body: str, at: datetime | None = None) -> CaseEvent:
    """An internal note: leaders only, never shown to staff or the citizen."""
    return _event(case, EventKind.NOTE, actor, at or now_utc(), body=body, internal=True)


def add_reply(case: Case, actor: User, body: str, at: datetime | None = None) -> CaseEvent:
    """Record the reply given to the citizen (sent by e-mail separately, when possible); a case
    nobody was given becomes the replying leader's."""
    at = at or now_utc()
    _claim(case, actor, at)
    return _event(case, EventKind.REPLY, actor, at, body=body)


def record_mail(case: Case, outcome: str, at: datetime | None = None) -> CaseEvent:
    """Record an e-mail's fate on the timeline ("sent:reply", "failed:followup: <error>")."""
    return _event(case, EventKind.MAIL, None, at or now_utc(), detail=outcome[:200])


def issue_followup(case: Case, at: datetime | None = None) -> str:
    """Give the case a fresh follow-up nonce (a former link stops working); returns it."""
    if not case.response.has_contact:
        raise CaseError("the citizen left no consented contact")
    at = at or now_utc()
    case.followup_nonce = secrets.token_urlsafe(16)
    case.followup_issued_at = at
    case.followup_answered_at = case.followup_solved = case.followup_rating = None
    _event(case, EventKind.FOLLOWUP_ISSUED, None, at)
    return case.followup_nonce


def record_followup(case: Case, nonce: str, solved: bool, rating: int,
                    at: datetime | None = None) -> CaseEvent:
    """Store the citizen's answer to the follow-up link, once per link."""
    if case.followup_nonce is None or not secrets.compare_digest(case.followup_nonce, nonce):
        raise CaseError("this link is no longer valid")
    if case.followup_answered_at is not None:
        raise CaseError("this link was already used")
    if rating not in SCALE:
        raise CaseError("rating out of range")
    at = at or now_utc()
    case.followup_answered_at = at
    case.followup_solved = solved
    case.followup_rating = rating
    return _event(case, EventKind.FOLLOWUP, None, at,
                  detail=f"solved={'yes' if solved else 'no'};rating={rating}")
