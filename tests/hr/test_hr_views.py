"""HR screens: who may see what, the overview, a staff member's page, restoring, requests for
review, the head of unit's grades."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from hr_support import csrf_of, local

from accounts.models import Role
from core.db import db
from feedback.hr.models import GradeDecision
from feedback.models import Response
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import Counter, Survey, Unit, UnitKind

Q3 = "period=2026-Q3"


@pytest.fixture
def two_wards(worked_example, create_org) -> dict:
    other = create_org("00002", counters=1)
    worked_example["other"] = other
    return worked_example


def staff_id(org, index=0):
    return org["counters"][index]["staff_id"]


@pytest.mark.parametrize("role, unit, expected", [
    (Role.HR, "00001", 200),
    (Role.LEADER, "00001", 200),
    (Role.HR, "P00001", 200),
    (Role.HR, "00002", 404),
    (Role.LEADER, "00002", 404),
    (Role.STAFF, "00001", 403),
    (Role.ADMIN, "00001", 403),
])
def test_overview_of_a_ward_by_role_and_scope(sign_in, two_wards, role, unit, expected):
    browser = sign_in(role, unit, "nguoi.dung",
                      staff_id=staff_id(two_wards) if role == Role.STAFF else None)
    assert browser.get(f"/hr/?unit=00001&{Q3}").status_code == expected
    assert browser.get(f"/hr/export.csv?unit=00001&{Q3}").status_code == expected


def test_a_province_hr_officer_lands_on_a_ward_with_a_centre(app, sign_in, ward, client):
    with app.app_context():  # a ward listed first, without centre or staff (e.g. imported)
        services.create_unit("00000", "Phường 0000 An Bình", UnitKind.WARD,
                             db.session.get(Unit, ward["province_id"]))
        db.session.commit()
    sign_in(Role.HR, "P00001", "nhan.su.tinh", client=client)
    page = client.get("/hr/").get_data(as_text=True)
    assert "Phường 00001" in page.split("</h1>")[0] and "An Bình" not in page.split("</h1>")[0]


def test_anonymous_users_are_sent_to_sign_in(client, ward):
    for url in ("/hr/", f"/hr/staff/{staff_id(ward)}", "/hr/contests", "/hr/method"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_guessed_ids_from_another_ward_answer_404(sign_in, two_wards, client):
    sign_in(Role.HR, "00002", "nhan.su.khac", client=client)
    assert client.get(f"/hr/staff/{staff_id(two_wards)}?{Q3}").status_code == 404
    assert client.get(f"/hr/staff/{staff_id(two_wards)}/trend.png?{Q3}").status_code == 404
    assert client.get(f"/hr/staff/{staff_id(two_wards['other'])}?{Q3}").status_code == 200
    with client.application.app_context():
        public_id = db.session.get(Response, two_wards["burst"][0]).public_id
    token = csrf_of(client, f"/hr/staff/{staff_id(two_wards['other'])}?{Q3}")
    response = client.post(f"/hr/responses/{public_id}/restore",
                           data={"csrf_token": token, "note": "thử"})
    assert response.status_code == 404


def test_staff_see_only_themselves(sign_in, two_wards, client):
    sign_in(Role.STAFF, "00001", "can.bo", staff_id=staff_id(two_wards), client=client)
    me = client.get(f"/hr/me?{Q3}")
    assert me.status_code == 302 and f"/hr/staff/{staff_id(two_wards)}" in me.headers["Location"]
    page = client.get(f"/hr/staff/{staff_id(two_wards)}?{Q3}").get_data(as_text=True)
    assert "Nguyễn Thị Hường" in page and "80,0" in page and "Hoàn thành" not in page
    assert "3,0</strong> / 5,0" in page and "Chưa xếp loại" in page
    bad = client.get(f"/hr/staff/{staff_id(two_wards)}?period=Q3")
    assert bad.status_code == 400 and 'id="period-error"' in bad.get_data(as_text=True)
    for other in (staff_id(two_wards, 1), staff_id(two_wards["other"])):
        assert client.get(f"/hr/staff/{other}?{Q3}").status_code == 404
    assert client.get("/hr/").status_code == 403


def test_overview_table_sorts_and_shows_the_input_without_a_grade(sign_in, worked_example,
                                                                  client):
    sign_in(Role.HR, "00001", "nhan.su", client=client)
    html = client.get(f"/hr/?unit=00001&{Q3}").get_data(as_text=True)
    order = re.findall(r">(Nguyễn Thị Hường|Trần Văn Bình|Lê Thị Cúc)<", html)
    assert order == ["Nguyễn Thị Hường", "Trần Văn Bình", "Lê Thị Cúc"]  # by score
    assert 'aria-sort="descending"' in html
    assert "80,0" in html and "74,0" in html and "69,0" in html
    # Sub-scores of NĐ 335 (A 3,0, B 4,5, C 3,6 of 5), three levels, no grade name.
    assert "3,0</strong> / 5,0" in html and "4,5</strong> / 5,0" in html
    assert "18 / 0 / 12" in html and "Chưa xếp loại" in html
    assert "Hoàn thành" not in html and "HR_" not in html
    assert '<option selected value="2026-Q3">Quý 3/2026</option>' in html
    html = client.get(f"/hr/?unit=00001&{Q3}&sort=name&dir=asc").get_data(as_text=True)
    order = re.findall(r">(Nguyễn Thị Hường|Trần Văn Bình|Lê Thị Cúc)<", html)
    assert order == sorted(order, key=str.casefold)
    chart = client.get(f"/hr/distribution.png?unit=00001&{Q3}")
    assert chart.mimetype == "image/png" and chart.data.startswith(b"\x89PNG")
    bad = client.get("/hr/?unit=00001&period=2026-W05")
    assert bad.status_code == 400  # the page itself, with the error beside the field
    assert 'id="period-error">Vui lòng chọn tháng, quý hoặc năm trong danh sách.' in bad.get_data(
        as_text=True)


def test_hr_restores_an_excluded_response_from_the_staff_page(sign_in, worked_example,
                                                               client):
    sign_in(Role.HR, "00001", "nhan.su", client=client)
    url = f"/hr/staff/{staff_id(worked_example)}?{Q3}"
    page = client.get(url).get_data(as_text=True)
    assert page.count("Dồn dập từ một thiết bị") == 3
    assert "3 phiếu từ cùng một thiết bị tại quầy này" in page
    with client.application.app_context():
        public_id = db.session.get(Response, worked_example["burst"][0]).public_id
    token = csrf_of(client, url)
    empty = client.post(f"/hr/responses/{public_id}/restore?staff={staff_id(worked_example)}"
                        f"&{Q3}", data={"csrf_token": token, "note": ""})
    assert empty.status_code == 303
    response = client.post(
        f"/hr/responses/{public_id}/restore?staff={staff_id(worked_example)}&{Q3}",
        data={"csrf_token": token, "note": "Người dân đánh giá hộ người thân"})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Người dân đánh giá hộ người thân" in page and "nhan.su" in page
    assert "Đã khôi phục: được tính" in page
    assert re.search(r"<dt>Số phiếu được tính</dt><dd>31</dd>", page)


def test_leaders_may_read_but_not_restore_or_decide(sign_in, worked_example, client):
    sign_in(Role.LEADER, "00001", "lanh.dao", client=client)
    url = f"/hr/staff/{staff_id(worked_example)}?{Q3}"
    page = client.get(url).get_data(as_text=True)
    assert "Khôi phục (tính phiếu này)" not in page
    with client.application.app_context():
        public_id = db.session.get(Response, worked_example["burst"][0]).public_id
    token = csrf_of(client, "/hr/method")
    assert client.post(f"/hr/responses/{public_id}/restore",
                       data={"csrf_token": token, "note": "x"}).status_code == 403
    assert client.post("/hr/contests/1/decide", data={"csrf_token": token}).status_code == 403


def test_contest_is_accepted_and_both_sides_see_every_step(sign_in, worked_example):
    staff_browser = sign_in(Role.STAFF, "00001", "can.bo", staff_id=staff_id(worked_example))
    hr_browser = sign_in(Role.HR, "00001", "nhan.su")
    url = f"/hr/staff/{staff_id(worked_example)}?{Q3}"
    page = staff_browser.get(url).get_data(as_text=True)
    target = re.search(r'<option value="([0-9a-f-]{36})">', page).group(1)
    token = csrf_of(staff_browser, url)
    sent = staff_browser.post(f"/hr/staff/{staff_id(worked_example)}/contest?{Q3}", data={
        "csrf_token": token, "target": target,
        "reason": "Hôm đó tôi nghỉ phép, quầy do người khác trực."})
    assert sent.status_code == 303
    contest_url = sent.headers["Location"]
    assert "Chờ bộ phận nhân sự" in staff_browser.get(contest_url).get_data(as_text=True)
    hr_page = hr_browser.get(contest_url).get_data(as_text=True)
    assert "Hôm đó tôi nghỉ phép" in hr_page and "Ghi nhận quyết định" in hr_page
    token = csrf_of(hr_browser, contest_url)
    decided = hr_browser.post(contest_url + "/decide", data={
        "csrf_token": token, "decision": "accept", "answer": "Đã đối chiếu lịch trực."})
    assert decided.status_code == 303
    seen = staff_browser.get(contest_url).get_data(as_text=True)
    assert "Đã chấp nhận" in seen and "Đã đối chiếu lịch trực." in seen and "nhan.su" in seen
    staff_page = staff_browser.get(url).get_data(as_text=True)
    assert "Đề nghị xem xét lại được chấp nhận" in staff_page
    assert re.search(r"<dt>Số phiếu được tính</dt><dd>29</dd>", staff_page)
    again = hr_browser.post(contest_url + "/decide", data={
        "csrf_token": token, "decision": "reject", "answer": "x"})
    assert again.status_code == 303
    answer = hr_browser.get(contest_url).get_data(as_text=True)
    assert "Đề nghị xem xét lại này đã được xử lý." in answer


def test_period_score_contest_rejected_with_an_answer(sign_in, worked_example):
    staff_browser = sign_in(Role.STAFF, "00001", "can.bo", staff_id=staff_id(worked_example))
    hr_browser = sign_in(Role.HR, "00001", "nhan.su")
    url = f"/hr/staff/{staff_id(worked_example)}?{Q3}"
    token = csrf_of(staff_browser, url)
    sent = staff_browser.post(f"/hr/staff/{staff_id(worked_example)}/contest?{Q3}", data={
        "csrf_token": token, "target": "", "reason": "Quầy đất đai luôn bị chấm thấp."})
    contest_url = sent.headers["Location"]
    token = csrf_of(hr_browser, contest_url)
    missing = hr_browser.post(contest_url + "/decide", data={"csrf_token": token,
                                                             "decision": "reject"})
    assert missing.status_code == 400
    hr_browser.post(contest_url + "/decide", data={
        "csrf_token": token, "decision": "reject",
        "answer": "Điểm đã được so sánh theo lĩnh vực đất đai."})
    listing = staff_browser.get("/hr/contests").get_data(as_text=True)
    assert "Không chấp nhận" in listing and "điểm của kỳ" in listing
    assert "Điểm đã được so sánh" in staff_browser.get(contest_url).get_data(as_text=True)


def test_staff_page_never_shows_contact_details(app, sign_in, ward, client):
    with app.app_context():
        survey = db.session.get(Survey, ward["survey_id"])
        record_response(db.session.get(Counter, ward["counters"][0]["id"]), survey, Submission(
            submission_key=uuid.uuid4().hex, ratings={q.id: 1 for q in survey.questions},
            locale="vi", comment="Cán bộ làm việc rất tệ", contact_consent=True,
            contact_name="Phan Văn Khách", contact_phone="0912345678"),
            at=local(date(2026, 7, 6), 9))
        db.session.commit()
    sign_in(Role.HR, "00001", "nhan.su", client=client)
    page = client.get(f"/hr/staff/{staff_id(ward)}?{Q3}").get_data(as_text=True)
    assert "Cán bộ làm việc rất tệ" in page
    assert "0912345678" not in page and "Phan Văn Khách" not in page
    assert "Chưa đủ dữ liệu" in page
    trend = client.get(f"/hr/staff/{staff_id(ward)}/trend.png?{Q3}")
    assert trend.mimetype == "image/png" and trend.data.startswith(b"\x89PNG")


def test_method_page_explains_the_configured_numbers_in_both_languages(make_app, sign_in,
                                                                       ward):
    browser = make_app(HR_MIN_RESPONSES=25, HR_PRIOR_WEIGHT=12).test_client()
    sign_in(Role.STAFF, "00001", "ai.do", staff_id=staff_id(ward), client=browser)
    vi = browser.get("/hr/method").get_data(as_text=True)
    assert "Dưới 25 phiếu được tính" in vi and "12 × tỷ lệ đơn vị" in vi
    assert "Thái độ phục vụ nhân dân, doanh nghiệp" in vi and "5 × 0,9 = 4,5" in vi
    assert "không vượt quá 20% số được xếp loại" in vi and "chưa xác minh" in vi
    assert "Trọng số tiên nghiệm:" in vi and "khoảng tin cậy Wilson" in vi
    assert "Đề nghị xem xét lại" in vi and "hiếu nại kết quả" not in vi
    assert "HR_" not in vi and "EXAMPLE" not in vi
    en = browser.get("/hr/method?lang=en").get_data(as_text=True)
    assert "Below 25 counted responses" in en and "at most 5 points" in en
    # The profile's legal wording is in English too: no Vietnamese sentence on the page.
    assert "Attitude in serving citizens and businesses" in en
    assert "Decree 335/2025/NĐ-CP (national)" in en and "Law 80/2025/QH15 Articles 25–26" in en
    assert "may not exceed 20% of those graded «Completed tasks well»" in en
    for vietnamese in ("Thang 100 điểm", "Thái độ phục vụ", "Ví dụ của phần mềm", "toàn quốc",
                       "Nhóm tiêu chí chung"):
        assert vietnamese not in en
    hp = browser.get("/hr/method?unit=00001&lang=vi").get_data(as_text=True)
    assert "NĐ 335/2025/NĐ-CP (toàn quốc)" in hp


def test_head_of_unit_records_grades_and_the_cap_refuses_a_set_that_breaks_it(
        app, sign_in, worked_example, client):
    sign_in(Role.LEADER, "00001", "truong.phuong", client=client)
    url = f"/hr/decisions?unit=00001&{Q3}"
    page = client.get(url).get_data(as_text=True)
    assert "3,0</strong> / 5,0" in page and "Chưa xếp loại" in page
    a, b, c = (staff_id(worked_example, i) for i in range(3))
    token = csrf_of(client, url)
    # Two "excellent" and one "good": 20 % of 1 good allows none.
    refused = client.post(url, data={"csrf_token": token, f"grade_{a}": "excellent",
                                     f"grade_{b}": "excellent", f"grade_{c}": "good"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Không ghi nhận: có 2 người được xếp loại" in text and "tối đa chỉ được 0 người" in text
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(
            GradeDecision)).scalar_one() == 0
    nothing = client.post(url, data={"csrf_token": token})
    assert "Vui lòng chọn mức xếp loại cho ít nhất một người." in nothing.get_data(as_text=True)
    before = client.post("/hr/decisions?unit=00001&period=2025-Q4",
                         data={"csrf_token": token, f"grade_{a}": "good"})
    assert "Kỳ này chưa có bộ tiêu chí đánh giá áp dụng." in before.get_data(as_text=True)
    done = client.post(url, data={"csrf_token": token, f"grade_{a}": "good",
                                  f"grade_{b}": "completed", "note": "Họp xét ngày 5/10"})
    assert done.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Hoàn thành tốt nhiệm vụ (truong.phuong," in page
    # A later decision for A applies; the earlier one stays on record.
    client.post(url, data={"csrf_token": token, f"grade_{a}": "completed"})
    with app.app_context():
        rows = db.session.execute(db.select(GradeDecision).where(
            GradeDecision.staff_id == a).order_by(GradeDecision.id)).scalars().all()
        assert [r.grade.value for r in rows] == ["good", "completed"]
        assert rows[0].sub_score == 3.0 and rows[0].profile_key == "nd335"
        with pytest.raises(ValueError, match="append-only"):
            rows[0].note = "sửa"
            db.session.flush()
    exported = client.get(f"/hr/export.csv?unit=00001&{Q3}")
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_text = exported.get_data(as_text=True)
    assert "Hoàn thành nhiệm vụ" in csv_text and "Hoàn thành tốt nhiệm vụ" not in csv_text


def test_only_the_head_of_unit_records_grades(sign_in, worked_example, client):
    sign_in(Role.HR, "00001", "nhan.su", client=client)
    url = f"/hr/decisions?unit=00001&{Q3}"
    page = client.get(url)
    assert page.status_code == 200 and "Ghi nhận xếp loại" not in page.get_data(as_text=True)
    token = csrf_of(client, url)
    a = staff_id(worked_example)
    assert client.post(url, data={"csrf_token": token,
                                  f"grade_{a}": "good"}).status_code == 403


def test_overview_gives_no_unit_share_below_the_minimum(make_app, sign_in, worked_example):
    browser = make_app(HR_MIN_RESPONSES=101).test_client()
    sign_in(Role.HR, "00001", client=browser)
    html = browser.get(f"/hr/?unit=00001&{Q3}").get_data(as_text=True)
    assert re.search(r"Tỷ lệ hài lòng của đơn vị: <strong>Chưa đủ dữ liệu</strong>", html)
