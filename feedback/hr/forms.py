"""Forms of the HR screens: choosing a report, restoring a response, contesting, deciding."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from core.forms import BaseForm
from feedback.hr.contests import REASON_MAX
from surveys.forms import clean_text


class ReportForm(BaseForm):
    """Which unit and period to show (read from the query string; changes nothing)."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Ward or commune"), validators=[Optional()])
    period = StringField(_l("Period (YYYY-MM, YYYY-Qn or YYYY)"), filters=[clean_text],
                         validators=[Optional(), Length(max=12)])


class NoteForm(BaseForm):
    """HR's note when restoring a response or excluding it again."""

    note = TextAreaField(_l("Note (why)"), filters=[clean_text], validators=[
        InputRequired(message=_l("Please write a note.")),
        Length(max=REASON_MAX, message=_l("At most %(max)d characters."))])


class ContestForm(BaseForm):
    """A staff member contesting a response or their period score."""

    target = SelectField(_l("What do you contest?"), validate_choice=False,
                         validators=[Optional()])
    reason = TextAreaField(_l("Your reason"), filters=[clean_text], validators=[
        InputRequired(message=_l("Please write your reason.")),
        Length(max=REASON_MAX, message=_l("At most %(max)d characters."))])


class DecisionForm(BaseForm):
    """HR accepting or rejecting a contest, with an answer to the staff member."""

    decision = RadioField(_l("Decision"), choices=[
        SelectChoice("accept", _l("Accept (a contested response is excluded)")),
        SelectChoice("reject", _l("Reject")),
    ], validators=[InputRequired(message=_l("Please choose accept or reject."))])
    answer = TextAreaField(_l("Answer to the staff member"), filters=[clean_text], validators=[
        InputRequired(message=_l("Please write an answer.")),
        Length(max=REASON_MAX, message=_l("At most %(max)d characters."))])
