"""Scale-out bench: submissions/s through nginx with two app servers against one, same run.

Run: ``python bench/bench_scaleout.py [--duration 20] [--warmup 5] [--citizens 16] [--rounds 2]
[--workers 3] [--pin]``

Starts deploy/scaleout.sh's topology on this machine (nginx over HTTPS in front of two gunicorn
servers of ``--workers`` workers each, one PostgreSQL with fsync on, one Redis holding the rate
limits — on, with per-address ceilings high enough that simulated citizens all coming from
127.0.0.1 are counted but never refused), then runs ``--rounds`` pairs of phases: nginx routing to
server 1 only, then to both. In each phase bench_load's simulated citizens (GET the form, answer,
POST, start over as a new citizen) go through nginx for ``--duration`` seconds after a warm-up.
After each phase the database is checked: every submission answered 2xx/3xx is stored (lost),
none twice (duplicated).

``--pin`` puts server 1 (master and workers) on CPU 0 and server 2 on CPU 1, as two one-core
machines would be; nginx, PostgreSQL, Redis and the client float. Without it both servers share
every core, and a second server adds processes, not capacity. Ports and the run folder come from
deploy/scaleout.sh's settings (PG_PORT, REDIS_PORT, HTTPS_PORT, HTTP_PORT, APP_PORTS,
SCALEOUT_DIR). Prints a table, the ratio, and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_load import (  # noqa: E402
    SECRET,
    Target,
    fsync_on,
    load_conditions,
    outcome,
    prepare_database,
    run_citizens,
    stored_rows,
)

HIGH = "1000000 per minute"


def script(env: dict[str, str], *args: str) -> None:
    subprocess.run(["bash", "deploy/scaleout.sh", *args], cwd=ROOT, env=env, check=True,
                   timeout=300)


def pin(run_dir: Path, server: int, cpu: int) -> None:
    """Put app server `server`'s master and workers on one CPU (new workers inherit it)."""
    master = int((run_dir / f"app{server}.pid").read_text())
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in [master, *map(int, children)]:
        subprocess.run(["taskset", "-a", "-p", "-c", str(cpu), str(pid)], check=True,
                       capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring")
    parser.add_argument("--citizens", type=int, default=16, help="concurrent citizens")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of phases (one, two)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument("--pin", action="store_true", help="one CPU per app server")
    args = parser.parse_args()

    run_dir = Path(tempfile.mkdtemp(prefix="hailong-bench-scaleout-"))
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "TEST_DATABASE_URL", "RATELIMIT_ENABLED"}}
    env.update(SCALEOUT_DIR=str(run_dir), PYTHON=sys.executable, SECRET_KEY=SECRET,
               WEB_CONCURRENCY=str(args.workers), RATELIMIT_IP=HIGH, RATELIMIT_FORM_IP=HIGH)
    conditions = {"before": load_conditions(), "cpus": os.cpu_count(), "pin": args.pin,
                  "workers_per_server": args.workers, "citizens": args.citizens}
    reports = []
    try:
        script(env, "up")
        state = dict(line.split("=", 1)
                     for line in (run_dir / "topology.env").read_text().splitlines())
        url = state["DATABASE_URL"]
        fsync_on(url)
        tokens = prepare_database(url, 10)
        if args.pin:
            pin(run_dir, 1, 0)
            pin(run_dir, 2, 1)
        target = Target(int(state["HTTPS_PORT"]), cafile=state["CA_CERT"])
        for _round in range(args.rounds):
            for servers in (["1"], ["1", "2"]):
                script(env, "route", *servers)
                before = stored_rows(url)[0]
                results, duration = run_citizens(target, tokens, args.citizens, args.warmup,
                                                 args.duration)
                reports.append({"servers": len(servers),
                                **outcome(url, before, results, duration),
                                "load": load_conditions()})
    finally:
        script(env, "down")
    conditions["after"] = load_conditions()

    print(f"load before: {conditions['before']}")
    print(f"{'servers':>7} {'subm/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'2xx/3xx':>7} "
          f"{'rows':>6} {'lost':>4} {'dup':>4} {'other statuses'}")
    for r in reports:
        others = {k: v for k, v in r["statuses"].items() if k != 303}
        post = {key: str(value) for key, value in r["post"].items()}
        print(f"{r['servers']:>7} {r['accepted_per_s']:>7} {post['p50_ms']:>6} "
              f"{post['p95_ms']:>6} {post['p99_ms']:>6} {r['answered_2xx_3xx']:>7} "
              f"{r['rows_stored']:>6} {r['lost']:>4} "
              f"{r['duplicate_rows'] + r['duplicate_answers']:>4} {others or ''}")
    mean = {n: sum(r["accepted_per_s"] for r in reports if r["servers"] == n)
            / max(1, sum(1 for r in reports if r["servers"] == n)) for n in (1, 2)}
    ratio = mean[2] / mean[1] if mean[1] else float("nan")
    print(f"two servers ÷ one server: {mean[2]:.1f} ÷ {mean[1]:.1f} = {ratio:.2f} "
          f"({'pinned: one CPU per server' if args.pin else 'unpinned: both share every CPU'})")
    print(f"load after: {conditions['after']}")
    print(json.dumps({"conditions": conditions, "ratio": round(ratio, 3), "runs": reports},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
