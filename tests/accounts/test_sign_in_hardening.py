"""Sign-in against an attacker: redirects only to this site, a limit that holds under
concurrent guesses and across usernames, no timing difference for unknown usernames, and a
sign-out that ends the session on the server."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

import accounts.services
import accounts.views
from accounts.services import is_same_site_path
from tests.support import PASSWORD, csrf_of, post_login

HOSTILE_NEXT = [
    "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
    "\t//evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "https://evil.example", "http:/evil.example", "javascript:alert(1)", "HTTPS://evil.example",
    "evil.example", "//evil.example/%2F..", "/\x00/evil.example", "/\u2028/evil.example",
    "/\u200b/evil.example", " /evil", "///evil.example", "/\t",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_refuses_anything_but_a_path_on_this_site(target):
    assert not is_same_site_path(target)


@pytest.mark.parametrize("target", ["/inbox", "/inbox?page=2&q=ch%E1%BB%9D", "/dashboard#x",
                                    "/%2F%2Fevil.example"])
def test_next_accepts_paths_on_this_site(target):
    assert is_same_site_path(target)


@pytest.mark.parametrize("raw", ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/x",
                                 "%2F%2Fevil.example", "/%5Cevil.example", "https:%2F%2Fevil"])
def test_sign_in_never_redirects_off_site(app, account, raw):
    client = app.test_client()
    csrf = csrf_of(client, "/login")
    response = client.post("/login?next=" + raw, data={
        "csrf_token": csrf, "username": account, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/leader"


def test_sign_in_follows_a_same_site_next(app, account):
    assert post_login(app.test_client(), account, PASSWORD, next_="/inbox?page=2") \
        .headers["Location"] == "/inbox?page=2"


def test_concurrent_guesses_from_one_address_are_held_to_the_limit(app, account, monkeypatch):
    checked, lock = [], threading.Lock()
    real = accounts.views.authenticate

    def counting(username, password):
        with lock:
            checked.append(username)
        return real(username, password)

    monkeypatch.setattr(accounts.views, "authenticate", counting)
    clients = [app.test_client() for _ in range(24)]
    tokens = [csrf_of(c, "/login") for c in clients]
    statuses = []

    def guess(client, token):
        response = client.post("/login", data={"csrf_token": token, "username": account,
                                               "password": "sai-mat-khau"})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens,
                                                                        strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each attempt is written down before it counts the others, so at most the limit of five
    # is checked; when all 24 are written down before any counts, none is (PostgreSQL, once).
    assert len(checked) <= 5 and len(statuses) == 24
    assert set(statuses) <= {200, 429} and statuses.count(200) == len(checked)


def test_one_address_trying_many_usernames_is_capped(app, account):
    client = app.test_client()
    for n in range(20):
        assert post_login(client, f"ten.doan.{n}", "sai-mat-khau").status_code == 200
    assert post_login(client, "ten.doan.moi", "sai-mat-khau").status_code == 429
    assert post_login(client, account, PASSWORD).status_code == 429
    assert post_login(app.test_client(), account, PASSWORD, address="10.9.9.9").status_code == 303


def test_an_unknown_username_costs_a_password_check_too(app, account, monkeypatch):
    calls = []
    real = accounts.services.check_password_hash

    def counting(hash_, password):
        calls.append(hash_)
        return real(hash_, password)

    monkeypatch.setattr(accounts.services, "check_password_hash", counting)
    with app.app_context():
        assert accounts.services.authenticate("khong.co.ai", "sai-mat-khau") is None
        assert len(calls) == 1 and calls[0].startswith(("scrypt:", "pbkdf2:"))


def test_signing_out_ends_the_session_on_the_server(app, account):
    client = app.test_client()
    assert post_login(client, account, PASSWORD).status_code == 303
    captured = client.get_cookie("session").value
    assert client.post("/logout", data={"csrf_token": csrf_of(client, "/leader")}) \
        .status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", captured)
    assert thief.get("/leader").status_code == 302  # sent to the sign-in page
    again = app.test_client()
    assert post_login(again, account, PASSWORD).status_code == 303
    assert again.get("/leader").status_code == 200


def test_checking_a_password_holds_up_no_other_writer(app, account, monkeypatch):
    """The slow password check runs without the database's write lock (SQLite has one for the
    whole file): another writer gets through at once meanwhile."""
    real = accounts.views.authenticate
    writes = []

    def authenticate_while_someone_writes(username, password):
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA busy_timeout=100")
            connection.execute(text("UPDATE unit SET name = name WHERE code = '00001'"))
            connection.commit()
            writes.append(username)
        other.dispose()
        return real(username, password)

    monkeypatch.setattr(accounts.views, "authenticate", authenticate_while_someone_writes)
    assert post_login(app.test_client(), account, PASSWORD).status_code == 303
    assert writes == [account]
