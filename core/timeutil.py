"""Local time for Vietnam: everything is stored in UTC and shown in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def to_local(value: datetime) -> datetime:
    """Convert an aware datetime to Asia/Ho_Chi_Minh."""
    return value.astimezone(LOCAL_TZ)


def local_iso(value: datetime) -> str:
    """ISO 8601 text of an aware datetime in Asia/Ho_Chi_Minh (seconds precision, with offset)."""
    return to_local(value).isoformat(timespec="seconds")
