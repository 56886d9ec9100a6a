"""Move the demo's older cases along the workflow, so the inbox shows a realistic mix.

Cases opened more than three weeks ago are resolved and mostly closed (a few dismissed), those
opened one to three weeks ago are in progress; newer ones stay new. Only cases still new are
touched, so running the seed again changes nothing already handled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from accounts.auth import scoped_unit_ids
from accounts.models import User
from core.db import db
from feedback.cases.models import Case, CaseStatus, DismissReason
from feedback.cases.services import apply_action
from feedback.cases.sla import SlaPolicy
from feedback.cases.workflow import Action

OUTCOME = "Đã làm việc với cán bộ và bộ phận liên quan; đã gọi điện giải thích cho người dân."


def progress_demo_cases(today: datetime, actor: User, policy: SlaPolicy) -> int:
    """Handle the demo's new cases in the actor's wards by age; return how many were moved."""
    moved = 0
    cases = db.session.execute(
        select(Case).where(Case.status == CaseStatus.NEW,
                           Case.opened_at < today - timedelta(days=7),
                           Case.unit_id.in_(scoped_unit_ids(actor)))
        .order_by(Case.id)
    ).scalars()
    for case in cases:
        start = case.opened_at
        apply_action(case, Action.ACKNOWLEDGE, actor, policy, at=start + timedelta(hours=3))
        apply_action(case, Action.START, actor, policy, at=start + timedelta(days=1))
        if case.opened_at < today - timedelta(days=21):
            if case.id % 20 == 0:
                apply_action(case, Action.DISMISS, actor, policy, reason=DismissReason.UNFOUNDED,
                             text="Nội dung không có cơ sở.", at=start + timedelta(days=2))
            else:
                apply_action(case, Action.RESOLVE, actor, policy, text=OUTCOME,
                             at=start + timedelta(days=2))
                if case.id % 4:
                    apply_action(case, Action.CLOSE, actor, policy, at=start + timedelta(days=9))
        moved += 1
    return moved
