"""Fill a database with a province-sized synthetic history, fast (for bench_dashboard.py).

One province, ~100 wards (the first ten formed on 2025-07-01 by merging two old wards each),
~300 centres, ~2,000 counters each with its own staff member on duty, seven procedure areas,
the default five-question survey, and N responses (five answers each) over the last two years,
in office hours (Monday–Saturday, 07:30–17:00 local). Counters differ in quality, land
procedures rate lower, a third of responses carry a comment with a sentiment label and topics.

Organisation rows go through the normal services; responses and answers are bulk-loaded
(executemany on SQLite, COPY on PostgreSQL) in chunks, and the rollup tables are then built by
the same `rebuild_month` that `flask dashboard rebuild-rollups` runs.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import func, select

from core.db import db
from core.timeutil import local_today
from feedback.dashboard import rollups
from feedback.models import SentimentLabel
from surveys import services
from surveys.models import UnitKind
from surveys.scale import LOW_RATING, SATISFIED_FROM, SCALE

CHUNK = 100_000
TOPICS = ("staff_attitude", "waiting_time", "procedures", "result_timeliness", "facilities",
          "online_system", "fees")
COMMENTS = {SentimentLabel.POSITIVE: "Cán bộ hướng dẫn nhiệt tình, làm nhanh.",
            SentimentLabel.NEUTRAL: "Tôi đến nộp hồ sơ.",
            SentimentLabel.NEGATIVE: "Chờ quá lâu, thủ tục rườm rà."}
MERGER_LAST_DAY = date(2025, 6, 30)


@dataclass
class Organisation:
    """Ids needed to generate responses and to pick dashboards to time."""

    province_code: str
    ward_codes: list[str]
    merged_ward_code: str
    #: Per counter: (counter id, centre id, current unit id, old unit id or 0, staff id,
    #: procedure area ids).
    counters: list[tuple[int, int, int, int, int, tuple[int, ...]]]
    survey_id: int
    question_ids: list[int]


def build_organisation(wards: int = 100, centres: int = 300, counters: int = 2000,
                       seed: int = 5) -> Organisation:
    """Create the organisation through the services and commit it."""
    rng = np.random.default_rng(seed)
    survey = services.ensure_default_survey()
    areas = services.ensure_procedure_areas()
    province = services.create_unit("B92", "Tỉnh Bench", UnitKind.PROVINCE)
    ward_units, old_of = [], {}
    for w in range(wards):
        ward = services.create_unit(f"BW{w:03d}", f"Phường Bench {w:03d}", UnitKind.WARD,
                                    province, valid_from=date(2025, 7, 1))
        ward_units.append(ward)
        if w < 10:
            olds = [services.create_unit(f"BO{w:03d}{k}", f"Phường cũ {w:03d}-{k}",
                                         UnitKind.WARD, province) for k in range(2)]
            services.merge_units(olds, ward, MERGER_LAST_DAY)
            old_of[ward.id] = [o.id for o in olds]
    centre_rows = []
    for c in range(centres):
        ward = ward_units[c % wards]
        centre_rows.append(services.create_centre(ward, f"Trung tâm Bench {c:03d}", ""))
    since = datetime(2024, 1, 1, tzinfo=UTC)
    made = []
    for k in range(counters):
        centre = centre_rows[k % centres]
        chosen = tuple(int(i) for i in rng.choice(len(areas), size=int(rng.integers(1, 3)),
                                                  replace=False))
        counter = services.create_counter(centre, f"Quầy {k // centres + 1}",
                                          [areas[i] for i in chosen])
        staff = services.create_staff(f"BS{k:05d}", f"Cán bộ Bench {k:05d}", centre.unit)
        services.assign_staff(staff, counter, starts_at=since)
        olds = old_of.get(centre.unit_id)
        made.append((counter, centre, olds, staff, chosen))
    db.session.flush()
    rows = [(c.id, centre.id, centre.unit_id, (olds[c.id % 2] if olds else 0), s.id,
             tuple(areas[i].id for i in chosen)) for c, centre, olds, s, chosen in made]
    db.session.commit()
    return Organisation("B92", [w.code for w in ward_units], ward_units[0].code, rows,
                        survey.id, [q.id for q in survey.questions])


def load_organisation() -> Organisation:
    """The organisation of a database built earlier by `build_organisation`."""
    from surveys.models import Centre, Counter, Staff, Unit, counter_procedure_area
    from surveys.queries import active_survey, staff_on_duty

    wards = list(db.session.execute(
        select(Unit.code).where(Unit.code.like("BW%")).order_by(Unit.code)).scalars())
    old_of: dict[int, list[int]] = {}
    for old_id, successor in db.session.execute(
            select(Unit.id, Unit.successor_id).where(Unit.code.like("BO%")).order_by(Unit.code)):
        old_of.setdefault(successor, []).append(old_id)
    areas: dict[int, list[int]] = {}
    for counter_id, area_id in db.session.execute(select(counter_procedure_area)):
        areas.setdefault(counter_id, []).append(area_id)
    now = datetime.now(UTC)
    rows = []
    for counter, unit_id in db.session.execute(
            select(Counter, Centre.unit_id).join(Centre).order_by(Counter.id)):
        olds = old_of.get(unit_id)
        staff: Staff | None = staff_on_duty(counter.id, now)
        rows.append((counter.id, counter.centre_id, unit_id, olds[counter.id % 2] if olds else 0,
                     staff.id if staff else 0, tuple(sorted(areas.get(counter.id, ())))))
    survey = active_survey(None)
    return Organisation("B92", wards, wards[0], rows, survey.id,
                        [q.id for q in survey.questions])


def rebuild_rollups() -> float:
    """Recompute every rollup month as `flask dashboard rebuild-rollups` does; seconds spent."""
    began = time.perf_counter()
    for month in rollups.response_months():
        rollups.rebuild_month(month)
        db.session.commit()
    return time.perf_counter() - began


def _chunk(org: Organisation, rng, start_id: int, size: int, first_day: date, days: int):
    """Columns of `size` responses and their answers, as Python lists."""
    counters = org.counters
    pick = rng.integers(0, len(counters), size)
    day_offsets = rng.integers(0, days, size)
    minutes = rng.integers(0, 570, size)
    base = np.datetime64(first_day.isoformat()) + day_offsets.astype("timedelta64[D]")
    weekday = (base.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    base = base + np.where(weekday == 6, -1, 0).astype("timedelta64[D]")  # no Sundays
    local = base.astype("datetime64[m]") + (450 + minutes).astype("timedelta64[m]")
    utc = local - np.timedelta64(7, "h")
    stamps = np.char.replace(np.datetime_as_string(utc, unit="us"), "T", " ").tolist()
    quality = (np.array([c[0] % 17 for c in counters]) - 8) / 10.0
    lowest, highest = SCALE[0], SCALE[-1]
    overall = np.clip(np.rint(rng.normal(4.0 + quality[pick], 0.9)), lowest, highest).astype(int)
    others = np.clip(np.rint(overall[:, None] + rng.normal(0, 0.8, (size, 4))),
                     lowest, highest).astype(int)
    has_comment = rng.random(size) < 0.3
    topic_pick = rng.integers(0, len(TOPICS), (size, 2))
    merged_cutoff = np.datetime64(MERGER_LAST_DAY.isoformat()) + np.timedelta64(1, "D")
    before_merger = (base < merged_cutoff).tolist()
    responses, answers = [], []
    for i in range(size):
        counter_id, centre_id, unit_id, old_unit, staff_id, areas = counters[pick[i]]
        rid = start_id + i
        area = areas[rid % len(areas)] if rid % 5 else None
        label = topics = comment = None
        if has_comment[i]:
            sentiment = (SentimentLabel.POSITIVE if overall[i] >= SATISFIED_FROM
                         else SentimentLabel.NEGATIVE if overall[i] <= LOW_RATING
                         else SentimentLabel.NEUTRAL)
            label, comment = sentiment.value, COMMENTS[sentiment]
            topics = ",".join(sorted({TOPICS[topic_pick[i, 0]], TOPICS[topic_pick[i, 1]]}))
        responses.append((
            rid, str(uuid.UUID(int=rid)), f"bench-{rid}", counter_id, centre_id,
            old_unit if (old_unit and before_merger[i]) else unit_id, staff_id, org.survey_id,
            area, stamps[i], "vi", "qr", comment, label, topics, False))
        values = (overall[i], *others[i])
        for question_id, value in zip(org.question_ids, values, strict=True):
            answers.append((rid, question_id, int(value)))
    return responses, answers


RESPONSE_COLUMNS = ("id", "public_id", "submission_key", "counter_id", "centre_id", "unit_id",
                    "staff_id", "survey_id", "procedure_area_id", "submitted_at", "locale",
                    "channel", "comment", "sentiment_label", "topics", "integrity_alert")
ANSWER_COLUMNS = ("response_id", "question_id", "value")


def _load_sqlite(raw, responses, answers) -> None:
    cursor = raw.cursor()
    marks = ",".join("?" * len(RESPONSE_COLUMNS))
    cursor.executemany(f"INSERT INTO response ({','.join(RESPONSE_COLUMNS)}) VALUES ({marks})",
                       responses)
    cursor.executemany("INSERT INTO answer (response_id, question_id, value) VALUES (?,?,?)",
                       answers)
    raw.commit()


def _load_postgresql(raw, responses, answers) -> None:
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY response ({','.join(RESPONSE_COLUMNS)}) FROM STDIN") as copy:
            for row in responses:
                copy.write_row(row)
        with cursor.copy("COPY answer (response_id, question_id, value) FROM STDIN") as copy:
            for row in answers:
                copy.write_row(row)
    raw.commit()


def load_responses(org: Organisation, total: int, days: int = 730, seed: int = 11,
                   progress=print) -> dict[str, float]:
    """Bulk-load `total` responses over the `days` before today, then build the rollups.

    Returns the seconds spent loading and building rollups.
    """
    rng = np.random.default_rng(seed)
    first_day = local_today() - timedelta(days=days)
    dialect = db.engine.dialect.name
    start_id = (db.session.execute(select(func.coalesce(func.max(
        db.metadata.tables["response"].c.id), 0))).scalar_one()) + 1
    db.session.commit()
    raw = db.engine.raw_connection()
    began = time.perf_counter()
    try:
        done = 0
        while done < total:
            size = min(CHUNK, total - done)
            responses, answers = _chunk(org, rng, start_id + done, size, first_day, days)
            if dialect == "postgresql":
                _load_postgresql(raw.driver_connection, responses, answers)
            else:
                _load_sqlite(raw.driver_connection, responses, answers)
            done += size
            progress(f"  loaded {done:,} responses ({time.perf_counter() - began:.0f} s)")
    finally:
        raw.close()
    if dialect == "postgresql":
        _sequence_after(start_id + total)
    loaded = time.perf_counter() - began
    return {"load_s": loaded, "rollups_s": rebuild_rollups()}


def _sequence_after(next_id: int) -> None:
    db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('response', 'id'), :v)"),
                       {"v": next_id})
    db.session.commit()


def analyse() -> None:
    """Refresh the planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would."""
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                db.text("VACUUM ANALYZE"))
        else:
            connection.execute(db.text("ANALYZE"))
            connection.commit()


#: Responses by SQL alone (`load_responses_sql`): every value a function of the row number i.
_SQL_RESPONSES = """
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < :n - 1),
rows AS (
  SELECT i, c.*, (i * 48271) % :days AS d, (i * 69621) % 570 AS minute,
         (i * 2654435761) % 100 AS h, (i * 13) % 10 < 3 AS has_comment
  FROM seq JOIN bench_counter c ON c.k = (i * 7919 + i / 2000) % :counters),
