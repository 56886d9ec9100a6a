"""Rollup tables: counts of ratings and comment tags per day, month or year, kept current as
responses are stored.

They are derived data (rebuilt from responses and answers by `flask dashboard rebuild-rollups`),
so they carry no foreign keys; a missing staff member or procedure area is stored as 0 so that
the composite primary key can serve as the upsert target on SQLite and PostgreSQL alike. Days,
months and years are local (Asia/Ho_Chi_Minh); a month or year is keyed by its first day.
`v1`..`v5` count answers with each rating value.

Every primary key starts with the unit, then the day, month or year: a dashboard always asks for
a set of units over a time range, so a ward reads only its own rows and a province one
contiguous run per ward. There is deliberately no index on the time alone: SQLite chose it for
a province's 12-month trend (to group by month without sorting) and then looked up each of
300,000 rows by key: 0.20 s for that query at 5 M responses, 0.05 s through the key.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db

#: Key value for "no staff member on duty" / "no procedure area chosen".
NONE_KEY = 0


#: Column order of the key mixins below (a mixin's columns would otherwise follow the
#: table's own): unit, time, centre, counter, staff, area, question; a table's own key columns
#: (0) next; the counts last.
_UNIT, _TIME, _CENTRE, _DESK, _QUESTION, _COUNT = -50, -40, -30, -20, -10, 10


class _Counts:
    """How many answers had each value of the 1–5 scale."""

    v1: Mapped[int] = mapped_column(Integer, default=0, sort_order=_COUNT)
    v2: Mapped[int] = mapped_column(Integer, default=0, sort_order=_COUNT)
    v3: Mapped[int] = mapped_column(Integer, default=0, sort_order=_COUNT)
    v4: Mapped[int] = mapped_column(Integer, default=0, sort_order=_COUNT)
    v5: Mapped[int] = mapped_column(Integer, default=0, sort_order=_COUNT)


class _Monthly:
    """Keyed by unit, then local month."""

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_UNIT)
    month: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=_TIME)


class _Daily:
    """Keyed by unit, then local day."""

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_UNIT)
    day: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=_TIME)


class _Yearly:
    """Keyed by unit, then local year (its first day)."""

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_UNIT)
    year: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=_TIME)


class _AtCentre:
    """Keyed by centre after the time."""

    centre_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_CENTRE)


class _AtCounter(_AtCentre):
    """Keyed by centre, counter and staff member after the time."""

    counter_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_DESK)
    staff_key: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_DESK)


class _AtDesk(_AtCounter):
    """Keyed by centre, counter, staff member and procedure area after the time."""

    area_key: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=_DESK)


class _PerQuestion:
    """Keyed by question code last."""

    question_code: Mapped[str] = mapped_column(String(32), primary_key=True,
                                               sort_order=_QUESTION)


class _Tags:
    """Comments by sentiment label (kind "s") or topic (kind "t"): key and count."""

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0, sort_order=_COUNT)


class RatingMonth(_Counts, _Monthly, _AtDesk, _PerQuestion, db.Model):
    """Ratings per local month, counter, staff member, procedure area and question code."""

    __tablename__ = "rollup_rating_month"
    __table_args__ = (
        Index("ix_rollup_rating_month_centre", "centre_id", "month"),
        Index("ix_rollup_rating_month_counter", "counter_id", "month"),
        Index("ix_rollup_rating_month_staff", "staff_key", "month"),
        {"sqlite_with_rowid": False},
    )


class RatingDay(_Counts, _Daily, _AtCentre, _PerQuestion, db.Model):
    """Ratings per local day, centre and question code (for day, week and custom periods)."""

    __tablename__ = "rollup_rating_day"
    __table_args__ = (
        Index("ix_rollup_rating_day_centre", "centre_id", "day"),
        {"sqlite_with_rowid": False},
    )


class RatingCentreMonth(_Counts, _Monthly, _AtCentre, _PerQuestion, db.Model):
    """Ratings per local month, centre and question code.

    The month table split by counter, staff and procedure area has about 17 rows for each of
    these: a province's year of criteria, trend or ward and centre rankings reads this one.
    """

    __tablename__ = "rollup_centre_month"
    __table_args__ = (
        Index("ix_rollup_centre_month_centre", "centre_id", "month"),
        {"sqlite_with_rowid": False},
    )


class RatingHour(_Counts, _Monthly, db.Model):
    """Overall ratings per unit, local month, weekday (0 = Monday) and hour of the day.

    Heatmaps of whole months for a unit or more; a centre's or anything finer reads
    `rollup_overall_day`, which has the centre, counter, staff member and hour.
    """

    __tablename__ = "rollup_rating_hour"
    __table_args__ = ({"sqlite_with_rowid": False},)

    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class RatingHourYear(_Counts, _Yearly, db.Model):
    """Overall ratings per unit, local year, weekday and hour: the heatmap of a whole year (a
    province's year read 72,000 rows of `rollup_rating_hour` at 5 M responses, 6,000 here)."""

    __tablename__ = "rollup_rating_hour_year"
    __table_args__ = ({"sqlite_with_rowid": False},)

    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class OverallDay(_Counts, _Daily, _AtDesk, db.Model):
    """Overall ratings per local day and hour, counter, staff member and procedure area.

    A narrow, join-free copy of the overall question for periods that are not whole months:
    rankings and the weekday × hour heatmap of a week or a custom range read it.
    """

    __tablename__ = "rollup_overall_day"
    __table_args__ = (
        Index("ix_rollup_overall_day_counter", "counter_id", "day"),
        Index("ix_rollup_overall_day_staff", "staff_key", "day"),
        {"sqlite_with_rowid": False},
    )

    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class OverallItemMonth(_Counts, _Monthly, _AtCounter, db.Model):
    """Overall ratings per local month, counter and staff member: the rankings of whole months.

    `rollup_rating_month` has a row per procedure area and question for each of these: a
    province's year of rankings read 60,000 of its rows at 5 M responses (0.17 s), 24,000 here.
    """

    __tablename__ = "rollup_overall_item_month"
    __table_args__ = (
        Index("ix_rollup_overall_item_month_counter", "counter_id", "month"),
        Index("ix_rollup_overall_item_month_staff", "staff_key", "month"),
        {"sqlite_with_rowid": False},
    )


class OverallItemYear(_Counts, _Yearly, _AtCounter, db.Model):
    """Overall ratings per local year, counter and staff member: the rankings of a whole year
    (a twelfth of the rows of `rollup_overall_item_month`)."""

    __tablename__ = "rollup_overall_item_year"
    __table_args__ = (
        Index("ix_rollup_overall_item_year_counter", "counter_id", "year"),
        Index("ix_rollup_overall_item_year_staff", "staff_key", "year"),
        {"sqlite_with_rowid": False},
    )


class OverallItemDay(_Counts, _Daily, _AtCounter, db.Model):
    """Overall ratings per local day, counter and staff member: the rankings of a week or a
    custom range (`rollup_overall_day` also splits them by hour and procedure area, about four
    rows for each of these)."""

    __tablename__ = "rollup_overall_item_day"
    __table_args__ = (
        Index("ix_rollup_overall_item_day_counter", "counter_id", "day"),
        Index("ix_rollup_overall_item_day_staff", "staff_key", "day"),
        {"sqlite_with_rowid": False},
    )


class OverallHourDay(_Counts, _Daily, db.Model):
    """Overall ratings per unit, local day and hour: the heatmap of a week or a custom range
    for a unit or more (a province's week: 6,000 rows, against 46,000 of `rollup_overall_day`
    at 5 M responses)."""

    __tablename__ = "rollup_overall_hour_day"
    __table_args__ = ({"sqlite_with_rowid": False},)

    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class TagMonth(_Tags, _Monthly, _AtCentre, db.Model):
    """Comments per local month and centre by sentiment label or topic."""

    __tablename__ = "rollup_tag_month"
    __table_args__ = ({"sqlite_with_rowid": False},)


class TagYear(_Tags, _Yearly, _AtCentre, db.Model):
    """Comments per local year and centre by sentiment label or topic (whole years)."""

    __tablename__ = "rollup_tag_year"
    __table_args__ = ({"sqlite_with_rowid": False},)


class TagDay(_Tags, _Daily, _AtCentre, db.Model):
    """Comments per local day and centre by sentiment label or topic (weeks, custom ranges)."""

    __tablename__ = "rollup_tag_day"
    __table_args__ = ({"sqlite_with_rowid": False},)
