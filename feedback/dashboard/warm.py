"""Drawing dashboard charts ahead of their first view.

matplotlib needs 30–100 ms per chart, and a dashboard has four to eight: a view whose charts
nobody has seen since its data changed costs ten times a repeat view. So a served app draws
them ahead. Every DASHBOARD_WARM_SECONDS a background thread looks for responses stored since
its last round, and for each unit whose dashboard counts them (the ward, the ward it was merged
into, the province) it computes the report of the periods people open most — the page's
default (the last full month), this month and this week — and draws every chart of it into the
shared store (`chart_store`), in Vietnamese, and of every other period and language someone
opened that unit's dashboard for in the last VIEWED_DAYS (`note_view`). The first person to open
such a view gets charts drawn already; other views are drawn when first opened, as before.

One process per server draws at a time (a lock file in the store), and a round spends at most
DASHBOARD_WARM_SHARE of one core: at a national peak, units left over wait for the next round
instead of slowing the citizens' submissions. The last response id seen is kept in the store,
so a restart goes on where the last round stopped; the first start of a server (no mark yet)
queues every dashboard that has responses.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from core.db import db
from core.timeutil import local_today
from feedback.dashboard import figures
from feedback.dashboard.chart_store import current_store
from feedback.dashboard.fold import fold_all
from feedback.dashboard.queries import Scope
from feedback.dashboard.report import Options, build_report, cached_report
from feedback.dashboard.scopes import Filters, resolve
from feedback.models import Response
from feedback.periods import Period, PeriodKind, containing, last_full_month, parse_period
from surveys.models import COMMUNE_LEVEL, Unit, UnitKind
from surveys.queries import units_counting

log = logging.getLogger(__name__)

#: Charts are drawn ahead in the default locale only; English views draw on first view.
LOCALE = "vi"
#: File in the store holding the last response id a round has seen.
MARK_FILE = ".warmed-up-to"
LOCK_FILE = ".warmer.lock"
#: Notes in the store of the views people opened (a unit's dashboard, a period, a language).
VIEWED_PREFIX = ".viewed-"
#: A view opened within this many days is drawn ahead again when its data change.
VIEWED_DAYS = 7
#: The views of a unit drawn ahead at most (the newest noted): one person opening many periods
#: must not keep the rounds busy.
VIEWS_PER_UNIT = 8
#: A view noted this recently is not noted again (one write an hour, not one a view).
NOTE_EVERY = timedelta(hours=1)


def warm_periods() -> list[Period]:
    """The periods drawn ahead: the page's default, this month and this week."""
    today = local_today()
    return [last_full_month(), containing(PeriodKind.MONTH, today),
            containing(PeriodKind.WEEK, today)]


def compile_reads(app: Flask) -> None:
    """Compute a report of no unit for each period drawn ahead, kept nowhere: SQLAlchemy
    compiles each statement a dashboard reads once per process, ~20 ms of a fresh worker's
    first view of a 5 M province (224 → 202 ms; a later first view of another unit costs
    ~130 ms, the rest being the new texts measured once per process). A statement does not
    depend on which units a scope names, so an empty scope compiles most of them."""
    options = Options.of(app.config)
    with app.app_context():
        for period in warm_periods():
            build_report(Scope(unit_ids=frozenset()), period, options)


def dashboard_units(unit_ids: Iterable[int]) -> list[Unit]:
    """The current provinces and communes whose dashboards count responses of these units:
    each unit, the unit it was merged into and every unit above; provinces first."""
    units = db.session.execute(select(Unit).where(
        Unit.id.in_(sorted(units_counting(unit_ids))), Unit.successor_id.is_(None))).scalars()
    return sorted((u for u in units if u.kind == UnitKind.PROVINCE or u.kind in COMMUNE_LEVEL),
                  key=lambda u: (u.kind != UnitKind.PROVINCE, u.code))


def units_with_responses() -> list[Unit]:
    """Every current province and commune whose dashboard has responses (for a full warm)."""
    stored = db.session.execute(select(Response.unit_id).distinct()).scalars()
    return dashboard_units(stored)


def warm_unit(unit: Unit, options: Options, periods: Iterable[Period],
              views: Iterable[tuple[Period, str]] = ()) -> int:
    """Compute the unit's reports for the periods (and the views: period and language) and draw
    each chart not stored yet, as the dashboard would show it to the unit's leaders; returns how
    many charts were drawn."""
    scope = resolve(Filters(unit=unit.code), None, None).scope
    drawn = 0
    for period, locale in dict.fromkeys([*((p, LOCALE) for p in periods), *views]):
        with force_locale(locale):
            report = cached_report(scope, period, options)
            drawn += sum(figures.draw_ahead(figures.DRAWERS[name](report), locale)
                         for name in figures.available(report))
    return drawn


