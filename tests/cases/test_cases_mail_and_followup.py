"""E-mail through a real local SMTP server (aiosmtpd): the reply and the follow-up link to a
consenting citizen, alerts to the unit's leaders; and the citizen's one-use follow-up link."""

from __future__ import annotations

import email
import re
import uuid
from datetime import UTC, datetime, timedelta
from email.policy import default

import pytest
from cases_support import csrf_of

from accounts.models import Role
from core.db import db
from feedback.cases import notify
from feedback.cases.followup import make_token
from feedback.cases.mail import MailError, send_mail
from feedback.cases.models import Case, CaseStatus, EventKind
from feedback.dashboard.folding import after_submission_commit
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey

CONTACT = {"contact_name": "Bà Tư", "contact_phone": "0912345678",
           "contact_email": "ba.tu@example.vn"}
LINK = re.compile(r"http://localhost(/f/[A-Za-z0-9_.\-]+)")


def _message(envelope):
    return email.message_from_bytes(envelope.content, policy=default)


def _post(client, case_id: int, what: str, **data):
    data.setdefault("csrf_token", csrf_of(client))
    return client.post(f"/inbox/cases/{case_id}/{what}", data=data)


def _resolve(leader, case_id: int, outcome: str = "Đã bố trí thêm quầy"):
    for action in ("acknowledge", "start"):
        _post(leader, case_id, "transition", action=action)
    return _post(leader, case_id, "transition", action="resolve", text=outcome)


def test_send_mail_reaches_the_server_and_reports_failures(app, smtp_server):
    config = {**app.config, **smtp_server.config()}
    assert send_mail(config, ["a@example.vn"], "Chủ đề", "Nội dung có dấu: chờ lâu")
    message = _message(smtp_server.messages[0])
    assert message["Subject"] == "Chủ đề" and "chờ lâu" in message.get_content()
    assert not send_mail({**config, "MAIL_SERVER": None}, ["a@example.vn"], "x", "y")
    with pytest.raises(MailError):
        send_mail({**config, "MAIL_PORT": 1}, ["a@example.vn"], "x", "y")


def test_reply_is_emailed_to_a_consenting_citizen_in_their_language(
        make_app, create_org, smtp_server, tagger, sign_in):
    app = make_app(**smtp_server.config())
    org = create_org()
    case_id = _store_with(app, org, tagger, contact=CONTACT)
    leader = sign_in(Role.LEADER, "00001", client=app.test_client())
    page = leader.get(_post(leader, case_id, "reply",
                            body="Chúng tôi đã nhắc nhở cán bộ.").headers["Location"])
    assert "đã được gửi" in page.get_data(as_text=True)
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["ba.tu@example.vn"]
    message = _message(envelope)
    assert "Phản hồi" in message["Subject"]
    body = message.get_content()
    assert "Kính gửi Bà Tư" in body and "Chúng tôi đã nhắc nhở cán bộ." in body
    with app.app_context():
        kinds = [(e.kind, e.detail) for e in db.session.get(Case, case_id).events]
        assert kinds[-1] == (EventKind.MAIL, "sent:reply")


@pytest.mark.parametrize("what", ["reply", "resolve"])
def test_a_failure_after_the_e_mail_leaves_nothing_half_stored(
        make_app, create_org, smtp_server, tagger, monkeypatch, what, sign_in):
    app = make_app(**smtp_server.config())
    case_id = _store_with(app, create_org(), tagger, contact=CONTACT)
    leader = sign_in(Role.LEADER, "00001", client=app.test_client())
    for action in ("acknowledge", "start"):
        _post(leader, case_id, "transition", action=action)

    def timeline_unwritable(case, outcome):
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr(notify, "record_mail", timeline_unwritable)
    with pytest.raises(RuntimeError):
        if what == "reply":
            _post(leader, case_id, "reply", body="Chúng tôi đã nhắc nhở cán bộ.")
        else:
            _post(leader, case_id, "transition", action="resolve", text="Đã xử lý")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.IN_PROGRESS and case.followup_nonce is None
        assert [e.kind for e in case.events if e.kind in {
            EventKind.REPLY, EventKind.MAIL, EventKind.FOLLOWUP_ISSUED}] == []


def test_nothing_is_emailed_without_consented_address(make_app, create_org, smtp_server, tagger,
                                                      sign_in):
    app = make_app(**smtp_server.config())
    org = create_org()
    phone_only = _store_with(app, org, tagger, contact={"contact_phone": "0912345678"})
    anonymous = _store_with(app, org, tagger, contact=None)
    leader = sign_in(Role.LEADER, "00001", client=app.test_client())
    for case_id in (phone_only, anonymous):
        _post(leader, case_id, "reply", body="Cảm ơn")
    assert smtp_server.messages == []


