"""The shorter, lawful form: only the overall question is required, and a "không hài lòng"
answer asks its reason before anything is stored."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from core.db import db
from feedback.models import Answer, Response
from feedback.reasons import DissatisfactionReason, ranked
from feedback.scoring import SATISFIED_FROM
from surveys.scale import SCALE, is_dissatisfied

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _overall(page) -> str:
    return page.questions[0]


def _reason_form(html: str) -> dict:
    """What the reason step posts back: its hidden fields and its CSRF token."""
    data = dict(HIDDEN.findall(html))
    data["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                   html).group(1)
    return data


def test_only_the_overall_question_is_required(app, survey_page, count_rows):
    answered = {**survey_page.hidden, _overall(survey_page): "5"}
    assert survey_page.submit(answered).status_code == 303
    assert count_rows(Response) == 1 and count_rows(Answer) == 1


def test_overall_one_without_a_reason_shows_the_reason_step_and_stores_nothing(
        app, survey_page, count_rows):
    data = {**survey_page.hidden, _overall(survey_page): "1", "comment": "Chờ hai tiếng",
            "dossier_code": "H26.12-251203-0007"}
    step = survey_page.submit(data)
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and 'id="reason-step"' in html
    assert "Chờ quá lâu" in html and "Thái độ, sự hướng dẫn của công chức" in html
    assert "Chờ hai tiếng" in html  # the comment can be completed on this step
    assert count_rows(Response) == 0
    carried = _reason_form(html)
    assert carried[_overall(survey_page)] == "1" and carried["step"] == "reason"
    assert carried["dossier_code"] == "H26.12-251203-0007"

    again = survey_page.client.post(survey_page.url, data={**carried, "comment": "Chờ hai tiếng"})
    assert again.status_code == 400 and "Vui lòng chọn ít nhất một lý do." in \
        again.get_data(as_text=True)
    assert count_rows(Response) == 0

    sent = survey_page.client.post(survey_page.url, data=MultiDict([
        *carried.items(), ("comment", "Chờ hai tiếng"), ("reasons", "waiting"),
        ("reasons", "attitude")]))
    assert sent.status_code == 303
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.comment == "Chờ hai tiếng"
        assert stored.dossier_code == "H26.12-251203-0007"
        reasons = db.session.execute(db.select(DissatisfactionReason.code)).scalars().all()
        assert sorted(reasons) == ["attitude", "waiting"]


def test_a_reason_ticked_on_the_first_page_needs_no_second_step(app, survey_page, count_rows):
    data = MultiDict([*survey_page.hidden.items(), (_overall(survey_page), "3"),
                      ("reasons", "fees")])
    assert survey_page.client.post(survey_page.url, data=data).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(DissatisfactionReason.code)).scalar_one() == "fees"


def test_reasons_are_dropped_when_the_overall_answer_is_satisfied(app, survey_page, count_rows):
    data = MultiDict([*survey_page.hidden.items(), (_overall(survey_page), "4"),
                      ("reasons", "fees")])
    assert survey_page.client.post(survey_page.url, data=data).status_code == 303
    assert count_rows(Response) == 1 and count_rows(DissatisfactionReason) == 0


def test_an_unknown_reason_is_refused(survey_page, count_rows):
    data = MultiDict([*survey_page.hidden.items(), (_overall(survey_page), "1"),
                      ("reasons", "bribe")])
    assert survey_page.client.post(survey_page.url, data=data).status_code == 400
    assert count_rows(Response) == 0


def test_the_factor_questions_are_folded_and_the_overall_one_is_not(survey_page):
    html = survey_page.client.get(survey_page.url).get_data(as_text=True)
    before, folded = html.split('<details class="more"', 1)
    assert f'name="{_overall(survey_page)}"' in before
    for question in survey_page.questions[1:]:
        assert f'name="{question}"' in folded.split("</details>")[0]


def test_the_form_asks_a_reason_exactly_for_what_the_pack_counts_as_dissatisfied():
    assert [value for value in SCALE if is_dissatisfied(value)] == [1, 2, 3]
    assert SATISFIED_FROM == 4  # SIPAS and the 766 count 4–5 as satisfied


def test_reasons_rank_by_how_many_citizens_gave_them():
    given = [{"waiting", "fees"}, {"waiting"}, {"attitude", "fees"}, {"late"}, {"waiting"}]
    assert ranked(given) == [("waiting", 3), ("fees", 2), ("attitude", 1), ("late", 1)]