stamped AS (
  SELECT *, date(:first_day, '+' || d || ' days') AS local_day FROM rows),
shifted AS (
  SELECT *, CASE WHEN strftime('%w', local_day) = '0' THEN date(local_day, '-1 days')
                 ELSE local_day END AS day,
         {overall} AS overall
  FROM stamped)
INSERT INTO response (id, public_id, submission_key, counter_id, centre_id, unit_id, staff_id,
                      survey_id, procedure_area_id, submitted_at, locale, channel, comment,
                      sentiment_label, topics, integrity_alert)
SELECT :start + i, printf('00000000-0000-0000-0000-%012x', :start + i), 'bench-' || (:start + i),
       counter_id, centre_id, CASE WHEN old_unit AND day < :merged THEN old_unit ELSE unit_id END,
       staff_id, :survey, CASE WHEN (:start + i) % 5 = 0 THEN NULL
                               WHEN (:start + i) % 2 = 0 THEN area1 ELSE area2 END,
       datetime(day, '+' || (30 + minute) || ' minutes') || '.000000', 'vi', 'qr',
       CASE WHEN has_comment THEN CASE WHEN overall >= 4 THEN :positive WHEN overall <= 2
            THEN :negative ELSE :neutral END END,
       CASE WHEN has_comment THEN CASE WHEN overall >= 4 THEN 'positive' WHEN overall <= 2
            THEN 'negative' ELSE 'neutral' END END,
       CASE WHEN has_comment THEN (SELECT topics FROM bench_topics WHERE k = i % 49) END, 0
