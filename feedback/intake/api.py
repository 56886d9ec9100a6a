"""Visit tokens API (/api/v1): a centre's queue system asks for one-time survey links.

Every call but the description needs `Authorization: Bearer <token>`, a token created for one
centre (`flask api-tokens create`); it sees and creates visits of that centre only. Errors are
JSON: {"error": code, "message": text}, the text in the language of Accept-Language (Vietnamese
by default). The contract is feedback/intake/openapi.py, served at
/api/v1/openapi.json.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db, now_utc
from core.errors import json_errors_under
from core.jsonbody import JsonBodyError, parse_json_body
from core.params import DB_INT_MAX
from core.ratelimit import api_token_limit
from core.timeutil import local_iso
from feedback.intake.openapi import document
from feedback.models import Response
from surveys.channels.visits import (
    Visit,
    VisitError,
    api_token_for,
    create_visit,
    procedure_area_by_code,
)
from surveys.defaults import DOSSIER_CODE_PATTERN
from surveys.links import public_base_url
from surveys.models import Counter, ProcedureArea
from surveys.qr import qr_svg

bp = Blueprint("api", __name__, url_prefix="/api/v1")
json_errors_under(bp)

TICKET_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z ._/-]{0,31}$")
AREA_CODE = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
VISIT_ID = re.compile(r"^[0-9a-f-]{36}$")
DOSSIER_CODE = re.compile(DOSSIER_CODE_PATTERN)
_VISIT_FIELDS = {"ticket_number", "counter_id", "procedure_area", "dossier_code"}


class ApiError(Exception):
    """An error answered as JSON with a stable code."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    response = jsonify(error=error.code, message=error.message)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hailong"'
    return response, error.status


def token_required(view: Callable) -> Callable:
    """Allow the call only with a valid API token; its centre is g.api_token.centre."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
        token = api_token_for(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise ApiError(401, "unauthorized", _("A valid API token is required."))
        g.api_token = token
        return view(*args, **kwargs)

    return wrapped


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(document())


@bp.route("/centre")
@api_token_limit
@token_required
def centre():
    """The token's centre, its open counters and the procedure areas a visit may name."""
    centre = g.api_token.centre
    areas = db.session.execute(select(ProcedureArea).order_by(ProcedureArea.code)).scalars()
    body = {
        "name": centre.name,
        "unit_code": centre.unit.code,
        "counters": [{"id": c.id, "label": c.label,
                      "procedure_areas": [a.code for a in c.procedure_areas]}
                     for c in centre.counters if c.active],
        "procedure_areas": [{"code": a.code, "name_vi": a.name_vi, "name_en": a.name_en}
                            for a in areas],
    }
    db.session.commit()
    return jsonify(body)


def _visit_request() -> dict:
    if not request.is_json:
        raise ApiError(415, "json_required",
                       _("Send a JSON body (Content-Type: application/json)."))
    try:
        body = parse_json_body(request.get_data())
    except JsonBodyError as error:
        raise ApiError(400, "malformed", str(error.message)) from error
    if not isinstance(body, dict):
        raise ApiError(400, "malformed", _("The body must be a JSON object."))
    unknown = set(body) - _VISIT_FIELDS
    if unknown:
        raise ApiError(422, "unknown_field",
                       _("Unknown field: %(fields)s.", fields=", ".join(sorted(unknown))))
    ticket = body.get("ticket_number")
    if not isinstance(ticket, str) or not TICKET_NUMBER.fullmatch(ticket):
        raise ApiError(422, "invalid_ticket_number",
                       _("ticket_number: 1 to 32 letters, digits, spaces or . _ / -"))
    code = body.get("dossier_code")
    if "dossier_code" in body and (not isinstance(code, str) or not DOSSIER_CODE.fullmatch(code)):
        raise ApiError(422, "invalid_dossier_code",
                       _("dossier_code: up to 40 letters, digits or . _ / -"))
    if "counter_id" not in body and "procedure_area" not in body:
        raise ApiError(422, "counter_or_area_required",
                       _("Give counter_id or procedure_area."))
    return body


def _counter(value) -> Counter:
    """The open counter of the token's centre with this id (422 otherwise)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= DB_INT_MAX:
        raise ApiError(422, "invalid_counter_id", _("counter_id must be a positive integer."))
    counter = db.session.get(Counter, value)
    if counter is None or counter.centre_id != g.api_token.centre_id or not counter.active:
        raise ApiError(422, "unknown_counter",
                       _("No open counter with this id at your centre."))
    return counter


def _procedure_area(value) -> ProcedureArea:
    """The procedure area with this code (422 otherwise)."""
    area = procedure_area_by_code(value) if isinstance(value, str) and AREA_CODE.fullmatch(value) \
        else None
    if area is None:
        raise ApiError(422, "unknown_procedure_area", _("No procedure area with this code."))
    return area


def _visit_json(visit: Visit, answered: bool) -> dict:
    return {"id": visit.public_id, "ticket_number": visit.ticket_number,
            "counter_id": visit.counter_id,
            "procedure_area": visit.procedure_area.code if visit.procedure_area else None,
            "dossier_code": visit.dossier_code,
            "created_at": local_iso(visit.created_at), "expires_at": local_iso(visit.expires_at),
            "answered": answered, "expired": not answered and visit.expires_at <= now_utc()}


@bp.route("/visits", methods=["POST"])
@api_token_limit
@token_required
def create():
    """Record a visit; answer its one-time survey URL and the URL's QR code as SVG."""
    body = _visit_request()
    counter = _counter(body["counter_id"]) if "counter_id" in body else None
    area = _procedure_area(body["procedure_area"]) if "procedure_area" in body else None
    ttl = timedelta(hours=current_app.config["VISIT_TOKEN_TTL_HOURS"])
    try:
        issued = create_visit(g.api_token, body["ticket_number"], ttl, counter=counter,
                              procedure_area=area, dossier_code=body.get("dossier_code"))
    except VisitError as error:
        raise ApiError(422, "invalid_visit",
                       _("The visit could not be recorded: it needs an open counter of your "
                         "centre or a procedure area, and a ticket number of 1 to 32 "
                         "characters.")) from error
    url = public_base_url() + url_for("visits.respond", token=issued.token)
    result = {**_visit_json(issued.visit, answered=False), "survey_url": url,
              "qr_svg": qr_svg(url).decode()}
    db.session.commit()
    return jsonify(result), 201


@bp.route("/visits/<visit_id>")
@api_token_limit
@token_required
def status(visit_id: str):
    """Whether a visit of this centre was answered or has expired."""
    visit = db.session.execute(
        select(Visit).where(Visit.public_id == visit_id, Visit.centre_id == g.api_token.centre_id)
    ).scalar_one_or_none() if VISIT_ID.fullmatch(visit_id) else None
    if visit is None:
        raise ApiError(404, "not_found", _("No visit with this id at your centre."))
    answered = db.session.execute(
        select(Response.id).where(Response.visit_id == visit.id)).first() is not None
    body = _visit_json(visit, answered)
    db.session.commit()
    return jsonify(body)
