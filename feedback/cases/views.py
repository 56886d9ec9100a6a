"""The leaders' inbox and case pages, the landing page, the staff view and the citizen's
follow-up link. Every read goes through the user's scope; ids outside it answer 404."""

from __future__ import annotations

import functools
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from accounts.audit import AuditTarget
from accounts.auth import (
    current_scope,
    in_scope_or_404,
    require_unit_in_scope,
    roles_required,
    scoped_unit_ids,
)
from accounts.models import Role
from core.db import db, now_utc
from core.forms import ActionForm, posted_form
from core.params import id_arg, page_arg
from core.ratelimit import track_address_limit, track_device_limit
from feedback import access_log
from feedback.cases import (
    alerts,
    coverage,
    labels,
    notify,
    opening,
    queries,
    recusal,
    rule_log,
    services,
    staff_view,
    tracking,
)
from feedback.cases.access import case_or_404
from feedback.cases.followup import FollowUpTokenError, FollowUpTokenExpired, read_token
from feedback.cases.forms import (
    AcknowledgeAlertForm,
    AlertRuleForm,
    AssignForm,
    CaseRuleForm,
    FollowUpForm,
    InboxFilterForm,
    NoteForm,
    ReplyForm,
    SentimentReviewForm,
    TrackForm,
    TransitionForm,
)
from feedback.cases.models import (
    OPEN_STATUSES,
    Case,
    CasePriority,
    CaseStatus,
    CentreAlert,
    DismissReason,
)
from feedback.cases.sla import SlaPolicy
from feedback.cases.workflow import Action, IllegalTransition, allowed_actions
from feedback.masking import mask_personal
from feedback.models import AccessKind, Response
from feedback.reviews import ReviewRefused, review_sentiment, reviews_of
from feedback.rights import services as rights_services
from feedback.rights import views as rights_views
from surveys.consent import consent_text
from surveys.defaults import RATING_SCALE
from surveys.models import COMMUNE_LEVEL, Centre, ProcedureArea, Unit
from surveys.queries import centres_in_scope, communes_in_scope, staff_in_scope

bp = Blueprint("cases", __name__)
bp.add_app_template_filter(mask_personal, "mask_personal")


@bp.app_template_filter("subject_period")
def subject_period(moment) -> str:
    """When something about a staff member happened, as they may read it (day or week)."""
    return staff_view.period_label(moment, current_app.config["STAFF_VIEW_GRANULARITY"])

leader_only = roles_required(Role.LEADER)


def _policy() -> SlaPolicy:
    return SlaPolicy.from_config(current_app.config)


def _case_url(case: Case) -> str:
    return url_for("cases.case_detail", case_id=case.id)


def _done(case: Case):
    return redirect(_case_url(case), code=303)


def refused(case: Case):
    """The case page again, with the refusal just flashed, as 409: a browser follows no
    redirect on a 4xx answer and would show a bare, untranslated "Redirecting…" page."""
    return case_detail(case.id), 409


@bp.route("/leader")
@leader_only
def landing():
    """Today's new complaints, urgent cases and alerts, overdue cases, this month vs last."""
    now, scope = now_utc(), current_scope()
    alerts.refresh(queries.centre_ids_in_scope(scope), now, current_app.config)
    db.session.commit()
    today = queries.local_today(now)
    month_start = today.replace(day=1)
    last_month_start = (month_start - timedelta(days=1)).replace(day=1)
    in_scope = queries.case_in_scope(scope, current_user.staff_id)
    open_now = Case.status.in_(OPEN_STATUSES)
    month_utc = queries.local_midnight_utc(month_start)
    return render_template(
        "cases/landing.html", labels=labels, today=today,
        new_today=queries.list_cases(
            in_scope, Case.opened_at >= queries.local_midnight_utc(today)),
        urgent=queries.list_cases(in_scope, open_now, Case.priority == CasePriority.URGENT),
        overdue=queries.list_cases(in_scope, queries.overdue_clause(today)),
        overdue_count=queries.count_cases(in_scope, queries.overdue_clause(today)),
        open_count=queries.count_cases(in_scope, open_now),
        this_month=queries.satisfaction(scope, month_utc, now),
        last_month=queries.satisfaction(scope, queries.local_midnight_utc(last_month_start),
                                        month_utc),
        loop=queries.loop_counts(scope, month_utc, now),
        alerts=[alert for alert in queries.alerts_in_scope(scope, now - timedelta(days=7))
                if not queries.alert_about(alert, current_user.staff_id)],
        alert_text=notify.alert_text,
        alert_cases=functools.partial(queries.alert_cases, viewer_staff_id=current_user.staff_id),
        ack_form=AcknowledgeAlertForm(),
        data_requests_overdue=rights_services.overdue_count(scope, today,
                                                            current_user.staff_id),
    )


