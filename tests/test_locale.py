"""The locale comes from ?lang=, then the cookie, then Accept-Language, else Vietnamese; dates
and times are formatted by Babel for that locale, in Asia/Ho_Chi_Minh time."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from accounts.models import Role
from core.db import db
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey
from tests.support import recent_office_hour

VI, EN = "Rất hài lòng", "Very satisfied"


@pytest.mark.parametrize("query, cookie, accept, expected", [
    ("vi", "en", "en-US,en;q=0.9", VI),   # ?lang= beats the cookie and the browser
    ("en", "vi", "vi", EN),
    (None, "en", "vi-VN,vi;q=0.9", EN),   # the cookie beats the browser
    (None, "vi", "en-GB", VI),
    (None, None, "en-GB,en;q=0.9", EN),   # then the browser's languages
    (None, None, "fr-FR,de;q=0.8", VI),   # none we speak: Vietnamese
    (None, None, None, VI),
    ("xx", "yy", None, VI),               # unknown choices are ignored
])
def test_locale_order(app, org, query, cookie, accept, expected):
    client = app.test_client()
    if cookie:
        client.set_cookie("lang", cookie)
    url = f"/s/{org['counters'][0]['token']}" + (f"?lang={query}" if query else "")
    html = client.get(url, headers={"Accept-Language": accept} if accept else {}).get_data(
        as_text=True)
    assert expected in html and (EN if expected == VI else VI) not in html


def test_a_lang_choice_is_remembered_for_the_next_pages(app, org):
    client = app.test_client()
    url = f"/s/{org['counters'][0]['token']}"
    client.get(url + "?lang=en")
    assert EN in client.get(url, headers={"Accept-Language": "vi"}).get_data(as_text=True)


def _published_cell(html: str) -> str:
    return re.search(r"<tr><td>1</td><td>([^<]+)</td>", html).group(1)


def test_times_are_shown_in_vietnam_time_and_one_format(app, org, sign_in):
    # 17:30 UTC on 15 January is 00:30 on 16 January in Asia/Ho_Chi_Minh (UTC+7).
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        survey.published_at = datetime(2026, 1, 15, 17, 30, tzinfo=UTC)
        db.session.commit()
    client = sign_in()
    vietnamese = _published_cell(client.get("/admin/surveys?lang=vi").get_data(as_text=True))
    english = _published_cell(client.get("/admin/surveys?lang=en").get_data(as_text=True))
    # one day-first format in both languages (core/dates.py), never 1/16/26, 12:30 AM
    assert vietnamese == english == "16/01/2026 00:30"


def test_numbers_are_formatted_for_the_locale(app, org, sign_in):
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        counter = db.session.get(Counter, org["counters"][0]["id"])
        for overall in (5, 4, 4, 2):  # three of four satisfied: 75 percent
            record_response(counter, survey, Submission(
                submission_key=uuid.uuid4().hex, locale="vi",
                ratings={q.id: overall for q in survey.questions}), at=recent_office_hour())
        db.session.commit()
    app.config["HR_MIN_RESPONSES"] = 4  # a unit's share is shown from the minimum on
    client = sign_in(Role.HR, "P00001")
    vietnamese = client.get("/hr/?unit=00001&lang=vi").get_data(as_text=True)
    english = client.get("/hr/?unit=00001&lang=en").get_data(as_text=True)
    assert "<strong>75,0 %</strong>" in vietnamese and "75.0 %" not in vietnamese
    assert "<strong>75.0 %</strong>" in english
