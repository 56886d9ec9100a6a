"""Offline Vietnamese sentiment and topic tagging of citizen comments.

``tag("Cán bộ nhiệt tình, chờ hơi lâu")`` returns a :class:`Tagging` with the sentiment label,
a calibrated confidence, the topic codes and whether the comment needs an integrity review.
The rules in :mod:`feedback.sentiment.rules` have the last word on the label (an integrity
alert is always negative; sarcasm is negative; a plain suggestion or question is neutral).
The model (TF-IDF + linear SVM over syllable n-grams with and without diacritics and
character n-grams; no word segmentation) ships inside this package and is loaded on first use;
nothing is downloaded. See docs/SENTIMENT.md for the method and its measured quality.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from feedback.sentiment import rules
from feedback.sentiment.dataio import LABELS
from feedback.sentiment.features import extract
from feedback.sentiment.loader import chosen_version, get_model
from feedback.sentiment.normalize import normalize as normalize_text
from feedback.sentiment.topics import TOPICS, detect_topics, integrity_alert, is_plain
from feedback.sentiment.version import MODEL_VERSION

__all__ = ["LABELS", "MODEL_VERSION", "TOPICS", "Tagging", "model_version", "tag", "tag_many"]


@dataclass(frozen=True)
class Tagging:
    """What the tagger says about one comment."""

    label: str  # "positive" | "neutral" | "negative"
    confidence: float  # probability of ``label``, 0..1
    topics: tuple[str, ...]  # codes from TOPICS
    integrity_alert: bool  # bribery, harassment or informal fees mentioned
    model_version: str


def model_version() -> str:
    """The version string stored with every tagging (that of the chosen artifact)."""
    return chosen_version()


def tag(text: str, suggestions_neutral: bool = True) -> Tagging:
    """Tag one comment. An empty or blank comment is neutral with confidence 1.

    ``suggestions_neutral=False`` labels suggestions and questions as UIT-VSFC does (negative);
    only ``flask sentiment evaluate --corpus-convention`` uses it.
    """
    model = get_model()
    normalized = normalize_text(text or "")
    plain = is_plain(text or "")
    if not normalized:
        return Tagging("neutral", 1.0, (), False, model.version)
    features = extract(normalized, model.config)
    probabilities = model.probabilities(model.scores(features))
    best = int(probabilities.argmax())
    label, confidence = model.labels[best], round(float(probabilities[best]), 4)
    topics = detect_topics(normalized, plain)
    alert = integrity_alert(normalized, plain)
    ruled = rules.apply(
        label, normalized, topics, alert, features, plain, suggestions_neutral
    )
    if ruled is not None:
        label, confidence = ruled, 1.0
    return Tagging(label, confidence, topics, alert, model.version)


def tag_many(texts: Sequence[str], suggestions_neutral: bool = True) -> list[Tagging]:
    """Tag a batch of comments (same results as calling :func:`tag` on each).

    Identical comments ("Tốt", "Hài lòng"...) are common in real batches; each distinct text
    is tagged once.
    """
    done: dict[str, Tagging] = {}
    return [
        done[text] if text in done else done.setdefault(text, tag(text, suggestions_neutral))
        for text in texts
    ]
