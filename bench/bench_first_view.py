"""Dashboard first view against second view: the page and every chart on it.

Run (from the repository root, venv active), on the demo database and on a database built by
bench_dashboard.py (`--keep --build-only`, 5 M responses):

    python bench/bench_first_view.py --db sqlite:///instance/hailong.sqlite3 \\
        --user nhansu --password demo-hr-2026 --units 92,31135
    python bench/bench_first_view.py --db sqlite:////tmp/hailong-bench-…/bench.sqlite3 \\
        --units B92,BW000

For each unit and period (this month, the last full month — the page's default —, the last full
ISO week, the previous year) it times:

- first view: GET /dashboard, then GET of every chart on the page (SVG, one after the other as
  a single browser connection would), with the report and chart caches empty — a view nobody
  has opened since the data changed. matplotlib is imported before timing, as a gunicorn worker
  does at start (`post_worker_init`);
- second view: the same requests again (numbers and charts cached; a browser would even keep
  the charts, 304 by ETag);
- after a response: one response is stored today at a counter of the unit (through
  `record_response`, as a citizen's would be: the database grows by one per run) and the view
  is opened again: its numbers are computed again; a chart is drawn again only if what it shows
  changed (a past month's charts do not).

Seconds are medians of --repeats, as wall time and as CPU time of this process (the test
client serves in-process, so CPU time is the server's work, and it is the figure to compare on
a busy machine). `--code DIR` imports the app from another checkout (e.g. `git archive` of an
earlier commit) to compare code in one run. Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import sys
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


def _store_response(app, unit_code: str) -> None:
    """One response rated 4 on every question, now, at the unit's first counter."""
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
            locale="vi"))
        db.session.commit()


def measure(app, units: list[str], user: str, password: str, repeats: int) -> list[dict]:
    """First, second and after-a-response views of each unit and period."""
    from feedback.dashboard import cache

    client = app.test_client()
    _sign_in(client, user, password)
    results = []
    for unit in units:
        for kind, period in _periods().items():
            url = f"/dashboard?unit={unit}&period={period.key()}&lang=vi"
            runs = {name: [] for name in ("first", "first_cpu", "second", "second_cpu",
                                          "after", "after_cpu")}
            for _ in range(repeats):
                cache.reports.clear()
                cache.charts.clear()
                first, first_cpu, charts = _view(client, url)
                second, second_cpu, _charts = _view(client, url)
                _store_response(app, unit)
                after, after_cpu, _charts = _view(client, url)
                for name, value in (("first", first), ("first_cpu", first_cpu),
                                    ("second", second), ("second_cpu", second_cpu),
                                    ("after", after), ("after_cpu", after_cpu)):
                    runs[name].append(value)
            t = {name: statistics.median(values) for name, values in runs.items()}
            row = {"unit": unit, "period": period.key(), "kind": kind, "charts": charts,
                   **{f"{k}_s": round(v, 3) for k, v in t.items()},
                   "ratio": round(t["first"] / t["second"], 2),
                   "ratio_cpu": round(t["first_cpu"] / t["second_cpu"], 2),
                   "ratio_after_cpu": round(t["after_cpu"] / t["second_cpu"], 2)}
            results.append(row)
            print(f"  {unit:7} {period.key():9} {charts} charts  first {t['first']:6.3f} s "
                  f"(CPU {t['first_cpu']:6.3f})  second {t['second']:6.3f} s "
                  f"(CPU {t['second_cpu']:6.3f})  after a response {t['after']:6.3f} s (CPU "
                  f"{t['after_cpu']:6.3f})  first/second {row['ratio']:5.2f} (CPU "
                  f"{row['ratio_cpu']:5.2f})  after/second CPU {row['ratio_after_cpu']:5.2f}",
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
    args = parser.parse_args()
    root = Path(args.code).resolve() if args.code else Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from app import create_app
    from core.config import normalise_database_url

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(args.db),
                      "SECRET_KEY": "bench", "TESTING": False, "RATELIMIT_ENABLED": False})
    logging.getLogger("hailong.access").disabled = True
    import matplotlib.backends.backend_agg  # noqa: F401  (a worker imports them at start)
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    load = os.getloadavg()[0]
    print(f"code {root}, database {args.db}, load average {load:.2f}", flush=True)
    results = measure(app, args.units.split(","), args.user, args.password, args.repeats)
    print(json.dumps({"bench": "first_view", "code": str(root), "db": args.db,
                      "load": round(load, 2), "results": results}))


if __name__ == "__main__":
    main()
