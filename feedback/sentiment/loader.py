"""Loading the shipped model and underthesea's word segmenter, once per process, under a lock.

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
from feedback.sentiment.version import MODEL_VERSION

#: Segmenting any text makes underthesea load its word-segmentation model.
_WARM_UP_TEXT = "cán bộ tiếp nhận hồ sơ"

_lock = threading.Lock()
_model: LinearModel | None = None


def warm() -> LinearModel:
    """Load underthesea's word segmenter, then ``model/sentiment-<MODEL_VERSION>.npz``.

    Safe to call from several threads at once and more than once: the first caller loads, the
    others wait for it.
    """
    global _model
    with _lock:
        if _model is None:
            word_tokenize(_WARM_UP_TEXT, format="text", use_token_normalize=False)
            _model = load(MODEL_DIR / f"sentiment-{MODEL_VERSION}.npz")
    return _model


def get_model() -> LinearModel:
    """Return the shipped model, warming the tagger on first use (see :func:`warm`)."""
    return _model if _model is not None else warm()
