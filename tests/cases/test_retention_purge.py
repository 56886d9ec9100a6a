"""Retention: `flask privacy purge` masks names and numbers in old comments, erases old address
and device hashes and old contact details, reports each kind, keeps every rating, and finds
nothing more to do when run again; recent responses keep what the integrity rules need."""

from __future__ import annotations

import uuid
from datetime import timedelta

from core.db import db, now_utc
from feedback.models import Answer, Response
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey

COMMENT = "Anh Minh ở quầy 2 hướng dẫn sai, số 0912 345 678"
MASKED = "Anh *** ở quầy 2 hướng dẫn sai, số ***"


def _record(app, org, days_ago: int, comment: str | None = COMMENT) -> None:
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        counter = db.session.get(Counter, org["counters"][0]["id"])
        record_response(counter, survey, Submission(
            submission_key=uuid.uuid4().hex, locale="vi", comment=comment,
            ratings={q.id: 2 for q in survey.questions}, ip_hash="a" * 32,
            device_hash=uuid.uuid4().hex[:32], contact_consent=True, contact_name="Bà Tư",
            contact_phone="0987654321",
        ), at=now_utc() - timedelta(days=days_ago))
        db.session.commit()


def _rows(app) -> list[tuple[int, str | None, str | None, str | None, str | None]]:
    with app.app_context():
        return [(round((now_utc() - r.submitted_at).days), r.comment, r.ip_hash, r.device_hash,
                 r.contact_name)
                for r in db.session.execute(
                    db.select(Response).order_by(Response.submitted_at)).scalars()]


def test_purge_reports_each_kind_keeps_ratings_and_is_idempotent(make_app, org, count_rows,
                                                                 tagger):
    app = make_app(COMMENT_RETENTION_DAYS=90, HASH_RETENTION_DAYS=28,
                   CONTACT_RETENTION_DAYS=180)
    for days_ago in (200, 100, 40, 2):
        _record(app, org, days_ago)
    _record(app, org, 120, comment="Chờ lâu quá")
    answers = count_rows(Answer)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "góp ý: 2 trên 3 góp ý gửi trước" in dry.output
    assert "mã băm địa chỉ mạng và thiết bị: còn trong 4 phiếu" in dry.output
    assert "thông tin liên hệ: còn trong 1 phiếu" in dry.output
    assert [row[1] for row in _rows(app)].count(COMMENT) == 4  # nothing changed

    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0, done.output
    assert "đã che tên, số điện thoại, địa chỉ thư điện tử trong 2 trên 3 góp ý" in done.output
    assert "mã băm địa chỉ mạng và thiết bị: đã xóa khỏi 4 phiếu" in done.output
    assert "thông tin liên hệ: đã xóa khỏi 1 phiếu" in done.output
    rows = {days: rest for days, *rest in _rows(app)}
    assert rows[200] == [MASKED, None, None, None]
    assert rows[120] == ["Chờ lâu quá", None, None, "Bà Tư"]
    assert rows[100] == [MASKED, None, None, "Bà Tư"]
    assert rows[40][0] == COMMENT and rows[40][1] is None  # comment kept, hashes gone
    assert rows[2][0] == COMMENT and rows[2][1] == "a" * 32 and rows[2][2]  # recent: all kept
    assert count_rows(Response) == 5 and count_rows(Answer) == answers

    again = runner.invoke(args=["privacy", "purge"])
    assert "trong 0 trên 0 góp ý" in again.output and "đã xóa khỏi 0 phiếu gửi" in again.output
    assert {days: rest for days, *rest in _rows(app)} == rows


def test_the_leaders_case_search_forgets_masked_names(make_app, org, tagger):
    from feedback.cases.models import Case

    tagger.label = "negative"
    app = make_app(COMMENT_RETENTION_DAYS=30)
    _record(app, org, 60)
    app.test_cli_runner().invoke(args=["privacy", "purge"])
    with app.app_context():
        case = db.session.execute(db.select(Case)).scalar_one()
        assert "minh" not in case.search_text and "0912" not in case.search_text

