"""Sending e-mail through SMTP (smtplib) when MAIL_SERVER is configured; nothing otherwise."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


def mail_enabled(config: Mapping) -> bool:
    """True when an SMTP server is configured."""
    return bool(config.get("MAIL_SERVER"))


def build_message(sender: str, recipients: Sequence[str], subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def send_mail(config: Mapping, recipients: Sequence[str], subject: str, body: str) -> bool:
    """Send a message; False when no server is configured, MailError when sending fails."""
    if not mail_enabled(config) or not recipients:
        return False
    message = build_message(config["MAIL_SENDER"], recipients, subject, body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                          timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("e-mail to %d recipient(s) failed: %s", len(recipients), exc)
        raise MailError(type(exc).__name__) from exc
    return True
