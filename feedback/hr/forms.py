"""Forms of the HR screens: choosing a report, restoring a response, requesting a review,
deciding on it, and the head of unit's grades."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from core.forms import BaseForm
from core.text import clean_text
from feedback.hr.contests import REASON_MAX
from feedback.hr.evaluation import parse_hr_period
from feedback.hr.grades import GRADE_LABELS, Grade
from feedback.periods import PeriodError


def hr_period(form, field) -> None:
    """A month, quarter or year; an error beside the field otherwise."""
    try:
        parse_hr_period(field.data)
    except PeriodError as error:
        raise ValidationError(_l("Choose a month, quarter or year from the list.")) from error


class ReportForm(BaseForm):
    """Which unit and period to show (read from the query string; changes nothing)."""

    class Meta:
        csrf = False

    unit = SelectField(_l("Ward, commune or special zone"), validators=[Optional()])
    period = SelectField(_l("Period (month, quarter or year)"), validate_choice=False,
                         validators=[Optional(), hr_period])


def grade_set_form(staff_ids: list[int], formdata=None) -> BaseForm:
    """The head of unit's grades for a period: one choice per staff member (blank keeps the
    decision in force) and a note."""
    choices = [SelectChoice("", _l("— not graded now —"))] + [
        SelectChoice(grade.value, GRADE_LABELS[grade]) for grade in Grade]
    fields = {f"grade_{staff_id}": SelectField(_l("Grade"), choices=choices,
                                               validators=[Optional()])
              for staff_id in staff_ids}
    fields["note"] = TextAreaField(_l("Note (for example the meeting that decided)"),
                                   filters=[clean_text],
                                   validators=[Length(max=REASON_MAX, message=_l(
                                       "At most %(max)d characters."))])
    return type("GradeSetForm", (BaseForm,), fields)(formdata)


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