def _filters(form: InboxFilterForm) -> queries.InboxFilter:
    form.validate()

    def value(field):
        return None if field.errors else field.data

    status, priority = value(form.status), value(form.priority)
    return queries.InboxFilter(
        centre_id=value(form.centre), counter_id=value(form.counter),
        staff_id=value(form.staff), procedure_area_id=value(form.area),
        date_from=value(form.date_from), date_to=value(form.date_to),
        sentiment=value(form.sentiment), topic=value(form.topic),
        status=CaseStatus(status) if status else None,
        priority=CasePriority(priority) if priority else None,
        overdue=bool(value(form.overdue)), q=value(form.q),
        viewer_staff_id=current_user.staff_id,
    )


@bp.route("/inbox")
@roles_required(Role.LEADER, Role.HR, Role.STAFF)
def inbox():
    """The complaint inbox with filters, search, counts per status and pagination."""
    if current_user.role == Role.STAFF:
        return redirect(url_for("cases.my_feedback"))
    scope = current_scope()
    centres = centres_in_scope(scope)
    form = InboxFilterForm(request.args)
    counters = [c for centre in centres for c in centre.counters]
    areas = db.session.execute(select(ProcedureArea).order_by(ProcedureArea.code)).scalars()
    form.fill_choices(centres, counters, staff_in_scope(scope), areas, str(get_locale()))
    filters = _filters(form)
    today = queries.local_today(now_utc())
    page = queries.inbox_page(scope, filters, today, page_arg(),
                              current_app.config["CASES_PER_PAGE"])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "cases/inbox.html", form=form, page=page, labels=labels, today=today,
        counts=queries.status_counts(scope, filters, today), args=args,
        status_args={k: v for k, v in args.items() if k != "status"},
    )


def _timeline(case: Case, leader: bool) -> list:
    return [event for event in case.events if leader or not event.internal]


@bp.route("/inbox/cases/<int:case_id>")
@roles_required(Role.LEADER, Role.HR)
def case_detail(case_id: int):
    """One case: the response, its ratings, the timeline and (for leaders) the actions."""
    case = case_or_404(case_id)
    leader = current_user.role == Role.LEADER
    in_clear = staff_view.reads_in_clear(current_user, case.response)
    if in_clear and case.response.has_contact:
        access_log.record(current_user, AccessKind.CONTACT_VIEW, case.unit_id, f"case {case.id}")
        db.session.commit()
    assign_form = AssignForm(data={"assignee": case.assignee_id})
    assign_form.assignee.choices = [SelectChoice("", _("— Nobody —"))] + [
        SelectChoice(u.id, u.display_name) for u in coverage.eligible_handlers(case)]
    return render_template(
        "cases/case.html", case=case, response=case.response, labels=labels, leader=leader,
        in_clear=in_clear,
        today=queries.local_today(now_utc()), locale=str(get_locale()),
        consent=consent_text(case.response.consent_version, str(get_locale())),
        answers=sorted(case.response.answers, key=lambda a: a.question.position),
        timeline=_timeline(case, leader),
        actions=allowed_actions(case.status) if leader else [],
        transition_form=TransitionForm(), dismiss_reasons=list(DismissReason),
        assign_form=assign_form, note_form=NoteForm(), reply_form=ReplyForm(),
        review_form=SentimentReviewForm(data={"label": case.response.sentiment}),
        reviews=reviews_of(case.response),
        followup_url=notify.followup_url(case) if leader else None,
        rights=rights_views.case_panel(case) if leader else None,
    )


def _save(form_class, action, message: str, target: str):
    """Validate the posted `form_class` (its errors are flashed); when valid, `action(form)`,
    commit and flash `message`. Either way back to the page at `target`."""
    form = posted_form(form_class)
    if form is not None:
        action(form)
        db.session.commit()
        flash(message, "info")
    return redirect(target, code=303)


