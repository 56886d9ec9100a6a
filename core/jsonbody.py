"""Reading a JSON request body that may have been written by an attacker.

The body must be UTF-8, nested at most MAX_DEPTH deep (Python's parser would otherwise recurse
until it fails), hold no NaN or infinite numbers, no integer longer than MAX_DIGITS digits and
no object naming a field twice (Python keeps the last value silently, while another reader of
the same body may keep the first).
Whoever calls this gets plain Python values or a JsonBodyError with a translated message.
"""

from __future__ import annotations

import json
import math
import re

from flask_babel import lazy_gettext as _l

#: Deepest nesting of arrays and objects accepted; the kiosk and the API need three.
MAX_DEPTH = 16
#: Longest integer accepted (ids need ten digits; the callers check ranges, this bounds the work).
MAX_DIGITS = 100

MALFORMED_MESSAGE = _l("The request body is not valid JSON.")
DUPLICATE_MESSAGE = _l("The request body gives the same field twice.")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class JsonBodyError(ValueError):
    """The body is not JSON this application accepts; `message` says why, translated."""

    def __init__(self, reason: str, message=MALFORMED_MESSAGE) -> None:
        super().__init__(reason)
        self.message = message


def _too_deep(text: str) -> bool:
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise JsonBodyError("integer too long")
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonBodyError("number out of range")
    return value


def _object(pairs: list[tuple[str, object]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise JsonBodyError("duplicate key", DUPLICATE_MESSAGE)
    return found


def _constant(name: str):
    raise JsonBodyError(f"{name} is not JSON")


def parse_json_body(data: bytes) -> object:
    """The value of a JSON body; JsonBodyError for anything malformed, too deep or too large."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonBodyError("not UTF-8") from error
    if _too_deep(text):
        raise JsonBodyError("nested too deeply")
    try:
        return json.loads(text, parse_int=_integer, parse_float=_finite,
                          parse_constant=_constant, object_pairs_hook=_object)
    except JsonBodyError:
        raise
    except ValueError as error:
        raise JsonBodyError("malformed") from error
