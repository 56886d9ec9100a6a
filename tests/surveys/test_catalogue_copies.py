"""Each app process keeps a copy of a counter's form; any change to the organisation or the
surveys reaches the citizen with the next request, in every process — never a revoked token,
a closed counter, an old survey version or the previous staff member served from the copy."""

from __future__ import annotations

from dataclasses import replace

from core.db import db
from surveys import services
from surveys.defaults import DEFAULT_QUESTIONS
from surveys.models import Centre, Counter, Staff, Unit


def _form(client, token: str):
    return client.get(f"/s/{token}")


def test_a_change_made_in_another_process_reaches_the_next_request(make_app, create_org):
    serving, editing = make_app(), make_app()  # two processes: two sets of copies
    org = create_org()
    token, counter_id = org["counters"][0]["token"], org["counters"][0]["id"]
    citizen = serving.test_client()
    assert "Nguyễn Văn" in _form(citizen, token).get_data(as_text=True)  # copied now
    with editing.app_context():
        counter = db.session.get(Counter, counter_id)
        ward = db.session.get(Unit, org["ward_id"])
        newcomer = services.create_staff("S-NEW", "Trần Thị Mới", ward)
        services.assign_staff(newcomer, counter)
        db.session.commit()
    assert "Trần Thị Mới" in _form(citizen, token).get_data(as_text=True)
    with editing.app_context():
        revised = [replace(DEFAULT_QUESTIONS[0], prompt_vi="Ông/Bà hài lòng đến đâu hôm nay?"),
                   *DEFAULT_QUESTIONS[1:]]
        services.publish_survey(revised, scope=None)
        db.session.commit()
    assert "Ông/Bà hài lòng đến đâu hôm nay?" in _form(citizen, token).get_data(as_text=True)
    with editing.app_context():
        new_token = services.rotate_counter_token(db.session.get(Counter, counter_id)).token
        db.session.commit()
    assert _form(citizen, token).status_code == 410
    assert _form(citizen, new_token).status_code == 200
    with editing.app_context():
        db.session.get(Counter, counter_id).active = False
        db.session.commit()
    assert _form(citizen, new_token).status_code == 410


def test_a_closed_centre_and_a_renamed_staff_member_reach_the_copy(app, client, org):
    token = org["counters"][0]["token"]
    assert _form(client, token).status_code == 200
    with app.app_context():
        db.session.get(Staff, org["counters"][0]["staff_id"]).full_name = "Lê Văn Đổi Tên"
        db.session.commit()
    assert "Lê Văn Đổi Tên" in _form(client, token).get_data(as_text=True)
    with app.app_context():
        db.session.get(Centre, org["centre_id"]).active = False
        db.session.commit()
    assert _form(client, token).status_code == 410
