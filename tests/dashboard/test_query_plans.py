"""What every dashboard view (and the cron's tagging backlog) asks reads a small index, not the
table, under the statistics SQLite's ANALYZE keeps for a 5 M-response table (PostgreSQL keeps
the rare values, and chose well already). A plan that scans 5 M rows costs 0.5–0.8 s a view,
cached numbers or not."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import exists, func, select, text

from core.db import db
from feedback.dashboard.queries import latest_comments
from feedback.dashboard.scopes import Scope
from feedback.models import Response
from feedback.periods import PeriodKind, containing
from feedback.tagging import backlog, failed_batch

#: What ANALYZE wrote for the response table of bench_dashboard.py's 5 M database (101 units,
#: 30 % with a comment, none waiting for the fold: no row for that index).
STATISTICS = {"ix_response_commented_time": "1500000 361",
              "ix_response_centre_time": "5000000 16667 2",
              "ix_response_unit_time": "5000000 45455 4",
              "ix_response_submitted_at": "5000000 361",
              "ix_response_staff_time": "5000000 2501 1",
              "ix_response_counter_time": "5000000 2501 1",
              "ix_response_device_time": "5000000 5000000 361",
              "sqlite_autoindex_response_1": "5000000 1"}


@pytest.fixture
def big_table(app_ctx):
    """The statistics of a table of 5 M responses, as ANALYZE writes them."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's statistics keep the rare values: no table scan to fear")
    db.session.execute(text("ANALYZE"))
    db.session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'response'"))
    for index, stat in STATISTICS.items():
        db.session.execute(text("INSERT INTO sqlite_stat1 VALUES ('response', :index, :stat)"),
                           {"index": index, "stat": stat})
    db.session.execute(text("ANALYZE sqlite_schema"))  # read the statistics again
    return db.engine


def _plan(engine, sql: str) -> str:
    return " ".join(str(row) for row in db.session.execute(text(
        "EXPLAIN QUERY PLAN " + sql)).all())


def _sql(engine, statement) -> str:
    return str(statement.compile(engine, compile_kwargs={"literal_binds": True}))


def test_asking_whether_a_response_waits_for_the_fold_reads_the_waiting_ones(big_table):
    for statement in (select(exists().where(Response.waiting_for_fold)),
                      select(func.count()).where(Response.waiting_for_fold),
                      select(Response.id).where(Response.waiting_for_fold)
                      .order_by(Response.id).limit(2000)):
        sql = _sql(big_table, statement)
        assert "ix_response_rollup_pending" in _plan(big_table, sql), sql


def test_the_latest_comments_of_a_province_read_the_commented_responses(big_table,
                                                                        monkeypatch):
    statements = []
    monkeypatch.setattr(db.session, "execute", _recording(db.session.execute, statements))
    period = containing(PeriodKind.MONTH, date(2026, 11, 15))
    latest_comments(Scope(unit_ids=frozenset(range(1, 102))), period)
    monkeypatch.undo()
    sql = _sql(big_table, statements[0])
    assert "ix_response_commented_time" in _plan(big_table, sql), sql


def test_the_tagging_backlog_is_read_from_its_own_rows(big_table, monkeypatch):
    statements = []
    monkeypatch.setattr(db.session, "execute", _recording(db.session.execute, statements))
    backlog()
    failed_batch(0, 100)
    monkeypatch.undo()
    for statement in statements:
        sql = _sql(big_table, statement)
        assert "ix_response_tagging_failed_at" in _plan(big_table, sql), sql


def _recording(execute, statements: list):
    def record(statement, *args, **kwargs):
        statements.append(statement)
        return execute(statement, *args, **kwargs)
    return record
