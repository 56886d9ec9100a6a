"""What templates may use besides their own variables: locale helpers and security headers."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from flask_babel import get_locale

from core import dates

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
#: No camera, microphone, location or payment APIs for any page (the QR is scanned outside).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
)


def _language_links() -> list[dict[str, str]]:
    """Links to this page in every other language (keeps the path and the other arguments)."""
    current = str(get_locale())
    links = []
    for code, name in LANGUAGE_NAMES.items():
        if code == current or request.endpoint is None:
            continue
        query = {k: v for k, v in request.args.items() if not k.startswith("_")}
        args = {**query, **(request.view_args or {}), "lang": code}
        links.append({"code": code, "name": name, "url": url_for(request.endpoint, **args)})
    return links


def _template_context() -> dict:
    return {"current_locale": str(get_locale()), "language_links": _language_links}


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"] and current_app.config["HSTS_MAX_AGE"]:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={current_app.config['HSTS_MAX_AGE']}")
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


def _favicon() -> Response:
    """Browsers and tools that ask for /favicon.ico get the icon every page links to (a few
    hundred bytes, sent from memory: no file handle left to the client to close)."""
    icon = Path(current_app.static_folder or "", "favicon.svg").read_bytes()
    return Response(icon, mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


def init_app(app: Flask) -> None:
    """Register the template context, the date filters, the icon and the response headers."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(_template_context)
    dates.init_app(app)
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    app.after_request(_security_headers)
