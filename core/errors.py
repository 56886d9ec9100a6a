"""One renderer for every HTTP error: a translated page with the right status code."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from core.db import db

#: Title and explanation shown for each status code.
ERROR_TEXTS = {
    400: (_l("The request could not be understood"),
          _l("Something in what was sent is malformed. Please go back and try again.")),
    403: (_l("You are not allowed to see this page"),
          _l("Your account does not have access to this page.")),
    404: (_l("Page not found"),
          _l("The address is not valid. If you scanned a QR code, please scan the code "
             "displayed at the counter again.")),
    405: (_l("Method not allowed"), _l("This page cannot be used this way.")),
    410: (_l("This QR code is no longer in use"),
          _l("Please scan the QR code currently displayed at the counter.")),
    413: (_l("What you sent is too large"),
          _l("Please shorten your answer and try again.")),
    429: (_l("Too many requests"),
          _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Your request could not be completed. Please try again in a moment.")),
}


def render_error(error: HTTPException):
    """Render errors/error.html for an HTTP error, rolling back any half-done database work."""
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500] if code >= 500 else ERROR_TEXTS[400])
    #: A refusal may carry its own translated explanation (core.request_guard.BadInput).
    message = getattr(error, "message", None) or message
    #: The error's own headers (e.g. Allow on a 405, as RFC 9110 requires), but not its type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return render_template("errors/error.html", code=code, title=title, message=message), code, \
        headers


def init_app(app: Flask) -> None:
    """Register the error renderer for every code we show a page for."""
    for code in ERROR_TEXTS:
        app.register_error_handler(code, render_error)
