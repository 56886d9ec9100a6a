"""Two requests changing the same case at once (a double click, two leaders, a retried post):
the second waits for the first and then fails cleanly or does nothing, never a 500 or a second
row. Run on PostgreSQL only: SQLite lets one writer at a time and cannot show the race."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from accounts import management
from accounts.models import Role, User
from core.db import db, now_utc
from core.timeutil import local_today
from feedback.cases import services as case_services
from feedback.cases.followup import make_token
from feedback.cases.models import Case, CaseEvent, CaseStatus, EventKind
from feedback.hr import contests, decisions, exclusions
from feedback.hr.models import Contest, ContestEvent, FlagOverride, GradeDecision
from feedback.intake import kiosk as kiosk_views
from feedback.models import Response
from feedback.rights import services as rights_services
from feedback.rights import views as rights_views
from feedback.rights.models import DataSubjectRequest, RightsCode
from surveys.channels.kiosks import create_kiosk
from surveys.models import Counter
from tests.support import csrf_of

CONTACT = {"contact_name": "Chị Lan", "contact_email": "lan@example.vn"}


@pytest.fixture(autouse=True)
def _postgresql_only(database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite lets one writer at a time: the race cannot happen there")


def _at_once(monkeypatch, module, name: str, calls: list[Callable]) -> list:
    """Run `calls` in threads at once, each held just before `module.name` (called after the
    state was read) until all arrive there or a second passed (another one holds a lock)."""
    barrier = threading.Barrier(len(calls))
    real = getattr(module, name)

    def held(*args, **kwargs):
        try:
            barrier.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def current_quarter() -> str:
    """The key of the quarter now runs in (local time), e.g. "2026-Q4"."""
    today = local_today(now_utc())
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _events(app, case_id: int, kind: EventKind) -> list[CaseEvent]:
    with app.app_context():
        return db.session.execute(db.select(CaseEvent.detail).filter_by(
            case_id=case_id, kind=kind)).scalars().all()


@pytest.fixture
def complaint(app, org, store) -> int:
    """A complaint case whose citizen left an e-mail address."""
    return store(org, rating=1, reasons=("waiting",), contact=CONTACT)["case_id"]


def _leaders(sign_in, case_id: int, count: int = 2) -> list[tuple]:
    clients = [sign_in(Role.LEADER, "00001") for _ in range(count)]
    return [(c, csrf_of(c, f"/inbox/cases/{case_id}")) for c in clients]


@pytest.mark.parametrize("actions", [("resolve", "resolve"), ("resolve", "dismiss")])
def test_two_leaders_moving_one_case_at_once(app, sign_in, complaint, monkeypatch, actions):
    def move(client, csrf, action):
        return lambda: client.post(f"/inbox/cases/{complaint}/transition", data={
            "csrf_token": csrf, "action": action, "text": "Đã gọi điện xin lỗi công dân",
            "reason": "unfounded" if action == "dismiss" else ""}).status_code

    leaders = _leaders(sign_in, complaint)
    statuses = _at_once(monkeypatch, case_services, "apply_action",
                        [move(c, t, a) for (c, t), a in zip(leaders, actions, strict=True)])
    assert sorted(statuses) == [303, 409]
    assert len(_events(app, complaint, EventKind.STATUS)) == 1
    with app.app_context():
        assert db.session.get(Case, complaint).status in (CaseStatus.RESOLVED,
                                                          CaseStatus.DISMISSED)


def test_a_follow_up_answered_twice_at_once_is_stored_once(app, complaint, monkeypatch):
    with app.app_context():
        case = db.session.get(Case, complaint)
        token = make_token(app.config["SECRET_KEY"], case.id, case_services.issue_followup(case))
        db.session.commit()
    url = f"/f/{token}"

    def answer(rating: str):
        client = app.test_client()
        csrf = csrf_of(client, url)
        return lambda: client.post(url, data={"csrf_token": csrf, "solved": "yes",
                                              "rating": rating}).status_code

    statuses = _at_once(monkeypatch, case_services, "record_followup",
                        [answer("5"), answer("1")])
    assert statuses == [303, 303]
    assert len(_events(app, complaint, EventKind.FOLLOWUP)) == 1


def test_two_leaders_opening_a_case_on_one_response_open_one(app, org, store, sign_in,
                                                             monkeypatch, count_rows):
    public_id = store(org, rating=4)["public_id"]

    def open_case(client):
        return lambda: client.post(f"/inbox/responses/{public_id}/case", data={
            "csrf_token": csrf_of(client, "/inbox/responses")}).status_code

    leaders = [sign_in(Role.LEADER, "00001") for _ in range(2)]
    statuses = _at_once(monkeypatch, case_services, "open_case_by_leader",
                        [open_case(c) for c in leaders])
    assert statuses == [303, 303]
    assert count_rows(Case) == 1


def test_a_leader_opening_a_case_another_leader_has_just_opened_is_shown_it(
        app, org, store, sign_in, monkeypatch, count_rows):
    """The second leader's page found no case; the first leader's case is committed before the
    second's request goes on to open one."""
    public_id = store(org, rating=4)["public_id"]
    first, second = (sign_in(Role.LEADER, "00001") for _ in range(2))
    posts = {client: {"csrf_token": csrf_of(client, "/inbox/responses")}
             for client in (first, second)}
    second_waits, first_done = threading.Event(), threading.Event()
    real = case_services.open_case_by_leader

    def held(response, actor, *args, **kwargs):
        if actor.username == second.username:
            second_waits.set()
            assert first_done.wait(10)
        return real(response, actor, *args, **kwargs)

    def open_case(client) -> int:
        return client.post(f"/inbox/responses/{public_id}/case", data=posts[client]).status_code

    monkeypatch.setattr(case_services, "open_case_by_leader", held)
    with ThreadPoolExecutor(1) as pool:
        later = pool.submit(open_case, second)
        assert second_waits.wait(10)
        assert open_case(first) == 303
        first_done.set()
        assert later.result() == 303
    assert count_rows(Case) == 1


