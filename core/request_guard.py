"""Refuse, before any view runs, text no honest client sends: NUL characters in the path, the
query string or a form, and bytes that are not UTF-8 in the query string or a form.

Werkzeug would keep invalid UTF-8 as percent-escapes ("%FF%FE") and pass NUL on to the
database, which PostgreSQL refuses with an error. Browsers always send forms as UTF-8.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

FORM_TYPE = "application/x-www-form-urlencoded"


class BadInput(BadRequest):
    """A 400 whose page says what was wrong with the text sent."""

    def __init__(self, message) -> None:
        super().__init__()
        self.message = message


ENCODING_MESSAGE = _l("What was sent is not valid text (UTF-8). Please type your answer again.")
NUL_MESSAGE = _l("What was sent contains characters that are not allowed.")


def _problem(encoded: bytes):
    """Why an urlencoded string (query or form body) is refused; None when it is fine."""
    for pair in encoded.replace(b";", b"&").split(b"&"):
        try:
            text = unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return ENCODING_MESSAGE
        if "\x00" in text:
            return NUL_MESSAGE
    return None


def _check_request() -> None:
    problem = NUL_MESSAGE if "\x00" in request.path else _problem(request.query_string)
    if problem is None and request.mimetype == FORM_TYPE:
        problem = _problem(request.get_data(cache=True))
    if problem is None and request.mimetype == "multipart/form-data" and any(
            "\x00" in value for values in request.form.listvalues() for value in values):
        problem = NUL_MESSAGE
    if problem is not None:
        raise BadInput(problem)


def init_app(app: Flask) -> None:
    """Check every request's path, query string and form before the views see them."""
    app.before_request(_check_request)