def note_view(unit_code: str, period: Period, locale: str) -> None:
    """Remember in the store that someone opened the unit's dashboard for the period in this
    language, so that rounds draw it ahead again when its data change."""
    store = current_store()
    if store is None or (locale == LOCALE and period in warm_periods()):
        return
    text = json.dumps([unit_code, period.key(), locale])
    name = VIEWED_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:24]
    try:
        if time.time() - (store.folder / name).stat().st_mtime < NOTE_EVERY.total_seconds():
            return
    except OSError:
        pass
    store.write_note(name, text)


def viewed() -> dict[str, list[tuple[Period, str]]]:
    """The views noted in the last VIEWED_DAYS, per unit code, the newest VIEWS_PER_UNIT of each
    (older notes are removed)."""
    store, found = current_store(), {}
    if store is None:
        return {}
    oldest = time.time() - VIEWED_DAYS * 86400
    for path in store.folder.glob(VIEWED_PREFIX + "*"):
        try:
            noted = path.stat().st_mtime
            if noted < oldest:
                path.unlink(missing_ok=True)
                continue
            unit_code, key, locale = json.loads(path.read_text())
            found.setdefault(unit_code, []).append((noted, parse_period(key), locale))
        except (OSError, ValueError):
            continue  # removed meanwhile, or not a note this code wrote (a bad period too)
    return {code: [(period, locale) for _noted, period, locale in
                   sorted(views, key=lambda view: view[0], reverse=True)[:VIEWS_PER_UNIT]]
            for code, views in found.items()}


@dataclass
class Warmer:
    """The state of one process's rounds: the last response id seen and the units waiting."""

    app: Flask
    periods: Callable[[], list[Period]] = warm_periods
    last_id: int | None = None
    waiting: list[int] = field(default_factory=list)

    def _read_mark(self) -> int | None:
        note = current_store().read_note(MARK_FILE)
        return int(note) if note and note.isdigit() else None

    def _write_mark(self, last_id: int) -> None:
        current_store().write_note(MARK_FILE, str(last_id))

    def round(self, budget_seconds: float) -> int:
        """One round: queue the units of responses stored since the last round, then draw
        their charts until `budget_seconds` of this thread's CPU are spent (the rest wait for
        the next round). Returns how many charts were drawn."""
        with self.app.app_context():
            try:
                fold_all()  # the reports are computed from the rollups: current ones
                newest = db.session.execute(
                    select(func.coalesce(func.max(Response.id), 0))).scalar_one()
                last = self.last_id if self.last_id is not None else self._read_mark()
                if last is None:  # a first start: every dashboard with responses, over rounds
                    self._queue(units_with_responses())
                elif newest > last:
                    self._queue(dashboard_units(db.session.execute(
                        select(Response.unit_id).distinct().where(
                            Response.id > last, Response.id <= newest)).scalars()))
                self.last_id = newest
                self._write_mark(newest)
                return self._draw_waiting(budget_seconds)
            finally:
                db.session.remove()

    def _queue(self, units: Iterable[Unit]) -> None:
        self.waiting.extend(u.id for u in units if u.id not in self.waiting)

    def _draw_waiting(self, budget_seconds: float) -> int:
        options, periods, views = Options.of(self.app.config), self.periods(), viewed()
        started, drawn = time.thread_time(), 0
        while self.waiting and time.thread_time() - started < budget_seconds:
            unit = db.session.get(Unit, self.waiting.pop(0))
            if unit is not None:
                drawn += warm_unit(unit, options, periods, views.get(unit.code, ()))
        return drawn


class ServerLock:
    """A lock file that one process of the server holds while it warms (released at exit)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._handle = None

    def acquire(self) -> bool:
        """Hold the lock, or say that another process does."""
        if self._handle is None:
            handle = open(self.folder / LOCK_FILE, "a+")  # noqa: SIM115 (held for the process)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            self._handle = handle
        return True

    def release(self) -> None:
        """Let another process warm (closing the file releases the lock)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class WarmThread(threading.Thread):
    """The background rounds of one process, every `interval` seconds until stopped."""

    def __init__(self, app: Flask, folder: Path, interval: float, budget: float) -> None:
        super().__init__(name="dashboard-warmer", daemon=True)
        self.warmer, self.lock = Warmer(app), ServerLock(folder)
        self.interval, self.budget = interval, budget
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                if self.lock.acquire():
                    self.warmer.round(self.budget)
            except Exception:  # a failed round must not end the thread; the next one retries
                log.exception("drawing dashboard charts ahead failed")
        self.lock.release()

    def stop(self) -> None:
        """End the rounds (after the one running, if any) and let another process warm."""
        self.stopped.set()
        self.join()


def start(app: Flask) -> WarmThread | None:
    """Start this process's background warmer. None when DASHBOARD_WARM_SECONDS is 0 or there
    is no shared store (DASHBOARD_CHART_DIR empty): then charts are drawn on first view."""
    interval = app.config["DASHBOARD_WARM_SECONDS"]
    with app.app_context():
        store = current_store()
    if not interval or store is None:
        return None
    thread = WarmThread(app, store.folder, interval,
                        interval * app.config["DASHBOARD_WARM_SHARE"])
    thread.start()
    return thread
