"""`flask report sipas`: the Decision 766 / SIPAS pack of a ward and of a province, checked
against the figures computed by hand for the `october` fixture."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader


def run(app, tmp_path, unit: str, fmt: str = "csv", period: str = "2026-10"):
    out = tmp_path / f"pack.{fmt}"
    result = app.test_cli_runner().invoke(args=[
        "report", "sipas", "--unit", unit, "--period", period, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def csv_rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_ward_row_has_the_three_levels_and_the_766_ratios(app, tmp_path, october):
    ward = csv_rows(run(app, tmp_path, "00001"))[0]
    assert (ward["level"], ward["code"], ward["responses"]) == ("unit", "00001", "15")
    assert (ward["level3_very_satisfied"], ward["level3_satisfied"],
            ward["level3_dissatisfied"]) == ("6", "4", "5")
    # 3 complaints (the spam one is not); on time 2, to the citizen's satisfaction 1.
    assert (ward["complaints"], ward["complaints_on_time"],
            ward["complaints_handling_satisfied"]) == ("3", "2", "1")
    assert float(ward["ratio_complaints_on_time"]) == pytest.approx(66.67)
    assert float(ward["ratio_complaint_handling_satisfied"]) == pytest.approx(33.33)
    # 15 responses − 5 dissatisfied (every complaint is on one of them) = 10.
    assert float(ward["ratio_dossier_satisfied"]) == pytest.approx(66.67)
    # Below 90 %: ratio × 6 ÷ 0.9.
    assert float(ward["points_complaints_on_time"]) == pytest.approx(4.44)
    assert float(ward["points_complaint_handling_satisfied"]) == pytest.approx(2.22)
    assert float(ward["points_total"]) == pytest.approx(11.11)
    assert (ward["points_max"], ward["below_target"]) == ("18.0", "1")
    # SIPAS factor 5 from the two answered follow-ups (5 and 2).
    assert (ward["sipas_feedback_pct"], ward["sipas_feedback_answers"]) == ("50.0", "2")
    assert float(ward["sipas_staff_pct"]) == pytest.approx(100 * 10 / 15, abs=0.01)
    # Reasons for dissatisfaction, most given first (ties in the checklist's order).
    assert ward["reasons_ranked"] == "waiting:3 attitude:1 late:1"
    assert (ward["reason_waiting"], ward["reason_fees"]) == ("3", "0")


def test_each_officer_has_their_own_ratios(app, tmp_path, october):
    rows = {row["name"]: row for row in csv_rows(run(app, tmp_path, "00001"))
            if row["level"] == "staff"}
    a, b = (rows[counter["staff_name"]] for counter in october["counters"])
    assert (a["responses"], a["ratio_dossier_satisfied"], a["ratio_complaints_on_time"],
            a["ratio_complaint_handling_satisfied"]) == ("10", "70.0", "50.0", "50.0")
    assert (b["responses"], b["ratio_dossier_satisfied"], b["ratio_complaints_on_time"],
            b["ratio_complaint_handling_satisfied"]) == ("5", "60.0", "100.0", "0.0")
    assert (a["reasons_ranked"], b["reasons_ranked"]) == ("waiting:2 attitude:1",
                                                          "waiting:1 late:1")
    assert {row["level"] for row in csv_rows(run(app, tmp_path, "00001"))} == {
        "unit", "centre", "counter", "staff"}


def test_a_province_gives_one_row_per_ward(app, tmp_path, october):
    rows = csv_rows(run(app, tmp_path, "P00001"))
    assert [(row["level"], row["code"]) for row in rows] == [("unit", "00001"),
                                                             ("unit", "00002")]
    assert rows[0]["ratio_dossier_satisfied"] == "66.67"
    assert rows[1]["responses"] == "0" and rows[1]["ratio_dossier_satisfied"] == ""


def test_another_month_has_nothing_to_count(app, tmp_path, october):
    ward = csv_rows(run(app, tmp_path, "00001", period="2026-09"))[0]
    assert ward["responses"] == "0" and ward["points_total"] == ""


def test_xlsx_has_translated_headers_and_the_formulas(app, tmp_path, october):
    book = load_workbook(run(app, tmp_path, "00001", "xlsx"))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn (%)" in header
    method = " ".join(str(row[0]) for row in book.worksheets[1].iter_rows(values_only=True))
    assert "90 %" in method
    assert header[-1] == "Lý do chưa hài lòng, xếp theo số lượt nêu"
    assert book.worksheets[0].cell(row=2, column=len(header)).value == \
        "Chờ quá lâu (3), Thái độ, sự hướng dẫn của công chức (1), Trả kết quả trễ hẹn (1)"


def test_pdf_lists_the_wards_below_target(app, tmp_path, october):
    reader = PdfReader(run(app, tmp_path, "P00001", "pdf"))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Phường 00001" in text and "Xã Thử Hai" in text
    assert "Chờ quá lâu (3)" in text


def test_unknown_unit_or_period_is_refused(app, october):
    runner = app.test_cli_runner()
    bad_unit = runner.invoke(args=["report", "sipas", "--unit", "99999", "--period", "2026-10",
                                   "-o", "x.csv"])
    bad_period = runner.invoke(args=["report", "sipas", "--unit", "00001", "--period", "10/2026",
                                     "-o", "x.csv"])
    assert bad_unit.exit_code != 0 and "99999" in bad_unit.output
    assert bad_period.exit_code != 0


def test_the_dashboards_ratios_counted_in_the_database_equal_the_packs(app, october):
    from core.db import db
    from feedback.periods import parse_period
    from feedback.scoring import Tally
    from feedback.standards.pack import Level, scope_ratios, ward_pack
    from surveys.models import Counter, Staff, Unit
    from surveys.queries import unit_lineage_ids

    with app.app_context():
        ward = db.session.execute(db.select(Unit).where(Unit.code == "00001")).scalar_one()
        period = parse_period("2026-10")
        units = unit_lineage_ids(ward.id)
        rows = ward_pack(ward, period)
        assert scope_ratios(units, period) == rows[0].ratios
        ward_tally = Tally.of(v for v in (5, 5, 5, 5, 4, 4, 4, 3, 2, 1, 5, 5, 4, 2, 2))
        assert scope_ratios(units, period, overall=ward_tally) == rows[0].ratios
        assert scope_ratios(None, period) == rows[0].ratios  # nothing elsewhere in October
        for row in rows[1:]:
            if row.level == Level.STAFF:
                staff = db.session.execute(db.select(Staff).where(Staff.code == row.code))
                narrowed = {"staff_id": staff.scalar_one().id}
            elif row.level == Level.COUNTER:
                narrowed = {"counter_id": db.session.get(Counter, int(row.code)).id}
            else:
                narrowed = {"centre_id": int(row.code)}
            assert scope_ratios(units, period, **narrowed) == row.ratios, row.name
        assert [r.denominator for r in scope_ratios(units, parse_period("2026-09"))] == [0, 0, 0]


def test_a_complaint_dismissed_as_unfounded_before_its_due_day_was_handled_on_time(
        app, tmp_path, october):
    """A dismissed case is no longer open: it ended when it was dismissed. B's first complaint,
    dismissed as unfounded on 20 October (due 30 October), is on time — not "open past its due
    date" because nothing but the timeline records when a case was dismissed."""
    from datetime import UTC, datetime

    from accounts.models import Role
    from accounts.services import create_user
    from core.db import db
    from feedback.cases.models import Case, CaseStatus, DismissReason
    from feedback.cases.services import apply_action
    from feedback.cases.sla import SlaPolicy
    from feedback.cases.workflow import Action
    from feedback.periods import parse_period
    from feedback.standards.pack import scope_ratios, ward_pack
    from surveys.models import Unit
    from surveys.queries import unit_lineage_ids

    with app.app_context():
        ward = db.session.execute(db.select(Unit).where(Unit.code == "00001")).scalar_one()
        leader = create_user("lanh.dao", "mat-khau-du-dai", Role.LEADER, ward)
        b_two = db.session.execute(db.select(Case).where(
            Case.status == CaseStatus.RESOLVED, Case.followup_rating == 2)).scalar_one()
        b_two.status, b_two.resolved_at = CaseStatus.IN_PROGRESS, None
        apply_action(b_two, Action.DISMISS, leader, SlaPolicy.from_config(app.config),
                     reason=DismissReason.UNFOUNDED, text="Không có căn cứ",
                     at=datetime(2026, 10, 20, 3, tzinfo=UTC))
        db.session.commit()
        period = parse_period("2026-10")
        assert scope_ratios(unit_lineage_ids(ward.id), period) == ward_pack(ward, period)[0].ratios
    ward_row = csv_rows(run(app, tmp_path, "00001"))[0]
    # 3 complaints: A's 2 and B's dismissed one on time, A's 1 late.
    assert (ward_row["complaints"], ward_row["complaints_on_time"]) == ("3", "2")