@bp.route("/inbox/cases/<int:case_id>/transition", methods=["POST"])
@leader_only
def transition(case_id: int):
    """Move the case through the workflow; an illegal move is refused (409). Resolving a case
    of a consenting citizen issues the follow-up link and e-mails it, in the same transaction
    as the move: a failure anywhere stores nothing."""
    case = case_or_404(case_id)
    form = posted_form(TransitionForm)
    if form is None:
        return _done(case)
    action = Action(form.action.data)
    services.lock_case(case)
    try:
        services.apply_action(case, action, current_user, _policy(),
                              reason=DismissReason(form.reason.data) if form.reason.data
                              else None, text=form.text.data)
    except IllegalTransition:
        db.session.rollback()
        flash(_("This change is not possible for a case in this status."), "error")
        return refused(case)
    if action == Action.RESOLVE and case.response.has_contact:
        services.issue_followup(case)
    followup = action == Action.RESOLVE and case.followup_nonce is not None
    delivery = notify.deliver_followup(case, current_app.config) if followup else None
    db.session.commit()
    flash(_("Case updated: %(status)s.", status=labels.STATUS[case.status]), "info")
    if followup:
        _flash_delivery(delivery, _("The follow-up link was e-mailed to the citizen."),
                        _("Please send the citizen the follow-up link shown below (by phone or "
                          "text message)."))
    return _done(case)


def _flash_delivery(outcome: str | None, sent: str, not_sent: str) -> None:
    if outcome and outcome.startswith("sent:"):
        flash(sent, "info")
    elif outcome:
        flash(_("The e-mail could not be sent (see the timeline).") + " " + not_sent, "error")
    else:
        flash(not_sent, "info")


@bp.route("/inbox/cases/<int:case_id>/sentiment", methods=["POST"])
@leader_only
def review_sentiment_label(case_id: int):
    """Correct the sentiment label of the case's comment (recorded with who and when)."""
    case = case_or_404(case_id)
    form = posted_form(SentimentReviewForm)
    if form is None:
        return _done(case)
    try:
        review = review_sentiment(case.response, form.label.data, current_user)
    except ReviewRefused:
        db.session.rollback()
        flash(_("This label cannot be set: a comment with an integrity alert stays negative."),
              "error")
        return refused(case)
    db.session.commit()
    if review is not None:
        flash(_("Label corrected."), "info")
    return _done(case)


@bp.route("/inbox/cases/<int:case_id>/assign", methods=["POST"])
@leader_only
def assign(case_id: int):
    """Give the case to a leader of its ward (or to nobody)."""
    case = case_or_404(case_id)
    form = AssignForm(request.form)
    eligible = {u.id: u for u in coverage.eligible_handlers(case)}
    form.assignee.choices = [SelectChoice("", "")] + [SelectChoice(i, "") for i in eligible]
    if not form.validate():
        abort(400)
    assignee = eligible.get(form.assignee.data) if form.assignee.data else None
    services.assign(case, assignee, current_user)
    db.session.commit()
    flash(_("Assignment saved."), "info")
    return _done(case)


@bp.route("/inbox/cases/<int:case_id>/note", methods=["POST"])
@leader_only
def note(case_id: int):
    """Add an internal note."""
    case = case_or_404(case_id)
    return _save(NoteForm, lambda form: services.add_note(case, current_user, form.body.data),
                 _("Note added."), _case_url(case))


@bp.route("/inbox/cases/<int:case_id>/reply", methods=["POST"])
@leader_only
def reply(case_id: int):
    """Record a reply to the citizen and e-mail it when they consented and left an address; the
    reply and the e-mail's outcome are stored in one transaction."""
    case = case_or_404(case_id)
    form = posted_form(ReplyForm)
    if form is None:
        return _done(case)
    services.add_reply(case, current_user, form.body.data)
    delivery = notify.deliver_reply(case, form.body.data, current_app.config)
    db.session.commit()
    _flash_delivery(delivery, _("Reply recorded and e-mailed to the citizen."),
                    _("Reply recorded. It was not e-mailed: if the citizen left a phone number, "
                      "please call them."))
    return _done(case)


