"""Hand-written SQL over the raw responses computing every number of a dashboard view.

One statement (a UNION ALL of GROUP BYs, no rollup table) for SQLite or PostgreSQL that yields
what `feedback.dashboard.report.build_report` computes for a set of units and a period: the
criteria of the period and of the previous one, the trend, the weekday × hour heatmap, the
rankings of wards, centres, counters and staff, sentiment by month, topics of the period and
the previous one, and the latest comments with their overall rating. `compare` checks, number
by number, that a `Report` and this SQL agree, so the bench compares like with like.

Each row is (part, key1, key2, c1..c5): answers with each value 1..5 for rating parts, the
number of comments in c1 for sentiment and topics, the comment's overall rating for comments.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import text

from feedback.dashboard.report import sentiment_window, trend_window
from feedback.periods import Period
from feedback.tag_labels import TOPICS

COUNTS = ", ".join(f"sum(CASE WHEN a.value = {v} THEN 1 ELSE 0 END)" for v in range(1, 6))
LOCAL = {
    "sqlite": {
        "day": "date(r.submitted_at, '+7 hours')",
        "month": "date(r.submitted_at, '+7 hours', 'start of month')",
        "weekday": "CAST((CAST(strftime('%w', r.submitted_at, '+7 hours') AS INTEGER) + 6) % 7 "
                   "AS TEXT)",
        "hour": "CAST(CAST(strftime('%H', r.submitted_at, '+7 hours') AS INTEGER) AS TEXT)",
        "text": "CAST({} AS TEXT)",
    },
    "postgresql": {
        "day": "CAST(CAST(r.submitted_at + interval '7 hours' AS DATE) AS TEXT)",
        "month": "CAST(CAST(date_trunc('month', r.submitted_at + interval '7 hours') AS DATE) "
                 "AS TEXT)",
        "weekday": "CAST(CAST(extract(isodow FROM r.submitted_at + interval '7 hours') AS "
                   "INTEGER) - 1 AS TEXT)",
        "hour": "CAST(CAST(extract(hour FROM r.submitted_at + interval '7 hours') AS INTEGER) "
                "AS TEXT)",
        "text": "CAST({} AS TEXT)",
    },
}


def _ratings(part: str, key1: str, key2: str, where: str, bounds: str,
             overall_only: bool = True, joins: str = "") -> str:
    code = " AND q.code = 'overall'" if overall_only else ""
    group = key1 if key2 == "''" else f"{key1}, {key2}"
    return (f"SELECT '{part}', {key1}, {key2}, {COUNTS} FROM answer a "
            f"JOIN response r ON r.id = a.response_id JOIN question q ON q.id = a.question_id "
            f"{joins} WHERE {where} AND r.submitted_at >= :{bounds}_start "
            f"AND r.submitted_at < :{bounds}_end{code} GROUP BY {group}")


def _topics(part: str, where: str, bounds: str) -> str:
    codes = " UNION ALL ".join(f"SELECT '{code}' AS code" for code in TOPICS)
    return (f"SELECT '{part}', t.code, '', count(*), 0, 0, 0, 0 FROM response r "
            f"JOIN ({codes}) t ON ',' || r.topics || ',' LIKE '%,' || t.code || ',%' "
            f"WHERE {where} AND r.submitted_at >= :{bounds}_start "
            f"AND r.submitted_at < :{bounds}_end GROUP BY t.code")


def statement(dialect: str, unit_ids, period: Period, comments: int = 10):
    """The SQL and its parameters for the units' dashboard of `period`."""
    local = LOCAL[dialect]
    as_text = local["text"].format
    where = f"r.unit_id IN ({','.join(str(u) for u in sorted(unit_ids))})"
    bucket, trend = trend_window(period)
    months = sentiment_window(period)
    label = "coalesce(r.reviewed_label, r.sentiment_label)"  # a leader's correction first
    parts = [
        _ratings("now", "q.code", "''", where, "now", overall_only=False),
        _ratings("before", "q.code", "''", where, "before", overall_only=False),
        _ratings("trend", local[bucket], "''", where, "trend"),
        _ratings("heat", local["weekday"], local["hour"], where, "now"),
        _ratings("unit", as_text("coalesce(u.successor_id, r.unit_id)"), "''", where, "now",
                 joins="JOIN unit u ON u.id = r.unit_id"),
        _ratings("centre", as_text("r.centre_id"), "''", where, "now"),
        _ratings("counter", as_text("r.counter_id"), "''", where, "now"),
        _ratings("staff", as_text("r.staff_id"), "''", f"{where} AND r.staff_id IS NOT NULL",
                 "now"),
        f"SELECT 'sentiment', {local['month']}, {label}, count(*), 0, 0, 0, 0 "
        f"FROM response r WHERE {where} AND {label} IS NOT NULL "
        f"AND r.submitted_at >= :months_start AND r.submitted_at < :months_end "
        f"GROUP BY {local['month']}, {label}",
        _topics("topic_now", where, "now"),
        _topics("topic_before", where, "before"),
        f"SELECT 'comment', {as_text('c.submitted_at')}, {as_text('c.id')}, "
        f"coalesce(max(a.value), 0), 0, 0, 0, 0 FROM (SELECT r.id, r.submitted_at FROM response r "
        f"WHERE {where} AND r.comment IS NOT NULL AND r.submitted_at >= :now_start "
        f"AND r.submitted_at < :now_end ORDER BY r.submitted_at DESC, r.id DESC "
        f"LIMIT {comments}) c LEFT JOIN answer a ON a.response_id = c.id AND a.question_id IN "
        f"(SELECT id FROM question WHERE code = 'overall') GROUP BY c.submitted_at, c.id",
    ]
    params = {}
    for name, bounds in (("now", period), ("before", period.previous()), ("trend", trend),
                         ("months", months)):
        start, end = bounds.utc_bounds()
        params[f"{name}_start"] = start.replace(tzinfo=None)
        params[f"{name}_end"] = end.replace(tzinfo=None)
    return text("\nUNION ALL\n".join(parts)), params


