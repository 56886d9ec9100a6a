"""Everyday frictions, in a real browser: the error summary takes the citizen to each missed
question, the phone field brings up the phone keypad, an alert leads the leader to its case, a
case cannot be resolved without its outcome, the dashboard opens on the last full month, and the
main pages fit a 360 px phone and a 1280 px screen (screenshots of both)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from core.db import db
from core.timeutil import local_today
from feedback.cases.models import Case, CaseStatus
from feedback.periods import PeriodKind, containing

BRIBE = "Cán bộ vòi tiền 500 nghìn mới nhận hồ sơ"


def test_error_summary_links_to_each_missed_question(org, new_page, shot):
    page = new_page()
    page.goto(f"/s/{org['counters'][0]['token']}")
    page.get_by_role("button", name="Gửi đánh giá").click()
    summary = page.get_by_role("alert")
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)  # the one required question (the overall), none other
    shot(page, "summary")
    overall = page.locator("fieldset.rating").first
    expect(links.first).to_contain_text(overall.locator("legend").inner_text())
    links.first.click()
    assert page.url.endswith("#" + overall.get_attribute("id"))
    assert page.evaluate("document.activeElement.id") == overall.get_attribute("id")
    expect(overall).to_be_in_viewport()
    shot(page, "jumped-to-question")


def test_phone_field_brings_up_the_phone_keypad(org, new_page):
    page = new_page()
    page.goto(f"/s/{org['counters'][0]['token']}")
    page.locator("details.contact summary").click()
    phone = page.get_by_label("Số điện thoại")
    expect(phone).to_have_attribute("type", "tel")
    expect(phone).to_have_attribute("autocomplete", "tel")
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", re.compile("favicon"))


def test_an_alert_leads_the_leader_to_its_case(app, org, sign_in, add_responses, shot):
    add_responses(org, [2], comment=BRIBE)  # an integrity alert and its urgent case
    with app.app_context():
        case_id = db.session.execute(db.select(Case.id)).scalar_one()
    page = sign_in(Role.LEADER, "00001")
    page.goto("/leader")
    alerts = page.locator("section[aria-labelledby=alerts-title]")
    expect(alerts).to_contain_text("Dấu hiệu tiêu cực")
    shot(page, "alert")
    alerts.get_by_role("link", name=f"Phản ánh số {case_id}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Phản ánh số {case_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Khẩn")


def test_a_case_cannot_be_resolved_without_its_outcome(app, org, sign_in, add_responses, shot):
    add_responses(org, [1], comment=BRIBE)
    with app.app_context():
        case_id = db.session.execute(db.select(Case.id)).scalar_one()
    page = sign_in(Role.LEADER, "00001")
    page.goto(f"/inbox/cases/{case_id}")
    expect(page.locator("#reply-reach")).to_contain_text("Không liên hệ được với người dân")
    resolve = page.get_by_role("button", name="Đánh dấu đã giải quyết")
    resolve.click()  # nothing written: the browser keeps the form, the case stays new
    outcome = page.get_by_label("Kết quả xử lý: những việc đã làm (bắt buộc)")
    assert outcome.evaluate("element => element.validity.valueMissing")
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.required = false)")
    resolve.click()  # and the server refuses it too
    expect(page.get_by_role("status").first).to_contain_text("Vui lòng ghi kết quả xử lý")
    with app.app_context():
        assert db.session.get(Case, case_id).status == CaseStatus.NEW
    shot(page, "refused")
    page.get_by_label("Kết quả xử lý: những việc đã làm (bắt buộc)").fill(
        "Đã xác minh với công chức và người dân; đã xử lý theo quy định.")
    page.get_by_role("button", name="Đánh dấu đã giải quyết").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã giải quyết")
    expect(page.locator("body")).to_contain_text("Người xử lý: leader.e2e")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.RESOLVED and case.assignee is not None


def test_dashboard_opens_on_the_last_full_month(org, sign_in, add_responses, shot):
    add_responses(org, [5, 4])
    page = sign_in(Role.HR, "P00001")
    page.goto("/dashboard")
    last_month = containing(PeriodKind.MONTH, local_today()).previous().key()
    expect(page.locator("p.lead")).to_contain_text(f"Kỳ {last_month},")
    expect(page.get_by_label("Kỳ", exact=True)).to_have_value(last_month)
    shot(page, "dashboard")


@pytest.mark.parametrize("width", [360, 1280])
def test_main_pages_fit_the_screen(app, org, new_page, sign_in, add_responses, shot, width):
    """Form, inbox, case page and dashboard: no sideways scrolling of the page at either width
    (wide tables scroll inside their own box); the screenshots are reviewed by eye."""
    add_responses(org, [1], comment="Chờ quá lâu, không ai hướng dẫn.")
    add_responses(org, [5, 4, 4])
    size = {"viewport": {"width": width, "height": 800}}
    citizen = new_page(**size)
    citizen.goto(f"/s/{org['counters'][0]['token']}")
    pages = [("form", citizen)]
    leader = sign_in(Role.LEADER, "00001", **size)
    leader.goto("/inbox")
    pages.append(("inbox", leader))
    for name, page in pages:
        shot(page, f"{name}-{width}")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, name
    leader.locator("table.cases tbody a").first.click()
    shot(leader, f"case-{width}")
    assert leader.evaluate("document.scrollingElement.scrollWidth") <= width
    hr = sign_in(Role.HR, "P00001", username="hr2.e2e", **size)
    hr.goto("/dashboard")
    shot(hr, f"dashboard-{width}")
    assert hr.evaluate("document.scrollingElement.scrollWidth") <= width
