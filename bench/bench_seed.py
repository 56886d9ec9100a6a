"""How long `flask --app app seed-demo` takes on a fresh SQLite database, and what it stored.

Run: ``python bench/bench_seed.py [--runs 1]``

Each run migrates an empty SQLite file in a temporary folder, then times the command in a new
process (as a newcomer runs it: imports, the sentiment model, the whole seed), in wall-clock
seconds and CPU seconds of that process (the CPU figure tells how much of the wall time was
waiting for a busy machine). Prints one line per run with the row counts per kind (the data's
shape), then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("response", "answer", "response_flag", "feedback_case", "case_event", "centre_alert",
          "rollup_rating_month", "rollup_rating_day", "rollup_overall_day", "rollup_tag_day")


def flask(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True)


def one_run() -> dict:
    folder = Path(tempfile.mkdtemp(prefix="hailong-seed-"))
    path = folder / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench-" + "x" * 40,
           "INSTANCE_PATH": str(folder / "instance")}
    flask("db", "upgrade", env=env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    flask("seed-demo", env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with sqlite3.connect(path) as connection:
        rows = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in TABLES}
    return {"wall_s": round(wall, 1),
            "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
            "rows": rows, "load": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run()
        runs.append(run)
        print(f"run {number}: seed-demo {run['wall_s']} s wall, {run['cpu_s']} s CPU "
              f"(load average {run['load']:.1f}); rows {run['rows']}")
    print(json.dumps({"cpus": os.cpu_count(), "runs": runs}))


if __name__ == "__main__":
    main()
