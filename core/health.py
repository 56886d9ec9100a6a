"""`/healthz` for load balancers and monitors: is the app up and does its database answer?

JSON, no sign-in, no cookies, never cached; 503 when the database does not answer. It also
reports the tagging backlog (comments whose tagging failed, waiting for `flask sentiment
tag-pending`): how many and how old the oldest is, for a monitor to alert on. The backlog never
fails the check: taking workers out of service would not tag anything, only refuse citizens.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.db import db, now_utc
from feedback.tagging import backlog

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/healthz")
def healthz():
    """200 {"status": "ok", "database": "ok", "untagged": {"count", "oldest_seconds"}} when the
    database answers, else 503 {"status": "unavailable", "database": "unavailable"}."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
        pending = backlog()
        age = None if pending.oldest is None else (now_utc() - pending.oldest).total_seconds()
        body = {"status": "ok", "database": "ok",
                "untagged": {"count": pending.count,
                             "oldest_seconds": None if age is None else max(0, round(age))}}
        status = 200
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("health check: database unavailable")
        body, status = {"status": "unavailable", "database": "unavailable"}, 503
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
