"""When the fold runs in a served app: in a background thread of each worker process, woken
by the submissions that process stores, so that no citizen waits for it.

The thread folds once the oldest waiting response has waited ROLLUP_FOLD_DELAY_MS, and then
every process's pending responses, not only its own: the threads of all the workers make about
one fold per delay between them (a fold costs the same few statements however many responses
it takes), not one each. With the delay set to 0 the submission folds right after
its commit instead, in its own request (the tests, and a single-process setup that prefers
rollups current the moment the thank-you page shows). A fold that fails is logged and retried
at the next wake; the responses stay stored and pending, and every reader of the rollups folds
first, so a dashboard is never behind.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, select

from core.db import db, now_utc
from feedback.cases.hooks import send_opened_alerts
from feedback.dashboard.fold import fold_all
from feedback.models import Response

log = logging.getLogger(__name__)

_EXTENSION = "hailong.folder"


class Folder:
    """One worker process's background fold thread (started at the first wake)."""

    def __init__(self, app: Flask, delay: float):
        self.app, self.delay = app, delay
        self.wanted = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.pid = 0

    def wake(self) -> None:
        """Ask for a fold soon; starts the thread in this process if it is not running."""
        with self.lock:
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="rollup-fold",
                                               daemon=True)
                self.thread.start()
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            wait = self.delay
            while wait > 0:  # until this thread folds, or finds nothing waiting
                time.sleep(wait)
                wait = fold_when_due(self.app, self.delay)


def fold_when_due(app: Flask, delay: float) -> float:
    """Fold (`fold_logged`) if the oldest response waiting for the fold was received `delay`
    seconds ago or more, and return 0; if it is younger (another process folded the older
    ones), the seconds until it is due; 0 when none waits."""
    with app.app_context():
        try:
            oldest = db.session.execute(
                select(func.min(func.coalesce(Response.received_at, Response.submitted_at)))
                .where(Response.waiting_for_fold)).scalar()
        except Exception:  # the fold itself will say what is wrong
            db.session.rollback()
            log.exception("reading the fold's backlog failed")
            oldest = now_utc() - timedelta(seconds=delay)
        finally:
            db.session.remove()
    if oldest is None:
        return 0
    waited = (now_utc() - oldest).total_seconds()
    if waited < delay:  # (at most one delay: another server's clock may run ahead)
        return min(delay, delay - waited)
    fold_logged(app)
    return 0


def fold_logged(app: Flask) -> None:
    """Fold everything pending in a fresh app context and e-mail the alerts it opened; a
    failure is logged, never raised."""
    with app.app_context():
        try:
            if fold_all():
                send_opened_alerts()
        except Exception:  # the responses stay pending: the next fold or reader takes them
            db.session.rollback()
            log.exception("rollup fold failed")
        finally:
            db.session.remove()


def after_submission_commit() -> None:
    """A response was committed `rollup_pending`: fold now (delay 0) or wake the worker's
    fold thread."""
    app = current_app._get_current_object()
    delay = app.config["ROLLUP_FOLD_DELAY_MS"] / 1000
    if delay <= 0:
        try:
            fold_all()
        except Exception:  # the citizen's response is committed: only the fold is put off
            db.session.rollback()
            log.exception("rollup fold failed")
        return
    folder = app.extensions.get(_EXTENSION)
    if folder is None:
        folder = app.extensions.setdefault(_EXTENSION, Folder(app, delay))
    folder.wake()
