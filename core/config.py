"""Core settings (database, secrets, sessions, proxy, logs, rate limits, keys) and the checks
that stop a deployed app with weak secrets; read when the app is created (never at import).

The features declare their own settings in their `settings` modules (core.settings collects
them); `FEATURE_SETTINGS` names every module `create_app` collects.
"""

from __future__ import annotations

import re
import secrets
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.settings import (
    ConfigError,
    Setting,
    boolean,
    choice,
    collect,
    environment,
    integer,
    text,
)

RESPONSE_COMMENT_MAX = 1000
#: HAILONG_ENV=production: the deployed service, which refuses to start with weak secrets.
PRODUCTION = "production"
#: Shortest SECRET_KEY accepted in production (token_urlsafe(32) gives 43 characters).
MIN_SECRET_KEY_LENGTH = 32

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


#: The databases the app runs on, as SQLAlchemy names them with their driver.
SUPPORTED_DATABASES = {"sqlite", "sqlite+pysqlite", "postgresql+psycopg"}
_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


def database_url(value: Any) -> str:
    """A SQLite or PostgreSQL URL; the common postgres:// and postgresql:// spellings use
    psycopg 3."""
    url = normalise_database_url(str(value).strip())
    try:
        driver = make_url(url).drivername
    except (ArgumentError, ValueError):  # no scheme, or a port that is not a number
        driver = None
    if driver not in SUPPORTED_DATABASES:
        raise ValueError(gettext("DATABASE_URL must be the address of a SQLite (sqlite:///…) or "
                                 "PostgreSQL (postgresql://…) database; no other database is "
                                 "supported"))
    return url


def without_password(url: Any) -> str:
    """A database URL as it may be shown: its password replaced by ***."""
    return repr(_PASSWORD.sub(r"\1***@", str(url)))


def base_url(value: Any) -> str | None:
    """An http(s) base URL with a host and without its trailing slash, query or fragment."""
    url = (text(value) or "").rstrip("/")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query
                or parts.fragment or any(character.isspace() for character in url)):
        raise ValueError(gettext("an http:// or https:// address with a host name is "
                                 "expected, e.g. https://danhgia.cantho.gov.vn"))
    return url or None


def _log_level(value: Any) -> str:
    return choice("debug", "info", "warning", "error", "critical")(value).upper()


_PROXY_HOPS = integer(0)
#: The languages of the commands, the default first.
COMMAND_LANGUAGES = ("vi", "en")

SETTINGS = (
    Setting("HAILONG_ENV", "development", choice("development", PRODUCTION),
            "production refuses weak secrets"),
    Setting("SECRET_KEY", None, text, "signs sessions, CSRF tokens and form tickets"),
    Setting("SQLALCHEMY_DATABASE_URI", None, database_url, "DATABASE_URL", without_password),
    Setting("PUBLIC_BASE_URL", None, base_url, "base URL printed inside QR codes"),
    Setting("COMMAND_LANGUAGE", COMMAND_LANGUAGES[0], choice(*COMMAND_LANGUAGES),
            "language of the flask commands: help, output and errors"),
    Setting("SESSION_COOKIE_SECURE", False, boolean, "true behind HTTPS"),
    Setting("RATELIMIT_ENABLED", True, boolean),
    Setting("RATELIMIT_STORAGE_URI", "memory://", text),
    Setting("RATELIMIT_DEVICE", DEVICE_LIMIT, text),
    Setting("RATELIMIT_IP", IP_LIMIT, text),
    Setting("RATELIMIT_FORM_DEVICE", FORM_DEVICE_LIMIT, text),
    Setting("RATELIMIT_FORM_IP", FORM_IP_LIMIT, text),
    Setting("RATELIMIT_API_TOKEN", API_TOKEN_LIMIT, text),
    Setting("RATELIMIT_KIOSK", KIOSK_LIMIT, text),
    Setting("RATELIMIT_TRACK", TRACK_LIMIT, text),
    Setting("PROXY_FIX_X_FOR", 0, _PROXY_HOPS, "proxies in front that set X-Forwarded-For"),
    Setting("PROXY_FIX_X_PROTO", 0, _PROXY_HOPS),
    Setting("PROXY_FIX_X_HOST", 0, _PROXY_HOPS),
    Setting("PROXY_FIX_X_PORT", 0, _PROXY_HOPS),
    Setting("PROXY_FIX_X_PREFIX", 0, _PROXY_HOPS),
    Setting("LOG_FORMAT", "json", choice("json", "plain")),
    Setting("LOG_LEVEL", "INFO", _log_level),
    Setting("HSTS_MAX_AGE", 31536000, integer(0)),
    Setting("CONTACT_ENCRYPTION_KEY", None, text, "Fernet keys, newest first"),
    Setting("IP_HASH_KEY", None, text, "key of the address and device hashes"),
)

