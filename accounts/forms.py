"""Sign-in, change-password and account-management forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from accounts.models import Role
from accounts.services import MIN_PASSWORD_LENGTH
from core.forms import BaseForm, WholeMatch
from core.text import clean_text


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


#: Role names as administrators read them.
ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.LEADER: _l("Leader"),
    Role.HR: _l("HR officer"),
    Role.STAFF: _l("Civil servant (sees feedback about themselves)"),
}


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class UserEditForm(BaseForm):
    """An account's role, unit, linked staff code and e-mail."""

    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, label)
                                            for role, label in ROLE_LABELS.items()],
                       validators=[InputRequired(message=_l("This field is required."))])
    unit = SelectField(_l("Unit"), coerce=_optional_id, validators=[Optional()])
    full_name = StringField(_l("Full name"), filters=[clean_text],
                            validators=[Optional(), Length(max=200)])
    staff_code = StringField(_l("Staff code (a civil servant's account, or a leader or HR "
                                "officer who also serves at a counter)"),
                             filters=[clean_text], validators=[Optional(), Length(max=32)])
    email = StringField(_l("E-mail (for alerts, optional)"), filters=[clean_text],
                        validators=[Optional(), Length(max=254), WholeMatch(
                            r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                            message=_l("This is not an e-mail address."))])


class UserCreateForm(UserEditForm):
    """A new account: the username first."""

    username = StringField(_l("Username"), filters=[clean_text], validators=[
        InputRequired(message=_l("This field is required.")),
        WholeMatch(r"^[a-z0-9._-]{3,64}$",
               message=_l("3 to 64 characters: lower-case letters without accents, digits, "
                          "dot, dash or underscore."))])
