"""Dashboard bench: province and ward dashboards over millions of responses, and one raw GROUP BY.

Run (from the repository root, venv active):

    python bench/bench_dashboard.py --responses 5000000 --backends sqlite,postgresql

For each backend it builds a fresh database (SQLite: a file under --workdir; PostgreSQL: a
throwaway server from .ci/pg.sh, or --pg-url), fills it with bench/generate.py, signs in as a
provincial HR officer and then, for the province and for a ward formed by a merger, and for the
previous full month, the last full ISO week and the previous calendar year:

- page: GET /dashboard (every number of the page) with empty caches;
- charts: GET of every chart of the page as SVG, caches still empty for charts;
- warm: the same page again (served from the report cache);
- numbers: `build_report` alone (every number of the page, no HTTP, no template);
- all-numbers SQL: one hand-written SQL statement over the raw responses and answers (a UNION
  ALL of GROUP BYs, `hand_sql.py`) computing every number of the page; the run stops if any
  of its numbers differs from the report's;
- headline GROUP BY: one hand-written GROUP BY computing only the headline (n, mean and share
  satisfied per criterion for the scope and period);
- ratios, measured in the same run: page / all-numbers SQL (the issue's target, ≤ 2), numbers /
  all-numbers SQL, and page / headline GROUP BY (a page against a fraction of its numbers).

Timings are medians of --repeats runs, except that a hand-written SQL that took over 10 s is
not run again (the JSON gives `sql_runs`). The page runs of every view come first and the SQL
runs after them: a raw scan of millions of rows fills the operating system's cache with other
data, and a page measured after it would read its rollups back from disk.

It also times storing responses through `record_response` with and without the rollup upsert.
Prints a table per backend and one JSON line with everything. Nothing here runs in the tests.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import generate  # noqa: E402
import hand_sql  # noqa: E402
from sqlalchemy import text  # noqa: E402

from accounts.models import Role  # noqa: E402
from accounts.services import create_user  # noqa: E402
from app import create_app  # noqa: E402
from core.db import db  # noqa: E402
from core.timeutil import local_today  # noqa: E402
from feedback.dashboard import cache, rollups  # noqa: E402
from feedback.dashboard.queries import Scope  # noqa: E402
from feedback.dashboard.report import Options, build_report, full_ranking  # noqa: E402
from feedback.periods import PeriodKind, containing  # noqa: E402
from surveys.models import Unit  # noqa: E402
from surveys.queries import unit_tree_ids  # noqa: E402

PASSWORD = "bench-password-long-enough"
#: A hand-written SQL run slower than this is not repeated (the median is of fewer runs).
SLOW_S = 10.0


def _load_info() -> str:
    load1, load5, _ = os.getloadavg()
    return f"load average {load1:.2f} (1 min) {load5:.2f} (5 min) on {os.cpu_count()} CPUs"


def _periods():
    today = local_today()
    month = containing(PeriodKind.MONTH, today).previous()
    week = containing(PeriodKind.WEEK, today).previous()
    year = containing(PeriodKind.YEAR, today).previous()
    return {"month": month, "week": week, "year": year}


GROUP_BY = """
SELECT q.code, count(*), avg(a.value), sum(CASE WHEN a.value >= 4 THEN 1 ELSE 0 END)
FROM answer a
JOIN response r ON r.id = a.response_id
JOIN question q ON q.id = a.question_id
WHERE r.unit_id IN ({units}) AND r.submitted_at >= :start AND r.submitted_at < :end
GROUP BY q.code
"""


def _hand_sql(unit_ids, period) -> tuple[float, list]:
    start, end = period.utc_bounds()
    statement = text(GROUP_BY.format(units=",".join(str(u) for u in sorted(unit_ids))))
    params = {"start": start.replace(tzinfo=None), "end": end.replace(tzinfo=None)}
    began = time.perf_counter()
    rows = db.session.execute(statement, params).all()
    return time.perf_counter() - began, rows


def _unit(code: str) -> Unit:
    return db.session.execute(db.select(Unit).filter_by(code=code)).scalar_one()


def _sign_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": csrf, "username": "bench.hr",
                                         "password": PASSWORD})
    assert answer.status_code == 303, answer.status_code


def _timed_get(client, url: str) -> tuple[float, str]:
    began = time.perf_counter()
    answer = client.get(url)
    elapsed = time.perf_counter() - began
    assert answer.status_code == 200, (url, answer.status_code)
    return elapsed, answer.get_data(as_text=True) if answer.mimetype == "text/html" else ""


def _numbers(app, unit_ids, period):
    """Seconds for the report's numbers alone (`build_report`, no HTTP), and the report."""
    with app.app_context():
        began = time.perf_counter()
        report = build_report(Scope(unit_ids=frozenset(unit_ids)), period, Options.of(app.config))
        return time.perf_counter() - began, report


