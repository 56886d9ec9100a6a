"""The demo seed and the CSV export of responses."""

from __future__ import annotations

import csv
import io
import re

from werkzeug.datastructures import MultiDict

from core.db import db
from feedback.models import Answer, Response
from surveys.models import Assignment, Centre, Counter, ProcedureArea, Staff, Unit


def test_seed_demo_builds_a_realistic_demo_and_is_idempotent(app, runner, count_rows,
                                                             seeded_demo):
    first = seeded_demo
    assert first.exit_code == 0, first.output
    assert count_rows(Centre) == 3
    assert 9 <= count_rows(Counter) <= 12
    assert count_rows(Staff) == 15
    assert count_rows(Response) == 2000
    assert count_rows(Answer) == 2000 * 5
    assert count_rows(ProcedureArea) >= 5
    assert count_rows(Assignment) > count_rows(Counter)  # some counters changed staff
    with app.app_context():
        codes = {a.code for a in db.session.execute(db.select(ProcedureArea)).scalars()}
        assert {"ho-tich", "chung-thuc", "dat-dai", "dang-ky-kinh-doanh", "xay-dung"} <= codes
        wards = db.session.execute(db.select(Unit).filter_by(kind="ward",
                                                             valid_to=None)).scalars().all()
        assert len(wards) == 2
        merged = db.session.execute(db.select(Unit).where(Unit.successor_id.is_not(None))) \
            .scalars().all()
        assert len(merged) == 3
        commented = db.session.execute(db.select(db.func.count()).where(
            Response.comment.is_not(None))).scalar_one()
        assert 400 < commented < 1200
        unattributed = db.session.execute(db.select(db.func.count()).where(
            Response.staff_id.is_(None))).scalar_one()
        assert unattributed == 0
    assert "admin" in first.output and "/login" in first.output
    assert re.search(r"http://127\.0\.0\.1:5000/s/[A-Za-z0-9_-]{32}", first.output)
    assert first.output.index("1/5") < first.output.index("2/5") < first.output.index("Đã thêm")
    second = runner.invoke(args=["seed-demo"], env={"FLASK_RUN_PORT": "5055"})
    assert second.exit_code == 0
    assert "Đã thêm 0 đơn vị, 0 trung tâm, 0 quầy, 0 công chức, 0 phiếu" in second.output
    # the links point where `flask run` will listen (it reads FLASK_RUN_PORT too)
    assert re.search(r"http://127\.0\.0\.1:5055/s/[A-Za-z0-9_-]{32}", second.output)
    assert count_rows(Response) == 2000 and count_rows(Staff) == 15


def test_seed_demo_uses_the_official_codes_and_invented_old_ones(app, runner):
    from vietnam_provinces import Ward

    assert runner.invoke(args=["units", "import", "--province", "92"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])  # the whole official province is no obstacle
    assert result.exit_code == 0, result.output
    official = {f"{int(w.code):05d}": w.name for w in Ward.iter_all()}
    with app.app_context():
        centres = db.session.execute(db.select(Centre)).scalars().all()
        assert {c.unit.code for c in centres} == {"31135", "31120"}
        assert all(c.unit.name == official[c.unit.code] for c in centres)
        ninh_kieu = db.session.execute(db.select(Unit).filter_by(code="31135")).scalar_one()
        assert ninh_kieu.name == "Phường Ninh Kiều" and ninh_kieu.parent.code == "92"
        old = db.session.execute(db.select(Unit).where(Unit.successor_id == ninh_kieu.id)) \
            .scalars().all()
        assert len(old) == 3 and not {u.code for u in old} & set(official)


def test_export_writes_every_response_with_local_times(app, client, org, runner):
    from tests.support import SurveyPage

    page = SurveyPage(client, org["counters"][0]["token"])
    for comment in ("=HYPERLINK(\"http://evil\")", "Cán bộ tận tình, \"rất\" tốt\nxuống dòng"):
        page.open()
        assert page.submit(page.answers(rating=5, comment=comment)).status_code == 303
    page.open(query_string={"lang": "en"})
    data = MultiDict([*page.answers(rating=2, dossier_code="H26-0001").items(),
                      ("reasons", "late"), ("reasons", "waiting")])
    assert page.submit(data).status_code == 303
    result = runner.invoke(args=["export", "responses", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 3
    header = set(rows[0])
    assert {"id", "submitted_at", "unit", "centre", "counter", "staff", "comment",
            "locale"} <= header
    assert {"rating_overall", "rating_access", "rating_procedure", "rating_staff",
            "rating_result"} <= header
    first, second, third = rows
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", first["submitted_at"])
    assert first["unit"] == "00001" and first["centre"] == "Trung tâm PVHCC 00001"
    assert first["counter"] == "Quầy 1" and first["staff"] == org["counters"][0]["staff_name"]
    assert first["rating_overall"] == "5" and third["rating_overall"] == "2"
    assert first["comment"] == "'=HYPERLINK(\"http://evil\")"
    assert second["comment"] == "Cán bộ tận tình, \"rất\" tốt\nxuống dòng"
    assert first["locale"] == "vi" and third["locale"] == "en"
    # the label as the app counts it, how sure the tagger was, and whether a leader set it
    assert first["sentiment"] in {"negative", "neutral", "positive"}
    assert 0 < float(first["sentiment_confidence"]) <= 1 and first["sentiment_reviewed"] == "0"
    assert third["sentiment_confidence"] == "" and third["sentiment_reviewed"] == "0"
    # the dossier code the citizen typed and the reasons ticked, in the checklist's order
    assert (first["dossier_code"], first["reasons"]) == ("", "")
    assert (third["dossier_code"], third["reasons"]) == ("H26-0001", "waiting late")
    with app.app_context():
        public_ids = set(db.session.execute(db.select(Response.public_id)).scalars())
    assert {r["id"] for r in rows} == public_ids


def test_seed_demo_moves_older_complaints_along_the_workflow(app, runner, seeded_demo):
    from feedback.cases.models import Case, CaseStatus

    assert seeded_demo.exit_code == 0
    with app.app_context():
        statuses = dict(db.session.execute(
            db.select(Case.status, db.func.count()).group_by(Case.status)).all())
    assert statuses.get(CaseStatus.CLOSED, 0) > 0 and statuses.get(CaseStatus.RESOLVED, 0) > 0
    assert statuses.get(CaseStatus.IN_PROGRESS, 0) > 0 and statuses.get(CaseStatus.NEW, 0) > 0
    again = runner.invoke(args=["seed-demo"])
    assert "đã chuyển tiếp xử lý 0 phản ánh cũ hơn" in again.output


def test_every_ward_of_the_demo_has_a_leader_who_may_handle_its_complaints(app, seeded_demo):
    from datetime import timedelta

    from core.db import now_utc
    from feedback.cases.coverage import gaps, unhandled_cases
    from feedback.cases.models import Case, CaseStatus

    assert seeded_demo.exit_code == 0
    with app.app_context():
        assert gaps(None, now_utc()) == [] and unhandled_cases(None) == []
        stale = db.session.execute(db.select(db.func.count()).where(
            Case.status == CaseStatus.NEW,
            Case.opened_at < now_utc() - timedelta(days=8))).scalar_one()
    assert stale == 0  # each ward's leader moved its older complaints along
