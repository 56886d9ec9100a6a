"""`/healthz` for load balancers and monitors: is the app up and does its database answer?

JSON, no sign-in, no cookies, never cached; 503 when the database does not answer. It also
reports the tagging backlog (comments whose tagging failed, waiting for `flask sentiment
tag-pending`): how many and how old the oldest is, for a monitor to alert on. The backlog never
fails the check: taking workers out of service would not tag anything, only refuse citizens.

`rate_limits` says where the limits count (core.ratelimit.storage_state). A shared storage
(Redis) that does not answer makes the status "degraded", still with 200: every server would
see the same Redis, so taking them out of the load balancer would refuse every citizen, while
the limits meanwhile hold per worker. A monitor alerts on "degraded".
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.db import db, now_utc
from core.ratelimit import storage_state
from feedback.tagging import backlog

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/healthz")
def healthz():
    """200 {"status": "ok" or "degraded", "database": "ok", "rate_limits": …, "untagged":
    {"count", "oldest_seconds"}} when the database answers, else 503 {"status": "unavailable",
    "database": "unavailable", "rate_limits": …}."""
    limits = storage_state(current_app.config)
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
        pending = backlog()
        age = None if pending.oldest is None else (now_utc() - pending.oldest).total_seconds()
        untagged = {"count": pending.count,
                    "oldest_seconds": None if age is None else max(0, round(age))}
        body = {"status": "degraded" if limits == "unavailable" else "ok", "database": "ok",
                "rate_limits": limits, "untagged": untagged}
        status = 200
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("health check: database unavailable")
        body, status = {"status": "unavailable", "database": "unavailable",
                        "rate_limits": limits}, 503
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
