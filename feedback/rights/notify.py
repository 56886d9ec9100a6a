"""E-mailing the one-time code to the address the citizen left, in their language."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import force_locale
from flask_babel import gettext as _

from feedback.cases.mail import mail_enabled, send_mail
from feedback.cases.models import Case
from feedback.rights import labels
from feedback.rights.models import RequestKind


def can_email_code(case: Case, config: Mapping) -> bool:
    """Whether a code can be e-mailed: the citizen left an address and mail is configured."""
    return bool(case.response.contact_email) and mail_enabled(config)


def send_code(case: Case, kind: RequestKind, code: str, config: Mapping) -> None:
    """E-mail the code (MailError when the server fails)."""
    response = case.response
    with force_locale(response.locale):
        subject = _("Confirmation code %(code)s for your request", code=code)
        body = "\n\n".join((
            _("Someone holding the reference %(reference)s asked %(centre)s to carry out this "
              "request about your personal data: %(request)s.", reference=case.reference,
              centre=response.centre.name, request=labels.KIND[kind]),
            _("Your confirmation code is: %(code)s", code=code),
            _("It works once, within %(minutes)d minutes. If you did not make this request, "
              "ignore this e-mail: nothing will change.",
              minutes=config["RIGHTS_CODE_TTL_MINUTES"]),
        ))
    send_mail(config, [response.contact_email], subject, body)
