"""Who reads a complainant's words and contact details on a case page: the unit's leaders who
handle it, never a leader who is himself the staff member the response rates (the case is not
his: `feedback.cases.recusal`); whoever reads the comment masked reads the timeline masked
too."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.db import db
from feedback.cases.models import Case
from tests.support import csrf_of

CONTACT = {"contact_name": "Trần Thị Lan", "contact_phone": "0912345678",
           "contact_email": "lan.tran@example.vn"}
COMMENT = "Anh Hùng ở quầy 1 bắt chờ lâu, gọi tôi số 0987654321"
REPLY = "Đã gọi lại cho chị Lan theo số 0912345678 để xin lỗi"
SECRETS = ["Trần Thị Lan", "0912345678", "lan.tran@example.vn", "0987654321", "chị Lan"]


@pytest.fixture
def case_id(app, org, store, sign_in) -> int:
    """A complaint about the org's first staff member, with contact details and a reply that
    repeats them, as a leader writes it."""
    case_id = store(org, rating=1, reasons=("waiting",), comment=COMMENT,
                    contact=CONTACT)["case_id"]
    handler = sign_in(Role.LEADER, "00001")
    url = f"/inbox/cases/{case_id}"
    handler.post(f"{url}/reply", data={"csrf_token": csrf_of(handler, url), "body": REPLY})
    with app.app_context():
        assert REPLY in [e.body for e in db.session.get(Case, case_id).events]
    return case_id


def _page(client, case_id: int) -> str:
    response = client.get(f"/inbox/cases/{case_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_leader_who_is_the_rated_staff_member_cannot_open_the_case(org, case_id, sign_in):
    rated = sign_in(Role.LEADER, "00001", staff_id=org["counters"][0]["staff_id"])
    response = rated.get(f"/inbox/cases/{case_id}")
    assert response.status_code == 404
    assert [secret for secret in SECRETS if secret in response.get_data(as_text=True)] == []


def test_hr_reads_the_timeline_masked_like_the_comment(org, case_id, sign_in):
    page = _page(sign_in(Role.HR, "00001"), case_id)
    assert [secret for secret in SECRETS if secret in page] == []
    assert "Đã gọi lại cho" in page  # the reply is there, masked


def test_the_other_leaders_still_read_everything(org, case_id, sign_in):
    page = _page(sign_in(Role.LEADER, "00001"), case_id)
    assert [secret for secret in SECRETS if secret not in page] == []
