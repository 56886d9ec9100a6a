"""Integrity screening when a response is stored, and again over its window as a burst fills.

Every response is screened in the transaction that stores it: the rules of `feedback.hr.integrity`
run over the responses around it (its counter's, and its device's at other counters), so the
first members of a burst are flagged as soon as the burst is recognised. One statement first
counts that window (per counter, per device, per network address): when those counts show that
no rule can flag any response of it, the rows are not read at all (an ordinary citizen's answer
costs that one statement); otherwise the rules run over the rows. Flags are stored with
the fingerprint of the rule set, `Response.counted` is kept current (a held response leaves the
dashboards' rollups and its ordinary case is withdrawn) and the counter's leaders get one alert
"nghi vấn dồn phiếu" while it lasts. Readers (HR, dashboards, cases) only read what is stored.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, func, or_, select

from core.db import db, now_utc
from core.timeutil import to_local
from feedback.cases.models import AlertKind, CentreAlert
from feedback.cases.services import withdraw_case
from feedback.dashboard.models import OverallDay
from feedback.hr.exclusions import add_flags, exclusions, refresh_counted, rules_version
from feedback.hr.integrity import IntegrityRules, Week, detect
from feedback.hr.models import FlagRule
from feedback.hr.queries import window_rows
from feedback.hr.rule_files import load_integrity_rules
from feedback.models import Response
from surveys.channels.visits import Visit

#: Rules whose flags mean someone may be stuffing the ballot at a counter. A response they
#: flag opens no ordinary complaint case (its case, if opened before the burst was seen, is
#: withdrawn); one sent outside opening hours is left out of scores but its complaint stands.
STUFFING_RULES = frozenset({FlagRule.SURGE, FlagRule.DEVICE_BURST, FlagRule.IP_BURST,
                            FlagRule.IDENTICAL, FlagRule.MANY_COUNTERS, FlagRule.HONEYPOT,
                            FlagRule.FAST_FILL})


def current_rules() -> IntegrityRules:
    """The app's integrity rules (HR_INTEGRITY_RULES, else the shipped ones), read once."""
    cache = current_app.extensions.setdefault("hailong.integrity_rules", {})
    path = current_app.config.get("HR_INTEGRITY_RULES")
    if path not in cache:
        cache[path] = load_integrity_rules(path)
    return cache[path]


def suspected_of_stuffing(response_id: int) -> bool:
    """Whether a stored response is held by a flag that means stuffing (see STUFFING_RULES)."""
    state = exclusions([response_id]).get(response_id)
    return bool(state and state.excluded
                and any(flag.rule in STUFFING_RULES for flag in state.flags))


def request_flags(honeypot_filled: bool,
                  shown_at: datetime | None = None) -> dict[FlagRule, dict]:
    """What a request itself gives away: the hidden field filled in (robots do; people never
    see it), or a form sent sooner after it was shown than a person can fill it in."""
    flags: dict[FlagRule, dict] = {}
    if honeypot_filled:
        flags[FlagRule.HONEYPOT] = {}
    if shown_at is not None:
        seconds = (now_utc() - shown_at).total_seconds()
        minimum = current_rules().min_fill_seconds
        if seconds < minimum:
            flags[FlagRule.FAST_FILL] = {"seconds": round(seconds, 1), "threshold": minimum}
    return flags


# Every response is screened: the queries below are built once and run with new values (building
# a statement costs several times what SQLite takes to run it).

@functools.cache
def _context_statement():
    """What screening a response needs to know first, in one round trip: the queue tickets
    issued for its counter, or for its centre without one, in [start, end); the counter's
    busiest counted hour over the local days [since, today), read from the overall-by-day
    rollup (keyed by unit, then day); how many other responses the counter holds in
    [recent, at]; and the window the rules would read, counted: the counter's responses in
    [low, high], the most of them from one device and from one network address, and the
    device's responses at any counter in [low, high]."""
    counter = bindparam("counter_id")
    tickets = select(func.count()).select_from(Visit).where(
        Visit.centre_id == bindparam("centre_id"),
        or_(Visit.counter_id == counter, Visit.counter_id.is_(None)),
        Visit.created_at >= bindparam("start"), Visit.created_at < bindparam("end"))
    o = OverallDay
    hourly = (select(func.sum(o.v1 + o.v2 + o.v3 + o.v4 + o.v5).label("n"))
              .where(o.unit_id == bindparam("unit_id"), o.counter_id == counter,
                     o.day >= bindparam("since"), o.day < bindparam("today"))
              .group_by(o.day, o.hour).subquery())
    r = Response
    before = select(func.count()).select_from(r).where(
        r.counter_id == counter, r.submitted_at >= bindparam("recent"),
        r.submitted_at <= bindparam("at"), r.id != bindparam("response_id"))
    low, high = bindparam("low"), bindparam("high")
    window = (r.counter_id == counter, r.submitted_at >= low, r.submitted_at <= high)

    def most_from_one(column):
        per_sender = (select(func.count().label("n")).select_from(r)
                      .where(*window, column.is_not(None)).group_by(column).subquery())
        return select(func.max(per_sender.c.n)).scalar_subquery()

    device = select(func.count()).select_from(r).where(
        r.device_hash == bindparam("device_hash"), r.submitted_at >= low,
        r.submitted_at <= high)
    return select(tickets.scalar_subquery(), select(func.max(hourly.c.n)).scalar_subquery(),
                  before.scalar_subquery(),
                  select(func.count()).select_from(r).where(*window).scalar_subquery(),
                  most_from_one(r.device_hash), most_from_one(r.ip_hash),
                  device.scalar_subquery())