@bp.route("/inbox/responses")
@leader_only
def responses():
    """Recent responses in scope, to open a case from any of them."""
    scope = current_scope()
    centre_id = id_arg("centre")
    with_comment = request.args.get("comment") == "1"
    page = queries.responses_page(scope, page_arg(), current_app.config["CASES_PER_PAGE"],
                                  centre_id=centre_id, with_comment=with_comment,
                                  viewer_staff_id=current_user.staff_id)
    ratings = queries.overall_ratings([r.id for r, _case in page.items])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("cases/responses.html", page=page, ratings=ratings, args=args,
                           centres=centres_in_scope(scope), centre_id=centre_id,
                           with_comment=with_comment, labels=labels,
                           open_form=ActionForm())


@bp.route("/inbox/responses/<public_id>/case", methods=["POST"])
@leader_only
def open_case(public_id: str):
    """Open a case for a response (one per response)."""
    response = db.one_or_404(select(Response).where(Response.public_id == public_id))
    require_unit_in_scope(current_user, response.unit_id)
    if recusal.is_about(current_user, response):
        abort(404)
    if not ActionForm(request.form).validate():
        abort(400)
    existing = services.case_for_response(response.id)
    if existing is not None:
        return _done(existing)
    try:
        case = services.open_case_by_leader(response, current_user, _policy())
        db.session.commit()
    except (IntegrityError, services.CaseError):  # another leader opened it meanwhile: theirs
        db.session.rollback()
        existing = services.case_for_response(response.id)
        if existing is None:
            raise
        return _done(existing)
    flash(_("Case opened."), "info")
    return _done(case)


@bp.route("/inbox/me")
@roles_required(Role.STAFF)
def my_feedback():
    """A staff member's own comments, grouped by past day and masked (feedback.cases.staff_view),
    and the outcome of the cases about them (no contact details, no internal notes)."""
    if current_user.staff_id is None:
        abort(404)
    config = current_app.config
    page = staff_view.days_page(current_user.staff_id, now_utc(),
                                config["STAFF_VIEW_MIN_RESPONSES"], page_arg(),
                                config["CASES_PER_PAGE"], config["STAFF_VIEW_GRANULARITY"])
    return render_template("cases/mine.html", page=page, labels=labels,
                           min_responses=config["STAFF_VIEW_MIN_RESPONSES"],
                           weekly=config["STAFF_VIEW_GRANULARITY"] == "week")


def _alert(alert_id: int) -> CentreAlert:
    """The alert when it is in the user's scope and not about the user (else 404)."""
    alert = in_scope_or_404(CentreAlert, alert_id, lambda alert: alert.centre.unit_id)
    if queries.alert_about(alert, current_user.staff_id):
        abort(404)
    return alert


