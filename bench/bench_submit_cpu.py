"""CPU and statements per citizen submission (the form's GET and its POST), in one process.

Run: ``python bench/bench_submit_cpu.py [--submissions 300] [--database-url URL]``

Prepares the database as bench_load.py does (one ward centre, 10 counters, a staff member at
each; SQLite in a temporary file unless --database-url names another), then drives the form
through Flask's test client: GET /s/<token>, answer every question (a third with a comment),
POST, expecting 303. Reports this process's CPU milliseconds per GET and per POST and the SQL
statements each POST sends. CPU time, unlike requests per second, hardly moves with the load
other programs put on the machine, so runs of two versions can be compared on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_load  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from app import create_app  # noqa: E402
from core.config import normalise_database_url  # noqa: E402


def submit(client, token: str, rng: random.Random, statements: list[int]) -> tuple[float, float]:
    """One citizen: the form, then the answers; CPU seconds of each."""
    started = time.process_time()
    page = client.get(f"/s/{token}")
    got = time.process_time() - started
    html = page.get_data(as_text=True)
    form = dict(bench_load.HIDDEN.findall(html))
    for question in set(bench_load.QUESTION.findall(html)):
        form[question] = str(rng.choice([3, 4, 4, 5, 5, 5, 2, 1]))
    form["reasons"] = rng.choice(bench_load.REASONS)  # asked of a "không hài lòng" answer
    if rng.random() < 1 / 3:
        form["comment"] = rng.choice(bench_load.COMMENTS)
    statements[0] = 0
    started = time.process_time()
    posted = client.post(f"/s/{token}", data=form)
    post = time.process_time() - started
    if posted.status_code != 303:
        raise RuntimeError(f"POST answered {posted.status_code}")
    return got, post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--rules", default=str(bench_load.ORDINARY_RULES),
                        help="integrity rules file ('' : the shipped rules; default: "
                             "bench/ordinary_rules.toml, every submission counted)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_submit.sqlite3"
    tokens = bench_load.prepare_database(url, 10)
    app = create_app({"SECRET_KEY": bench_load.SECRET, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "HR_INTEGRITY_RULES": args.rules or None})
    app.load_views()  # as gunicorn does before a worker serves
    statements = [0]

    @event.listens_for(Engine, "before_cursor_execute")
    def count(*_args) -> None:
        statements[0] += 1

    rng = random.Random(1)
    for _ in range(args.warmup):
        submit(app.test_client(), rng.choice(tokens), rng, statements)
    gets, posts, sent = [], [], []
    for _ in range(args.submissions):
        got, post = submit(app.test_client(), rng.choice(tokens), rng, statements)
        gets.append(got)
        posts.append(post)
        sent.append(statements[0])
    result = {"database": url.split(":", 1)[0], "submissions": args.submissions,
              "get_cpu_ms": round(sum(gets) / len(gets) * 1000, 1),
              "post_cpu_ms": round(sum(posts) / len(posts) * 1000, 1),
              "statements_per_post": round(sum(sent) / len(sent), 1)}
    print(f"{result['database']}: GET {result['get_cpu_ms']} ms CPU, POST "
          f"{result['post_cpu_ms']} ms CPU and {result['statements_per_post']} SQL statements "
          f"per submission ({args.submissions} submissions)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
