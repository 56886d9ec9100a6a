"""Keyed hashes for values we must compare but never store raw (IP addresses, device ids)."""

from __future__ import annotations

import hashlib
import hmac


def keyed_hash(key: str, value: str | None) -> str | None:
    """HMAC-SHA256 of the value under the key, as 32 hex characters; None for no value."""
    if not value:
        return None
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
