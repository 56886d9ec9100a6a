"""Rights requests: the citizen's, from the tracking page with the reference and a one-time
code; the leader's, from the case page for a request made at the counter; and the list of
requests with those overdue, for the unit's leaders and the administrators."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.auth import roles_required, scoped_unit_ids
from accounts.models import Role
from core.db import db, now_utc
from core.forms import posted_form
from core.params import page_arg
from core.ratelimit import track_address_limit, track_device_limit
from core.timeutil import local_today
from feedback.cases import labels as case_labels
from feedback.cases.access import case_or_404
from feedback.cases.forms import TrackForm
from feedback.cases.mail import MailError
from feedback.cases.models import Case
from feedback.cases.services import lock_case
from feedback.cases.tracking import case_by_reference, track
from feedback.rights import labels, notify, services
from feedback.rights.codes import CodeCheck, TooManyCodes, check_code, issue_code
from feedback.rights.forms import (
    CitizenRequestForm,
    CompleteRequestForm,
    ConfirmCodeForm,
    CounterRequestForm,
)
from feedback.rights.models import (
    DataSubjectRequest,
    RequestChannel,
    RequestKind,
    Verification,
)

bp = Blueprint("rights", __name__)

leader_only = roles_required(Role.LEADER)


def citizen_panel(reference: str) -> dict:
    """What the tracking page shows about requests: the form to make one and those made."""
    case = case_by_reference(reference)
    return {"rights_form": CitizenRequestForm(data={"reference": reference}),
            "rights_requests": services.requests_of(case) if case else [],
            "rights_labels": labels}


def case_panel(case: Case) -> dict:
    """What the case page shows a leader about the case's requests."""
    return {"requests": services.requests_of(case), "counter_form": CounterRequestForm(),
            "complete_form": CompleteRequestForm(), "labels": labels,
            "holds_contact": services.holds_contact(case.response),
            "today": local_today(now_utc())}


def _not_found():
    return render_template("cases/track.html", form=TrackForm(), not_found=True), 404


def _page(name: str, case: Case, status: int = 200, **context):
    return render_template(f"rights/{name}.html", case=case, labels=labels, **context), status


@bp.route("/tra-cuu/yeu-cau", methods=["POST"])
@bp.route("/track/request", methods=["POST"], endpoint="ask_en")
@track_device_limit
@track_address_limit
def ask():
    """The citizen asks to withdraw consent or erase their contact details: a code goes to the
    e-mail address they left; without one, the request waits for a leader's identity check."""
    form = CitizenRequestForm(request.form)
    case = case_by_reference(form.reference.data)
    if case is None:
        return _not_found()
    if not form.validate():  # no request chosen: the tracking page again, with the error
        return render_template("cases/tracked.html", case=track(case.reference),
                               labels=case_labels, **{**citizen_panel(case.reference),
                                                      "rights_form": form}), 400
    kind, config, now = RequestKind(form.kind.data), current_app.config, now_utc()
    lock_case(case)  # one code or request at a time per case
    if not services.holds_contact(case.response):
        done = services.complete(services.receive(case, kind, RequestChannel.ONLINE, now, config),
                                 now, Verification.NOTHING_HELD)
        db.session.commit()
        return _page("done", case, request_row=done)
    if not notify.can_email_code(case, config):
        waiting = services.receive(case, kind, RequestChannel.ONLINE, now, config)
        db.session.commit()
        return _page("waiting", case, 202, request_row=waiting)
    try:
        code = issue_code(case, kind, config["SECRET_KEY"], now,
                          config["RIGHTS_CODE_TTL_MINUTES"], config["RIGHTS_CODES_PER_DAY"])
        notify.send_code(case, kind, code, config)
    except TooManyCodes:
        db.session.rollback()
        return _page("no_code", case, 429, reason="too_many")
    except MailError:
        db.session.rollback()
        return _page("no_code", case, 503, reason="mail")
    db.session.commit()
    return _page("confirm", case, form=ConfirmCodeForm(
        data={"reference": case.reference, "kind": kind.value}), kind=kind)


