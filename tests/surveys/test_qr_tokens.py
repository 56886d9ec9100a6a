"""QR tokens, images, posters and the links command."""

from __future__ import annotations

import io
import json
import re

from PIL import Image

from core.db import db
from surveys import services
from surveys.models import Counter, CounterToken
from surveys.qr import qr_png, qr_svg


def test_tokens_are_long_random_and_never_ids(app, create_org):
    org = create_org(counters=5)
    tokens = [c["token"] for c in org["counters"]]
    assert len(set(tokens)) == 5
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 24 random bytes = 192 bits
        assert str(org["counters"][0]["id"]) != token


def test_unknown_token_answers_404_with_a_clear_page(client, org):
    response = client.get("/s/this-token-does-not-exist")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in html and "quét lại mã" in html
    assert client.get("/s/" + "a" * 500).status_code == 404
    assert client.get("/s/%00abc").status_code == 400  # refused before any lookup
    assert client.get("/s/%C3%A1" + "a" * 30).status_code == 404


def test_rotated_token_answers_410_and_the_new_one_works(app, client, org):
    old = org["counters"][0]["token"]
    with app.app_context():
        new = services.rotate_counter_token(db.session.get(Counter, org["counters"][0]["id"]))
        db.session.commit()
        new_token = new.token
    response = client.get(f"/s/{old}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "không còn được sử dụng" in html and "quét mã QR đang được dán tại quầy" in html
    english = client.get(f"/s/{old}?lang=en").get_data(as_text=True)
    assert "no longer in use" in english and "scan the QR code currently displayed" in english
    assert client.get(f"/s/{new_token}").status_code == 200
    assert new_token != old


def test_form_opened_before_rotation_can_still_be_sent(app, client, org, count_rows):
    from feedback.models import Response
    from tests.support import SurveyPage

    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    with app.app_context():
        services.rotate_counter_token(db.session.get(Counter, org["counters"][0]["id"]))
        db.session.commit()
    assert page.submit().status_code == 303
    assert count_rows(Response) == 1
    assert client.post(page.url, data={"csrf_token": page.hidden["csrf_token"]}).status_code == 410


def test_inactive_counter_answers_410(app, client, org):
    with app.app_context():
        db.session.get(Counter, org["counters"][0]["id"]).active = False
        db.session.commit()
    assert client.get(f"/s/{org['counters'][0]['token']}").status_code == 410


def test_qr_images_encode_a_scannable_code():
    url = "https://hailong.example.vn/s/abc"
    png = qr_png(url)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size[0] == image.size[1] >= 210
    svg = qr_svg(url).decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<path" in svg


def test_qr_links_json_lists_every_counter_with_public_base_url(make_app, create_org):
    app = make_app(PUBLIC_BASE_URL="https://hailong.cantho.gov.vn")
    create_org(ward_code="31117", counters=2)
    result = app.test_cli_runner().invoke(args=["qr", "links", "--format", "json"])
    assert result.exit_code == 0, result.output
    links = json.loads(result.output)
    assert len(links) == 2
    for link in links:
        assert link["unit"] == "31117"
        assert link["centre"] == "Trung tâm PVHCC 31117"
        assert link["counter"].startswith("Quầy")
        assert re.fullmatch(r"https://hailong\.cantho\.gov\.vn/s/[A-Za-z0-9_-]{32}", link["url"])


def test_qr_links_use_the_current_token(app, runner, org):
    with app.app_context():
        new = services.rotate_counter_token(db.session.get(Counter, org["counters"][0]["id"]))
        db.session.commit()
        new_token = new.token
        assert db.session.execute(db.select(db.func.count()).select_from(CounterToken)) \
            .scalar_one() == 2
    links = json.loads(runner.invoke(args=["qr", "links", "--format", "json"]).output)
    assert links[0]["url"].endswith("/s/" + new_token)
    assert links[0]["url"].startswith("http://127.0.0.1:5000/")


def test_qr_links_says_so_when_no_counter_has_a_link(runner):
    result = runner.invoke(args=["qr", "links"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "Chưa có quầy nào đang hoạt động có đường dẫn phiếu đánh giá.\n"
    assert runner.invoke(args=["qr", "links", "--format", "json"]).stdout == "[]\n"
