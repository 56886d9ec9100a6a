"""`flask backup PATH` and `flask restore PATH`: a backup restored into a new database holds the
same responses (on SQLite and on PostgreSQL, whichever backend the suite runs on)."""

from __future__ import annotations

import stat

from sqlalchemy import inspect

from app import create_app
from core.db import db
from feedback.models import Answer, Response
from tests.conftest import _config
from tests.support import SurveyPage


def _responses(app) -> list[tuple]:
    """Everything a citizen said, in a comparable form."""
    with app.app_context():
        rows = []
        for r in db.session.execute(db.select(Response).order_by(Response.public_id)).scalars():
            answers = sorted((a.question_id, a.value) for a in db.session.execute(
                db.select(Answer).filter_by(response_id=r.id)).scalars())
            rows.append((r.public_id, r.submission_key, r.submitted_at, r.comment,
                         r.contact_name, r.contact_phone, r.staff_id, tuple(answers)))
        return rows


def _submit_three(client, token: str) -> None:
    page = SurveyPage(client, token)
    for extra in ({"comment": "Cán bộ tận tình"},
                  {"comment": "Chờ lâu quá", "rating": 2, "reasons": "waiting"},
                  {"contact_consent": "y", "contact_name": "Trần Văn An",
                   "contact_phone": "0987654321"}):
        page.open()
        assert page.submit(page.answers(**extra)).status_code == 303


def test_backup_then_restore_into_a_new_database_gives_the_same_responses(
        app, client, org, runner, scratch_database_url, tmp_path):
    _submit_three(client, org["counters"][0]["token"])
    before = _responses(app)
    assert len(before) == 3
    path = tmp_path / "backups" / "hailong.backup"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0
    assert result.output.startswith("Đã sao lưu cơ sở dữ liệu ") and f" vào tệp {path} (" in \
        result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds every citizen's answers

    fresh = create_app(_config(scratch_database_url))
    with fresh.app_context():
        assert inspect(db.engine).get_table_names() == []
    result = fresh.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Đã khôi phục cơ sở dữ liệu ")
    assert result.output.endswith(f" từ bản sao lưu {path}.\n")
    try:
        assert _responses(fresh) == before
        with fresh.app_context():
            version = db.session.execute(db.text("SELECT version_num FROM alembic_version"))
            assert version.scalar_one()  # the restored schema knows its migration state
        # the restored database takes new submissions
        assert SurveyPage(fresh.test_client(), org["counters"][0]["token"]).open() \
            .status_code == 200
    finally:
        with fresh.app_context():
            db.session.remove()
            db.engine.dispose()


def test_restore_asks_before_replacing_and_reports_a_missing_backup(runner, tmp_path):
    path = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(path)], input="n\n")
    assert refused.exit_code != 0 and "Thay toàn bộ dữ liệu trong " in refused.output
    missing = runner.invoke(args=["restore", str(tmp_path / "none.backup"), "--yes"])
    assert missing.exit_code != 0 and "Không tìm thấy" in missing.output
