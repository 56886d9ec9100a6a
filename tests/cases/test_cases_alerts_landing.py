"""Per-centre alerts (open, acknowledge, close on recovery, own thresholds) and the leader's
landing page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from cases_support import csrf_of

from accounts.models import Role
from core.db import db
from feedback.cases import alerts
from feedback.cases.models import AlertKind, CentreAlert


def _alerts(app) -> list[tuple]:
    with app.app_context():
        return [(a.kind, a.matching, a.total, a.resolved_at is None) for a in db.session.execute(
            db.select(CentreAlert).order_by(CentreAlert.id)).scalars()]


def test_half_unhappy_of_at_least_four_in_fifteen_minutes_opens_then_recovers(app, org, store):
    now = datetime.now(UTC)
    store(org, rating=5, at=now - timedelta(minutes=40))
    store(org, rating=1, reasons=("waiting",), at=now - timedelta(minutes=12))
    store(org, rating=5, at=now - timedelta(minutes=10))
    store(org, rating=1, reasons=("waiting",), at=now - timedelta(minutes=9))
    assert _alerts(app) == []  # 2 of 3 in the window: too few responses
    store(org, rating=4, at=now - timedelta(minutes=8))
    assert _alerts(app) == [(AlertKind.UNHAPPY, 2, 4, True)]
    store(org, rating=5, at=now - timedelta(minutes=7))  # 2 of 5: below half
    assert _alerts(app) == [(AlertKind.UNHAPPY, 2, 4, False)]


def test_an_integrity_alert_alerts_at_once_and_closes_when_the_window_is_clear(app, org, store):
    now = datetime.now(UTC)
    store(org, rating=5, comment="Phải đưa tiền", integrity=True, at=now - timedelta(minutes=20))
    assert _alerts(app) == [(AlertKind.INTEGRITY, 1, 1, True)]
    with app.app_context():
        alerts.refresh([org["centre_id"]], now, app.config)
        db.session.commit()
    assert _alerts(app) == [(AlertKind.INTEGRITY, 1, 1, False)]


def test_a_centre_can_have_its_own_thresholds(app, org, store, sign_in):
    leader = sign_in(Role.LEADER, "00001")
    assert leader.post(f"/leader/alerts/rules/{org['centre_id']}", data={
        "csrf_token": csrf_of(leader), "window_minutes": "30", "unhappy_percent": "100",
        "min_responses": "2"}).status_code == 303
    now = datetime.now(UTC)
    store(org, rating=1, reasons=("waiting",), comment="Có tiền cà phê", integrity=True,
          at=now - timedelta(minutes=25))
    assert _alerts(app) == []  # integrity alerts switched off for this centre
    store(org, rating=1, reasons=("waiting",), at=now - timedelta(minutes=1))
    assert _alerts(app) == [(AlertKind.UNHAPPY, 2, 2, True)]
    page = leader.get("/leader/alerts/rules").get_data(as_text=True)
    assert "Ngưỡng riêng" in page and 'value="30"' in page
    bad = leader.post(f"/leader/alerts/rules/{org['centre_id']}", data={
        "csrf_token": csrf_of(leader), "window_minutes": "1", "unhappy_percent": "50",
        "min_responses": "2"})
    assert "Từ 5 đến 240." in leader.get(bad.headers["Location"]).get_data(as_text=True)


def test_leader_sees_and_acknowledges_an_alert_on_the_landing_page(app, org, store, sign_in):
    now = datetime.now(UTC)
    for minutes in (4, 3, 2, 1):
        store(org, rating=1, reasons=("waiting",), at=now - timedelta(minutes=minutes))
    leader = sign_in(Role.LEADER, "00001")
    page = leader.get("/leader").get_data(as_text=True)
    assert "Nhiều người dân không hài lòng" in page and "4 trong số 4 phiếu" in page
    assert "Chưa khắc phục" in page
    alert_id = int(re.search(r"/leader/alerts/(\d+)/acknowledge", page).group(1))
    assert leader.post(f"/leader/alerts/{alert_id}/acknowledge",
                       data={"csrf_token": csrf_of(leader), "comment": ""}).status_code == 303
    assert leader.post(f"/leader/alerts/{alert_id}/acknowledge", data={
        "csrf_token": csrf_of(leader), "comment": "Đã mở thêm quầy 2"}).status_code == 303
    page = leader.get("/leader").get_data(as_text=True)
    assert "Đã mở thêm quầy 2" in page and f"/leader/alerts/{alert_id}/acknowledge" not in page
    other = sign_in(Role.LEADER, "00001", username="lanhdao2")
    again = other.post(f"/leader/alerts/{alert_id}/acknowledge", data={
        "csrf_token": csrf_of(other), "comment": "Không có gì"})
    assert again.status_code == 409
    assert "đã được ghi nhận trước đó" in again.get_data(as_text=True)
    with app.app_context():
        alert = db.session.get(CentreAlert, alert_id)
        assert alert.ack_comment == "Đã mở thêm quầy 2"


def test_landing_page_counts(app, org, store, sign_in):
    now = datetime.now(UTC)
    store(org, rating=1, reasons=("waiting",), comment="Hôm nay chờ lâu")
    store(org, rating=5, comment="Có người đòi tiền", integrity=True,
          at=now - timedelta(days=40))
    store(org, rating=1,
          reasons=("waiting",), comment="Tuần trước chậm", at=now - timedelta(days=9))
    leader = sign_in(Role.LEADER, "00001")
    page = leader.get("/leader").get_data(as_text=True)
    today = page.split('id="today-title"')[1].split("</section>")[0]
    assert "Hôm nay chờ lâu" in today and "Tuần trước chậm" not in today
    urgent = page.split('id="urgent-title"')[1].split("</section>")[0]
    assert "Có người đòi tiền" in urgent
    overdue = page.split('id="overdue-title"')[1].split("</section>")[0]
    assert "Tuần trước chậm" in overdue and "Có người đòi tiền" in overdue
    assert "Hôm nay chờ lâu" not in overdue
    month = page.split('id="month-title"')[1].split("</section>")[0]
    this_month = month.split("Tháng này")[1].split("</tr>")[0]
    assert re.search(r"<td>0\s?%</td>", this_month)  # every response this month rated 1


def test_an_alert_links_to_its_case_and_a_recovered_one_asks_nothing(app, org, store, sign_in):
    now = datetime.now(UTC)
    case_id = store(org, rating=5, comment="Phải đưa tiền mới xong", integrity=True,
                    at=now - timedelta(minutes=20))["case_id"]
    store(org, rating=5, at=now - timedelta(days=2))  # an older case-less response: no link
    leader = sign_in(Role.LEADER, "00001")
    page = leader.get("/leader").get_data(as_text=True)
    alert = page.split('id="alerts-title"')[1].split("</section>")[0]
    assert f'href="/inbox/cases/{case_id}"' in alert
    assert "Hết cảnh báo lúc" in alert  # recovered: the window has no flagged response left
    assert "/acknowledge" not in alert and "<textarea" not in alert
    assert "tự trở lại ổn định" in alert
