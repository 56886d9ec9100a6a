"""Sign-in and change-password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from accounts.services import MIN_PASSWORD_LENGTH
from core.forms import BaseForm


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[
        InputRequired(message=_l("Please enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(message=_l("Please enter your password.")), Length(max=256)])


class ChangePasswordForm(BaseForm):
    """The current password, and the new one twice."""

    current = PasswordField(_l("Current password"), validators=[
        InputRequired(message=_l("Please enter your current password.")), Length(max=256)])
    new = PasswordField(_l("New password"), validators=[
        InputRequired(message=_l("Please enter a new password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=256,
               message=_l("The new password needs %(min)d to %(max)d characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        InputRequired(message=_l("Please enter the new password again.")),
        EqualTo("new", message=_l("The two new passwords are not the same."))])
