"""From a score to one of the four grades of Law 80/2025/QH15 Art. 26, by configurable rules.

The law grades civil servants on a 100-point total (Decree 335/2025/NĐ-CP: 30 general + 70
task-result points) of which citizens' satisfaction is only one input, and the grade is decided
by the head of the unit. The shipped thresholds below are therefore an EXAMPLE to adapt, not
law: set HR_GRADING_RULES to a JSON or TOML file of your own::

    [[versions]]
    effective_from = "2026-01-01"
    label = "Quy chế đánh giá của phường, 2026"
    example = false
    [versions.bands]          # lowest score (0–100) of each grade
    excellent = 95
    good = 90
    completed = 70            # below: not_completed

A period is graded by the version in force on its first day (the latest `effective_from` on
or before it); reports name the version they used.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from feedback.hr.rule_files import RuleFileError, read_mapping
from feedback.periods import Period


class Grade(enum.StrEnum):
    """The four grades, best first."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


GRADE_LABELS = {
    Grade.EXCELLENT: _l("Excellently completed tasks"),
    Grade.GOOD: _l("Completed tasks well"),
    Grade.COMPLETED: _l("Completed tasks"),
    Grade.NOT_COMPLETED: _l("Did not complete tasks"),
}

#: The official Vietnamese names (Law 80/2025/QH15 Art. 26), used in exports in any language.
GRADE_NAMES_VI = {
    Grade.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Grade.GOOD: "Hoàn thành tốt nhiệm vụ",
    Grade.COMPLETED: "Hoàn thành nhiệm vụ",
    Grade.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}

_BANDED = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED)


@dataclass(frozen=True)
class RuleVersion:
    """Thresholds in force from a day on: the lowest score of each grade but the last."""

    effective_from: date
    label: str
    #: Lowest score for excellent, good and completed, in that (strictly decreasing) order.
    minimums: tuple[float, float, float]
    example: bool

    def grade(self, score: float) -> Grade:
        """The grade of a score (0–100)."""
        for grade, minimum in zip(_BANDED, self.minimums, strict=True):
            if score >= minimum:
                return grade
        return Grade.NOT_COMPLETED


#: The shipped example (labelled as such everywhere it is shown).
EXAMPLE = RuleVersion(date(2020, 1, 1), "Ví dụ / Example (HR_GRADING_RULES not set)",
                      (95.0, 90.0, 70.0), True)


@dataclass(frozen=True)
class GradingRules:
    """Rule versions, oldest first, and where they were read from."""

    versions: tuple[RuleVersion, ...]
    source: str

    def in_force(self, period: Period) -> RuleVersion | None:
        """The version in force on the period's first day (None: none yet)."""
        found = None
        for version in self.versions:
            if version.effective_from <= period.start:
                found = version
        return found


def _version(raw: object, index: int) -> RuleVersion:
    where = f"versions[{index}]"
    if not isinstance(raw, dict):
        raise RuleFileError(f"{where} must be a table/object")
    try:
        effective = raw["effective_from"]
        effective = effective if isinstance(effective, date) else date.fromisoformat(effective)
    except (KeyError, TypeError, ValueError) as error:
        raise RuleFileError(f"{where}.effective_from must be a date (YYYY-MM-DD)") from error
    bands = raw.get("bands")
    if not isinstance(bands, dict) or set(bands) - set(Grade):
        raise RuleFileError(f"{where}.bands must map {', '.join(g.value for g in _BANDED)} "
                            "to lowest scores")
    try:
        minimums = tuple(float(bands[grade.value]) for grade in _BANDED)
    except (KeyError, TypeError, ValueError) as error:
        raise RuleFileError(f"{where}.bands needs a number for each of "
                            f"{', '.join(g.value for g in _BANDED)}") from error
    if not (100 >= minimums[0] > minimums[1] > minimums[2] >= 0):
        raise RuleFileError(f"{where}.bands must decrease strictly within 0–100")
    return RuleVersion(effective, str(raw.get("label") or effective.isoformat()), minimums,
                       bool(raw.get("example", False)))


def parse_grading_rules(data: dict, source: str) -> GradingRules:
    """Rules from a mapping with a non-empty `versions` list."""
    raw_versions = data.get("versions")
    if not isinstance(raw_versions, list) or not raw_versions:
        raise RuleFileError("versions must be a non-empty list")
    versions = sorted((_version(raw, i) for i, raw in enumerate(raw_versions)),
                      key=lambda v: v.effective_from)
    days = [v.effective_from for v in versions]
    if len(set(days)) != len(days):
        raise RuleFileError("two versions take effect on the same day")
    return GradingRules(tuple(versions), source)


def load_grading_rules(path: str | None) -> GradingRules:
    """The rules of the file at `path`, or the shipped example when no path is set."""
    if not path:
        return GradingRules((EXAMPLE,), "example")
    return parse_grading_rules(read_mapping(path), str(path))
