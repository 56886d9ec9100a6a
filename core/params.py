"""Shared parsing of untrusted identifiers, page numbers and dates from URLs and query strings.

Every value is checked against what the database can hold before it reaches a query: an id is
a positive 32-bit integer (PostgreSQL `integer`), a page number stays small. Anything else is
answered 404: no row can have it. (Dates: core.timeutil.day_in_range.)
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

#: Largest value of a PostgreSQL `integer` column (and of every primary key here).
DB_INT_MAX = 2**31 - 1
#: Longest list a paged page number may reach.
PAGE_MAX = 100_000


def parse_id(text: str | None) -> int | None:
    """A row id from ASCII digits, 1 to DB_INT_MAX; None for anything else."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 1 <= value <= DB_INT_MAX else None


def id_arg(name: str) -> int | None:
    """The id in query argument `name`; None when absent or empty, 404 when it cannot exist."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        abort(404)
    return value


def page_arg(name: str = "page") -> int:
    """The page number in a query argument (1 when absent); 404 beyond PAGE_MAX or malformed."""
    raw = request.args.get(name, "")
    if not raw:
        return 1
    value = parse_id(raw)
    if value is None or value > PAGE_MAX:
        abort(404)
    return value


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: only ids a database row can have, so larger numbers are 404."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = 1,
                 max: int | None = DB_INT_MAX, signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Bound every `<int:…>` URL part to the ids a row can have."""
    app.url_map.converters["int"] = IdConverter
