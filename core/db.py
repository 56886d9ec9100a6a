"""The SQLAlchemy extension, declarative base, the UTC timestamp type shared by all models and
the guard that keeps append-only records unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints predictably."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: The flush events `append_only` refuses by default: changing a row and deleting it.
CHANGES = ("before_update", "before_delete")


def append_only(*models: type, message: str, error: type[Exception] = ValueError,
                events: tuple[str, ...] = CHANGES,
                unless: Callable[[object], bool] | None = None) -> None:
    """Make the rows of `models` a record that is only ever added to: flushing one of `events`
    (by default an update or a delete) raises `error(message)`; "{id}" in `message` names the
    row. `unless(row)` True lets a change through (the one kind of change a record allows)."""
    def refuse(mapper, connection, target) -> None:
        if unless is None or not unless(target):
            raise error(message.format(id=target.id))

    for model in models:
        for name in events:
            event.listen(model, name, refuse)


def now_utc() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores datetimes as naive UTC on every backend and always returns aware UTC values."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


#: How long a SQLite write waits for the write lock before giving up (then 503): at a morning
#: peak on a loaded 2-core server sixteen queued writers can need more than 5 s; it stays
#: below gunicorn's 30 s worker timeout.
SQLITE_BUSY_TIMEOUT_MS = 20_000
#: Request methods whose transactions read only (on SQLite they may begin deferred).
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: connection.info key: the SQLite transaction began deferred and has not written yet.
_DEFERRED = "hailong_sqlite_deferred"
#: The first word of statements that write (data or schema).
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})
_FIRST_WORD = re.compile(r"\s*([A-Za-z]+)")


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record) -> None:
    """WAL journal, a busy timeout and enforced foreign keys for every SQLite connection; the
    driver's own transaction handling is off, so that `_begin_sqlite` decides how to begin."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    _keep_private(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _keep_private(dbapi_connection) -> None:
    """Make the SQLite database file and its WAL files readable by their owner only (SQLite
    creates them with the process's umask, usually 0644)."""
    for _seq, name, filename in dbapi_connection.execute("PRAGMA database_list").fetchall():
        if name != "main" or not filename:
            continue
        for path in (Path(filename), Path(filename + "-wal"), Path(filename + "-shm")):
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    """Begin SQLite transactions ourselves (SQLAlchemy's pysqlite recipe): IMMEDIATE for a
    request that may write, so it takes the write lock first and waits for it (busy timeout)
    instead of failing with "database is locked" when its read snapshot cannot be upgraded;
    DEFERRED otherwise, so that pages and reports never hold up citizens' writes. Outside a
    request (the command line, tests) DEFERRED as well: a command may hold a session and open
    a second connection, which would then wait for its own lock."""
    if connection.dialect.name != "sqlite":
        return
    writing = has_request_context() and request.method not in READ_ONLY_METHODS and not getattr(
        current_app.view_functions.get(request.endpoint or ""), "reads_first", False)
    connection.info[_DEFERRED] = not writing
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def reads_first(view: Callable) -> Callable:
    """Mark a view (right under its route) whose posts do slow work between reading and writing,
    such as checking a password hash: on SQLite its transactions begin deferred and take the
    write lock only at their first write, so citizens' answers are not held up meanwhile."""
    view.reads_first = True
    return view


@event.listens_for(Engine, "before_cursor_execute")
def _write_after_reading_sqlite(connection, cursor, statement, parameters, context,
                                executemany) -> None:
    """A deferred SQLite transaction that has only read cannot take the write lock once
    another writer has committed (it fails at once with "database is locked", without waiting).
    So before its first write it ends its reading (nothing to lose) and begins IMMEDIATE,
    waiting for the lock like any writer; a page that records something (a kiosk's last visit,
    a report's integrity scan) is then never refused for it."""
    if not connection.info.get(_DEFERRED) or connection.in_nested_transaction():
        return
    first = _FIRST_WORD.match(statement)
    if first is None or first[1].upper() not in _WRITES:
        return
    connection.info[_DEFERRED] = False
    cursor.connection.execute("COMMIT")
    cursor.connection.execute("BEGIN IMMEDIATE")


def str_enum(enum_class: type) -> Enum:
    """A portable (VARCHAR) column type storing an enum's values, e.g. "ward", not "WARD"."""
    return Enum(enum_class, native_enum=False, length=16,
                values_callable=lambda members: [m.value for m in members])
