"""Configuration from environment variables, read when the app is created (never at import)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from core import channels_config, dashboard_config, hr_config, ops_config

RESPONSE_COMMENT_MAX = 1000


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
        **ops_config.from_environment(),
        **channels_config.from_environment(),
        **hr_config.from_environment(),
        **dashboard_config.from_environment(),
    }


def normalise_database_url(url: str) -> str:
    """Accept the common postgres:// and postgresql:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


DEFAULTS: dict[str, Any] = {
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
