"""Stored integrity flags, HR's restorations, and which responses are left out of HR scores.

`ensure_scanned` runs the integrity rules over a unit's local months and stores the flags,
once per month and rule set (a month is rescanned until late answers can no longer arrive).
A response is excluded while it has a flag that applies (raised by the current rule set, or a
contest exclusion) that HR has not restored; restoring and excluding again are append-only
`FlagOverride` rows with a note. Functions flush; the caller commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from accounts.models import User
from core.db import db, now_utc
from feedback.hr.integrity import IntegrityRules, detect
from feedback.hr.models import (
    FlagOverride,
    FlagRule,
    IntegrityScan,
    OverrideAction,
    ResponseFlag,
)
from feedback.hr.queries import load_rows
from feedback.models import Response
from feedback.periods import add_months, local_midnight_utc, month_start


class ExclusionError(ValueError):
    """The restoration or exclusion asked for does not apply to this response."""


def rules_version(rules: IntegrityRules) -> str:
    """A short fingerprint of a rule set: flags remember which rules raised them."""
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:16]


def _margin(rules: IntegrityRules) -> timedelta:
    longest = max(rules.device_burst.minutes, rules.ip_burst.minutes, rules.identical.minutes,
                  rules.many_counters.minutes)
    return timedelta(minutes=longest)


def _insert(model):
    """INSERT … ON CONFLICT for the session's database (SQLite or PostgreSQL): concurrent
    reports of the same month store each flag and scan once."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def _insert_flags(values: list[dict]) -> None:
    if values:
        db.session.execute(_insert(ResponseFlag).values(values).on_conflict_do_nothing())


def scan_month(unit_id: int, month: date, rules: IntegrityRules, version: str) -> int:
    """Store the flags of one unit's local month (plus context either side); return how many
    were new."""
    start, end = local_midnight_utc(month), local_midnight_utc(add_months(month, 1))
    margin = _margin(rules)
    rows = load_rows([unit_id], start - margin, end + margin)
    inside = {row.id for row in rows if start <= row.submitted_at < end}
    found = {(flag.response_id, flag.rule): flag for flag in
             detect([row.integrity_row() for row in rows], rules)
             if flag.response_id in inside}
    existing = set(map(tuple, db.session.execute(
        select(ResponseFlag.response_id, ResponseFlag.rule).where(
            ResponseFlag.response_id.in_(sorted(inside)),
            ResponseFlag.rules_version == version)
    ).all())) if inside else set()
    created = now_utc()
    values = [{"response_id": rid, "rule": rule.value, "rules_version": version,
               "evidence": json.dumps(flag.evidence, sort_keys=True), "created_at": created}
              for (rid, rule), flag in sorted(found.items()) if (rid, rule) not in existing]
    for offset in range(0, len(values), 500):
        _insert_flags(values[offset:offset + 500])
    return len(values)


def ensure_scanned(unit_ids: Iterable[int], start: date, end: date, rules: IntegrityRules,
                   settle: timedelta, now: datetime | None = None) -> int:
    """Scan every local month overlapping days [start, end) of the units that is not already
    complete for these rules. A month is complete once `settle` (the longest delay of a late
    answer, e.g. a kiosk that was offline) has passed after its end. Returns new flags."""
    now = now or now_utc()
    version = rules_version(rules)
    months = []
    current = month_start(start)
    while current < end:
        months.append(current)
        current = add_months(current, 1)
    done = set(map(tuple, db.session.execute(
        select(IntegrityScan.unit_id, IntegrityScan.month).where(
            IntegrityScan.unit_id.in_(sorted(unit_ids)), IntegrityScan.month.in_(months),
            IntegrityScan.rules_version == version, IntegrityScan.complete.is_(True))
    ).all()))
    new = 0
    for unit_id in sorted(unit_ids):
        for month in months:
            if (unit_id, month) in done:
                continue
            new += scan_month(unit_id, month, rules, version)
            complete = now >= local_midnight_utc(add_months(month, 1)) + settle
            statement = _insert(IntegrityScan).values(
                unit_id=unit_id, month=month, rules_version=version, scanned_at=now,
                complete=complete)
            db.session.execute(statement.on_conflict_do_update(
                index_elements=["unit_id", "month", "rules_version"],
                set_={"scanned_at": now, "complete": complete}))
    db.session.flush()
    return new


