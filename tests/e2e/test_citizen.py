"""A citizen on a phone completes the survey in a real browser, in Vietnamese and in English,
meets a validation error and recovers; by keyboard alone; and at 200 % zoom."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from core.db import db
from feedback.models import Answer, Response
from feedback.reasons import DissatisfactionReason

#: The Playwright phone (360 × 740 CSS pixels): the form up to Send fits in two screens.
SCREEN_HEIGHT = 740


def _stored(app) -> list[tuple[Response, list[int]]]:
    with app.app_context():
        responses = db.session.execute(db.select(Response)).scalars().all()
        return [(r, sorted(int(a.value) for a in db.session.execute(
            db.select(Answer).filter_by(response_id=r.id)).scalars())) for r in responses]


def _groups(page: Page):
    return page.locator("fieldset.rating")


def _unfold(page: Page) -> None:
    """Open the folded optional questions."""
    folded = page.locator("details.more:not([open]) > summary")
    while folded.count():
        folded.first.click()


def _rate_all(page: Page, label: str) -> int:
    """Tap the face with this label in every rating group (the folded ones unfolded first);
    returns how many groups."""
    _unfold(page)
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
    _unfold(page)
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
    assert groups == 5
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("ArrowRight")  # moves to and selects the next face: "Dissatisfied"
    page.keyboard.press("ArrowRight")  # "Neutral": on the "không hài lòng" level
    page.keyboard.press("Tab")  # into the reasons the answer now shows, without a script
    assert page.evaluate("document.activeElement.value") == "waiting"
    page.keyboard.press("Space")
    shot(page, "keyboard-rated")
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Gửi đánh giá")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã góp ý!")
    [(response, ratings)] = _stored(app)
    assert ratings == [3]  # the folded questions were not answered
    with app.app_context():
        assert db.session.execute(db.select(DissatisfactionReason.code)).scalar_one() == "waiting"


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


def test_the_form_up_to_send_fits_in_two_phone_screens_with_the_options_folded(
        app, org, new_page, shot):
    page = new_page()
    page.goto(f"/s/{org['counters'][0]['token']}")
    assert page.viewport_size == {"width": 360, "height": SCREEN_HEIGHT}
    assert page.locator("details.more[open]").count() == 0
    expect(page.locator("fieldset.rating").first).to_be_visible()
    assert page.locator("fieldset.rating:visible").count() == 1
    path = shot(page, "form-folded")
    send = page.get_by_role("button", name="Gửi đánh giá")
    bottom = page.evaluate("(el) => el.getBoundingClientRect().bottom + window.scrollY",
                           send.element_handle())
    assert bottom <= 2 * SCREEN_HEIGHT, f"Send ends at {bottom:.0f} px"
    # The screenshot is of the whole page: its height (device pixels ÷ 2) tells the same.
    with path.open("rb") as image:
        image.seek(20)
        height = int.from_bytes(image.read(4), "big") / 2
    assert height <= 2 * SCREEN_HEIGHT + 100, f"page is {height:.0f} px tall"
    faces = page.locator("fieldset.rating").first.locator("label.face").all()
    tops = {round(face.bounding_box()["y"]) for face in faces}
    assert len(faces) == 5 and len(tops) == 1  # one row of five faces


def test_a_dissatisfied_citizen_is_asked_the_reason_before_anything_is_stored(
        app, org, new_page, shot):
    page = new_page()
    page.goto(f"/s/{org['counters'][0]['token']}")
    reasons = page.locator("fieldset.reasons-inline")
    expect(reasons).to_be_hidden()
    page.locator("fieldset.rating").first.locator("label").filter(
        has_text=re.compile(r"^\W*Rất không hài lòng$")).click()
    expect(reasons).to_be_visible()  # shown by the stylesheet alone
    page.get_by_role("button", name="Gửi đánh giá").click()  # no reason ticked
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chúng tôi rất tiếc. Ông/Bà chưa hài lòng về điều gì?")
    shot(page, "reason-step")
    assert _stored(app) == []
    page.get_by_label("Chờ quá lâu").check()
    page.get_by_label("Góp ý của Ông/Bà (không bắt buộc)").fill("Chờ hơn một tiếng.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã góp ý!")
    [(response, ratings)] = _stored(app)
    assert ratings == [1] and response.comment == "Chờ hơn một tiếng."
    with app.app_context():
        assert db.session.execute(db.select(DissatisfactionReason.code)).scalar_one() == "waiting"
