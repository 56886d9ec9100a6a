"""Translated names of the sentiment labels and comment topics, for every screen and export."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.i18n import name_of
from feedback.models import SentimentLabel

#: "Neutral sentiment" (shown "Neutral" in English) is not the rating scale's "Neutral", which
#: Vietnamese calls "Bình thường"; a comment without opinion is "Trung tính".
SENTIMENTS = {
    SentimentLabel.NEGATIVE: _l("Negative"),
    SentimentLabel.NEUTRAL: _l("Neutral sentiment"),
    SentimentLabel.POSITIVE: _l("Positive"),
}
TOPICS = {
    "staff_attitude": _l("Staff attitude"),
    "waiting_time": _l("Waiting time"),
    "procedures": _l("Procedures"),
    "result_timeliness": _l("Timeliness of the result"),
    "facilities": _l("Facilities"),
    "online_system": _l("Online system"),
    "fees": _l("Fees"),
    "suggestion": _l("Suggestion or proposal"),
    "question": _l("Request for information"),
}

#: Below this calibrated confidence a label is shown as uncertain, not asserted: the tagger's
#: confidence is a probability (temperature-scaled by cross-validation), so under 0.7 about one
#: label in three is wrong.
UNCERTAIN_BELOW = 0.7


def sentiment_text(label: str | None, confidence: float | None, reviewed: bool = False) -> str:
    """The label as shown: marked uncertain when the tagger was unsure, reviewed when a leader
    set it; empty for an untagged comment."""
    if not label:
        return ""
    name = name_of(SENTIMENTS, label)
    if reviewed:
        return _("%(label)s (reviewed)", label=name)
    if confidence is not None and confidence < UNCERTAIN_BELOW:
        return _("%(label)s (uncertain)", label=name)
    return name
