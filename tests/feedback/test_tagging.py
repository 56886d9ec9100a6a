"""Comments are tagged at submission; failures are stored untagged and re-tagged later."""

from __future__ import annotations

from collections import Counter

from core.db import db
from feedback import sentiment
from feedback.dashboard.models import TagMonth
from feedback.models import Response, SentimentLabel


def _stored(app) -> Response:
    with app.app_context():
        response = db.session.execute(db.select(Response).order_by(Response.id.desc())).scalar()
        db.session.expunge(response)
        return response


def test_comment_is_tagged_in_the_same_request(app, survey_page):
    survey_page.submit(survey_page.answers(rating=2, comment="Chờ quá lâu, nhân viên cáu gắt",
                                            reasons="waiting"))
    stored = _stored(app)
    assert stored.sentiment_label == "negative"
    assert 0 < stored.sentiment_confidence <= 1
    assert stored.sentiment_model == sentiment.model_version()
    assert "waiting_time" in stored.topics.split(",")
    assert stored.integrity_alert is False and stored.tagged_at is not None


def test_integrity_alert_is_stored(app, survey_page):
    survey_page.submit(survey_page.answers(comment="Cán bộ đòi phong bì mới giải quyết"))
    assert _stored(app).integrity_alert is True


def test_response_without_comment_is_not_tagged(app, survey_page):
    survey_page.submit(survey_page.answers())
    stored = _stored(app)
    assert stored.sentiment_label is None and stored.tagged_at is None


def test_tagger_failure_keeps_the_response_and_retag_tags_it_later(app, survey_page, runner,
                                                                     monkeypatch, count_rows):
    def broken(text):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(sentiment, "tag", broken)
    response = survey_page.submit(survey_page.answers(comment="Cán bộ rất nhiệt tình"))
    assert response.status_code == 303
    assert count_rows(Response) == 1
    assert _stored(app).sentiment_label is None
    monkeypatch.undo()
    result = runner.invoke(args=["sentiment", "retag"])
    assert result.exit_code == 0, result.output
    assert "Đã phân loại khen/chê 1 góp ý" in result.output
    assert _stored(app).sentiment_label == "positive"


def test_retag_updates_stale_model_versions_in_resumable_batches(app, client, org, runner):
    from tests.support import SurveyPage

    page = SurveyPage(client, org["counters"][0]["token"])
    for i in range(5):
        page.open()
        page.submit(page.answers(comment=f"Làm thủ tục nhanh gọn lần {i}"))
    with app.app_context():
        db.session.execute(db.update(Response).values(sentiment_model="old-model",
                                                      sentiment_label="negative"))
        db.session.commit()
    result = runner.invoke(args=["sentiment", "retag", "--batch-size", "2"])
    assert result.exit_code == 0 and "Đã phân loại khen/chê 5 góp ý" in result.output
    assert "Đã tính lại bảng tổng hợp của 1 tháng." in result.output
    with app.app_context():
        labels = set(db.session.execute(db.select(Response.sentiment_model)).scalars())
        assert labels == {sentiment.model_version()}
        stored = Counter(db.session.execute(db.select(Response.sentiment_label)
                                            .where(Response.counted)).scalars())
        shown = Counter()
        for code, n in db.session.execute(db.select(TagMonth.code, TagMonth.n)
                                          .where(TagMonth.kind == "s")):
            shown[code] += n
        assert shown == stored and stored["negative"] < 5
    again = runner.invoke(args=["sentiment", "retag"])
    assert "Đã phân loại khen/chê 0 góp ý" in again.output


def test_stored_integrity_comment_is_negative(app, survey_page):
    survey_page.submit(survey_page.answers(
        rating=5, comment="Có người vòi tiền ngoài quy định khi nộp hồ sơ đất."))
    stored = _stored(app)
    assert (stored.sentiment_label, stored.integrity_alert) == ("negative", True)


def test_stored_suggestion_is_neutral_with_its_topic(app, survey_page):
    survey_page.submit(survey_page.answers(
        rating=4, comment="Nên có thêm bảng hướng dẫn bằng tiếng Anh."))
    stored = _stored(app)
    assert stored.sentiment_label == "neutral" and "suggestion" in stored.topics.split(",")


def test_every_label_the_tagger_gives_has_its_place_on_the_dashboards():
    assert tuple(SentimentLabel) == tuple(sentiment.LABELS)
