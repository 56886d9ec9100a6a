"""Side-by-side comparison of approaches on the same data (``flask sentiment compare``).

Every approach trains on UIT-VSFC train plus the service-centre training comments and is
scored on UIT-VSFC dev, its diacritic-free copy and the held-back service-centre test file:

* ``underthesea_core``: its Rust ``TextClassifier`` (TF-IDF + linear SVM) with its own
  ``TextPreprocessor`` (teen-code, negation marking) over ``word_tokenize`` output;
* ``sklearn-words``: scikit-learn TF-IDF word 1-2-grams over ``word_tokenize`` + LinearSVC;
* ``this package`` as shipped, and two ablations: without the diacritic-free copies, and with
  VLSP 2016 added to the training data.

Each approach is also cross-validated on the training rows with near-duplicates kept in one
fold (stratified group 5-fold, seeds 0 and 1, see ``grouping``): the baselines by refitting on
each fold, this package by the same folds its training already runs for choosing C and
calibrating (see ``training.fit``).
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from feedback.sentiment.dataio import (
    DOMAIN_TEST,
    DOMAIN_TRAIN,
    UIT_DEV,
    UIT_TRAIN,
    VLSP_TRAIN,
    read_labelled,
)
from feedback.sentiment.evaluation import score
from feedback.sentiment.grouping import near_duplicate_groups
from feedback.sentiment.normalize import fold, normalize
from feedback.sentiment.training import Settings, classify, fit

Rows = list[tuple[str, str]]
Classifier = Callable[[Sequence[str]], list[str]]


def _segmented(texts: Sequence[str]) -> list[str]:
    from underthesea import word_tokenize

    return [word_tokenize(t, format="text") for t in texts]


def underthesea_core_classifier(rows: Rows) -> Classifier:
    """underthesea_core's TextClassifier with its default TextPreprocessor."""
    from underthesea_core import TextClassifier, TextPreprocessor

    model = TextClassifier(
        max_features=200000, ngram_range=(1, 2), c=1.0, preprocessor=TextPreprocessor()
    )
    model.fit(_segmented([t for t, _ in rows]), [label for _, label in rows])
    return lambda texts: list(model.predict_batch(_segmented(texts)))


def sklearn_words_classifier(rows: Rows) -> Classifier:
    """A plain scikit-learn baseline: word 1-2-gram TF-IDF and a class-balanced LinearSVC."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    pipeline = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LinearSVC(class_weight="balanced")
    )
    pipeline.fit(_segmented([t for t, _ in rows]), [label for _, label in rows])
    return lambda texts: [str(p) for p in pipeline.predict(_segmented(texts))]


def package_classifier(
    rows: Rows, settings: Settings, weights: list[float]
) -> tuple[Classifier, dict[str, Any]]:
    """This package's recipe (normalisation, four feature blocks, SVM, CV selection and
    calibration), and the cross-validated figures its training computed."""
    model = fit([(t, lab, w) for (t, lab), w in zip(rows, weights, strict=True)], None, settings)
    return (lambda texts: classify(model, texts)), model.meta["cv"]


def cross_validated(
    build: Callable[[Rows], Classifier], rows: Rows, folds: int = 5, repeats: int = 2
) -> dict[str, Any]:
    """Mean accuracy and macro-F1 of out-of-fold predictions over ``repeats`` stratified group
    k-fold runs on ``rows`` (near-duplicates in one fold)."""
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    gold = [label for _, label in rows]
    groups = near_duplicate_groups([normalize(text) for text, _ in rows])
    summaries = []
    for seed in range(repeats):
        predicted = [""] * len(rows)
        splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
        for train_idx, held_idx in splitter.split(np.zeros(len(rows)), gold, groups):
            labels = build([rows[i] for i in train_idx])([rows[i][0] for i in held_idx])
            for i, label in zip(held_idx, labels, strict=True):
                predicted[i] = label
        summaries.append(score(gold, predicted).summary())
    return {key: round(float(np.mean([s[key] for s in summaries])), 4) for key in summaries[0]}


def compare(data_dir: Path) -> list[dict[str, Any]]:
    """Train every approach and return one result row per approach."""
    uit = read_labelled(data_dir / UIT_TRAIN)
    domain = read_labelled(DOMAIN_TRAIN)
    vlsp = read_labelled(data_dir / VLSP_TRAIN)
    dev = read_labelled(data_dir / UIT_DEV)
    test = read_labelled(DOMAIN_TEST)
    evaluations = {
        "uit_dev": dev,
        "uit_dev_no_diacritics": [(fold(t), g) for t, g in dev],
        "service_centre_test": test,
    }
    base = uit + domain
    base_weights = [1.0] * len(uit) + [Settings().domain_weight] * len(domain)
    settings = Settings()

    def baseline(build: Callable[[Rows], Classifier]) -> tuple[Classifier, dict[str, Any]]:
        return build(base), cross_validated(build, base)

    approaches: list[tuple[str, Callable[[], tuple[Classifier, dict[str, Any]]]]] = [
        ("underthesea_core TextClassifier", lambda: baseline(underthesea_core_classifier)),
        ("sklearn TF-IDF words + LinearSVC", lambda: baseline(sklearn_words_classifier)),
        (
            "this package (shipped recipe)",
            lambda: package_classifier(base, settings, base_weights),
        ),
        (
            "this package, no diacritic-free copies",
            lambda: package_classifier(base, replace(settings, fold_copies=False), base_weights),
        ),
        (
            "this package + VLSP 2016",
            lambda: package_classifier(
                base + vlsp, settings, base_weights + [1.0] * len(vlsp)
            ),
        ),
    ]
    results = []
    for name, build in approaches:
        started = time.perf_counter()
        classify, cv = build()
        row: dict[str, Any] = {"approach": name, "train_s": round(time.perf_counter() - started)}
        row["cv"] = {"accuracy": cv["accuracy"], "macro_f1": cv["macro_f1"]}
        for key, rows in evaluations.items():
            report = score([g for _, g in rows], classify([t for t, _ in rows]))
            row[key] = {
                "accuracy": round(report.accuracy, 4),
                "macro_f1": round(report.macro_f1, 4),
            }
        results.append(row)
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    """The comparison as a Markdown table (accuracy / macro-F1 per evaluation set)."""
    header = (
        "| approach | 5-fold CV on train | UIT dev | UIT dev, no diacritics "
        "| service-centre test | train s |"
    )
    lines = [header, "| --- | --- | --- | --- | --- | ---: |"]
    for row in results:
        cells = [
            f"{row[k]['accuracy']:.4f} / {row[k]['macro_f1']:.4f}"
            for k in ("cv", "uit_dev", "uit_dev_no_diacritics", "service_centre_test")
        ]
        lines.append(f"| {row['approach']} | {' | '.join(cells)} | {row['train_s']} |")
    return "\n".join(lines)
