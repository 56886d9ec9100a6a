"""Fixtures: an app on SQLite (default) or on the PostgreSQL server named by TEST_DATABASE_URL.

The schema is built once per session by the Alembic migrations (so they are tested too); every
test starts from empty tables. Costly data sets are built once per run and their rows put back
for each test that asks (`built_once`); `sign_in` signs a test client in through the login form.
"""

from __future__ import annotations

import copy
import email
import email.policy
import itertools
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from werkzeug.routing import Rule
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

import accounts.models
import accounts.services
from accounts.models import Role
from app import create_app
from core.db import db, now_utc
from feedback.dashboard import cache as dashboard_cache
from surveys import services
from surveys.channels.kiosks import create_kiosk, enrol_kiosk
from surveys.channels.visits import create_api_token
from surveys.models import Centre, Counter, Unit, UnitKind
from tests import rows
from tests.support import SurveyPage, create_test_user, post_login

SECRET = "test-secret-key-that-is-long-enough"
T = TypeVar("T")
RULES = os.path.join(os.path.dirname(__file__), "data", "integrity_rules.toml")


#: werkzeug's scrypt at N = 2^11 instead of its default 2^15: 5 ms of CPU per hash, not 100 ms.
TEST_PASSWORD_HASH = "scrypt:2048:8:1"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Passwords are hashed and checked by the same code and in the same format (scrypt), at a
    cost fit for tests: every sign-in hashes twice, and the suite signs in hundreds of times.
    Only this test process is patched; the app's cost in production is werkzeug's default."""
    with pytest.MonkeyPatch.context() as patch:
        cheap = partial(generate_password_hash, method=TEST_PASSWORD_HASH)
        patch.setattr(accounts.models, "generate_password_hash", cheap)
        patch.setattr(accounts.services, "generate_password_hash", cheap)
        accounts.services._dummy_hash.cache_clear()
        yield
    accounts.services._dummy_hash.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _url_builders_compiled_once() -> Iterator[None]:
    """werkzeug compiles two URL-building functions (Python code made from an AST) for every
    route an app registers: most of the 40 ms of CPU an app's views cost, and the suite builds
    an app per test. The functions depend only on the rule's text and parts (the rule itself is
    passed in when they are called), so each is compiled once per test process; a rule with
    defaults, whose values are compiled in, is compiled as always."""
    compiled: dict[tuple, Callable] = {}
    original = Rule._compile_builder

    def compile_once(self: Rule, append_unknown: bool = True) -> Callable:
        if self.defaults:
            return original(self, append_unknown)
        key = (self.rule, tuple(self._trace), append_unknown)
        if key not in compiled:
            compiled[key] = original(self, append_unknown)
        return compiled[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", compile_once)
        yield


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process for every app the tests build.

    Each app has its own Jinja environment, which compiles a template the first time it renders
    it; the suite builds an app per test, so it would compile the same templates a thousand
    times. Jinja's bytecode cache (the documented way to keep compiled templates) hands every
    app the code compiled by the first, for the same source (Jinja compares its checksum) and
    the same lexing options.
    """

    def __init__(self) -> None:
        self.compiled: dict[tuple, bytes] = {}

    @staticmethod
    def _key(bucket: Bucket) -> tuple:
        env = bucket.environment
        return (bucket.key, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                env.newline_sequence, tuple(sorted(env.extensions)))

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.compiled.get(self._key(bucket))) is not None:
            bucket.bytecode_from_string(code)  # ignored if the source changed since

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[self._key(bucket)] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """TEST_DATABASE_URL (e.g. a PostgreSQL server), else a SQLite file in a temp folder.

    With pytest-xdist (`-n 2`) each worker has its own: a SQLite file in its own temp folder, or
    on PostgreSQL a database of its own beside TEST_DATABASE_URL's (e.g. hailong_test_gw0).
    """
    server = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not server:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    elif not worker:
        yield server
    else:
        from core.config import normalise_database_url

        url = make_url(server)
        name = f"{url.database}_{worker}"
        admin = create_engine(normalise_database_url(server), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _config(database_url: str, **overrides) -> dict:
    from core.config import normalise_database_url

    return {"TESTING": True, "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "PUBLIC_BASE_URL": None, "SESSION_COOKIE_SECURE": False, "DASHBOARD_CHART_DIR": "",
            "RATELIMIT_ENABLED": False, "HR_INTEGRITY_RULES": RULES,
            "ROLLUP_FOLD_DELAY_MS": 0, **overrides}


@pytest.fixture(scope="session")
def _schema(database_url: str) -> Iterator[None]:
    app = create_app(_config(database_url))
    app.load_views()  # every model, as a served app has them
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        db.engine.dispose()
    yield


@pytest.fixture(scope="session")
def _engines() -> dict[tuple, Engine]:
    """The database engines of the apps `make_app` built, for the apps of later tests."""
    return {}


@pytest.fixture
def make_app(_schema, database_url: str, _engines) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database with config overrides; tables are emptied afterwards.

    The n-th app of a test is given the engine of the n-th app of earlier tests with the same
    engine options (disposed after each test: no connection is left over), so that statements
    SQLAlchemy compiled for one test are not compiled again for the next; two apps of one test
    never share an engine or a connection pool, as two processes would not.
    """
    built: list[Flask] = []
    make_engine = db._make_engine

    def engine(bind_key: str | None, options: dict, app: Flask) -> Engine:
        key = (len(built), bind_key, repr(sorted(options.items())))
        if key not in _engines:
            _engines[key] = make_engine(bind_key, options, app)
        return _engines[key]

    def factory(**overrides) -> Flask:
        dashboard_cache.reports.clear()  # a new database, as a new process would see it
        dashboard_cache.charts.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(db, "_make_engine", engine)
            app = create_app(_config(database_url, **overrides))
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        app.load_views()  # as gunicorn does before a worker serves
        app.extensions["test_overrides"] = repr(sorted(overrides.items()))
        built.append(app)
        return app

    yield factory
    if built:
        with built[0].app_context():
            rows.delete_all()
        for app in built:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture(scope="session")
def _kept_rows() -> dict[tuple[str, ...], tuple[rows.Rows, object]]:
    """The rows and results of the data sets `built_once` made in this test process."""
    return {}


@pytest.fixture
def built_once(app: Flask, _kept_rows) -> Callable[[str, Callable[[], T]], T]:
    """`built_once(name, build)`: a costly data set, built once per test run.

    The first test that asks runs `build()` (in an app context, on the empty tables) and keeps a
    copy of every row and of what `build` returned (ids and text, never ORM objects); each later
    test asking for the same name, with the same `app` configuration, gets those rows put back
    instead. A second data set asked for in the same test is built on top of the first (and kept
    as the pair). The tables are emptied after every test as always, so tests may change them.
    """
    present: list[str] = [app.extensions["test_overrides"]]

    def do(name: str, build: Callable[[], T]) -> T:
        key = (*present, name)
        with app.app_context():
            if len(present) == 1:
                assert rows.is_empty(), f"{name}: built_once needs empty tables; ask for it first"
            if key in _kept_rows:
                kept, result = _kept_rows[key]
                if len(present) > 1:
                    rows.delete_all()
                rows.put_rows(kept)
            else:
                result = build()
                db.session.commit()
                _kept_rows[key] = (rows.copy_rows(), result)
            db.session.remove()
        if has_app_context():
            db.session.rollback()  # the test's own session starts anew and sees them
        present.append(name)
        return copy.deepcopy(result)

    return do


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def sign_in(request) -> Callable[..., FlaskClient]:
    """Create a user and sign a test client in through the real login form; returns the client.

    `sign_in(role=Role.ADMIN, unit_code=None, username=None, *, client=None, staff_id=None,
    staff_code=None, email=None)`: the role is scoped to the unit code (None: every unit); a
    staff user is linked to the staff record given (else the first one); a new client of the
    `app` fixture is signed in unless `client` (of any app on the test database) is given;
    usernames default to the role and a number.
    """
    numbers = itertools.count(1)

    def do(role: Role = Role.ADMIN, unit_code: str | None = None, username: str | None = None,
           *, client: FlaskClient | None = None, **links) -> FlaskClient:
        if client is None:
            client = request.getfixturevalue("app").test_client()
        username = create_test_user(client.application, role, unit_code,
                                    username or f"{role.value}{next(numbers)}", **links)
        response = post_login(client, username)
        assert response.status_code == 303, response.get_data(as_text=True)
        client.username = username
        return client

    return do


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app behind a real HTTP server on 127.0.0.1; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def create_org(app: Flask) -> Callable[..., dict]:
    """Create a province, a ward, a centre with counters, staff on duty and the default survey.

    Returns ids and the counters' current tokens (objects would outlive their session).
    """
    counter_seq = iter(range(1, 1000))

    def factory(ward_code: str = "00001", counters: int = 1, staff_on_duty: bool = True,
                since: datetime | None = None) -> dict:
        with app.app_context():
            province = db.session.execute(
                db.select(Unit).filter_by(code="P" + ward_code)).scalar_one_or_none() \
                or services.create_unit("P" + ward_code, "Tỉnh thử", UnitKind.PROVINCE)
            ward = services.create_unit(ward_code, f"Phường {ward_code}", UnitKind.WARD, province)
            centre = services.create_centre(ward, f"Trung tâm PVHCC {ward_code}", "1 Đường A")
            areas = services.ensure_procedure_areas()
            made = []
            for _ in range(counters):
                n = next(counter_seq)
                counter = services.create_counter(centre, f"Quầy {n}", areas[:2])
                staff = None
                if staff_on_duty:
                    staff = services.create_staff(f"S{ward_code}-{n}", f"Nguyễn Văn {n}", ward)
                    services.assign_staff(
                        staff, counter, starts_at=since or datetime.now(UTC) - timedelta(days=30))
                made.append((counter, staff))
            survey = services.ensure_default_survey()
            db.session.commit()
            result = {
                "province_id": province.id, "ward_id": ward.id, "centre_id": centre.id,
                "survey_id": survey.id,
                "counters": [{"id": c.id, "token": c.tokens[0].token,
                              "staff_id": s.id if s else None,
                              "staff_name": s.full_name if s else None} for c, s in made],
            }
        return result

    return factory


@pytest.fixture
def org(create_org) -> dict:
    return create_org()


@pytest.fixture
def make_kiosk(app: Flask) -> Callable[[int], dict]:
    """Enrol a kiosk for a counter directly (by default four days ago, so that answers it kept
    offline may be hours old); returns its id and the key the tablet holds."""

    def do(counter_id: int, enrolled_at: datetime | None = None) -> dict:
        with app.app_context():
            enrolment = create_kiosk(db.session.get(Counter, counter_id), "Máy tính bảng 1",
                                     timedelta(minutes=5))
            kiosk, key = enrol_kiosk(enrolment.code)
            kiosk.enrolled_at = enrolled_at or now_utc() - timedelta(days=4)
            db.session.commit()
            return {"id": kiosk.id, "key": key}

    return do


@pytest.fixture
def tablet(app: Flask, org: dict, make_kiosk) -> FlaskClient:
    """A test client holding the kiosk key of the org's first counter."""
    enrolled = make_kiosk(org["counters"][0]["id"])
    client = app.test_client()
    client.set_cookie("kiosk_key", enrolled["key"], path="/k/")
    client.kiosk_id = enrolled["id"]
    return client


@pytest.fixture
def make_api_token(app: Flask) -> Callable[[int], str]:
    """Create an API token for a centre; returns the secret."""

    def do(centre_id: int) -> str:
        with app.app_context():
            centre = db.session.get(Centre, centre_id)
            _token, secret = create_api_token(centre, "Hệ thống xếp hàng")
            db.session.commit()
            return secret

    return do


@pytest.fixture
def survey_page(client: FlaskClient, org: dict) -> SurveyPage:
    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    return page


@pytest.fixture
def count_rows(app: Flask) -> Callable[[type], int]:
    def count(model) -> int:
        with app.app_context():
            return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()

    return count


@dataclass
class SmtpSink:
    """Messages received by the local SMTP server."""

    host: str
    port: int
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def config(self) -> dict:
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port,
                "MAIL_SENDER": "hailong@phuong.example.vn"}

    def texts(self) -> list[tuple[list[str], str, str]]:
        """Each message received: (recipients, subject, plain-text body)."""
        found = []
        for envelope in self.messages:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            found.append((list(envelope.rcpt_tos), str(message["Subject"]),
                          message.get_body(("plain",)).get_content()))
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost (aiosmtpd) collecting what it receives."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink("127.0.0.1", _free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    """An empty database on the backend under test."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    from core.config import normalise_database_url

    name = f"hl_migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(normalise_database_url(server)).set(database=name) \
            .render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
