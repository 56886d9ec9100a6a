"""The one way a request opens a case: in the signed-in user's scope and not about them."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from accounts.auth import in_scope_or_404
from feedback.cases.models import Case
from feedback.cases.recusal import is_about


def case_or_404(case_id: int) -> Case:
    """The case when it is in the signed-in user's scope and not about them (else 404): every
    page and action on one case (the case page, its workflow, its rights requests) opens it
    through here (`recusal`)."""
    case = in_scope_or_404(Case, case_id)
    if is_about(current_user, case.response):
        abort(404)
    return case
