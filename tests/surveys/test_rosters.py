"""`flask staff import`: staff rosters from CSV and XLSX, all rows or none."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook

from accounts.audit import AdminAudit, AuditAction
from accounts.models import Role
from core.db import db
from core.timeutil import to_local
from feedback.dashboard.fold import fold_all
from feedback.dashboard.queries import Scope, rating_tallies
from feedback.models import Response
from feedback.periods import PeriodKind, containing
from feedback.scoring import OVERALL
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import Assignment, Centre, Counter, Staff, Unit
from surveys.official_units import import_province
from surveys.rosters import COLUMNS, RosterResult
from tests.support import csrf_of

HEADERS = [title for _key, title in COLUMNS]
GOOD = [
    ["CB101", "Nguyễn Văn An", "Công chức một cửa", "31135", "Quầy 1", "01/07/2025"],
    ["CB102", "Trần Thị Bình", "Công chức tư pháp - hộ tịch", "31135", "Quầy 2", "2025-07-01"],
    ["CB103", "Lê Văn Cường", "Công chức địa chính", "31135", "", ""],
    ["CB104", "Phạm Thị Dung", "Công chức một cửa", "31120", "Quầy 1", "15/08/2025"],
]


@pytest.fixture
def wards(app):
    with app.app_context():
        import_province("92", only=("31135", "31120", "31105"))
        for code in ("31135", "31120"):
            unit = db.session.execute(db.select(Unit).filter_by(code=code)).scalar_one()
            centre = services.create_centre(unit, f"Trung tâm PVHCC {code}")
            for label in ("Quầy 1", "Quầy 2"):
                services.create_counter(centre, label)
        db.session.commit()


def _csv(path, rows, headers=HEADERS):
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([headers, *rows])
    return path


def _snapshot(app):
    with app.app_context():
        staff = {(s.code, s.full_name, s.position, s.unit.code)
                 for s in db.session.execute(db.select(Staff)).scalars()}
        seats = {(a.staff.code, a.counter.centre.unit.code, a.counter.label,
                  to_local(a.starts_at).date(), a.ends_at)
                 for a in db.session.execute(db.select(Assignment)).scalars()}
    return staff, seats


def test_a_good_csv_stores_every_row_and_a_second_import_changes_nothing(app, runner, wards,
                                                                         tmp_path):
    path = _csv(tmp_path / "roster.csv", GOOD)
    result = runner.invoke(args=["staff", "import", str(path), "--unit", "92"])
    assert result.exit_code == 0, result.output
    assert ("4 dòng: 4 công chức được thêm, 0 được cập nhật, 3 lượt bố trí tại quầy được "
            "thêm; 0 công chức không thay đổi.") in result.output
    staff, seats = _snapshot(app)
    assert ("CB102", "Trần Thị Bình", "Công chức tư pháp - hộ tịch", "31135") in staff
    assert len(staff) == 4
    assert seats == {("CB101", "31135", "Quầy 1", date(2025, 7, 1), None),
                     ("CB102", "31135", "Quầy 2", date(2025, 7, 1), None),
                     ("CB104", "31120", "Quầy 1", date(2025, 8, 15), None)}

    again = runner.invoke(args=["staff", "import", str(path), "--unit", "92"])
    assert again.exit_code == 0, again.output
    assert "4 dòng, không có thay đổi: mọi dòng đều đã được lưu." in again.output
    assert _snapshot(app) == (staff, seats)
    with app.app_context():
        logged = [(e.user_id, e.action, e.what, e.page) for e in db.session.execute(
            db.select(AdminAudit).order_by(AdminAudit.id)).scalars()]
    assert logged[0] == (None, AuditAction.IMPORTED,
                         "4 dòng: 4 công chức được thêm, 0 được cập nhật, 3 lượt bố trí tại quầy "
                         "được thêm",
                         "flask staff import roster.csv --unit 92")
    assert len(logged) == 2  # the second run is logged too, with nothing added


def test_an_xlsx_roster_with_date_cells_imports_like_the_csv(app, runner, wards, tmp_path):
    template = tmp_path / "mau.xlsx"
    assert runner.invoke(args=["staff", "template", str(template)]).exit_code == 0
    workbook = load_workbook(template)
    assert [c.value for c in workbook.active[1]] == HEADERS
    workbook.active.append(["CB201", "Võ Thị Em", "Công chức một cửa", 31135, "Quầy 1",
                            date(2025, 7, 1)])
    workbook.save(template)
    result = runner.invoke(args=["staff", "import", str(template), "--unit", "31135"])
    assert result.exit_code == 0, result.output
    staff, seats = _snapshot(app)
    assert staff == {("CB201", "Võ Thị Em", "Công chức một cửa", "31135")}
    assert seats == {("CB201", "31135", "Quầy 1", date(2025, 7, 1), None)}
    again = runner.invoke(args=["staff", "import", str(template), "--unit", "31135"])
    assert "không có thay đổi" in again.output and _snapshot(app) == (staff, seats)


def test_the_csv_template_has_the_vietnamese_headers(runner, tmp_path):
    path = tmp_path / "mau.csv"
    result = runner.invoke(args=["staff", "template", str(path)])
    assert result.output == f"Đã ghi mẫu danh sách công chức (chưa có dòng nào) vào tệp {path}.\n"
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(HEADERS)]
    assert HEADERS[0] == "Mã công chức"
    refused = runner.invoke(args=["staff", "template", str(tmp_path / "mau.ods")])
    assert refused.exit_code == 1 and "Chỉ nhận tệp .csv hoặc .xlsx." in refused.output


def test_a_roster_filled_in_on_the_earlier_template_still_imports(app, runner, wards,
                                                                   tmp_path):
    earlier = ["Mã cán bộ", *HEADERS[1:]]
    path = _csv(tmp_path / "roster.csv", GOOD[:1], headers=earlier)
    result = runner.invoke(args=["staff", "import", str(path), "--unit", "92"])
    assert result.exit_code == 0, result.output
    assert _snapshot(app)[0] == {("CB101", "Nguyễn Văn An", "Công chức một cửa", "31135")}


def test_a_file_with_bad_rows_prints_every_error_and_stores_nothing(app, runner, wards,
                                                                    tmp_path, count_rows):
    rows = [*GOOD,
            ["CB101", "Người Trùng Mã", "Công chức", "31135", "", ""],
            ["CB301", "Mã Đơn Vị Sai", "Công chức", "99999", "", ""],
            ["CB302", "Quầy Không Có", "Công chức", "31135", "Quầy 9", "01/07/2025"],
            ["CB303", "Ngày Sai", "Công chức", "31135", "Quầy 2", "31/02/2025"],
            ["CB304", "Cùng Quầy Cùng Ngày", "Công chức", "31135", "Quầy 1", "01/07/2025"]]
    path = _csv(tmp_path / "roster.csv", rows)
    for extra in ([], ["--dry-run"]):
        result = runner.invoke(args=["staff", "import", str(path), "--unit", "92", *extra])
        assert result.exit_code != 0
        assert "Dòng 6: Mã công chức CB101 bị trùng (đã có ở dòng 2)." in result.output
        assert "Dòng 7: Không có đơn vị mã 99999." in result.output
        assert "Dòng 8: Không có quầy Quầy 9 tại đơn vị 31135." in result.output
        assert "Dòng 9: Ngày bắt đầu 31/02/2025 không hợp lệ" in result.output
        assert "Dòng 10: Dòng 2 đã bố trí người khác làm việc tại quầy này" in result.output
        assert "5 trên 9 dòng có lỗi; chưa lưu dữ liệu nào." in result.output
        assert "Dòng 2:" not in result.output
    assert count_rows(Staff) == 0 and count_rows(Assignment) == 0


def test_rows_outside_the_unit_and_earlier_seats_are_refused(app, runner, wards, tmp_path,
                                                             count_rows):
    assert runner.invoke(args=["staff", "import", str(_csv(tmp_path / "a.csv", GOOD[:1])),
                               "--unit", "31135"]).exit_code == 0
    rows = [["CB401", "Ở Phường Khác", "Công chức", "31120", "", ""],
            ["CB402", "Ngồi Trước Đó", "Công chức", "31135", "Quầy 1", "30/06/2025"]]
    result = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "b.csv", rows)),
                                 "--unit", "31135"])
    assert result.exit_code != 0
    assert "Dòng 2: Đơn vị 31120 không thuộc phạm vi đơn vị của lần nhập này." in result.output
    assert "Dòng 3: Quầy này hoặc công chức này đã được bố trí từ ngày này" in result.output
    assert count_rows(Staff) == 1


def test_names_are_normalised_and_control_characters_refused(app, runner, wards, tmp_path):
    decomposed = [[unicodedata.normalize("NFD", cell) for cell in row] for row in GOOD[:2]]
    path = _csv(tmp_path / "nfd.csv", decomposed)
    assert runner.invoke(args=["staff", "import", str(path), "--unit", "92"]).exit_code == 0
    assert ("CB102", "Trần Thị Bình", "Công chức tư pháp - hộ tịch", "31135") in _snapshot(app)[0]
    again = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "nfc.csv", GOOD[:2])),
                                "--unit", "92"])
    assert "không có thay đổi" in again.output
    bad = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "nul.csv", [
        ["CB501", "Tên\x00Lạ", "Công chức", "31135", "", ""]])), "--unit", "92"])
    assert bad.exit_code != 0 and "Dòng 2: Nội dung có ký tự không được phép." in bad.output


def test_counters_of_several_centres_merged_units_and_renamed_staff(app, runner, wards,
                                                                   tmp_path):
    with app.app_context():
        ward = db.session.execute(db.select(Unit).filter_by(code="31135")).scalar_one()
        services.create_counter(services.create_centre(ward, "Điểm tiếp nhận số 2"), "Quầy 1")
        old = services.create_unit("DEMO-01", "Phường Tân An (cũ)", ward.kind, ward.parent)
        services.merge_units([old], ward, date(2025, 6, 30))
        db.session.commit()
    rows = [["CB601", "Một", "Công chức", "31135", "Quầy 1", "01/07/2025"],
            ["CB602", "Hai", "Công chức", "31135", "Quầy 2", ""],
            ["CB603", "Ba", "Công chức", "DEMO-01", "", ""]]
    result = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "a.csv", rows)),
                                 "--unit", "31135"])
    assert result.exit_code != 0
    assert "Dòng 2: Nhiều trung tâm có quầy Quầy 1: ghi tên trung tâm trước, ví dụ “" \
        in result.output and " / Quầy 1”." in result.output
    assert "Dòng 3: Đã ghi quầy thì phải ghi ngày bắt đầu." in result.output
    assert "Dòng 4: Đơn vị DEMO-01 không còn tồn tại" in result.output
    rows = [["CB601", "Một", "Công chức", "31135", "Điểm tiếp nhận số 2 / Quầy 1", "01/07/2025"]]
    path = _csv(tmp_path / "b.csv", rows)
    assert runner.invoke(args=["staff", "import", str(path), "--unit", "31135"]).exit_code == 0
    rows[0][1] = "Nguyễn Thị Một"
    renamed = runner.invoke(args=["staff", "import", str(_csv(path, rows)), "--unit", "31135"])
    assert "0 công chức được thêm, 1 được cập nhật, 0 lượt bố trí tại quầy được thêm" \
        in renamed.output
    staff, seats = _snapshot(app)
    assert staff == {("CB601", "Nguyễn Thị Một", "Công chức", "31135")}
    assert len(seats) == 1


def test_dry_run_checks_a_good_file_and_stores_nothing(runner, wards, tmp_path, count_rows):
    path = _csv(tmp_path / "roster.csv", GOOD)
    result = runner.invoke(args=["staff", "import", str(path), "--unit", "92", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Đã kiểm tra 4 dòng, không có lỗi; chưa lưu dữ liệu (chạy thử)." in result.output
    assert count_rows(Staff) == 0


def test_the_command_answers_in_english_when_asked(make_app, wards, tmp_path):
    runner = make_app(COMMAND_LANGUAGE="en").test_cli_runner()
    rows = [*GOOD[:1], ["CB101", "Người Trùng Mã", "Công chức", "31135", "", ""]]
    result = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "r.csv", rows)),
                                 "--unit", "92"])
    assert "Row 3: Duplicate staff code CB101 (also on row 2)." in result.output
    assert "Error: 1 of 2 rows have errors; nothing was stored." in result.output
    result = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "g.csv", GOOD[:1])),
                                 "--unit", "92"])
    assert "1 row: 1 staff member added, 0 updated, 1 counter assignment added" in result.output


def _rated_and_folded(counter, survey, rating: int, times: list[datetime]) -> list[int]:
    """Responses rated `rating` on every question at these times, stored and folded."""
    ids = [record_response(counter, survey, Submission(
        submission_key=f"roster-{at.isoformat()}", ratings={q.id: rating
                                                            for q in survey.questions},
        locale="vi"), at=at).id for at in times]
    db.session.commit()
    fold_all()
    db.session.commit()
    return ids


def _import_first_row(runner, tmp_path):
    """`flask staff import` of the first good row (CB101 at Quầy 1 of 31135 from 1 July)."""
    result = runner.invoke(args=["staff", "import", str(_csv(tmp_path / "r.csv", GOOD[:1])),
                                 "--unit", "92"])
    assert result.exit_code == 0, result.output
    return result


def test_a_seat_recorded_late_takes_the_counters_responses_since_its_start(app, runner, wards,
                                                                           tmp_path):
    """As any assignment recorded late: the responses given at the counter since the seat's
    start are the seated person's, in their scores and the dashboards."""
    with app.app_context():
        survey = services.ensure_default_survey()
        counter = db.session.execute(db.select(Counter).join(Centre).join(Unit).where(
            Unit.code == "31135", Counter.label == "Quầy 1")).scalar_one()
        at = datetime(2025, 7, 2, 3, 0, tzinfo=UTC)  # 10:00 local, after the seat's start
        [response_id] = _rated_and_folded(counter, survey, 5, [at])
    result = _import_first_row(runner, tmp_path)
    moved = "1 lượt bố trí tại quầy được thêm, 1 phiếu được ghi nhận cho người trực quầy"
    assert moved in result.output  # and in the administration log, who did it and what moved
    with app.app_context():
        assert moved in db.session.execute(db.select(AdminAudit)).scalar_one().what
        staff = db.session.execute(db.select(Staff).filter_by(code="CB101")).scalar_one()
        assert db.session.get(Response, response_id).staff_id == staff.id
        july = containing(PeriodKind.MONTH, date(2025, 7, 2))
        tallies = rating_tallies(Scope(staff_id=staff.id), july, ("question",),
                                 codes=[OVERALL])
        assert tallies[(OVERALL,)].counts == (0, 0, 0, 0, 1)


