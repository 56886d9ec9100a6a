"""Which responses open a case by themselves: a per-unit rule, because a rating is not a
complaint.

A case ("phản ánh, kiến nghị") is what Decision 766 counts as a complaint, so only what a
citizen actually raised opens one. By default: a comment tagged negative, or a "không hài lòng"
answer given with a reason; an integrity alert (bribery, harassment, informal fees) always
opens its urgent case, whatever the unit's rule. A low rating alone opens nothing: it counts as
"không hài lòng" in the ratios, not as a complaint. A unit's leader or administrator may narrow
the rule (which reasons count, whether a negative comment does) on the case-rule page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from accounts.models import User
from core.db import db, now_utc
from feedback.cases.models import CaseRule
from feedback.cases.workflow import REASON_DISSATISFIED, REASON_INTEGRITY, REASON_NEGATIVE
from feedback.reasons import REASONS, clean_reasons
from surveys.scale import is_dissatisfied


@dataclass(frozen=True)
class OpeningRule:
    """What opens a case in a unit, besides an integrity alert (which always does)."""

    on_negative_comment: bool = True
    #: The reasons that, given with a "không hài lòng" answer, open a case.
    reason_codes: frozenset[str] = frozenset(REASONS)


DEFAULT_RULE = OpeningRule()


def open_reasons(rule: OpeningRule, overall: int | None, reasons: Iterable[str],
                 sentiment_label: str | None, integrity_alert: bool) -> list[str]:
    """Why a response needs a case under the rule (empty: it does not)."""
    found = []
    if rule.on_negative_comment and sentiment_label == "negative":
        found.append(REASON_NEGATIVE)
    if is_dissatisfied(overall) and rule.reason_codes & set(reasons):
        found.append(REASON_DISSATISFIED)
    if integrity_alert:
        found.append(REASON_INTEGRITY)
    return found


def _stored(unit_id: int) -> CaseRule | None:
    return db.session.execute(
        select(CaseRule).where(CaseRule.unit_id == unit_id)).scalar_one_or_none()


def rule_for(unit_id: int) -> OpeningRule:
    """The unit's own rule, else the default."""
    stored = _stored(unit_id)
    if stored is None:
        return DEFAULT_RULE
    return OpeningRule(stored.on_negative_comment,
                       clean_reasons((stored.reason_codes or "").split(",")))


def has_own_rule(unit_id: int) -> bool:
    """Whether the unit set its own rule."""
    return _stored(unit_id) is not None


def save_rule(unit_id: int, rule: OpeningRule, actor: User) -> CaseRule:
    """Set the unit's own rule (for responses from now on). Flushes."""
    stored = _stored(unit_id) or CaseRule(unit_id=unit_id)
    stored.on_negative_comment = rule.on_negative_comment
    stored.reason_codes = ",".join(code for code in REASONS if code in rule.reason_codes)
    stored.updated_at = now_utc()
    stored.updated_by_id = actor.id
    db.session.add(stored)
    db.session.flush()
    return stored
