"""`/healthz` for load balancers and monitors: is the app up and does its database answer?

JSON, no sign-in, no cookies, never cached; 503 when the database does not answer.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.db import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/healthz")
def healthz():
    """200 {"status": "ok"} when a `SELECT 1` succeeds, else 503 {"status": "unavailable"}."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
        body, status = {"status": "ok", "database": "ok"}, 200
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("health check: database unavailable")
        body, status = {"status": "unavailable", "database": "unavailable"}, 503
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
