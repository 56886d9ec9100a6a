"""`flask report staff` writes CSV, XLSX and PDF files people can open and read."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

NAMES = ("Nguyễn Thị Hường", "Trần Văn Bình", "Lê Thị Cúc")


def run(runner, tmp_path, fmt, *extra):
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(args=["report", "staff", "--unit", "00001", "--period", "2026-Q3",
                                 "--format", fmt, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_csv_has_one_row_per_staff_member_with_the_hand_computed_scores(
        runner, tmp_path, worked_example):
    out, output = run(runner, tmp_path, "csv")
    assert "104 responses (4 excluded)" in output
    rows = {row["staff"]: row for row in csv.DictReader(
        io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert set(rows) == set(NAMES)
    a = rows["Nguyễn Thị Hường"]
    assert (a["counted"], a["excluded"], a["score"], a["rank"], a["ranked_of"]) == (
        "30", "3", "80.0", "1", "3")
    assert (a["share_satisfied_pct"], a["expected_share_pct"], a["relative_points"]) == (
        "60.0", "50.0", "10.0")
    assert (a["grade"], a["grade_vi"]) == ("completed", "Hoàn thành nhiệm vụ")
    assert rows["Lê Thị Cúc"]["grade_vi"] == "Không hoàn thành nhiệm vụ"


def test_csv_says_insufficient_data_below_the_minimum(make_app, tmp_path, worked_example):
    app = make_app(HR_MIN_RESPONSES=35)
    out, _output = run(app.test_cli_runner(), tmp_path, "csv")
    rows = {row["staff"]: row for row in csv.DictReader(
        io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["Trần Văn Bình"]["status"] == "insufficient_data"
    assert rows["Trần Văn Bình"]["score"] == "" and rows["Trần Văn Bình"]["grade"] == ""
    assert rows["Lê Thị Cúc"]["status"] == "ok"


def test_xlsx_has_staff_rows_exclusions_and_the_method(runner, tmp_path, worked_example):
    out, _output = run(runner, tmp_path, "xlsx")
    book = load_workbook(out)
    staff, excluded, method = book.worksheets
    assert staff.max_row == 1 + 3
    header = [cell.value for cell in staff[1]]
    assert "Điểm" in header and "Xếp loại" in header
    grades = {row[3]: row[header.index("Xếp loại")] for row in staff.iter_rows(
        min_row=2, values_only=True)}
    assert grades["Nguyễn Thị Hường"] == "Hoàn thành nhiệm vụ"
    assert excluded.max_row == 1 + 4
    reasons = " ".join(str(row[4]) for row in excluded.iter_rows(min_row=2, values_only=True))
    assert "một thiết bị" in reasons
    text = "\n".join(str(row[0]) for row in method.iter_rows(values_only=True))
    assert "VÍ DỤ" in text and "30" in text


def test_xlsx_in_english(runner, tmp_path, worked_example):
    out, _output = run(runner, tmp_path, "xlsx", "--lang", "en")
    book = load_workbook(out)
    assert [sheet.title for sheet in book.worksheets] == ["Staff", "Excluded", "Method"]
    assert "Completed tasks" in [c.value for c in book.worksheets[0]["U"]]


def test_pdf_has_one_page_per_staff_member_with_vietnamese_text(runner, tmp_path,
                                                                 worked_example):
    out, output = run(runner, tmp_path, "pdf")
    assert "5 pages" in output
    reader = PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 1 + 3 + 1
    for name in NAMES:
        assert sum(name in text for text in pages[1:4]) == 1
    hương = next(text for text in pages if "Nguyễn Thị Hường" in text)
    assert "Hoàn thành nhiệm vụ" in hương and "80,0" in hương and "80.0" not in hương
    assert "Phường 00001" in pages[0]


@pytest.mark.parametrize("args, message", [
    (["--unit", "99999", "--period", "2026-Q3"], "no unit"),
    (["--unit", "00001", "--period", "2026-W05"], "YYYY-MM"),
    (["--unit", "00001", "--period", "Q3"], "not a period"),
])
def test_bad_unit_or_period_is_refused(runner, tmp_path, ward, args, message):
    result = runner.invoke(args=["report", "staff", *args, "--format", "csv",
                                 "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and message in result.output


def test_bad_grading_rules_file_is_reported(make_app, tmp_path, ward):
    bad = tmp_path / "rules.json"
    bad.write_text('{"versions": []}', encoding="utf-8")
    app = make_app(HR_GRADING_RULES=str(bad))
    result = app.test_cli_runner().invoke(args=[
        "report", "staff", "--unit", "00001", "--period", "2026-Q3", "-o",
        str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "versions must be a non-empty list" in result.output
