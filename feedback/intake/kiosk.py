"""Kiosk mode: a tablet at the counter, enrolled by an administrator, that works offline.

The page /k/<counter-token> is shown only to a tablet holding the kiosk key of that counter
(an HttpOnly cookie set at enrolment), so a kiosk link copied elsewhere shows nothing. A service
worker keeps the page and its assets; answers wait in IndexedDB and are posted as JSON to
/k/api/answers when the network is there.

Why the JSON endpoint needs no CSRF token: it accepts only `application/json` bodies (a
cross-site form cannot send that, and a cross-site fetch with it needs a CORS preflight that is
never granted), it requires an Origin header equal to this site's origin (browsers send it on
every POST fetch and pages cannot forge it), and the kiosk cookie is SameSite=Lax, so a
cross-site POST does not carry it at all. The key itself is never readable by scripts.
Behind a reverse proxy, PROXY_FIX_X_PROTO / PROXY_FIX_X_HOST must be set so that the origin the
app sees is the one the tablet uses; otherwise every post is refused as cross-origin.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from core.db import db, now_utc
from core.errors import json_errors_under
from core.forms import ActionForm
from core.jsonbody import MALFORMED_MESSAGE, JsonBodyError, parse_json_body
from core.ratelimit import kiosk_limit
from feedback.cases.notify import external_url
from feedback.cases.services import case_for_response
from feedback.dashboard.folding import after_submission_commit
from feedback.intake.kiosk_sync import (
    BATCH_MAX,
    BATCH_MAX_BYTES,
    KIOSK_QUESTION,
    Limits,
    Outcome,
    Status,
    clock_offset,
    deliver_answer,
    submission_key,
)
from feedback.services import find_by_submission_key
from surveys.channels.kiosks import (
    EnrolmentError,
    Kiosk,
    enrol_kiosk,
    kiosk_for_key,
    pending_enrolment,
)
from surveys.defaults import DISSATISFACTION_REASONS, RATING_SCALE
from surveys.queries import active_survey, find_counter_token
from surveys.scale import SATISFIED_FROM
from surveys.services import ensure_counter_token

bp = Blueprint("kiosk", __name__, url_prefix="/k")
json_errors_under(bp, "/api/")

COOKIE = "kiosk_key"
#: Browsers keep a cookie at most 400 days; it is renewed on every page load.
COOKIE_MAX_AGE = 400 * 24 * 3600
#: Seconds the follow-up screen waits for the citizen before saving without a comment.
FOLLOWUP_SECONDS = 40
#: Seconds the thank-you screen keeps a complaint's reference on show (or until "Done").
REFERENCE_SECONDS = 60
#: Cache name shared by the page script and the service worker.
CACHE_NAME = "hailong-kiosk-v3"
#: What a counter token can look like (URL-safe base64); anything else is not looked up.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _scope() -> str:
    """The path under which the kiosk pages live: the cookie's path and the worker's scope."""
    return request.script_root + bp.url_prefix + "/"


def _set_kiosk_cookie(response: Response, key: str) -> None:
    response.set_cookie(COOKIE, key, max_age=COOKIE_MAX_AGE, path=_scope(),
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])


def _current_kiosk() -> Kiosk | None:
    return kiosk_for_key(request.cookies.get(COOKIE))


#: What the kiosk shows staff when the server refused an answer, by reason code.
REJECTION_MESSAGES = {
    "key": _l("An answer was refused: it was malformed."),
    "given_at": _l("An answer was refused: it carried no valid time."),
    "in_future": _l("An answer was refused: its time lies in the future. Check the tablet's "
                    "clock."),
    "too_old": _l("An answer was refused: it was kept offline too long."),
    "before_contact": _l("An answer was refused: it is dated before this tablet's last "
                         "contact with the server. Check the tablet's clock."),
    "too_fast": _l("An answer was refused: more answers were given in one minute than people "
                   "can give."),
    "rating": _l("An answer was refused: its rating is not on the scale."),
    "survey": _l("An answer was refused: the survey it answers no longer exists."),
    "comment": _l("An answer was refused: its comment is too long or has characters that are "
                  "not allowed."),
    "reasons": _l("An answer was refused: its reasons are not on the list."),
}


def rejection_message(reason: str) -> str:
    """The translated sentence the kiosk shows for a refused answer."""
    return str(REJECTION_MESSAGES.get(reason, REJECTION_MESSAGES["key"]))


#: What the kiosk shows staff when the server refused a whole batch, by error code.
REFUSAL_MESSAGES = {
    "cross_origin": _l("Answers are taken only from the kiosk page of this site."),
    "not_enrolled": _l("This device is not enrolled as a kiosk (any more). Ask an administrator "
                       "to enrol it again."),
    "json_required": _l("Send a JSON body (Content-Type: application/json)."),
    "malformed": MALFORMED_MESSAGE,
}


def _json_error(status: int, code: str, message=None):
    return jsonify(error=code, message=str(message or REFUSAL_MESSAGES[code])), status


@bp.route("/<token>")
def kiosk_page(token: str):
    """The kiosk screen of a counter, for the tablet enrolled there (403 for anyone else)."""
    counter_token = find_counter_token(token) if _TOKEN.fullmatch(token) else None
    if counter_token is None:
        abort(404)
    kiosk = _current_kiosk()
    if kiosk is None or kiosk.counter_id != counter_token.counter_id:
        return render_template("kiosk/not_enrolled.html"), 403
    survey = active_survey(kiosk.counter.centre.unit_id)
    question = next((q for q in survey.questions if q.code == KIOSK_QUESTION), None) \
        if survey else None
    if question is None:
        abort(404)
    kiosk.last_seen_at = now_utc()
    db.session.commit()
    locale = str(get_locale())
    assets = [url_for("static", filename=name) for name in ("app.css", "kiosk.css", "kiosk.js")]
    response = Response(render_template(
        "kiosk/kiosk.html", kiosk=kiosk, counter=kiosk.counter, centre=kiosk.counter.centre,
        survey=survey, prompt=question.prompt(locale), scale=RATING_SCALE, locale=locale,
        assets=assets, cache_name=CACHE_NAME, scope=_scope(), followup_seconds=FOLLOWUP_SECONDS,
        reset_seconds=current_app.config["KIOSK_RESET_SECONDS"],
        reference_seconds=REFERENCE_SECONDS, track_url=external_url("cases.track"),
        reasons=DISSATISFACTION_REASONS, reason_below=SATISFIED_FROM,
    ))
    response.headers["Cache-Control"] = "no-cache"
    _set_kiosk_cookie(response, request.cookies[COOKIE])
    return response


@bp.route("/enrol/<code>", methods=["GET", "POST"])
def enrol(code: str):
    """Turn this device into the kiosk of a counter with a one-time code from an admin.

    Opening the link only shows what will happen; the code is used by the button (a POST), so
    link previews cannot spend it.
    """
    kiosk = pending_enrolment(code)
    if kiosk is None:
        abort(404)
    form = ActionForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            kiosk, key = enrol_kiosk(code)
        except EnrolmentError:  # another device used the code a moment ago
            db.session.rollback()
            abort(404)
        token = ensure_counter_token(kiosk.counter)
        db.session.commit()
        response = redirect(url_for("kiosk.kiosk_page", token=token.token), code=303)
        _set_kiosk_cookie(response, key)
        return response
    return render_template("kiosk/enrol.html", kiosk=kiosk, counter=kiosk.counter,
                           centre=kiosk.counter.centre, form=form)


@bp.route("/sw.js")
def service_worker():
    """The kiosk's service worker, served from /k/ so that it may control the kiosk pages."""
    script = (Path(current_app.static_folder) / "kiosk-sw.js").read_bytes()
    return Response(script, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


def _same_origin() -> bool:
    return request.headers.get("Origin") == request.host_url.rstrip("/")


def _reference(kiosk: Kiosk, outcome: Outcome) -> str | None:
    """The reference of the complaint case a stored answer opened, for the thank-you screen."""
    if outcome.status != Status.STORED:
        return None
    response = find_by_submission_key(submission_key(kiosk.id, outcome.key))
    case = case_for_response(response.id) if response is not None else None
    return case.reference if case is not None else None


@bp.route("/api/answers", methods=["POST"])
@kiosk_limit(COOKIE)
def receive_answers():
    """Store a batch of kiosk answers, each exactly once; say what became of every one.

    Each answer is committed on its own, so a batch cut short by a failure keeps what was
    stored, and the tablet's retry of the rest is idempotent. A batch marked `final` (nothing
    else queued on the tablet; an empty one is the tablet's heartbeat) records the contact.
    """
    if not _same_origin():
        return _json_error(403, "cross_origin")
    kiosk = _current_kiosk()
    if kiosk is None:
        return _json_error(403, "not_enrolled")
    if not request.is_json:
        return _json_error(415, "json_required")
    request.max_content_length = BATCH_MAX_BYTES
    try:
        payload = parse_json_body(request.get_data())
    except JsonBodyError as error:
        return _json_error(400, "malformed", error.message)
    answers = payload.get("answers") if isinstance(payload, dict) else None
    if not isinstance(answers, list) or len(answers) > BATCH_MAX:
        return _json_error(400, "malformed")
    config = current_app.config
    limits = Limits(max_age=timedelta(hours=config["KIOSK_MAX_OFFLINE_HOURS"]),
                    skew=timedelta(seconds=config["KIOSK_CLOCK_SKEW_SECONDS"]),
                    languages=tuple(config["LANGUAGES"]),
                    per_minute=config["KIOSK_MAX_ANSWERS_PER_MINUTE"],
                    contact_margin=timedelta(seconds=config["KIOSK_CONTACT_MARGIN_SECONDS"]))
    received_at = now_utc()
    offset = clock_offset(payload.get("sent_at"), received_at)
    results = []
    for raw in answers:
        try:
            outcome = deliver_answer(kiosk, raw, received_at, offset, limits)
            db.session.commit()
        except IntegrityError:  # the same answer arrived twice at once: one was stored
            db.session.rollback()
            if find_by_submission_key(submission_key(kiosk.id, raw["key"])) is None:
                raise
            outcome = Outcome(raw["key"], Status.DUPLICATE)
        results.append({"key": outcome.key, "status": outcome.status.value,
                        "reason": outcome.reason,
                        "message": rejection_message(outcome.reason) if outcome.reason else None,
                        "reference": _reference(kiosk, outcome)})
    kiosk.last_seen_at = received_at
    if payload.get("final") is True:
        kiosk.synced_at = received_at
    db.session.commit()
    if any(outcome["status"] == Status.STORED.value for outcome in results):
        after_submission_commit()
    return jsonify(results=results)
