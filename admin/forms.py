"""Forms administrators use to set the organisation up and publish survey versions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from core.forms import BaseForm, WholeMatch, supported_day
from core.text import clean_text

_REQUIRED = InputRequired(message=_l("This field is required."))


class CentreForm(BaseForm):
    """A new service centre or service point."""

    unit = SelectField(_l("Ward, commune or special zone"), coerce=int, validators=[_REQUIRED])
    name = StringField(_l("Name"), filters=[clean_text], validators=[_REQUIRED, Length(max=200)])
    address = StringField(_l("Address"), filters=[clean_text],
                          validators=[Optional(), Length(max=300)])


class CounterForm(BaseForm):
    """A new counter of a centre."""

    centre = SelectField(_l("Centre"), coerce=int, validators=[_REQUIRED])
    label = StringField(_l("Counter label"), filters=[clean_text],
                        validators=[_REQUIRED, Length(max=100)])


class StaffForm(BaseForm):
    """A new civil servant."""

    unit = SelectField(_l("Ward, commune or special zone"), coerce=int, validators=[_REQUIRED])
    code = StringField(_l("Staff code"), filters=[clean_text],
                       validators=[_REQUIRED, Length(max=32)])
    full_name = StringField(_l("Full name"), filters=[clean_text],
                            validators=[_REQUIRED, Length(max=200)])
    position = StringField(_l("Job position"), filters=[clean_text],
                           validators=[Optional(), Length(max=200)])


def _uploaded_file(form, field) -> None:
    """An uploaded file is required (a plain text field of the same name is not one)."""
    if not isinstance(field.data, FileStorage) or not field.data.filename:
        raise StopValidation(_REQUIRED.message)


class RosterUploadForm(BaseForm):
    """A staff roster file (CSV or XLSX) for a unit and the units below it."""

    unit = SelectField(_l("Ward, commune or special zone"), coerce=int, validators=[_REQUIRED])
    roster = FileField(_l("Roster file (.xlsx or .csv)"), validators=[_uploaded_file])


class RosterConfirmForm(BaseForm):
    """Store a roster whose preview showed no errors (checked again before storing)."""

    unit = HiddenField(validators=[_REQUIRED, WholeMatch(r"^[0-9]{1,9}$")])
    rows = HiddenField(validators=[_REQUIRED])


class AssignForm(BaseForm):
    """Seat a staff member at a counter from now on."""

    staff = SelectField(_l("Staff member on duty"), coerce=int, validators=[_REQUIRED])


class QuestionEntryForm(BaseForm):
    """One question of a new survey version (no CSRF of its own: the outer form has it)."""

    class Meta:
        csrf = False

    include = BooleanField(_l("Ask this question"))
    required = BooleanField(_l("Answer required"))
    prompt_vi = TextAreaField(_l("Wording in Vietnamese"), filters=[clean_text],
                              validators=[Optional(), Length(max=500)])
    prompt_en = TextAreaField(_l("Wording in English"), filters=[clean_text],
                              validators=[Optional(), Length(max=500)])


class PublishSurveyForm(BaseForm):
    """A new survey version, edited from the current one."""

    #: Code of the unit it is for; empty: the national default.
    unit = HiddenField()
    note = StringField(_l("What changed"), filters=[clean_text],
                       validators=[_REQUIRED, Length(max=300)])
    questions = FieldList(FormField(QuestionEntryForm))


class CentreEditForm(BaseForm):
    """A centre's name and address (its unit does not change: its history is the unit's)."""

    name = StringField(_l("Name"), filters=[clean_text], validators=[_REQUIRED, Length(max=200)])
    address = StringField(_l("Address"), filters=[clean_text],
                          validators=[Optional(), Length(max=300)])


class CounterEditForm(BaseForm):
    """A counter's label."""

    label = StringField(_l("Counter label"), filters=[clean_text],
                        validators=[_REQUIRED, Length(max=100)])


class MoveCounterForm(BaseForm):
    """Move a counter to another centre from a date."""

    centre = SelectField(_l("New centre"), coerce=int, validators=[_REQUIRED])
    effective_on = DateField(_l("From (date)"), validators=[_REQUIRED, supported_day])


class StaffEditForm(BaseForm):
    """A civil servant's name, job position and unit (the staff code stays: rosters match by
    it)."""

    unit = SelectField(_l("Ward, commune or special zone"), coerce=int, validators=[_REQUIRED])
    full_name = StringField(_l("Full name"), filters=[clean_text],
                            validators=[_REQUIRED, Length(max=200)])
    position = StringField(_l("Job position"), filters=[clean_text],
                           validators=[Optional(), Length(max=200)])


class MergerForm(BaseForm):
    """Old units merged into a new one from a date."""

    old_units = SelectMultipleField(_l("Old units"), coerce=int, validators=[_REQUIRED])
    successor = SelectField(_l("Merged into"), coerce=int, validators=[_REQUIRED])
    first_day = DateField(_l("First day of the new unit"), validators=[_REQUIRED, supported_day])
