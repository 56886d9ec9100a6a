"""Evaluation profiles: the shipped NĐ 335 and Hải Phòng QĐ 212/2025 profiles with worked
examples written out, the three levels of Decision 766, the "excellent" cap, and profile files."""

from __future__ import annotations

import json

import pytest

from feedback.hr.grades import Grade
from feedback.hr.profiles import (
    Cap,
    CapBase,
    CapBreach,
    Level3,
    ProfileChoice,
    load_profile,
    parse_by_unit,
    shipped_keys,
)
from feedback.hr.rule_files import RuleFileError
from feedback.periods import parse_period
from feedback.scoring import Tally

Q4 = parse_period("2026-Q4")


def test_both_profiles_are_shipped_and_name_their_row_and_sources():
    assert shipped_keys() == ["haiphong-212-2025", "nd335"]
    nd335 = load_profile("nd335").in_force(Q4)
    assert nd335.criterion_row.vi == "Thái độ phục vụ nhân dân, doanh nghiệp"
    assert nd335.block.vi == "Nhóm tiêu chí chung (30 điểm)" and nd335.max_points == 5
    hp = load_profile("haiphong-212-2025").in_force(Q4)
    assert hp.criterion_row.vi == "Thái độ phục vụ người dân, doanh nghiệp" and hp.max_points == 4
    for version in (nd335, hp):
        # What the research could not verify is said to be set by the unit.
        assert any(not s.verified and "Ví dụ của phần mềm" == s.source.vi for s in version.sources)
        assert all(s.verified for s in version.sources if "NĐ 335" in s.source.vi)


def test_no_profile_before_its_first_version():
    assert load_profile("nd335").in_force(parse_period("2025-Q4")) is None
    assert load_profile("haiphong-212-2025").in_force(parse_period("2025-11")) is None
    assert load_profile("haiphong-212-2025").in_force(parse_period("2025-12")) is not None


def test_five_levels_map_to_the_three_of_decision_766():
    # Ratings 1..5 given 2, 1, 3, 16, 20 times: 20 very satisfied, 16 satisfied, 6 dissatisfied.
    tally = Tally.of([1, 1, 2, 3, 3, 3] + [4] * 16 + [5] * 20)
    assert Level3.of(tally) == Level3(20, 16, 6) and Level3.of(tally).n == 42


def test_nd335_worked_example_points_in_proportion():
    version = load_profile("nd335").in_force(Q4)
    # 36 of 40 satisfied = 90 %: 5 × 0.9 = 4.5 points.
    assert version.points(36, 40) == 4.5
    # 29 of 40 = 72.5 %: 5 × 0.725 = 3.625, rounded half up to 3.6.
    assert version.points(29, 40) == 3.6
    # 7 of 8 = 87.5 %: 5 × 0.875 = 4.375 → 4.4 (half up, not to even).
    assert version.points(7, 8) == 4.4
    assert version.points(30, 30) == 5.0 and version.points(0, 30) == 0.0
    assert version.points(0, 0) is None


def test_haiphong_worked_example_points_by_steps():
    version = load_profile("haiphong-212-2025").in_force(Q4)
    # 38 of 40 = 95 %: 4 points; 37 of 40 = 92.5 %: 3; 36 of 40 = 90 %: 3; 35 = 87.5 %: 2;
    # 32 = 80 %: 2; 31 = 77.5 %: 1; 28 = 70 %: 1; 27 = 67.5 %: 0.
    assert [version.points(k, 40) for k in (38, 37, 36, 35, 32, 31, 28, 27)] == [
        4, 3, 3, 2, 2, 1, 1, 0]


def test_nd335_cap_excellent_at_most_20_percent_of_good():
    cap = load_profile("nd335").in_force(Q4).cap
    # 5 graded good: 20 % of 5 = 1 excellent allowed.
    assert cap.check([Grade.EXCELLENT] + [Grade.GOOD] * 5 + [Grade.COMPLETED]) is None
    assert cap.check([Grade.EXCELLENT] * 2 + [Grade.GOOD] * 5) == CapBreach(2, 5, 1)
    # 4 graded good: 20 % of 4 = 0.8, so no excellent at all.
    assert cap.check([Grade.EXCELLENT] + [Grade.GOOD] * 4) == CapBreach(1, 4, 0)
    assert cap.check([Grade.GOOD] * 3 + [Grade.NOT_COMPLETED]) is None


def test_a_cap_on_all_staff_graded():
    cap = Cap(CapBase.GRADED, 0.25)
    # 8 graded: at most 2 excellent.
    assert cap.check([Grade.EXCELLENT] * 2 + [Grade.COMPLETED] * 6) is None
    assert cap.check([Grade.EXCELLENT] * 3 + [Grade.COMPLETED] * 5) == CapBreach(3, 8, 2)


def test_profile_per_unit_setting():
    assert parse_by_unit("00001=haiphong-212-2025; 00002=nd335;") == {
        "00001": "haiphong-212-2025", "00002": "nd335"}
    choice = ProfileChoice.from_config({"HR_PROFILE_BY_UNIT": "00001=haiphong-212-2025"})
    assert choice.for_unit("00001").key == "haiphong-212-2025"
    assert choice.for_unit("00009").key == "nd335"
    with pytest.raises(RuleFileError, match="CODE=profile"):
        parse_by_unit("00001")


def test_a_profile_file_of_ones_own_is_read_and_checked(tmp_path):
    own = {"key": "phuong-x", "name": "Quy chế phường X", "versions": [{
        "effective_from": "2026-07-01", "block": "Tiêu chí chung", "criterion_row": "Thái độ",
        "max_points": 3, "mapping": "bands", "bands": [[90, 3], [75, 1.5]],
        "cap": {"of": "graded", "ratio": 0.1},
        "sources": [{"claim": "Quy chế nội bộ", "source": "QĐ của phường", "verified": True}]}]}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(own), encoding="utf-8")
    version = load_profile(str(path)).in_force(Q4)
    assert (version.points(18, 20), version.points(15, 20), version.points(14, 20)) == (
        3, 1.5, 0)
    own["versions"][0]["bands"] = [[75, 1], [90, 3]]
    path.write_text(json.dumps(own), encoding="utf-8")
    with pytest.raises(RuleFileError, match="highest share down"):
        load_profile(str(path))
    own["versions"][0].pop("sources")
    own["versions"][0]["bands"] = [[90, 3]]
    path.write_text(json.dumps(own), encoding="utf-8")
    with pytest.raises(RuleFileError, match="legal source"):
        load_profile(str(path))
