"""Migration c3d9e7a15b42 masks the search text of the cases already stored (names, phone
numbers, e-mail addresses), and its downgrade restores the old one. Runs on a scratch database
of the backend under test."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import update

from app import create_app
from core.db import db
from feedback import sentiment
from feedback.cases.models import Case
from feedback.cases.services import case_for_response
from feedback.cases.textfold import fold
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import UnitKind

BEFORE, MASKED = "a4c8e2f61b37", "c3d9e7a15b42"
COMMENT = "Chị Nguyễn Thị Lan gọi 0912345678 mà chờ lâu quá"


def test_stored_cases_lose_the_hidden_names_and_numbers_from_their_search_text(
        scratch_url, monkeypatch):
    monkeypatch.setattr(sentiment, "tag", lambda text: sentiment.Tagging(
        "negative", 0.9, (), False, "test-model"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "SECRET_KEY": "x",
                      "TESTING": True})
    with app.app_context():
        upgrade(revision=BEFORE)
        province = services.create_unit("P1", "Tỉnh", UnitKind.PROVINCE)
        ward = services.create_unit("W1", "Phường", UnitKind.WARD, province)
        counter = services.create_counter(
            services.create_centre(ward, "Trung tâm", "1 Đường A"), "Quầy 1", [])
        survey = services.ensure_default_survey()
        response = record_response(counter, survey, Submission(
            submission_key="k1", ratings={q.id: 1 for q in survey.questions}, locale="vi",
            comment=COMMENT))
        db.session.flush()
        case = case_for_response(response.id)  # the negative comment opened it
        db.session.execute(update(Case).where(Case.id == case.id)
                           .values(search_text=fold(COMMENT)))  # as stored before
        db.session.commit()

        upgrade(revision=MASKED)
        masked = db.session.get(Case, case.id).search_text
        assert "cho lau qua" in masked
        assert "lan" not in masked.split() and "0912345678" not in masked
        db.session.rollback()  # end the read: the migration writes on its own connection
        downgrade(revision=BEFORE)
        assert db.session.get(Case, case.id).search_text == fold(COMMENT)
        db.session.remove()
        db.engine.dispose()
