"""A citizen whose answers opened a case gets a short reference on the thank-you page and can
follow the case with it: status and public replies only."""

from __future__ import annotations

import re

from accounts.models import Role
from core.db import db
from feedback.cases.models import Case
from feedback.cases.reference import REFERENCE_ALPHABET, new_reference, normalise_reference
from tests.support import csrf_of

#: A reference as the page shows it (not four letters, a dash and four more inside a token).
CODE = f"[{REFERENCE_ALPHABET}]{{4}}"
REFERENCE = re.compile(rf"(?<![\w-]){CODE}-{CODE}(?![\w-])")
CONTACT = {"contact_consent": "y", "contact_name": "Bà Tư", "contact_phone": "0912345678"}


def test_references_are_readable_and_typed_loosely():
    values = {new_reference() for _ in range(200)}
    assert len(values) == 200 and all(REFERENCE.fullmatch(v) for v in values)
    assert normalise_reference(" km4t 9hxc ") == "KM4T-9HXC"
    assert normalise_reference("KM4T-9HX") is None
    assert normalise_reference("KM4T-9HX0") is None  # 0 is not in the alphabet
    assert normalise_reference(None) is None


def _look_up(client, reference: str, url: str = "/tra-cuu"):
    return client.post(url, data={"csrf_token": csrf_of(client, url), "reference": reference})


def test_complain_then_track_status_and_public_replies(app, survey_page, sign_in, tagger):
    tagger.label = "negative"
    answers = survey_page.answers(rating=1, comment="Chờ quá lâu ở quầy", reasons="waiting",
                                  **CONTACT)
    sent = survey_page.submit(answers)
    assert sent.status_code == 303
    thanks = survey_page.client.get(sent.headers["Location"]).get_data(as_text=True)
    [reference] = REFERENCE.findall(thanks)
    assert "/tra-cuu" in thanks
    again = survey_page.client.get(sent.headers["Location"]).get_data(as_text=True)
    assert not REFERENCE.search(again)
    with app.app_context():
        case = db.session.execute(db.select(Case)).scalar_one()
        assert case.reference == reference
        case_id = case.id
    leader = sign_in(Role.LEADER, "00001")
    for what, data in (("transition", {"action": "acknowledge"}),
                       ("note", {"body": "Ghi chú nội bộ XYZ"}),
                       ("reply", {"body": "Kính gửi Ông/Bà, trung tâm đã bố trí thêm quầy."})):
        leader.post(f"/inbox/cases/{case_id}/{what}",
                    data={"csrf_token": csrf_of(leader, f"/inbox/cases/{case_id}"), **data})

    citizen = app.test_client()
    for url in ("/tra-cuu", "/track"):
        page = _look_up(citizen, reference.lower().replace("-", " "), url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert reference in text and "Đã tiếp nhận" in text
        assert "trung tâm đã bố trí thêm quầy" in text
        for hidden in ("Ghi chú nội bộ XYZ", "Chờ quá lâu", "0912345678", "Bà Tư", "Quầy"):
            assert hidden not in text


def test_a_wrong_reference_gets_a_clear_page(app):
    client = app.test_client()
    page = _look_up(client, "KM4T-9HXC")
    assert page.status_code == 404
    assert "Không có phản ánh nào mang mã số này" in page.get_data(as_text=True)
    assert _look_up(client, "").status_code == 400


def test_looking_up_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_TRACK="3 per minute")
    client = app.test_client()
    statuses = [_look_up(client, "KM4T-9HXC").status_code for _ in range(5)]
    assert statuses[:3] == [404] * 3 and statuses[3:] == [429, 429]
    assert client.get("/tra-cuu").status_code == 200
