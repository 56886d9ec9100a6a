"""One renderer for every HTTP error: a translated page with the right status code, or, under a
JSON API (json_errors_under), the same text as JSON: {"error": code, "message": text}."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

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
    503: (_l("The service is busy"),
          _l("Your request could not be completed. Please try again in a moment.")),
}
#: The page of a citizen form whose answers could not be saved because of the database.
ANSWERS_KEPT = (_l("Your answers are not saved yet"),
                _l("The system is busy or briefly unavailable. Nothing is lost: please press "
                   "Send again in a moment."))
#: Seconds a client is asked to wait when the database is unavailable.
RETRY_AFTER_SECONDS = 5


#: Key in app.extensions: the path prefixes whose errors are answered as JSON.
_JSON_PATHS = "hailong.json_error_paths"


def json_errors_under(bp: Blueprint, path: str = "/") -> None:
    """Answer every error under `path` of this blueprint as JSON, not as a page: also those
    raised before any view of it runs (an unknown address, a wrong method, the rate limits)."""
    bp.record_once(lambda state: state.app.extensions.setdefault(_JSON_PATHS, set()).add(
        (state.url_prefix or "") + path))


def wants_json() -> bool:
    """Whether this request is one to a JSON API (json_errors_under)."""
    return request.path.startswith(tuple(current_app.extensions.get(_JSON_PATHS, ())))


def error_response(error: HTTPException, code: int, title, message, headers=(), **page):
    """The error as a page (errors/error.html with `page`'s extra values) or, under a JSON API,
    as {"error": snake_case name of the status, "message": text}."""
    if wants_json():
        name = (error.name or "error").lower().replace(" ", "_").replace("'", "")
        return jsonify(error=name, message=str(message)), code, headers
    return render_template("errors/error.html", code=code, title=title, message=message,
                           **page), code, headers


def render_error(error: HTTPException):
    """Render errors/error.html (or JSON, see error_response) for an HTTP error, rolling back
    any half-done database work."""
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
    return error_response(error, code, title, message, headers)


def keeps_answers(view: Callable) -> Callable:
    """Mark a citizen form's view (put it right under the route): when the database fails
    while it answers a post, the 503 page holds the same answers, ticket included, and a button
    that sends them again; the ticket makes the second try store them at most once."""
    view.keeps_answers = True
    return view


def database_unavailable(error: OperationalError):
    """A 503 when the database is locked for too long or unreachable, never a 500; a citizen's
    posted answers come back in a form that sends them again."""
    db.session.rollback()
    logging.getLogger(__name__).warning("database unavailable: %s",
                                        type(error.orig or error).__name__)
    view = current_app.view_functions.get(request.endpoint or "")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.method == "POST" and getattr(view, "keeps_answers", False):
        title, message = ANSWERS_KEPT
        action = request.script_root + request.full_path.rstrip("?")
        return render_template("errors/answers_kept.html", code=503, title=title,
                               message=message, action=action,
                               fields=list(request.form.items(multi=True))), 503, headers
    title, message = ERROR_TEXTS[503]
    return error_response(ServiceUnavailable(), 503, title, message, headers)


def init_app(app: Flask) -> None:
    """Register the error renderer for every HTTP error (the codes of ERROR_TEXTS have their
    own text; any other gets the 400 or 500 text), and the database's."""
    app.register_error_handler(HTTPException, render_error)
    for code in ERROR_TEXTS:
        app.register_error_handler(code, render_error)
    app.register_error_handler(OperationalError, database_unavailable)
