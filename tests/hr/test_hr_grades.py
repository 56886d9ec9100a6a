"""Grades come from versioned, configurable thresholds; the shipped ones are an example."""

from __future__ import annotations

import json
from datetime import date

import pytest

from feedback.hr.grades import Grade, load_grading_rules, parse_grading_rules
from feedback.hr.rule_files import RuleFileError
from feedback.periods import parse_period


def test_shipped_rules_are_labelled_as_an_example():
    rules = load_grading_rules(None)
    version = rules.in_force(parse_period("2026-Q3"))
    assert version.example and "Example" in version.label
    assert [version.grade(s) for s in (97, 95, 94.9, 90, 70, 69.9, 0)] == [
        Grade.EXCELLENT, Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.COMPLETED,
        Grade.NOT_COMPLETED, Grade.NOT_COMPLETED]


def test_the_version_in_force_on_the_periods_first_day_applies(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[versions]]\neffective_from = 2026-07-01\nlabel = "QĐ 2026"\n'
        "[versions.bands]\nexcellent = 90\ngood = 80\ncompleted = 50\n"
        '[[versions]]\neffective_from = "2025-01-01"\nlabel = "cũ"\n'
        "[versions.bands]\nexcellent = 98\ngood = 95\ncompleted = 60\n", encoding="utf-8")
    rules = load_grading_rules(str(path))
    q2, q3 = rules.in_force(parse_period("2026-Q2")), rules.in_force(parse_period("2026-Q3"))
    assert q2.label == "cũ" and q2.grade(92) == Grade.COMPLETED
    assert q3.label == "QĐ 2026" and q3.grade(92) == Grade.EXCELLENT and not q3.example
    assert q3.effective_from == date(2026, 7, 1)
    assert rules.in_force(parse_period("2024")) is None


def test_json_rules_are_read_too(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"versions": [{"effective_from": "2026-01-01", "bands": {
        "excellent": 85, "good": 75, "completed": 55}}]}), encoding="utf-8")
    assert load_grading_rules(str(path)).versions[0].grade(80) == Grade.GOOD


@pytest.mark.parametrize("data", [
    {},
    {"versions": [{"effective_from": "2026-01-01",
                   "bands": {"excellent": 80, "good": 90, "completed": 50}}]},
    {"versions": [{"effective_from": "2026-13-01",
                   "bands": {"excellent": 95, "good": 90, "completed": 50}}]},
    {"versions": [{"effective_from": "2026-01-01", "bands": {"excellent": 95, "good": 90}}]},
    {"versions": [{"effective_from": "2026-01-01",
                   "bands": {"excellent": 195, "good": 90, "completed": 50}}]},
])
def test_bad_grading_rules_are_refused(data):
    with pytest.raises(RuleFileError):
        parse_grading_rules(data, "test")


def test_missing_rule_file_is_a_clear_error(tmp_path):
    with pytest.raises(RuleFileError, match="cannot read"):
        load_grading_rules(str(tmp_path / "nope.toml"))
