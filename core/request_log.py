"""Structured (JSON) logs, one access line per request, and a request id across the whole trip.

An incoming `X-Request-ID` (set by the reverse proxy) is kept when it is well-formed, otherwise a
new one is made; it is echoed in the response and carried on every log line of the request.
Client addresses are never logged (only the keyed hash is stored, with the response).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
#: Terminal colour codes (the development server colours its lines): never inside JSON.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
ACCESS_LOGGER = "hailong.access"


def request_id_from(header_value: str | None) -> str:
    """The proxy's request id when it is well-formed, else a new random one."""
    if header_value and _WELL_FORMED.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being handled, if any."""
    if has_request_context():
        return g.get("request_id")
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extra fields."""

    EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "endpoint")

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _ANSI.sub("", record.getMessage()).strip(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            data["request_id"] = request_id
        for name in self.EXTRA_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def is_dev_server_access_line(record: logging.LogRecord) -> bool:
    """A request line of the development server (werkzeug), which repeats our access line."""
    return record.name == "werkzeug" and '] "%s" %s %s' in str(record.msg)


def configure_logging(level: str = "INFO") -> None:
    """Send the root logger's records to standard error as JSON lines (unless already so);
    the development server's own request lines are dropped: one line per request."""
    root = logging.getLogger()
    if any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(lambda record: not is_dev_server_access_line(record))
    root.addHandler(handler)
    root.setLevel(level)


class _Held(logging.Handler):
    """The records of a running command, written by `handlers` when it ends (or when `limit`
    have piled up, so a command that logs without end does not keep them all)."""

    def __init__(self, handlers: list[logging.Handler], limit: int = 1000) -> None:
        super().__init__()
        self.handlers, self.limit, self.records = handlers, limit, []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if len(self.records) >= self.limit:
            self.write()

    def write(self) -> None:
        for record in self.records:
            for handler in self.handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)
        self.records.clear()


@contextmanager
def after_the_output() -> Iterator[None]:
    """While a command runs, hold the log lines its work writes (JSON or plain) and write them
    when it ends, so that none lands between the lines the command prints."""
    root = logging.getLogger()
    handlers = root.handlers[:]
    held = _Held(handlers or [logging.lastResort])
    root.handlers[:] = [held]
    try:
        yield
    finally:
        root.handlers[:] = handlers
        held.write()


def _start_request() -> None:
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()


def _finish_request(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    if started is not None:
        logging.getLogger(ACCESS_LOGGER).info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"request_id": request_id, "method": request.method, "path": request.path,
                   "status": response.status_code, "endpoint": request.endpoint,
                   "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
        )
    return response


def init_app(app: Flask) -> None:
    """Give every request an id and an access log line; JSON logs unless LOG_FORMAT=plain."""
    if app.config["LOG_FORMAT"] == "json" and not app.testing:
        from flask.logging import default_handler

        app.logger.removeHandler(default_handler)
        configure_logging(app.config["LOG_LEVEL"])
    app.before_request(_start_request)
    app.after_request(_finish_request)
