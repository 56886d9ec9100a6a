"""Rollup migrations keep every count: unit-first keys (and back), tags by day filled on upgrade,
centre-month rows, unit heatmap rows and the rollups of years summed on upgrade and the centre
heatmap restored on downgrade.

Runs on a scratch database of the backend under test: a SQLite file, or a database created for
the test on the PostgreSQL server of TEST_DATABASE_URL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import (
    Boolean,
    Integer,
    String,
    Text,
    column,
    inspect,
    select,
    table,
    text,
)

import surveys.models
from app import create_app
from core.db import UTCDateTime, db
from feedback.dashboard import rollups
from feedback.dashboard.models import TagDay
from surveys import services
from surveys.models import UnitKind

BEFORE = "b7d41e2c9a60"
UNIT_FIRST = "d4a8e2f61c37"
TAG_DAY = "e5b7c1d9a2f4"
OLD_SURVEY = table("survey", column("id", Integer), column("version", Integer),
                   column("published_at", UTCDateTime()), column("active", Boolean),
                   column("note", Text))
OLD_RESPONSE = table("response", *(column(name, Integer) for name in (
    "counter_id", "centre_id", "unit_id", "survey_id")), column("submitted_at", UTCDateTime()),
    *(column(name, String) for name in ("public_id", "submission_key", "locale", "channel",
                                       "comment", "sentiment_label", "topics")),
    column("integrity_alert", Boolean))
ROWS = {
    "rollup_rating_month": ("month", "'2026-10-01', 7, 3, 12, 40, 2, 'overall', 1, 0, 2, 5, 9"),
    "rollup_rating_day": ("day", "'2026-10-05', 7, 3, 'staff', 0, 1, 0, 3, 4"),
    "rollup_rating_hour": ("month", "'2026-10-01', 7, 3, 2, 9, 0, 0, 1, 1, 6"),
    "rollup_overall_day": ("day", "'2026-10-05', 7, 3, 12, 40, 2, 9, 0, 0, 0, 2, 1"),
    "rollup_tag_month": ("month", "'2026-10-01', 7, 3, 't', 'fees', 11"),
}


def _state() -> dict[str, tuple[list[str], list[tuple]]]:
    inspector = inspect(db.engine)
    with db.engine.connect() as connection:
        return {table: (inspector.get_pk_constraint(table)["constrained_columns"][:2],
                        sorted(tuple(str(v) for v in row) for row in
                               connection.execute(text(f"SELECT * FROM {table}"))))
                for table in ROWS}


def test_rollup_keys_upgrade_and_downgrade_keep_the_counts(scratch_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "SECRET_KEY": "x",
                      "TESTING": True})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for table, (_time, values) in ROWS.items():
                connection.execute(text(f"INSERT INTO {table} VALUES ({values})"))
        old = _state()
        assert {table: key for table, (key, _rows) in old.items()} == \
            {table: [time, "unit_id"] for table, (time, _values) in ROWS.items()}

        upgrade(revision=UNIT_FIRST)
        for table, (key, rows) in _state().items():
            time = ROWS[table][0]
            assert key == ["unit_id", time], table
            assert rows == old[table][1], table

        downgrade(revision=BEFORE)
        assert _state() == old
        db.engine.dispose()


def test_tag_day_rollup_is_filled_from_stored_responses_on_upgrade(scratch_url, monkeypatch):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "SECRET_KEY": "x",
                      "TESTING": True})
    # The catalogue version (raised by every change to the organisation) comes with a later
    # revision than the one the organisation is written at here.
    monkeypatch.setattr(surveys.models, "raise_catalogue_version", lambda session: None)
    with app.app_context():
        upgrade(revision=UNIT_FIRST)
        province = services.create_unit("P1", "Tỉnh", UnitKind.PROVINCE)
        ward = services.create_unit("W1", "Phường", UnitKind.WARD, province)
        centre = services.create_centre(ward, "Trung tâm", "1 Đường A")
        counter = services.create_counter(centre, "Quầy 1", [])
        # The schema of this revision lacks columns later migrations add to the survey and
        # the response, so those rows are written with only the columns it has.
        survey_id = db.session.execute(
            OLD_SURVEY.insert().values(version=1, published_at=datetime.now(UTC), active=True,
                                       note="default").returning(OLD_SURVEY.c.id)).scalar_one()
        stored = [  # (UTC time, sentiment, topics): 17:30 UTC is the next local day
            (datetime(2026, 10, 5, 2, 0, tzinfo=UTC), "negative", "waiting_time,fees"),
            (datetime(2026, 10, 5, 17, 30, tzinfo=UTC), "negative", "waiting_time"),
            (datetime(2026, 10, 6, 3, 0, tzinfo=UTC), "positive", None),
            (datetime(2026, 10, 6, 4, 0, tzinfo=UTC), None, None),
        ]
        for number, (at, label, topics) in enumerate(stored):
            db.session.execute(OLD_RESPONSE.insert().values(
                public_id=f"p{number}", submission_key=f"k{number}", counter_id=counter.id,
                centre_id=centre.id, unit_id=ward.id, survey_id=survey_id, submitted_at=at,
                locale="vi", channel="qr", integrity_alert=False,
                comment="…" if label else None, sentiment_label=label, topics=topics))
        db.session.commit()

        upgrade()
        rows = {(row.day, row.kind, row.code): row.n for row in
                db.session.execute(select(TagDay).where(TagDay.unit_id == ward.id)).scalars()}
        assert rows == {(date(2026, 10, 5), "s", "negative"): 1,
                        (date(2026, 10, 5), "t", "waiting_time"): 1,
                        (date(2026, 10, 5), "t", "fees"): 1,
                        (date(2026, 10, 6), "s", "negative"): 1,
                        (date(2026, 10, 6), "t", "waiting_time"): 1,
                        (date(2026, 10, 6), "s", "positive"): 1}
        rollups.rebuild_month(date(2026, 10, 1))
        db.session.commit()
        assert {(row.day, row.kind, row.code): row.n for row in
                db.session.execute(select(TagDay)).scalars()} == rows
        db.session.remove()
        db.engine.dispose()


def _rows(table: str, order: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(str(v) for v in row) for row in
                connection.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))]


def _insert(table: str, columns: str, *rows: str) -> None:
    with db.engine.begin() as connection:
        for values in rows:
            connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"))


def test_centre_month_and_unit_hours_are_summed_and_the_centre_hours_come_back(scratch_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "SECRET_KEY": "x",
                      "TESTING": True})
    month_columns = "unit_id, month, centre_id, counter_id, staff_key, area_key, question_code, " \
        "v1, v2, v3, v4, v5"
    hour_columns = "unit_id, month, centre_id, weekday, hour, v1, v2, v3, v4, v5"
    day_columns = "unit_id, day, centre_id, counter_id, staff_key, area_key, hour, " \
        "v1, v2, v3, v4, v5"
    with app.app_context():
        upgrade(revision=TAG_DAY)
        _insert("rollup_rating_month", month_columns,
                "7, '2026-10-01', 3, 12, 40, 2, 'overall', 1, 0, 2, 5, 9",
                "7, '2026-10-01', 3, 13, 41, 0, 'overall', 0, 1, 0, 1, 1",
                "7, '2026-10-01', 3, 13, 41, 0, 'staff', 2, 0, 0, 0, 3",
                "7, '2026-10-01', 4, 14, 0, 0, 'overall', 0, 0, 0, 0, 4")
        # 2026-10-05 is a Monday (weekday 0), 2026-10-07 a Wednesday (2)
        _insert("rollup_overall_day", day_columns,
                "7, '2026-10-05', 3, 12, 40, 2, 9, 1, 0, 0, 1, 1",
                "7, '2026-10-07', 3, 13, 41, 0, 9, 0, 0, 1, 0, 2",
                "7, '2026-10-07', 4, 14, 0, 0, 9, 0, 0, 0, 2, 0",
                "7, '2026-11-02', 4, 14, 0, 0, 15, 1, 0, 0, 0, 0")
        _insert("rollup_rating_hour", hour_columns,
                "7, '2026-10-01', 3, 0, 9, 1, 0, 0, 1, 1",
                "7, '2026-10-01', 3, 2, 9, 0, 0, 1, 0, 2",
                "7, '2026-10-01', 4, 2, 9, 0, 0, 0, 2, 0",
                "7, '2026-11-01', 4, 0, 15, 1, 0, 0, 0, 0")
        _insert("rollup_tag_month", "unit_id, month, centre_id, kind, code, n",
                "7, '2026-10-01', 3, 't', 'fees', 11", "7, '2026-11-01', 3, 't', 'fees', 4",
                "7, '2025-12-01', 3, 't', 'fees', 2")
        hours = _rows("rollup_rating_hour", "unit_id, month, centre_id, weekday, hour")

        upgrade()
        assert _rows("rollup_centre_month", "centre_id, question_code") == [
            ("7", "2026-10-01", "3", "overall", "1", "1", "2", "6", "10"),
            ("7", "2026-10-01", "3", "staff", "2", "0", "0", "0", "3"),
            ("7", "2026-10-01", "4", "overall", "0", "0", "0", "0", "4")]
        assert _rows("rollup_rating_hour", "month, weekday, hour") == [
            ("7", "2026-10-01", "0", "9", "1", "0", "0", "1", "1"),
            ("7", "2026-10-01", "2", "9", "0", "0", "1", "2", "2"),
            ("7", "2026-11-01", "0", "15", "1", "0", "0", "0", "0")]
        assert _rows("rollup_rating_hour_year", "weekday, hour") == [
            ("7", "2026-01-01", "0", "9", "1", "0", "0", "1", "1"),
            ("7", "2026-01-01", "0", "15", "1", "0", "0", "0", "0"),
            ("7", "2026-01-01", "2", "9", "0", "0", "1", "2", "2")]
        assert _rows("rollup_overall_item_year", "centre_id, counter_id") == [
            ("7", "2026-01-01", "3", "12", "40", "1", "0", "0", "1", "1"),
            ("7", "2026-01-01", "3", "13", "41", "0", "0", "1", "0", "2"),
            ("7", "2026-01-01", "4", "14", "0", "1", "0", "0", "2", "0")]
        assert _rows("rollup_tag_year", "year") == [
            ("7", "2025-01-01", "3", "t", "fees", "2"), ("7", "2026-01-01", "3", "t", "fees", "15")]

        downgrade(revision=TAG_DAY)
        assert _rows("rollup_rating_hour", "unit_id, month, centre_id, weekday, hour") == hours
        assert "rollup_centre_month" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
