"""Loading the chosen model once per process, under a lock.

Two artifacts ship: ``research`` (trained with UIT-VSFC, research-use data) and ``own``
(trained on the project's own comments only). The app factory calls :func:`choose` with the
``SENTIMENT_MODEL`` setting; without it the research model is used.

The tagger needs no word segmenter (its features are syllable n-grams), so the model's two
files are all there is to load. :func:`warm` loads them under one lock and publishes the model
only once it is complete, so threads calling :func:`get_model` at once on a fresh process all
wait for the same load. gunicorn calls :func:`warm` in each worker before it serves
(``gunicorn_conf.py``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from feedback.sentiment.dataio import MODEL_DIR
from feedback.sentiment.normalize import underthesea_normalisers
from feedback.sentiment.version import MODEL_VERSION, OWN_SUFFIX

if TYPE_CHECKING:
    from feedback.sentiment.model import LinearModel

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


def warm() -> LinearModel:
    """Load ``model/sentiment-<version>.npz`` of the chosen artifact (and underthesea's
    normalisers, and compile the topic and integrity keywords).

    Safe to call from several threads at once and more than once: the first caller loads, the
    others wait for it.
    """
    global _model
    with _lock:
        if _model is None:
            from feedback.sentiment.model import load  # numpy loads with the model, not before
            from feedback.sentiment.topics import compile_keywords

            underthesea_normalisers()
            compile_keywords()
            _model = load(MODEL_DIR / f"sentiment-{chosen_version()}.npz")
        return _model


def get_model() -> LinearModel:
    """Return the chosen model, warming the tagger on first use (see :func:`warm`)."""
    return _model if _model is not None else warm()