@functools.cache
def _still_counted_statement():
    """The counter's counted responses in [start, end] (ids)."""
    r = Response
    return select(r.id).where(r.counter_id == bindparam("counter_id"),
                              r.submitted_at >= bindparam("start"),
                              r.submitted_at <= bindparam("end"), r.counted.is_(True))


@dataclass(frozen=True)
class Context:
    """What one statement tells about a response's counter and the window around it."""

    #: Responses the counter could have served in a surge window (see `surge_context`).
    allowed: int
    #: The burst the response is part of (the counter's count), else None.
    in_surge: int | None
    #: The counter's responses within the longest rule's window either side of the response.
    counter_rows: int
    #: The most of those from one device, and from one network address.
    most_from_device: int
    most_from_address: int
    #: The response's device's responses at any counter in that window (itself included).
    device_rows: int


def surge_context(response: Response, rules: IntegrityRules) -> Context:
    """How many responses the counter could have served in a surge window around the
    response (its capacity, the queue tickets issued for it or for its centre without a
    counter, and its busiest counted hour of the last `surge.baseline_days` days, whichever is
    largest), and, when the counter already holds more than twice that in the window just
    before the response, that count: the burst's earlier members were flagged as it grew, so
    the response is held as part of it without reading the whole window again (a flood must
    not cost the server more per response as it goes on); with the window the rules read,
    counted."""
    surge = rules.surge
    at = response.submitted_at
    span = timedelta(minutes=surge.minutes)
    margin = timedelta(minutes=rules.longest_minutes())
    today = to_local(at).date()
    tickets, busiest, before, counter_rows, from_device, from_address, device_rows = \
        db.session.execute(_context_statement(), {
            "centre_id": response.centre_id, "counter_id": response.counter_id,
            "start": at - span, "end": at + span, "unit_id": response.unit_id, "today": today,
            "since": today - timedelta(days=surge.baseline_days), "recent": at - span,
            "at": at, "response_id": response.id, "low": at - margin, "high": at + margin,
            "device_hash": response.device_hash,
        }).one()
    allowed = max(surge.capacity(), tickets, (busiest or 0) * surge.minutes // 60)
    return Context(allowed, before + 1 if before > 2 * allowed else None, counter_rows,
                   from_device or 0, from_address or 0, device_rows)


def nothing_to_find(response: Response, rules: IntegrityRules, context: Context) -> bool:
    """Whether the rules, run over the window `window_rows` reads for the response, can flag
    no response of it, as the counts and the opening hours show (then the rows need not be
    read). The window holds the counter's responses within the longest rule's minutes either
    side, and the device's at other counters; it is quiet when the device has no other response
    in it, the counter holds no more than a surge allows, no device or network address sent
    as many as a burst (or identical answers) needs, and the centre is open all through it."""
    span = timedelta(minutes=rules.longest_minutes())
    at = response.submitted_at
    return (context.in_surge is None
            and context.device_rows <= 1
            and rules.many_counters.count > 1
            and context.counter_rows <= context.allowed
            and context.most_from_device < rules.device_burst.count
            and context.most_from_address < min(rules.ip_burst.count, rules.identical.count)
            and open_throughout(rules.opening_hours.week(response.centre_id), at - span,
                                at + span, rules.closed_grace_minutes))


def open_throughout(week: Week, start: datetime, end: datetime, grace_minutes: int) -> bool:
    """Whether every moment of [start, end] falls in the opening hours (closing extended by
    the grace) of one local day: the closed rule flags none of them."""
    first, last = to_local(start), to_local(end)
    if first.date() != last.date():
        return False
    grace = timedelta(minutes=grace_minutes)
    for opens, closes in week.get(first.weekday(), ()):
        opening = first.replace(hour=opens.hour, minute=opens.minute, second=0, microsecond=0)
        closing = first.replace(hour=closes.hour, minute=closes.minute, second=0,
                                microsecond=0)
        if opening <= first and last < closing + grace:
            return True
    return False


def screen(response: Response, request_flags: Mapping[FlagRule, dict] | None = None,
           rules: IntegrityRules | None = None, fresh: bool = True) -> bool:
    """Screen a response and its window; store the flags, keep `counted` current for every
    response whose state changed, withdraw the ordinary cases of responses now suspected of
    stuffing and raise the stuffing alert. `fresh`: the response is being stored (not in the
    rollups yet, no case); False when a stored one is screened again. Returns whether the
    response itself is suspected of stuffing. Flushes."""
    rules = rules or current_rules()
    version = rules_version(rules)
    rescreened = not fresh and response.screened_version != version
    if response.screened_version != version:  # set already when stored: nothing to flush
        response.screened_version = version
    at = response.submitted_at
    context = surge_context(response, rules)
    allowed, in_surge = context.allowed, context.in_surge
    found = [(response.id, rule, evidence) for rule, evidence in (request_flags or {}).items()]
    if in_surge is not None:
        rows_seen = in_surge
        evidence = {"count": in_surge, "minutes": rules.surge.minutes, "allowed": allowed}
        found += [(rid, FlagRule.SURGE, evidence)
                  for rid in _still_counted(response, rules.surge.minutes) | {response.id}]
    elif nothing_to_find(response, rules, context):
        rows_seen = context.counter_rows  # the whole window: the device has no other response
    else:
        margin = timedelta(minutes=rules.longest_minutes())
        devices = timedelta(minutes=rules.many_counters.minutes)
        rows = window_rows(response.counter_id, at - margin, at + margin,
                           response.device_hash, at - devices, at + devices)
        rows_seen = len(rows)
        found += [(flag.response_id, flag.rule, flag.evidence) for flag in detect(
            [row.integrity_row() for row in rows], rules, {response.counter_id: allowed})]
    db.session.flush()
    add_flags(found, version)
    changed = {response_id for response_id, _rule, _evidence in found}
    if rescreened:
        changed.add(response.id)
    refresh_counted(changed, fresh=response if fresh else None)
    stuffing = {rid for rid, rule, _evidence in found if rule in STUFFING_RULES}
    if not stuffing:
        return False
    others = sorted(stuffing - {response.id})
    for held in db.session.execute(select(Response).where(
            Response.id.in_(others), Response.counted.is_(False))
    ).scalars() if others else ():
        withdraw_case(held)
    since = db.session.execute(select(func.min(Response.submitted_at))
                               .where(Response.id.in_(sorted(stuffing)))).scalar_one()
    held = max(len(stuffing), in_surge or 0)
    raise_stuffing_alert(response, held, rows_seen, rules.surge.minutes, since)
    return response.id in stuffing


def _still_counted(response: Response, minutes: int) -> set[int]:
    """Responses of the counter in the window before this one that still count: a member of
    the burst stored at the same moment by another request, which saw the burst smaller."""
    return set(db.session.execute(_still_counted_statement(), {
        "counter_id": response.counter_id, "end": response.submitted_at,
        "start": response.submitted_at - timedelta(minutes=minutes)}).scalars())


def raise_stuffing_alert(response: Response, held: int, total: int, minutes: int,
                         since: datetime) -> CentreAlert | None:
    """Open the counter's "suspected stuffing" alert, or raise the count of the one already
    active (one alert for a whole burst); returns the alert opened now. An unacknowledged
    "many unhappy citizens" alert of the centre opened since the burst began was the burst's
    doing: the stuffing alert replaces it (one already e-mailed to the leaders is closed rather
    than removed). Flushes."""
    for unhappy in db.session.execute(select(CentreAlert).where(
            CentreAlert.centre_id == response.centre_id, CentreAlert.kind == AlertKind.UNHAPPY,
            CentreAlert.acknowledged_at.is_(None), CentreAlert.resolved_at.is_(None),
            CentreAlert.opened_at >= since)).scalars():
        if unhappy.notified_at is None:  # by statement: a concurrent burst may remove it first
            db.session.execute(delete(CentreAlert).where(CentreAlert.id == unhappy.id))
        else:  # the leaders were e-mailed about it: it closes, and stays as history
            unhappy.resolved_at = now_utc()
    active = db.session.execute(
        select(CentreAlert).where(CentreAlert.counter_id == response.counter_id,
                                  CentreAlert.kind == AlertKind.STUFFING,
                                  CentreAlert.resolved_at.is_(None))).scalars().first()
    if active is not None:
        active.matching, active.total = max(active.matching, held), max(active.total, total)
        db.session.flush()
        return None
    alert = CentreAlert(centre_id=response.centre_id, counter_id=response.counter_id,
                        kind=AlertKind.STUFFING, opened_at=now_utc(), matching=held,
                        total=total, window_minutes=minutes)
    db.session.add(alert)
    db.session.flush()
    return alert
