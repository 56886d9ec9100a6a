"""`flask report staff` writes CSV, XLSX and PDF files people can open and read; no legal grade
name appears until the head of unit decided one, and then beside the satisfaction input."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from accounts.services import create_user
from core.db import db
from core.settings import ConfigError
from feedback.hr import decisions
from feedback.hr.evaluation import Settings, unit_report
from feedback.hr.grades import GRADE_NAMES_VI, Grade
from feedback.hr.models import Secondment
from feedback.periods import parse_period
from surveys.models import Staff, Unit

NAMES = ("Nguyễn Thị Hường", "Trần Văn Bình", "Lê Thị Cúc")
#: The legal grade names; none may appear in an export of a period nobody has graded.
LEGAL_NAMES = ("hoàn thành", "xuất sắc", "Hoàn thành", "completed tasks", "Completed tasks")


def decide(app, grades_by_name: dict[str, Grade]) -> None:
    """The head of unit of ward 00001 records grades for 2026-Q3."""
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one()
        leader = create_user("truong.phuong", "Mat-khau-dai-123", Role.LEADER, unit)
        db.session.flush()
        period = parse_period("2026-Q3")
        report = unit_report(unit, period, Settings())
        ids = {line.name: line.staff_id for line in report.staff}
        decisions.record(unit.id, period, report.version, report.profile.key,
                         {ids[name]: grade for name, grade in grades_by_name.items()},
                         {line.staff_id: line.sub_score for line in report.staff},
                         list(ids.values()), leader)
        db.session.commit()


def run(runner, tmp_path, fmt, *extra):
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(args=["report", "staff", "--unit", "00001", "--period", "2026-Q3",
                                 "--format", fmt, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_csv_has_one_row_per_staff_member_with_the_hand_computed_scores(
        runner, tmp_path, worked_example):
    out, output = run(runner, tmp_path, "csv")
    assert "3 dòng công chức, 104 phiếu (4 phiếu không được tính)" in output
    rows = {row["staff"]: row for row in csv.DictReader(
        io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert set(rows) == set(NAMES)
    a = rows["Nguyễn Thị Hường"]
    assert (a["counted"], a["excluded"], a["score"], a["rank"], a["ranked_of"]) == (
        "30", "3", "80.0", "1", "3")
    assert (a["share_satisfied_pct"], a["expected_share_pct"], a["relative_points"]) == (
        "60.0", "50.0", "10.0")
    # Every answer of the example rates all five questions alike, so on attitude and guidance
    # A has 18 fives and 12 twos: 18 very satisfied, 0 satisfied, 12 dissatisfied, 60 %:
    # NĐ 335 gives 5 × 0.6 = 3.0 of 5 points.
    assert (a["level3_very_satisfied"], a["level3_satisfied"], a["level3_dissatisfied"]) == (
        "18", "0", "12")
    assert (a["attitude_share_pct"], a["sub_score"], a["sub_score_max"], a["profile"]) == (
        "60.0", "3.0", "5.0", "nd335")
    # C: 29 of 40 satisfied = 72.5 %: 5 × 0.725 = 3.625 → 3.6.
    assert rows["Lê Thị Cúc"]["sub_score"] == "3.6"
    assert all(row["decided_grade"] == "" for row in rows.values())
    text = out.read_text(encoding="utf-8-sig")
    assert not any(name in text for name in LEGAL_NAMES)


def test_csv_columns_are_named_once_with_the_issue_columns(runner, tmp_path, worked_example):
    out, _output = run(runner, tmp_path, "csv")
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(header) == len(set(header))
    assert {"level3_very_satisfied", "level3_satisfied", "level3_dissatisfied", "sub_score",
            "sub_score_max", "profile", "decided_grade"} <= set(header)
    assert header.count("mean_overall") == 1 and "grade" not in header


def test_a_decided_grade_appears_beside_the_input_in_every_export(app, runner, tmp_path,
                                                                 worked_example):
    decide(app, {"Nguyễn Thị Hường": Grade.GOOD, "Trần Văn Bình": Grade.COMPLETED})
    out, _output = run(runner, tmp_path, "csv")
    rows = {row["staff"]: row for row in csv.DictReader(
        io.StringIO(out.read_text(encoding="utf-8-sig")))}
    a = rows["Nguyễn Thị Hường"]
    assert (a["decided_grade"], a["sub_score"], a["decided_by"]) == (
        GRADE_NAMES_VI[Grade.GOOD], "3.0", "truong.phuong")
    assert rows["Lê Thị Cúc"]["decided_grade"] == ""
    out, _output = run(runner, tmp_path, "pdf")
    hương = next(page.extract_text() for page in PdfReader(out).pages[1:4]
                 if "Nguyễn Thị Hường" in page.extract_text())
    assert "Hoàn thành tốt nhiệm vụ" in hương and "truong.phuong" in hương
    assert "3,0" in hương
    out, _output = run(runner, tmp_path, "xlsx")
    staff = load_workbook(out).worksheets[0]
    header = [cell.value for cell in staff[1]]
    column = header.index("Xếp loại do người đứng đầu quyết định")
    grades = {row[4]: row[column] for row in staff.iter_rows(min_row=2, values_only=True)}
    assert grades == {"Nguyễn Thị Hường": "Hoàn thành tốt nhiệm vụ",
                      "Trần Văn Bình": "Hoàn thành nhiệm vụ", "Lê Thị Cúc": None}


def test_csv_says_insufficient_data_below_the_minimum(make_app, tmp_path, worked_example):
    app = make_app(HR_MIN_RESPONSES=35)
    out, _output = run(app.test_cli_runner(), tmp_path, "csv")
    rows = {row["staff"]: row for row in csv.DictReader(
        io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["Trần Văn Bình"]["status"] == "insufficient_data"
    assert rows["Trần Văn Bình"]["score"] == "" and rows["Trần Văn Bình"]["sub_score"] == ""
    assert rows["Lê Thị Cúc"]["status"] == "ok"


def test_pdf_gives_no_unit_share_below_the_minimum(make_app, tmp_path, worked_example):
    """The minimum holds for the unit's share too: 100 counted responses under a minimum of 101
    give "insufficient data", not 74,0 %."""
    app = make_app(HR_MIN_RESPONSES=101)
    out, _output = run(app.test_cli_runner(), tmp_path, "pdf")
    summary = PdfReader(out).pages[0].extract_text()
    assert "Tỷ lệ hài lòng của đơn vị: Chưa đủ dữ liệu" in summary
    assert "74,0" not in summary


def test_xlsx_has_staff_rows_exclusions_and_the_method(runner, tmp_path, worked_example):
    out, _output = run(runner, tmp_path, "xlsx")
    book = load_workbook(out)
    staff, excluded, method = book.worksheets
    assert staff.max_row == 1 + 3
    header = [cell.value for cell in staff[1]]
    assert "Điểm" in header
    # The three levels are those of the answers on attitude and guidance, not of the overall
    # question (which the Decision 766 pack's "Rất hài lòng" columns count): the header says so.
    assert {"Thái độ, hướng dẫn: Rất hài lòng", "Thái độ, hướng dẫn: Hài lòng",
            "Thái độ, hướng dẫn: Không hài lòng"} <= set(header)
    assert "Rất hài lòng" not in header and "Không hài lòng" not in header
    cells = " ".join(str(value) for row in staff.iter_rows(values_only=True) for value in row)
    assert not any(name in cells for name in LEGAL_NAMES)
    assert excluded.max_row == 1 + 4
    reasons = " ".join(str(row[4]) for row in excluded.iter_rows(min_row=2, values_only=True))
    assert "một thiết bị" in reasons
    text = "\n".join(str(row[0]) for row in method.iter_rows(values_only=True))
    assert "Thái độ phục vụ nhân dân, doanh nghiệp" in text and "30" in text
    assert "chưa xác minh" in text


def test_xlsx_in_english(runner, tmp_path, worked_example):
    out, _output = run(runner, tmp_path, "xlsx", "--lang", "en")
    book = load_workbook(out)
    assert [sheet.title for sheet in book.worksheets] == ["Staff", "Excluded", "Method"]
    header = [c.value for c in book.worksheets[0][1]]
    assert "Attitude and guidance: very satisfied" in header and "Sub-score (points)" in header


def test_pdf_has_one_page_per_staff_member_with_vietnamese_text(runner, tmp_path,
                                                                 worked_example):
    out, output = run(runner, tmp_path, "pdf")
    assert "5 trang" in output
    reader = PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 1 + 3 + 1
    for name in NAMES:
        assert sum(name in text for text in pages[1:4]) == 1
    hương = next(text for text in pages if "Nguyễn Thị Hường" in text)
    assert "80,0" in hương and "80.0" not in hương and "3,0" in hương
    # The chart's means in the reader's format: A's mean is (18 × 5 + 12 × 2) ÷ 30 = 3,80.
    assert "3,80" in hương and "3.80" not in hương
    assert not any(name in text for name in LEGAL_NAMES for text in pages[:4])
    assert "Phường 00001" in pages[0]


def _fonts(resources) -> list:
    """The fonts a page's resources use, with those of the drawings it shows."""
    resources = resources.get_object()
    fonts = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        if "/Resources" in xobject.get_object():
            fonts += _fonts(xobject.get_object()["/Resources"])
    return fonts


