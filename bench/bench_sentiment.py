"""Benchmark the sentiment tagger against underthesea's word_tokenize on the same comments.

Run: ``python bench/bench_sentiment.py [--repeat N]``. Reports p50/p95 latency of ``tag()`` on
single comments, throughput of ``tag_many()``, throughput of ``word_tokenize`` alone (the
preprocessing floor) and their ratio, and the peak RSS of this process with the model loaded.
Prints a table, then one JSON line. The comments are the service-centre files shipped with the
package plus UIT-VSFC dev when ``shared/data/sentiment`` is available (never copied).
"""

import argparse
import json
import resource
import statistics
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


def main() -> None:
    """Run the benchmark and print the table and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the corpus")
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

    elapsed = 0.0
    for _ in range(args.repeat):
        clear_cache()
        t0 = time.perf_counter()
        tag_many(texts)
        elapsed += time.perf_counter() - t0
    tag_rate = args.repeat * len(texts) / elapsed

    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts:
            word_tokenize(text)
    tokenize_rate = args.repeat * len(texts) / (time.perf_counter() - t0)

    result = {
        "comments": len(texts),
        "mean_chars": round(statistics.mean(len(t) for t in texts), 1),
        "model_load_s": round(load_seconds, 3),
        "tag_p50_ms": round(p50, 3),
        "tag_p95_ms": round(p95, 3),
        "tag_many_per_s": round(tag_rate),
        "word_tokenize_per_s": round(tokenize_rate),
        "ratio_tag_to_word_tokenize": round(tag_rate / tokenize_rate, 3),
        "rss_start_mb": round(rss_start, 1),
        "rss_peak_mb": round(_rss_mb(), 1),
    }
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
