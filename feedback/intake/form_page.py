"""The blank QR form page, rendered once per process for each counter's form copy, staff member
on duty, language and query string; each citizen's own hidden values (CSRF token, ticket) are
put into the stored text.

Rendering the form (Jinja, WTForms widgets, translations) is most of what a citizen's GET
costs, and for a blank form everything but those two values is the same for every citizen of a
counter. The stored pages live on the form copy (`surveys.catalogue.CounterForm.memo`), so they
are dropped with it whenever the organisation or the surveys change; once a page is stored, a
citizen's GET builds no form at all (the CSRF token comes from the same session secret as the
form's would). Pages with anything of the visitor's own (a signed-in user's menu, a message
waiting to be shown) are rendered every time.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import escape

from core.forms import BaseForm
from surveys.catalogue import CounterForm
from surveys.forms import ResponseFormBase
from surveys.models import Staff

#: Stand-ins rendered in place of the per-citizen values (letters and digits only: they come
#: out of the template unescaped), drawn anew in each process.
_CSRF = "csrf" + secrets.token_hex(16)
_TICKET = "ticket" + secrets.token_hex(16)
#: Query strings kept per copy and staff member at most (they come from the visitor).
MAX_PAGES = 32


class _CsrfOnly(BaseForm):
    """A form of no fields: its CSRF token is the one any form of this session would carry."""


def csrf_token() -> str:
    """This session's CSRF token, as a citizen form built now would carry it."""
    return _CsrfOnly().csrf_token.current_token


def blank_form_page(found: CounterForm, staff: Staff | None, ticket: str,
                    make_form: Callable[[], ResponseFormBase],
                    render: Callable[[ResponseFormBase], str]) -> str:
    """The page of a blank form carrying `ticket`: `render(make_form())` once per key, then
    the stored text with this session's CSRF token and the ticket put in."""
    if current_user.is_authenticated or session.get("_flashes"):
        form = make_form()
        form.ticket.data = ticket
        return render(form)
    key = ("blank-form", staff.id if staff else None, str(get_locale()),
           request.query_string)
    page = found.memo.get(key)
    if page is None:
        form = make_form()
        form.csrf_token.current_token, form.ticket.data = _CSRF, _TICKET
        page = render(form)
        if len(found.memo) < MAX_PAGES:
            found.memo[key] = page
    return page.replace(_CSRF, str(escape(csrf_token()))).replace(_TICKET, str(escape(ticket)))
