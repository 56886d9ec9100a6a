"""Settings of the Decision 766 / SIPAS pack: the point scheme and the target lines.

`STANDARDS_SCHEME` (feedback.standards.settings) names a TOML file; without it the shipped
defaults hold (6 + 6 + 6 points, full points from 90 %, targets 90 % and 95 %). Every key is
optional::

    full_from = 0.9
    targets = [0.9, 0.95]
    [points]
    ratio_complaints_on_time = 6
    ratio_complaint_handling_satisfied = 6
    ratio_dossier_satisfied = 6

A file that cannot be read or makes no sense stops the app at start, naming the file and why.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from flask import current_app

from feedback.standards.decision766 import RatioCode, Scheme

EXTENSION = "standards_scheme"


class SchemeFileError(ValueError):
    """The scheme file is missing, not TOML, or gives values that make no sense."""


def load_scheme(path: str | Path) -> Scheme:
    """The scheme a TOML file describes (missing keys keep their defaults)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        given = data.get("points", {})
        unknown = set(given) - {code.value for code in RatioCode}
        if unknown:
            raise ValueError(f"unknown ratio(s) in [points]: {', '.join(sorted(unknown))}")
        default = Scheme()
        return Scheme(
            points={code: float(given.get(code.value, default.points[code]))
                    for code in RatioCode},
            full_from=float(data.get("full_from", default.full_from)),
            targets=tuple(float(t) for t in data.get("targets", default.targets)))
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError) as error:
        raise SchemeFileError(f"STANDARDS_SCHEME {path}: {error}") from error


def scheme_of(config) -> Scheme:
    """The scheme STANDARDS_SCHEME names, else the shipped defaults."""
    path = config.get("STANDARDS_SCHEME")
    return load_scheme(path) if path else Scheme()


def current_scheme() -> Scheme:
    """The running app's scheme (read once; feedback.standards.settings checked it at start)."""
    if EXTENSION not in current_app.extensions:
        current_app.extensions[EXTENSION] = scheme_of(current_app.config)
    return current_app.extensions[EXTENSION]
