"""The reason step of the citizen form ("Lý do không hài lòng"), shared by the QR form and the
queue-ticket link.

When the overall answer is on the "không hài lòng" level (1–3) and no reason is ticked, nothing
is stored yet: the citizen gets one more page with the checklist and an optional comment, every
other answer carried in hidden fields under the same ticket. Posting it stores the response
with its reasons; posting it with no reason ticked shows it again with an error.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

#: The fields the reason step shows itself; every other field posted is carried over hidden.
SHOWN = frozenset({"csrf_token", "reasons", "comment", "step"})
STEP = "reason"
NO_REASON = _l("Please tick at least one reason.")


def carried_fields(formdata) -> list[tuple[str, str]]:
    """The posted fields the reason step carries over unchanged, in the order posted."""
    return [(name, value) for name, value in formdata.items(multi=True) if name not in SHOWN]


def reason_step(form, formdata, **context):
    """The reason step page (and its status) when the form still needs a reason; else None."""
    if not form.missing_reason():
        return None
    again = form.step.data == STEP
    if again:
        form.reasons.errors = [NO_REASON]
    return render_template("feedback/reason.html", form=form, carried=carried_fields(formdata),
                           step=STEP, **context), 400 if again else 200
