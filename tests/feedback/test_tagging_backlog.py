"""No integrity report is silently lost: the tagger loads under a lock, a failed tagging is
marked, `sentiment tag-pending` tags it and opens the case it calls for, /healthz shows it."""

from __future__ import annotations

import gc
import logging
import threading
from collections import Counter
from datetime import timedelta

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

import gunicorn_conf
from core.db import db, now_utc
from feedback import sentiment
from feedback.cases.models import AlertKind, Case, CasePriority, CentreAlert, EventKind
from feedback.dashboard import chart_layers
from feedback.dashboard.models import TagMonth
from feedback.models import Response
from feedback.sentiment import loader

BRIBERY = "Cán bộ đòi tiền bồi dưỡng mới giải quyết hồ sơ cho tôi"


@pytest.fixture
def cold_tagger(monkeypatch):
    """The tagger as a freshly started worker has it: the model not loaded (put back
    afterwards)."""
    monkeypatch.setattr(loader, "_model", None)


def _tag_at_once(threads: int) -> list:
    barrier = threading.Barrier(threads)
    results: list = []

    def call() -> None:
        barrier.wait()
        try:
            results.append(sentiment.tag(BRIBERY))
        except Exception as error:  # collected, so the assertion shows what went wrong
            results.append(error)

    workers = [threading.Thread(target=call) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def test_concurrent_first_calls_on_a_cold_tagger_all_get_tags(cold_tagger):
    results = _tag_at_once(12)
    assert len(results) == 12
    assert all(isinstance(r, sentiment.Tagging) and r.integrity_alert for r in results), results


def test_the_gunicorn_worker_hook_warms_the_tagger_before_serving(cold_tagger, monkeypatch):
    class Worker:
        pid = 4242

    drawn = []
    render = chart_layers.render
    monkeypatch.setattr(chart_layers, "render",
                        lambda figure, fmt: drawn.append(fmt) or render(figure, fmt))
    gunicorn_conf.post_worker_init(Worker())
    try:
        assert drawn == ["svg"] * 5  # a small chart of each kind, kept nowhere
        assert loader._model is not None
        assert sentiment.tag(BRIBERY).integrity_alert
        assert gc.get_freeze_count() > 0  # what it loaded is out of the collector's way
    finally:
        gc.unfreeze()


def test_a_worker_loads_the_apps_views_and_templates_before_freezing_the_heap(make_app,
                                                                              caplog):
    app = make_app()
    with caplog.at_level(logging.ERROR):
        gunicorn_conf.prepare_worker(app)
    try:
        assert "dashboard.index" in app.view_functions
        assert len(app.jinja_env.cache) >= len(app.jinja_env.list_templates())
        assert gc.get_freeze_count() > 0
        assert not [r for r in caplog.records if "did not load" in r.getMessage()]
    finally:
        gc.unfreeze()


def test_a_template_that_does_not_compile_is_logged_and_the_worker_serves(make_app, caplog,
                                                                            tmp_path):
    (tmp_path / "broken.html").write_text("{% if %}broken{% endif %}", encoding="utf-8")
    app = make_app()
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(tmp_path)])
    with caplog.at_level(logging.ERROR):
        gunicorn_conf.prepare_worker(app)
    try:
        assert [r for r in caplog.records if "templates and languages did not load"
                in r.getMessage()]
        assert app.test_client().get("/login").status_code == 200
    finally:
        gc.unfreeze()


def _stored(app) -> Response:
    with app.app_context():
        response = db.session.execute(db.select(Response).order_by(Response.id.desc())).scalar()
        db.session.expunge(response)
        return response


def _cases(app) -> list[tuple[CasePriority, str, list[EventKind]]]:
    with app.app_context():
        return [(case.priority, case.reasons, [event.kind for event in case.events])
                for case in db.session.execute(db.select(Case)).scalars()]


def _broken(text):
    raise RuntimeError("tagger half loaded")


def test_failed_tagging_is_marked_then_tag_pending_opens_the_urgent_case(
        app, survey_page, runner, monkeypatch):
    monkeypatch.setattr(sentiment, "tag", _broken)
    survey_page.submit(survey_page.answers(rating=5, comment=BRIBERY))
    stored = _stored(app)
    assert stored.sentiment_label is None and stored.integrity_alert is False
    assert stored.tagging_failed_at is not None
    assert _cases(app) == []
    monkeypatch.undo()

    result = runner.invoke(args=["sentiment", "tag-pending"])
    assert result.exit_code == 0, result.output
    assert ("Đã phân loại khen/chê 1 góp ý đang chờ; 0 góp ý vẫn chưa phân loại được."
            in result.output)
    stored = _stored(app)
    assert stored.integrity_alert is True and stored.tagged_at is not None
    assert stored.tagging_failed_at is None
    [(priority, reasons, events)] = _cases(app)
    assert priority == CasePriority.URGENT and "integrity" in reasons.split(",")
    assert events == [EventKind.OPENED]
    with app.app_context():
        tags = Counter({(row.kind, row.code): row.n for row in
                        db.session.execute(db.select(TagMonth)).scalars()})
        assert tags[("s", stored.sentiment_label)] == 1
        assert all(tags[("t", code)] == 1 for code in stored.topics.split(","))
        kinds = db.session.execute(db.select(CentreAlert.kind)).scalars().all()
        assert kinds == [AlertKind.INTEGRITY]

    again = runner.invoke(args=["sentiment", "tag-pending"])
    assert "Đã phân loại khen/chê 0 góp ý đang chờ; 0 góp ý vẫn" in again.output
    assert len(_cases(app)) == 1


def test_a_case_opened_for_the_reason_becomes_urgent_once_the_comment_is_tagged(
        app, survey_page, runner, monkeypatch):
    monkeypatch.setattr(sentiment, "tag", _broken)
    survey_page.submit(survey_page.answers(rating=1, comment=BRIBERY, reasons="fees"))
    assert _cases(app) == [(CasePriority.NORMAL, "dissatisfied", [EventKind.OPENED])]
    monkeypatch.undo()

    assert runner.invoke(args=["sentiment", "tag-pending"]).exit_code == 0
    [(priority, reasons, events)] = _cases(app)
    assert priority == CasePriority.URGENT
    assert "integrity" in reasons.split(",") and reasons.startswith("dissatisfied,")
    assert events == [EventKind.OPENED, EventKind.REASONS_ADDED]


def test_a_tagger_still_failing_keeps_the_response_in_the_backlog(
        app, survey_page, runner, monkeypatch):
    monkeypatch.setattr(sentiment, "tag", _broken)
    survey_page.submit(survey_page.answers(comment=BRIBERY))
    first = _stored(app).tagging_failed_at
    result = runner.invoke(args=["sentiment", "tag-pending"])
    assert "Đã phân loại khen/chê 0 góp ý đang chờ; 1 góp ý vẫn" in result.output
    assert _stored(app).tagging_failed_at == first
    assert _cases(app) == []


def test_healthz_reports_the_backlog_without_failing(app, client, survey_page, monkeypatch):
    assert client.get("/healthz").get_json()["untagged"] == {"count": 0, "oldest_seconds": None}
    monkeypatch.setattr(sentiment, "tag", _broken)
    survey_page.submit(survey_page.answers(comment=BRIBERY))
    with app.app_context():
        db.session.execute(db.update(Response).values(
            tagging_failed_at=now_utc() - timedelta(minutes=10)))
        db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["untagged"]["count"] == 1
    assert 600 <= body["untagged"]["oldest_seconds"] < 660
