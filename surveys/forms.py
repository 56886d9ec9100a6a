"""The citizen's response form, built at run time from the questions of a survey version."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.config import RESPONSE_COMMENT_MAX
from core.forms import BaseForm, WholeMatch
from core.text import clean_text
from surveys.defaults import (
    DISSATISFACTION_REASONS,
    DOSSIER_CODE_PATTERN,
    OVERALL_CODE,
    RATING_SCALE,
)
from surveys.models import ProcedureArea, QuestionKind, Survey
from surveys.scale import SCALE, is_dissatisfied

_PHONE = re.compile(r"(?:\+84|0)[0-9]{9,10}")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DISALLOWED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def normalise_phone(value: str | None) -> str | None:
    """A Vietnamese phone number without spaces, dots or dashes; None when empty."""
    if not value:
        return None
    return re.sub(r"[\s.\-()]", "", value) or None


#: The ratings as a form posts them.
_RATING_TEXTS = frozenset(str(value) for value in SCALE)


def coerce_rating(value: object) -> int:
    """A rating from the form: only the ASCII digits of the scale (no "4.5", no full-width
    digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _RATING_TEXTS:
        return int(value)
    raise ValueError("not a rating")


def clean_code(value: str | None) -> str | None:
    """A code as typed, without spaces; None when empty."""
    if not value:
        return None
    return re.sub(r"\s", "", value) or None


def _no_control_characters(form, field) -> None:
    if field.data and _DISALLOWED.search(field.data):
        raise ValidationError(_l("This text contains characters that are not allowed."))


class ResponseFormBase(BaseForm):
    """Fields every survey version has; rating fields are added per question."""

    ticket = HiddenField()
    #: "reason" when the form is posted from the reason step.
    step = HiddenField()
    #: A trap for robots: hidden from people (and from screen readers), filled in by scripts.
    website = StringField(_l("Leave this field empty"))
    procedure_area = SelectField(_l("Procedure area (optional)"), validators=[Optional()],
                                 validate_choice=True)
    comment = TextAreaField(
        _l("Your comment (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=RESPONSE_COMMENT_MAX,
                   message=_l("Please keep your comment under %(max)d characters.")),
            _no_control_characters,
        ],
    )
    reasons = SelectMultipleField(
        _l("What was not satisfactory? Tick one or more."),
        choices=[SelectChoice(code, label) for code, label in DISSATISFACTION_REASONS],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validate_choice=True)
    dossier_code = StringField(
        _l("Dossier code (optional, printed on your receipt)"), filters=[clean_code],
        validators=[Optional(), WholeMatch(DOSSIER_CODE_PATTERN, message=_l(
            "A dossier code has up to 40 letters, digits or . _ / -"))])
    contact_consent = BooleanField(
        _l("I agree that the centre may contact me by phone or e-mail only to answer this "
           "feedback.")
    )
    contact_name = StringField(
        _l("Your name"), filters=[clean_text], render_kw={"autocomplete": "name"},
        validators=[Optional(), Length(max=120, message=_l("Please keep your name under "
                                                           "%(max)d characters.")),
                    _no_control_characters],
    )
    contact_phone = TelField(_l("Phone number"), filters=[normalise_phone],
                             render_kw={"autocomplete": "tel"},
                             validators=[Optional(), Length(max=32, message=_l(
                                 "Please enter a Vietnamese phone number, e.g. 0912 345 678."))])
    contact_email = EmailField(_l("E-mail (optional, the centre sends its reply there)"),
                               filters=[clean_text], validators=[Optional(), Length(max=254)],
                               render_kw={"autocomplete": "email"})

    def validate_contact_phone(self, field) -> None:
        if field.data and not _PHONE.fullmatch(field.data):
            raise ValidationError(_l("Please enter a Vietnamese phone number, e.g. 0912 345 678."))
        if self.contact_consent.data and not field.data and not self.contact_email.data:
            raise ValidationError(_l("Please give a phone number or an e-mail address so the "
                                     "centre can contact you."))

    def validate_contact_email(self, field) -> None:
        if field.data and not _EMAIL.fullmatch(field.data):
            raise ValidationError(_l("Please enter an e-mail address, e.g. ten@example.vn."))

    def validate_contact_consent(self, field) -> None:
        if not field.data and (self.contact_name.data or self.contact_phone.data
                               or self.contact_email.data):
            raise ValidationError(_l("To be contacted, tick this box. Otherwise leave your name, "
                                     "phone number and e-mail empty."))

    def rating_fields(self) -> list:
        """The rating fields in question order."""
        return [self[name] for name in self._rating_names]

    def required_rating_fields(self) -> list:
        """The rating fields that must be answered (the overall question)."""
        return [field for field in self.rating_fields() if field.flags.required]

    def optional_rating_fields(self) -> list:
        """The optional rating fields (the SIPAS factors), shown folded."""
        return [field for field in self.rating_fields() if not field.flags.required]

    def overall(self) -> int | None:
        """The overall answer, if given."""
        return self[self._overall_name].data if self._overall_name else None

    def given_reasons(self) -> frozenset[str]:
        """The reasons ticked, kept only with a "không hài lòng" overall answer."""
        if not is_dissatisfied(self.overall()):
            return frozenset()
        return frozenset(self.reasons.data or ())

    def missing_reason(self) -> bool:
        """True when the overall answer is "không hài lòng" and no reason is ticked yet."""
        return is_dissatisfied(self.overall()) and not self.reasons.data

    def ratings(self) -> dict[int, int]:
        """Answered ratings by question id."""
        return {int(name.split("_", 1)[1]): self[name].data
                for name in self._rating_names if self[name].data is not None}


def response_form_class(survey: Survey, locale: str) -> type[ResponseFormBase]:
    """The form class of a survey version in the citizen's locale: a rating field per
    question (a class can serve any number of requests; `make_response_form` fills it)."""
    rating_choices = [SelectChoice(value, label) for value, _face, label in RATING_SCALE]

    class ResponseForm(ResponseFormBase):
        pass

    names = []
    overall_name = None
    for question in survey.questions:
        if question.kind != QuestionKind.RATING:
            continue
        name = f"question_{question.id}"
        required = InputRequired(message=_l("Please choose one answer.")) if question.required \
            else Optional()
        setattr(ResponseForm, name, RadioField(
            question.prompt(locale), choices=rating_choices, coerce=coerce_rating,
            validators=[required],
        ))
        names.append(name)
        if question.code == OVERALL_CODE:
            overall_name = name
    ResponseForm._rating_names = names
    ResponseForm._overall_name = overall_name
    return ResponseForm


def make_response_form(survey: Survey, procedure_areas: Sequence[ProcedureArea], locale: str,
                       formdata=None,
                       form_class: type[ResponseFormBase] | None = None) -> ResponseFormBase:
    """Build the form for a survey version; choices and labels in the citizen's locale
    (`form_class`: its `response_form_class`, when the caller keeps one)."""
    form = (form_class or response_form_class(survey, locale))(formdata)
    form.procedure_area.choices = [SelectChoice("", _l("— Not specified —"))] + [
        SelectChoice(str(area.id), area.name(locale)) for area in procedure_areas
    ]
    return form
