"""Leaders correcting a comment's sentiment label on the case page: the correction is stored
(who, when, old -> new, append-only), shown, used by the dashboard counts at once, kept by a
re-tag, and available as training rows."""

from __future__ import annotations

import json

import pytest
from cases_support import csrf_of
from sqlalchemy import select

from accounts.models import Role
from core.db import db
from feedback import sentiment
from feedback.cases.models import Case
from feedback.dashboard import rollups
from feedback.dashboard.models import TagDay, TagMonth
from feedback.models import Response, SentimentReview
from feedback.reviews import reviewed_labels
from feedback.sentiment.version import MODEL_VERSION
from feedback.tagging import apply_tagging


def _review(client, case_id: int, label: str):
    return client.post(f"/inbox/cases/{case_id}/sentiment",
                       data={"label": label, "csrf_token": csrf_of(client)})


def _tag_counts() -> dict:
    return {(t.__tablename__, *row) for t in (TagDay, TagMonth) for row in db.session.execute(
        select(t.unit_id, t.centre_id, t.kind, t.code, t.n).where(t.n != 0))}


def test_a_leader_corrects_the_label_and_it_is_recorded(app, org, store, sign_in):
    stored = store(org, rating=1,
                   reasons=("waiting",), comment="Nên có thêm bảng hướng dẫn bằng tiếng Anh.",
                   label="negative")
    leader = sign_in(Role.LEADER, "00001", username="lanh_dao")
    assert _review(leader, stored["case_id"], "neutral").status_code == 303
    page = leader.get(f"/inbox/cases/{stored['case_id']}").get_data(as_text=True)
    assert "Nhãn được lanh_dao sửa lúc" in page and "Chê → Trung tính" in page
    assert "Trung tính (đã rà soát)" in page
    with app.app_context():
        response = db.session.get(Response, stored["response_id"])
        assert (response.sentiment_label, response.reviewed_label) == ("negative", "neutral")
        assert response.sentiment == "neutral"
        [review] = db.session.execute(select(SentimentReview)).scalars()
        assert (review.old_label, review.new_label, review.actor.username) == (
            "negative", "neutral", "lanh_dao")
        assert review.model_label == "negative" and review.at is not None
        review.new_label = "positive"
        with pytest.raises(ValueError, match="append-only"):
            db.session.flush()
        db.session.rollback()


def test_dashboard_counts_follow_the_correction(app, org, store, sign_in):
    stored = store(org, rating=1, reasons=("waiting",), comment="Chờ lâu quá", label="negative")
    store(org, rating=2, reasons=("waiting",), comment="Tệ", label="negative")
    leader = sign_in(Role.LEADER, "00001")
    assert _review(leader, stored["case_id"], "positive").status_code == 303
    with app.app_context():
        moved = _tag_counts()
        assert ("rollup_tag_month", org["ward_id"], org["centre_id"], "s", "positive", 1) in moved
        assert ("rollup_tag_month", org["ward_id"], org["centre_id"], "s", "negative", 1) in moved
        for month in rollups.response_months():
            rollups.rebuild_month(month)
        assert _tag_counts() == moved  # the rebuild from the responses agrees


def test_an_integrity_comment_cannot_be_relabelled_positive(app, org, store, sign_in):
    stored = store(org, rating=5, comment="Phải đưa phong bì", label="negative", integrity=True)
    leader = sign_in(Role.LEADER, "00001")
    refused = _review(leader, stored["case_id"], "positive")
    assert refused.status_code == 409
    assert "góp ý có dấu hiệu tiêu cực luôn được xếp là góp ý chê" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(SentimentReview)).first() is None
        assert db.session.get(Response, stored["response_id"]).sentiment == "negative"


def test_hr_cannot_correct_labels(app, org, store, sign_in):
    case_id = store(org, rating=1,
                    reasons=("waiting",), comment="Chờ lâu", label="negative")["case_id"]
    assert _review(sign_in(Role.HR, "P00001"), case_id, "positive").status_code == 403


def test_a_retag_keeps_the_reviewed_label(app, org, store, sign_in):
    stored = store(org, rating=1, reasons=("waiting",), comment="Chờ lâu", label="negative")
    _review(sign_in(Role.LEADER, "00001"), stored["case_id"], "neutral")
    with app.app_context():
        response = db.session.get(Response, stored["response_id"])
        apply_tagging(response, sentiment.Tagging("negative", 0.99, (), False, "next-model"))
        db.session.flush()
        assert response.sentiment == "neutral"
        assert reviewed_labels() == [("Chờ lâu", "neutral")]
        assert db.session.get(Case, stored["case_id"]).response_id == response.id


def test_training_can_include_reviewed_labels(app, org, store, sign_in, tmp_path):
    stored = store(org, rating=1,
                   reasons=("waiting",), comment="Nên mở thêm quầy buổi trưa", label="negative")
    _review(sign_in(Role.LEADER, "00001"), stored["case_id"], "neutral")
    result = app.test_cli_runner().invoke(args=[
        "sentiment", "train", "--own", "--include-reviewed", "--cv-folds", "0",
        "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output[result.output.index("{"):])
    assert metrics["n_reviewed"] == 1
    assert (tmp_path / f"sentiment-{MODEL_VERSION}-own.npz").exists()


def test_low_confidence_labels_are_shown_as_uncertain(app, org, store, sign_in):
    unsure = store(org, rating=1,
                   reasons=("waiting",), comment="Cũng được", label="negative", confidence=0.55)
    sure = store(org, rating=1,
                 reasons=("waiting",), comment="Quá tệ", label="negative", confidence=0.97)
    leader = sign_in(Role.LEADER, "00001")
    inbox = leader.get("/inbox").get_data(as_text=True)
    assert inbox.count("Chê (chưa chắc chắn)") == 1
    unsure_page = leader.get(f"/inbox/cases/{unsure['case_id']}").get_data(as_text=True)
    assert "Chê (chưa chắc chắn)" in unsure_page
    sure_page = leader.get(f"/inbox/cases/{sure['case_id']}").get_data(as_text=True)
    assert "Chê (chưa chắc chắn)" not in sure_page
    assert "Tiêu cực" not in inbox + sure_page  # "tiêu cực" means wrongdoing, not a sentiment
