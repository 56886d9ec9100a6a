"""Translated names of sentiment labels, topics, weekdays and ranking kinds (criteria:
`surveys.defaults.criterion_name`)."""

from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from core.i18n import name_of
from feedback.tag_labels import SENTIMENTS, TOPICS

WEEKDAYS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))
RANKINGS = {
    "unit": _l("Wards, communes and special zones"),
    "centre": _l("Centres"),
    "counter": _l("Counters"),
    "staff": _l("Staff"),
}

#: The name of a topic, of a sentiment label (the code when unknown).
topic = partial(name_of, TOPICS)
sentiment = partial(name_of, SENTIMENTS)
