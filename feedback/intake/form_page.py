"""The blank QR form page, rendered once per process for each counter's form copy, staff member
on duty, language and query string; each citizen's own hidden values (CSRF token, ticket) are
put into the stored text.

Rendering the form (Jinja, WTForms widgets, translations) is most of what a citizen's GET
costs, and for a blank form everything but those two values is the same for every citizen of a
counter. The stored pages live on the form copy (`surveys.catalogue.CounterForm.memo`), so they
are dropped with it whenever the organisation or the surveys change. Pages with anything of the
visitor's own (a signed-in user's menu, a message waiting to be shown) are rendered every time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import escape

from surveys.catalogue import CounterForm
from surveys.forms import ResponseFormBase
from surveys.models import Staff

#: Stand-ins rendered in place of the per-citizen values (letters and digits only: they come
#: out of the template unescaped), drawn anew in each process.
_CSRF = "csrf" + secrets.token_hex(16)
_TICKET = "ticket" + secrets.token_hex(16)
#: Query strings kept per copy and staff member at most (they come from the visitor).
MAX_PAGES = 32


def blank_form_page(found: CounterForm, staff: Staff | None, form: ResponseFormBase,
                    render: Callable[[], str]) -> str:
    """The page of a blank form: `render()` (which renders `form`) once per key, then the
    stored text with this form's CSRF token and ticket put in."""
    if current_user.is_authenticated or session.get("_flashes"):
        return render()
    key = ("blank-form", staff.id if staff else None, str(get_locale()),
           request.query_string)
    page = found.memo.get(key)
    if page is None:
        csrf, ticket = form.csrf_token.current_token, form.ticket.data
        form.csrf_token.current_token, form.ticket.data = _CSRF, _TICKET
        try:
            page = render()
        finally:
            form.csrf_token.current_token, form.ticket.data = csrf, ticket
        if len(found.memo) < MAX_PAGES:
            found.memo[key] = page
    return page.replace(_CSRF, str(escape(form.csrf_token.current_token))).replace(
        _TICKET, str(escape(form.ticket.data)))
