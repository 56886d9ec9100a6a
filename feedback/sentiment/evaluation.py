"""Scoring predicted labels against gold labels: per-class P/R/F1, accuracy, macro-F1."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from feedback.sentiment.dataio import LABELS


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one label, and how many gold rows carry it."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """The outcome of an evaluation."""

    per_class: dict[str, ClassScore]
    accuracy: float
    macro_f1: float
    n: int

    def summary(self) -> dict[str, float | int]:
        """The headline figures as a JSON-ready dict."""
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "n": self.n,
            **{f"f1_{label}": round(s.f1, 4) for label, s in self.per_class.items()},
        }

    def table(self) -> str:
        """A plain-text per-class table followed by accuracy and macro-F1."""
        lines = [f"{'label':<10} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}"]
        for label, s in self.per_class.items():
            lines.append(
                f"{label:<10} {s.precision:>9.4f} {s.recall:>7.4f} {s.f1:>7.4f} {s.support:>8}"
            )
        lines.append(f"{'accuracy':<10} {self.accuracy:>25.4f} {self.n:>8}")
        lines.append(f"{'macro avg':<10} {self.macro_f1:>25.4f} {self.n:>8}")
        return "\n".join(lines)

    def json_line(self) -> str:
        """The summary as one compact JSON line."""
        return json.dumps(self.summary(), ensure_ascii=False, sort_keys=True)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def score(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS) -> Report:
    """Compare two equally long label sequences; F1 of a label with no hits is 0."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    per_class = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        n_pred = sum(1 for p in predicted if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision, recall = _ratio(tp, n_pred), _ratio(tp, n_gold)
        f1 = _ratio(2 * tp, n_pred + n_gold)
        per_class[label] = ClassScore(precision, recall, f1, n_gold)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    macro = sum(s.f1 for s in per_class.values()) / len(per_class)
    return Report(per_class, _ratio(correct, len(gold)), macro, len(gold))


def score_topics(
    gold: Sequence[set[str]], predicted: Sequence[set[str]]
) -> dict[str, float | int]:
    """Micro-averaged precision, recall and F1 of multi-label topic sets."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    pairs = list(zip(gold, predicted, strict=True))
    tp = sum(len(g & p) for g, p in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    n_gold = sum(len(g) for g, _ in pairs)
    return {
        "topics_precision": round(_ratio(tp, n_pred), 4),
        "topics_recall": round(_ratio(tp, n_gold), 4),
        "topics_micro_f1": round(_ratio(2 * tp, n_pred + n_gold), 4),
        "topics_exact_match": round(_ratio(sum(g == p for g, p in pairs), len(pairs)), 4),
    }


def score_annotations(
    records: Sequence[dict[str, str]], taggings: Sequence[Any]
) -> dict[str, float | int]:
    """Score topics and integrity alerts when the records carry ``topics`` / ``integrity``.

    ``topics`` holds comma-separated codes, ``integrity`` is ``0`` or ``1``; each tagging
    needs ``topics`` and ``integrity_alert`` attributes (a :class:`~feedback.sentiment.Tagging`).
    """
    summary: dict[str, float | int] = {}
    if records and "topics" in records[0]:
        gold = [{code for code in r["topics"].split(",") if code} for r in records]
        summary.update(score_topics(gold, [set(t.topics) for t in taggings]))
    if records and "integrity" in records[0]:
        pairs = zip(records, taggings, strict=True)
        hits = sum((r["integrity"] == "1") == t.integrity_alert for r, t in pairs)
        summary["integrity_accuracy"] = round(_ratio(hits, len(records)), 4)
    return summary


def evaluate(
    rows: Sequence[tuple[str, str]],
    classify: Callable[[Sequence[str]], list[str]] | None = None,
) -> Report:
    """Label every ``(text, gold_label)`` row and score the result.

    ``classify`` maps texts to labels; by default it is the shipped model's :func:`tag_many`.
    """
    if classify is None:
        from feedback.sentiment import tag_many

        def classify(texts: Sequence[str]) -> list[str]:
            return [t.label for t in tag_many(texts)]

    texts = [text for text, _ in rows]
    return score([label for _, label in rows], classify(texts))
