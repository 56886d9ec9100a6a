"""One way to write a day and a moment, on every page, e-mail and table.

Pages use the Jinja filters `day` and `when`; Python code calls `day_text` and `when_text`.
Times are shown in Asia/Ho_Chi_Minh (Flask-Babel's timezone).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime

#: Day first, as Vietnamese writes it and as British English reads it: 03/12/2026 and
#: 03/12/2026 14:30 in both languages (the English pages serve readers in Vietnam).
DAY_PATTERN = "dd/MM/yyyy"
MOMENT_PATTERN = "dd/MM/yyyy HH:mm"


def day_text(value: date | datetime | None) -> str:
    """The day of a date or an aware datetime (its local day)."""
    return format_date(value, DAY_PATTERN) if value is not None else ""


def when_text(value: datetime | None) -> str:
    """An aware datetime as its local day and time."""
    return format_datetime(value, MOMENT_PATTERN) if value is not None else ""


def init_app(app: Flask) -> None:
    """Register the `day` and `when` filters."""
    app.jinja_env.filters["day"] = day_text
    app.jinja_env.filters["when"] = when_text
