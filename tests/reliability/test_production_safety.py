"""Secrets, files and caches that protect citizens' data: production mode refuses weak secrets,
the demo seed refuses real databases, database files are private, personal-data pages are never
cached, invisible characters are dropped from names and comments, and text that is not UTF-8
is refused with a clear message."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from accounts.models import Role
from app import create_app
from core.config import ConfigError
from core.db import db
from feedback.models import Response
from surveys.models import Staff
from tests.support import csrf_of

STRONG = "s" * 48
IP_KEY = "i" * 48


def _production(**overrides) -> dict:
    return {"HAILONG_ENV": "production", "SECRET_KEY": STRONG, "IP_HASH_KEY": IP_KEY,
            "CONTACT_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "PUBLIC_BASE_URL": "https://danhgia.example.gov.vn", **overrides}


@pytest.mark.parametrize("overrides, setting", [
    ({"SECRET_KEY": "dev"}, "SECRET_KEY"),
    ({"CONTACT_ENCRYPTION_KEY": None}, "CONTACT_ENCRYPTION_KEY"),
    ({"IP_HASH_KEY": None}, "IP_HASH_KEY"),
    ({"IP_HASH_KEY": STRONG}, "IP_HASH_KEY"),
    ({"PUBLIC_BASE_URL": None}, "PUBLIC_BASE_URL"),
])
def test_production_refuses_weak_or_shared_secrets(overrides, setting):
    with pytest.raises(ConfigError, match=setting):
        create_app(_production(**overrides))


def test_production_says_why_it_refuses_in_vietnamese():
    with pytest.raises(ConfigError, match="không khởi động: phải đặt PUBLIC_BASE_URL là địa chỉ"):
        create_app(_production(PUBLIC_BASE_URL=None))


def test_production_starts_with_separate_strong_keys_and_development_needs_none():
    assert create_app(_production()).config["HAILONG_ENV"] == "production"
    assert create_app({"SECRET_KEY": "dev", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert create_app({**_production(SECRET_KEY="dev"), "TESTING": True})


def test_production_mode_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HAILONG_ENV", "production")
    for name in ("SECRET_KEY", "CONTACT_ENCRYPTION_KEY", "IP_HASH_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("HAILONG_ENV", "development")
    assert create_app().config["HAILONG_ENV"] == "development"  # the README's demo command


def test_seed_demo_refuses_a_database_with_other_data(app, org, runner, count_rows):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "có dữ liệu khác" in result.output and "unit 00001" in result.output
    assert count_rows(Response) == 0 and count_rows(Staff) == 1


def test_seed_demo_refuses_production_mode(make_app):
    app = make_app(TESTING=False, **{k: v for k, v in _production().items()
                                     if k != "SQLALCHEMY_DATABASE_URI"})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "chế độ vận hành chính thức" in result.output


def test_the_sqlite_database_file_is_private(tmp_path):
    path = tmp_path / "new.sqlite3"
    old_umask = os.umask(0o022)
    try:
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        engine.dispose()
    finally:
        os.umask(old_umask)
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            assert stat.S_IMODE(name.stat().st_mode) == 0o600, name


@pytest.mark.parametrize("url", ["/inbox", "/leader", "/inbox/responses",
                                 "/dashboard/export/comments.csv", "/hr/export.csv",
                                 "/account/password"])
def test_personal_data_pages_are_never_cached(app, org, sign_in, url):
    leader = sign_in(Role.LEADER, "00001", "lanh.dao")
    response = leader.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_keep_their_own_caching(app, client, org):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_invisible_characters_are_dropped_from_comments_and_names(app, org, survey_page,
                                                                  sign_in):
    spoof = "\u202eTốt\u200b lắm\u2066\ufeff"
    assert survey_page.submit(comment=spoof).status_code == 303
    admin = sign_in(Role.ADMIN)
    created = admin.post("/admin/staff/new", data={
        "csrf_token": csrf_of(admin, "/admin/staff/new"), "unit": str(org["ward_id"]),
        "code": "CB-77", "full_name": "Nguyễn\u202e Văn\u200d A", "position": "Chuyên viên"})
    assert created.status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Response.comment)).scalar_one() == "Tốt lắm"
        assert db.session.execute(db.select(Staff.full_name).where(Staff.code == "CB-77")) \
            .scalar_one() == "Nguyễn Văn A"


@pytest.mark.parametrize("raw", [b"comment=%FF%FE", b"comment=caf%E9", b"comment=a%00b",
                                 b"comment=%ED%A0%80"])
def test_text_that_is_not_utf8_is_refused_with_a_clear_message(app, survey_page, count_rows,
                                                               raw):
    body = "&".join(f"{k}={v}" for k, v in survey_page.answers().items()).encode() + b"&" + raw
    response = survey_page.client.post(survey_page.url, data=body,
                                       content_type="application/x-www-form-urlencoded")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "không phải văn bản hợp lệ (UTF-8)" in html or "ký tự không được phép" in html
    assert count_rows(Response) == 0
