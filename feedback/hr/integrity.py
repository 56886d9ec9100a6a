"""Suspicious-response rules as pure functions over response rows (no database, no Flask).

Ratings feed pay and promotion, so someone may try to inflate them. Each rule returns flags
with the numbers behind them; flagged responses are left out of HR scores until HR restores
them. The rules:

- **device burst / network burst**: at least `count` responses from one device (or one network
  address) at one counter within `minutes`; every response of such a burst is flagged. A
  network address is shared by everyone on a centre's Wi-Fi, so its threshold is higher.
- **closed**: submitted while the centre is closed (local time, Asia/Ho_Chi_Minh), allowing a
  grace period after closing for citizens who finish the form on their way out.
- **identical**: at least `count` responses with the same answers (each with at least
  `min_answers` ratings) from one network at one counter within `minutes`.
- **many counters**: one device rating at least `count` different counters within `minutes`.
- **surge**: more responses at one counter within `minutes` than it could plausibly have
  served: the larger of its configured capacity, the queue tickets issued for it and its own
  busiest counted hour of the last weeks (the caller works these out; see `feedback.screening`).
  Every response of such a window is held for HR review. This is the rule that holds when an
  adversary rotates addresses and cookies, since it looks at the counter, not the sender.

Verified visits (answered through a one-time queue-ticket link: one visit, one response) may
be answered later, from home, and several visits may share a phone, so the device, network,
closed and many-counters rules pass over them; identical answer sets and surges still count.
Kiosk answers share the kiosk's device and carry no device or network hash, so the device,
network and identical rules pass over them (a kiosk asks a single question, and many honest
citizens give it the same answer); the closed and surge rules still apply to them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from core.timeutil import to_local
from feedback.hr.flags import FlagRule

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ResponseRow:
    """What the rules need to know about one response."""

    id: int
    submitted_at: datetime
    counter_id: int
    centre_id: int
    device_hash: str | None = None
    ip_hash: str | None = None
    #: (question code, value) pairs, sorted by code.
    ratings: tuple[tuple[str, int], ...] = ()
    verified: bool = False
    kiosk: bool = False


@dataclass(frozen=True)
class Window:
    """`count` or more events within `minutes`."""

    count: int
    minutes: int


#: Opening hours of one week: for each weekday (0 = Monday) a list of (opens, closes).
Week = dict[int, tuple[tuple[time, time], ...]]

DEFAULT_WEEK: Week = {
    **{day: ((time(7, 0), time(17, 30)),) for day in range(5)},
    5: ((time(7, 30), time(11, 30)),),
    6: (),
}


@dataclass(frozen=True)
class OpeningHours:
    """A default week and, per centre id, its own week."""

    default: Week = field(default_factory=lambda: dict(DEFAULT_WEEK))
    centres: dict[int, Week] = field(default_factory=dict)

    def week(self, centre_id: int) -> Week:
        """The opening hours of a centre."""
        return self.centres.get(centre_id, self.default)


@dataclass(frozen=True)
class Surge:
    """A counter's plausible volume: `per_hour` responses (its capacity) scaled to `minutes`,
    raised to the queue tickets issued for it and to its busiest counted hour over the last
    `baseline_days` days."""

    minutes: int = 60
    per_hour: int = 30
    baseline_days: int = 28

    def capacity(self) -> int:
        """Responses the configured capacity allows within one window."""
        return max(1, self.per_hour * self.minutes // 60)


@dataclass(frozen=True)
class IntegrityRules:
    """Thresholds of every rule (defaults shipped; see `rule_files` for the file format).

    The network threshold stays above what a busy counter behind one shared address receives
    (ten citizens in three minutes on the centre's Wi-Fi must not be flagged); volume beyond
    what a counter can serve is the surge rule's job.
    """

    device_burst: Window = Window(3, 10)
    ip_burst: Window = Window(20, 10)
    identical: Window = Window(5, 5)
    identical_min_answers: int = 3
    many_counters: Window = Window(3, 30)
    closed_grace_minutes: int = 30
    opening_hours: OpeningHours = field(default_factory=OpeningHours)
    surge: Surge = field(default_factory=Surge)
    #: A form sent sooner than this after it was shown was not filled in by a person.
    min_fill_seconds: int = 3

    def longest_minutes(self) -> int:
        """The widest window of any rule: how far around a response its context reaches."""
        return max(self.device_burst.minutes, self.ip_burst.minutes, self.identical.minutes,
                   self.many_counters.minutes, self.surge.minutes)


@dataclass(frozen=True)
class Flag:
    """One rule's finding about one response."""

    response_id: int
    rule: FlagRule
    evidence: dict


def _ordered(rows: Iterable[ResponseRow]) -> list[ResponseRow]:
    return sorted(rows, key=lambda row: (row.submitted_at, row.id))


def _checked(rows: Iterable[ResponseRow]) -> list[ResponseRow]:
    return _ordered(row for row in rows if not row.verified)


def _group(rows: Iterable[ResponseRow],
           key: Callable[[ResponseRow], Hashable | None]) -> dict[Hashable, list[ResponseRow]]:
    groups: dict[Hashable, list[ResponseRow]] = {}
    for row in rows:
        value = key(row)
        if value is not None:
            groups.setdefault(value, []).append(row)
    return groups


def _clusters(rows: Sequence[ResponseRow], window: Window,
              enough: Callable[[Sequence[ResponseRow]], bool]) -> list[list[ResponseRow]]:
    """Runs of time-ordered rows covered by windows of `window.minutes` that satisfy `enough`.

    A row is marked when some window of that length containing it satisfies `enough`; marked
    rows no more than the window apart form one cluster (reported with its size).
    """
    span = timedelta(minutes=window.minutes)
    marked = [False] * len(rows)
    start, last_marked = 0, -1
    for end in range(len(rows)):
        while rows[end].submitted_at - rows[start].submitted_at > span:
            start += 1
        if enough(rows[start:end + 1]):
            for index in range(max(start, last_marked + 1), end + 1):
                marked[index] = True
            last_marked = end
    clusters: list[list[ResponseRow]] = []
    for index, row in enumerate(rows):
        if not marked[index]:
            continue
        if clusters and index > 0 and marked[index - 1] \
                and row.submitted_at - clusters[-1][-1].submitted_at <= span:
            clusters[-1].append(row)
        else:
            clusters.append([row])
    return clusters


def _burst(rows: Iterable[ResponseRow], key: Callable[[ResponseRow], Hashable | None],
           window: Window, rule: FlagRule) -> list[Flag]:
    flags = []
    for group in _group(rows, key).values():
        for cluster in _clusters(group, window, lambda found: len(found) >= window.count):
            evidence = {"count": len(cluster), "minutes": window.minutes,
                        "threshold": window.count}
            flags.extend(Flag(row.id, rule, evidence) for row in cluster)
    return flags


def device_bursts(rows: Iterable[ResponseRow], window: Window) -> list[Flag]:
    """Bursts of responses from one device at one counter."""
    return _burst((r for r in _checked(rows) if not r.kiosk),
                  lambda r: (r.device_hash, r.counter_id) if r.device_hash else None,
                  window, FlagRule.DEVICE_BURST)


def ip_bursts(rows: Iterable[ResponseRow], window: Window) -> list[Flag]:
    """Bursts of responses from one network address at one counter."""
    return _burst((r for r in _checked(rows) if not r.kiosk),
                  lambda r: (r.ip_hash, r.counter_id) if r.ip_hash else None,
                  window, FlagRule.IP_BURST)


def identical_answers(rows: Iterable[ResponseRow], window: Window,
                      min_answers: int) -> list[Flag]:
    """Identical answer sets in quick succession from one network at one counter (queue-ticket
    answers included: one address answering many tickets the same way is not many citizens)."""
    return _burst((r for r in _ordered(rows) if not r.kiosk),
                  lambda r: (r.counter_id, r.ip_hash, r.ratings)
                  if r.ip_hash and len(r.ratings) >= min_answers else None,
                  window, FlagRule.IDENTICAL)


def surges(rows: Iterable[ResponseRow], minutes: int,
           allowed: Mapping[int, int]) -> list[Flag]:
    """Windows of `minutes` holding more responses at a counter than `allowed[counter]`; every
    channel counts, and every response of such a window is flagged."""
    flags = []
    for counter_id, group in _group(_ordered(rows), lambda r: r.counter_id).items():
        limit = allowed.get(counter_id)
        if limit is None:
            continue
        window = Window(limit + 1, minutes)
        for cluster in _clusters(group, window,
                                 lambda found, limit=limit: len(found) > limit):
            evidence = {"count": len(cluster), "minutes": minutes, "allowed": limit}
            flags.extend(Flag(row.id, FlagRule.SURGE, evidence) for row in cluster)
    return flags


def many_counters(rows: Iterable[ResponseRow], window: Window) -> list[Flag]:
    """One device rating many different counters in a short time."""
    flags = []
    groups = _group((r for r in _checked(rows) if not r.kiosk), lambda r: r.device_hash)
    for group in groups.values():
        def enough(found: Sequence[ResponseRow]) -> bool:
            return len({row.counter_id for row in found}) >= window.count

        for cluster in _clusters(group, window, enough):
            evidence = {"counters": len({row.counter_id for row in cluster}),
                        "count": len(cluster), "minutes": window.minutes,
                        "threshold": window.count}
            flags.extend(Flag(row.id, FlagRule.MANY_COUNTERS, evidence) for row in cluster)
    return flags


def is_open(week: Week, moment: datetime, grace_minutes: int = 0) -> bool:
    """True when the local time falls in opening hours (closing extended by the grace)."""
    local = to_local(moment)
    grace = timedelta(minutes=grace_minutes)
    for opens, closes in week.get(local.weekday(), ()):
        start = local.replace(hour=opens.hour, minute=opens.minute, second=0, microsecond=0)
        end = local.replace(hour=closes.hour, minute=closes.minute, second=0, microsecond=0)
        if start <= local < end + grace:
            return True
    return False


def while_closed(rows: Iterable[ResponseRow], hours: OpeningHours,
                 grace_minutes: int) -> list[Flag]:
    """Responses submitted while the centre was closed."""
    flags = []
    for row in _checked(rows):
        if not is_open(hours.week(row.centre_id), row.submitted_at, grace_minutes):
            local = to_local(row.submitted_at)
            flags.append(Flag(row.id, FlagRule.CLOSED, {
                "local_time": local.strftime("%H:%M"), "weekday": WEEKDAYS[local.weekday()],
                "grace_minutes": grace_minutes}))
    return flags


def detect(rows: Sequence[ResponseRow], rules: IntegrityRules,
           allowed: Mapping[int, int] | None = None) -> list[Flag]:
    """Every rule's flags for the rows (a response may be flagged by several rules); the surge
    rule runs for the counters `allowed` names."""
    return [
        *surges(rows, rules.surge.minutes, allowed or {}),
        *device_bursts(rows, rules.device_burst),
        *ip_bursts(rows, rules.ip_burst),
        *while_closed(rows, rules.opening_hours, rules.closed_grace_minutes),
        *identical_answers(rows, rules.identical, rules.identical_min_answers),
        *many_counters(rows, rules.many_counters),
    ]
