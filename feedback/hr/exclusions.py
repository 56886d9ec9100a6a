"""Stored integrity flags, HR's restorations, and which responses are left out of scores.

Flags are raised when a response is stored (`feedback.screening`), each with the fingerprint of
the rule set that raised it. A response is excluded while it has a flag that applies (raised by
the rules that last screened it, a request fact, or a contest exclusion) that HR has not
restored; restoring and excluding again are append-only `FlagOverride` rows with a note. The
outcome is kept on the response (`Response.counted`) by `refresh_counted`, which every reader
(HR, dashboards, cases) uses. Functions flush; the caller commits.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from accounts.models import User
from core.db import db, now_utc
from feedback.dashboard.rollups import adjust_rollups
from feedback.hr.flags import REQUEST_RULES, FlagRule
from feedback.hr.integrity import IntegrityRules
from feedback.hr.models import FlagOverride, OverrideAction, ResponseFlag
from feedback.models import Response


class ExclusionError(ValueError):
    """The restoration or exclusion asked for does not apply to this response."""


class SelfDecision(ExclusionError):
    """The officer is the staff member the response was given to."""


#: Fingerprints of the rule sets seen, by id (each stored response is screened: the app's
#: rules are one object, fingerprinted once). The rule set is kept so its id is not reused.
_VERSIONS: dict[int, tuple[IntegrityRules, str]] = {}


def rules_version(rules: IntegrityRules) -> str:
    """A short fingerprint of a rule set: flags remember which rules raised them."""
    known = _VERSIONS.get(id(rules))
    if known is None or known[0] is not rules:
        if len(_VERSIONS) > 64:
            _VERSIONS.clear()
        known = _VERSIONS[id(rules)] = (rules, hashlib.sha256(repr(rules).encode())
                                        .hexdigest()[:16])
    return known[1]


@functools.cache
def _insert_ignoring(model, dialect: str):
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model) \
        .on_conflict_do_nothing()


def insert_ignoring_duplicates(model, values: list[dict]) -> None:
    """INSERT … ON CONFLICT DO NOTHING for the session's database (SQLite or PostgreSQL):
    concurrent screenings of the same window store each flag once. The statement is built
    once and run for the list of rows (every stored response may add flags)."""
    if values:
        db.session.execute(_insert_ignoring(model, db.session.get_bind().dialect.name), values)


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


def _applies(flag: ResponseFlag, screened_by: str | None) -> bool:
    return flag.rules_version is None or flag.rules_version == screened_by


@functools.cache
def _flags_and_overrides():
    """The flags (with their response's screening version) and the overrides of the
    responses `ids`, oldest first; built once (every stored response is screened)."""
    ids = bindparam("ids", expanding=True)
    return (select(ResponseFlag, Response.screened_version)
            .join(Response, Response.id == ResponseFlag.response_id)
            .where(ResponseFlag.response_id.in_(ids))
            .order_by(ResponseFlag.created_at, ResponseFlag.id),
            select(FlagOverride).where(FlagOverride.response_id.in_(ids))
            .order_by(FlagOverride.at, FlagOverride.id))


def exclusions(response_ids: Iterable[int]) -> dict[int, Exclusion]:
    """Responses with applying flags or with overrides, each with its state."""
    ids = sorted(set(response_ids))
    found: dict[int, Exclusion] = {}
    flags, overrides = _flags_and_overrides()
    for offset in range(0, len(ids), 5000):
        chunk = {"ids": ids[offset:offset + 5000]}
        for flag, screened_by in db.session.execute(flags, chunk):
            if _applies(flag, screened_by):
                found.setdefault(flag.response_id, Exclusion()).flags.append(flag)
        for override in db.session.execute(overrides, chunk).scalars():
            found.setdefault(override.response_id, Exclusion()).overrides.append(override)
    for state in found.values():
        state.excluded = is_excluded((f.created_at for f in state.flags),
                                     ((o.action, o.at) for o in state.overrides))
    return found


def refresh_counted(response_ids: Iterable[int], fresh: Response | None = None) -> list[Response]:
    """Recompute `Response.counted` from flags and overrides. A response that leaves the
    counted ones leaves the dashboards' rollups; one that rejoins (restored by HR) is added
    back. `fresh` is a response being stored, not in the rollups yet: only its `counted` is
    set. Returns those that changed. Flushes."""
    ids = sorted(set(response_ids))
    if not ids:
        return []
    states = exclusions(ids)
    changed = []
    for response in db.session.execute(
            select(Response).where(Response.id.in_(ids))).scalars():
        counted = not (response.id in states and states[response.id].excluded)
        if response.counted != counted:
            response.counted = counted
            changed.append(response)
    db.session.flush()
    for response in changed:
        if response is fresh:
            continue
        adjust_rollups(response, +1 if response.counted else -1)
    return changed


def add_flags(flags: Iterable[tuple[int, FlagRule, dict]], version: str | None,
              at: datetime | None = None) -> None:
    """Store flags (response id, rule, evidence) raised by the rules of `version` (None for
    request facts); a flag stored before is left as it is. Flushes."""
    at = at or now_utc()
    values = [{"response_id": rid, "rule": rule.value,
               "rules_version": None if rule in REQUEST_RULES else version,
               "evidence": json.dumps(evidence, sort_keys=True), "created_at": at}
              for rid, rule, evidence in flags]
    for offset in range(0, len(values), 500):
        insert_ignoring_duplicates(ResponseFlag, values[offset:offset + 500])
    db.session.flush()


def override(response: Response, action: OverrideAction, actor: User,
             note: str) -> FlagOverride:
    """Restore an excluded response, or exclude a restored one again, with HR's note. The
    response row is locked first: of two officers doing the same at once, the second finds it
    done (ExclusionError)."""
    note = (note or "").strip()
    if not note:
        raise ExclusionError("a note is required")
    if actor.is_staff(response.staff_id):
        raise SelfDecision("nobody restores or excludes a response given to themselves")
    db.session.refresh(response, with_for_update=True)
    state = exclusions([response.id]).get(response.id, Exclusion())
    if action == OverrideAction.RESTORE and not state.excluded:
        raise ExclusionError("the response is not excluded")
    if action == OverrideAction.EXCLUDE and (state.excluded or not state.flags):
        raise ExclusionError("only a flagged response that was restored can be excluded again")
    row = FlagOverride(response_id=response.id, action=action, note=note, actor_id=actor.id,
                       at=now_utc())
    db.session.add(row)
    db.session.flush()
    refresh_counted([response.id])
    return row


def exclude_for_contest(response: Response, contest_id: int, actor: User,
                        reason: str) -> ResponseFlag:
    """Exclude a response because HR accepted a contest of it."""
    flag = ResponseFlag(response_id=response.id, rule=FlagRule.CONTEST, contest_id=contest_id,
                        evidence=json.dumps({"reason": reason}, ensure_ascii=False),
                        created_by_id=actor.id, created_at=now_utc())
    db.session.add(flag)
    db.session.flush()
    refresh_counted([response.id])
    return flag
