"""One description per rollup table: its key columns (the primary key, in order), its grain
(the time key: a local day, month or year) and what it counts.

Everything that must agree with a table's key is derived from its description here: the row a
stored response adds (`rollups.record_rollups`), the GROUP BY that rebuilds a month
(`rollups.rebuild_month`) and which table answers a dashboard query (`choose`, used by
`queries`). `tests/dashboard/test_rollup_registry.py` checks the descriptions against the
primary keys the migrations create.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import literal_column
from sqlalchemy.sql.elements import ColumnElement

from feedback.dashboard import sqltime
from feedback.dashboard.models import (
    OverallDay,
    OverallHourDay,
    OverallItemDay,
    OverallItemMonth,
    OverallItemYear,
    RatingCentreMonth,
    RatingDay,
    RatingHour,
    RatingHourYear,
    RatingMonth,
    TagDay,
    TagMonth,
    TagYear,
)
from feedback.scoring import OVERALL, SCALE

#: Rating counts: answers with each value of the scale.
COUNT_COLUMNS = tuple(f"v{value}" for value in SCALE)
#: Tag counts: comments with the label or topic.
TAG_COUNT = ("n",)
#: Which dashboard dimension each key column serves ("day" and "month" are the grains).
DIMENSION_OF = {"unit_id": "unit", "centre_id": "centre", "counter_id": "counter",
                "staff_key": "staff", "area_key": "area", "question_code": "question",
                "weekday": "weekday", "hour": "hour", "kind": "kind", "code": "code",
                "day": "day", "month": "month", "year": "year"}
#: The time keys, finest first: a period made of whole months can be read from a day or a month
#: rollup, one made of whole years from any of the three.
GRAINS = ("day", "month", "year")


@dataclass(frozen=True)
class Rollup:
    """A rollup table: `keys` is its primary key in order (unit first, then its grain)."""

    #: How the dashboards' queries name it as a source.
    name: str
    model: type
    keys: tuple[str, ...]
    counts: tuple[str, ...] = COUNT_COLUMNS
    #: Counts only the overall question (no question_code key).
    overall_only: bool = False
    #: Rebuilt by summing this finer rollup of the same month, not from the raw rows.
    summed_from: str | None = None

    @property
    def table(self):
        return self.model.__table__

    @property
    def grain(self) -> str:
        """"day", "month" or "year": the time key."""
        return next(grain for grain in GRAINS if grain in self.keys)

    @property
    def tags(self) -> bool:
        """Counts comment tags (sentiment labels and topics), not ratings."""
        return "kind" in self.keys

    @property
    def time(self):
        """The time key column."""
        return self.table.c[self.grain]

    def dimensions(self) -> frozenset[str]:
        """The dashboard dimensions it can group and filter by."""
        found = {DIMENSION_OF[key] for key in self.keys}
        if self.grain == "day":
            found |= {"month", "weekday"}
        if self.overall_only:
            found.add("question")
        return frozenset(found)

    def expressions(self, dialect: str) -> dict[str, ColumnElement]:
        """Each dimension as an expression over the table."""
        c = self.table.c
        found = {DIMENSION_OF[key]: c[key] for key in self.keys}
        if self.grain == "day":
            found["month"] = sqltime.month_of_date(c.day, dialect)
            found["weekday"] = sqltime.weekday_of_date(c.day, dialect)
        if self.overall_only:
            found["question"] = literal_column(f"'{OVERALL}'")
        return found

    def answers(self, needed: Iterable[str], aligned: str,
                codes: list[str] | None = None) -> bool:
        """Whether it can count exactly what a query grouping or filtering by the dimensions
        `needed` asks for over a period made of whole `aligned` ("day", "month" or "year"),
        for the question `codes` (None: all)."""
        needed = set(needed)
        if GRAINS.index(self.grain) > GRAINS.index(aligned):
            return False
        if self.overall_only and codes != [OVERALL]:
            return False
        return needed <= self.dimensions()


_UNIT_CENTRE = ("unit_id", "month", "centre_id")
_ITEM = ("centre_id", "counter_id", "staff_key")
#: Every rollup, smallest first within each kind: `choose` takes the first that answers.
ROLLUPS = (
    Rollup("item_year", OverallItemYear, ("unit_id", "year", *_ITEM), overall_only=True,
           summed_from="item_month"),
    Rollup("centre_month", RatingCentreMonth, (*_UNIT_CENTRE, "question_code"),
           summed_from="month"),
    Rollup("item_month", OverallItemMonth, ("unit_id", "month", *_ITEM), overall_only=True,
           summed_from="overall"),
    Rollup("month", RatingMonth, (*_UNIT_CENTRE, "counter_id", "staff_key", "area_key",
                                  "question_code")),
    Rollup("day", RatingDay, ("unit_id", "day", "centre_id", "question_code")),
    Rollup("hour_year", RatingHourYear, ("unit_id", "year", "weekday", "hour"),
           overall_only=True, summed_from="hour"),
    Rollup("hour", RatingHour, ("unit_id", "month", "weekday", "hour"), overall_only=True),
    Rollup("hour_day", OverallHourDay, ("unit_id", "day", "hour"), overall_only=True,
           summed_from="overall"),
    Rollup("item_day", OverallItemDay, ("unit_id", "day", *_ITEM), overall_only=True,
           summed_from="overall"),
    Rollup("overall", OverallDay, ("unit_id", "day", "centre_id", "counter_id", "staff_key",
                                   "area_key", "hour"), overall_only=True),
    Rollup("tag_year", TagYear, ("unit_id", "year", "centre_id", "kind", "code"), TAG_COUNT,
           summed_from="tag_month"),
    Rollup("tag_month", TagMonth, (*_UNIT_CENTRE, "kind", "code"), TAG_COUNT,
           summed_from="tag_day"),
    Rollup("tag_day", TagDay, ("unit_id", "day", "centre_id", "kind", "code"), TAG_COUNT),
)
BY_NAME = {rollup.name: rollup for rollup in ROLLUPS}
RATINGS = tuple(rollup for rollup in ROLLUPS if not rollup.tags)
TAGS = tuple(rollup for rollup in ROLLUPS if rollup.tags)


def _depth(rollup: Rollup) -> int:
    """How many sums away from the raw rows a rollup is."""
    return 0 if rollup.summed_from is None else 1 + _depth(BY_NAME[rollup.summed_from])


#: Rebuild order: a rollup summed from another comes after it.
REBUILD_ORDER = tuple(sorted(ROLLUPS, key=_depth))


def choose(candidates: Iterable[Rollup], needed: Iterable[str], aligned: str,
           codes: list[str] | None = None) -> Rollup | None:
    """The first (smallest) of the candidates that answers the query exactly over a period
    made of whole `aligned` (a grain); None: only the raw responses can."""
    needed = set(needed)
    return next((rollup for rollup in candidates
                 if rollup.answers(needed, aligned, codes)), None)