FROM shifted
"""
#: Answers of those responses: the first question is the overall rating (as the comment's
#: label says), the others near it.
_SQL_ANSWERS = """
INSERT INTO answer (response_id, question_id, value)
SELECT r.id, q.id, CASE WHEN q.n = 0 THEN r.overall
                        ELSE max(1, min(5, r.overall + ((r.id * (q.n + 3)) % 3) - 1)) END
FROM (SELECT id, {overall} AS overall
      FROM (SELECT id, counter_id, ((id - :start) * 2654435761) % 100 AS h FROM response
            WHERE id >= :start)) AS r
CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM question
            WHERE id IN ({questions})) AS q
"""
#: The overall rating of response i: better or worse with its counter's quality.
_SQL_OVERALL = """CASE WHEN h < 45 + (counter_id % 17 - 8) * 2 THEN 5
     WHEN h < 75 + (counter_id % 17 - 8) * 2 THEN 4 WHEN h < 86 THEN 3 WHEN h < 94 THEN 2
     ELSE 1 END"""


def load_responses_sql(org: Organisation, total: int, days: int = 730,
                       progress=print) -> dict[str, float]:
    """SQLite only: insert `total` responses and their answers with two INSERT … SELECT
    statements (minutes instead of hours for 5 M), then build the rollups as the CLI does.

    Same organisation, office hours, merger and comment shares as `load_responses`; ratings
    follow the counter's quality less finely. Returns the seconds spent loading and on rollups.
    """
    began = time.perf_counter()
    start_id = (db.session.execute(select(func.coalesce(func.max(
        db.metadata.tables["response"].c.id), 0))).scalar_one()) + 1
    db.session.execute(db.text("CREATE TEMP TABLE bench_counter (k INTEGER PRIMARY KEY, "
                               "counter_id, centre_id, unit_id, old_unit, staff_id, area1, "
                               "area2)"))
    db.session.execute(db.text("INSERT INTO bench_counter VALUES (:k, :c, :ce, :u, :o, :s, :a1, "
                               ":a2)"), [
        {"k": k, "c": c, "ce": ce, "u": u, "o": o, "s": s, "a1": areas[0], "a2": areas[-1]}
        for k, (c, ce, u, o, s, areas) in enumerate(org.counters)])
    db.session.execute(db.text("CREATE TEMP TABLE bench_topics (k INTEGER PRIMARY KEY, topics)"))
    db.session.execute(db.text("INSERT INTO bench_topics VALUES (:k, :t)"), [
        {"k": k, "t": ",".join(sorted({TOPICS[k // 7], TOPICS[k % 7]}))} for k in range(49)])
    # Indexes are built once at the end (inserting 5 M keys into them one by one through a
    # small page cache takes hours); a large cache for the sorts.
    db.session.execute(db.text("PRAGMA cache_size = -1000000"))
    indexes = db.session.execute(db.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('response', 'answer')")).all()
    for name, _sql in indexes:
        db.session.execute(db.text(f'DROP INDEX "{name}"'))
    first_day = local_today() - timedelta(days=days)
    db.session.execute(db.text(_SQL_RESPONSES.format(overall=_SQL_OVERALL)), {
        "n": total, "days": days, "counters": len(org.counters), "first_day": first_day.isoformat(),
        "start": start_id, "merged": (MERGER_LAST_DAY + timedelta(days=1)).isoformat(),
        "survey": org.survey_id, **COMMENTS})
    progress(f"  {total:,} responses ({time.perf_counter() - began:.0f} s)")
    db.session.execute(db.text(_SQL_ANSWERS.format(
        overall=_SQL_OVERALL, questions=",".join(str(q) for q in org.question_ids))),
        {"start": start_id})
    progress(f"  and their answers ({time.perf_counter() - began:.0f} s)")
    for _name, sql in indexes:
        db.session.execute(db.text(sql))
    db.session.commit()
    loaded = time.perf_counter() - began
    progress(f"  and the indexes ({loaded:.0f} s)")
    return {"load_s": loaded, "rollups_s": rebuild_rollups()}
