"""Kiosk mode: enrolment, who may open the kiosk page, and answers delivered once, in time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from core.db import db
from feedback.models import Channel, Response
from feedback.reasons import reasons_of
from surveys import services
from surveys.models import Counter, Staff

ORIGIN = "http://localhost"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _answer(given_at: datetime, survey_id: int, rating: int = 4, **extra) -> dict:
    return {"key": str(uuid.uuid4()), "given_at": _iso(given_at), "rating": rating,
            "survey": survey_id, "locale": "vi", **extra}


def _post(client, answers: list[dict], sent_at: datetime | None = None, **headers):
    body = {"answers": answers, "sent_at": _iso(sent_at or datetime.now(UTC))}
    return client.post("/k/api/answers", json=body, headers={"Origin": ORIGIN, **headers})


def _stored(app) -> list[Response]:
    with app.app_context():
        rows = db.session.execute(db.select(Response).order_by(Response.submitted_at)).scalars()
        return [(r.submission_key, r.submitted_at, r.received_at, r.channel, r.kiosk_id,
                 r.staff_id, r.comment, {a.question.code: a.value for a in r.answers})
                for r in rows]


def test_admin_enrols_a_tablet_which_then_opens_the_kiosk_page(app, org, sign_in, csrf):
    admin = sign_in()
    counter = org["counters"][0]
    url = f"/admin/counters/{counter['id']}/kiosks"
    page = admin.post(url, data={"csrf_token": csrf(admin, url), "label": "Tablet quầy 1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html
    enrol_path = "/k/enrol/" + html.split("/k/enrol/", 1)[1].split("<", 1)[0]

    tablet = app.test_client()
    assert tablet.get(f"/k/{counter['token']}").status_code == 403
    confirm = tablet.get(enrol_path)
    assert confirm.status_code == 200 and "Quầy" in confirm.get_data(as_text=True)
    done = tablet.post(enrol_path, data={"csrf_token": csrf(tablet, enrol_path)})
    assert done.status_code == 303 and done.headers["Location"] == f"/k/{counter['token']}"
    cookie = done.headers["Set-Cookie"]
    assert "kiosk_key=kk_" in cookie and "HttpOnly" in cookie and "Path=/k/" in cookie
    assert "SameSite=Lax" in cookie and "Max-Age=34560000" in cookie
    kiosk_page = tablet.get(f"/k/{counter['token']}")
    body = kiosk_page.get_data(as_text=True)
    assert kiosk_page.status_code == 200
    assert body.count('data-rating=') == 5 and "Rất hài lòng" in body
    assert 'src="/static/kiosk.js"' in body and "<script>" not in body

    again = app.test_client()
    assert again.get(enrol_path).status_code == 404  # the code works once
    listing = admin.get(url).get_data(as_text=True)
    assert "Tablet quầy 1" in listing and "Đang dùng" in listing


def test_kiosk_page_only_for_the_tablet_enrolled_at_that_counter(app, create_org, make_kiosk,
                                                                sign_in, csrf):
    org = create_org(counters=2)
    first, second = org["counters"]
    other = make_kiosk(second["id"])
    client = app.test_client()
    client.set_cookie("kiosk_key", other["key"], path="/k/")
    assert client.get(f"/k/{first['token']}").status_code == 403
    assert client.get(f"/k/{second['token']}").status_code == 200
    assert client.get("/k/%00x").status_code == 400  # refused before any lookup
    client.set_cookie("kiosk_key", "kk_" + "x" * 43, path="/k/")
    refused = client.get(f"/k/{second['token']}")
    assert refused.status_code == 403
    assert "QR" in refused.get_data(as_text=True)

    client.set_cookie("kiosk_key", other["key"], path="/k/")
    admin = sign_in()
    url = f"/admin/counters/{second['id']}/kiosks"
    revoked = admin.post(f"/admin/kiosks/{other['id']}/revoke",
                         data={"csrf_token": csrf(admin, url)})
    assert revoked.status_code == 303
    assert client.get(f"/k/{second['token']}").status_code == 403
    assert _post(client, [_answer(datetime.now(UTC), org["survey_id"])]).status_code == 403


def test_answers_given_offline_are_stored_once_with_their_own_time(app, org, tablet):
    counter = org["counters"][0]
    earlier = datetime.now(UTC) - timedelta(hours=2)
    with app.app_context():  # a new person took the counter after the answers were given
        unit = db.session.get(Staff, counter["staff_id"]).unit
        services.assign_staff(services.create_staff("S-NEW", "Trần Thị Mới", unit),
                              db.session.get(Counter, counter["id"]),
                              starts_at=datetime.now(UTC) - timedelta(hours=1))
        db.session.commit()
    answers = [_answer(earlier + timedelta(minutes=i), org["survey_id"], rating=1 + i,
                       comment="Chờ lâu quá" if i == 0 else None) for i in range(3)]
    first = _post(tablet, answers)
    assert first.status_code == 200
    assert [r["status"] for r in first.get_json()["results"]] == ["stored"] * 3

    again = _post(tablet, answers + [answers[0]])  # the tablet never got the first reply
    assert [r["status"] for r in again.get_json()["results"]] == ["duplicate"] * 4

    stored = _stored(app)
    assert len(stored) == 3
    for i, (key, submitted, received, channel, kiosk_id, staff_id, _comment, ratings) \
            in enumerate(stored):
        assert key == f"kiosk:{tablet.kiosk_id}:{answers[i]['key']}"
        assert abs(submitted - (earlier + timedelta(minutes=i))) < timedelta(seconds=1)
        assert received - submitted > timedelta(minutes=100)
        assert channel == Channel.KIOSK and kiosk_id == tablet.kiosk_id
        assert staff_id == counter["staff_id"]  # who was on duty then, not now
        assert ratings == {"overall": 1 + i}
    assert stored[0][6] == "Chờ lâu quá"


def test_a_tablet_clock_that_is_off_is_corrected(app, org, tablet):
    now = datetime.now(UTC)
    tablet_clock = now - timedelta(hours=5)  # the tablet thinks it is five hours earlier
    answer = _answer(tablet_clock - timedelta(minutes=30), org["survey_id"])
    result = _post(tablet, [answer], sent_at=tablet_clock).get_json()["results"][0]
    assert result["status"] == "stored"
    submitted = _stored(app)[0][1]
    assert abs(submitted - (now - timedelta(minutes=30))) < timedelta(seconds=5)


@pytest.mark.parametrize(("change", "reason"), [
    ({"given_at": _iso(datetime.now(UTC) - timedelta(hours=80))}, "too_old"),
    ({"given_at": _iso(datetime.now(UTC) + timedelta(hours=1))}, "in_future"),
    ({"given_at": "2026-01-01T10:00:00"}, "given_at"),
    ({"rating": 6}, "rating"),
    ({"rating": "5"}, "rating"),
    ({"rating": True}, "rating"),
    ({"key": "short"}, "key"),
    ({"key": "'; DROP TABLE response; --"}, "key"),
    ({"comment": "a\x00b"}, "comment"),
    ({"comment": "x" * 1001}, "comment"),
    ({"survey": 987654}, "survey"),
    ({"rating": 1, "reasons": ["bribe"]}, "reasons"),
    ({"rating": 1, "reasons": "waiting"}, "reasons"),
])
def test_answers_outside_the_rules_are_rejected_and_not_stored(app, org, tablet, change,
                                                               reason):
    answer = {**_answer(datetime.now(UTC), org["survey_id"]), **change}
    result = _post(tablet, [answer]).get_json()["results"][0]
    assert (result["status"], result["reason"]) == ("rejected", reason)
    assert _stored(app) == []


def test_cross_site_and_malformed_posts_store_nothing(app, org, tablet):
    answer = _answer(datetime.now(UTC), org["survey_id"])
    body = {"answers": [answer]}
    assert tablet.post("/k/api/answers", json=body).status_code == 403  # no Origin
    assert tablet.post("/k/api/answers", json=body,
                       headers={"Origin": "https://evil.example"}).status_code == 403
    assert tablet.post("/k/api/answers", data={"answers": "x"},
                       headers={"Origin": ORIGIN}).status_code == 415
    assert _post(tablet, [answer] * 51).status_code == 400
    stranger = app.test_client()
    assert stranger.post("/k/api/answers", json=body,
                         headers={"Origin": ORIGIN}).get_json()["error"] == "not_enrolled"
    assert _stored(app) == []


def test_service_worker_is_served_for_the_kiosk_scope(client):
    response = client.get("/k/sw.js?cache=hailong-kiosk-v1")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"addEventListener(\"fetch\"" in response.data


def _statuses(response) -> list[str]:
    return [r["status"] for r in response.get_json()["results"]]


def test_a_kiosk_flood_is_refused_beyond_human_speed(app, org, tablet, count_rows):
    now = datetime.now(UTC)
    heartbeat = tablet.post("/k/api/answers", json={"answers": [], "final": True,
                                                   "sent_at": _iso(now)},
                            headers={"Origin": ORIGIN})
    assert heartbeat.status_code == 200
    stored = 0
    for batch in range(6):
        answers = [_answer(now + timedelta(milliseconds=30 * (50 * batch + i)),
                           org["survey_id"], rating=5) for i in range(50)]
        response = _post(tablet, answers)
        stored += _statuses(response).count("stored")
        reasons = {r["reason"] for r in response.get_json()["results"]
                   if r["status"] == "rejected"}
        assert reasons <= {"too_fast"}
    with app.app_context():
        counted = db.session.execute(db.select(db.func.count()).select_from(Response)
                                     .where(Response.counted.is_(True))).scalar_one()
    assert stored == 6 and counted <= 10


def test_a_back_dated_answer_is_refused_with_a_reason_the_kiosk_shows(app, org, tablet):
    now = datetime.now(UTC)
    tablet.post("/k/api/answers", json={"answers": [], "final": True, "sent_at": _iso(now)},
                headers={"Origin": ORIGIN})
    back_dated = _answer(now - timedelta(minutes=30), org["survey_id"])
    [result] = _post(tablet, [back_dated, ]).get_json()["results"]
    assert (result["status"], result["reason"]) == ("rejected", "before_contact")
    assert "trước lần kết nối gần nhất" in result["message"]
    with app.app_context():
        assert db.session.execute(db.select(Response)).first() is None


def test_answers_before_enrolment_are_refused(app, org, make_kiosk):
    enrolled = make_kiosk(org["counters"][0]["id"], enrolled_at=datetime.now(UTC))
    client = app.test_client()
    client.set_cookie("kiosk_key", enrolled["key"], path="/k/")
    earlier = _answer(datetime.now(UTC) - timedelta(hours=1), org["survey_id"])
    [result] = _post(client, [earlier]).get_json()["results"]
    assert (result["status"], result["reason"]) == ("rejected", "before_contact")


def test_a_batch_that_is_not_final_leaves_the_contact_time_alone(app, org, tablet):
    now = datetime.now(UTC)
    first = [_answer(now - timedelta(hours=2), org["survey_id"])]
    assert _statuses(_post(tablet, first)) == ["stored"]  # not final: more is queued
    second = [_answer(now - timedelta(hours=1), org["survey_id"])]
    body = {"answers": second, "sent_at": _iso(now), "final": True}
    done = tablet.post("/k/api/answers", json=body, headers={"Origin": ORIGIN})
    assert _statuses(done) == ["stored"]
    with app.app_context():
        from surveys.channels.kiosks import Kiosk

        synced = db.session.get(Kiosk, tablet.kiosk_id).synced_at
        assert abs(synced - now) < timedelta(minutes=1)


def test_a_dissatisfied_kiosk_answer_keeps_its_reasons_and_opens_a_case(app, org, tablet):
    now = datetime.now(UTC)
    answers = [_answer(now, org["survey_id"], rating=2, reasons=["waiting", "fees"]),
               _answer(now, org["survey_id"], rating=5, reasons=["waiting"]),
               _answer(now, org["survey_id"], rating=1)]  # the citizen walked away
    results = _post(tablet, answers).get_json()["results"]
    assert [r["status"] for r in results] == ["stored"] * 3
    assert results[0]["reference"] and not results[1]["reference"] \
        and not results[2]["reference"]
    with app.app_context():
        rows = db.session.execute(db.select(Response).order_by(Response.id)).scalars().all()
        given = reasons_of([r.id for r in rows])
        assert [sorted(given.get(r.id, ())) for r in rows] == [["fees", "waiting"], [], []]
