"""Configuration from environment variables, read when the app is created (never at import)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from core import channels_config, dashboard_config, hr_config, ops_config

RESPONSE_COMMENT_MAX = 1000
#: HAILONG_ENV=production: the deployed service, which refuses to start with weak secrets.
PRODUCTION = "production"
#: Shortest SECRET_KEY accepted in production (token_urlsafe(32) gives 43 characters).
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which setting and why."""


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


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def build_config(instance_path: str) -> dict[str, Any]:
    """The configuration mapping for a deployed or development app, from the environment."""
    default_db = "sqlite:///" + str(Path(instance_path) / "hailong.sqlite3")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _persistent_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_db
        ),
        "PUBLIC_BASE_URL": (os.environ.get("PUBLIC_BASE_URL") or "").rstrip("/") or None,
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "HAILONG_ENV": (os.environ.get("HAILONG_ENV") or "development").strip().lower(),
        **ops_config.from_environment(),
        **channels_config.from_environment(),
        **hr_config.from_environment(),
        **dashboard_config.from_environment(),
    }


def is_production(config) -> bool:
    """Production mode: HAILONG_ENV=production, and neither debugging nor testing."""
    return config.get("HAILONG_ENV") == PRODUCTION and not config.get("DEBUG") \
        and not config.get("TESTING")


def check_production(config) -> None:
    """In production mode, refuse secrets that would not protect citizens' data: a short
    SECRET_KEY, and contact encryption or address hashing keyed by SECRET_KEY itself (one leaked
    secret would then decrypt every contact and let address hashes be brute-forced)."""
    if not is_production(config):
        return
    secret = config.get("SECRET_KEY") or ""
    problems = []
    if len(secret) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters "
                        "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    if not config.get("CONTACT_ENCRYPTION_KEY"):
        problems.append("CONTACT_ENCRYPTION_KEY must be set (flask privacy new-key)")
    ip_key = config.get("IP_HASH_KEY") or ""
    if len(ip_key) < MIN_SECRET_KEY_LENGTH or ip_key == secret:
        problems.append(f"IP_HASH_KEY must be set, at least {MIN_SECRET_KEY_LENGTH} characters "
                        "and different from SECRET_KEY")
    if problems:
        raise ConfigError("HAILONG_ENV=production refuses to start: " + "; ".join(problems))


def serving_config() -> dict[str, Any]:
    """The settings `check_serving` needs, from the environment (for gunicorn's master, which
    never builds the app)."""
    return {"HAILONG_ENV": (os.environ.get("HAILONG_ENV") or "development").strip().lower(),
            **ops_config.DEFAULTS, **ops_config.from_environment()}


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


DEFAULTS: dict[str, Any] = {
    "HAILONG_ENV": "development",
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ("vi", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SUBMISSION_MAX_AGE_SECONDS": 6 * 3600,
    **ops_config.DEFAULTS,
    **channels_config.DEFAULTS,
    **hr_config.DEFAULTS,
    **dashboard_config.DEFAULTS,
}
