"""Local calendar expressions in SQL for SQLite and PostgreSQL.

Timestamps are stored as naive UTC. Vietnam keeps UTC+7 all year (no daylight saving time since
1975), so shifting by seven hours gives the local wall clock on both backends.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, cast, extract, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

OFFSET_HOURS = 7


def _sqlite(dialect_name: str) -> bool:
    return dialect_name == "sqlite"


def _shifted(column) -> ColumnElement:
    return column + literal_column(f"interval '{OFFSET_HOURS} hours'")


#: SQL literals (not bound parameters), so that the same expression in SELECT and GROUP BY is
#: recognised as the same by PostgreSQL.
_PLUS = literal_column(f"'+{OFFSET_HOURS} hours'")
#: SQLite's modifier and PostgreSQL's date_trunc field for the start of a month or year.
_START = {unit: (literal_column(f"'start of {unit}'"), literal_column(f"'{unit}'"))
          for unit in ("month", "year")}


def _start_of(unit: str, column, dialect_name: str, local: bool) -> ColumnElement:
    """The first day of the (local, for a UTC timestamp) month or year of a column."""
    sqlite_start, field = _START[unit]
    if _sqlite(dialect_name):
        return func.date(column, *((_PLUS,) if local else ()), sqlite_start, type_=Date)
    return cast(func.date_trunc(field, _shifted(column) if local else column), Date)


def local_day(column, dialect_name: str) -> ColumnElement:
    """The local date of a UTC timestamp column."""
    if _sqlite(dialect_name):
        return func.date(column, _PLUS, type_=Date)
    return cast(_shifted(column), Date)


def local_month(column, dialect_name: str) -> ColumnElement:
    """The first day of the local month of a UTC timestamp column."""
    return _start_of("month", column, dialect_name, local=True)


def local_year(column, dialect_name: str) -> ColumnElement:
    """The first day of the local year of a UTC timestamp column."""
    return _start_of("year", column, dialect_name, local=True)


def month_of_date(column, dialect_name: str) -> ColumnElement:
    """The first day of the month of a DATE column."""
    return _start_of("month", column, dialect_name, local=False)


def year_of_date(column, dialect_name: str) -> ColumnElement:
    """The first day of the year of a DATE column."""
    return _start_of("year", column, dialect_name, local=False)


def local_weekday(column, dialect_name: str) -> ColumnElement:
    """Local weekday of a UTC timestamp column, 0 = Monday … 6 = Sunday."""
    if _sqlite(dialect_name):
        sunday_first = cast(func.strftime(literal_column("'%w'"), column, _PLUS), Integer)
        return (sunday_first + literal_column("6")) % literal_column("7")
    return cast(extract("isodow", _shifted(column)), Integer) - literal_column("1")


def local_hour(column, dialect_name: str) -> ColumnElement:
    """Local hour (0–23) of a UTC timestamp column."""
    if _sqlite(dialect_name):
        return cast(func.strftime(literal_column("'%H'"), column, _PLUS), Integer)
    return cast(extract("hour", _shifted(column)), Integer)


def weekday_of_date(column, dialect_name: str) -> ColumnElement:
    """Weekday of a DATE column, 0 = Monday … 6 = Sunday."""
    if _sqlite(dialect_name):
        sunday_first = cast(func.strftime(literal_column("'%w'"), column), Integer)
        return (sunday_first + literal_column("6")) % literal_column("7")
    return cast(extract("isodow", column), Integer) - literal_column("1")
