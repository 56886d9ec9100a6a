"""Who may see and change what: every route of the app, requested as every role and anonymously,
with ids of the user's own ward and guessed ids of another ward.

Back-office routes have an exact expected status per role; public routes (citizens' links,
kiosks, the visit API, health) must answer a guessed token the same way whoever asks. A route
missing from both tables fails the completeness test: add it here when you add a route.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cases_support import CSRF

from accounts.models import Role
from core.db import db
from feedback.cases.models import Case, CentreAlert, EventKind
from surveys.models import CounterToken

ROLES = ("anon", "admin", "leader", "hr", "staff")
A, L, H, S = "admin", "leader", "hr", "staff"


def only(allowed: dict[str, int], refused: int = 403) -> dict[str, int]:
    """Signed-in roles not listed get `refused`; anonymous users are sent to /login (302)."""
    return {"anon": 302, **{r: allowed.get(r, refused) for r in ROLES[1:]}}


@dataclass(frozen=True)
class Row:
    """A back-office request and the status each role must get."""

    endpoint: str
    method: str
    path: str  # with {ids} filled from the world
    expected: dict[str, int]
    data: dict | None = None


#: (endpoint, method, path, expected) for the user's own ward ("mine") and another ward
#: ("theirs"). Ids of the other ward must be refused as if they did not exist (404).
BACK_OFFICE = [
    Row("admin.organisation", "GET", "/admin/", only({A: 200})),
    Row("admin.new_centre", "GET", "/admin/centres/new", only({A: 200})),
    Row("admin.new_counter", "GET", "/admin/counters/new", only({A: 200})),
    Row("admin.new_staff", "GET", "/admin/staff/new", only({A: 200})),
    Row("admin.import_roster", "GET", "/admin/staff/import", only({A: 200})),
    Row("admin.roster_template", "GET", "/admin/staff/roster-template.xlsx", only({A: 200})),
    Row("admin.confirm_roster", "POST", "/admin/staff/import/confirm", only({A: 404}),
        {"unit": "{their_ward}", "rows": "[]"}),
    Row("admin.surveys", "GET", "/admin/surveys", only({A: 200})),
    Row("admin.counter_poster", "GET", "/admin/counters/{my_counter}/poster", only({A: 200})),
    Row("admin.counter_poster", "GET", "/admin/counters/{their_counter}/poster", only({A: 404})),
    Row("admin.counter_qr", "GET", "/admin/counters/{my_counter}/qr.png", only({A: 200})),
    Row("admin.counter_qr", "GET", "/admin/counters/{their_counter}/qr.svg", only({A: 404})),
    Row("admin.centre_posters", "GET", "/admin/centres/{my_centre}/posters", only({A: 200})),
    Row("admin.centre_posters", "GET", "/admin/centres/{their_centre}/posters",
        only({A: 404})),
    Row("admin.rotate_token", "POST", "/admin/counters/{their_counter}/rotate", only({A: 404})),
    Row("admin.assign", "POST", "/admin/counters/{their_counter}/assign", only({A: 404}),
        {"staff": "{my_staff}"}),
    Row("admin.rotate_token", "GET", "/admin/counters/{my_counter}/rotate", only({A: 200})),
    Row("admin.rotate_token", "GET", "/admin/counters/{their_counter}/rotate", only({A: 404})),
    Row("admin_edit.edit_centre", "GET", "/admin/centres/{my_centre}/edit", only({A: 200})),
    Row("admin_edit.edit_centre", "POST", "/admin/centres/{their_centre}/edit",
        only({A: 404}), {"name": "Đổi tên"}),
    Row("admin_edit.edit_counter", "GET", "/admin/counters/{my_counter}/edit", only({A: 200})),
    Row("admin_edit.edit_counter", "POST", "/admin/counters/{their_counter}/edit",
        only({A: 404}), {"label": "Quầy X"}),
    Row("admin_edit.move", "POST", "/admin/counters/{their_counter}/move", only({A: 404}),
        {"centre": "{my_centre}", "effective_on": "2026-01-01"}),
    Row("admin_edit.staff_list", "GET", "/admin/staff", only({A: 200})),
    Row("admin_edit.edit_staff", "GET", "/admin/staff/{my_staff}/edit", only({A: 200})),
    Row("admin_edit.edit_staff", "POST", "/admin/staff/{their_staff}/edit", only({A: 404}),
        {"full_name": "Tên khác", "unit": "{my_ward}"}),
    Row("admin_edit.set_status", "POST", "/admin/counters/{their_counter}/deactivate",
        only({A: 404})),
    Row("admin_edit.set_status", "POST", "/admin/centres/{their_centre}/deactivate",
        only({A: 404})),
    Row("admin_edit.set_status", "POST", "/admin/staff/{their_staff}/deactivate",
        only({A: 404})),
    Row("admin_edit.units", "GET", "/admin/units", only({A: 200})),
    Row("admin_edit.units", "POST", "/admin/units", only({A: 400}),
        {"old_units": "{their_ward}", "successor": "{my_ward}", "first_day": "2026-01-01"}),
    Row("users.user_list", "GET", "/admin/users/", only({A: 200})),
    Row("users.new_user", "GET", "/admin/users/new", only({A: 200})),
    Row("users.edit_user", "GET", "/admin/users/999999/edit", only({A: 404})),
    Row("users.set_active", "POST", "/admin/users/999999/disable", only({A: 404})),
    Row("users.reset_password", "POST", "/admin/users/999999/reset-password", only({A: 404})),
    Row("audit.audit_log", "GET", "/admin/audit", only({A: 200})),
    Row("audit.audit_log", "GET", "/admin/audit?unit={their_ward}", only({A: 400})),
    Row("kiosk_admin.kiosks", "GET", "/admin/counters/{my_counter}/kiosks", only({A: 200})),
    Row("kiosk_admin.kiosks", "GET", "/admin/counters/{their_counter}/kiosks", only({A: 404})),
    Row("kiosk_admin.revoke", "POST", "/admin/kiosks/999999/revoke", only({A: 404})),
    Row("accounts.password", "GET", "/account/password", only({A: 200, L: 200, H: 200, S: 200})),
    Row("cases.landing", "GET", "/leader", only({L: 200})),
    Row("cases.inbox", "GET", "/inbox", only({L: 200, H: 200, S: 302})),
    Row("cases.my_feedback", "GET", "/inbox/me", only({S: 200})),
    Row("cases.responses", "GET", "/inbox/responses", only({L: 200})),
    Row("cases.access_log_page", "GET", "/access-log", only({A: 200, L: 200})),
    Row("cases.alert_rules", "GET", "/leader/alerts/rules", only({L: 200})),
    Row("cases.case_rules", "GET", "/leader/case-rules", only({A: 200, L: 200})),
    Row("cases.case_detail", "GET", "/inbox/cases/{my_case}", only({L: 200, H: 200})),
    Row("cases.case_detail", "GET", "/inbox/cases/{their_case}", only({L: 404, H: 404})),
    Row("cases.case_detail", "GET", "/inbox/cases/999999", only({L: 404, H: 404})),
    Row("cases.transition", "POST", "/inbox/cases/{their_case}/transition", only({L: 404}),
        {"action": "acknowledge"}),
    Row("cases.transition", "POST", "/inbox/cases/{my_case}/transition", only({L: 303}),
        {"action": "acknowledge"}),
    Row("cases.assign", "POST", "/inbox/cases/{their_case}/assign", only({L: 404}),
        {"assignee": ""}),
    Row("cases.assign", "POST", "/inbox/cases/{my_case}/assign", only({L: 303}),
        {"assignee": ""}),
    Row("cases.note", "POST", "/inbox/cases/{their_case}/note", only({L: 404}),
        {"body": "ghi chú"}),
    Row("cases.note", "POST", "/inbox/cases/{my_case}/note", only({L: 303}), {"body": "ghi chú"}),
    Row("cases.reply", "POST", "/inbox/cases/{their_case}/reply", only({L: 404}),
        {"body": "trả lời"}),
    Row("cases.reply", "POST", "/inbox/cases/{my_case}/reply", only({L: 303}),
        {"body": "trả lời"}),
    Row("cases.review_sentiment_label", "POST", "/inbox/cases/{their_case}/sentiment",
        only({L: 404}), {"label": "negative"}),
    Row("cases.review_sentiment_label", "POST", "/inbox/cases/{my_case}/sentiment",
        only({L: 303}), {"label": "negative"}),
    Row("cases.open_case", "POST", "/inbox/responses/{their_response}/case", only({L: 404})),
    Row("cases.open_case", "POST", "/inbox/responses/{my_response}/case", only({L: 303})),
    Row("cases.acknowledge_alert", "POST", "/leader/alerts/{their_alert}/acknowledge",
        only({L: 404}), {"comment": "đã biết"}),
    Row("cases.acknowledge_alert", "POST", "/leader/alerts/{my_alert}/acknowledge",
        only({L: 303}), {"comment": "đã biết"}),
    Row("cases.save_alert_rule", "POST", "/leader/alerts/rules/{their_centre}", only({L: 404}),
        {"window_minutes": "20", "unhappy_percent": "60", "min_responses": "3"}),
    Row("cases.save_case_rule", "POST", "/leader/case-rules/{their_ward}",
        only({A: 404, L: 404}), {"reasons": "fees"}),
    Row("accounts.logout", "POST", "/logout", only({A: 303, L: 303, H: 303, S: 303})),
    Row("hr.overview", "GET", "/hr/", only({L: 200, H: 200})),
    Row("hr.distribution_png", "GET", "/hr/distribution.png", only({L: 200, H: 200})),
    Row("hr.export", "GET", "/hr/export.csv", only({L: 200, H: 200})),
    Row("hr.me", "GET", "/hr/me", only({S: 302})),  # to the staff member's own page
    Row("hr.method", "GET", "/hr/method", only({A: 200, L: 200, H: 200, S: 200})),
    Row("hr.staff_detail", "GET", "/hr/staff/{my_staff}", only({L: 200, H: 200, S: 200})),
    Row("hr.staff_detail", "GET", "/hr/staff/{their_staff}", only({L: 404, H: 404, S: 404})),
    Row("hr.trend_png", "GET", "/hr/staff/{their_staff}/trend.png",
        only({L: 404, H: 404, S: 404})),
    Row("hr.override", "POST", "/hr/responses/{their_response}/exclude", only({H: 404})),
    Row("hr.contest_new", "POST", "/hr/staff/{their_staff}/contest",
        only({L: 404, H: 404, S: 404})),
    Row("hr.contest_list", "GET", "/hr/contests", only({L: 200, H: 200, S: 200})),
    Row("hr.contest_detail", "GET", "/hr/contests/999999", only({L: 404, H: 404, S: 404})),
    Row("hr.contest_decide", "POST", "/hr/contests/999999/decide", only({H: 404})),
    Row("hr.grade_decisions", "GET", "/hr/decisions?unit=00001", only({L: 200, H: 200})),
    Row("hr.grade_decisions", "GET", "/hr/decisions?unit=00002", only({L: 404, H: 404})),
    # Only the head of unit records grades (none chosen here: refused with a reason).
    Row("hr.grade_decisions", "POST", "/hr/decisions?unit=00001", only({L: 400})),
    Row("hr.grade_decisions", "POST", "/hr/decisions?unit=00002", only({L: 404, H: 404})),
    Row("rights.requests_list", "GET", "/yeu-cau-du-lieu", only({A: 200, L: 200})),
    Row("rights.requests_en", "GET", "/data-requests?open=1", only({A: 200, L: 200})),
    Row("rights.counter_request", "POST", "/inbox/cases/{their_case}/rights", only({L: 404}),
        {"kind": "erase_contact", "identity_checked": "y"}),
    Row("rights.counter_request", "POST", "/inbox/cases/{my_case}/rights", only({L: 303}),
        {"kind": "erase_contact", "identity_checked": "y"}),
    Row("rights.complete_request", "POST", "/inbox/cases/{their_case}/rights/999999/complete",
        only({L: 404}), {"identity_checked": "y"}),
    Row("dashboard.index", "GET", "/dashboard", only({A: 200, L: 200, H: 200, S: 200})),
    Row("dashboard.chart", "GET", "/dashboard/chart/guessed.svg",
        only({A: 404, L: 404, H: 404, S: 404})),
    Row("dashboard.export", "GET", "/dashboard/export/guessed.csv",
        only({A: 404, L: 404, H: 404, S: 404})),
    Row("dashboard.boards_list", "GET", "/dashboard/boards", only({A: 200})),
    Row("dashboard.publish_board", "POST", "/dashboard/boards/{their_centre}/publish",
        only({A: 404})),
    Row("dashboard.board_staff_names", "POST", "/dashboard/boards/{their_centre}/staff-names",
        only({A: 404})),
]

#: Public routes: (endpoint, method, path). A guessed token gets the same answer whoever asks,
#: and never the page (status >= 400); routes without a token answer everyone alike.
PUBLIC_GUESSED = [
    ("feedback.respond", "GET", "/s/guessed-token"),
    ("feedback.thanks", "GET", "/s/guessed-token/thanks"),
    ("visits.respond", "GET", "/v/guessed-token"),
    ("visits.thanks", "GET", "/v/guessed-token/thanks"),
    ("kiosk.kiosk_page", "GET", "/k/guessed-token"),
    ("kiosk.enrol", "GET", "/k/enrol/guessed-code"),
    ("kiosk.receive_answers", "POST", "/k/api/answers"),
    ("api.centre", "GET", "/api/v1/centre"),
    ("api.create", "POST", "/api/v1/visits"),
    ("api.status", "GET", "/api/v1/visits/guessed-id"),
    ("cases.followup", "GET", "/f/guessed-token"),
    ("dashboard.board", "GET", "/board/guessed-token"),
    ("rights.ask", "POST", "/tra-cuu/yeu-cau"),
    ("rights.ask_en", "POST", "/track/request"),
    ("rights.confirm", "POST", "/tra-cuu/xac-nhan"),
    ("rights.confirm_en", "POST", "/track/confirm"),
]
PUBLIC_OPEN = [
    ("accounts.login", "GET", "/login"),
    ("health.healthz", "GET", "/healthz"),
    ("kiosk.service_worker", "GET", "/k/sw.js"),
    ("api.openapi", "GET", "/api/v1/openapi.json"),
    ("cases.track", "GET", "/tra-cuu"),
    ("feedback.privacy", "GET", "/rieng-tu"),
    ("feedback.privacy_en", "GET", "/privacy"),
    ("cases.track_en", "GET", "/track"),
    ("static", "GET", "/static/app.css"),
    ("favicon", "GET", "/favicon.ico"),
]


@pytest.fixture
def world(app, create_org, store, sign_in, built_once):
    """Two wards in two provinces, each with a case, a response without a case and an alert;
    one signed-in client per role, all in ward 00001 (HR in its province)."""
    ids, mine, theirs = built_once("cases: two wards with cases and alerts",
                                   lambda: _two_wards(app, create_org, store))
    clients = {
        "anon": app.test_client(),
        "admin": sign_in(Role.ADMIN, "00001"),
        "leader": sign_in(Role.LEADER, "00001"),
        "hr": sign_in(Role.HR, "P00001"),
        "staff": sign_in(Role.STAFF, "00001", staff_id=mine["counters"][0]["staff_id"]),
    }
    return ids, clients, theirs


def _two_wards(app, create_org, store) -> tuple[dict, dict, dict]:
    mine, theirs = create_org("00001"), create_org("00002")
    now = datetime.now(UTC)
    ids = {}
    for name, org in (("my", mine), ("their", theirs)):
        flagged = store(org, rating=5, comment="Phải đưa tiền", integrity=True,
                        at=now - timedelta(minutes=1))
        ids[f"{name}_case"] = flagged["case_id"]
        ids[f"{name}_response"] = store(org, rating=5)["public_id"]
        ids[f"{name}_counter"] = org["counters"][0]["id"]
        ids[f"{name}_centre"] = org["centre_id"]
        ids[f"{name}_ward"] = org["ward_id"]
        ids[f"{name}_staff"] = org["counters"][0]["staff_id"]
        with app.app_context():
            ids[f"{name}_alert"] = db.session.execute(
                db.select(CentreAlert.id).where(CentreAlert.centre_id == org["centre_id"])
            ).scalar_one()
    return ids, mine, theirs


def _request(client, method: str, path: str, data: dict | None, ids: dict):
    if method == "GET":
        return client.get(path)
    html = client.get("/login").get_data(as_text=True)
    token = CSRF.search(html)
    form = {k: v.format(**ids) for k, v in (data or {}).items()}
    if token:
        form["csrf_token"] = token.group(1)
    elif client.get("/account/password").status_code == 200:
        form["csrf_token"] = CSRF.search(
            client.get("/account/password").get_data(as_text=True)).group(1)
    return client.post(path, data=form)


def test_every_route_is_in_the_matrix(app):
    covered = {row.endpoint for row in BACK_OFFICE} | {e for e, _m, _p in PUBLIC_GUESSED} \
        | {e for e, _m, _p in PUBLIC_OPEN}
    missing = sorted(r.endpoint for r in app.url_map.iter_rules())
    missing = sorted(set(missing) - covered)
    assert not missing, f"routes missing from the access matrix: {missing}"


def test_back_office_routes_by_role_and_ward(app, world):
    ids, clients, theirs = world
    wrong = []
    for row in BACK_OFFICE:
        path = row.path.format(**ids)
        for role in ROLES:
            if row.endpoint == "accounts.logout":
                continue
            status = _request(clients[role], row.method, path, row.data, ids).status_code
            if status != row.expected[role]:
                wrong.append(f"{role:6} {row.method} {path}: {status}, "
                             f"expected {row.expected[role]}")
    assert not wrong, "\n".join(wrong)
    with app.app_context():  # nothing of the other ward changed
        their_case = db.session.get(Case, ids["their_case"])
        assert [e.kind for e in their_case.events] == [EventKind.OPENED]
        assert db.session.get(CentreAlert, ids["their_alert"]).acknowledged_at is None
        assert db.session.execute(db.select(db.func.count()).select_from(CounterToken).where(
            CounterToken.counter_id == ids["their_counter"],
            CounterToken.revoked_at.is_not(None))).scalar_one() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(Case)).scalar_one() \
            == 3  # two flagged responses + the one the leader opened in their own ward


def test_lists_show_only_the_users_ward(world):
    ids, clients, _theirs = world
    for role in ("leader", "hr"):
        html = clients[role].get("/inbox").get_data(as_text=True)
        assert f'/inbox/cases/{ids["my_case"]}"' in html
        assert f'/inbox/cases/{ids["their_case"]}"' not in html
    landing = clients["leader"].get("/leader").get_data(as_text=True)
    assert f'/leader/alerts/{ids["my_alert"]}/' in landing
    assert f'/leader/alerts/{ids["their_alert"]}/' not in landing
    responses = clients["leader"].get("/inbox/responses").get_data(as_text=True)
    assert ids["my_response"] in responses and ids["their_response"] not in responses


def test_signing_out_needs_a_session_and_a_token(world):
    _ids, clients, _theirs = world
    assert clients["anon"].post("/logout").status_code == 302
    for role in ROLES[1:]:
        assert clients[role].post("/logout").status_code == 400
        assert _request(clients[role], "POST", "/logout", None, {}).status_code == 303
        assert clients[role].get("/account/password").status_code == 302


@pytest.mark.parametrize(("endpoint", "method", "path"), PUBLIC_GUESSED)
def test_guessed_public_tokens_are_refused_alike_for_everyone(world, endpoint, method, path):
    _ids, clients, _theirs = world
    statuses = {role: (clients[role].get(path) if method == "GET"
                       else clients[role].post(path, json={})).status_code for role in ROLES}
    assert len(set(statuses.values())) == 1, statuses
    assert statuses["anon"] >= 400


@pytest.mark.parametrize(("endpoint", "method", "path"), PUBLIC_OPEN)
def test_open_public_routes_answer_everyone_alike(world, endpoint, method, path):
    _ids, clients, _theirs = world
    statuses = {}
    for role in ROLES:
        with clients[role].get(path) as response:
            statuses[role] = response.status_code
    assert set(statuses.values()) == {200}, statuses
