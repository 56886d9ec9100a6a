"""Forms of the rights requests: the citizen's (with the reference) and the leader's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from core.forms import BaseForm, WholeMatch
from core.text import clean_text
from feedback.rights import labels
from feedback.rights.models import RequestKind

_KIND_CHOICES = [SelectChoice(kind.value, labels.CHOICE[kind]) for kind in RequestKind]


class CitizenRequestForm(BaseForm):
    """The request chosen on the tracking page; the reference travels in the form, never in a
    URL."""

    reference = HiddenField(filters=[clean_text], validators=[InputRequired(), Length(max=20)])
    kind = RadioField(_l("Your request"), choices=_KIND_CHOICES, validators=[
        InputRequired(message=_l("Please choose one answer."))])


class ConfirmCodeForm(BaseForm):
    """The one-time code e-mailed to the citizen."""

    reference = HiddenField(filters=[clean_text], validators=[InputRequired(), Length(max=20)])
    kind = HiddenField(validators=[InputRequired()])
    code = StringField(_l("Confirmation code"), filters=[clean_text], validators=[
        InputRequired(message=_l("Please enter the code from the e-mail.")),
        WholeMatch(r"[0-9\s]{6,9}", message=_l("The code has 6 digits."))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class CounterRequestForm(BaseForm):
    """A request a citizen made in person, entered by a leader on the case page."""

    kind = RadioField(_l("The citizen asks to"), choices=_KIND_CHOICES, validators=[
        InputRequired(message=_l("Please choose one answer."))])
    identity_checked = BooleanField(
        _l("I have checked the identity of the person asking: they are the one who left these "
           "contact details."),
        validators=[InputRequired(message=_l("Check the identity before carrying out the "
                                             "request."))])


class CompleteRequestForm(BaseForm):
    """Carry out a request that waited for an identity check."""

    identity_checked = BooleanField(
        _l("I have checked the identity of the person asking."),
        validators=[InputRequired(message=_l("Check the identity before carrying out the "
                                             "request."))])
