"""A complaint about a leader who also serves at a counter never reaches that leader: not in
their inbox, landing page or response list, its page 404, not assignable to them; the other
leaders of the ward and the province's handle it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from cases_support import csrf_of
from sqlalchemy import select

from accounts.models import Role, User
from core.db import db
from core.timeutil import LOCAL_TZ
from feedback.cases import notify
from feedback.cases.models import CentreAlert
from feedback.dashboard.folding import after_submission_commit
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey

BRIBE = "Cán bộ ở quầy 1 đòi bồi dưỡng 200 nghìn mới nhận hồ sơ"
SLOW = "Quầy 2 chờ lâu quá"


def _cases(org, store) -> tuple[dict, dict]:
    about_leader = store(org, rating=1, comment=BRIBE, label="negative", integrity=True,
                         counter=0)
    other = store(org, rating=1, reasons=("waiting",), comment=SLOW, label="negative",
                  counter=1)
    return about_leader, other


def test_a_leader_never_sees_nor_handles_a_complaint_about_themselves(create_org, store,
                                                                       sign_in):
    org = create_org(counters=2)
    about_leader, other = _cases(org, store)
    serving = sign_in(Role.LEADER, "00001", staff_id=org["counters"][0]["staff_id"])
    for url in ("/leader", "/inbox", "/inbox?status=new", "/inbox/responses"):
        html = serving.get(url).get_data(as_text=True)
        assert "bồi dưỡng" not in html and "200 nghìn" not in html, url
    assert SLOW in serving.get("/inbox").get_data(as_text=True)
    case_id = about_leader["case_id"]
    assert serving.get(f"/inbox/cases/{case_id}").status_code == 404
    for what, data in (("transition", {"action": "dismiss", "reason": "spam"}),
                       ("note", {"body": "Không có việc này"}), ("assign", {"assignee": ""})):
        response = serving.post(f"/inbox/cases/{case_id}/{what}",
                                data={"csrf_token": csrf_of(serving), **data})
        assert response.status_code == 404, what
    opened = serving.post(f"/inbox/responses/{about_leader['public_id']}/case",
                          data={"csrf_token": csrf_of(serving)})
    assert opened.status_code == 404
    assert serving.get(f"/inbox/cases/{other['case_id']}").status_code == 200


def test_the_other_leaders_handle_it_and_cannot_hand_it_to_the_accused(app, create_org, store,
                                                                       sign_in):
    org = create_org(counters=2)
    about_leader, _other = _cases(org, store)
    sign_in(Role.LEADER, "00001", "lanh.dao.quay", staff_id=org["counters"][0]["staff_id"])
    colleague = sign_in(Role.LEADER, "00001", "lanh.dao.khac")
    province = sign_in(Role.LEADER, "P00001", "lanh.dao.tinh")
    with app.app_context():
        ids = dict(db.session.execute(select(User.username, User.id)).all())
    url = f"/inbox/cases/{about_leader['case_id']}"
    for leader in (colleague, province):
        assert BRIBE in leader.get("/inbox").get_data(as_text=True)
        page = leader.get(url).get_data(as_text=True)
        assert BRIBE in page
        options = set(re.findall(r'<option[^>]*value="(\d+)"', page))
        assert str(ids["lanh.dao.khac"]) in options
        assert str(ids["lanh.dao.quay"]) not in options
    refused = colleague.post(f"{url}/assign", data={"csrf_token": csrf_of(colleague),
                                                     "assignee": ids["lanh.dao.quay"]})
    assert refused.status_code == 400
    given = colleague.post(f"{url}/assign", data={"csrf_token": csrf_of(colleague),
                                                   "assignee": ids["lanh.dao.tinh"]})
    assert given.status_code == 303


def test_their_dashboard_lists_no_comment_about_them(create_org, store, sign_in):
    org = create_org(counters=2)
    _cases(org, store)
    month = datetime.now(UTC).astimezone(LOCAL_TZ).strftime("%Y-%m")
    serving = sign_in(Role.LEADER, "00001", staff_id=org["counters"][0]["staff_id"])
    colleague = sign_in(Role.LEADER, "00001")
    for url in (f"/dashboard?period={month}", f"/dashboard/export/comments.csv?period={month}"):
        assert BRIBE in colleague.get(url).get_data(as_text=True), url
        seen = serving.get(url).get_data(as_text=True)
        assert BRIBE not in seen and SLOW in seen, url


def test_an_integrity_alert_about_them_reaches_neither_their_page_nor_their_mail(
        make_app, create_org, smtp_server, tagger, sign_in):
    app = make_app(**smtp_server.config())
    org = create_org(counters=2)
    serving = sign_in(Role.LEADER, "00001", "lanh.dao.quay", client=app.test_client(),
                      staff_id=org["counters"][0]["staff_id"], email="quay@phuong.example.vn")
    colleague = sign_in(Role.LEADER, "00001", "lanh.dao.khac", client=app.test_client(),
                        email="khac@phuong.example.vn")
    tagger.label, tagger.integrity = "negative", True
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        record_response(db.session.get(Counter, org["counters"][0]["id"]), survey, Submission(
            uuid.uuid4().hex, {q.id: 1 for q in survey.questions}, "vi", comment=BRIBE))
        db.session.commit()
        after_submission_commit()
        [alert_id] = db.session.execute(select(CentreAlert.id)).scalars().all()
        notify.send_pending_alerts(app.config, datetime.now(UTC))
        db.session.commit()
    acknowledge = f"/leader/alerts/{alert_id}/acknowledge"
    assert acknowledge in colleague.get("/leader").get_data(as_text=True)
    assert acknowledge not in serving.get("/leader").get_data(as_text=True)
    refused = serving.post(acknowledge, data={"csrf_token": csrf_of(serving), "comment": "x"})
    assert refused.status_code == 404
    assert [envelope.rcpt_tos for envelope in smtp_server.messages] == [
        ["khac@phuong.example.vn"]]