@bp.route("/tra-cuu/xac-nhan", methods=["POST"])
@bp.route("/track/confirm", methods=["POST"], endpoint="confirm_en")
@track_device_limit
@track_address_limit
def confirm():
    """The citizen types the code: the request is recorded and carried out at once."""
    form = ConfirmCodeForm(request.form)
    case = case_by_reference(form.reference.data)
    if case is None or form.kind.data not in set(RequestKind):
        return _not_found()
    kind, config = RequestKind(form.kind.data), current_app.config
    if not form.validate():
        return _page("confirm", case, 400, form=form, kind=kind)
    now = now_utc()
    lock_case(case)  # the same code typed twice at once is spent once
    outcome = check_code(case, kind, form.code.data, config["SECRET_KEY"], now,
                         config["RIGHTS_CODE_MAX_ATTEMPTS"])
    if outcome == CodeCheck.OK:
        done = services.complete(services.receive(case, kind, RequestChannel.ONLINE, now, config),
                                 now, Verification.EMAIL_CODE)
        db.session.commit()
        return _page("done", case, request_row=done)
    db.session.commit()  # the wrong try counts
    if outcome == CodeCheck.WRONG:
        form.code.errors = [_("This code is not right. Please check the e-mail and type it "
                              "again.")]
        return _page("confirm", case, 400, form=form, kind=kind)
    return _page("no_code", case, 410, reason=outcome.value, kind=kind,
                 again=CitizenRequestForm(data={"reference": case.reference,
                                                "kind": kind.value}))


def _to_case(case: Case):
    return redirect(url_for("cases.case_detail", case_id=case.id) + "#rights-title", code=303)


@bp.route("/inbox/cases/<int:case_id>/rights", methods=["POST"])
@leader_only
def counter_request(case_id: int):
    """Record and carry out a request the citizen made in person, their identity checked."""
    case = case_or_404(case_id)
    form = posted_form(CounterRequestForm)
    if form is None:
        return _to_case(case)
    now, kind = now_utc(), RequestKind(form.kind.data)
    lock_case(case)
    if services.completed_request(case, kind) is not None:
        db.session.rollback()
        flash(_("This request was carried out already: %(what)s.", what=labels.KIND[kind]),
              "error")
        return current_app.view_functions["cases.case_detail"](case_id=case.id), 409
    row = services.receive(case, kind, RequestChannel.COUNTER, now, current_app.config,
                           by=current_user)
    services.complete(row, now, Verification.IDENTITY_CHECK, by=current_user)
    db.session.commit()
    flash(_("Request carried out: %(what)s.", what=labels.KIND[row.kind]), "info")
    return _to_case(case)


@bp.route("/inbox/cases/<int:case_id>/rights/<int:request_id>/complete", methods=["POST"])
@leader_only
def complete_request(case_id: int, request_id: int):
    """Carry out an online request that waited for an identity check."""
    case = case_or_404(case_id)
    row = db.get_or_404(DataSubjectRequest, request_id)
    if row.case_id != case.id:
        abort(404)
    if posted_form(CompleteRequestForm) is None:
        return _to_case(case)
    lock_case(case)
    db.session.refresh(row)
    if row.completed_at is None:
        services.complete(row, now_utc(), Verification.IDENTITY_CHECK, by=current_user)
        db.session.commit()
        flash(_("Request carried out: %(what)s.", what=labels.KIND[row.kind]), "info")
    return _to_case(case)


@bp.route("/yeu-cau-du-lieu")
@bp.route("/data-requests", endpoint="requests_en")
@roles_required(Role.LEADER, Role.ADMIN)
def requests_list():
    """The data-subject requests of the user's units: open ones first by due day, overdue
    marked; none of a complaint about the user (its reference is the citizen's key)."""
    scope = scoped_unit_ids(current_user)
    open_only = request.args.get("open") == "1"
    today = local_today(now_utc())
    viewer = current_user.staff_id
    page = services.requests_page(scope, open_only, page_arg(),
                                  current_app.config["CASES_PER_PAGE"], viewer)
    return render_template("rights/requests.html", page=page, labels=labels, today=today,
                           open_only=open_only,
                           overdue=services.overdue_count(scope, today, viewer),
                           leader=current_user.role == Role.LEADER)
