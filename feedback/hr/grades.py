"""The four grades of Law 80/2025/QH15 Art. 26.

The law grades civil servants on a 100-point total (Decree 335/2025/NĐ-CP: 30 general + 70
task-result points) of which citizens' satisfaction is only one input, and the head of the unit
decides the grade. The software never derives a grade from satisfaction: a grade appears only
where a person recorded it (feedback/hr/decisions.py).
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


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
