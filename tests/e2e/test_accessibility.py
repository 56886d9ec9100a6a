"""axe-core (from the npm registry) finds no serious or critical accessibility violation on the
pages citizens and staff use, in both languages; colour pairs of the palette meet 4.5:1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from core.db import db
from surveys import services
from surveys.models import Counter

CSS = Path(__file__).resolve().parents[2] / "core" / "static" / "app.css"


@pytest.fixture
def audit(axe, shot):
    """Check a loaded page with axe and keep a screenshot of it."""

    def check(page, name: str) -> None:
        shot(page, name)
        violations = axe(page)
        assert not violations, f"{name} ({page.url}):\n" + "\n".join(violations)

    return check


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_citizen_pages_have_no_serious_violations(app, org, new_page, audit, lang):
    token = org["counters"][0]["token"]
    page = new_page(bypass_csp=True)
    page.goto(f"/s/{token}?lang={lang}")
    audit(page, "form")
    page.locator("button.primary").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit(page, "form-with-errors")
    page.locator("fieldset.rating").first.locator("label").last.click()  # the one required
    page.locator("details.contact summary").click()
    audit(page, "contact-open")
    page.locator("button.primary").click()
    page.wait_for_url(re.compile(r"/thanks$"))
    audit(page, "thank-you")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_error_pages_have_no_serious_violations(app, org, new_page, audit, lang):
    with app.app_context():
        old = org["counters"][0]["token"]
        services.rotate_counter_token(db.session.get(Counter, org["counters"][0]["id"]))
        db.session.commit()
    page = new_page(bypass_csp=True)
    assert page.goto(f"/s/no-such-token?lang={lang}").status == 404
    audit(page, "404")
    assert page.goto(f"/s/{old}").status == 410
    audit(page, "410")


def test_the_audit_does_catch_violations(new_page, axe):
    page = new_page(bypass_csp=True)
    page.set_content('<html><body><main><form><input type="text"></form>'
                     '<p style="color:#aaa;background:#fff">faint</p></main></body></html>')
    found = " ".join(axe(page))
    assert "label (critical)" in found and "color-contrast (serious)" in found


def test_login_and_admin_pages_have_no_serious_violations(app, org, new_page, sign_in, audit):
    page = new_page(bypass_csp=True)
    page.goto("/login")
    audit(page, "login-phone")
    page.locator("button.primary").click()
    audit(page, "login-errors")
    page = sign_in(Role.ADMIN, bypass_csp=True)
    audit(page, "admin-organisation")
    page.goto("/admin/surveys")
    audit(page, "admin-surveys")
    page.goto("/admin/staff/import")
    audit(page, "admin-roster-import")
    page.locator("input[type=file]").set_input_files({
        "name": "danh-sach.csv", "mimeType": "text/csv",
        "buffer": "Mã cán bộ,Họ và tên,Vị trí việc làm,Mã đơn vị,Quầy,Ngày bắt đầu\n"
                  "CB1,,,99999,Quầy 9,32/13/2025\n".encode()})
    page.locator("button.primary").click()
    audit(page, "admin-roster-errors")
    counter, centre, staff = org["counters"][0]["id"], org["centre_id"], \
        org["counters"][0]["staff_id"]
    for path, name in ((f"/admin/counters/{counter}/edit", "admin-edit-counter"),
                       (f"/admin/centres/{centre}/edit", "admin-edit-centre"),
                       (f"/admin/staff/{staff}/edit", "admin-edit-staff"),
                       (f"/admin/counters/{counter}/rotate", "admin-confirm-qr"),
                       ("/admin/staff", "admin-staff"), ("/admin/units", "admin-units"),
                       ("/admin/users/", "admin-users"), ("/admin/users/new", "admin-new-user"),
                       ("/admin/audit", "admin-audit")):
        page.goto(path)
        audit(page, name)


def test_back_office_pages_have_no_serious_violations(org, sign_in, add_responses, audit):
    add_responses(org, [1], comment="Chờ quá lâu, cán bộ không hướng dẫn.")  # opens a case
    add_responses(org, [5, 4])
    page = sign_in(Role.LEADER, "00001", bypass_csp=True)
    audit(page, "leader-today")
    page.goto("/inbox")
    audit(page, "inbox")
    page.locator("table.cases tbody a").first.click()
    audit(page, "case")
    page.goto("/inbox/responses")
    audit(page, "responses")
    page = sign_in(Role.HR, "P00001", bypass_csp=True, locale="en-GB")
    page.goto("/hr/?unit=00001")
    audit(page, "hr-overview")
    page.locator("table a[href*='/hr/staff/']").first.click()
    audit(page, "hr-staff")
    page.goto("/hr/method")
    audit(page, "hr-method")
    page.goto("/hr/contests")
    audit(page, "hr-contests")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_text_colours_reach_4_5_to_1():
    found = re.findall(r"--(\w+):#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b",
                       CSS.read_text(encoding="utf-8"))
    palette = {name: "#" + (value if len(value) == 6 else "".join(c * 2 for c in value))
               for name, value in found}
    pairs = [("ink", "bg"), ("ink", "card"), ("muted", "bg"), ("muted", "card"),
             ("accent", "bg"), ("accent", "card"), ("err", "bg"), ("err", "card"),
             ("ok", "card"), ("card", "accent")]
    low = {f"{fg} on {bg}": round(_contrast(palette[fg], palette[bg]), 2) for fg, bg in pairs
           if _contrast(palette[fg], palette[bg]) < 4.5}
    assert not low, low
    assert _contrast(palette["accent"], "#dbe8f6") >= 4.5  # a chosen face: text on light blue
    assert _contrast(palette["err"], "#fbe9e9") >= 4.5  # an error flash
