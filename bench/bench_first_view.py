"""Dashboard first view against second view: the page and every chart on it.

Run (from the repository root, venv active), on the demo database and on a database built by
bench_dashboard.py (`--keep --build-only`, 5 M responses):

    python bench/bench_first_view.py --db sqlite:///instance/hailong.sqlite3 \\
        --user nhansu --password demo-hr-2026 --units 92,31135 --secret-key ""
    python bench/bench_first_view.py --db sqlite:////tmp/hailong-bench-…/bench.sqlite3 \\
        --units B92,BW000

For each unit and period (this month, the last full month — the page's default —, the last full
ISO week, the previous year) it times:

- never drawn: GET /dashboard, then GET of every chart on the page (SVG, one after the other as
  a single browser connection would), with the report cache, the chart cache and the shared
  chart store (DASHBOARD_CHART_DIR, a temporary folder here) all empty — as on a server that
  has drawn nothing yet (no frame either) and has not drawn this view ahead. The app is
  prepared as a gunicorn worker prepares it before serving (`gunicorn_conf.prepare_worker`:
  views, templates, languages, the tagger and chart libraries loaded, a small chart of each
  kind drawn and kept nowhere, what is loaded frozen out of the cycle collector's way);
- unopened: the same, but after the other units' dashboards of the period were viewed, with
  only the chart frames they drew kept (axes, ticks, titles and legends, which charts of the
  same kind and period share: `chart_layers`) — a view nobody has opened since the data changed,
  on a server where other dashboards have been viewed; its numbers and its charts' marks are
  computed and drawn, and the frames it shares with no other view drawn too;
- second view: the same requests again (numbers and charts cached; a browser would even keep
  the charts, 304 by ETag);
- first view in another worker: this process's caches emptied, the shared store kept — the
  first view of a person served by another worker, or after a restart;
- after a response, drawn ahead: one response is stored now at a counter of the unit (through
  `record_response`, as a citizen's would be: the database grows by one per run), the served
  app's background round runs (`warm.Warmer.round`, as the DASHBOARD_WARM_SECONDS thread does),
  this process's caches are emptied and the view is opened: its numbers are computed again and
  its charts come from the store.

Seconds are medians of --repeats, as wall time and as CPU time of this process (the test
client serves in-process, so CPU time is the server's work, and it is the figure to compare on
a busy machine). `--code DIR` imports the app from another checkout (e.g. `git archive` of an
earlier commit) to compare code in one run; an older checkout without a chart store or warmer
gives the never-drawn and second views only. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench-password-long-enough"


def _periods():
    from core.timeutil import local_today
    from feedback.periods import PeriodKind, containing

    today = local_today()
    return {"this month": containing(PeriodKind.MONTH, today),
            "month": containing(PeriodKind.MONTH, today).previous(),
            "week": containing(PeriodKind.WEEK, today).previous(),
            "year": containing(PeriodKind.YEAR, today).previous()}


def _sign_in(client, user: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": csrf, "username": user,
                                         "password": password})
    assert answer.status_code == 303, answer.status_code


def _get(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True) if answer.mimetype == "text/html" else ""


def _view(client, url: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of the page and every chart on it; the number of charts."""
    wall, cpu = time.perf_counter(), time.process_time()
    html = _get(client, url)
    sources = re.findall(r'<img class="chart" src="([^"]+)"', html)
    for src in sources:
        _get(client, src.replace("&amp;", "&"))
    return time.perf_counter() - wall, time.process_time() - cpu, len(sources)


def _office_hour():
    """10:00 local on the latest weekday before now (a time the integrity rules count)."""
    from datetime import datetime, time, timedelta

    from core.timeutil import LOCAL_TZ

    now = datetime.now(LOCAL_TZ)
    day = now.date() if now.hour >= 11 else now.date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(10), LOCAL_TZ)


def _store_response(app, unit_code: str) -> None:
    """One response rated 4 on every question at the unit's first counter, in the last office
    hour (so this month's and this week's charts change)."""
    import uuid

    from sqlalchemy import select

    from core.db import db
    from feedback.services import Submission, record_response
    from surveys.models import Centre, Counter
    from surveys.queries import active_survey, unit_by_code, unit_tree_ids

    with app.app_context():
        units = unit_tree_ids(unit_by_code(unit_code).id)
        counter = db.session.execute(select(Counter).join(Centre).where(
            Centre.unit_id.in_(units), Counter.active.is_(True)).limit(1)).scalar_one()
        survey = active_survey(None)
        record_response(counter, survey, Submission(
            submission_key=f"first-view-{uuid.uuid4()}", ratings={q.id: 4 for q in
                                                                  survey.questions},
            locale="vi"), at=_office_hour())
        db.session.commit()


def _empty(app, store_folder: Path | None) -> None:
    """Empty this process's report and chart caches, and the shared store when given."""
    from feedback.dashboard import cache

    cache.reports.clear()
    cache.charts.clear()
    if store_folder is not None:
        shutil.rmtree(store_folder, ignore_errors=True)


