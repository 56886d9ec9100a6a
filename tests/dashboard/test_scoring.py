"""Satisfaction indices against values computed by hand."""

from __future__ import annotations

import pytest

from feedback.scoring import (
    Tally,
    change,
    criterion_index,
    indices,
    wilson_interval,
)


def test_tally_counts_mean_and_share():
    tally = Tally.of([5, 4, 4, 2, 1])
    assert tally.counts == (1, 1, 0, 2, 1)
    assert (tally.n, tally.total, tally.satisfied) == (5, 16, 3)
    assert Tally.of([5]) + Tally.of([1, 1]) == Tally((2, 0, 0, 0, 1))
    with pytest.raises(ValueError):
        Tally.of([6])


def test_wilson_interval_matches_published_values():
    # 3 of 5: Wilson 95 % interval 0.2307–0.8824 (e.g. Newcombe 1998, table I method 3).
    interval = wilson_interval(3, 5)
    assert interval.low == pytest.approx(0.2307, abs=1e-4)
    assert interval.high == pytest.approx(0.8824, abs=1e-4)
    assert wilson_interval(0, 10).low == 0.0
    assert wilson_interval(0, 10).high == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10).low == pytest.approx(0.7225, abs=1e-4)
    assert wilson_interval(10, 10).high == 1.0
    assert wilson_interval(0, 0) is None


def test_index_below_the_minimum_has_no_number_to_rank_by():
    tally = Tally.of([5, 4, 4, 2, 1])
    shown = criterion_index("overall", tally, min_responses=5)
    assert shown.enough and shown.mean == pytest.approx(3.2) and shown.share == pytest.approx(0.6)
    assert shown.interval.low == pytest.approx(0.2307, abs=1e-4)
    hidden = criterion_index("overall", tally, min_responses=6)
    assert not hidden.enough and hidden.n == 5
    assert (hidden.mean, hidden.share, hidden.interval) == (None, None, None)
    assert not criterion_index("overall", Tally(), min_responses=0).enough


def test_change_against_the_previous_period():
    now = criterion_index("overall", Tally.of([5, 4, 4, 2, 1]), 3)
    before = criterion_index("overall", Tally.of([5, 5, 4, 3]), 3)
    delta = change(now, before)
    assert delta.mean == pytest.approx(3.2 - 4.25)
    assert delta.share == pytest.approx(0.6 - 0.75)
    too_few = criterion_index("overall", Tally.of([5]), 3)
    assert change(now, too_few).mean is None and change(too_few, now).share is None


def test_indices_follow_the_codes_and_count_missing_ones_as_zero():
    result = indices({"staff": Tally.of([4, 4])}, ["overall", "staff"], 1)
    assert [(i.code, i.n, i.share) for i in result] == [("overall", 0, None), ("staff", 2, 1.0)]
