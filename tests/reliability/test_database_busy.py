"""The database busy or away: concurrent citizens all get their answers stored (SQLite takes the
write lock first: BEGIN IMMEDIATE), and when the database fails on a post the citizen gets a
503 page that sends the same answers and the same ticket again, storing them once."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

import feedback.intake.qr
import feedback.intake.submission
from core.db import db
from feedback.models import Response
from tests.support import SurveyPage

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _locked(*args, **kwargs):
    raise OperationalError("INSERT INTO response", {}, Exception("database is locked"))


@pytest.mark.parametrize("module, where", [(feedback.intake.submission, "record_response"),
                                           (feedback.intake.qr, "counter_form")])
def test_a_failing_database_gives_back_the_answers_and_the_same_ticket(
        app, survey_page, count_rows, monkeypatch, module, where):
    answers = survey_page.answers(rating=2, comment="Chờ lâu <quá> & \"mệt\"",
                                  reasons="waiting")
    monkeypatch.setattr(module, where, _locked)
    refused = survey_page.submit(answers)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert "Ý kiến của Ông/Bà chưa được lưu" in html and "Gửi lại" in html
    kept = dict(HIDDEN.findall(html))
    assert kept["ticket"] == answers["ticket"] and kept["csrf_token"] == answers["csrf_token"]
    assert kept["comment"] == "Chờ lâu &lt;quá&gt; &amp; &#34;mệt&#34;"
    assert count_rows(Response) == 0
    monkeypatch.undo()
    resent = {name: value for name, value in HIDDEN.findall(html)}
    resent["comment"] = answers["comment"]
    assert survey_page.client.post(survey_page.url, data=resent).status_code == 303
    assert survey_page.client.post(survey_page.url, data=resent).status_code == 303
    assert count_rows(Response) == 1


def test_other_pages_answer_503_not_500_when_the_database_fails(app, client, monkeypatch):
    monkeypatch.setattr(feedback.intake.qr, "counter_form", _locked)
    response = client.get("/s/abcdefgh")
    assert response.status_code == 503
    assert "Hệ thống đang bận" in response.get_data(as_text=True)


def test_concurrent_citizens_against_a_busy_database_all_get_stored(
        make_app, database_url, org, count_rows):
    app = make_app()
    pages = [SurveyPage(app.test_client(), org["counters"][0]["token"]) for _ in range(32)]
    for page in pages:
        page.open()
    statuses, lock, start = [], threading.Lock(), threading.Barrier(len(pages) + 1)

    def answer(page):
        start.wait()
        status = page.submit(comment="Cán bộ nhiệt tình nhưng chờ hơi lâu").status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=answer, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    with app.test_request_context():  # a page being read holds a snapshot meanwhile
        db.session.execute(text("SELECT count(*) FROM response")).scalar_one()
        start.wait()
        for thread in threads:
            thread.join()
        db.session.rollback()
    assert statuses == [303] * len(pages)
    assert count_rows(Response) == len(pages)


def test_a_page_that_writes_after_reading_waits_instead_of_failing(app, org, database_url):
    """A GET reads (a snapshot), a citizen's post commits meanwhile, then the GET writes: on
    SQLite it must take the write lock and go on, not fail with "database is locked"."""
    with app.test_request_context("/k/x", method="GET"):
        seen = db.session.execute(text("SELECT count(*) FROM response")).scalar_one()
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as connection:
            connection.execute(text("UPDATE unit SET name = name || '.' WHERE id = :id"),
                               {"id": org["ward_id"]})
        other.dispose()
        db.session.execute(text("UPDATE unit SET name = name || '!' WHERE id = :id"),
                           {"id": org["ward_id"]})
        db.session.commit()
        assert seen == 0
        assert db.session.execute(text("SELECT name FROM unit WHERE id = :id"),
                                  {"id": org["ward_id"]}).scalar_one().endswith(".!")