def test_one_enrolment_code_sent_by_two_devices_at_once_enrols_one(app, org, monkeypatch):
    with app.app_context():
        enrolment = create_kiosk(db.session.get(Counter, org["counters"][0]["id"]), "Máy 1",
                                 timedelta(minutes=5))
        db.session.commit()
        url = f"/k/enrol/{enrolment.code}"

    def enrol(client):
        csrf = csrf_of(client, url)
        return lambda: client.post(url, data={"csrf_token": csrf}).status_code

    devices = [app.test_client() for _ in range(2)]
    statuses = _at_once(monkeypatch, kiosk_views, "enrol_kiosk", [enrol(d) for d in devices])
    assert sorted(statuses) == [303, 404]
    [enrolled] = [d for d, status in zip(devices, statuses, strict=True) if status == 303]
    assert enrolled.get(f"/k/{org['counters'][0]['token']}").status_code == 200


@pytest.fixture
def contest_url(app, org, store, sign_in) -> tuple:
    """A staff member's open contest of a low rating; returns its URL and the staff browser."""
    staff_id = org["counters"][0]["staff_id"]
    public_id = store(org, rating=1)["public_id"]
    staff = sign_in(Role.STAFF, "00001", staff_id=staff_id)
    page = f"/hr/staff/{staff_id}"
    sent = staff.post(f"{page}/contest", data={
        "csrf_token": csrf_of(staff, page), "target": public_id,
        "reason": "Hôm đó tôi nghỉ phép, quầy do người khác trực."})
    assert sent.status_code == 303 and "/hr/contests/" in sent.headers["Location"]
    return sent.headers["Location"], staff, public_id


def test_two_hr_officers_deciding_one_contest_at_once_record_one_decision(
        app, sign_in, contest_url, monkeypatch):
    url, _staff, _public_id = contest_url

    def decide(decision):
        client = sign_in(Role.HR, "00001")
        csrf = csrf_of(client, url)
        return lambda: client.post(f"{url}/decide", data={
            "csrf_token": csrf, "decision": decision,
            "answer": "Đã đối chiếu lịch trực."}).status_code

    assert _at_once(monkeypatch, contests, "decide",
                    [decide("accept"), decide("reject")]) == [303, 303]
    with app.app_context():
        kinds = db.session.execute(db.select(ContestEvent.kind)).scalars().all()
    assert sorted(kinds) in (["accepted", "opened"], ["opened", "rejected"])


def test_a_contest_sent_twice_at_once_is_opened_once(app, org, store, sign_in, monkeypatch,
                                                      count_rows):
    staff_id = org["counters"][0]["staff_id"]
    public_id = store(org, rating=1)["public_id"]
    staff = sign_in(Role.STAFF, "00001", staff_id=staff_id)
    page = f"/hr/staff/{staff_id}"
    csrf = csrf_of(staff, page)

    def send():
        return staff.post(f"{page}/contest", data={
            "csrf_token": csrf, "target": public_id, "reason": "Tôi nghỉ phép."}).status_code

    assert _at_once(monkeypatch, contests, "open_contest", [send, send]) == [303, 303]
    assert count_rows(Contest) == 1


def test_one_account_created_twice_at_once_is_created_once(app, org, sign_in, monkeypatch,
                                                           count_rows):
    def create(client):
        csrf = csrf_of(client, "/admin/users/new")
        return lambda: client.post("/admin/users/new", data={
            "csrf_token": csrf, "username": "lanh.dao.moi", "role": "leader",
            "unit": org["ward_id"], "staff_code": "", "email": ""}).status_code

    admins = [sign_in(Role.ADMIN) for _ in range(2)]
    before = count_rows(User)
    statuses = _at_once(monkeypatch, management, "create_managed_user",
                        [create(a) for a in admins])
    assert sorted(statuses) == [200, 409]
    assert count_rows(User) == before + 1


