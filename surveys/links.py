"""Public URLs of counters: PUBLIC_BASE_URL when configured, else the request's host."""

from __future__ import annotations

import os

from flask import current_app, has_request_context, request

from surveys.models import Counter
from surveys.queries import current_token


def dev_server_url() -> str:
    """Where `flask run` will listen: FLASK_RUN_HOST and FLASK_RUN_PORT as the Flask CLI reads
    them (127.0.0.1:5000 by default; a server on every interface is shown as 127.0.0.1)."""
    host = os.environ.get("FLASK_RUN_HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('FLASK_RUN_PORT') or 5000}"


def public_base_url(fallback: str | None = None) -> str:
    """The base URL printed in QR codes."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.url_root.rstrip("/")
    return (fallback or dev_server_url()).rstrip("/")


def counter_url(counter: Counter, fallback_base: str | None = None) -> str | None:
    """The survey URL of a counter's current QR token (None if it has no token)."""
    token = current_token(counter)
    if token is None:
        return None
    path = current_app.url_map.bind("").build("feedback.respond", {"token": token.token})
    return public_base_url(fallback_base) + path
