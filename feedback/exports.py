"""Exports of responses: one row per response, safe to open in a spreadsheet. Each row carries
the dossier code (mã hồ sơ) and the reasons for dissatisfaction (codes, space-separated)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.db import db
from core.timeutil import local_iso
from feedback.models import Answer, Response
from feedback.reasons import REASONS, reasons_of
from surveys.models import Question

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000


def neutralise(value: object) -> object:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def rating_codes() -> list[str]:
    """Question codes of every survey version, in first-seen order (overall first)."""
    codes: list[str] = []
    for code in db.session.execute(
        select(Question.code).order_by(Question.survey_id, Question.position)
    ).scalars():
        if code not in codes:
            codes.append(code)
    return codes


def response_rows(codes: list[str]) -> Iterator[list[object]]:
    """Rows of every response (oldest first) with ratings in the order of `codes`."""
    last_id = 0
    while True:
        batch = list(db.session.execute(
            select(Response)
            .options(joinedload(Response.unit), joinedload(Response.centre),
                     joinedload(Response.counter), joinedload(Response.staff),
                     joinedload(Response.survey), joinedload(Response.procedure_area))
            .where(Response.id > last_id).order_by(Response.id).limit(BATCH)
        ).scalars())
        if not batch:
            return
        answers: dict[int, dict[str, int]] = {}
        for response_id, code, value in db.session.execute(
            select(Answer.response_id, Question.code, Answer.value)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id.in_([r.id for r in batch]))
        ):
            answers.setdefault(response_id, {})[code] = value
        reasons = reasons_of(r.id for r in batch)
        for r in batch:
            ratings = answers.get(r.id, {})
            yield [
                r.public_id, local_iso(r.submitted_at), r.unit.code, r.unit.name, r.centre.name,
                r.counter.label, r.staff.code if r.staff else "",
                r.staff.full_name if r.staff else "", r.survey.version,
                r.procedure_area.code if r.procedure_area else "",
                *[ratings.get(code, "") for code in codes],
                r.comment or "", r.locale, r.channel.value, r.sentiment or "",
                r.topics or "", int(r.integrity_alert),
                "" if r.sentiment_confidence is None else r.sentiment_confidence,
                int(r.reviewed_label is not None), r.dossier_code or "",
                " ".join(code for code in REASONS if code in reasons.get(r.id, ())),
            ]
        last_id = batch[-1].id
        db.session.expunge_all()


def write_responses_csv(out: TextIO) -> int:
    """Write every response as CSV with a header row; return the number of responses."""
    codes = rating_codes()
    writer = csv.writer(out)
    writer.writerow(["id", "submitted_at", "unit", "unit_name", "centre", "counter",
                     "staff_code", "staff", "survey_version", "procedure_area",
                     *[f"rating_{c}" for c in codes], "comment", "locale", "channel",
                     "sentiment", "topics", "integrity_alert", "sentiment_confidence",
                     "sentiment_reviewed", "dossier_code", "reasons"])
    count = 0
    for row in response_rows(codes):
        writer.writerow([neutralise(v) for v in row])
        count += 1
    return count


