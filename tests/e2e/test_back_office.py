"""The back office in a real browser: a citizen's complaint reaches the ward leader, who signs
in, opens the case, replies and resolves it; HR signs in and exports the staff report."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from accounts.models import Role
from core.db import db
from feedback.cases.models import Case, CaseEvent, CaseStatus


def _complain(new_page, token: str) -> None:
    """A citizen answers 'very dissatisfied', ticks the reason, comments and leaves a phone
    number."""
    page = new_page()
    page.goto(f"/s/{token}")
    page.locator("fieldset.rating").first.locator("label").first.click()
    page.get_by_label("Chờ quá lâu").check()
    page.get_by_label("Góp ý của Ông/Bà (không bắt buộc)").fill(
        "Chờ hai tiếng mà không ai hướng dẫn.")
    page.locator("details.contact summary").click()
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.locator("#contact_consent").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(re.compile(r"/thanks$"))


def test_leader_signs_in_opens_the_case_replies_and_resolves_it(app, org, new_page, sign_in,
                                                                  shot):
    _complain(new_page, org["counters"][0]["token"])

    page = sign_in(Role.LEADER, "00001")
    shot(page, "leader-home")
    page.get_by_role("navigation", name="Chính").get_by_role("link", name="Phản ánh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hộp thư phản ánh")
    row = page.locator("table.cases tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chờ hai tiếng mà không ai hướng dẫn.")
    shot(page, "inbox")

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phản ánh số")
    expect(page.get_by_text("0912345678")).to_be_visible()  # consented contact, for leaders
    shot(page, "case")

    page.get_by_label("Trả lời người dân").fill(
        "Trung tâm xin lỗi Ông/Bà và đã bố trí thêm cán bộ hướng dẫn.")
    page.get_by_role("button", name="Lưu nội dung trả lời").click()
    expect(page.locator(".timeline")).to_contain_text("đã bố trí thêm cán bộ hướng dẫn")
    shot(page, "replied")

    page.get_by_label("Kết quả xử lý: những việc đã làm (bắt buộc)").fill(
        "Đã bố trí thêm một công chức hướng dẫn tại sảnh.")
    page.get_by_role("button", name="Đánh dấu đã giải quyết").click()  # one step from "new"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã giải quyết")
    shot(page, "resolved")

    with app.app_context():
        [case] = db.session.execute(db.select(Case)).scalars().all()
        assert case.status == CaseStatus.RESOLVED and case.resolved_at is not None
        bodies = [e.body for e in db.session.execute(
            db.select(CaseEvent).filter_by(case_id=case.id)).scalars()]
        assert "Trung tâm xin lỗi Ông/Bà và đã bố trí thêm cán bộ hướng dẫn." in bodies


def test_hr_signs_in_and_exports_the_staff_report(org, sign_in, add_responses, shot):
    add_responses(org, [5, 4, 4, 2])
    page = sign_in(Role.HR, "P00001", locale="en-GB")
    shot(page, "hr-home")
    page.get_by_role("navigation", name="Main").get_by_role("link",
                                                             name="Staff evaluation").click()
    page.get_by_label("Ward, commune or special zone").select_option("00001")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name=org["counters"][0]["staff_name"])).to_be_visible()
    shot(page, "hr-report")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert re.fullmatch(r"danh-gia-00001-.+\.csv", download.value.suggested_filename)
    with open(download.value.path(), encoding="utf-8-sig") as f:
        rows = {row["staff"]: row for row in csv.DictReader(io.StringIO(f.read()))}
    assert rows[org["counters"][0]["staff_name"]]["counted"] == "4"

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_admin_imports_a_staff_roster_after_seeing_every_row_error(app, org, sign_in, shot):
    from core.timeutil import LOCAL_TZ
    from surveys.models import Assignment, Staff

    # the fixture's person sits at Quầy 1 since 30 days ago; the new one takes over tomorrow
    tomorrow = (datetime.now(LOCAL_TZ).date() + timedelta(days=1)).strftime("%d/%m/%Y")
    header = "Mã công chức,Họ và tên,Vị trí việc làm,Mã đơn vị,Quầy,Ngày bắt đầu\n"
    good = f"CB901,Trần Thị Mai,Công chức một cửa,00001,Quầy 1,{tomorrow}\n"
    bad = good + "CB901,Lê Văn Nam,Công chức,00001,Quầy 9,31/02/2025\n"
    page = sign_in(Role.ADMIN, "00001")
    page.goto("/admin/")
    page.get_by_role("link", name="Nhập danh sách công chức").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách công chức")
    file_input = page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)")
    file_input.set_input_files({"name": "danh-sach.csv", "mimeType": "text/csv",
                                "buffer": (header + bad).encode()})
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("alert")).to_contain_text("1 trên 2 dòng có lỗi")
    errors = page.locator("table tbody tr").nth(1)
    expect(errors).to_contain_text("Mã công chức CB901 bị trùng (đã có ở dòng 2).")
    expect(errors).to_contain_text("Không có quầy Quầy 9 tại đơn vị 00001.")
    expect(errors).to_contain_text("Ngày bắt đầu 31/02/2025 không hợp lệ")
    expect(page.get_by_role("button", name=re.compile("^Lưu"))).to_have_count(0)
    shot(page, "roster-errors")

    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        {"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": (header + good).encode()})
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_role("button", name="Lưu 1 dòng này").click()
    expect(page.get_by_text("Đã lưu danh sách: 1 công chức được thêm")).to_be_visible()
    with app.app_context():
        staff = db.session.execute(db.select(Staff).filter_by(code="CB901")).scalar_one()
        assert staff.position == "Công chức một cửa"
        assert db.session.execute(db.select(db.func.count()).select_from(Assignment)
                                  .filter_by(staff_id=staff.id)).scalar_one() == 1
