"""When the fold runs in a served app: in a background thread of each worker process, woken
by the submissions that process stores, so that no citizen waits for it.

The thread gathers the submissions of ROLLUP_FOLD_DELAY_MS into one fold (every process's
pending responses, not only its own). With the delay set to 0 the submission folds right after
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

from flask import Flask, current_app

from core.db import db
from feedback.cases.hooks import send_opened_alerts
from feedback.dashboard.fold import fold_all

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
            time.sleep(self.delay)
            self.wanted.clear()
            fold_logged(self.app)


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
