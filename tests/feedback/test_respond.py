"""The citizen form: answering, validation, idempotency and what gets stored."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from core.db import db
from feedback.models import Answer, Response
from surveys import services
from surveys.models import Counter, Staff


def test_form_shows_centre_counter_and_staff_on_duty_in_vietnamese(client, org):
    counter = org["counters"][0]
    html = client.get(f"/s/{counter['token']}").get_data(as_text=True)
    assert "Trung tâm PVHCC 00001" in html
    assert "Quầy 1" in html
    assert counter["staff_name"] in html
    assert 'lang="vi"' in html
    assert "Rất hài lòng" in html and "Rất không hài lòng" in html
    assert "English" in html  # visible switch


def test_english_by_query_then_cookie_and_by_accept_language(client, org):
    url = f"/s/{org['counters'][0]['token']}"
    html = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Very satisfied" in html and 'lang="en"' in html
    assert "Overall, how satisfied" in html
    assert "Very satisfied" in client.get(url).get_data(as_text=True)  # cookie remembered
    other = client.application.test_client()
    assert "Very satisfied" in other.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"}) \
        .get_data(as_text=True)
    assert "Rất hài lòng" in other.get(url, headers={"Accept-Language": "fr"}).get_data(
        as_text=True)


def test_every_control_is_labelled_and_ratings_are_fieldsets(survey_page):
    import re

    html = survey_page.client.get(survey_page.url).get_data(as_text=True)
    ids = re.findall(r'<(?:input(?! [^>]*type="hidden")|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids
    for control_id in ids:
        assert f'for="{control_id}"' in html, control_id
    assert len(survey_page.questions) == 5
    assert html.count('<fieldset id="question_') == 5  # and the reasons' checklist
    assert html.count("<fieldset") == html.count("<legend>") == 6


def test_valid_submission_is_stored_once_and_redirects_to_thanks(app, survey_page, count_rows):
    response = survey_page.submit(survey_page.answers(
        rating=5, comment="Cán bộ rất nhiệt tình", procedure_area=""))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/s/{survey_page.token}/thanks")
    thanks = survey_page.client.get(response.headers["Location"])
    assert "Cảm ơn" in thanks.get_data(as_text=True)
    assert count_rows(Response) == 1
    assert count_rows(Answer) == 5
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.comment == "Cán bộ rất nhiệt tình"
        assert stored.locale == "vi"
        assert stored.contact_phone is None and stored.contact_consent_at is None
        assert stored.ip_hash and "127.0.0.1" not in stored.ip_hash
        assert {a.value for a in stored.answers} == {5}


def test_posting_the_same_form_twice_stores_one_response(survey_page, count_rows):
    data = survey_page.answers()
    first = survey_page.submit(data)
    second = survey_page.submit(data)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert count_rows(Response) == 1


def test_missing_ratings_show_translated_errors_and_keep_answers(survey_page, count_rows):
    data = survey_page.answers(rating=2, comment="chờ lâu quá")
    del data[survey_page.questions[0]]
    response = survey_page.submit(data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vui lòng chọn một câu trả lời." in html
    assert html.count('value="2" checked') == 4
    assert "chờ lâu quá" in html
    assert count_rows(Response) == 0
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert "Vui lòng kiểm tra các câu được đánh dấu bên dưới." in summary
    missed = survey_page.questions[0]
    assert re.findall(r'href="#([^"]+)"', summary) == [missed]  # the one missed question
    assert f'<fieldset id="{missed}" tabindex="-1"' in html


def test_errors_in_english_when_english_chosen(client, org, count_rows):
    from tests.support import SurveyPage

    page = SurveyPage(client, org["counters"][0]["token"])
    page.open(query_string={"lang": "en"})
    data = page.answers()
    del data[page.questions[0]]  # the overall question, the one required
    html = page.submit(data).get_data(as_text=True)
    assert "Please choose one answer." in html
    assert count_rows(Response) == 0


def test_out_of_range_and_malformed_ratings_are_refused(survey_page, count_rows):
    for bad in ("9", "0", "abc", "4.5", "-1", "４"):
        data = survey_page.answers()
        data[survey_page.questions[0]] = bad
        response = survey_page.submit(data)
        assert response.status_code == 400, bad
        assert 'class="error"' in response.get_data(as_text=True)
    assert count_rows(Response) == 0


def test_comment_length_limit(survey_page, count_rows):
    too_long = survey_page.submit(survey_page.answers(comment="a" * 1001))
    assert too_long.status_code == 400
    assert "1000" in too_long.get_data(as_text=True)
    assert count_rows(Response) == 0
    survey_page.open()
    assert survey_page.submit(survey_page.answers(comment="á" * 1000)).status_code == 303
    assert count_rows(Response) == 1


def test_control_characters_in_comment_are_refused(survey_page, count_rows):
    response = survey_page.submit(survey_page.answers(comment="xin chào\x00\x07"))
    assert response.status_code == 400
    assert count_rows(Response) == 0


def test_oversized_request_gets_a_clear_413_page(survey_page, count_rows):
    response = survey_page.submit(survey_page.answers(comment="x" * 200_000))
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)
    assert count_rows(Response) == 0


def test_script_in_comment_is_stored_verbatim_and_escaped_on_output(app, survey_page, count_rows):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = survey_page.answers(comment=payload)
    del data[survey_page.questions[0]]
    html = survey_page.submit(data).get_data(as_text=True)
    assert payload not in html
    assert "&lt;script&gt;" in html
    survey_page.open()
    assert survey_page.submit(survey_page.answers(comment=payload)).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Response.comment)).scalar_one() == payload


def test_missing_or_wrong_csrf_token_stores_nothing(survey_page, count_rows):
    data = survey_page.answers()
    data.pop("csrf_token")
    assert survey_page.submit(data).status_code == 400
    data["csrf_token"] = "forged##token"
    assert survey_page.submit(data).status_code == 400
    fresh = survey_page.client.application.test_client()
    response = fresh.post(survey_page.url, data=survey_page.answers())
    assert response.status_code == 400
    assert count_rows(Response) == 0


def test_forged_or_expired_ticket_keeps_answers_and_stores_nothing(make_app, org, count_rows):
    from tests.support import SurveyPage

    app = make_app()
    app.config["SUBMISSION_MAX_AGE_SECONDS"] = -1  # every ticket is now older than allowed
    page = SurveyPage(app.test_client(), org["counters"][0]["token"])
    page.open()
    response = page.submit(page.answers(rating=3, comment="giữ lại"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "mở quá lâu" in html and "giữ lại" in html
    forged = page.answers()
    forged["ticket"] = "not-a-ticket"
    assert page.submit(forged).status_code == 400
    assert count_rows(Response) == 0


def test_ticket_from_another_counter_is_refused(client, create_org, count_rows):
    from tests.support import SurveyPage

    org = create_org(counters=2)
    first = SurveyPage(client, org["counters"][0]["token"])
    first.open()
    second = SurveyPage(client, org["counters"][1]["token"])
    second.open()
    data = second.answers()
    data["ticket"] = first.hidden["ticket"]
    assert second.submit(data).status_code == 400
    assert count_rows(Response) == 0


def test_contact_details_only_with_the_consent_box(app, survey_page, count_rows):
    without = survey_page.submit(survey_page.answers(contact_name="Bà Tư",
                                                     contact_phone="0912345678"))
    assert without.status_code == 400
    assert "đánh dấu" in without.get_data(as_text=True)
    bad_phone = survey_page.submit(survey_page.answers(contact_consent="y",
                                                       contact_phone="12ab"))
    assert bad_phone.status_code == 400
    assert count_rows(Response) == 0
    survey_page.open()
    ok = survey_page.submit(survey_page.answers(contact_consent="y", contact_name="Bà Tư",
                                                contact_phone="0912 345 678"))
    assert ok.status_code == 303
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.contact_phone == "0912345678"
        assert stored.contact_consent_at is not None and stored.consent_version


def test_consent_box_is_unticked_by_default(survey_page):
    html = survey_page.client.get(survey_page.url).get_data(as_text=True)
    import re

    box = re.search(r'<input[^>]*name="contact_consent"[^>]*>', html).group(0)
    assert "checked" not in box


def test_attribution_to_counter_centre_unit_and_staff_on_duty(app, client, org):
    from tests.support import SurveyPage

    counter = org["counters"][0]
    page = SurveyPage(client, counter["token"])
    page.open()
    assert page.submit().status_code == 303
    with app.app_context():
        db_counter = db.session.get(Counter, counter["id"])
        newcomer = services.create_staff("NEW-1", "Trần Thị Mới", db_counter.centre.unit)
        services.assign_staff(newcomer, db_counter, starts_at=datetime.now(UTC))
        db.session.commit()
        newcomer_id = newcomer.id
    page.open()
    assert "Trần Thị Mới" in client.get(page.url).get_data(as_text=True)
    assert page.submit().status_code == 303
    with app.app_context():
        first, second = db.session.execute(db.select(Response).order_by(Response.id)).scalars()
        for stored in (first, second):
            assert stored.counter_id == counter["id"]
            assert stored.centre_id == org["centre_id"]
            assert stored.unit_id == org["ward_id"]
        assert first.staff_id == counter["staff_id"]
        assert second.staff_id == newcomer_id


def test_no_staff_attributed_when_nobody_is_assigned(app, client, create_org):
    from tests.support import SurveyPage

    org = create_org(ward_code="00009", staff_on_duty=False)
    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    assert page.submit().status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Response.staff_id)).scalar_one() is None


def test_assignment_that_ended_does_not_attribute(app, client, create_org):
    from tests.support import SurveyPage

    org = create_org(ward_code="00010", staff_on_duty=False)
    with app.app_context():
        counter = db.session.get(Counter, org["counters"][0]["id"])
        staff = services.create_staff("GONE", "Người Đã Đi", counter.centre.unit)
        now = datetime.now(UTC)
        services.assign_staff(staff, counter, starts_at=now - timedelta(days=2),
                              ends_at=now - timedelta(hours=1))
        db.session.commit()
    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    page.submit()
    with app.app_context():
        assert db.session.execute(db.select(Response.staff_id)).scalar_one() is None
        assert db.session.execute(db.select(Staff)).scalar_one().full_name == "Người Đã Đi"