def test_missing_columns_and_unknown_units_are_clear_errors(runner, wards, tmp_path):
    path = _csv(tmp_path / "roster.csv", [GOOD[0][:2]], headers=HEADERS[:2])
    result = runner.invoke(args=["staff", "import", str(path), "--unit", "92"])
    assert result.exit_code != 0
    assert "Thiếu cột: Vị trí việc làm, Mã đơn vị, Quầy, Ngày bắt đầu." in result.output
    result = runner.invoke(args=["staff", "import", str(path), "--unit", "00000"])
    assert result.exit_code != 0 and "Không có đơn vị mã 00000." in result.output
    Workbook().save(tmp_path / "x.ods")
    result = runner.invoke(args=["staff", "import", str(tmp_path / "x.ods"), "--unit", "92"])
    assert result.exit_code != 0 and "Chỉ nhận tệp .csv hoặc .xlsx." in result.output


def _csv_bytes(rows) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows([HEADERS, *rows])
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _unit_id(app, code: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(Unit.id).filter_by(code=code)).scalar_one()


def test_an_admin_previews_a_roster_with_every_error_and_nothing_is_stored(
        app, client, wards, count_rows, sign_in):
    sign_in(Role.ADMIN, "31135", "quan.tri", client=client)
    assert "Nhập danh sách công chức" in client.get("/admin/").get_data(as_text=True)
    rows = [GOOD[0], ["CB101", "Trùng Mã", "Công chức", "31135", "", ""],
            ["CB302", "Quầy Không Có", "Công chức", "31135", "Quầy 9", "01/07/2025"]]
    response = client.post("/admin/staff/import", data={
        "csrf_token": csrf_of(client, "/admin/staff/import"),
        "unit": _unit_id(app, "31135"), "roster": (_csv_bytes(rows), "danh-sach.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Mã công chức CB101 bị trùng (đã có ở dòng 2)." in page
    assert "Không có quầy Quầy 9 tại đơn vị 31135." in page
    assert "2 trên 3 dòng có lỗi" in page and 'name="rows"' not in page
    assert count_rows(Staff) == 0


def test_an_admin_imports_a_good_roster_after_the_preview(app, client, wards, count_rows, sign_in):
    sign_in(Role.ADMIN, "31135", "quan.tri", client=client)
    template = client.get("/admin/staff/roster-template.xlsx")
    assert template.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(template.data)).active[1]] == HEADERS
    response = client.post("/admin/staff/import", data={
        "csrf_token": csrf_of(client, "/admin/staff/import"),
        "unit": _unit_id(app, "31135"), "roster": (_csv_bytes(GOOD[:3]), "danh-sach.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Lưu 3 dòng này" in page and count_rows(Staff) == 0
    form = dict(re.findall(r'name="(csrf_token|unit|rows)" type="hidden" value="([^"]*)"',
                           page.split('action="/admin/staff/import/confirm"')[1]))
    form = {k: html.unescape(v) for k, v in form.items()}
    stored = client.post("/admin/staff/import/confirm", data=form)
    assert stored.status_code == 303
    assert count_rows(Staff) == 3 and count_rows(Assignment) == 2
    assert "3 công chức được thêm" in client.get("/admin/").get_data(as_text=True)
    again = client.post("/admin/staff/import/confirm", data=form)
    assert again.status_code == 303 and count_rows(Staff) == 3 and count_rows(Assignment) == 2


def test_a_ward_admin_cannot_import_into_another_ward(app, client, wards, count_rows, sign_in):
    sign_in(Role.ADMIN, "31120", "quan.tri", client=client)
    response = client.post("/admin/staff/import", data={
        "csrf_token": csrf_of(client, "/admin/staff/import"),
        "unit": _unit_id(app, "31135"), "roster": (_csv_bytes(GOOD[:1]), "danh-sach.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200 and "Lưu" not in response.get_data(as_text=True)
    csrf = csrf_of(client, "/admin/staff/import")
    rows = json.dumps([[2, dict(zip([k for k, _t in COLUMNS], GOOD[0], strict=True))]])
    forged = client.post("/admin/staff/import/confirm",
                         data={"csrf_token": csrf, "unit": _unit_id(app, "31135"), "rows": rows})
    assert forged.status_code == 404
    sign_in(Role.LEADER, "31135", "lanh.dao", client=client)
    assert client.get("/admin/staff/import").status_code == 403
    assert count_rows(Staff) == 0


def test_hostile_roster_posts_are_refused_without_an_error_page(app, client, wards, count_rows,
                                                               sign_in):
    sign_in(Role.ADMIN, "31135", "quan.tri", client=client)
    csrf = csrf_of(client, "/admin/staff/import")
    ward = str(_unit_id(app, "31135"))
    not_a_file = client.post("/admin/staff/import", data={"csrf_token": csrf, "unit": ward,
                                                          "roster": "CB101,Nguyễn Văn An"})
    assert not_a_file.status_code == 200
    assert "Vui lòng nhập mục này." in html.unescape(not_a_file.get_data(as_text=True))
    for unit, rows in ((ward, "[[Infinity, {}]]"), (ward, '{"a": 1}'), (ward, "[[2, 3]]"),
                       ("²", "[]"), ("9" * 30, "[]"), (ward, "[]")):
        response = client.post("/admin/staff/import/confirm",
                               data={"csrf_token": csrf, "unit": unit, "rows": rows})
        assert response.status_code == 400, (unit, rows)
    assert count_rows(Staff) == 0


def test_the_import_summary_counts_in_the_singular_and_the_plural(app):
    result = RosterResult(staff_added=1, staff_updated=2, assignments_added=1)
    with app.test_request_context(), force_locale("en"):
        assert result.summary(1) == ("1 row: 1 staff member added, 2 updated, "
                                     "1 counter assignment added")
    with app.test_request_context(), force_locale("vi"):
        assert result.summary(3) == ("3 dòng: 1 công chức được thêm, 2 được cập nhật, "
                                     "1 lượt bố trí tại quầy được thêm")


def test_a_roster_never_takes_a_response_from_the_staff_member_it_counts_for(app, runner,
                                                                               wards, tmp_path):
    """A seat recorded late takes the counter's responses that count for nobody; one that
    counts for someone (their seat on record when it was given) stays theirs: moving it is a
    correction (`flask assignments correct`), not something a roster file does."""
    with app.app_context():
        survey = services.ensure_default_survey()
        counter = db.session.execute(db.select(Counter).join(Centre).join(Unit).where(
            Unit.code == "31135", Counter.label == "Quầy 1")).scalar_one()
        unit = db.session.execute(db.select(Unit).filter_by(code="31135")).scalar_one()
        holder = services.create_staff("CB900", "Đỗ Văn Trực", unit)
        # On record: CB900 sat there from 30 June to 2 July; the roster seats CB101 from
        # 1 July (local).
        services.assign_staff(holder, counter, datetime(2025, 6, 30, tzinfo=UTC),
                              datetime(2025, 7, 2, tzinfo=UTC))
        nobody_at = datetime(2025, 7, 2, 3, 0, tzinfo=UTC)  # after CB900's seat: nobody's
        theirs_at = datetime(2025, 7, 1, 3, 0, tzinfo=UTC)  # CB900's when it was given
        ids = _rated_and_folded(counter, survey, 1, [nobody_at, theirs_at])
    result = _import_first_row(runner, tmp_path)
    assert "1 phiếu được ghi nhận cho người trực quầy" in result.output
    with app.app_context():
        seated = db.session.execute(db.select(Staff).filter_by(code="CB101")).scalar_one()
        holder_id = db.session.execute(
            db.select(Staff.id).filter_by(code="CB900")).scalar_one()
        assert [db.session.get(Response, i).staff_id for i in ids] == [seated.id, holder_id]
        july = containing(PeriodKind.MONTH, date(2025, 7, 2))
        tallies = rating_tallies(Scope(staff_id=holder_id), july, ("question",),
                                 codes=[OVERALL])
        assert tallies[(OVERALL,)].counts == (1, 0, 0, 0, 0)
