"""Rankings of thousands of items summed and ordered as arrays.

A province's ranking of staff members sums a few thousand rollup rows into a few thousand
items and orders them; as `Tally` objects this cost 15–20 ms of a dashboard's first view. Here
the rows are summed by item and ordered with numpy, and only the rows a page shows become
`Tally` objects. The order is the one the method states: items with enough answers by share
satisfied, then mean, then number of answers, best first; the others after them by number of
answers, never ranked. Equal items keep the order of their keys, so the page and the download
list them alike on every database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.lazy import lazy
from feedback.scoring import SATISFIED_FROM, SCALE, Tally

if TYPE_CHECKING:
    from numpy import ndarray

np = lazy("numpy")


@dataclass(frozen=True)
class Ranked:
    """Items in ranked order: their keys and their counts of each rating; the first `enough`
    have enough answers to be ranked."""

    keys: ndarray
    counts: ndarray
    enough: int

    def __len__(self) -> int:
        return len(self.keys)

    def item(self, position: int) -> tuple[int, Tally]:
        """The key and tally of the item at this position (0: the best)."""
        return int(self.keys[position]), Tally(tuple(int(v) for v in self.counts[position]))


def rank(keys: Sequence[int] | ndarray, counts: Sequence[Sequence[int]] | ndarray,
         min_responses: int) -> Ranked:
    """Sum the counts of each key (a row per key and rating, rows of a key anywhere) and order
    the keys; keys without answers are left out."""
    keys = np.asarray(keys, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64).reshape(len(keys), len(SCALE))
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros((len(unique), len(SCALE)), dtype=np.int64)
    np.add.at(sums, inverse, counts)
    n = sums.sum(axis=1)
    answered = n > 0
    unique, sums, n = unique[answered], sums[answered], n[answered]
    satisfied = sums[:, SATISFIED_FROM - 1:].sum(axis=1)
    total = sums @ np.asarray(SCALE, dtype=np.int64)
    enough = n >= min_responses
    good, rest = np.flatnonzero(enough), np.flatnonzero(~enough)
    # lexsort sorts by its last key first: share, then mean, then n (all descending), then key.
    good = good[np.lexsort((unique[good], -n[good], -(total[good] / n[good]),
                            -(satisfied[good] / n[good])))]
    rest = rest[np.lexsort((unique[rest], -n[rest]))]
    order = np.concatenate((good, rest))
    return Ranked(unique[order], sums[order], len(good))
