"""The dashboard's filter form (read from the URL, so a view can be bookmarked and shared)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from core.forms import BaseForm


class FilterForm(BaseForm):
    """Scope and period of a dashboard; a GET form, so it carries no CSRF token."""

    class Meta:
        csrf = False

    period = StringField(_l("Period"), description=_l(
        "2026-11 (month), 2026-Q4, 2026, 2026-W47 (week), 2026-11-23 (day) or "
        "2026-11-01..2026-11-15"))
    unit = SelectField(_l("Ward, commune or special zone"), validate_choice=False)
    centre = SelectField(_l("Centre"), validate_choice=False)
    counter = SelectField(_l("Counter"), validate_choice=False)
    staff = SelectField(_l("Staff"), validate_choice=False)
    area = SelectField(_l("Procedure area"), validate_choice=False)
