"""Flask-Babel wiring: locale from ?lang=, then a cookie, then Accept-Language, default vi; a
command's from COMMAND_LANGUAGE (default vi); and `name_of`, the one lookup of a code in a table
of translated names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click
from flask import Flask, current_app, has_app_context, has_request_context, request
from flask_babel import Babel

from core.config import command_language_of_environment

babel = Babel()

LANG_COOKIE = "lang"


def select_locale() -> str:
    """Pick the locale for this request; in a command its language; elsewhere (a background
    fold) the default, Vietnamese."""
    if not has_request_context():
        if click.get_current_context(silent=True) is not None:
            return command_language()
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def command_language() -> str:
    """The language of a `flask` command: COMMAND_LANGUAGE of the app in context, else of the
    environment (before the app has read its settings, or after its context has closed, as when
    click prints an error), else Vietnamese."""
    if has_app_context() and "COMMAND_LANGUAGE" in current_app.config:
        return current_app.config["COMMAND_LANGUAGE"]
    return command_language_of_environment()


def remember_language(response):
    """Keep an explicit ?lang= choice in a cookie so the next pages use it too."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"] and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def init_app(app: Flask) -> None:
    """Attach Babel and the language cookie to the app."""
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_language)


def name_of(names: Mapping[Any, Any], code: str) -> str:
    """The translated name a table gives a code (the code itself when the table has none)."""
    return str(names.get(code, code))
