"""Rollup tables stay equal to a GROUP BY over the raw answers, on insert and after a rebuild."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import delete, select

from core.db import db
from core.timeutil import to_local
from feedback.dashboard import registry, rollups
from feedback.dashboard.models import RatingMonth
from feedback.dashboard.queries import (
    Scope,
    hour_tallies,
    rating_source,
    rating_tallies,
    seekable,
    tag_counts,
    tag_source,
)
from feedback.models import Answer, Response
from feedback.periods import local_midnight_utc, parse_period
from feedback.scoring import Tally
from surveys.models import Question
from surveys.queries import unit_lineage_ids


def _raw_answers():
    """(response, code, value) for every answer of a counted response (those held out by
    integrity flags are in no dashboard), in Python (the hand-checkable truth)."""
    rows = db.session.execute(
        select(Response, Question.code, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.counted)
    ).all()
    return rows


def _truth(period, scope_filter, key, rows=None):
    start, end = period.utc_bounds()
    result: dict = {}
    for response, code, value in rows if rows is not None else _raw_answers():
        if not (start <= response.submitted_at < end) or not scope_filter(response):
            continue
        k = key(response, code)
        result[k] = result.get(k, Tally()) + Tally.of([value])
    return result


def _table(model):
    return sorted(tuple(row) for row in db.session.execute(select(model.__table__)))


def test_record_response_keeps_rollups_equal_to_a_rebuild(random_responses):
    before = {model: _table(model) for model in rollups.TABLES}
    assert all(before.values())
    for model in rollups.TABLES:
        db.session.execute(delete(model))
    for month in rollups.response_months():
        rollups.rebuild_month(month)
    db.session.commit()
    after = {model: _table(model) for model in rollups.TABLES}
    assert after == before


PERIODS = ["2025-05", "2025-Q3", "2025", "2025-06-15", "2025-W27", "2025-05-20..2025-07-10"]


def _scopes(org):
    province_units = frozenset(u.id for u in (org["province"], org["old"], org["ward_a"],
                                              org["ward_b"]))
    ward_a = frozenset(unit_lineage_ids(org["ward_a"].id))
    return {
        "province": (Scope(unit_ids=province_units), lambda r: True),
        "ward_a": (Scope(unit_ids=ward_a), lambda r: r.unit_id in ward_a),
        "centre": (Scope(centre_id=org["centres"][1].id),
                   lambda r: r.centre_id == org["centres"][1].id),
        "counter": (Scope(counter_id=org["counters"][3].id),
                    lambda r: r.counter_id == org["counters"][3].id),
        "staff": (Scope(staff_id=org["staff"][2].id), lambda r: r.staff_id == org["staff"][2].id),
        "area": (Scope(unit_ids=ward_a, area_id=org["areas"][1].id),
                 lambda r: r.unit_id in ward_a and r.procedure_area_id == org["areas"][1].id),
    }


def test_tallies_from_every_source_equal_the_raw_answers(province_org, random_responses):
    local_day = lambda r: to_local(r.submitted_at).date()  # noqa: E731
    groupings = {
        ("question",): lambda r, code: (code,),
        ("centre", "question"): lambda r, code: (r.centre_id, code),
        ("staff",): lambda r, code: (r.staff_id or 0,),
        ("day",): lambda r, code: (local_day(r),),
        ("month", "question"): lambda r, code: (local_day(r).replace(day=1), code),
    }
    overall_only = {
        ("unit", "centre", "counter", "staff"): lambda r, code: (
            (r.unit_id, r.centre_id, r.counter_id, r.staff_id or 0) if code == "overall"
            else None),
        ("area", "day"): lambda r, code: (
            (r.procedure_area_id or 0, local_day(r)) if code == "overall" else None),
        # The overall question's own tally: a rollup of it alone has the question as a constant
        ("question",): lambda r, code: (code,) if code == "overall" else None,
    }
    sources = set()
    rows = _raw_answers()
    for period in map(parse_period, PERIODS):
        for scope, keep in _scopes(province_org).values():
            for by, key in groupings.items():
                sources.add(rating_source(scope, period, by))
                assert rating_tallies(scope, period, by) == _truth(period, keep, key, rows), by
            for by, key in overall_only.items():
                sources.add(rating_source(scope, period, by, ["overall"]))
                truth = _truth(period, keep, key, rows)
                truth.pop(None, None)
                assert rating_tallies(scope, period, by, codes=["overall"]) == truth, by
    assert sources == {"item_year", "centre_month", "item_month", "month", "day", "item_day",
                       "overall", "raw"}


@pytest.mark.parametrize("period_text", ["2025", "2025-06", "2025-06-03..2025-07-20"])
def test_heatmap_and_tags_equal_the_raw_rows(province_org, random_responses, period_text):
    period = parse_period(period_text)
    sources = set()
    for scope, keep in _scopes(province_org).values():
        truth_hours = _truth(period, keep, lambda r, code: (
            to_local(r.submitted_at).weekday(), to_local(r.submitted_at).hour)
            if code == "overall" else None)
        truth_hours.pop(None, None)
        assert hour_tallies(scope, period) == truth_hours
        start, end = period.utc_bounds()
        responses = [r for r in db.session.execute(select(Response).where(Response.counted))
                     .scalars() if start <= r.submitted_at < end and keep(r)]
        expected = Counter()
        for r in responses:
            if r.sentiment_label:
                expected[("s", r.sentiment_label)] += 1
            for code in set(rollups.topic_codes(r.topics)):
                expected[("t", code)] += 1
        assert tag_counts(scope, period) == expected
        assert sum(expected.values()) > 0 or scope.counter_id
        by_day = Counter()
        for r in responses:
            day = to_local(r.submitted_at).date()
            if r.sentiment_label:
                by_day[("s", r.sentiment_label, day)] += 1
            for code in set(rollups.topic_codes(r.topics)):
                by_day[("t", code, day)] += 1
        by_month = Counter()
        for (kind, code, day), n in by_day.items():
            by_month[(kind, code, day.replace(day=1))] += n
        assert tag_counts(scope, period, "day") == by_day
        assert tag_counts(scope, period, "month") == by_month
        for kind in ("s", "t"):
            assert tag_counts(scope, period, "month", kind) == Counter(
                {key: n for key, n in by_month.items() if key[0] == kind})
        sources.update(tag_source(scope, period, bucket) for bucket in (None, "day", "month"))
    expected_sources = {"2025": {"year", "month", "day", "raw"},
                        "2025-06": {"month", "day", "raw"}}.get(period_text, {"day", "raw"})
    assert sources == expected_sources


def test_rebuild_repairs_a_month_and_leaves_the_others(province_org, random_responses):
    june = date(2025, 6, 1)
    before = {model: _table(model) for model in rollups.TABLES}
    for rollup in registry.ROLLUPS:
        start = date(2025, 1, 1) if rollup.grain == "year" else june
        db.session.execute(delete(rollup.table).where(rollup.time >= start,
                                                      rollup.time < date(2025, 7, 1)))
    period = parse_period("2025-06")
    scopes = [Scope(), Scope(counter_id=province_org["counters"][3].id)]
    assert all(rating_tallies(scope, period, ("question",)) == {} for scope in scopes)
    assert hour_tallies(Scope(), period) == {}
    rollups.rebuild_month(june)
    truth = _truth(period, lambda r: True, lambda r, code: (code,))
    assert rating_tallies(Scope(), period, ("question",)) == truth
    assert {model: _table(model) for model in rollups.TABLES} == before
    assert local_midnight_utc(june) == period.utc_bounds()[0]


def test_rebuild_rollups_command_backfills_every_month(province_org, random_responses, app):
    before = {model: _table(model) for model in rollups.TABLES}
    for model in rollups.TABLES:
        db.session.execute(delete(model))
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["dashboard", "rebuild-rollups", "--from", "2025-06",
                                 "--to", "2025-06"])
    assert result.exit_code == 0, result.output
    assert "Đã tính lại 1 tháng" in result.output
    assert set(db.session.execute(select(RatingMonth.month)).scalars()) == {date(2025, 6, 1)}
    result = runner.invoke(args=["dashboard", "rebuild-rollups"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert {model: _table(model) for model in rollups.TABLES} == before
    bad = runner.invoke(args=["dashboard", "rebuild-rollups", "--from", "2025-Q2"])
    assert bad.exit_code == 2


def test_a_national_scope_names_every_unit_and_finer_scopes_keep_their_own(province_org):
    org = province_org
    every = frozenset(u.id for u in (org["province"], org["old"], org["ward_a"], org["ward_b"]))
    assert seekable(Scope()).unit_ids == every
    assert seekable(Scope(area_id=org["areas"][0].id)) == \
        Scope(unit_ids=every, area_id=org["areas"][0].id)
    for finer in (Scope(centre_id=org["centres"][0].id),
                  Scope(counter_id=org["counters"][0].id), Scope(staff_id=org["staff"][0].id),
                  Scope(unit_ids=frozenset({org["ward_b"].id}))):
        assert seekable(finer) == finer