def test_two_hr_officers_restoring_one_response_at_once_restore_it_once(
        app, org, store, sign_in, monkeypatch, count_rows):
    public_id = store(org, rating=1)["public_id"]
    officers = [sign_in(Role.HR, "00001") for _ in range(2)]
    with app.app_context():
        response = db.session.execute(
            db.select(Response).filter_by(public_id=public_id)).scalar_one()
        actor = db.session.execute(
            db.select(User).filter_by(username=officers[0].username)).scalar_one()
        exclusions.exclude_for_contest(response, None, actor, "Nghỉ phép hôm đó")
        db.session.commit()

    def restore(client):
        csrf = csrf_of(client, "/hr/method")
        return lambda: client.post(f"/hr/responses/{public_id}/restore", data={
            "csrf_token": csrf, "note": "Đánh giá hợp lệ"}).status_code

    assert _at_once(monkeypatch, exclusions, "override",
                    [restore(c) for c in officers]) == [303, 303]
    assert count_rows(FlagOverride) == 1


def test_two_leaders_grading_at_once_cannot_break_the_cap_together(
        app, create_org, store, sign_in, monkeypatch, count_rows):
    """Five staff graded "good" allow one "excellent" (20 %). One leader grades the sixth
    "excellent" while another lowers a "good" to "completed": each is within the cap alone,
    both together are not (one excellent for four good), so the second must be refused."""
    org = create_org(counters=6)
    for counter in range(6):
        store(org, rating=5, counter=counter)
    staff = [c["staff_id"] for c in org["counters"]]
    url = f"/hr/decisions?unit=00001&period={current_quarter()}"
    head = sign_in(Role.LEADER, "00001")
    before = head.post(url, data={"csrf_token": csrf_of(head, url),
                                  **{f"grade_{s}": "good" for s in staff[:5]}})
    assert before.status_code == 303, before.get_data(as_text=True)

    def grade(client, staff_id, value):
        csrf = csrf_of(client, url)
        return lambda: client.post(url, data={"csrf_token": csrf,
                                              f"grade_{staff_id}": value}).status_code

    leaders = [sign_in(Role.LEADER, "00001") for _ in range(2)]
    statuses = _at_once(monkeypatch, decisions, "record",
                        [grade(leaders[0], staff[5], "excellent"),
                         grade(leaders[1], staff[0], "completed")])
    assert sorted(statuses) == [303, 400]
    assert count_rows(GradeDecision) == 6


def test_two_leaders_recording_the_same_counter_request_make_one(app, sign_in, complaint,
                                                                 monkeypatch, count_rows):
    def record(client, csrf):
        return lambda: client.post(f"/inbox/cases/{complaint}/rights", data={
            "csrf_token": csrf, "kind": "erase_contact", "identity_checked": "y"}).status_code

    statuses = _at_once(monkeypatch, rights_services, "receive",
                        [record(c, t) for c, t in _leaders(sign_in, complaint)])
    assert sorted(statuses) == [303, 409]
    assert count_rows(DataSubjectRequest) == 1


def test_a_citizen_asking_twice_at_once_gets_one_valid_code(make_app, org, store, smtp_server,
                                                            monkeypatch):
    app = make_app(**smtp_server.config())
    case_id = store(org, rating=1, reasons=("waiting",), contact=CONTACT)["case_id"]
    with app.app_context():
        reference = db.session.get(Case, case_id).reference

    def ask():
        client = app.test_client()
        csrf = csrf_of(client, "/tra-cuu")
        return lambda: client.post("/tra-cuu/yeu-cau", data={
            "csrf_token": csrf, "reference": reference, "kind": "erase_contact"}).status_code

    assert _at_once(monkeypatch, rights_views, "issue_code", [ask(), ask()]) == [200, 200]
    with app.app_context():
        unused = db.session.execute(db.select(db.func.count()).select_from(RightsCode).where(
            RightsCode.used_at.is_(None))).scalar_one()
    assert unused == 1


def test_the_right_code_typed_twice_at_once_carries_the_request_out_once(
        make_app, org, store, smtp_server, monkeypatch, count_rows):
    app = make_app(**smtp_server.config())
    case_id = store(org, rating=1, reasons=("waiting",), contact=CONTACT)["case_id"]
    with app.app_context():
        reference = db.session.get(Case, case_id).reference
    citizen = app.test_client()
    citizen.post("/tra-cuu/yeu-cau", data={"csrf_token": csrf_of(citizen, "/tra-cuu"),
                                          "reference": reference, "kind": "erase_contact"})
    code = re.search(r"\b(\d{6})\b", smtp_server.texts()[-1][1])[1]

    def confirm():
        client = app.test_client()
        csrf = csrf_of(client, "/tra-cuu")
        return lambda: client.post("/tra-cuu/xac-nhan", data={
            "csrf_token": csrf, "reference": reference, "kind": "erase_contact",
            "code": code}).status_code

    statuses = _at_once(monkeypatch, rights_views, "check_code", [confirm(), confirm()])
    assert sorted(statuses) == [200, 410]
    assert count_rows(DataSubjectRequest) == 1
