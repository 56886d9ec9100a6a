"""Backups and restores of the whole database, while the app keeps serving.

SQLite uses its online backup API (a consistent copy even while citizens are writing);
PostgreSQL uses pg_dump's custom format and pg_restore, found on PATH or in Debian's
/usr/lib/postgresql/<version>/bin (the newest version, so it can dump any older server).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from flask_babel import gettext
from sqlalchemy.engine import Engine, make_url

from core.settings import child_environment


class BackupError(RuntimeError):
    """The backup or restore could not be done."""


def postgres_tool(name: str) -> str:
    """Path of pg_dump / pg_restore: the newest Debian install, else the one on PATH."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(gettext("%(program)s was not found: install PostgreSQL's client "
                                  "programs (postgresql-client).", program=name))
    return found


def _libpq_args(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL programs (password in the environment)."""
    url = make_url(engine.url)
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = child_environment()
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(gettext("%(program)s failed: %(reason)s", program=Path(command[0]).name,
                                  reason=result.stderr.strip()))


def _private_file(path: Path) -> None:
    """Create `path` (or keep it) readable and writable by its owner only, before any data is
    written into it: a backup holds every citizen's answers and contact details."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)


def backup(engine: Engine, path: Path) -> None:
    """Write a consistent copy of the database to `path` (SQLite file or pg_dump archive),
    readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _private_file(path)
    if engine.dialect.name == "sqlite":
        with closing(engine.raw_connection()) as source, closing(sqlite3.connect(path)) as target:
            source.driver_connection.backup(target)
    elif engine.dialect.name == "postgresql":
        args, env = _libpq_args(engine)
        _run([postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path),
              *args], env)
    else:
        raise _unsupported(engine)


def restore(engine: Engine, path: Path) -> None:
    """Replace the database's content with the backup at `path` (made by `backup`)."""
    if not path.is_file():
        raise BackupError(gettext("There is no backup at %(path)s.", path=path))
    engine.dispose()
    if engine.dialect.name == "sqlite":
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source, \
                closing(engine.raw_connection()) as target:
            source.backup(target.driver_connection)
    elif engine.dialect.name == "postgresql":
        args, env = _libpq_args(engine)
        _run([postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--exit-on-error", *args, str(path)], env)
    else:
        raise _unsupported(engine)
    engine.dispose()


def _unsupported(engine: Engine) -> BackupError:
    return BackupError(gettext("Only SQLite and PostgreSQL databases are backed up and restored, "
                               "not %(database)s.", database=engine.dialect.name))
