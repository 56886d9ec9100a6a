"""Plain WTForms with session CSRF and messages translated through Flask-Babel."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TypeVar

from flask import current_app, flash, request, session
from flask_babel import get_translations, gettext
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import Regexp, ValidationError

from core.timeutil import day_in_range

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
    _l("Field must be at least %(min)d character long."),
    _l("Field must be at least %(min)d characters long."),
    _l("Field cannot be longer than %(max)d character."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be exactly %(max)d character long."),
    _l("Field must be exactly %(max)d characters long."),
    _l("Field must be between %(min)d and %(max)d characters long."),
)


#: Control characters other than tab, line feed and carriage return.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_MESSAGE = _l("This text contains characters that are not allowed.")


OUT_OF_RANGE_DAY_MESSAGE = _l("This date is outside the years the system covers.")


def supported_day(form, field) -> None:
    """Validator of date fields: only days within core.timeutil's supported years."""
    if field.data is not None and not day_in_range(field.data):
        raise ValidationError(OUT_OF_RANGE_DAY_MESSAGE)


class WholeMatch(Regexp):
    """Regexp that must match the whole value: with `re.match`, a pattern ending in `$` also
    accepts the value followed by a line feed ("abc\\n")."""

    def __call__(self, form, field, message=None):
        if self.regex.fullmatch(field.data or "") is None:
            raise ValidationError(message or self.message or field.gettext("Invalid input."))


class _BabelTranslations:
    """Routes WTForms' gettext calls through Flask-Babel, so its messages use our catalogue."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """WTForms' counted messages (field lengths), each kept in the catalogue as two plain
        entries; returned unformatted, since WTForms fills in %(max)d itself."""
        return get_translations().ugettext(singular if n == 1 else plural)


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

    def validate(self, extra_validators=None) -> bool:
        """Validate; a text field holding NUL or another control character is refused too.

        No honest form needs them, and PostgreSQL cannot store NUL at all.
        """
        valid = super().validate(extra_validators)
        for field in self:
            for leaf in field.entries if isinstance(field, FieldList) else [field]:
                if isinstance(leaf.data, str) and _CONTROL_CHARACTERS.search(leaf.data):
                    valid = False
                    if str(CONTROL_CHARACTERS_MESSAGE) not in map(str, leaf.errors):
                        leaf.errors = [*leaf.errors, CONTROL_CHARACTERS_MESSAGE]
        return valid


class ActionForm(BaseForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


PostedForm = TypeVar("PostedForm", bound=Form)


def posted_form(form_class: type[PostedForm]) -> PostedForm | None:
    """The form of `form_class` posted with this request when it validates; otherwise None,
    each of its errors flashed (the view then sends the user back to the page)."""
    form = form_class(request.form)
    if form.validate():
        return form
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return None
