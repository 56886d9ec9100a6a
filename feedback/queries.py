"""Reads of responses, always through a unit's lineage so merged wards keep their history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from core.db import db
from feedback.models import Response
from surveys.queries import unit_lineage_ids


def in_unit(unit_id: int) -> ColumnElement[bool]:
    """Responses of a unit, including those given in units that were merged into it."""
    return Response.unit_id.in_(unit_lineage_ids(unit_id))


def response_count(unit_id: int, start: datetime | None = None,
                   end: datetime | None = None) -> int:
    """How many responses a unit (with its predecessors) received in [start, end)."""
    query = select(func.count()).select_from(Response).where(in_unit(unit_id))
    if start is not None:
        query = query.where(Response.submitted_at >= start)
    if end is not None:
        query = query.where(Response.submitted_at < end)
    return db.session.execute(query).scalar_one()
