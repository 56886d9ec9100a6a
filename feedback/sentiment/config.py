"""The ``SENTIMENT_MODEL`` setting: which shipped artifact tags comments.

``research`` (the default) was trained with UIT-VSFC, whose terms allow research use only;
``own`` was trained on the project's own comments only — the one a public deployment should
use (see docs/SENTIMENT.md for both models' figures).
"""

from __future__ import annotations

import os

from flask import Flask

from feedback.sentiment.loader import KINDS, choose

DEFAULT = "research"


def parse(value: str) -> str:
    """A valid model kind, or ValueError naming the allowed ones."""
    kind = value.strip().lower()
    if kind not in KINDS:
        raise ValueError(f"SENTIMENT_MODEL must be one of {', '.join(KINDS)}, not {value!r}")
    return kind


def init_app(app: Flask) -> None:
    """Read ``SENTIMENT_MODEL`` (the app's config, else the environment unless testing), stop
    the start on a bad value, and have this process tag with that artifact."""
    if "SENTIMENT_MODEL" not in app.config and not app.testing:
        app.config["SENTIMENT_MODEL"] = os.environ.get("SENTIMENT_MODEL") or DEFAULT
    app.config["SENTIMENT_MODEL"] = parse(app.config.get("SENTIMENT_MODEL") or DEFAULT)
    choose(app.config["SENTIMENT_MODEL"])
