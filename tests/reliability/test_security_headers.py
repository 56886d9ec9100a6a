"""Security headers on every kind of page, secure cookie flags, and no inline script anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import SurveyPage

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def pages(client, org) -> dict[str, object]:
    token = org["counters"][0]["token"]
    return {
        "citizen form": client.get(f"/s/{token}"),
        "thanks": client.get(f"/s/{token}/thanks"),
        "sign-in": client.get("/login"),
        "not found": client.get("/s/unknown-token"),
        "health": client.get("/healthz"),
        "admin redirect": client.get("/admin/"),
    }


def test_every_response_carries_the_security_headers(pages):
    for name, response in pages.items():
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp, name
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, name
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp, name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "no-referrer", name
        assert headers["X-Frame-Options"] == "DENY", name
        assert "camera=()" in headers["Permissions-Policy"], name
        assert "Strict-Transport-Security" not in headers, name  # plain HTTP in development


def test_behind_https_cookies_are_secure_and_hsts_is_sent(make_app, org):
    app = make_app(SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.get(f"/s/{org['counters'][0]['token']}?lang=en",
                          base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" not in c]
    assert {c.split("=", 1)[0] for c in cookies} >= {"session", "lang"}
    for cookie in cookies:
        assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_http_only_and_same_site_in_development(survey_page, client):
    response = client.get(survey_page.url)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "; HttpOnly" in cookie and "SameSite=Lax" in cookie and "; Secure" not in cookie


def test_citizen_session_holds_no_personal_data(app, client, org):
    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    page.submit(page.answers(contact_consent="y", contact_name="Lê Thị B",
                             contact_phone="0912345678"))
    with client.session_transaction() as session:
        assert set(session) <= {"csrf", "device", "_fresh"}
        assert "0912345678" not in str(dict(session))


def test_templates_have_no_inline_script_style_or_event_handlers():
    for template in TEMPLATES.rglob("*.html"):
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), template
        assert not re.search(r"\son[a-z]+\s*=", html), template
        assert not re.search(r"<style\b|\sstyle\s*=", html), template
