"""Sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from core.forms import BaseForm


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[
        InputRequired(message=_l("Please enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(message=_l("Please enter your password.")), Length(max=256)])
