"""What a newcomer's commands say when the database or the configuration is not ready: one
translated line saying what to do, a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest

from app import create_app
from core.db import db
from tests.support import run_flask


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})


def _run(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    with app.app_context():
        db.engine.dispose()
    return result


def test_a_command_on_a_database_never_upgraded_says_to_run_db_upgrade(tmp_path):
    result = _run(_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}"), "qr", "links")
    assert result.exit_code == 1
    assert result.output.strip() == ("Cơ sở dữ liệu chưa được tạo hoặc chưa được nâng cấp cho "
                                     "phiên bản này: hãy chạy \"flask --app app db upgrade\" "
                                     "trước.")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_unreachable_postgresql_names_database_url_without_its_password():
    result = _run(_app("postgresql+psycopg://hailong:s3cret@127.0.0.1:1/hailong"),
                  "cases", "check-alerts")
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line and "DATABASE_URL" in line and "s3cret" not in line
    assert line.startswith("Không kết nối được cơ sở dữ liệu postgresql+psycopg://hailong:***@")


def test_db_upgrade_prints_no_note_per_alembic_plugin(tmp_path):
    done = run_flask(tmp_path, "db", "upgrade",
                  DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert done.returncode == 0, done.stderr
    assert "Running upgrade" in done.stderr
    assert "setup plugin" not in done.stderr


def test_db_upgrade_on_tables_made_without_migrations_says_so_not_cannot_connect(tmp_path):
    url = f"sqlite:///{tmp_path / 'made.sqlite3'}"
    app = _app(url)
    app.load_views()  # every model
    with app.app_context():
        db.create_all()  # tables, but no alembic_version
        db.engine.dispose()
    done = run_flask(tmp_path, "db", "upgrade", DATABASE_URL=url)
    assert done.returncode == 1
    line = done.stderr.strip().splitlines()[-1]
    assert line == ("Cơ sở dữ liệu đã có các bảng không được tạo bằng các bước nâng cấp "
                    "(migration) của phiên bản này (không có bản ghi nâng cấp): hãy dùng một cơ "
                    "sở dữ liệu trống, hoặc nếu chắc chắn các bảng được tạo từ đúng phiên bản "
                    "này thì ghi nhận bằng lệnh \"flask --app app db stamp head\".")
    assert "Traceback" not in done.stderr and "DATABASE_URL" not in done.stderr


def test_a_database_file_that_cannot_be_opened_names_database_url(tmp_path):
    result = _run(_app(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.sqlite3'}"), "qr", "links")
    assert result.exit_code == 1
    assert result.output.strip().startswith("Không kết nối được cơ sở dữ liệu sqlite:///")


def test_a_bad_setting_is_one_line_in_help_and_in_a_command(tmp_path):
    for args in (["--help"], ["qr", "links"]):
        done = run_flask(tmp_path, *args, STAFF_VIEW_GRANULARITY="month")
        assert done.returncode == 2
        assert done.stderr.strip() == ("Lỗi: Thiết lập không hợp lệ: "
                                       "STAFF_VIEW_GRANULARITY='month': cần một trong các giá "
                                       "trị: day, week")


@pytest.mark.parametrize("url", ["mysql://hailong:s3cret@db/hailong",
                                 "postgresql://hailong:s3cret@db:5432x/hailong",
                                 "sqlite:/hailong.sqlite3"])
def test_an_unsupported_or_malformed_database_url_is_one_line_naming_sqlite_and_postgresql(
        tmp_path, url):
    for args in (["qr", "links"], ["run"]):
        done = run_flask(tmp_path, *args, DATABASE_URL=url)
        assert done.returncode == 2
        line = done.stderr.strip()
        assert line.startswith("Lỗi: Thiết lập không hợp lệ: SQLALCHEMY_DATABASE_URI=")
        assert line.endswith("DATABASE_URL phải là địa chỉ của cơ sở dữ liệu SQLite (sqlite:///…) "
                             "hoặc PostgreSQL (postgresql://…); không hỗ trợ loại cơ sở dữ liệu "
                             "khác")
        assert "\n" not in line and "s3cret" not in line


def test_a_malformed_encryption_key_is_one_line_without_the_key(tmp_path):
    done = run_flask(tmp_path, "privacy", "purge", CONTACT_ENCRYPTION_KEY="not-a-key-zq")
    assert done.returncode == 2
    assert done.stderr.strip() == ("Lỗi: CONTACT_ENCRYPTION_KEY phải gồm các khóa Fernet, cách "
                                   "nhau bằng dấu phẩy (tạo khóa bằng lệnh: flask --app app "
                                   "privacy new-key)")
