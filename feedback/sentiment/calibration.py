"""Choosing the neutral-class offset and the softmax temperature from out-of-fold scores."""

import numpy as np

from feedback.sentiment.evaluation import score


def neutral_offset(
    scores: np.ndarray, gold: list[str], labels: tuple[str, ...], grid: np.ndarray | None = None
) -> float:
    """The offset added to the neutral score that maximises macro-F1 (smallest if tied).

    Neutral is the rare class (4 % of UIT-VSFC); shifting its decision score is the usual
    threshold tuning for a one-vs-rest linear model.
    """
    if grid is None:
        grid = np.round(np.arange(-0.5, 0.81, 0.05), 2)
    column = labels.index("neutral")
    best_f1, best_offset = -1.0, 0.0
    for offset in sorted(grid, key=abs):
        shifted = scores.copy()
        shifted[:, column] += offset
        predicted = [labels[i] for i in shifted.argmax(axis=1)]
        f1 = score(gold, predicted, labels).macro_f1
        if f1 > best_f1 + 1e-9:
            best_f1, best_offset = f1, float(offset)
    return best_offset


def temperature(scores: np.ndarray, gold: list[str], labels: tuple[str, ...]) -> float:
    """The softmax temperature minimising the negative log-likelihood of the gold labels."""
    index = np.array([labels.index(g) for g in gold])
    best_nll, best_t = np.inf, 1.0
    for t in np.geomspace(0.05, 5.0, 120):
        z = scores / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -log_p[np.arange(len(index)), index].mean()
        if nll < best_nll:
            best_nll, best_t = nll, float(t)
    return best_t