def _keep_frames(app, store_folder: Path) -> None:
    """Empty this process's caches and keep only the chart frames in the shared store."""
    _empty(app, None)
    for path in store_folder.glob("*"):
        if not path.name.startswith("frame-"):
            path.unlink()


def _warm_round(app) -> None:
    """The served app's background round: draw ahead the charts of units with new responses."""
    from feedback.dashboard.warm import Warmer

    warmer = Warmer(app)
    warmer.round(budget_seconds=3600)


COLUMNS = ("never", "second", "other_worker", "unopened", "ahead")


def measure(app, units: list[str], user: str, password: str, repeats: int,
            store_folder: Path | None) -> list[dict]:
    """Never-drawn, second, another worker's first and drawn-ahead views of each unit and
    period (the last two only with a shared chart store)."""
    client = app.test_client()
    _sign_in(client, user, password)
    results = []
    for unit in units:
        for kind, period in _periods().items():
            url = f"/dashboard?unit={unit}&period={period.key()}&lang=vi"
            runs = {name: [] for column in COLUMNS for name in (column, f"{column}_cpu")}
            for _ in range(repeats):
                _empty(app, store_folder)
                never = _view(client, url)
                second = _view(client, url)
                measured = {"never": never, "second": second}
                if store_folder is not None:
                    _empty(app, None)
                    measured["other_worker"] = _view(client, url)
                    _empty(app, store_folder)
                    for other in units:
                        if other != unit:
                            _view(client, url.replace(f"unit={unit}&", f"unit={other}&"))
                    _keep_frames(app, store_folder)
                    measured["unopened"] = _view(client, url)
                    _warm_round(app)  # sets the warmer's mark: the next round sees new ones
                    _store_response(app, unit)
                    _warm_round(app)
                    _empty(app, None)
                    measured["ahead"] = _view(client, url)
                for column, (wall, cpu, _charts) in measured.items():
                    runs[column].append(wall)
                    runs[f"{column}_cpu"].append(cpu)
            t = {name: statistics.median(values) for name, values in runs.items() if values}
            row = {"unit": unit, "period": period.key(), "kind": kind, "charts": never[2],
                   **{f"{k}_s": round(v, 3) for k, v in t.items()}}
            for column in COLUMNS[2:] + COLUMNS[:1]:
                if column in t:
                    row[f"{column}_over_second_cpu"] = round(t[f"{column}_cpu"]
                                                            / t["second_cpu"], 2)
            results.append(row)
            print(f"  {unit:7} {period.key():9} {row['charts']} charts  CPU s: never drawn "
                  f"{t['never_cpu']:.3f}, second {t['second_cpu']:.3f}"
                  + "".join(f", {column.replace('_', ' ')} {t[column + '_cpu']:.3f}"
                            for column in COLUMNS[2:] if column in t)
                  + "  ratios to second: "
                  + ", ".join(f"{column.replace('_', ' ')} {row[column + '_over_second_cpu']}"
                              for column in COLUMNS if f"{column}_over_second_cpu" in row),
                  flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a filled database")
    parser.add_argument("--units", default="B92,BW000", help="unit codes, comma-separated")
    parser.add_argument("--user", default="bench.hr")
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--code", help="import the app from this checkout (default: this one)")
    parser.add_argument("--secret-key", default="bench",
                        help="the SECRET_KEY the database was filled with (its contact details "
                             "are encrypted with it): 'bench' for bench_dashboard.py's, '' for "
                             "the demo seeded from this checkout (its instance/secret_key)")
    args = parser.parse_args()
    root = Path(args.code).resolve() if args.code else Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from app import create_app
    from core.config import fill_instance_defaults, normalise_database_url

    store_folder = Path(tempfile.mkdtemp(prefix="hailong-charts-"))
    config = {"SQLALCHEMY_DATABASE_URI": normalise_database_url(args.db), "TESTING": False,
              "RATELIMIT_ENABLED": False, "SECRET_KEY": args.secret_key,
              "DASHBOARD_CHART_DIR": str(store_folder)}
    fill_instance_defaults(config, str(root / "instance"))  # no key given: the app's own
    app = create_app(config)
    if "DASHBOARD_CHART_DIR" not in app.config:  # an older checkout: no shared store
        store_folder = None
    logging.getLogger("hailong.access").disabled = True
    import gunicorn_conf

    if hasattr(gunicorn_conf, "prepare_worker"):  # what a worker does before it serves
        gunicorn_conf.prepare_worker(app)
    else:  # an older checkout: its parts of it
        from core import lazy

        lazy.warm()
        if hasattr(gunicorn_conf, "_draw_charts_once"):
            gunicorn_conf._draw_charts_once()
        if hasattr(gunicorn_conf, "settle_heap"):
            gunicorn_conf.settle_heap()

    load = os.getloadavg()[0]
    print(f"code {root}, database {args.db}, load average {load:.2f}", flush=True)
    results = measure(app, args.units.split(","), args.user, args.password, args.repeats,
                      store_folder)
    print(json.dumps({"bench": "first_view", "code": str(root), "db": args.db,
                      "load": round(load, 2), "results": results}))


if __name__ == "__main__":
    main()