@bp.route("/leader/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@leader_only
def acknowledge_alert(alert_id: int):
    """Acknowledge an alert with a comment; one already acknowledged is refused (409, the
    leader's page with the reason): the first leader's word stands."""
    alert = _alert(alert_id)
    try:
        return _save(AcknowledgeAlertForm,
                     lambda form: alerts.acknowledge(alert, current_user, form.comment.data),
                     _("Alert acknowledged."), url_for("cases.landing"))
    except alerts.AlreadyAcknowledged:
        db.session.rollback()
        flash(_("This alert was acknowledged already; the first acknowledgement stands."),
              "error")
        return landing(), 409


@bp.route("/leader/alerts/rules", methods=["GET"])
@leader_only
def alert_rules():
    """The alert thresholds of each centre in scope."""
    forms = []
    for centre in centres_in_scope(current_scope()):
        thresholds = alerts.thresholds_for(centre.id, current_app.config)
        forms.append((centre, alerts.rule_for(centre.id) is not None, AlertRuleForm(data={
            "window_minutes": thresholds.window_minutes,
            "unhappy_percent": round(thresholds.unhappy_share * 100),
            "min_responses": thresholds.min_responses,
            "on_integrity": thresholds.on_integrity})))
    return render_template("cases/alert_rules.html", forms=forms)


@bp.route("/leader/alerts/rules/<int:centre_id>", methods=["POST"])
@leader_only
def save_alert_rule(centre_id: int):
    """Save a centre's own thresholds."""
    centre = in_scope_or_404(Centre, centre_id)

    def save(form) -> None:
        before = alerts.thresholds_for(centre.id, current_app.config)
        after = alerts.Thresholds(form.window_minutes.data, form.unhappy_percent.data / 100,
                                  form.min_responses.data, bool(form.on_integrity.data))
        rule = alerts.save_rule(centre.id, after, current_user)
        rule_log.log_change(AuditTarget.ALERT_RULE, rule.id, centre.unit_id, centre.name,
                            rule_log.describe_thresholds(before),
                            rule_log.describe_thresholds(after))

    return _save(AlertRuleForm, save, _("Alert thresholds of %(centre)s saved.",
                                        centre=centre.name), url_for("cases.alert_rules"))


@bp.route("/leader/case-rules", methods=["GET"])
@roles_required(Role.LEADER, Role.ADMIN)
def case_rules():
    """What opens a case by itself in each ward, commune or special zone in scope."""
    forms = []
    for unit in communes_in_scope(current_scope()):
        rule = opening.rule_for(unit.id)
        forms.append((unit, opening.has_own_rule(unit.id), CaseRuleForm(data={
            "on_negative_comment": rule.on_negative_comment,
            "reasons": sorted(rule.reason_codes)})))
    return render_template("cases/case_rules.html", forms=forms)


@bp.route("/leader/case-rules/<int:unit_id>", methods=["POST"])
@roles_required(Role.LEADER, Role.ADMIN)
def save_case_rule(unit_id: int):
    """Save a unit's own case-opening rule (for responses from now on)."""
    unit = in_scope_or_404(Unit, unit_id, lambda unit: unit.id)
    if unit.kind not in COMMUNE_LEVEL:  # responses belong to communes: a province's rule is unused
        abort(404)

    def save(form) -> None:
        before = opening.rule_for(unit.id)
        after = opening.OpeningRule(bool(form.on_negative_comment.data),
                                    frozenset(form.reasons.data or ()))
        stored = opening.save_rule(unit.id, after, current_user)
        rule_log.log_change(AuditTarget.CASE_RULE, stored.id, unit.id, unit.name,
                            rule_log.describe_opening(before), rule_log.describe_opening(after))

    return _save(CaseRuleForm, save, _("What opens a case in %(unit)s is saved.",
                                       unit=unit.name), url_for("cases.case_rules"))


@bp.route("/f/<token>", methods=["GET", "POST"])
def followup(token: str):
    """The citizen's follow-up link: was the problem solved, and how was it handled?"""
    config = current_app.config
    try:
        found = read_token(config["SECRET_KEY"], token,
                           config["CASE_FOLLOWUP_MAX_AGE_DAYS"] * 24 * 3600)
    except FollowUpTokenExpired:
        abort(410)
    except FollowUpTokenError:
        abort(404)
    case = db.get_or_404(Case, found.case_id)
    if case.followup_nonce != found.nonce:
        abort(410)
    centre = case.response.centre
    if case.followup_answered_at is not None:
        return render_template("cases/followup_done.html", centre=centre)
    form = FollowUpForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        services.lock_case(case)  # a second click waits, then finds the link used
        try:
            services.record_followup(case, found.nonce, form.solved.data == "yes",
                                     form.rating.data)
            db.session.commit()
        except services.CaseError:
            db.session.rollback()
        return redirect(url_for("cases.followup", token=token), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("cases/followup.html", form=form, centre=centre, case=case,
                           scale=RATING_SCALE), status



@bp.route("/tra-cuu", methods=["GET", "POST"])
@bp.route("/track", methods=["GET", "POST"], endpoint="track_en")
@track_device_limit
@track_address_limit
def track():
    """The status and public replies of the case whose reference the citizen holds."""
    form = TrackForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        found = tracking.track(form.reference.data)
        if found is None:
            return render_template("cases/track.html", form=form, not_found=True), 404
        return render_template("cases/tracked.html", case=found, labels=labels,
                               **rights_views.citizen_panel(found.reference))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/track.html", form=form, not_found=False), status


@bp.route("/access-log")
@roles_required(Role.LEADER, Role.ADMIN)
def access_log_page():
    """Who viewed citizens' contact details or exported personal data, in the user's units."""
    page = access_log.entries_page(scoped_unit_ids(current_user), page_arg(),
                                   current_app.config["CASES_PER_PAGE"])
    return render_template("cases/access_log.html", page=page, labels=labels)
