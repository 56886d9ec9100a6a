"""Configuration from the environment, SQLite tuning and the migrations."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import app as app_module
from app import create_app
from core.db import db


def test_no_module_level_app():
    assert not any(type(v).__name__ == "Flask" for v in vars(app_module).values())


def test_configuration_from_environment(monkeypatch, tmp_path):
    db_file = tmp_path / "env.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_file}")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://hailong.example.vn/")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{db_file}"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["PUBLIC_BASE_URL"] == "https://hailong.example.vn"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.local/hl")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.local/hl"


def test_defaults_sqlite_under_instance_and_a_persistent_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    first = create_app()
    uri = first.config["SQLALCHEMY_DATABASE_URI"]
    assert uri == "sqlite:///" + str(tmp_path / "hailong.sqlite3")
    assert len(first.config["SECRET_KEY"]) >= 40
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
                      "SECRET_KEY": "x"})
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
    assert sqlite3.connect(tmp_path / "wal.sqlite3").execute("PRAGMA journal_mode").fetchone() \
        == ("wal",)


def test_migrations_create_exactly_the_models_schema(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_db_upgrade_command_builds_a_fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app()
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    tables = set(sqlite3.connect(tmp_path / "fresh.sqlite3").execute(
        "SELECT name FROM sqlite_master WHERE type='table'").fetchall())
    assert {("response",), ("answer",), ("unit",), ("counter_token",), ("assignment",)} <= tables
    with app.app_context():
        db.engine.dispose()


def test_security_headers_on_every_page(client, org):
    response = client.get(f"/s/{org['counters'][0]['token']}")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