def test_resolving_emails_a_one_use_followup_link_whose_answer_shows_and_counts(
        make_app, create_org, smtp_server, tagger, sign_in):
    app = make_app(**smtp_server.config())
    org = create_org()
    case_id = _store_with(app, org, tagger, contact=CONTACT)
    leader = sign_in(Role.LEADER, "00001", client=app.test_client())
    _resolve(leader, case_id)
    [envelope] = smtp_server.messages
    path = LINK.search(_message(envelope).get_content()).group(1)
    citizen = app.test_client()
    form = citizen.get(path)
    assert form.status_code == 200 and "Vấn đề của Ông/Bà đã được giải quyết chưa?" in \
        form.get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                     form.get_data(as_text=True)).group(1)
    assert citizen.post(path, data={"csrf_token": csrf, "solved": "yes"}).status_code == 400
    done = citizen.post(path, data={"csrf_token": csrf, "solved": "yes", "rating": "4"})
    assert done.status_code == 303
    again = citizen.post(path, data={"csrf_token": csrf, "solved": "no", "rating": "1"})
    assert "không thể dùng lại" in citizen.get(path).get_data(as_text=True)
    assert again.status_code == 200
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.followup_solved is True and case.followup_rating == 4
        assert [e.kind for e in case.events].count(EventKind.FOLLOWUP) == 1
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "Vấn đề đã được giải quyết" in page and "4/5" in page
    landing = leader.get("/leader").get_data(as_text=True)
    assert "Đường dẫn phản hồi đã gửi: 1; đã trả lời: 1" in landing
    assert "vấn đề đã được giải quyết: 1 / 1" in landing


def test_a_tampered_expired_or_replaced_link_does_not_work(app, org, store, sign_in, tagger):
    case_id = store(org, rating=1,
                    reasons=("waiting",), contact={"contact_phone": "0912345678"})["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    resolved = leader.get(_resolve(leader, case_id).headers["Location"]).get_data(as_text=True)
    path = LINK.search(resolved).group(1)  # shown to the leader, to send by text message
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert client.get(path[:-2] + "xx").status_code == 404
    with app.app_context():
        case = db.session.get(Case, case_id)
        stale = make_token(app.config["SECRET_KEY"], case_id, "old-nonce")
    assert client.get(f"/f/{stale}").status_code == 410
    app.config["CASE_FOLLOWUP_MAX_AGE_DAYS"] = -1
    assert client.get(path).status_code == 410
    assert case.followup_nonce


def test_alert_emails_reach_the_wards_leaders_once(make_app, create_org, smtp_server, tagger,
                                                   sign_in):
    app = make_app(**smtp_server.config())
    org = create_org("00001")
    create_org("00002")
    for ward, address in (("00001", "lanh.dao@phuong1.example.vn"),
                          ("00002", "other@phuong2.example.vn")):
        sign_in(Role.LEADER, ward, email=address, client=app.test_client())
    now = datetime.now(UTC)
    client = app.test_client()
    for minutes in (10, 8, 6):
        _store_with(app, org, tagger, at=now - timedelta(minutes=minutes))
    assert smtp_server.messages == []
    # The 4th unhappy response in 15 minutes, through the citizen form, trips the alert.
    html = client.get(f"/s/{org['counters'][0]['token']}").get_data(as_text=True)
    data = dict(re.findall(r'name="(csrf_token|ticket)" type="hidden" value="([^"]+)"', html))
    data.update({q: "1" for q in set(re.findall(r'name="(question_\d+)"', html))})
    data["reasons"] = "waiting"
    assert client.post(f"/s/{org['counters'][0]['token']}", data=data).status_code == 303
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["lanh.dao@phuong1.example.vn"]
    body = _message(envelope).get_content()
    assert "4 trong số 4 phiếu" in body and "/leader" in body
    _store_with(app, org, tagger)
    assert len(smtp_server.messages) == 1


def _store_with(app, org, tagger, contact=None, at=None) -> int:
    """A response rated 1 everywhere, with a reason (so a case opens); returns its case id."""
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        submission = Submission(uuid.uuid4().hex, {q.id: 1 for q in survey.questions}, "vi",
                                contact_consent=bool(contact), reasons=frozenset({"attitude"}),
                                **(contact or {}))
        response = record_response(db.session.get(Counter, org["counters"][0]["id"]), survey,
                                   submission, at=at)
        db.session.commit()
        after_submission_commit()  # as the app does: the fold
        return db.session.execute(db.select(Case.id).where(
            Case.response_id == response.id)).scalar_one()

