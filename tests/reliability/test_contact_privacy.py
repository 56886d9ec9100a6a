"""Privacy: contact details encrypted at rest and purged after retention; no raw IP stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from core.db import db, now_utc
from core.encryption import EncryptionKeyError, UndecryptableError
from core.hashing import keyed_hash
from feedback.models import Answer, Response
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey
from tests.conftest import _config
from tests.support import SurveyPage

NAME, PHONE = "Nguyễn Thị Hoa", "0912345678"


def _raw_contacts(app) -> list[tuple[str | None, str | None]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            text("SELECT contact_name, contact_phone FROM response ORDER BY id"))]


def _submit_with_contact(client, token: str) -> None:
    page = SurveyPage(client, token)
    page.open()
    response = page.submit(page.answers(contact_consent="y", contact_name=NAME,
                                        contact_phone="0912 345 678"))
    assert response.status_code == 303


def test_contact_details_are_encrypted_at_rest_and_read_back_plain(app, client, org):
    _submit_with_contact(client, org["counters"][0]["token"])
    [(raw_name, raw_phone)] = _raw_contacts(app)
    assert NAME not in raw_name and PHONE not in raw_phone
    assert raw_name.startswith("gAAAA") and raw_phone.startswith("gAAAA")  # Fernet tokens
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert (stored.contact_name, stored.contact_phone) == (NAME, PHONE)


def test_another_key_cannot_read_them_and_a_malformed_key_is_refused(make_app, org):
    first = make_app()
    _submit_with_contact(first.test_client(), org["counters"][0]["token"])
    stranger = make_app(CONTACT_ENCRYPTION_KEY=Fernet.generate_key().decode())
    with stranger.app_context(), pytest.raises(UndecryptableError):
        db.session.execute(db.select(Response)).scalar_one()
    with pytest.raises(EncryptionKeyError):
        make_app(CONTACT_ENCRYPTION_KEY="not-a-fernet-key")


def test_key_rotation_reencrypts_and_old_key_can_then_be_dropped(make_app, org):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = make_app(CONTACT_ENCRYPTION_KEY=old)
    _submit_with_contact(before.test_client(), org["counters"][0]["token"])
    raw_before = _raw_contacts(before)
    both = make_app(CONTACT_ENCRYPTION_KEY=f"{new},{old}")
    result = both.test_cli_runner().invoke(args=["privacy", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "Đã mã hóa lại thông tin liên hệ của 1 phiếu." in result.output
    assert _raw_contacts(both) != raw_before
    only_new = make_app(CONTACT_ENCRYPTION_KEY=new)
    with only_new.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert (stored.contact_name, stored.contact_phone) == (NAME, PHONE)


def test_a_deployment_moves_from_the_secret_key_derived_key_to_its_own(make_app, org):
    derived = make_app()  # no CONTACT_ENCRYPTION_KEY: the key derived from SECRET_KEY
    _submit_with_contact(derived.test_client(), org["counters"][0]["token"])
    own = make_app(CONTACT_ENCRYPTION_KEY=Fernet.generate_key().decode())
    refused = own.test_cli_runner().invoke(args=["privacy", "rotate-key"])
    assert refused.exit_code == 1 and "--from-secret-key" in refused.output
    assert "Traceback" not in refused.output
    moved = own.test_cli_runner().invoke(args=["privacy", "rotate-key", "--from-secret-key"])
    assert moved.exit_code == 0, moved.output
    assert "Đã mã hóa lại thông tin liên hệ của 1 phiếu." in moved.output
    with own.app_context():  # the derived key is no longer needed
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert (stored.contact_name, stored.contact_phone) == (NAME, PHONE)
    with derived.app_context(), pytest.raises(UndecryptableError):
        db.session.execute(db.select(Response)).scalar_one()
    without_key = make_app().test_cli_runner().invoke(
        args=["privacy", "rotate-key", "--from-secret-key"])
    assert without_key.exit_code == 2 and "CONTACT_ENCRYPTION_KEY" in without_key.output


def _record(app, days_ago: int, with_contact: bool, key: str) -> None:
    with app.app_context():
        counter = db.session.execute(db.select(Counter)).scalars().first()
        survey = db.session.execute(db.select(Survey)).scalars().first()
        ratings = {q.id: 4 for q in survey.questions}
        record_response(counter, survey, Submission(
            submission_key=key, ratings=ratings, locale="vi", comment="Chờ hơi lâu",
            contact_consent=with_contact, contact_name=NAME if with_contact else None,
            contact_phone=PHONE if with_contact else None,
        ), at=now_utc() - timedelta(days=days_ago))
        db.session.commit()


def test_purge_erases_old_contact_details_and_keeps_the_responses(make_app, org, count_rows):
    app = make_app(CONTACT_RETENTION_DAYS=90)
    _record(app, 200, True, "a" * 32)
    _record(app, 30, True, "b" * 32)
    _record(app, 200, False, "c" * 32)
    answers_before = count_rows(Answer)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0 and dry.output.startswith("thông tin liên hệ: còn trong 1 phiếu")
    assert sum(1 for name, _ in _raw_contacts(app) if name) == 2

    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "thông tin liên hệ: đã xóa khỏi 1 phiếu" in result.output
    assert "thời hạn lưu 90 ngày" in result.output
    with app.app_context():
        rows = {r.submission_key[0]: r for r in db.session.execute(db.select(Response)).scalars()}
        assert rows["a"].contact_name is None and rows["a"].contact_phone is None
        assert not rows["a"].has_contact and rows["a"].comment == "Chờ hơi lâu"
        assert (rows["b"].contact_name, rows["b"].contact_phone) == (NAME, PHONE)
    assert count_rows(Response) == 3 and count_rows(Answer) == answers_before

    again = runner.invoke(args=["privacy", "purge", "--days", "7"])
    assert "thông tin liên hệ: đã xóa khỏi 1 phiếu" in again.output
    assert all(name is None and phone is None for name, phone in _raw_contacts(app))


def test_raw_ip_addresses_are_never_stored(make_app, org):
    app = make_app(IP_HASH_KEY="separate-ip-hash-key")
    client = app.test_client()
    page = SurveyPage(client, org["counters"][0]["token"])
    page.open(environ_base={"REMOTE_ADDR": "203.0.113.77"})
    response = client.post(page.url, data=page.answers(),
                           environ_base={"REMOTE_ADDR": "203.0.113.77"})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.ip_hash == keyed_hash("separate-ip-hash-key", "203.0.113.77")
        assert stored.ip_hash != keyed_hash(app.config["SECRET_KEY"], "203.0.113.77")
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f"SELECT * FROM {table}")):
                assert not any("203.0.113.77" in str(value) for value in row), table


def test_migration_encrypts_existing_plain_values_and_downgrade_restores_them(
        scratch_database_url):
    app = create_app(_config(scratch_database_url))
    with app.app_context():
        upgrade()
    _submit_with_contact(app.test_client(), _org_on(app))
    with app.app_context():
        downgrade(revision="1ef25cbc5af6")
    assert _raw_contacts(app) == [(NAME, PHONE)]
    with app.app_context():
        upgrade()
    [(raw_name, _)] = _raw_contacts(app)
    assert raw_name.startswith("gAAAA")
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.contact_phone == PHONE
        db.session.remove()
        db.engine.dispose()


def _org_on(app) -> str:
    """A ward, centre, counter and the default survey in the app's database; the QR token."""
    from surveys import services
    from surveys.models import UnitKind

    with app.app_context():
        ward = services.create_unit("90001", "Phường Thử", UnitKind.WARD)
        centre = services.create_centre(ward, "Trung tâm thử", "1 Đường A")
        counter = services.create_counter(centre, "Quầy 1")
        services.ensure_default_survey()
        db.session.commit()
        return counter.tokens[0].token


def test_the_derived_key_warning_comes_once_and_only_when_contacts_are_touched(
        make_app, caplog, monkeypatch):
    import logging

    from core import encryption

    monkeypatch.setattr(encryption, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="core.encryption"):
        app = make_app(TESTING=False, LOG_FORMAT="plain", CONTACT_ENCRYPTION_KEY=None)
        assert caplog.records == []  # building the app (every flask command) says nothing
        with app.app_context():
            assert encryption.decrypt_text(encryption.encrypt_text("0912345678")) == "0912345678"
            encryption.encrypt_text("ba.tu@example.vn")
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "CONTACT_ENCRYPTION_KEY is not set"]
