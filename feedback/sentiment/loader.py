"""Loading the chosen model and underthesea's word segmenter, once per process, under a lock.

Two artifacts ship: ``research`` (trained with UIT-VSFC, research-use data) and ``own``
(trained on the project's own comments only). The app factory calls :func:`choose` with the
``SENTIMENT_MODEL`` setting; without it the research model is used.

underthesea's ``word_tokenize`` loads its CRF model lazily into a module global without a lock:
a thread arriving while another is loading finds a half-built tagger and fails. :func:`warm`
loads both under one lock and publishes the model only once the segmenter is ready, so every
caller of :func:`get_model` (the lazy path) waits for a complete load. gunicorn calls
:func:`warm` in each worker before it serves (``core/gunicorn_conf.py``).
"""

import threading

from underthesea import word_tokenize

from feedback.sentiment.dataio import MODEL_DIR
from feedback.sentiment.model import LinearModel, load
from feedback.sentiment.version import MODEL_VERSION, OWN_SUFFIX

KINDS = ("research", "own")

#: Segmenting any text makes underthesea load its word-segmentation model.
_WARM_UP_TEXT = "cán bộ tiếp nhận hồ sơ"

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
    """Load underthesea's word segmenter, then ``model/sentiment-<version>.npz`` of the chosen
    artifact.

    Safe to call from several threads at once and more than once: the first caller loads, the
    others wait for it.
    """
    global _model
    with _lock:
        if _model is None:
            word_tokenize(_WARM_UP_TEXT, format="text", use_token_normalize=False)
            _model = load(MODEL_DIR / f"sentiment-{chosen_version()}.npz")
        return _model


def get_model() -> LinearModel:
    """Return the chosen model, warming the tagger on first use (see :func:`warm`)."""
    return _model if _model is not None else warm()