def _all_numbers_sql(app, unit_ids, period, report) -> float:
    """Seconds for the hand-written SQL of every number; stops the run if any number differs
    from the report's."""
    with app.app_context():
        statement, params = hand_sql.statement(db.engine.dialect.name, unit_ids, period)
        began = time.perf_counter()
        rows = db.session.execute(statement, params).all()
        elapsed = time.perf_counter() - began
        rankings = {kind: full_ranking(Scope(unit_ids=frozenset(unit_ids)), period,
                                       Options.of(app.config), kind) for kind in report.rankings}
        differences = hand_sql.compare(report, rankings, rows)
    if differences:
        raise SystemExit(f"{period.key()}: the report and the hand-written SQL disagree: "
                         f"{differences}")
    return elapsed


def _again(times: list[float]) -> bool:
    """Repeat a measurement unless an earlier run already took over SLOW_S seconds."""
    return not times or max(times) < SLOW_S


def _measure(app, org, repeats: int) -> list[dict]:
    results = []
    client = app.test_client()
    _sign_in(client)
    with app.app_context():
        province = _unit(org.province_code)
        ward = _unit(org.merged_ward_code)
        scopes = {"province": (province.code, unit_tree_ids(province.id)),
                  "ward": (ward.code, unit_tree_ids(ward.id))}
    views = [(scope_name, code, unit_ids, period_name, period)
             for scope_name, (code, unit_ids) in scopes.items()
             for period_name, period in _periods().items()]
    measured = {}
    for scope_name, code, unit_ids, _kind, period in views:
        url = f"/dashboard?unit={code}&period={period.key()}&lang=vi"
        timings = {name: [] for name in ("page", "charts", "warm", "numbers", "sql_all",
                                         "sql_headline")}
        for _ in range(repeats):
            cache.reports.clear()
            cache.charts.clear()
            page_s, html = _timed_get(client, url)
            chart_s = 0.0
            for src in re.findall(r'src="(/dashboard/chart/[^"]+)"', html):
                chart_s += _timed_get(client, src.replace("&amp;", "&"))[0]
            warm_s, _ = _timed_get(client, url)
            numbers_s, report = _numbers(app, unit_ids, period)
            for name, value in (("page", page_s), ("charts", chart_s), ("warm", warm_s),
                                ("numbers", numbers_s)):
                timings[name].append(value)
        measured[(scope_name, period.key())] = (timings, report)
    for scope_name, _code, unit_ids, period_name, period in views:
        timings, report = measured[(scope_name, period.key())]
        for _ in range(repeats):
            if _again(timings["sql_all"]):
                timings["sql_all"].append(_all_numbers_sql(app, unit_ids, period, report))
            if _again(timings["sql_headline"]):
                with app.app_context():
                    sql_s, rows = _hand_sql(unit_ids, period)
                timings["sql_headline"].append(sql_s)
        t = {name: statistics.median(values) for name, values in timings.items()}
        n = next((r[1] for r in rows if r[0] == "overall"), 0)
        results.append({
            "scope": scope_name, "period": period.key(), "kind": period_name,
            "responses": n, **{f"{name}_s": round(value, 4) for name, value in t.items()},
            "sql_runs": len(timings["sql_all"]),
            "ratio_page_sql_all": round(t["page"] / t["sql_all"], 2),
            "ratio_numbers_sql_all": round(t["numbers"] / t["sql_all"], 2),
            "ratio_page_sql_headline": round(t["page"] / t["sql_headline"], 2),
        })
        print(f"  {scope_name:8} {period.key():10} n={n:>9,} page {t['page']:6.3f} s  "
              f"charts {t['charts']:6.3f} s  warm {t['warm']:6.4f} s  "
              f"numbers {t['numbers']:6.3f} s  all-numbers SQL {t['sql_all']:6.3f} s  "
              f"headline GROUP BY {t['sql_headline']:6.3f} s  "
              f"page/all-SQL {t['page'] / t['sql_all']:5.2f}  "
              f"numbers/all-SQL {t['numbers'] / t['sql_all']:5.2f}  "
              f"page/headline {t['page'] / t['sql_headline']:5.2f}", flush=True)
    return results


