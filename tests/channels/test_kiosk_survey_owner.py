"""A kiosk shows the survey of its counter's unit and accepts answers only to a version that
unit asks or asked, never to another ward's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from core.db import db
from feedback.models import Response
from surveys import services
from surveys.defaults import DEFAULT_QUESTIONS, QuestionSpec

ORIGIN = "http://localhost"


def _post(client, survey_id: int) -> dict:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    answer = {"key": str(uuid.uuid4()), "given_at": now, "rating": 4, "survey": survey_id,
              "locale": "vi"}
    body = {"answers": [answer], "sent_at": now}
    return client.post("/k/api/answers", json=body,
                       headers={"Origin": ORIGIN}).get_json()["results"][0]


def test_a_kiosk_asks_its_wards_version_and_refuses_another_wards(app, create_org, make_kiosk):
    mine, theirs = create_org("00001"), create_org("00002")
    overall = QuestionSpec("overall", "overall", "Câu riêng của phường", "Our own wording")
    with app.app_context():
        own = services.publish_survey([overall, *DEFAULT_QUESTIONS[1:]], note="riêng",
                                      scope=None, unit_id=mine["ward_id"]).id
        other = services.publish_survey(DEFAULT_QUESTIONS, note="khác",
                                        scope=None, unit_id=theirs["ward_id"]).id
        db.session.commit()
    enrolled = make_kiosk(mine["counters"][0]["id"])
    tablet = app.test_client()
    tablet.set_cookie("kiosk_key", enrolled["key"], path="/k/")
    page = tablet.get(f"/k/{mine['counters'][0]['token']}").get_data(as_text=True)
    assert "Câu riêng của phường" in page
    refused = _post(tablet, other)
    assert (refused["status"], refused["reason"]) == ("rejected", "survey")
    assert _post(tablet, own)["status"] == "stored"
    assert _post(tablet, mine["survey_id"])["status"] == "stored"  # the national one it asked
    with app.app_context():
        stored = db.session.execute(db.select(Response.survey_id)).scalars().all()
        assert sorted(stored) == sorted([own, mine["survey_id"]])
