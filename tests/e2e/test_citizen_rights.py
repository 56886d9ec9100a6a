"""A citizen complains on the form leaving an e-mail address, notes the reference, follows the
case on /tra-cuu and has their contact details erased with the code e-mailed to them; axe-core
finds no serious violation on the new pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.db import db
from feedback.models import Response
from feedback.rights.models import DataSubjectRequest, RequestKind, Verification

REFERENCE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")
CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def app(make_app, smtp_server):
    """The app e-mails through the test SMTP server, whose outbox the test reads."""
    return make_app(**smtp_server.config())


def test_complain_track_and_erase_contact_with_the_emailed_code(app, org, new_page, shot,
                                                               smtp_server, axe):
    page = new_page(bypass_csp=True)  # axe-core is injected inline
    page.goto(f"/s/{org['counters'][0]['token']}")
    page.locator("fieldset.rating").first.locator("label").filter(
        has_text=re.compile(r"^\W*Rất không hài lòng$")).click()
    page.get_by_label("Chờ quá lâu").check()
    page.get_by_label("Góp ý của Ông/Bà (không bắt buộc)").fill(
        "Chờ hơn hai tiếng, không ai hướng dẫn.")
    page.locator("details.contact summary").click()
    page.locator("input[name=contact_consent]").check()
    page.locator("input[name=contact_email]").fill("lan@example.vn")
    shot(page, "complaint")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã góp ý!")
    reference = REFERENCE.search(page.locator("main").inner_text()).group(0)
    shot(page, "reference")

    page.get_by_role("link", name="Tra cứu phản ánh, kiến nghị").click()
    page.get_by_label("Mã số").fill(reference.lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("dd strong").first).to_have_text("Mới")
    shot(page, "tracked")
    assert not axe(page)

    page.get_by_label("xóa thông tin liên hệ").check()
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận yêu cầu")
    [(recipients, subject, body)] = smtp_server.texts()
    assert recipients == ["lan@example.vn"] and reference in body
    page.get_by_label("Mã xác nhận").fill(CODE.search(subject).group(1))
    shot(page, "code")
    assert not axe(page)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã thực hiện yêu cầu")
    expect(page.get_by_text("địa chỉ thư điện tử", exact=False)).to_be_visible()
    shot(page, "erased")
    assert not axe(page)

    with app.app_context():
        response = db.session.execute(db.select(Response)).scalar_one()
        assert response.contact_email is None and not response.has_contact
        request = db.session.execute(db.select(DataSubjectRequest)).scalar_one()
        assert request.kind == RequestKind.ERASE_CONTACT
        assert request.verification == Verification.EMAIL_CODE
        assert request.completed_at is not None and request.due_on >= request.received_at.date()