def _insert_cost(app, org, count: int = 20) -> dict:
    """Milliseconds per stored response through record_response (each committed), and per
    response of the fold that then adds them all to the rollups (one fold, as a worker's
    background thread makes after a burst of submissions)."""
    from feedback.dashboard.fold import fold_all
    from feedback.services import Submission, record_response
    from surveys.models import Counter, Survey

    with app.app_context():
        survey = db.session.get(Survey, org.survey_id)
        counter = db.session.get(Counter, org.counters[0][0])
        ratings = {q.id: 4 for q in survey.questions}
        run = time.time_ns()
        began = time.perf_counter()
        for i in range(count):
            record_response(counter, survey, Submission(
                submission_key=f"insert-{run}-{i}", ratings=ratings, locale="vi"))
            db.session.commit()
        total = time.perf_counter() - began
        began = time.perf_counter()
        fold_all()
        folded = time.perf_counter() - began
    return {"record_response_ms": round(total / count * 1000, 2),
            "fold_ms_per_response": round(folded / count * 1000, 3)}


def run_backend(name: str, url: str, responses: int, repeats: int,
                reuse: bool = False, build_only: bool = False, rebuild: bool = True,
                fast: bool = False) -> dict:
    print(f"== {name}: {responses:,} responses ({_load_info()})", flush=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": False,
                      "RATELIMIT_ENABLED": False, "PUBLIC_BASE_URL": None})
    app.load_views()  # every model (cases, HR, …), so create_all makes every table
    logging.getLogger("hailong.access").disabled = True
    with app.app_context():
        if reuse and rebuild:
            for model in rollups.TABLES:
                model.__table__.drop(db.engine, checkfirst=True)
        db.create_all()
        began = time.perf_counter()
        if reuse:
            org = generate.load_organisation()
            organisation_s = time.perf_counter() - began
            responses = db.session.execute(text("SELECT count(*) FROM response")).scalar_one()
            timings = {"load_s": 0.0,
                       "rollups_s": generate.rebuild_rollups() if rebuild else 0.0}
        else:
            org = generate.build_organisation()
            organisation_s = time.perf_counter() - began
            create_user("bench.hr", PASSWORD, Role.HR, _unit(org.province_code))
            db.session.commit()
            timings = (generate.load_responses_sql if fast else generate.load_responses)(
                org, responses)
        began = time.perf_counter()
        generate.analyse()
        analyse_s = time.perf_counter() - began
        rollup_rows = {model.__tablename__: db.session.execute(
            text(f"SELECT count(*) FROM {model.__tablename__}")).scalar_one()
            for model in rollups.TABLES}
    print(f"  organisation {organisation_s:.1f} s, load {timings['load_s']:.0f} s, rollups "
          f"{timings['rollups_s']:.0f} s, analyse {analyse_s:.0f} s; rollup rows {rollup_rows}",
          flush=True)
    if build_only:
        return {"backend": name, "responses": responses, **timings}
    print(f"  measuring ({_load_info()})", flush=True)
    measured = _measure(app, org, repeats)
    insert = _insert_cost(app, org)
    print(f"  record_response: {insert}", flush=True)
    with app.app_context():
        db.engine.dispose()
    return {"backend": name, "responses": responses, "organisation_s": round(organisation_s, 1),
            **{k: round(v, 1) for k, v in timings.items()}, "analyse_s": round(analyse_s, 1),
            "rollup_rows": rollup_rows, "dashboards": measured, "record_response": insert,
            "load_after": _load_info()}


