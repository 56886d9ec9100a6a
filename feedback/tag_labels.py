"""Translated names of the sentiment labels and comment topics, for every screen and export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SENTIMENTS = {"negative": _l("Negative"), "neutral": _l("Neutral"), "positive": _l("Positive")}
TOPICS = {
    "staff_attitude": _l("Staff attitude"),
    "waiting_time": _l("Waiting time"),
    "procedures": _l("Procedures"),
    "result_timeliness": _l("Timeliness of the result"),
    "facilities": _l("Facilities"),
    "online_system": _l("Online system"),
    "fees": _l("Fees"),
}
