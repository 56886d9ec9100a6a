"""Translated names of the kinds, channels and verifications of data-subject requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.i18n import name_of
from feedback.rights.models import RequestChannel, RequestKind, Verification

KIND = {
    RequestKind.WITHDRAW_CONSENT: _l("withdraw consent to be contacted"),
    RequestKind.ERASE_CONTACT: _l("erase contact details"),
}
#: The same requests as choices of a form.
CHOICE = {
    RequestKind.WITHDRAW_CONSENT: _l("Withdraw consent to be contacted"),
    RequestKind.ERASE_CONTACT: _l("Erase the contact details"),
}
CHANNEL = {
    RequestChannel.ONLINE: _l("online, with the reference"),
    RequestChannel.COUNTER: _l("at the counter"),
}
VERIFICATION = {
    Verification.EMAIL_CODE: _l("code e-mailed to the citizen"),
    Verification.IDENTITY_CHECK: _l("identity checked by a leader"),
    Verification.NOTHING_HELD: _l("no contact details were held"),
}
ERASED = {
    "name": _l("name"),
    "phone": _l("phone number"),
    "email": _l("e-mail address"),
    "comment": _l("names and numbers in the comment"),
    "timeline": _l("names and numbers in the case's notes and replies"),
}


def outcome_text(outcome: str | None) -> str:
    """What was erased, in words."""
    if not outcome:
        return "—"
    if outcome == "nothing_held":
        return str(VERIFICATION[Verification.NOTHING_HELD])
    return ", ".join(name_of(ERASED, part) for part in outcome.split(","))
