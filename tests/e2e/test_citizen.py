"""A citizen on a phone completes the survey in a real browser, in Vietnamese and in English,
meets a validation error and recovers; by keyboard alone; and at 200 % zoom."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from core.db import db
from feedback.models import Answer, Response


def _stored(app) -> list[tuple[Response, list[int]]]:
    with app.app_context():
        responses = db.session.execute(db.select(Response)).scalars().all()
        return [(r, sorted(int(a.value) for a in db.session.execute(
            db.select(Answer).filter_by(response_id=r.id)).scalars())) for r in responses]


def _groups(page: Page):
    return page.locator("fieldset.rating")


def _rate_all(page: Page, label: str) -> int:
    """Tap the face with this label in every rating group; returns how many groups."""
    groups = _groups(page)
    for i in range(groups.count()):
        groups.nth(i).locator("label").filter(has_text=re.compile(rf"^\W*{label}$")).click()
    return groups.count()


def test_vietnamese_citizen_meets_an_error_and_recovers(app, org, new_page, shot):
    page = new_page()
    page.goto(f"/s/{org['counters'][0]['token']}")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mời Ông/Bà đánh giá sự phục vụ hôm nay")
    expect(page.get_by_text(org["counters"][0]["staff_name"])).to_be_visible()
    for group in _groups(page).all():  # each rating: a group named by its legend, 5 radios
        legend = group.locator("legend").inner_text()
        expect(page.get_by_role("group", name=legend, exact=True).get_by_role("radio")) \
            .to_have_count(5)
    shot(page, "form")

    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Vui lòng kiểm tra các câu được đánh dấu bên dưới.")
    first = _groups(page).first
    expect(first.get_by_text("Vui lòng chọn một câu trả lời.")).to_be_visible()
    expect(first).to_have_attribute("aria-describedby", re.compile(r"-error$"))
    shot(page, "validation-error")
    assert _stored(app) == []

    count = _rate_all(page, "Hài lòng")
    page.get_by_label("Góp ý của Ông/Bà (không bắt buộc)").fill("Cán bộ hướng dẫn rất tận tình.")
    shot(page, "answered")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã góp ý!")
    assert page.url.endswith("/thanks")
    shot(page, "thank-you")

    [(response, ratings)] = _stored(app)
    assert response.locale == "vi" and response.comment == "Cán bộ hướng dẫn rất tận tình."
    assert ratings == [4] * count and count >= 5


def test_english_citizen_switches_language_and_fixes_the_contact_error(app, org, new_page, shot):
    page = new_page(locale="en-GB")
    page.goto(f"/s/{org['counters'][0]['token']}")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # from Accept-Language
    page.goto(f"/s/{org['counters'][0]['token']}?lang=vi")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("How was our service today?")
    shot(page, "form-english")

    _rate_all(page, "Very satisfied")
    page.get_by_text("Would you like the centre to call you back? (optional)").click()
    page.get_by_label("Phone number").fill("0912 345 678")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the answers marked below.")
    expect(page.locator("#contact_consent-error")).to_contain_text(
        "To be contacted, tick this box.")
    expect(page.get_by_role("alert").get_by_role("link")).to_have_attribute(
        "href", "#contact_consent")  # the summary leads to the one question to fix
    expect(page.get_by_label("Phone number")).to_have_value("0912345678")
    expect(_groups(page).first.get_by_role("radio", name="Very satisfied")).to_be_checked()
    shot(page, "consent-error")
    assert _stored(app) == []

    page.get_by_label(re.compile(r"^I agree that the centre may contact me")).check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback!")
    shot(page, "thank-you")

    [(response, ratings)] = _stored(app)
    assert response.locale == "en" and response.contact_consent_at is not None
    assert response.contact_phone and set(ratings) == {5}


def test_form_can_be_completed_with_the_keyboard_alone(app, org, new_page, shot):
    page = new_page(phone=False)
    page.goto(f"/s/{org['counters'][0]['token']}")
    groups = _groups(page).count()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Chuyển đến nội dung")).to_be_focused()
    for _ in range(20):  # past the skip link and the language link, into the first group
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    for _ in range(groups):
        assert page.evaluate("document.activeElement.type") == "radio"
        page.keyboard.press("ArrowRight")  # moves to and selects the next face: "Dissatisfied"
        page.keyboard.press("ArrowRight")  # "Neutral"
        page.keyboard.press("Tab")
    shot(page, "keyboard-rated")
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Gửi đánh giá")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã góp ý!")
    [(_, ratings)] = _stored(app)
    assert ratings == [3] * groups


def test_form_is_usable_at_200_percent_zoom(app, org, new_page, shot):
    # A 360 px wide phone at 200 % zoom lays the page out in 180 CSS pixels.
    page = new_page(viewport={"width": 180, "height": 370}, device_scale_factor=4)
    page.goto(f"/s/{org['counters'][0]['token']}")
    shot(page, "zoomed-form")
    overflow = page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at 200 % zoom"
    _rate_all(page, "Rất hài lòng")
    send = page.get_by_role("button", name="Gửi đánh giá")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 180 and box["height"] >= 44
    shot(page, "zoomed-answered")
    send.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã góp ý!")
    assert len(_stored(app)) == 1
