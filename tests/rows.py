"""Every row of the test database copied out and put back, for data that tests build once.

The `built_once` fixture (tests/conftest.py) uses these: a costly data set (the demo seed, a few
hundred responses) is built by the real services in the first test that asks for it; its rows
are kept in memory and put back, on SQLite or PostgreSQL alike, in each later test.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select, text

from core.db import db

Rows = dict[str, list[dict]]


def is_empty() -> bool:
    """Whether every table of the app is empty."""
    with db.engine.connect() as connection:
        return not any(connection.execute(select(1).select_from(table).limit(1)).first()
                       for table in db.metadata.sorted_tables)


def delete_all() -> None:
    """Empty every table (children first)."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def copy_rows() -> Rows:
    """Every row of every table, by table name, as {column key: value}."""
    with db.engine.connect() as connection:
        return {table.name: [dict(zip(table.columns.keys(), row, strict=True))
                             for row in connection.execute(select(table))]
                for table in db.metadata.sorted_tables}


def put_rows(rows: Rows) -> None:
    """Insert the rows of `copy_rows` into the empty tables (parents first, also within a table
    that refers to itself) and move PostgreSQL's id sequences past them."""
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if rows[table.name]:
                for batch in _parents_first(table, rows[table.name]):
                    connection.execute(table.insert(), batch)
        if connection.dialect.name == "postgresql":
            _move_sequences(connection)


def _parents_first(table: Table, rows: list[dict]) -> list[list[dict]]:
    """The rows in batches such that a row referring to its own table (a unit to its successor)
    comes after the row it refers to."""
    links = [(fk.parent.key, fk.column.key) for fk in table.foreign_keys
             if fk.column.table is table]
    if not links:
        return [rows]
    batches, placed, waiting = [], set(), rows
    while waiting:
        ready = [row for row in waiting
                 if all(row[own] is None or row[own] in placed for own, _ in links)]
        if not ready:
            raise ValueError(f"rows of {table.name} refer to each other in a cycle")
        batches.append(ready)
        placed.update(row[target] for row in ready for _, target in links)
        done = {id(row) for row in ready}
        waiting = [row for row in waiting if id(row) not in done]
    return batches


def _move_sequences(connection: Connection) -> None:
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": connection.dialect.identifier_preparer.format_table(table),
                 "c": column.name}).scalar()
            if sequence is None:
                continue
            highest = connection.execute(select(func.max(column))).scalar()
            if highest is not None:
                connection.execute(text("SELECT setval(:s, :n)"), {"s": sequence, "n": highest})
