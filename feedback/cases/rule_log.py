"""Changes to what opens a case in a unit and to a centre's alert thresholds, recorded in the
audit log (who, when, from which page, before → after): they decide which complaints and
alerts reach a leader, so turning one off is never silent."""

from __future__ import annotations

from flask_babel import gettext as _

from accounts.audit import AuditAction, AuditTarget
from accounts.audit_views import log_admin
from core.i18n import name_of
from feedback.cases.alerts import Thresholds
from feedback.cases.opening import OpeningRule
from feedback.reasons import REASONS


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def describe_opening(rule: OpeningRule) -> str:
    """The rule in words, in the current language."""
    return _("on a negative comment: %(answer)s; on the reasons: %(reasons)s",
             answer=_yes_no(rule.on_negative_comment),
             reasons=", ".join(name_of(REASONS, code) for code in REASONS
                               if code in rule.reason_codes) or "—")


def describe_thresholds(thresholds: Thresholds) -> str:
    """The thresholds in words, in the current language."""
    return _("%(share)s %% dissatisfied of at least %(n)s responses in %(minutes)s minutes; "
             "on integrity alerts: %(answer)s", share=round(thresholds.unhappy_share * 100),
             n=thresholds.min_responses, minutes=thresholds.window_minutes,
             answer=_yes_no(thresholds.on_integrity))


def log_change(target: AuditTarget, target_id: int, unit_id: int, name: str, before: str,
               after: str) -> None:
    """Record the signed-in user's change of a rule (nothing when it did not change)."""
    if before != after:
        log_admin(AuditAction.CHANGED, target, target_id, unit_id,
                  _("%(name)s: %(before)s → %(after)s", name=name, before=before, after=after))
