"""Near-duplicate groups of training comments, so cross-validation never splits a group.

UIT-VSFC has many sentences that differ by a word or a punctuation mark ("thầy dạy hay ." /
"thầy dạy rất hay ."). When one copy is in the training folds and another is held out, the
held-out score measures memory, not generalisation. Two comments are in the same group when
the sets of their diacritic-free syllables (punctuation dropped) have a Jaccard similarity of
at least ``threshold``; groups are the connected components of that relation.
"""

from collections.abc import Sequence

import numpy as np

from feedback.sentiment.normalize import fold


def _syllable_sets(normalized: Sequence[str]) -> list[set[str]]:
    return [{t for t in fold(text).split() if t[0].isalnum()} for text in normalized]


def near_duplicate_groups(normalized: Sequence[str], threshold: float = 0.8) -> np.ndarray:
    """A group id per comment (normalised text); near-duplicates share one."""
    from scipy.sparse import csr_matrix

    sets = _syllable_sets(normalized)
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    pointers = [0]
    for syllables in sets:
        indices.extend(vocabulary.setdefault(s, len(vocabulary)) for s in syllables)
        pointers.append(len(indices))
    matrix = csr_matrix(
        (np.ones(len(indices)), indices, pointers), shape=(len(sets), max(len(vocabulary), 1))
    )
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    shared = (matrix @ matrix.T).tocoo()
    upper = shared.row < shared.col
    rows, cols, common = shared.row[upper], shared.col[upper], shared.data[upper]
    similar = common >= threshold * (sizes[rows] + sizes[cols] - common) - 1e-9
    parent = list(range(len(sets)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(rows[similar], cols[similar], strict=True):
        parent[root(int(i))] = root(int(j))
    # A group is numbered by its first comment, so the folds do not depend on the (hash-seeded)
    # order in which set members were numbered.
    first: dict[int, int] = {}
    return np.array([first.setdefault(root(i), i) for i in range(len(sets))])
