"""Administrators set the organisation up and print posters; others may not."""

from __future__ import annotations

from accounts.models import Role
from core.db import db
from surveys.models import Centre, Counter, Staff
from tests.support import csrf_of


def test_anonymous_is_sent_to_login_and_other_roles_are_refused(client, sign_in, org):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(Role.LEADER, "00001", username="lanh.dao", client=client)
    assert client.get("/admin/").status_code == 403
    counter_id = org["counters"][0]["id"]
    assert client.get(f"/admin/counters/{counter_id}/poster").status_code == 403


def test_wrong_password_is_refused_with_a_translated_message(client, org):
    csrf = csrf_of(client, "/login")
    response = client.post("/login", data={"csrf_token": csrf, "username": "x",
                                           "password": "y"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)


def test_admin_sees_counters_and_who_is_on_duty(client, sign_in, org):
    sign_in(client=client)
    html = client.get("/admin/").get_data(as_text=True)
    assert "Trung tâm PVHCC 00001" in html and "Quầy 1" in html
    assert org["counters"][0]["staff_name"] in html


def test_admin_sets_up_centre_counter_staff_and_assignment(app, client, sign_in, org):
    sign_in(client=client)
    ward_id = org["ward_id"]
    csrf = csrf_of(client, "/admin/centres/new")
    assert client.post("/admin/centres/new", data={
        "csrf_token": csrf, "unit": ward_id, "name": "Điểm tiếp nhận số 2", "address": "5 Lê Lợi",
    }).status_code == 303
    with app.app_context():
        centre = db.session.execute(db.select(Centre).filter_by(name="Điểm tiếp nhận số 2")) \
            .scalar_one()
        centre_id = centre.id
    assert client.post("/admin/counters/new", data={
        "csrf_token": csrf, "centre": centre_id, "label": "Quầy A"}).status_code == 303
    assert client.post("/admin/staff/new", data={
        "csrf_token": csrf, "unit": ward_id, "code": "CB-77", "full_name": "Lê Văn Tám",
    }).status_code == 303
    with app.app_context():
        counter = db.session.execute(db.select(Counter).filter_by(label="Quầy A")).scalar_one()
        staff = db.session.execute(db.select(Staff).filter_by(code="CB-77")).scalar_one()
        counter_id, staff_id, token = counter.id, staff.id, counter.tokens[0].token
    assert client.post(f"/admin/counters/{counter_id}/assign", data={
        "csrf_token": csrf, "staff": staff_id}).status_code == 303
    assert "Lê Văn Tám" in client.get(f"/s/{token}").get_data(as_text=True)
    duplicate = client.post("/admin/counters/new", data={
        "csrf_token": csrf, "centre": centre_id, "label": "Quầy A"})
    assert duplicate.status_code == 409
    assert "đã tồn tại" in duplicate.get_data(as_text=True)


def test_admin_rotates_a_token_and_the_old_poster_stops_working(client, sign_in, org):
    sign_in(client=client)
    counter = org["counters"][0]
    csrf = csrf_of(client, "/admin/")
    assert client.post(f"/admin/counters/{counter['id']}/rotate").status_code == 400
    assert client.get(f"/s/{counter['token']}").status_code == 200
    assert client.post(f"/admin/counters/{counter['id']}/rotate",
                       data={"csrf_token": csrf}).status_code == 303
    assert client.get(f"/s/{counter['token']}").status_code == 410


def test_poster_and_centre_print_page(client, sign_in, create_org):
    org = create_org(counters=3)
    sign_in(client=client)
    counter = org["counters"][0]
    poster = client.get(f"/admin/counters/{counter['id']}/poster").get_data(as_text=True)
    assert "Trung tâm PVHCC 00001" in poster and "Quầy" in poster
    assert "Quét mã để đánh giá" in poster and "Scan to rate our service" in poster
    assert f"http://localhost/s/{counter['token']}" in poster  # the URL in text
    assert "<svg" in poster
    page = client.get(f"/admin/centres/{org['centre_id']}/posters").get_data(as_text=True)
    assert page.count('class="poster"') == 3
    with client.get("/static/app.css") as response:
        css = response.get_data(as_text=True)
    assert "size:A5" in css and "break-after:page" in css
    png = client.get(f"/admin/counters/{counter['id']}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(f"/admin/counters/{counter['id']}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_ward_admin_cannot_reach_another_wards_counters(client, sign_in, create_org):
    mine = create_org(ward_code="00001")
    theirs = create_org(ward_code="00002")
    sign_in(Role.ADMIN, "00001", client=client)
    html = client.get("/admin/").get_data(as_text=True)
    assert "Trung tâm PVHCC 00001" in html and "Trung tâm PVHCC 00002" not in html
    assert client.get(f"/admin/counters/{mine['counters'][0]['id']}/poster").status_code == 200
    other = theirs["counters"][0]["id"]
    assert client.get(f"/admin/counters/{other}/poster").status_code == 404
    assert client.get(f"/admin/counters/{other}/qr.png").status_code == 404
    csrf = csrf_of(client, "/admin/")
    assert client.post(f"/admin/counters/{other}/rotate",
                       data={"csrf_token": csrf}).status_code == 404
    assert client.get(f"/s/{theirs['counters'][0]['token']}").status_code == 200


def test_admin_publishes_a_new_survey_version(app, client, sign_in, org):
    sign_in(client=client)
    html = client.get("/admin/surveys").get_data(as_text=True)
    assert "Nhìn chung" in html
    csrf = csrf_of(client, "/admin/surveys")
    data = {"csrf_token": csrf, "note": "Rút gọn"}
    for i in range(5):
        data[f"questions-{i}-include"] = "y" if i < 2 else ""
        data[f"questions-{i}-required"] = "y"
        data[f"questions-{i}-prompt_vi"] = f"Câu {i}"
        data[f"questions-{i}-prompt_en"] = f"Question {i}"
    for key in [k for k, v in data.items() if v == ""]:
        del data[key]
    assert client.post("/admin/surveys", data=data).status_code == 303
    form = client.get(f"/s/{org['counters'][0]['token']}").get_data(as_text=True)
    assert "Câu 0" in form and "Câu 1" in form and form.count('<fieldset id="question_') == 2
    data["questions-0-prompt_en"] = ""
    refused = client.post("/admin/surveys", data=data)
    assert refused.status_code == 200 and "tiếng Anh" in refused.get_data(as_text=True)


def test_sign_out_needs_csrf_and_ends_the_session(client, sign_in):
    sign_in(client=client)
    assert client.post("/logout").status_code == 400
    csrf = csrf_of(client, "/admin/")
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/admin/").status_code == 302


def test_users_create_command_reads_password_from_stdin(app, runner, org):
    result = runner.invoke(args=["users", "create", "Lanh.Dao", "--role", "leader",
                                 "--unit", "00001"], input="mot-mat-khau-dai\n")
    assert result.output == "Đã tạo tài khoản lanh.dao (Lãnh đạo).\n"
    from accounts.services import authenticate

    with app.app_context():
        user = authenticate("lanh.dao", "mot-mat-khau-dai")
        assert user is not None and user.role == Role.LEADER and user.unit.code == "00001"
    short = runner.invoke(args=["users", "create", "x.y.z", "--role", "hr", "--unit", "00001"],
                          input="short\n")
    assert short.exit_code != 0 and "Mật khẩu phải có ít nhất 10 ký tự." in short.output
    unknown = runner.invoke(args=["users", "create", "x.y.z", "--role", "hr", "--unit", "99999"],
                            input="mot-mat-khau-dai\n")
    assert unknown.exit_code == 2
    assert "không có đơn vị nào mang mã 99999" in unknown.output
