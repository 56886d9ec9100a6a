"""Benchmark the sentiment tagger on the same comments as two yardsticks timed in the same run.

Run: ``python bench/bench_sentiment.py [--repeat N] [--against DIR]``. Reports p50/p95 latency
of ``tag()`` on single comments, throughput of ``tag_many()``, and two yardsticks timed in the
same run, since the machine is shared and absolute rates move with its load: a bare
``str.split`` loop over the comments (pure interpreter speed) and underthesea's
``word_tokenize`` (which the tagger used before 2026.12-syl3); also the peak RSS of this
process with the model loaded. ``--against DIR`` also times another checkout's tagger (say an
older commit exported with ``git archive``) in a subprocess between two passes of this one and
reports the ratio of their ``tag_many()`` rates. Prints a table, then one JSON line. The
comments are the service-centre files shipped with the package plus UIT-VSFC dev when
``shared/data/sentiment`` is available (never copied).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedback.sentiment import tag, tag_many  # noqa: E402
from feedback.sentiment.dataio import (  # noqa: E402
    DOMAIN_TEST,
    DOMAIN_TRAIN,
    UIT_DEV,
    default_data_dir,
    read_labelled,
)
from feedback.sentiment.features import clear_cache  # noqa: E402
from feedback.sentiment.loader import get_model  # noqa: E402


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def comments() -> list[str]:
    """The benchmark corpus: realistic citizen comments plus UIT-VSFC dev if present."""
    texts = [t for t, _ in read_labelled(DOMAIN_TRAIN) + read_labelled(DOMAIN_TEST)]
    dev = default_data_dir() / UIT_DEV
    if dev.exists():
        texts += [t for t, _ in read_labelled(dev)]
    return texts


def _tag_many_rate(texts: list[str], repeat: int) -> tuple[float, float]:
    """Comments per second of ``tag_many()`` (wall clock, and per second of this process's CPU
    time, which a machine busy with other work disturbs less), the n-gram cache cleared before
    each pass."""
    elapsed = cpu = 0.0
    for _ in range(repeat):
        clear_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        tag_many(texts)
        elapsed += time.perf_counter() - t0
        cpu += time.process_time() - c0
    return repeat * len(texts) / elapsed, repeat * len(texts) / cpu


def _split_rate(texts: list[str], repeat: int) -> float:
    """Comments per second of a bare loop splitting each comment into words."""
    t0 = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            text.split()
    return repeat * len(texts) / (time.perf_counter() - t0)


def _other_checkout(root: Path, repeat: int) -> dict:
    """Run ``root``'s own benchmark (same data, same repeats) and return its JSON line."""
    env = {**os.environ, "SENTIMENT_DATA_DIR": str(default_data_dir())}
    script = root / "bench" / "bench_sentiment.py"
    out = subprocess.run(
        [sys.executable, str(script), "--repeat", str(repeat)],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    """Run the benchmark and print the table and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the corpus")
    parser.add_argument(
        "--against", type=Path, help="another checkout whose bench/bench_sentiment.py to time too"
    )
    args = parser.parse_args()

    from underthesea import word_tokenize

    rss_start = _rss_mb()
    started = time.perf_counter()
    get_model()
    load_seconds = time.perf_counter() - started
    texts = comments()
    for text in texts[:50]:
        tag(text)
        word_tokenize(text)

    clear_cache()
    latencies = []
    for text in texts:
        t0 = time.perf_counter()
        tag(text)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]

    tag_rate, tag_cpu_rate = _tag_many_rate(texts, args.repeat)
    if args.against:
        other = _other_checkout(args.against, args.repeat)
        again, again_cpu = _tag_many_rate(texts, args.repeat)
        tag_rate, tag_cpu_rate = (tag_rate + again) / 2, (tag_cpu_rate + again_cpu) / 2

    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            word_tokenize(text)
    tokenize_rate = args.repeat * len(texts) / (time.perf_counter() - t0)
    split_rate = _split_rate(texts, 50 * args.repeat)

    result = {
        "comments": len(texts),
        "mean_chars": round(statistics.mean(len(t) for t in texts), 1),
        "model_load_s": round(load_seconds, 3),
        "tag_p50_ms": round(p50, 3),
        "tag_p95_ms": round(p95, 3),
        "tag_many_per_s": round(tag_rate),
        "tag_many_per_cpu_s": round(tag_cpu_rate),
        "word_tokenize_per_s": round(tokenize_rate),
        "ratio_tag_to_word_tokenize": round(tag_rate / tokenize_rate, 3),
        "split_loop_per_s": round(split_rate),
        "ratio_tag_to_split_per_mille": round(1000 * tag_rate / split_rate, 2),
        "rss_start_mb": round(rss_start, 1),
        "rss_peak_mb": round(_rss_mb(), 1),
    }
    if args.against:
        result["against_tag_many_per_s"] = other["tag_many_per_s"]
        result["ratio_to_against"] = round(tag_rate / other["tag_many_per_s"], 3)
        if "tag_many_per_cpu_s" in other:
            result["against_tag_many_per_cpu_s"] = other["tag_many_per_cpu_s"]
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
