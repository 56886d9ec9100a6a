"""Loading the chosen model lazily, once per process, safely from several threads.

Two artifacts ship: ``research`` (trained with UIT-VSFC, research-use data) and ``own``
(trained on the project's own comments only). The app factory calls :func:`choose` with the
``SENTIMENT_MODEL`` setting; without it the research model is used.
"""

import threading

from feedback.sentiment.dataio import MODEL_DIR
from feedback.sentiment.model import LinearModel, load
from feedback.sentiment.version import MODEL_VERSION, OWN_SUFFIX

KINDS = ("research", "own")

_lock = threading.Lock()
_model: LinearModel | None = None
_kind = "research"


def choose(kind: str) -> None:
    """Use the ``research`` or the ``own`` artifact from now on (loaded on next use)."""
    global _model, _kind
    if kind not in KINDS:
        raise ValueError(f"unknown sentiment model {kind!r}; expected one of {KINDS}")
    with _lock:
        if kind != _kind:
            _kind, _model = kind, None


def chosen_version() -> str:
    """The version of the chosen artifact (stored with every tagging)."""
    return MODEL_VERSION + (OWN_SUFFIX if _kind == "own" else "")


def get_model() -> LinearModel:
    """Return the chosen model, loading ``model/sentiment-<version>.npz`` on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load(MODEL_DIR / f"sentiment-{chosen_version()}.npz")
    return _model
