"""Encryption at rest for personal data (citizens' contact details), keyed from the environment.

CONTACT_ENCRYPTION_KEY holds one or more Fernet keys separated by commas, newest first: values
are written with the first key and read with any of them, so a key is rotated by putting the new
one in front and running `flask --app app privacy rotate-key`. Without it, a key is derived from
SECRET_KEY and a warning is logged once per process, when contact details are first encrypted
or read (not by every command that never touches them): fine for development, not for
production, which refuses to start without the key (whoever holds
SECRET_KEY could then read contact details, and changing SECRET_KEY would make them unreadable).
A deployment that started on the derived key moves to its own by setting CONTACT_ENCRYPTION_KEY
and running `flask --app app privacy rotate-key --from-secret-key` (SECRET_KEY unchanged).

Encrypted columns can be tested for NULL but not compared or searched (each value has its own IV).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from base64 import urlsafe_b64encode
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from flask_babel import gettext
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from core.settings import ConfigError

EXTENSION = "contact_cipher"
#: Set on the app when its key is derived from SECRET_KEY (the development fallback).
DERIVED = "contact_cipher_derived"
_DERIVATION_LABEL = b"hailong.contact-encryption.v1"
log = logging.getLogger(__name__)


class EncryptionKeyError(ConfigError):
    """The configured encryption key is not usable (the app refuses to start)."""


class UndecryptableError(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


def derived_key(secret: str) -> bytes:
    """A Fernet key derived from the app secret (development fallback)."""
    digest = hmac.new(_DERIVATION_LABEL, secret.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest)


def build_cipher(config: Mapping[str, Any], also_derived: bool = False) -> MultiFernet:
    """The cipher for the configured keys (the first encrypts, all decrypt); `also_derived`
    adds the key derived from SECRET_KEY as the last one, so values written before
    CONTACT_ENCRYPTION_KEY was set can still be read (and rotated away from)."""
    raw = config.get("CONTACT_ENCRYPTION_KEY")
    if not raw:
        return MultiFernet([Fernet(derived_key(config["SECRET_KEY"]))])
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    try:
        fernets = [Fernet(key) for key in keys]
    except ValueError as exc:
        raise EncryptionKeyError(gettext(
            "CONTACT_ENCRYPTION_KEY must hold Fernet keys separated by commas (make one with: "
            "flask --app app privacy new-key)")) from exc
    if also_derived:
        fernets.append(Fernet(derived_key(config["SECRET_KEY"])))
    return MultiFernet(fernets)


def new_key() -> str:
    """A fresh random key for CONTACT_ENCRYPTION_KEY."""
    return Fernet.generate_key().decode("ascii")


_warned = False


def _warn_once() -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning("CONTACT_ENCRYPTION_KEY is not set: contact details are encrypted with a key "
                    "derived from SECRET_KEY. Set your own key in production "
                    "(flask --app app privacy new-key).")


def read_secret_key_derived_values(app: Flask) -> None:
    """Let `app` also read values encrypted with the key derived from SECRET_KEY (the
    development fallback), while CONTACT_ENCRYPTION_KEY's first key still writes: for moving a
    deployment from the fallback to its own key (`privacy rotate-key --from-secret-key`)."""
    app.extensions[EXTENSION] = build_cipher(app.config, also_derived=True)


def cipher() -> MultiFernet:
    """The current app's cipher (the first use of a derived key warns, once per process)."""
    if current_app.extensions.get(DERIVED):
        _warn_once()
    return current_app.extensions[EXTENSION]


def encrypt_text(value: str) -> str:
    """The value encrypted with the primary key, as ASCII text."""
    return cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """The plain value of a stored token; UndecryptableError when no key fits."""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise UndecryptableError("a stored contact detail cannot be decrypted with the "
                                 "configured CONTACT_ENCRYPTION_KEY") from exc


def rotate_token(token: str) -> str:
    """The same value re-encrypted with the primary key."""
    return cipher().rotate(token.encode("ascii")).decode("ascii")


class EncryptedText(TypeDecorator):
    """A text column stored encrypted; reads and writes in Python see the plain value."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return decrypt_text(value)


def init_app(app: Flask) -> None:
    """Build the app's cipher from its configuration (fails early on a malformed key)."""
    app.extensions[EXTENSION] = build_cipher(app.config)
    app.extensions[DERIVED] = not app.config.get("CONTACT_ENCRYPTION_KEY") and not app.testing
