"""Rate limits fitted to shared public Wi-Fi: strict per device, generous per network address.

Many honest citizens sit behind one address (a centre's Wi-Fi, a mobile carrier's NAT), so the
address limit is only a ceiling against floods; the strict limit follows the device, i.e. the
random id kept in the citizen's signed session (ensure_device_id). Limits are strings
such as "5 per minute;30 per day" from RATELIMIT_DEVICE / RATELIMIT_IP; RATELIMIT_ENABLED=false
turns them off.

Where the counts live: RATELIMIT_STORAGE_URI. The default memory:// counts in each worker process
alone (fine for one process; production refuses several workers with it, see
core.config.check_serving); redis://HOST:PORT/DB shares every limit of this module across the
workers and servers. A Redis that does not answer must not lose a citizen's response, so the
limits fail *open*: each worker then counts in its own memory (the same limits, per process)
until Redis answers again, and any other storage error lets the request through (logged).
Sign-in throttling is not here: it counts failures in the database (accounts.throttle), which
every server shares and without which no one can sign in, so it fails *closed*.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from werkzeug.exceptions import TooManyRequests

from core.errors import error_response

log = logging.getLogger(__name__)

#: The session key holding the citizen's random device id.
DEVICE_SESSION_KEY = "device"

CITIZEN_LIMIT_MESSAGE = _l(
    "Several answers were sent from this phone or this network in a short time. Your answers "
    "are still on the previous page: go back and press Send again after the wait."
)


FORM_LIMIT_MESSAGE = _l(
    "This survey was opened very many times from this phone or this network in a short time. "
    "Please wait a moment, then scan the code again."
)


def client_address() -> str:
    """The client's address as the app sees it (after ProxyFix when configured)."""
    return request.remote_addr or "unknown"


def ensure_device_id() -> str:
    """The citizen's random device id, created in the signed session on first use; only its
    keyed hash is ever stored."""
    if not isinstance(session.get(DEVICE_SESSION_KEY), str):
        session[DEVICE_SESSION_KEY] = secrets.token_urlsafe(16)
    return session[DEVICE_SESSION_KEY]


def device_key() -> str:
    """The citizen's device id from the signed session, else their address."""
    device = session.get(DEVICE_SESSION_KEY)
    if isinstance(device, str) and device:
        return "device:" + device
    return "address:" + client_address()


limiter = Limiter(key_func=client_address)


def first_visit() -> bool:
    """No device id in the session yet: the phone has not been here before (or keeps no
    cookies)."""
    device = session.get(DEVICE_SESSION_KEY)
    return not (isinstance(device, str) and device)


def _device_and_address(name: str, device_setting: str, address_setting: str,
                        methods: list[str], message, first_visit_exempt: bool = False) -> tuple:
    """A strict limit per device and a ceiling per address for one kind of request; each
    kind's requests count together across the endpoints it decorates. With
    `first_visit_exempt`, a request from a phone without a device id yet counts only against
    the address ceiling (otherwise every first visit from one public address would share one
    strict "device" limit)."""
    return tuple(limiter.shared_limit(
        lambda setting=setting: current_app.config[setting], scope=f"{name}-{kind}",
        key_func=key, methods=methods, error_message=lambda: str(message),
        exempt_when=first_visit if exempt else None)
        for kind, setting, key, exempt in (
            ("device", device_setting, device_key, first_visit_exempt),
            ("address", address_setting, client_address, False)))


#: Limits on every citizen submission endpoint (shared: a device's posts count together).
citizen_device_limit, citizen_address_limit = _device_and_address(
    "citizen", "RATELIMIT_DEVICE", "RATELIMIT_IP", ["POST"], CITIZEN_LIMIT_MESSAGE)
#: Limits on showing the citizen forms (GET), so forms cannot be fetched by the thousand. A
#: phone's first view (no device id yet) counts for its address only: with the limits shared
#: by every server, the first scans of all the phones behind one mobile carrier's address
#: would otherwise share one device's allowance.
citizen_form_device_limit, citizen_form_address_limit = _device_and_address(
    "form", "RATELIMIT_FORM_DEVICE", "RATELIMIT_FORM_IP", ["GET"], FORM_LIMIT_MESSAGE,
    first_visit_exempt=True)


