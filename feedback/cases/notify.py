"""E-mails of the case workflow: the reply and the follow-up link to a consenting citizen (in
their language), and alerts to the unit's leaders. Each outcome is recorded; nothing is sent
while MAIL_SERVER is empty."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.auth import accounts_by_unit
from accounts.models import Role, User
from core.dates import when_text
from core.db import db
from feedback.cases import gap_text, labels
from feedback.cases.alerts import leaders_for_unit
from feedback.cases.coverage import ADMINS_TOLD, Unhandled
from feedback.cases.followup import make_token
from feedback.cases.mail import MailError, mail_enabled, send_mail
from feedback.cases.models import AlertKind, Case, CaseEvent, CentreAlert, EventKind
from feedback.cases.queries import alert_about
from feedback.cases.services import record_mail
from surveys.links import public_base_url


def external_url(endpoint: str, **values) -> str:
    """An absolute URL (PUBLIC_BASE_URL when configured), with or without a request."""
    return public_base_url() + current_app.url_map.bind("").build(endpoint, values)


def followup_url(case: Case) -> str | None:
    """The citizen's follow-up link of the case (None while no link was issued)."""
    if case.followup_nonce is None:
        return None
    token = make_token(current_app.config["SECRET_KEY"], case.id, case.followup_nonce)
    return external_url("cases.followup", token=token)


def _greeting(case: Case) -> str:
    name = case.response.contact_name
    return _("Dear %(name)s,", name=name) if name else _("Dear Sir or Madam,")


def _citizen_email(case: Case, config: Mapping) -> str | None:
    response = case.response
    if not mail_enabled(config) or not response.has_contact or not response.contact_email:
        return None
    return response.contact_email


def _send(case: Case, recipient: str, subject: str, body: str, what: str,
          config: Mapping) -> str:
    try:
        send_mail(config, [recipient], subject, body)
        outcome = f"sent:{what}"
    except MailError as exc:
        outcome = f"failed:{what}:{exc}"
    record_mail(case, outcome)
    return outcome


def _mail_citizen(case: Case, recipient: str, what: str, config: Mapping,
                  compose: Callable[[str, str], tuple[str, tuple[str, ...]]]) -> str:
    """Send the citizen the mail `compose(centre name, date of their feedback)` writes as
    (subject, paragraphs after the greeting), in the language they answered in."""
    response = case.response
    with force_locale(response.locale):
        subject, paragraphs = compose(response.centre.name, when_text(response.submitted_at))
        body = "\n\n".join((_greeting(case), *paragraphs))
    return _send(case, recipient, subject, body, what, config)


def deliver_reply(case: Case, reply: str, config: Mapping) -> str | None:
    """E-mail a reply to the citizen if they consented and left an address; the outcome is
    recorded on the timeline and returned (None: not e-mailed)."""
    recipient = _citizen_email(case, config)
    if recipient is None:
        return None
    return _mail_citizen(case, recipient, "reply", config, lambda centre, date: (
        _("Reply to your feedback at %(centre)s", centre=centre),
        (_("Thank you for your feedback at %(centre)s on %(date)s. Here is our reply:",
           centre=centre, date=date),
         reply,
         _("You receive this e-mail because you agreed to be contacted about this feedback."))))


def deliver_followup(case: Case, config: Mapping) -> str | None:
    """E-mail the follow-up link to the citizen (same conditions as a reply)."""
    recipient = _citizen_email(case, config)
    url = followup_url(case)
    if recipient is None or url is None:
        return None
    return _mail_citizen(case, recipient, "followup", config, lambda centre, date: (
        _("Was your problem solved? %(centre)s", centre=centre),
        (_("We have handled your feedback of %(date)s. Please tell us whether the problem was "
           "solved and how well we handled it (one minute, no sign-in):", date=date),
         url,
         _("The link works once and for %(days)d days.",
           days=config["CASE_FOLLOWUP_MAX_AGE_DAYS"]))))


