"""Settings for running in production: proxy, logs, rate limits, privacy keys and retention.

Defaults suit a developer's machine; `from_environment()` reads the deployed values when the app
is created (never at import).
"""

from __future__ import annotations

import os
from typing import Any

#: Per device (the random id in the signed session): one citizen rates one visit at a time.
DEVICE_LIMIT = "5 per minute;30 per day"
#: Per client address: generous, since a centre's public Wi-Fi or a mobile carrier's NAT puts many
#: honest citizens behind one address.
IP_LIMIT = "120 per minute;3000 per hour"
#: Showing the citizen form (GET): a person opens it a few times, a script thousands of times.
FORM_DEVICE_LIMIT = "30 per minute;300 per day"
FORM_IP_LIMIT = "240 per minute;6000 per hour"
#: Per API token of a centre's queue system, and per enrolled kiosk.
API_TOKEN_LIMIT = "120 per minute;10000 per day"
KIOSK_LIMIT = "30 per minute"
#: Looking a complaint up by its reference (POST): a citizen needs a few tries, a guesser many.
TRACK_LIMIT = "10 per minute;50 per day"

DEFAULTS: dict[str, Any] = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    #: Fail open for citizens: while the shared storage (Redis) does not answer, each worker
    #: counts in its own memory, and any other storage error lets the request through.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    #: Keys in a shared Redis start with this, so the limits can share a Redis with others.
    "RATELIMIT_KEY_PREFIX": "hailong",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_DEVICE": DEVICE_LIMIT,
    "RATELIMIT_IP": IP_LIMIT,
    "RATELIMIT_FORM_DEVICE": FORM_DEVICE_LIMIT,
    "RATELIMIT_FORM_IP": FORM_IP_LIMIT,
    "RATELIMIT_API_TOKEN": API_TOKEN_LIMIT,
    "RATELIMIT_KIOSK": KIOSK_LIMIT,
    "RATELIMIT_TRACK": TRACK_LIMIT,
    "PROXY_FIX_X_FOR": 0,
    "PROXY_FIX_X_PROTO": 0,
    "PROXY_FIX_X_HOST": 0,
    "PROXY_FIX_X_PORT": 0,
    "PROXY_FIX_X_PREFIX": 0,
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "INFO",
    "HSTS_MAX_AGE": 31536000,
    "CONTACT_ENCRYPTION_KEY": None,
    "CONTACT_RETENTION_DAYS": 180,
    "IP_HASH_KEY": None,
}

_BOOL_TRUE = {"1", "true", "yes", "on"}


def _int(name: str) -> int | None:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from exc


def from_environment() -> dict[str, Any]:
    """Settings given in the environment (absent variables keep their defaults)."""
    found: dict[str, Any] = {}
    for name in ("RATELIMIT_STORAGE_URI", "RATELIMIT_DEVICE", "RATELIMIT_IP",
                 "RATELIMIT_FORM_DEVICE", "RATELIMIT_FORM_IP", "RATELIMIT_API_TOKEN",
                 "RATELIMIT_KIOSK", "RATELIMIT_TRACK", "LOG_FORMAT", "LOG_LEVEL",
                 "CONTACT_ENCRYPTION_KEY", "IP_HASH_KEY"):
        if os.environ.get(name):
            found[name] = os.environ[name]
    if os.environ.get("RATELIMIT_ENABLED") is not None:
        found["RATELIMIT_ENABLED"] = os.environ["RATELIMIT_ENABLED"].strip().lower() in _BOOL_TRUE
    for name in ("PROXY_FIX_X_FOR", "PROXY_FIX_X_PROTO", "PROXY_FIX_X_HOST", "PROXY_FIX_X_PORT",
                 "PROXY_FIX_X_PREFIX", "HSTS_MAX_AGE", "CONTACT_RETENTION_DAYS"):
        value = _int(name)
        if value is not None:
            found[name] = value
    return found
