"""The reference of a complaint is shown wherever the citizen is thanked: the queue-ticket link's
thank-you page and the kiosk's thank-you screen (the QR form's is in tests/cases)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from core.db import db
from feedback.cases.models import Case
from feedback.cases.reference import REFERENCE_ALPHABET

#: A reference as the page shows it (not four letters, a dash and four more inside a token).
CODE = f"[{REFERENCE_ALPHABET}]{{4}}"
REFERENCE = re.compile(rf"(?<![\w-]){CODE}-{CODE}(?![\w-])")
FORM_FIELD = re.compile(r'name="(csrf_token|ticket)" type="hidden" value="([^"]*)"')
QUESTION = re.compile(r'name="(question_\d+)"')
ORIGIN = "http://localhost"


def _references(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(db.select(Case.reference)).scalars())


def test_ticket_thank_you_page_shows_the_reference_once(app, org, make_api_token):
    api = app.test_client()
    created = api.post("/api/v1/visits", json={"ticket_number": "B-7",
                                               "counter_id": org["counters"][0]["id"]},
                       headers={"Authorization": f"Bearer {make_api_token(org['centre_id'])}"})
    path = created.get_json()["survey_url"].removeprefix("http://localhost")
    citizen = app.test_client()
    html = citizen.get(path).get_data(as_text=True)
    data = dict(FORM_FIELD.findall(html)) | {q: "1" for q in set(QUESTION.findall(html))}
    sent = citizen.post(path, data={**data, "reasons": "attitude"})  # a reason: a complaint
    thanks = citizen.get(sent.headers["Location"]).get_data(as_text=True)
    assert REFERENCE.findall(thanks) == _references(app) and "/tra-cuu" in thanks
    assert not REFERENCE.search(citizen.get(sent.headers["Location"]).get_data(as_text=True))


def test_kiosk_hears_the_reference_of_the_complaint_an_answer_opened(app, org, make_kiosk):
    tablet = app.test_client()
    tablet.set_cookie("kiosk_key", make_kiosk(org["counters"][0]["id"])["key"], path="/k/")
    now = datetime.now(UTC).isoformat()
    answers = [{"key": str(uuid.uuid4()), "given_at": now, "rating": rating,
                "survey": org["survey_id"], "locale": "vi", "reasons": reasons}
               for rating, reasons in ((1, ["attitude"]), (5, []))]
    sent = tablet.post("/k/api/answers", json={"answers": answers, "sent_at": now},
                       headers={"Origin": ORIGIN})
    unhappy, happy = sent.get_json()["results"]
    assert [unhappy["reference"]] == _references(app) and happy["reference"] is None
    page = tablet.get(f"/k/{org['counters'][0]['token']}").get_data(as_text=True)
    assert 'id="k-reference"' in page and "/tra-cuu" in page
