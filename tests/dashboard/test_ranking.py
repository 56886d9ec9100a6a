"""The order of a dashboard ranking, summed and sorted as arrays."""

from feedback.dashboard.ranking import rank
from feedback.scoring import Tally


def _order(items, min_responses):
    keys = [key for key, _tally in items]
    result = rank(keys, [tally.counts for _key, tally in items], min_responses)
    return [result.item(position) for position in range(len(result))], result.enough


def test_ranking_puts_items_without_enough_answers_last_and_unranked():
    good, poor, few = Tally.of([5, 5, 4]), Tally.of([1, 2, 4]), Tally.of([5, 5])
    order, enough = _order([(1, poor), (2, few), (3, good)], 3)
    assert order == [(3, good), (1, poor), (2, few)]
    assert enough == 2


def test_ranking_breaks_ties_in_share_by_mean_then_by_number_of_answers_then_by_key():
    order, enough = _order([(10, Tally.of([4] * 4)), (11, Tally.of([5] * 4)),
                            (12, Tally.of([5] * 6)), (13, Tally.of([1])),
                            (9, Tally.of([5] * 4)), (14, Tally.of([1, 1]))], 4)
    assert [key for key, _tally in order] == [12, 9, 11, 10, 14, 13]
    assert enough == 4


def test_rows_of_one_item_are_summed_wherever_they_come_and_empty_items_left_out():
    rows = [(7, (0, 0, 0, 1, 1)), (8, (0, 0, 0, 0, 3)), (7, (0, 0, 0, 0, 2)), (9, (0,) * 5)]
    order, enough = _order([(key, Tally(counts)) for key, counts in rows], 1)
    assert order == [(8, Tally((0, 0, 0, 0, 3))), (7, Tally((0, 0, 0, 1, 3)))]
    assert enough == 2


def test_an_empty_ranking_has_no_items():
    result = rank([], [], 30)
    assert (len(result), result.enough) == (0, 0)