def _start_postgresql() -> tuple[str, callable]:
    script = f". {ROOT}/.ci/pg.sh; PG_PORT=${{PG_PORT:-54361}} pg_start >/dev/null && " \
             "echo $TEST_DATABASE_URL $PG_DATA $PG_BINDIR"
    started = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    if started.returncode:
        raise SystemExit(f"could not start PostgreSQL (set PG_PORT to a free port, or pass "
                         f"--pg-url):\n{started.stderr.strip()}")
    url, data, bindir = started.stdout.split()

    def stop() -> None:
        subprocess.run(["bash", "-c", f". {ROOT}/.ci/pg.sh; PG_DATA={data} PG_BINDIR={bindir} "
                        "pg_stop"], check=False)

    return url, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=5_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: a throwaway "
                                         "server from .ci/pg.sh)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--reuse-sqlite", help="measure an SQLite file built by an earlier run "
                                               "with --keep (its rollup tables are recreated "
                                               "and rebuilt first, with the current code)")
    parser.add_argument("--reuse-pg", action="store_true",
                        help="--pg-url already holds a dataset built by an earlier run "
                             "(its rollups are rebuilt first)")
    parser.add_argument("--rollups-current", action="store_true",
                        help="with --reuse-*: the rollups were rebuilt with the current code "
                             "by an earlier run; measure without rebuilding them")
    parser.add_argument("--build-only", action="store_true",
                        help="fill the databases and stop (with --keep or --pg-url, to measure "
                             "them later with --reuse-sqlite / --reuse-pg)")
    parser.add_argument("--fast", action="store_true",
                        help="SQLite: insert the responses and answers with two INSERT … "
                             "SELECT statements (generate.load_responses_sql): minutes for 5 M")
    args = parser.parse_args()
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite" and args.reuse_sqlite:
            results.append(run_backend("sqlite", f"sqlite:///{args.reuse_sqlite}",
                                       args.responses, args.repeats, reuse=True,
                                       build_only=args.build_only,
                                       rebuild=not args.rollups_current))
        elif backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="hailong-bench-", dir=args.workdir))
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
            print(f"SQLite database: {folder / 'bench.sqlite3'}", flush=True)
            try:
                results.append(run_backend("sqlite", url, args.responses, args.repeats,
                                           build_only=args.build_only, fast=args.fast))
            finally:
                if not args.keep:
                    shutil.rmtree(folder, ignore_errors=True)
        elif backend == "postgresql":
            stop = None
            url = args.pg_url
            if url is None:
                url, stop = _start_postgresql()
            try:
                from core.config import normalise_database_url
                results.append(run_backend("postgresql", normalise_database_url(url),
                                           args.responses, args.repeats,
                                           reuse=args.reuse_pg, build_only=args.build_only,
                                           rebuild=not args.rollups_current))
            finally:
                if stop:
                    stop()
        else:
            parser.error(f"unknown backend {backend}")
    print(json.dumps({"bench": "dashboard", "periods": {k: p.key() for k, p in
                                                         _periods().items()},
                      "results": results}, default=str))


if __name__ == "__main__":
    main()
