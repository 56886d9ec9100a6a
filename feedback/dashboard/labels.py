"""Translated names of sentiment labels, topics, weekdays and ranking kinds (criteria:
`surveys.defaults.criterion_name`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from feedback.tag_labels import SENTIMENTS, TOPICS

WEEKDAYS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))
RANKINGS = {
    "unit": _l("Wards, communes and special zones"),
    "centre": _l("Centres"),
    "counter": _l("Counters"),
    "staff": _l("Staff"),
}


def topic(code: str) -> str:
    """The name of a topic (its code when unknown)."""
    return str(TOPICS.get(code, code))


def sentiment(code: str) -> str:
    """The name of a sentiment label."""
    return str(SENTIMENTS.get(code, code))
