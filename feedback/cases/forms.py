"""Forms of the inbox, the case page, alerts and the citizen's follow-up."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import BaseForm, supported_day
from core.text import clean_text
from feedback.cases import labels
from feedback.cases.models import CasePriority, CaseStatus
from feedback.cases.workflow import Action
from surveys.defaults import DISSATISFACTION_REASONS, RATING_SCALE
from surveys.forms import coerce_rating

TEXT_MAX = 2000


def _optional_int(value):
    if value in (None, ""):
        return None
    return int(value)


def _optional_code(value):
    return value or None


def _any() -> list[SelectChoice]:
    return [SelectChoice("", _l("All"))]


class InboxFilterForm(BaseForm):
    """The inbox's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search in comments"), filters=[clean_text],
                    validators=[Optional(), Length(max=200)])
    centre = SelectField(_l("Centre"), coerce=_optional_int, validators=[Optional()])
    counter = SelectField(_l("Counter"), coerce=_optional_int, validators=[Optional()])
    staff = SelectField(_l("Staff member"), coerce=_optional_int, validators=[Optional()])
    area = SelectField(_l("Procedure area"), coerce=_optional_int, validators=[Optional()])
    date_from = DateField(_l("From (date)"), validators=[Optional(), supported_day])
    date_to = DateField(_l("To (date)"), validators=[Optional(), supported_day])
    sentiment = SelectField(_l("Sentiment"), coerce=_optional_code, validators=[Optional()])
    topic = SelectField(_l("Topic"), coerce=_optional_code, validators=[Optional()])
    status = SelectField(_l("Status"), coerce=_optional_code, validators=[Optional()])
    priority = SelectField(_l("Priority"), coerce=_optional_code, validators=[Optional()])
    overdue = BooleanField(_l("Overdue only"))

    def fill_choices(self, centres, counters, staff, areas, locale: str) -> None:
        """Offer only what the user may see."""
        self.centre.choices = _any() + [SelectChoice(c.id, c.name) for c in centres]
        self.counter.choices = _any() + [SelectChoice(c.id, f"{c.centre.name} · {c.label}")
                                         for c in counters]
        self.staff.choices = _any() + [SelectChoice(s.id, s.full_name) for s in staff]
        self.area.choices = _any() + [SelectChoice(a.id, a.name(locale)) for a in areas]
        self.sentiment.choices = _any() + [SelectChoice(k, v) for k, v in labels.SENTIMENTS.items()]
        self.topic.choices = _any() + [SelectChoice(k, v) for k, v in labels.TOPICS.items()]
        self.status.choices = _any() + [SelectChoice(s.value, labels.STATUS[s])
                                        for s in CaseStatus]
        self.priority.choices = _any() + [SelectChoice(p.value, labels.PRIORITY[p])
                                          for p in CasePriority]


class TransitionForm(BaseForm):
    """One workflow action, with the outcome (resolve, required) or the reason (dismiss)."""

    action = HiddenField(validators=[InputRequired()])
    reason = SelectField(_l("Reason"), coerce=_optional_code, validators=[Optional()],
                         choices=[SelectChoice("", _l("— Choose —"))] + [
                             SelectChoice(r.value, labels.DISMISS_REASON[r])
                             for r in labels.LEADER_DISMISS_REASONS])
    text = TextAreaField(_l("Comment"), filters=[clean_text], validators=[
        Optional(), Length(max=TEXT_MAX, message=_l("Please keep it under %(max)d characters."))])

    def validate_action(self, field) -> None:
        if field.data not in {a.value for a in Action}:
            raise ValidationError(_l("Unknown action."))

    def validate(self, extra_validators=None) -> bool:
        """A dismissal needs a reason and a resolution its outcome (checked here: Optional()
        ends the fields' own chains)."""
        valid = super().validate(extra_validators)
        if self.action.data == Action.DISMISS and not self.reason.data:
            self.reason.errors.append(_l("Please say why the case is dismissed."))
            return False
        if self.action.data == Action.RESOLVE and not self.text.data:
            self.text.errors.append(_l("Please write the outcome: what was done."))
            return False
        return valid


def _required_text(label, message) -> TextAreaField:
    return TextAreaField(label, filters=[clean_text], validators=[
        InputRequired(message=message),
        Length(max=TEXT_MAX, message=_l("Please keep it under %(max)d characters."))])


class NoteForm(BaseForm):
    """An internal note."""

    body = _required_text(_l("Internal note (never shown to staff or the citizen)"),
                          _l("Please write the note."))


class ReplyForm(BaseForm):
    """The reply to the citizen."""

    body = _required_text(_l("Reply to the citizen"), _l("Please write the reply."))


class SentimentReviewForm(BaseForm):
    """A leader's label for the comment."""

    label = SelectField(_l("Sentiment of the comment"), validators=[InputRequired()],
                        choices=[SelectChoice(k, v) for k, v in labels.SENTIMENTS.items()])


class AssignForm(BaseForm):
    """Who handles the case."""

    assignee = SelectField(_l("Assign to"), coerce=_optional_int, validators=[Optional()])


class AcknowledgeAlertForm(BaseForm):
    """A leader's acknowledgement of an alert, with what is being done."""

    comment = TextAreaField(_l("What is being done"), filters=[clean_text], validators=[
        InputRequired(message=_l("Please say what is being done.")),
        Length(max=500, message=_l("Please keep it under %(max)d characters."))])


class AlertRuleForm(BaseForm):
    """A centre's alert thresholds."""

    window_minutes = IntegerField(_l("Window (minutes)"), validators=[
        InputRequired(message=_l("Please give a number.")),
        NumberRange(min=5, max=240, message=_l("Between %(min)s and %(max)s."))])
    unhappy_percent = IntegerField(_l("Share of unhappy responses (percent)"), validators=[
        InputRequired(message=_l("Please give a number.")),
        NumberRange(min=10, max=100, message=_l("Between %(min)s and %(max)s."))])
    min_responses = IntegerField(_l("At least this many responses in the window"), validators=[
        InputRequired(message=_l("Please give a number.")),
        NumberRange(min=1, max=100, message=_l("Between %(min)s and %(max)s."))])
    on_integrity = BooleanField(_l("Alert on every integrity alert"))


class CaseRuleForm(BaseForm):
    """A unit's rule for which responses open a case by themselves."""

    on_negative_comment = BooleanField(_l("A comment read as negative opens a case"))
    reasons = SelectMultipleField(
        _l("A \"không hài lòng\" answer opens a case when the citizen gives one of these "
           "reasons"),
        choices=[SelectChoice(code, label) for code, label in DISSATISFACTION_REASONS],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validate_choice=True)


class FollowUpForm(BaseForm):
    """The citizen's answer: solved or not, and how the handling is rated."""

    solved = RadioField(_l("Was your problem solved?"),
                        choices=[SelectChoice("yes", lazy_pgettext("problem solved", "Yes")),
                                 SelectChoice("no", lazy_pgettext("problem solved", "No"))],
                        validators=[InputRequired(message=_l("Please choose one answer."))])
    rating = RadioField(_l("How satisfied are you with how your feedback was handled?"),
                        choices=[SelectChoice(v, label) for v, _face, label in RATING_SCALE],
                        coerce=coerce_rating,
                        validators=[InputRequired(message=_l("Please choose one answer."))])


class TrackForm(BaseForm):
    """A citizen's case reference, as printed on the thank-you page."""

    reference = StringField(_l("Reference"), filters=[clean_text], validators=[
        InputRequired(_l("Please enter your reference.")), Length(max=20)])