def is_excluded(flag_times: Iterable[datetime],
                overrides: Iterable[tuple[OverrideAction, datetime]]) -> bool:
    """Whether applying flags (their creation times) and HR's overrides exclude a response.

    The latest override decides: "exclude" excludes; "restore" lets the response count unless
    a flag was raised after it. Without overrides, any applying flag excludes.
    """
    flag_times = list(flag_times)
    latest = max(overrides, key=lambda item: item[1], default=None)
    if latest is None:
        return bool(flag_times)
    action, at = latest
    if action == OverrideAction.EXCLUDE:
        return True
    return any(time > at for time in flag_times)


@dataclass
class Exclusion:
    """The flags and overrides of one response, and whether it is left out."""

    flags: list[ResponseFlag] = field(default_factory=list)
    overrides: list[FlagOverride] = field(default_factory=list)
    excluded: bool = False


def _applies(flag: ResponseFlag, version: str) -> bool:
    return flag.rule == FlagRule.CONTEST or flag.rules_version == version


def exclusions(response_ids: Iterable[int], rules: IntegrityRules) -> dict[int, Exclusion]:
    """Responses with applying flags or with overrides, each with its state."""
    version = rules_version(rules)
    ids = sorted(set(response_ids))
    found: dict[int, Exclusion] = {}
    for offset in range(0, len(ids), 5000):
        chunk = ids[offset:offset + 5000]
        for flag in db.session.execute(
            select(ResponseFlag).where(ResponseFlag.response_id.in_(chunk))
            .order_by(ResponseFlag.created_at, ResponseFlag.id)
        ).scalars():
            if _applies(flag, version):
                found.setdefault(flag.response_id, Exclusion()).flags.append(flag)
        for override in db.session.execute(
            select(FlagOverride).where(FlagOverride.response_id.in_(chunk))
            .order_by(FlagOverride.at, FlagOverride.id)
        ).scalars():
            found.setdefault(override.response_id, Exclusion()).overrides.append(override)
    for state in found.values():
        state.excluded = is_excluded((f.created_at for f in state.flags),
                                     ((o.action, o.at) for o in state.overrides))
    return found


def override(response: Response, action: OverrideAction, actor: User, note: str,
             rules: IntegrityRules) -> FlagOverride:
    """Restore an excluded response, or exclude a restored one again, with HR's note."""
    note = (note or "").strip()
    if not note:
        raise ExclusionError("a note is required")
    state = exclusions([response.id], rules).get(response.id, Exclusion())
    if action == OverrideAction.RESTORE and not state.excluded:
        raise ExclusionError("the response is not excluded")
    if action == OverrideAction.EXCLUDE and (state.excluded or not state.flags):
        raise ExclusionError("only a flagged response that was restored can be excluded again")
    row = FlagOverride(response_id=response.id, action=action, note=note, actor_id=actor.id,
                       at=now_utc())
    db.session.add(row)
    db.session.flush()
    return row


def exclude_for_contest(response: Response, contest_id: int, actor: User,
                        reason: str) -> ResponseFlag:
    """Exclude a response because HR accepted a contest of it."""
    flag = ResponseFlag(response_id=response.id, rule=FlagRule.CONTEST, contest_id=contest_id,
                        evidence=json.dumps({"reason": reason}, ensure_ascii=False),
                        created_by_id=actor.id, created_at=now_utc())
    db.session.add(flag)
    db.session.flush()
    return flag
