"""Plain WTForms with session CSRF and messages translated through Flask-Babel."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.csrf.session import SessionCSRF

#: WTForms' own messages that can reach users; listed so they are extracted and translated.
WTFORMS_MESSAGES = (
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid CSRF Token."),
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("This field is required."),
    _l("Invalid Choice: could not coerce."),
)


class _BabelTranslations:
    """Routes WTForms' gettext calls through Flask-Babel, so its messages use our catalogue."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)


class BaseForm(Form):
    """Every form: CSRF bound to the user's session, translated messages."""

    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_time_limit = timedelta(hours=6)

        @property
        def csrf_secret(self) -> bytes:
            return current_app.config["SECRET_KEY"].encode()

        @property
        def csrf_context(self):
            return session

        def get_translations(self, form):
            return _BabelTranslations()


class ActionForm(BaseForm):
    """A form with nothing but its CSRF token, for buttons that change state."""