#: Fixed Flask settings (not read from the environment).
FIXED: dict[str, Any] = {
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ("vi", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    #: Fail open for citizens: while the shared storage (Redis) does not answer, each worker
    #: counts in its own memory, and any other storage error lets the request through.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    #: Keys in a shared Redis start with this, so the limits can share a Redis with others.
    "RATELIMIT_KEY_PREFIX": "hailong",
    "RATELIMIT_HEADERS_ENABLED": True,
}

#: The environment variable of a setting whose configuration key is Flask's or SQLAlchemy's.
ENVIRONMENT_NAMES = {"SQLALCHEMY_DATABASE_URI": "DATABASE_URL"}


def instance_path() -> str | None:
    """INSTANCE_PATH: where the instance folder lives (None: Flask's ./instance)."""
    return text(environment().get("INSTANCE_PATH"))


def command_language_of_environment() -> str:
    """COMMAND_LANGUAGE as the environment sets it, for a command without its app's settings
    (not read yet, or its app context closed); Vietnamese when unset or not a language (which
    the settings then report, in Vietnamese)."""
    chosen = (text(environment().get("COMMAND_LANGUAGE")) or "").lower()
    return chosen if chosen in COMMAND_LANGUAGES else COMMAND_LANGUAGES[0]


def _persistent_secret(instance_path: str) -> str:
    """A random secret kept in instance/secret_key, so sessions survive a dev server restart."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value, encoding="ascii")
    path.chmod(0o600)
    return value


def from_environment() -> dict[str, str]:
    """The environment as the settings see it (DATABASE_URL under SQLAlchemy's key)."""
    found = dict(environment())
    for key, name in ENVIRONMENT_NAMES.items():
        if name in found:
            found[key] = found[name]
    return found


def fill_instance_defaults(config, instance_path: str) -> None:
    """A deployed or development app without SECRET_KEY or DATABASE_URL: a secret kept in the
    instance folder and a SQLite file there."""
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _persistent_secret(instance_path)
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = \
            "sqlite:///" + str(Path(instance_path) / "hailong.sqlite3")

def is_production(config) -> bool:
    """Production mode: HAILONG_ENV=production, and neither debugging nor testing."""
    return config.get("HAILONG_ENV") == PRODUCTION and not config.get("DEBUG") \
        and not config.get("TESTING")


def check_production(config) -> None:
    """In production mode, refuse secrets that would not protect citizens' data: a short
    SECRET_KEY, and contact encryption or address hashing keyed by SECRET_KEY itself (one leaked
    secret would then decrypt every contact and let address hashes be brute-forced); and a
    missing PUBLIC_BASE_URL (links would be built from the request's Host header, which a
    client chooses: a visitor could make a genuine alert e-mail point at their own site)."""
    if not is_production(config):
        return
    secret = config.get("SECRET_KEY") or ""
    problems = []
    if len(secret) < MIN_SECRET_KEY_LENGTH:
        problems.append(gettext("SECRET_KEY must be at least %(num)d characters (python -c "
                                "'import secrets; print(secrets.token_urlsafe(48))')",
                                num=MIN_SECRET_KEY_LENGTH))
    if not config.get("CONTACT_ENCRYPTION_KEY"):
        problems.append(gettext("CONTACT_ENCRYPTION_KEY must be set (flask privacy new-key)"))
    ip_key = config.get("IP_HASH_KEY") or ""
    if len(ip_key) < MIN_SECRET_KEY_LENGTH or ip_key == secret:
        problems.append(gettext("IP_HASH_KEY must be set, at least %(num)d characters and "
                                "different from SECRET_KEY", num=MIN_SECRET_KEY_LENGTH))
    if not config.get("PUBLIC_BASE_URL"):
        problems.append(gettext(
            "PUBLIC_BASE_URL must be set to the service's address (e.g. "
            "https://danhgia.cantho.gov.vn): without it the links in e-mails to leaders and "
            "citizens carry the host name a request claimed"))
    if problems:
        raise ConfigError(gettext("HAILONG_ENV=production refuses to start: %(problems)s",
                                  problems="; ".join(problems)))


def serving_config() -> dict[str, Any]:
    """The settings `check_serving` needs, from the environment (for gunicorn's master, which
    never builds the app)."""
    config: dict[str, Any] = {}
    collect(config, [sys.modules[__name__]], from_environment(), run_checks=False)
    return config


def check_serving(config, workers: int) -> str | None:
    """Before serving with `workers` processes: in production, refuse per-process rate-limit
    counts (memory://) with more than one worker, since each worker would count alone and a
    device could post `workers` times its limit. With one worker, return the warning to log:
    the limits then hold only while this is the only app server. None when all is well."""
    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if not is_production(config) or not config.get("RATELIMIT_ENABLED", True) \
            or not uri.startswith("memory://"):
        return None
    if workers > 1:
        raise ConfigError(
            f"HAILONG_ENV=production refuses to start {workers} workers with "
            "RATELIMIT_STORAGE_URI=memory://: each worker would count the rate limits alone, so "
            f"a device could post {workers} times its limit. Set RATELIMIT_STORAGE_URI="
            "redis://HOST:6379/0 (docs/SCALING.md), or WEB_CONCURRENCY=1.")
    return ("RATELIMIT_STORAGE_URI=memory://: the rate limits are counted in this one process "
            "and hold only while it is the only app server; with several servers set "
            "RATELIMIT_STORAGE_URI=redis://HOST:6379/0 (docs/SCALING.md)")


def normalise_database_url(url: str) -> str:
    """Accept the common postgres:// and postgresql:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check(config) -> None:
    """The core's rules joining several settings (production's secrets)."""
    check_production(config)
