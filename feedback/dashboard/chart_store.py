"""Drawn charts and computed reports kept on disk, shared by every worker process of a server and
kept across restarts.

A chart file is named by the digest of the values the chart draws (`chart_layers.Chart.digest`),
its locale and format, so its content never changes: a worker that finds the file serves it
without drawing, whichever process drew it; a chart's frame likewise ("frame-" and the digest
of what it draws). A report file is named by the digest of what it
depends on (scope, period, options, data version) and is read only while younger than the
report cache's expiry. Files are written to a temporary name and renamed, so a reader never
sees half of one. The folder is kept to a number of files: the oldest go first.
"""

from __future__ import annotations

import hmac
import logging
import os
import pickle
import tempfile
import threading
import time
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

#: Files written between two prunings of the folder.
PRUNE_EVERY = 200
#: Bytes of the HMAC-SHA256 that signs a stored object.
MAC_SIZE = 32


class ChartStore:
    """Rendered charts and signed reports under `folder`, at most about `max_files` of them.
    Writing never fails the caller: a full or read-only disk costs the sharing (logged)."""

    def __init__(self, folder: str | Path, max_files: int, key: bytes) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_files = max_files
        self._key = key
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

    def has(self, digest: str, locale: str, fmt: str) -> bool:
        """Whether the chart is stored."""
        return self._path(digest, locale, fmt).exists()

    def put(self, digest: str, locale: str, fmt: str, body: bytes) -> None:
        """Store a chart."""
        self._keep(self._path(digest, locale, fmt), body)

    def get_object(self, name: str, max_age: float) -> object | None:
        """An object `put_object` stored no more than `max_age` seconds ago, or None. Only a
        file signed with this app's key is unpickled (the folder might be writable by others)."""
        path = self.folder / name
        try:
            if time.time() - path.stat().st_mtime > max_age:
                return None
            signed = path.read_bytes()
        except OSError:
            return None
        mac, body = signed[:MAC_SIZE], signed[MAC_SIZE:]
        if not hmac.compare_digest(mac, hmac.digest(self._key, body, "sha256")):
            log.warning("the stored %s is not signed with this app's key: ignored", name)
            return None
        return pickle.loads(body)

    def put_object(self, name: str, value: object) -> None:
        """Store an object, pickled and signed with this app's key."""
        body = pickle.dumps(value)
        self._keep(self.folder / name, hmac.digest(self._key, body, "sha256") + body)

    def read_note(self, name: str) -> str | None:
        """A small text the store keeps beside its charts (a dot-name), or None."""
        try:
            return (self.folder / name).read_text()
        except OSError:
            return None

    def write_note(self, name: str, text: str) -> None:
        """Keep a small text beside the charts."""
        self._keep(self.folder / name, text.encode())

    def _keep(self, path: Path, body: bytes) -> None:
        """Write a file aside, then rename it into place (a reader never sees half of it);
        prune now and then."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)  # it may have been emptied by hand
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(body)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            log.exception("%s could not be stored", path.name)
            return
        with self._lock:
            self._writes += 1
            due = self._writes % PRUNE_EVERY == 0
        if due:
            self.prune()

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
                                   app.config["DASHBOARD_CHART_FILES"],
                                   str(app.config["SECRET_KEY"]).encode())
            except OSError:  # charts and reports are then kept per worker, in memory
                log.exception("the chart store %s cannot be used", folder)
        app.extensions["chart_store"] = store
    return app.extensions["chart_store"]