def numbers(rows) -> dict[str, dict]:
    """The SQL's rows as {part: {key: counts}} in the shapes `report_numbers` gives."""
    found: dict[str, dict] = defaultdict(dict)
    for part, key1, key2, *counts in rows:
        counts = tuple(int(c) for c in counts)
        if part in ("now", "before"):
            found[part][key1] = counts
        elif part == "trend":
            found[part][date.fromisoformat(str(key1)[:10])] = counts
        elif part == "heat":
            found[part][(int(key1), int(key2))] = counts
        elif part in ("unit", "centre", "counter", "staff"):
            found[part][int(key1)] = counts
        elif part == "sentiment":
            found[part][(date.fromisoformat(str(key1)[:10]), key2)] = counts[0]
        elif part in ("topic_now", "topic_before"):
            found[part][key1] = counts[0]
        elif part == "comment":
            found[part][(str(key1), int(key2))] = counts[0]
    found["comment"] = [overall for _key, overall in sorted(found["comment"].items(),
                                                            reverse=True)]
    return dict(found)


def report_numbers(report, rankings) -> dict[str, dict]:
    """The same numbers read off a `Report` and its whole rankings (`full_ranking` of each kind
    the report has; the report holds only the rows its page shows)."""
    def tallies(indices):
        return {i.code: i.tally.counts for i in indices if i.n}

    result = {
        "now": tallies(report.current), "before": tallies(report.before),
        "trend": {day: i.tally.counts for day, i in report.trend if i.n},
        "heat": {cell: i.tally.counts for cell, i in report.heatmap.items() if i.n},
        "sentiment": {(month, label): n for month, shares in report.sentiment
                      for label, n in shares.items() if n},
        "topic_now": {code: n for code, n, _before in report.topics if n},
        "topic_before": {code: before for code, _n, before in report.topics if before},
        "comment": [c.overall or 0 for c in report.comments or []],
    }
    for name, rows in rankings.items():
        result[name] = {row.key: row.index.tally.counts for row in rows}
    return result


def compare(report, rankings, rows) -> list[str]:
    """Differences between a report (with its whole rankings) and the SQL's rows (empty when
    they agree), and between the rows the report shows and those rankings."""
    mine, theirs = report_numbers(report, rankings), numbers(rows)
    problems = []
    for part, values in mine.items():
        other = theirs.get(part, [] if part == "comment" else {})
        if part == "topic_before":
            other = {k: v for k, v in other.items() if k in mine["topic_now"]}
        if values != other:
            problems.append(f"{part}: report {_sample(values)} != SQL {_sample(other)}")
    for name, ranking in report.rankings.items():
        whole = {row.key: row for row in rankings[name] if row.rank is not None}
        if ranking.total != len(rankings[name]) or any(
                whole.get(row.key) != row for row in ranking.shown):
            problems.append(f"{name}: the rows shown are not those of the whole ranking")
    return problems


def _sample(values) -> str:
    if isinstance(values, dict):
        return f"{len(values)} keys, e.g. {sorted(values.items())[:3]}"
    return str(values)
