"""How long `flask --app app --help` takes, against importing Flask and SQLAlchemy alone.

Both run alternately (so machine load hits them alike); the median wall and CPU times and their
ratio are printed. Target (issue 22): ≤ 0.6 s on an idle machine and ≤ 2× the bare import.

    python bench/bench_cli_start.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "flask --app app --help": [sys.executable, "-m", "flask", "--app", "app", "--help"],
    'python -c "import flask, sqlalchemy"': [sys.executable, "-c", "import flask, sqlalchemy"],
}


def _run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "FLASK_APP": ""})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():
        _run(argv)  # warm the file cache
    for _ in range(runs):
        for name, argv in COMMANDS.items():
            found[name].append(_run(argv))
    medians = {name: (statistics.median(w for w, _ in times),
                      statistics.median(c for _, c in times)) for name, times in found.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name:40s} wall {wall:5.2f} s   cpu {cpu:5.2f} s")
    (help_wall, help_cpu), (base_wall, base_cpu) = medians.values()
    print(f"ratio help / bare import: wall {help_wall / base_wall:.2f}   "
          f"cpu {help_cpu / base_cpu:.2f}   "
          f"(load average {os.getloadavg()[0]:.1f}, {runs} runs each)")


if __name__ == "__main__":
    main()
