"""The HR score against numbers worked out by hand (see feedback/hr/stats.py for the steps)."""

from __future__ import annotations

import pytest

from feedback.hr.stats import (
    adjusted_share,
    competition_ranks,
    expected_mean,
    mix_expected,
    shrunk,
    staff_score,
)
from feedback.scoring import Tally


def tally(satisfied: int, n: int) -> Tally:
    """n overall ratings: `satisfied` fives and the rest twos."""
    return Tally((0, n - satisfied, 0, 0, satisfied))


#: Land dossiers: 40 answers, 20 satisfied (0.5); civil status: 60 answers, 54 satisfied (0.9).
UNIT = {"land": tally(20, 40), "civil": tally(54, 60)}


def test_land_handler_is_compared_with_land_not_punished_for_it():
    # A: 30 land answers, 18 satisfied. share 0.6, expected 0.5, unit 74/100 = 0.74.
    # adjusted = 0.6 - 0.5 + 0.74 = 0.84; shrunk (w=20) = (30*0.84 + 20*0.74) / 50 = 0.80.
    a = staff_score({"land": tally(18, 30)}, UNIT, prior_weight=20)
    assert a.n == 30 and a.share == pytest.approx(0.6) and a.expected == pytest.approx(0.5)
    assert a.adjusted == pytest.approx(0.84) and a.score == pytest.approx(80.0)
    # B: 30 civil answers, 27 satisfied: 0.9, exactly the civil-status share -> unit share.
    b = staff_score({"civil": tally(27, 30)}, UNIT, prior_weight=20)
    assert b.expected == pytest.approx(0.9) and b.score == pytest.approx(74.0)
    assert a.score > b.score


def test_mixed_areas_weigh_by_the_staff_members_own_mix():
    # 10 land + 30 civil: expected = (10*0.5 + 30*0.9) / 40 = 0.8.
    assert mix_expected({"land": 10, "civil": 30}, {"land": 0.5, "civil": 0.9}) \
        == pytest.approx(0.8)
    assert mix_expected({"other": 5}, {"land": 0.5}) is None


def test_shrinkage_pulls_few_answers_toward_the_unit():
    # 10 answers all satisfied, unit 0.8, w = 20: (10 + 16) / 30 = 0.8667.
    assert shrunk(1.0, 10, 0.8, 20) == pytest.approx(26 / 30)
    # 1,000 answers barely move: (1000*1 + 20*0.8) / 1020.
    assert shrunk(1.0, 1000, 0.8, 20) == pytest.approx(1016 / 1020)
    assert shrunk(0.3, 50, 0.8, 0) == pytest.approx(0.3)


def test_single_area_score_is_the_beta_binomial_posterior_mean():
    unit = {None: tally(80, 100)}
    score = staff_score({None: tally(9, 10)}, unit, prior_weight=20)
    # (9 + 20*0.8) / (10 + 20) = 25/30
    assert score.adjusted == pytest.approx(0.9)
    assert score.score == pytest.approx(100 * 25 / 30)


def test_adjusted_share_stays_within_zero_and_one():
    assert adjusted_share(1.0, 0.5, 0.9) == 1.0
    assert adjusted_share(0.0, 0.9, 0.5) == 0.0


def test_expected_mean_uses_area_means():
    # land mean: (20*5 + 20*2)/40 = 3.5; civil: (54*5 + 6*2)/60 = 4.7. Mix 10/30 -> 4.4.
    assert expected_mean({"land": tally(5, 10), "civil": tally(25, 30)}, UNIT) \
        == pytest.approx(4.4)


def test_ranks_share_ties_and_skip_unranked():
    assert competition_ranks([80.0, 74.0, None, 80.0, 60.0]) == [1, 3, None, 1, 4]


def test_no_answers_gives_no_score():
    score = staff_score({}, UNIT, prior_weight=20)
    assert score.n == 0 and score.score is None
