"""Drawn charts and computed reports kept on disk, shared by every worker process of a server and
kept across restarts.

A chart file is named by the digest of the values the chart draws (`figures.Plot.digest`), its
locale and format, so its content never changes: a worker that finds the file serves it
without drawing, whichever process drew it. A report file is named by the digest of what it
depends on (scope, period, options, data version) and is read only while younger than the
report cache's expiry. Files are written to a temporary name and renamed, so a reader never
sees half of one. The folder is kept to a number of files: the oldest go first.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

#: Files written between two prunings of the folder.
PRUNE_EVERY = 200


class ChartStore:
    """Rendered charts under `folder`, at most about `max_files` of them."""

    def __init__(self, folder: str | Path, max_files: int) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_files = max_files
        self._writes = 0
        self._lock = threading.Lock()

    def _path(self, digest: str, locale: str, fmt: str) -> Path:
        return self.folder / f"{digest}-{locale}.{fmt}"

    def get(self, digest: str, locale: str, fmt: str) -> bytes | None:
        """The stored chart, or None (also when the folder cannot be read)."""
        try:
            return self._path(digest, locale, fmt).read_bytes()
        except OSError:
            return None

    def get_blob(self, name: str, max_age: float) -> bytes | None:
        """A stored file no older than `max_age` seconds, or None."""
        path = self.folder / name
        try:
            if time.time() - path.stat().st_mtime > max_age:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def put_blob(self, name: str, body: bytes) -> None:
        """Store a file (written aside, then renamed into place)."""
        self._write(self.folder / name, body)

    def has(self, digest: str, locale: str, fmt: str) -> bool:
        """Whether the chart is stored."""
        return self._path(digest, locale, fmt).exists()

    def put(self, digest: str, locale: str, fmt: str, body: bytes) -> None:
        """Store a chart (atomically: written aside, then renamed into place)."""
        self._write(self._path(digest, locale, fmt), body)
        with self._lock:
            self._writes += 1
            due = self._writes % PRUNE_EVERY == 0
        if due:
            self.prune()

    def _write(self, path: Path, body: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)  # it may have been emptied by hand
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(body)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read_note(self, name: str) -> str | None:
        """A small text the store keeps beside its charts (a dot-name), or None."""
        try:
            return (self.folder / name).read_text()
        except FileNotFoundError:
            return None

    def write_note(self, name: str, text: str) -> None:
        """Keep a small text beside the charts (written aside, then renamed)."""
        self._write(self.folder / name, text.encode())

    def files(self) -> list[Path]:
        """The stored charts (not the files being written)."""
        return [path for path in self.folder.glob("*") if not path.name.startswith(".")]

    def prune(self) -> int:
        """Remove the oldest charts beyond `max_files`; returns how many went."""
        stamped = []
        for path in self.files():
            try:
                stamped.append((path.stat().st_mtime, path))
            except FileNotFoundError:  # another process pruned it
                continue
        surplus = len(stamped) - self.max_files
        if surplus <= 0:
            return 0
        for _mtime, path in sorted(stamped)[:surplus]:
            path.unlink(missing_ok=True)
        return surplus


def current_store() -> ChartStore | None:
    """The app's shared store (DASHBOARD_CHART_DIR; None when it is off or cannot be used)."""
    app = current_app._get_current_object()
    if "chart_store" not in app.extensions:
        folder, store = app.config["DASHBOARD_CHART_DIR"], None
        if folder:
            try:
                store = ChartStore(Path(app.instance_path) / folder,
                                   app.config["DASHBOARD_CHART_FILES"])
            except OSError:  # charts and reports are then kept per worker, in memory
                log.exception("the chart store %s cannot be used", folder)
        app.extensions["chart_store"] = store
    return app.extensions["chart_store"]
