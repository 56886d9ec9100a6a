"""Settings of the sentiment tagger (core.settings collects them).

``SENTIMENT_MODEL``: which shipped artifact tags comments. ``research`` (the default) was
trained with UIT-VSFC, whose terms allow research use only; ``own`` was trained on the project's
own comments only — the one a public deployment should use (see docs/SENTIMENT.md for both
models' figures). ``SENTIMENT_DATA_DIR``: where `flask sentiment train` finds the corpora.
"""

from __future__ import annotations

from pathlib import Path

from core.settings import Setting, choice, environment, text
from feedback.sentiment.loader import KINDS

DEFAULT = "research"

#: Parses a model kind, or ValueError naming the allowed ones.
parse = choice(*KINDS)

SETTINGS = (
    Setting("SENTIMENT_MODEL", DEFAULT, parse, "which shipped artifact tags comments"),
)


def data_dir(package_dir: Path) -> Path:
    """``$SENTIMENT_DATA_DIR``, else the ``shared/data/sentiment`` folder beside the repo."""
    configured = text(environment().get("SENTIMENT_DATA_DIR"))
    if configured:
        return Path(configured)
    return package_dir.parents[2] / "shared" / "data" / "sentiment"