def test_pdf_staff_pages_keep_their_table_beside_their_charts_in_embedded_fonts(
        runner, tmp_path, worked_example):
    out, _output = run(runner, tmp_path, "pdf")
    reader = PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    hương = next(text for text in pages if "Nguyễn Thị Hường" in text)
    # The table's label and value on one line, the chart's title and means on the same page.
    assert "Số phiếu được tính 30" in hương and "Tỷ lệ hài lòng 60,0 %" in hương
    assert "Điểm trung bình theo tiêu chí" in hương and "3,80" in hương
    assert "CÁCH TÍNH CÁC CHỈ SỐ" in pages[-1] and "Thái độ phục vụ nhân dân" in pages[-1]
    for page in reader.pages:
        fonts = [font.get_object() for font in _fonts(page["/Resources"])]
        assert fonts and all("/FontFile2" in font["/DescendantFonts"][0].get_object()[
            "/FontDescriptor"] for font in fonts)


@pytest.mark.parametrize("args, message", [
    (["--unit", "99999", "--period", "2026-Q3"], "không có đơn vị nào mang mã 99999"),
    (["--unit", "00001", "--period", "2026-W05"], "YYYY-MM"),
    (["--unit", "00001", "--period", "Q3"], "'Q3' không phải là kỳ báo cáo: hãy ghi YYYY-MM"),
])
def test_bad_unit_or_period_is_refused(runner, tmp_path, ward, args, message):
    result = runner.invoke(args=["report", "staff", *args, "--format", "csv",
                                 "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and message in result.output


def test_bad_profile_file_is_reported(make_app, tmp_path, ward):
    bad = tmp_path / "rules.json"
    bad.write_text('{"versions": []}', encoding="utf-8")
    with pytest.raises(ConfigError, match="versions must be a non-empty list"):
        make_app(HR_PROFILE=str(bad))  # the app refuses to start, before any report


def test_a_seconded_staff_members_report_is_addressed_to_their_home_agency(
        app, runner, tmp_path, worked_example):
    with app.app_context():
        code = db.session.get(Staff, worked_example["counters"][1]["staff_id"]).code
    result = runner.invoke(args=["report", "second", "--staff", code, "--agency", "Sở Tư pháp"])
    assert result.output == f"{code}: công chức do Sở Tư pháp cử đến làm việc.\n"
    out, _output = run(runner, tmp_path, "csv", "--home-agency", "Sở Tư pháp")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    # Only Bình, with the rank among the ward's three staff members.
    assert [(r["staff"], r["home_agency"], r["rank"], r["ranked_of"]) for r in rows] == [
        ("Trần Văn Bình", "Sở Tư pháp", "2", "3")]
    out, _output = run(runner, tmp_path, "pdf", "--home-agency", "Sở Tư pháp")
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) == 1 + 1 + 1 and "Kính gửi: Sở Tư pháp" in pages[0]
    ended = runner.invoke(args=["report", "second", "--staff", code, "--agency", ""])
    assert ended.output == f"{code}: không còn là công chức được cử đến làm việc.\n"
    unknown = runner.invoke(args=["report", "second", "--staff", "KHONG-CO", "--agency", "Sở"])
    assert unknown.exit_code == 2
    assert "không có công chức nào mang mã KHONG-CO" in unknown.output
    out, _output = run(runner, tmp_path, "csv")
    rows = {r["staff"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["Trần Văn Bình"]["home_agency"] == ""
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(
            Secondment)).scalar_one() == 2


def test_a_province_is_refused_with_where_its_figures_are(app, runner, tmp_path, ward):
    with app.app_context():
        province = db.session.get(Unit, ward["province_id"])
    out = tmp_path / "tinh.csv"
    result = runner.invoke(args=["report", "staff", "--unit", province.code, "--period",
                                 "2026-Q3", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert (f"{province.name} là tỉnh, thành phố: báo cáo công chức được lập theo từng phường, "
            "xã, đặc khu") in result.output


def test_an_unknown_home_agency_is_refused_naming_the_known_ones(app, runner, tmp_path,
                                                                  worked_example):
    with app.app_context():
        code = db.session.get(Staff, worked_example["counters"][1]["staff_id"]).code
    runner.invoke(args=["report", "second", "--staff", code, "--agency", "Sở Tư pháp"])
    result = runner.invoke(args=["report", "staff", "--unit", "00001", "--period", "2026-Q3",
                                 "--home-agency", "Sở Tài chính", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and not (tmp_path / "x.csv").exists()
    assert "không có công chức nào của" in result.output and "do Sở Tài chính cử" in result.output
    assert "cơ quan cử của các công chức: Sở Tư pháp." in result.output
