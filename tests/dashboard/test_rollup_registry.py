"""The rollup descriptions agree with the tables the migrations create: each description's keys
are its table's primary key (the upsert's conflict target) in order, its counts the other
columns, and no rollup table is left undescribed."""

from __future__ import annotations

from sqlalchemy import inspect

from core.db import db
from feedback.dashboard import registry
from feedback.dashboard.queries import Scope, hour_tallies, rating_source, tag_source
from feedback.periods import parse_period


def test_every_rollup_table_of_the_migrated_schema_is_described_by_its_key(app_ctx):
    inspector = inspect(db.engine)
    tables = {name for name in inspector.get_table_names() if name.startswith("rollup_")}
    assert tables == {rollup.table.name for rollup in registry.ROLLUPS}
    for rollup in registry.ROLLUPS:
        key = inspector.get_pk_constraint(rollup.table.name)["constrained_columns"]
        assert tuple(key) == rollup.keys, rollup.name
        others = [column["name"] for column in inspector.get_columns(rollup.table.name)
                  if column["name"] not in key]
        assert sorted(others) == sorted(rollup.counts), rollup.name
        assert rollup.keys[:2] == ("unit_id", rollup.grain), rollup.name


def test_a_summed_rollup_keeps_a_subset_of_its_sources_keys():
    grains = registry.GRAINS
    for rollup in registry.ROLLUPS:
        if rollup.summed_from:
            source = registry.BY_NAME[rollup.summed_from]
            assert set(rollup.keys) - set(grains) <= set(source.keys), rollup.name
            assert grains.index(rollup.grain) >= grains.index(source.grain), rollup.name
            assert rollup.counts == source.counts


def test_queries_take_the_smallest_table_that_has_what_they_ask_for(app_ctx):
    year, month, week = parse_period("2025"), parse_period("2025-06"), parse_period("2025-W27")
    counter = Scope(counter_id=1)
    assert rating_source(Scope(), month, ("question",)) == "centre_month"
    assert rating_source(counter, month, ("question",)) == "month"
    assert rating_source(Scope(), week, ("day",)) == "day"
    assert rating_source(counter, week, ("staff",), ["overall"]) == "item_day"
    assert rating_source(counter, week, ("area",), ["overall"]) == "overall"
    ranked = ("unit", "centre", "counter", "staff")
    assert rating_source(Scope(), month, ranked, ["overall"]) == "item_month"
    assert rating_source(Scope(), week, ranked, ["overall"]) == "item_day"
    assert rating_source(Scope(), year, ranked, ["overall"]) == "item_year"
    assert rating_source(Scope(), parse_period("2025-Q2"), ranked, ["overall"]) == "item_month"
    assert rating_source(Scope(), year, ("month", "question")) == "centre_month"
    assert rating_source(Scope(), year, ("weekday", "hour"), ["overall"]) == "hour_year"
    assert tag_source(Scope(), year) == "year"
    assert tag_source(Scope(), year, "month") == "month"
    assert rating_source(counter, week, ("question",)) == "raw"
    assert tag_source(Scope(centre_id=1), month) == "month"
    assert tag_source(Scope(), month, "day") == "day"
    assert tag_source(counter, month) == "raw"
    assert registry.choose(registry.RATINGS, {"weekday", "hour"}, "month", ["overall"]).name \
        == "hour"
    assert registry.choose(registry.RATINGS, {"weekday", "hour", "centre"}, "year",
                           ["overall"]).name == "overall"
    assert registry.choose(registry.RATINGS, {"unit", "weekday", "hour"}, "day",
                           ["overall"]).name == "hour_day"
    assert hour_tallies(Scope(), month) == {}
