"""The three Decision 766 ratios and their points, checked against cases computed by hand."""

from __future__ import annotations

import pytest

from feedback.standards.decision766 import (
    ComplaintFacts,
    RatioCode,
    Scheme,
    VisitFacts,
    below_target,
    complaint_handling_satisfied,
    complaints_on_time,
    dossier_satisfied,
    points,
    ratios,
)

#: 10 complaints: 7 on time (2 of them rated dissatisfied), 3 late (1 also rated dissatisfied).
COMPLAINTS = ([ComplaintFacts(late=False)] * 5 + [ComplaintFacts(False, True)] * 2
              + [ComplaintFacts(True)] * 2 + [ComplaintFacts(True, True)])
#: 40 visits: 31 fine, 6 rated dissatisfied, 2 complained about, 1 both.
VISITS = ([VisitFacts(False)] * 31 + [VisitFacts(True)] * 6 + [VisitFacts(False, True)] * 2
          + [VisitFacts(True, True)])


def test_complaints_on_time_counts_late_ones_out():
    ratio = complaints_on_time(COMPLAINTS)
    assert (ratio.numerator, ratio.denominator, ratio.value) == (7, 10, 0.7)


def test_a_complaint_both_late_and_rated_dissatisfied_is_taken_off_once():
    ratio = complaint_handling_satisfied(COMPLAINTS)
    # 10 − (2 dissatisfied on time + 3 late) = 5
    assert (ratio.numerator, ratio.denominator) == (5, 10)


def test_dossier_ratio_takes_off_dissatisfied_and_complained_visits_once():
    ratio = dossier_satisfied(VISITS)
    assert (ratio.numerator, ratio.denominator, ratio.value) == (31, 40, 0.775)


def test_nothing_to_count_gives_no_ratio_and_no_points():
    ratio = complaints_on_time([])
    assert ratio.value is None and points(ratio, Scheme()) is None
    assert not below_target(ratio, 0.9)


def test_ratios_come_in_the_order_of_the_decision():
    assert [r.code for r in ratios(COMPLAINTS, VISITS)] == list(RatioCode)


@pytest.mark.parametrize(("share", "expected"), [
    (1.0, 6.0), (0.9, 6.0), (0.95, 6.0),
    (0.775, 0.775 * 6 / 0.9),   # below 90 %: ratio × max ÷ 90 %
    (0.0, 0.0),
])
def test_points_are_full_from_ninety_percent_and_proportional_below(share, expected):
    visits = [VisitFacts(False)] * round(share * 200) + [VisitFacts(True)] * round(
        (1 - share) * 200)
    assert points(dossier_satisfied(visits), Scheme()) == pytest.approx(expected)


def test_a_province_can_weigh_the_ratios_differently():
    scheme = Scheme(points={RatioCode.COMPLAINTS_ON_TIME: 8,
                            RatioCode.COMPLAINT_HANDLING_SATISFIED: 4,
                            RatioCode.DOSSIER_SATISFIED: 6}, full_from=0.95)
    assert scheme.max_points == 18
    assert points(complaints_on_time(COMPLAINTS), scheme) == pytest.approx(0.7 * 8 / 0.95)


def test_targets_are_checked_per_ratio():
    on_time = complaints_on_time(COMPLAINTS)
    assert below_target(on_time, 0.9) and not below_target(on_time, 0.7)


@pytest.mark.parametrize("bad", [
    {"full_from": 0}, {"full_from": 1.5}, {"targets": (0.9, 95)},
    {"points": {RatioCode.COMPLAINTS_ON_TIME: 6}},
    {"points": dict.fromkeys(RatioCode, -1)},
])
def test_a_scheme_that_makes_no_sense_is_refused(bad):
    with pytest.raises(ValueError):
        Scheme(**bad)