TRACK_LIMIT_MESSAGE = _l(
    "Too many references were looked up from this phone or this network. Please wait, then "
    "try again with the reference printed on your thank-you page."
)

#: Looking a complaint up by its reference (POST), per device and per address alike, so
#: references cannot be guessed by the thousand.
track_device_limit, track_address_limit = _device_and_address(
    "track", "RATELIMIT_TRACK", "RATELIMIT_TRACK", ["POST"], TRACK_LIMIT_MESSAGE)


def _credential_key(secret: str | None) -> str:
    """A bucket per credential (API token, kiosk key): its digest, never the secret itself."""
    return hashlib.sha256((secret or "").encode()).hexdigest()[:24]


#: Per API token of a queue system (any route of the visits API) and per enrolled kiosk.
api_token_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_API_TOKEN"], scope="api-token",
    key_func=lambda: "api:" + _credential_key(request.headers.get("Authorization")),
)


def kiosk_limit(cookie: str):
    """The per-kiosk limit, keyed by the kiosk key in the named cookie."""
    return limiter.shared_limit(
        lambda: current_app.config["RATELIMIT_KIOSK"], scope="kiosk",
        key_func=lambda: "kiosk:" + _credential_key(request.cookies.get(cookie)),
    )


def seconds_to_wait(error: TooManyRequests) -> int | None:
    """Seconds until the limit that was hit resets (at least 1); None when unknown."""
    current = limiter.current_limit
    if getattr(error, "limit", None) is not None and current is not None:
        try:
            return max(1, int(current.reset_at - time.time()) + 1)
        except Exception:  # the shared storage stopped answering since the limit was hit
            log.warning("rate limit storage unreachable: the wait is not known")
            return None
    retry_after = getattr(error, "retry_after", None)
    return retry_after if isinstance(retry_after, int) and retry_after > 0 else None


def too_many_requests(error: TooManyRequests):
    """A translated page (JSON under a JSON API) saying how long to wait, with a Retry-After
    header when known."""
    wait = seconds_to_wait(error)
    limit = getattr(error, "limit", None)
    message = error.description if limit is not None and limit.error_message else _(
        "Please wait a moment and try again.")
    detail = None if wait is None else _(
        "Please wait %(wait)s before trying again.",
        wait=format_timedelta(timedelta(seconds=wait), threshold=1.0))
    return error_response(error, 429, _("Too many requests in a short time"), message,
                          {} if wait is None else {"Retry-After": str(wait)}, detail=detail)


class RedactClientIds(logging.Filter):
    """Flask-Limiter logs every breach at INFO with its key: the client's address or device id.
    Keep the line (which limit was hit, where) with both replaced, since client addresses and
    device ids are never logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not has_request_context():
            return True
        secrets_seen = [value for value in (request.remote_addr, session.get(DEVICE_SESSION_KEY))
                        if isinstance(value, str) and value]
        message = record.getMessage()
        for value in secrets_seen:
            message = message.replace(value, "[redacted]")
        record.msg, record.args = message, None
        return True


#: How long a worker waits for Redis before counting in its own memory instead (seconds).
REDIS_TIMEOUT_SECONDS = 0.5


def is_shared_storage(uri: str) -> bool:
    """Whether the limits' storage is shared between processes (anything but memory://)."""
    return not uri.startswith("memory://")


def storage_state(config) -> str:
    """What /healthz says about the limits: "off", "per_process" (memory://), "ok" (the shared
    storage answers) or "unavailable" (it does not: workers count in their own memory)."""
    if not config.get("RATELIMIT_ENABLED", True):
        return "off"
    if not is_shared_storage(config["RATELIMIT_STORAGE_URI"]):
        return "per_process"
    return "ok" if limiter.storage.check() else "unavailable"


def init_app(app: Flask) -> None:
    """Attach the limiter and the 429 page (after core.errors, so this page wins for 429)."""
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS})
    limiter.init_app(app)
    limiter_log = logging.getLogger("flask-limiter")
    if not any(isinstance(f, RedactClientIds) for f in limiter_log.filters):
        limiter_log.addFilter(RedactClientIds())
    app.register_error_handler(429, too_many_requests)
