"""Real-time alerts per centre: too many unhappy citizens in a short window, or an integrity alert.

An alert opens when a centre's recent responses cross its thresholds, stays one per kind while
the condition holds, and closes itself (resolved_at) when an evaluation finds the centre
recovered. Evaluations run at each submission and when a leader's landing page is shown.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select

from accounts.auth import accounts_by_unit
from accounts.models import Role, User
from core.db import db, now_utc
from feedback.cases import workflow
from feedback.cases.models import AlertKind, AlertRule, CentreAlert
from feedback.models import Answer, Response


@dataclass(frozen=True)
class Thresholds:
    """When a centre's window of recent responses trips an alert."""

    window_minutes: int
    unhappy_share: float
    min_responses: int
    on_integrity: bool

    @classmethod
    def from_config(cls, config: Mapping) -> Thresholds:
        """The configured defaults (ALERT_*)."""
        return cls(config["ALERT_WINDOW_MINUTES"], config["ALERT_UNHAPPY_SHARE"],
                   config["ALERT_MIN_RESPONSES"], config["ALERT_ON_INTEGRITY"])


@dataclass(frozen=True)
class WindowCounts:
    """Responses in the window: all, unhappy ones, and those with an integrity alert."""

    total: int
    unhappy: int
    flagged: int


def tripped(thresholds: Thresholds, counts: WindowCounts) -> dict[AlertKind, int]:
    """The alert kinds the counts trip, each with how many responses matched."""
    found = {}
    if counts.total and counts.total >= thresholds.min_responses \
            and counts.unhappy / counts.total >= thresholds.unhappy_share:
        found[AlertKind.UNHAPPY] = counts.unhappy
    if thresholds.on_integrity and counts.flagged:
        found[AlertKind.INTEGRITY] = counts.flagged
    return found


def thresholds_for(centre_id: int, config: Mapping) -> Thresholds:
    """The centre's own thresholds, else the configured defaults."""
    rule = rule_for(centre_id)
    if rule is None:
        return Thresholds.from_config(config)
    return Thresholds(rule.window_minutes, rule.unhappy_share, rule.min_responses,
                      rule.on_integrity)


def rule_for(centre_id: int) -> AlertRule | None:
    """The centre's stored thresholds, if it has its own."""
    return db.session.execute(_statements()["rule"],
                              {"centre_id": centre_id}).scalar_one_or_none()


@functools.cache
def _statements() -> dict:
    """The queries every submission runs (through `evaluate_centre`), built once."""
    centre = bindparam("centre_id")
    lowest = (select(func.min(Answer.value)).where(Answer.response_id == Response.id)
              .correlate(Response).scalar_subquery())
    return {
        "rule": select(AlertRule).where(AlertRule.centre_id == centre),
        "window": select(Response.sentiment_label, Response.integrity_alert, lowest,
                         Response.counted)
        .where(Response.centre_id == centre, Response.submitted_at > bindparam("start"),
               Response.submitted_at <= bindparam("end")),
        "active": select(CentreAlert).where(CentreAlert.centre_id == centre,
                                            CentreAlert.kind != AlertKind.STUFFING,
                                            CentreAlert.resolved_at.is_(None)),
    }


def save_rule(centre_id: int, thresholds: Thresholds, actor: User) -> AlertRule:
    """Give a centre its own thresholds (replacing former ones). Flushes."""
    rule = rule_for(centre_id) or AlertRule(centre_id=centre_id)
    rule.window_minutes = thresholds.window_minutes
    rule.unhappy_share = thresholds.unhappy_share
    rule.min_responses = thresholds.min_responses
    rule.on_integrity = thresholds.on_integrity
    rule.updated_at = now_utc()
    rule.updated_by_id = actor.id
    db.session.add(rule)
    db.session.flush()
    return rule


def window_counts(centre_id: int, start: datetime, end: datetime) -> WindowCounts:
    """Count the centre's responses submitted in (start, end] (unhappy ones only among the
    counted: responses held as suspected stuffing trip no unhappy alert).

    Only the window's responses are read (centre/time index), and each one's lowest rating by a
    correlated lookup on its answers: never a scan of all answers.
    """
    rows = db.session.execute(_statements()["window"],
                              {"centre_id": centre_id, "start": start, "end": end}).all()
    unhappy = flagged = 0
    for label, integrity, lowest_rating, counted in rows:
        unhappy += counted and workflow.is_unhappy(lowest_rating, label)
        flagged += bool(integrity)
    return WindowCounts(len(rows), unhappy, flagged)


def _active(centre_id: int) -> dict[AlertKind, CentreAlert]:
    """The centre's active window alerts (stuffing alerts are the screening's, closed when a
    leader acknowledges them)."""
    alerts = db.session.execute(_statements()["active"], {"centre_id": centre_id}).scalars()
    return {alert.kind: alert for alert in alerts}


def evaluate_centre(centre_id: int, at: datetime, config: Mapping) -> list[CentreAlert]:
    """Open the alerts the centre trips at `at`, close those it no longer trips.

    Returns the alerts opened now. Flushes.
    """
    thresholds = thresholds_for(centre_id, config)
    counts = window_counts(centre_id, at - timedelta(minutes=thresholds.window_minutes), at)
    trips = tripped(thresholds, counts)
    active = _active(centre_id)
    opened = []
    for kind, matching in trips.items():
        if kind not in active:
            alert = CentreAlert(centre_id=centre_id, kind=kind, opened_at=at, matching=matching,
                                total=counts.total, window_minutes=thresholds.window_minutes)
            db.session.add(alert)
            opened.append(alert)
    for kind, alert in active.items():
        if kind not in trips and at >= alert.opened_at:  # late (queued) answers close nothing
            alert.resolved_at = at
    db.session.flush()
    return opened


def refresh(centre_ids: Iterable[int], at: datetime, config: Mapping) -> None:
    """Re-evaluate the centres that have active alerts, so recovered ones close. Flushes."""
    with_active = set(db.session.execute(
        select(CentreAlert.centre_id).where(CentreAlert.resolved_at.is_(None),
                                            CentreAlert.centre_id.in_(list(centre_ids)))
    ).scalars())
    for centre_id in sorted(with_active):
        evaluate_centre(centre_id, at, config)


class AlreadyAcknowledged(ValueError):
    """The alert was acknowledged already: the first leader's word and time stand."""


def acknowledge(alert: CentreAlert, actor: User, comment: str,
                at: datetime | None = None) -> None:
    """A leader has seen the alert and says what is being done; a stuffing alert closes then
    (the held responses wait for HR; a new burst opens a new alert). Flushes. The alert's row
    is locked first, so of two leaders acknowledging at once the second is refused
    (`AlreadyAcknowledged`) instead of writing over the first."""
    alert = db.session.execute(
        select(CentreAlert).where(CentreAlert.id == alert.id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()
    if alert.acknowledged_at is not None:
        raise AlreadyAcknowledged(f"alert {alert.id} was acknowledged already")
    alert.acknowledged_at = at or now_utc()
    if alert.kind == AlertKind.STUFFING:
        alert.resolved_at = alert.acknowledged_at
    alert.acknowledged_by_id = actor.id
    alert.ack_comment = comment
    db.session.flush()


def leaders_for_unit(unit_id: int) -> list[User]:
    """Active leaders whose scope covers the unit."""
    return accounts_by_unit(Role.LEADER, [unit_id])[unit_id]
