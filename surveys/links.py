"""Public URLs of counters: PUBLIC_BASE_URL when configured, else the request's host."""

from __future__ import annotations

from flask import current_app, has_request_context, request

from surveys.models import Counter
from surveys.queries import current_token
from surveys.settings import dev_server_url


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
