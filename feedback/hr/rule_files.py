"""Reading the HR rule files (JSON or TOML, by the file's suffix) into the rules' dataclasses.

The integrity rules file (HR_INTEGRITY_RULES), every key optional::

    [device_burst]            # also ip_burst, many_counters
    count = 3
    minutes = 10
    [identical]
    count = 4
    minutes = 5
    min_answers = 3
    [closed]
    grace_minutes = 30
    [surge]                   # a counter's plausible volume (see feedback/hr/integrity.py)
    minutes = 60
    per_hour = 30
    baseline_days = 28
    [fill]
    min_seconds = 3           # a form sent sooner after it was shown is flagged
    [opening_hours.default]   # days left out keep the shipped hours; [] means closed
    sat = ["07:30-11:30"]
    [opening_hours.centres.12]   # a centre (by id) differing from the default week
    sat = []
"""

from __future__ import annotations

import json
import tomllib
from datetime import time
from pathlib import Path

from feedback.hr.integrity import (
    DEFAULT_WEEK,
    WEEKDAYS,
    IntegrityRules,
    OpeningHours,
    Surge,
    Week,
    Window,
)


class RuleFileError(ValueError):
    """A rule file is missing, unreadable or not in the expected shape."""


def read_mapping(path: str | Path) -> dict:
    """The top-level object of a JSON or TOML file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RuleFileError(f"cannot read {path}: {error.strerror}") from error
    try:
        data = tomllib.loads(raw.decode()) if path.suffix == ".toml" else json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise RuleFileError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}: expected an object at the top level")
    return data


def _positive(section: dict, key: str, default: int, name: str) -> int:
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RuleFileError(f"{name}.{key} must be a whole number ≥ 0")
    return value


def _window(data: dict, name: str, default: Window) -> Window:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise RuleFileError(f"{name} must be a table/object")
    count = _positive(section, "count", default.count, name)
    if count < 2:
        raise RuleFileError(f"{name}.count must be at least 2")
    return Window(count, _positive(section, "minutes", default.minutes, name))


def _clock(text: str, where: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise RuleFileError(f"{where}: {text!r} is not HH:MM") from error


def _week(section: dict, base: Week, where: str) -> Week:
    if not isinstance(section, dict):
        raise RuleFileError(f"{where} must be a table/object")
    week = dict(base)
    for day, ranges in section.items():
        if day not in WEEKDAYS:
            raise RuleFileError(f"{where}: unknown day {day!r} (use {', '.join(WEEKDAYS)})")
        if not isinstance(ranges, list):
            raise RuleFileError(f"{where}.{day} must be a list of \"HH:MM-HH:MM\"")
        parsed = []
        for text in ranges:
            first, _sep, last = str(text).partition("-")
            opens, closes = _clock(first, f"{where}.{day}"), _clock(last, f"{where}.{day}")
            if closes <= opens:
                raise RuleFileError(f"{where}.{day}: {text!r} closes before it opens")
            parsed.append((opens, closes))
        week[WEEKDAYS.index(day)] = tuple(parsed)
    return week


def parse_integrity_rules(data: dict) -> IntegrityRules:
    """Integrity rules from a mapping (see the module docstring); missing keys keep defaults."""
    shipped = IntegrityRules()
    identical = data.get("identical", {})
    closed = data.get("closed", {})
    hours = data.get("opening_hours", {})
    surge = data.get("surge", {})
    fill = data.get("fill", {})
    if not all(isinstance(v, dict) for v in (identical, closed, hours, surge, fill)):
        raise RuleFileError(
            "identical, closed, opening_hours, surge and fill must be tables/objects")
    default = _week(hours.get("default", {}), DEFAULT_WEEK, "opening_hours.default")
    centres = {}
    for key, section in (hours.get("centres") or {}).items():
        if not str(key).isdigit():
            raise RuleFileError(f"opening_hours.centres: {key!r} is not a centre id")
        centres[int(key)] = _week(section, default, f"opening_hours.centres.{key}")
    return IntegrityRules(
        device_burst=_window(data, "device_burst", shipped.device_burst),
        ip_burst=_window(data, "ip_burst", shipped.ip_burst),
        identical=_window(data, "identical", shipped.identical),
        identical_min_answers=_positive(identical, "min_answers",
                                        shipped.identical_min_answers, "identical"),
        many_counters=_window(data, "many_counters", shipped.many_counters),
        closed_grace_minutes=_positive(closed, "grace_minutes",
                                       shipped.closed_grace_minutes, "closed"),
        opening_hours=OpeningHours(default, centres),
        surge=Surge(minutes=max(1, _positive(surge, "minutes", shipped.surge.minutes, "surge")),
                    per_hour=max(1, _positive(surge, "per_hour", shipped.surge.per_hour,
                                              "surge")),
                    baseline_days=_positive(surge, "baseline_days",
                                            shipped.surge.baseline_days, "surge")),
        min_fill_seconds=_positive(fill, "min_seconds", shipped.min_fill_seconds, "fill"),
    )


def load_integrity_rules(path: str | None) -> IntegrityRules:
    """The rules of the file at `path`, or the shipped defaults when no path is set."""
    return parse_integrity_rules(read_mapping(path)) if path else IntegrityRules()
