"""Suspicious-response rules: each with a case it must flag and a near miss it must not."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from feedback.hr.integrity import (
    IntegrityRules,
    OpeningHours,
    ResponseRow,
    Window,
    detect,
    device_bursts,
    identical_answers,
    ip_bursts,
    is_open,
    many_counters,
    surges,
    while_closed,
)
from feedback.hr.models import FlagRule
from feedback.hr.rule_files import RuleFileError, parse_integrity_rules

#: Tuesday 2026-07-07 09:00 in Asia/Ho_Chi_Minh (02:00 UTC).
TUESDAY_9 = datetime(2026, 7, 7, 2, 0, tzinfo=UTC)
ALL_FIVE = (("access", 5), ("overall", 5), ("procedure", 5), ("result", 5), ("staff", 5))


def row(i, minutes=0.0, counter=1, device=None, ip=None, ratings=ALL_FIVE, centre=1,
        verified=False, kiosk=False, at=None):
    return ResponseRow(i, (at or TUESDAY_9) + timedelta(minutes=minutes), counter, centre,
                       device, ip, ratings, verified, kiosk)


def ids(flags):
    return sorted(flag.response_id for flag in flags)


def test_three_answers_from_one_phone_within_ten_minutes_are_a_burst():
    rows = [row(1, 0, device="d1"), row(2, 4, device="d1"), row(3, 9, device="d1"),
            row(4, 5, device="d2")]
    flags = device_bursts(rows, Window(3, 10))
    assert ids(flags) == [1, 2, 3]
    assert flags[0].rule == FlagRule.DEVICE_BURST
    assert flags[0].evidence == {"count": 3, "minutes": 10, "threshold": 3}


def test_same_phone_spread_out_or_at_other_counters_is_no_burst():
    spread = [row(1, 0, device="d1"), row(2, 6, device="d1"), row(3, 12, device="d1")]
    elsewhere = [row(4, 0, device="d2", counter=1), row(5, 1, device="d2", counter=2),
                 row(6, 2, device="d2", counter=3)]
    assert device_bursts(spread + elsewhere, Window(3, 10)) == []


def test_a_long_burst_is_one_cluster_with_its_size():
    rows = [row(i, 2 * i, device="d1") for i in range(1, 9)]
    flags = device_bursts(rows, Window(3, 10))
    assert ids(flags) == list(range(1, 9))
    assert {flag.evidence["count"] for flag in flags} == {8}


def test_verified_visits_and_kiosk_answers_are_never_burst_flagged():
    verified = [row(i, i, device="d1", verified=True) for i in range(1, 5)]
    kiosk = [row(i, i, ip="kiosk-ip", kiosk=True) for i in range(5, 20)]
    assert device_bursts(verified, Window(3, 10)) == []
    assert ip_bursts(kiosk, Window(3, 10)) == []


def test_network_burst_uses_its_own_higher_threshold():
    rows = [row(i, i, ip="wifi") for i in range(1, 8)]
    assert ip_bursts(rows, Window(8, 10)) == []
    flags = ip_bursts(rows + [row(8, 8, ip="wifi")], Window(8, 10))
    assert ids(flags) == list(range(1, 9)) and flags[0].rule == FlagRule.IP_BURST


def test_answers_outside_opening_hours_are_flagged_with_local_time():
    hours = OpeningHours()
    sunday = datetime(2026, 7, 5, 3, 0, tzinfo=UTC)          # Sunday 10:00 local
    evening = TUESDAY_9 + timedelta(hours=9, minutes=10)     # Tuesday 18:10 local
    saturday_noon = datetime(2026, 7, 11, 5, 0, tzinfo=UTC)  # Saturday 12:00 local
    rows = [row(1, at=sunday), row(2, at=evening), row(3, at=saturday_noon)]
    flags = while_closed(rows, hours, grace_minutes=30)
    assert ids(flags) == [1, 2, 3]
    assert flags[1].evidence == {"local_time": "18:10", "weekday": "tue", "grace_minutes": 30}


def test_answers_in_opening_hours_or_within_grace_are_not_flagged():
    hours = OpeningHours()
    rows = [row(1), row(2, at=TUESDAY_9 + timedelta(hours=8, minutes=50)),   # 17:50 local
            row(3, at=datetime(2026, 7, 11, 4, 0, tzinfo=UTC)),              # Sat 11:00
            row(4, at=datetime(2026, 7, 5, 3, 0, tzinfo=UTC), verified=True)]  # Sunday ticket
    assert while_closed(rows, hours, grace_minutes=30) == []


def test_a_centre_with_its_own_hours_is_judged_by_them():
    hours = OpeningHours(centres={7: {1: ((time(13, 0), time(20, 0)),)}})
    evening = TUESDAY_9 + timedelta(hours=10)  # Tuesday 19:00 local
    assert is_open(hours.week(7), evening)
    assert not is_open(hours.week(1), evening)
    assert not is_open(hours.week(7), TUESDAY_9)


def test_identical_answer_sets_in_quick_succession_from_one_network_are_flagged():
    rows = [row(i, i, device=f"d{i}", ip="centre-wifi") for i in range(1, 5)]
    flags = identical_answers(rows, Window(4, 5), min_answers=3)
    assert ids(flags) == [1, 2, 3, 4] and flags[0].rule == FlagRule.IDENTICAL
    # Many citizens on many networks giving the same (often top) answers are not a burst.
    spread = [row(i, i, device=f"d{i}", ip=f"net-{i}") for i in range(5, 9)]
    assert identical_answers(spread, Window(4, 5), min_answers=3) == []


def test_queue_ticket_answers_count_for_identical_sets_and_surges():
    visits = [row(i, i / 10, device=f"d{i}", ip="one-address", verified=True)
              for i in range(1, 6)]
    assert ids(identical_answers(visits, Window(5, 5), min_answers=3)) == [1, 2, 3, 4, 5]
    assert ids(surges(visits, 60, {1: 4})) == [1, 2, 3, 4, 5]
    assert surges(visits, 60, {1: 5}) == []


def test_different_or_slow_or_single_question_answers_are_not_identical_bursts():
    varied = [row(i, i, ratings=(("overall", 5), ("staff", 3 + i % 3), ("access", 4)))
              for i in range(1, 5)]
    slow = [row(i, 3 * i, counter=2) for i in range(5, 9)]
    kiosk_like = [row(i, i / 10, counter=3, ratings=(("overall", 5),)) for i in range(9, 20)]
    assert identical_answers(varied + slow + kiosk_like, Window(4, 5), min_answers=3) == []


def test_one_phone_rating_three_counters_in_half_an_hour_is_flagged():
    rows = [row(1, 0, counter=1, device="d1"), row(2, 10, counter=2, device="d1"),
            row(3, 25, counter=3, device="d1"), row(4, 26, counter=3, device="d2")]
    flags = many_counters(rows, Window(3, 30))
    assert ids(flags) == [1, 2, 3]
    assert flags[0].evidence["counters"] == 3


def test_one_phone_at_two_counters_or_over_a_day_is_not_flagged():
    rows = [row(1, 0, counter=1, device="d1"), row(2, 10, counter=2, device="d1"),
            row(3, 0, counter=1, device="d2"), row(4, 40, counter=2, device="d2"),
            row(5, 80, counter=3, device="d2")]
    assert many_counters(rows, Window(3, 30)) == []


def test_detect_runs_every_rule_and_a_response_can_have_several_reasons():
    rows = [row(i, i, device="d1", at=datetime(2026, 7, 5, 3, 0, tzinfo=UTC))
            for i in range(1, 4)]
    rules = {(flag.response_id, flag.rule) for flag in detect(rows, IntegrityRules())}
    assert (1, FlagRule.DEVICE_BURST) in rules and (1, FlagRule.CLOSED) in rules


def test_rule_file_overrides_thresholds_and_hours():
    rules = parse_integrity_rules({
        "device_burst": {"count": 5}, "closed": {"grace_minutes": 0},
        "opening_hours": {"default": {"sat": []}, "centres": {"3": {"sun": ["08:00-11:00"]}}},
    })
    assert rules.device_burst == Window(5, 10)
    assert rules.closed_grace_minutes == 0
    assert rules.opening_hours.default[5] == ()
    assert rules.opening_hours.week(3)[6] == ((time(8), time(11)),)
    assert rules.opening_hours.week(3)[5] == ()


@pytest.mark.parametrize("data", [
    {"device_burst": {"count": 1}},
    {"opening_hours": {"default": {"mon": ["17:00-07:00"]}}},
    {"opening_hours": {"default": {"funday": []}}},
    {"closed": {"grace_minutes": -1}},
])
def test_bad_rule_files_are_refused(data):
    with pytest.raises(RuleFileError):
        parse_integrity_rules(data)
