"""Loading the shipped model lazily, once per process, safely from several threads."""

import threading

from feedback.sentiment.dataio import MODEL_DIR
from feedback.sentiment.model import LinearModel, load
from feedback.sentiment.version import MODEL_VERSION

_lock = threading.Lock()
_model: LinearModel | None = None


def get_model() -> LinearModel:
    """Return the shipped model, loading ``model/sentiment-<MODEL_VERSION>.npz`` on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load(MODEL_DIR / f"sentiment-{MODEL_VERSION}.npz")
    return _model
