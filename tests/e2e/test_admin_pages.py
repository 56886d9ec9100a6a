"""The administrator's pages in a real browser: accounts (create, reset with a forced change at
the next sign-in, disable), editing and deactivating a counter and what the citizen then sees,
replacing a QR code only after a confirmation, and the administration log."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.support import fill_login_form

NEW_PASSWORD = "mat-khau-rieng-cua-lanh-dao"


def _temporary_password(page: Page) -> str:
    return page.locator("#temporary-password").inner_text().strip()


def _choose_new_password(page: Page, temporary: str) -> None:
    expect(page.get_by_role("status")).to_contain_text("do quản trị viên cấp")
    page.get_by_label("Mật khẩu hiện tại").fill(temporary)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()


def test_admin_creates_resets_and_disables_an_account(org, sign_in, new_page, shot):
    admin = sign_in(Role.ADMIN, "00001")
    admin.get_by_role("navigation", name="Chính").get_by_role("link", name="Tài khoản").click()
    admin.get_by_role("link", name="Thêm tài khoản").click()
    admin.get_by_label("Tên đăng nhập").fill("lanh.dao.phuong")
    admin.get_by_label("Vai trò").select_option(label="Lãnh đạo")
    admin.get_by_label("Đơn vị", exact=True).select_option(label="Phường 00001 (00001)")
    admin.get_by_role("button", name="Lưu").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(
        "Đã tạo tài khoản lanh.dao.phuong")
    temporary = _temporary_password(admin)
    shot(admin, "account-created")

    leader = new_page(phone=False)
    fill_login_form(leader, "lanh.dao.phuong", temporary)
    expect(leader).to_have_url(re.compile(r"/account/password$"))
    leader.goto("/inbox")  # any other page waits for the new password
    expect(leader).to_have_url(re.compile(r"/account/password$"))
    shot(leader, "forced-change")
    _choose_new_password(leader, temporary)
    expect(leader).to_have_url(re.compile(r"/leader$"))

    admin.goto("/admin/users/")
    admin.get_by_role("button", name="Cấp lại mật khẩu cho lanh.dao.phuong").click()
    reset = _temporary_password(admin)
    leader.goto("/leader")
    expect(leader).to_have_url(re.compile(r"/login"))  # the open session ended
    fill_login_form(leader, "lanh.dao.phuong", reset)
    expect(leader).to_have_url(re.compile(r"/account/password$"))
    _choose_new_password(leader, reset)
    expect(leader).to_have_url(re.compile(r"/leader$"))

    admin.goto("/admin/users/")
    admin.get_by_role("button", name="Khóa tài khoản lanh.dao.phuong").click()
    expect(admin.get_by_role("status")).to_contain_text("Đã khóa tài khoản lanh.dao.phuong")
    leader.goto("/leader")
    expect(leader).to_have_url(re.compile(r"/login"))
    fill_login_form(leader, "lanh.dao.phuong", NEW_PASSWORD)
    expect(leader.get_by_text("Sai tên đăng nhập hoặc mật khẩu.")).to_be_visible()

    admin.get_by_role("link", name="Nhật ký quản trị").click()
    log = admin.locator("table tbody")
    expect(log).to_contain_text("Cấp lại mật khẩu")
    expect(log).to_contain_text("Khóa tài khoản")
    expect(log).to_contain_text("/admin/users/new")
    shot(admin, "audit-log")


def test_admin_edits_and_deactivates_a_counter_and_the_citizen_is_told(org, sign_in,
                                                                        new_page, shot):
    admin = sign_in(Role.ADMIN, "00001")
    admin.get_by_role("link", name="Sửa Quầy 1").click()
    admin.get_by_label("Tên quầy").fill("Quầy Hộ tịch")
    admin.get_by_role("button", name="Lưu").click()
    expect(admin.get_by_role("status")).to_contain_text("Đã lưu thay đổi.")
    admin.get_by_role("link", name="Sửa Quầy Hộ tịch").click()
    admin.get_by_role("button", name="Ngừng hoạt động Quầy Hộ tịch").click()
    expect(admin.locator("tbody th")).to_contain_text("Ngừng hoạt động")
    shot(admin, "counter-deactivated")

    citizen = new_page()
    response = citizen.goto(f"/s/{org['counters'][0]['token']}")
    assert response.status == 410
    expect(citizen.get_by_role("heading", level=1)).to_have_text(
        "Quầy này đã ngừng hoạt động")
    expect(citizen.get_by_text("Quầy Hộ tịch của Trung tâm PVHCC 00001")).to_be_visible()
    shot(citizen, "citizen-closed-counter")


def test_replacing_a_qr_code_needs_a_confirmation_naming_centre_and_counter(org, sign_in,
                                                                           new_page, shot):
    token = org["counters"][0]["token"]
    admin = sign_in(Role.ADMIN, "00001")
    admin.get_by_role("link", name="Thay mã QR Quầy 1").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Thay mã QR của Quầy 1?")
    expect(admin.get_by_text("Trung tâm: Trung tâm PVHCC 00001")).to_be_visible()
    shot(admin, "confirm-qr")
    admin.get_by_role("link", name="Hủy").click()
    citizen = new_page()
    assert citizen.goto(f"/s/{token}").status == 200  # cancelled: the poster still works

    admin.get_by_role("link", name="Thay mã QR Quầy 1").click()
    admin.get_by_role("button", name="Đồng ý thay mã QR").click()
    expect(admin.get_by_role("status")).to_contain_text(
        "Đã thay mã QR của Quầy 1 (Trung tâm PVHCC 00001)")
    assert citizen.goto(f"/s/{token}").status == 410
