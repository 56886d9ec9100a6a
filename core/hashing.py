"""Keyed hashes for values we must compare but never store raw (IP addresses, device ids)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any


def keyed_hash(key: str, value: str | None) -> str | None:
    """HMAC-SHA256 of the value under the key, as 32 hex characters; None for no value."""
    if not value:
        return None
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def identity_hash_key(config: Mapping[str, Any]) -> str:
    """The key for hashing addresses and device ids: IP_HASH_KEY, else SECRET_KEY.

    A separate IP_HASH_KEY lets SECRET_KEY be rotated without breaking comparisons with the
    hashes already stored.
    """
    return config.get("IP_HASH_KEY") or config["SECRET_KEY"]
