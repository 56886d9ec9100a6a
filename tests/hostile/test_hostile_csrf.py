"""Every state-changing form refuses a post without its CSRF token: a page elsewhere that
makes a signed-in leader's (or a citizen's) browser post it changes nothing. Each case is
checked against the same post with the token, which does change something, so the refusal is
the token's doing, not the data's."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.db import db
from feedback.cases import services
from feedback.cases.followup import make_token
from feedback.cases.models import Case
from tests.support import csrf_of

CONTACT = {"contact_name": "Bà Tư", "contact_phone": "0912345678"}


def _snapshot(app) -> dict:
    with app.app_context():
        return {table.name: sorted(map(repr, db.session.execute(table.select()).all()))
                for table in db.metadata.sorted_tables}


@pytest.fixture
def world(app, org, store, sign_in) -> dict:
    case = store(org, rating=1, reasons=("waiting",), comment="Chờ quá lâu", contact=CONTACT)
    with app.app_context():
        row = db.session.get(Case, case["case_id"])
        followup = make_token(app.config["SECRET_KEY"], row.id, services.issue_followup(row))
        reference = row.reference
        db.session.commit()
    return {"case": case["case_id"], "reference": reference, "followup": followup,
            "response": store(org, rating=4)["public_id"], "counter": org["counters"][0]["id"],
            "staff": org["counters"][0]["staff_id"],
            "leader": sign_in(Role.LEADER, "00001"), "admin": sign_in(Role.ADMIN, "00001"),
            "staff_user": sign_in(Role.STAFF, "00001", staff_id=org["counters"][0]["staff_id"]),
            "citizen": app.test_client()}


FORMS = [
    ("leader", "/inbox/cases/{case}/transition", {"action": "acknowledge"}),
    ("leader", "/inbox/cases/{case}/note", {"body": "Ghi chú nội bộ"}),
    ("leader", "/inbox/cases/{case}/reply", {"body": "Trung tâm xin lỗi Ông/Bà"}),
    ("leader", "/inbox/cases/{case}/assign", {"assignee": ""}),
    ("leader", "/inbox/cases/{case}/sentiment", {"label": "negative"}),
    ("leader", "/inbox/cases/{case}/rights", {"kind": "erase_contact", "identity_checked": "y"}),
    ("leader", "/inbox/responses/{response}/case", {}),
    ("admin", "/admin/counters/{counter}/rotate", {}),
    ("admin", "/admin/counters/{counter}/kiosks", {"label": "Máy tính bảng 2"}),
    ("staff_user", "/hr/staff/{staff}/contest", {"target": "", "reason": "Tôi nghỉ phép."}),
    ("citizen", "/tra-cuu/yeu-cau", {"reference": "{reference}", "kind": "erase_contact"}),
    ("citizen", "/f/{followup}", {"solved": "yes", "rating": "4"}),
]


@pytest.mark.parametrize("who,path,data", FORMS, ids=[path for _w, path, _d in FORMS])
def test_a_post_without_its_csrf_token_changes_nothing(app, world, who, path, data):
    client, url = world[who], path.format(**world)
    form = {key: value.format(**world) for key, value in data.items()}
    page = "/tra-cuu" if who == "citizen" else "/account/password"
    if path.startswith("/f/"):
        page = url
    before = _snapshot(app)
    for forged in ({}, {"csrf_token": "x"}, {"csrf_token": csrf_of(app.test_client(), "/tra-cuu")}):
        response = client.post(url, data={**form, **forged})
        assert response.status_code < 500
        assert _snapshot(app) == before, (forged, response.status_code)
    client.post(url, data={**form, "csrf_token": csrf_of(client, page)})
    assert _snapshot(app) != before  # the same post with the token does change something
