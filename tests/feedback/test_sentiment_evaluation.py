"""Evaluation numbers on a tiny set computed by hand."""

import json

import pytest

from feedback.sentiment.evaluation import evaluate, score

GOLD = ["positive", "positive", "negative", "neutral"]
PRED = ["positive", "negative", "negative", "positive"]


def test_score_matches_hand_computed_figures():
    report = score(GOLD, PRED)
    # positive: tp 1 of 2 predicted, 2 gold; negative: tp 1 of 2 predicted, 1 gold; neutral: 0
    assert report.per_class["positive"].precision == pytest.approx(0.5)
    assert report.per_class["positive"].recall == pytest.approx(0.5)
    assert report.per_class["negative"].precision == pytest.approx(0.5)
    assert report.per_class["negative"].recall == pytest.approx(1.0)
    assert report.per_class["negative"].f1 == pytest.approx(2 / 3)
    assert report.per_class["neutral"].f1 == 0.0
    assert report.per_class["neutral"].support == 1
    assert report.accuracy == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.0) / 3)
    assert report.n == 4


def test_perfect_predictions():
    report = score(GOLD, GOLD)
    assert report.accuracy == report.macro_f1 == 1.0


def test_evaluate_uses_the_given_classifier_and_reports_json():
    rows = list(zip(["a", "b", "c", "d"], GOLD, strict=True))
    report = evaluate(rows, classify=lambda texts: PRED[: len(texts)])
    assert report.accuracy == pytest.approx(0.5)
    summary = json.loads(report.json_line())
    assert summary["n"] == 4 and summary["macro_f1"] == pytest.approx(0.3889, abs=1e-4)
    assert report.table().splitlines()[0].split() == [
        "label", "precision", "recall", "f1", "support"
    ]


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        score(GOLD, PRED[:2])
