"""Nobody moves their own score: an HR officer linked to a staff record neither restores nor
excludes the responses given to them nor decides their own contest, and a head of unit who
also serves does not grade themselves (the level above does)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from hr_support import csrf_of, local
from openpyxl import load_workbook

from accounts.models import Role, User
from core.db import db
from feedback.hr import decisions
from feedback.hr.grades import Grade
from feedback.models import Response
from feedback.periods import parse_period
from surveys.models import Staff

Q3 = "period=2026-Q3"


def _staff(org, index=0) -> int:
    return org["counters"][index]["staff_id"]


def _counted(client, org) -> str:
    page = client.get(f"/hr/staff/{_staff(org)}?{Q3}").get_data(as_text=True)
    return re.search(r"<dt>Số phiếu được tính</dt><dd>(\d+)</dd>", page).group(1)


def test_an_hr_officer_cannot_restore_a_response_given_to_themselves(sign_in, worked_example):
    own = sign_in(Role.HR, "00001", "nhan.su.kiem", staff_id=_staff(worked_example))
    other = sign_in(Role.HR, "00001", "nhan.su")
    with other.application.app_context():
        public_id = db.session.get(Response, worked_example["burst"][0]).public_id
    before = _counted(other, worked_example)
    url = f"/hr/responses/{public_id}/restore?staff={_staff(worked_example)}&{Q3}"
    refused = own.post(url, data={"csrf_token": csrf_of(own, "/hr/method"), "note": "Của tôi"},
                       follow_redirects=True)
    assert "do công chức phụ trách nhân sự khác khôi phục" in refused.get_data(as_text=True)
    assert _counted(other, worked_example) == before
    other.post(url, data={"csrf_token": csrf_of(other, "/hr/method"), "note": "Đã xác minh"})
    assert int(_counted(other, worked_example)) == int(before) + 1


def test_an_hr_officer_cannot_decide_their_own_contest(sign_in, worked_example):
    staff = sign_in(Role.STAFF, "00001", "can.bo", staff_id=_staff(worked_example))
    url = f"/hr/staff/{_staff(worked_example)}?{Q3}"
    sent = staff.post(f"/hr/staff/{_staff(worked_example)}/contest?{Q3}", data={
        "csrf_token": csrf_of(staff, url), "target": "",
        "reason": "Điểm quý này chưa phản ánh đúng."})
    contest_url = sent.headers["Location"]
    own = sign_in(Role.HR, "00001", "nhan.su.kiem", staff_id=_staff(worked_example))
    refused = own.post(contest_url + "/decide", follow_redirects=True, data={
        "csrf_token": csrf_of(own, contest_url), "decision": "accept", "answer": "Đồng ý"})
    assert "do công chức phụ trách nhân sự khác quyết định" in refused.get_data(as_text=True)
    assert "Chờ bộ phận nhân sự" in staff.get(contest_url).get_data(as_text=True)


def test_a_head_of_unit_who_serves_is_not_offered_their_own_grade(app, sign_in, worked_example,
                                                                   client):
    own, colleague = _staff(worked_example), _staff(worked_example, 1)
    sign_in(Role.LEADER, "00001", "truong.phuong", staff_id=own, client=client)
    url = f"/hr/decisions?unit=00001&{Q3}"
    page = client.get(url).get_data(as_text=True)
    assert f'name="grade_{own}"' not in page and f'name="grade_{colleague}"' in page
    assert "xếp loại chất lượng đối với chính đồng chí do cấp có thẩm quyền thực hiện" in page
    client.post(url, data={"csrf_token": csrf_of(client, url), f"grade_{own}": "excellent",
                           f"grade_{colleague}": "completed"})
    with app.app_context():
        graded = {d.staff_id for d in decisions.latest([own, colleague],
                                                        parse_period("2026-Q3")).values()}
        assert graded == {colleague}
        leader = db.session.execute(
            db.select(User).filter_by(username="truong.phuong")).scalar_one()
        with pytest.raises(decisions.SelfGrade):
            decisions.record(worked_example["ward_id"], parse_period("2026-Q3"), None, "nd335",
                             {own: Grade.GOOD}, {}, [own, colleague], leader)


def test_a_leader_reads_their_own_staff_page_as_its_subject(sign_in, worked_example):
    own = _staff(worked_example)
    leader = sign_in(Role.LEADER, "00001", "truong.phuong", staff_id=own)
    hr = sign_in(Role.HR, "00001", "nhan.su.kiem", staff_id=own)
    colleague = sign_in(Role.LEADER, "00001", "pho.truong")
    url = f"/hr/staff/{own}?{Q3}"
    clock = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")
    assert clock.search(colleague.get(url).get_data(as_text=True))
    for browser in (leader, hr):
        page = browser.get(url).get_data(as_text=True)
        assert not clock.search(page)
        assert "Khôi phục (tính phiếu này)" not in page
    sent = leader.post(f"/hr/staff/{own}/contest?{Q3}", data={
        "csrf_token": csrf_of(leader, url), "target": "", "reason": "Quý này tôi đi học."})
    assert sent.status_code == 303
    other = _staff(worked_example, 1)
    refused = colleague.post(f"/hr/staff/{other}/contest?{Q3}", data={
        "csrf_token": csrf_of(colleague, url), "target": "", "reason": "Thay mặt"})
    assert refused.status_code == 403


def _excluded_sheet(browser) -> list[tuple]:
    """The rows of the "Excluded" sheet of the 2026-Q3 XLSX export as `browser` downloads it."""
    exported = browser.get(f"/hr/export.xlsx?unit=00001&{Q3}")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.data)).worksheets[1]
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("role", [Role.LEADER, Role.HR])
def test_an_export_leaves_out_ones_own_exclusions_on_days_too_few_to_show(
        sign_in, worked_example, role):
    # A's burst (20/07, 09:00–09:04) fell on a day without other responses to A: A's own page
    # does not list it, nor does A's download; B's response of Sunday 21:15 keeps its minute.
    own = sign_in(role, "00001", "tu.danh.gia", staff_id=_staff(worked_example))
    colleague = sign_in(role, "00001", "dong.nghiep")
    code_a, code_b = (_code(colleague, worked_example, i) for i in (0, 1))
    everyone = _excluded_sheet(colleague)
    assert sum(row[0] == code_a for row in everyone) == 3
    rows = _excluded_sheet(own)
    assert not any(row[0] == code_a for row in rows)
    assert [row[2] for row in rows if row[0] == code_b] == ["2026-07-19 21:15"]
    assert "như trên trang của đồng chí" in str(rows[-1][0])


@pytest.mark.parametrize("role", [Role.LEADER, Role.HR])
def test_an_export_gives_ones_own_exclusions_by_day_without_the_evidence(
        sign_in, worked_example, add, role):
    # Five counted responses to A on the day of A's burst: A's own page lists the burst by day.
    for hour in (10, 11, 13, 14, 15):
        add(worked_example, local(date(2026, 7, 20), hour), 4, counter=0, area="dat-dai")
    own = sign_in(role, "00001", "tu.danh.gia", staff_id=_staff(worked_example))
    colleague = sign_in(role, "00001", "dong.nghiep")
    code_a, code_b = (_code(colleague, worked_example, i) for i in (0, 1))
    assert [row[2] for row in _excluded_sheet(colleague) if row[0] == code_a] == [
        "2026-07-20 09:00", "2026-07-20 09:02", "2026-07-20 09:04"]
    rows = _excluded_sheet(own)
    mine = [row for row in rows if row[0] == code_a]
    assert [(row[1], row[2], row[4]) for row in mine] == [(None, "20/07/2026", None)] * 3
    assert all(row[3] for row in mine)  # the rule is named, as on the page
    assert [row[2] for row in rows if row[0] == code_b] == ["2026-07-19 21:15"]


def test_a_leader_reads_their_own_contested_response_by_day(sign_in, worked_example):
    own = _staff(worked_example)
    leader = sign_in(Role.LEADER, "00001", "truong.phuong", staff_id=own)
    colleague = sign_in(Role.LEADER, "00001", "pho.truong")
    url = f"/hr/staff/{own}?{Q3}"
    page = leader.get(url).get_data(as_text=True)
    target = re.search(r'<option value="([^"]+)">', page.split('name="target"')[1]).group(1)
    sent = leader.post(f"/hr/staff/{own}/contest?{Q3}", data={
        "csrf_token": csrf_of(leader, url), "target": target, "reason": "Hôm đó tôi nghỉ."})
    contest_url = sent.headers["Location"]
    clock = re.compile(r"phiếu lúc \d\d/\d\d/\d{4} \d\d:\d\d")
    assert clock.search(colleague.get(contest_url).get_data(as_text=True))
    own_page = leader.get(contest_url).get_data(as_text=True)
    assert not clock.search(own_page)
    assert re.search(r"một phiếu đánh giá \(\d\d/\d\d/\d{4}\)", own_page)


def _code(browser, org, index) -> str:
    with browser.application.app_context():
        return db.session.get(Staff, _staff(org, index)).code