def alert_text(alert: CentreAlert) -> str:
    """One sentence saying what tripped the alert."""
    if alert.kind == AlertKind.UNHAPPY:
        return _("%(matching)d of the %(total)d responses in the last %(minutes)d minutes were "
                 "unhappy.", matching=alert.matching, total=alert.total,
                 minutes=alert.window_minutes)
    if alert.kind == AlertKind.STUFFING:
        return _("%(matching)d responses at %(counter)s within %(minutes)d minutes are held as "
                 "suspected ballot stuffing: they count toward no score until HR has reviewed "
                 "them.", matching=alert.matching,
                 counter=alert.counter.label if alert.counter else "",
                 minutes=alert.window_minutes)
    return _("%(matching)d response(s) in the last %(minutes)d minutes mention bribery, "
             "harassment or informal fees.", matching=alert.matching,
             minutes=alert.window_minutes)


def send_pending_alerts(config: Mapping, now: datetime) -> int:
    """E-mail the leaders about active alerts not e-mailed yet; returns how many were sent.

    An alert is marked notified once sent; a failed sending is tried again next time. Flushes.
    """
    if not mail_enabled(config):
        return 0
    pending = db.session.execute(
        select(CentreAlert).where(CentreAlert.notified_at.is_(None),
                                  CentreAlert.resolved_at.is_(None))
        .order_by(CentreAlert.id)).scalars().all()
    sent = 0
    for alert in pending:
        recipients = [u.email for u in leaders_for_unit(alert.centre.unit_id)
                      if u.email and not alert_about(alert, u.staff_id)]
        if not recipients:
            continue
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            subject = _("Alert at %(centre)s: %(kind)s", centre=alert.centre.name,
                        kind=labels.ALERT[alert.kind])
            body = "\n\n".join((
                alert_text(alert),
                _("Opened at %(time)s. See and acknowledge it on your page: %(url)s",
                  time=when_text(alert.opened_at),
                  url=external_url("cases.landing")),
            ))
        try:
            send_mail(config, recipients, subject, body)
        except MailError:
            continue
        alert.notified_at = now
        sent += 1
    db.session.flush()
    return sent


def _told_admins(case_ids: list[int]) -> set[int]:
    """Which of the cases the administrators were already e-mailed about."""
    return set(db.session.execute(
        select(CaseEvent.case_id).where(CaseEvent.kind == EventKind.MAIL,
                                        CaseEvent.detail == f"sent:{ADMINS_TOLD}",
                                        CaseEvent.case_id.in_(case_ids))).scalars())


def tell_admins_of_unhandled(config: Mapping, unhandled: list[Unhandled]) -> int:
    """E-mail each administrator whose units hold an open case no leader may handle and that
    was not yet reported: per unit, how many such cases are open (never a reference), those
    about the administrator's own staff record left out. Each case is reported once, recorded
    on its timeline. Returns how many e-mails were sent. Flushes."""
    if not mail_enabled(config) or not unhandled:
        return 0
    fresh = {item.case_id for item in unhandled} - _told_admins(
        [item.case_id for item in unhandled])
    admins = accounts_by_unit(Role.ADMIN, {item.unit_id for item in unhandled})
    per_admin: dict[User, list[Unhandled]] = {}
    for item in unhandled:
        for admin in admins[item.unit_id]:
            if admin.email and not admin.is_staff(item.staff_id):
                per_admin.setdefault(admin, []).append(item)
    sent, done = 0, set()
    for admin, items in per_admin.items():
        news = {item.case_id for item in items} & fresh
        if not news:
            continue
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            subject = _("Complaints that no leader may handle")
            body = "\n\n".join((
                "\n".join(gap_text.open_cases_lines(items)),
                gap_text.remedy(), external_url("admin.organisation")))
        try:
            send_mail(config, [admin.email], subject, body)
        except MailError:
            continue
        sent += 1
        done |= news
    for case_id in sorted(done):
        record_mail(db.session.get(Case, case_id), f"sent:{ADMINS_TOLD}")
    db.session.flush()
    return sent
