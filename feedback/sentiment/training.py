"""Training the sentiment model (scikit-learn is needed here only, not at inference).

Recipe: every training comment is normalised, and a diacritic-free copy of it is added with
the same label, so that "can bo nhiet tinh" is classified like "cán bộ nhiệt tình". Each
feature block gets its own sublinear TF-IDF; on top, NB-SVM (one class against the rest, on
features scaled by their log-count ratios) plus half a plain linear SVM on the syllable and
shape blocks — the sum is one linear layer, so inference costs what it did. Out-of-fold
scores from a repeated stratified k-fold on the training rows, with near-duplicate comments
kept in one fold, choose the SVM's C (from a short grid, by macro-F1), the neutral offset and
the softmax temperature, so the development split is only ever used for reporting.

Two artifacts can be trained: the **research** one (UIT-VSFC train, research-use data, plus our
service-centre comments) and the **own** one (our service-centre comments, and reviewed labels
if asked, only), which a public deployment may use without the corpus's terms.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from feedback.sentiment import calibration
from feedback.sentiment.dataio import (
    DOMAIN_TEST,
    DOMAIN_TRAIN,
    LABELS,
    UIT_DEV,
    UIT_TRAIN,
    VLSP_TRAIN,
    default_data_dir,
    read_labelled,
)
from feedback.sentiment.evaluation import Report, score
from feedback.sentiment.features import FeatureConfig, extract
from feedback.sentiment.grouping import near_duplicate_groups
from feedback.sentiment.model import Block, LinearModel
from feedback.sentiment.normalize import fold, normalize
from feedback.sentiment.version import MODEL_VERSION

BLOCKS = ("m", "s", "p", "c", "x")
#: The blocks of the plain SVM added to NB-SVM (see :func:`_fit_raw`).
VIEW = ("m", "s", "x")


@dataclass(frozen=True)
class Settings:
    """Hyper-parameters of one training run (chosen by CV on UIT-VSFC train; see docs)."""

    c: float = 0.25
    #: Values of C compared by cross-validation; empty: use ``c`` as it is.
    c_grid: tuple[float, ...] = ()
    class_weight: str | None = None
    #: ``nbsvm`` (NB-SVM plus a plain SVM on the syllable blocks) or ``svm`` (one linear SVM).
    learner: str = "nbsvm"
    #: Weight of the plain SVM's scores added to NB-SVM's (``nbsvm`` only).
    view_weight: float = 0.5
    domain_weight: float = 2.0
    cv_folds: int = 5
    #: Cross-validations with differently shuffled folds; figures are their mean.
    cv_repeats: int = 2
    fold_copies: bool = True
    seed: int = 0


def _identity(features: list[str]) -> list[str]:
    return features


def featurize(text: str, config: FeatureConfig) -> dict[str, list[str]]:
    """Normalise and extract the features of one raw comment."""
    return extract(normalize(text), config)


@dataclass(frozen=True)
class Example:
    """A training row, featurised: the comment itself first, then its diacritic-free copy."""

    variants: tuple[dict[str, list[str]], ...]
    label: str
    weight: float


def prepare(
    rows: Sequence[tuple[str, str, float]], config: FeatureConfig, fold_copies: bool = True
) -> list[Example]:
    """Featurise ``(text, label, weight)`` rows once, adding diacritic-free copies."""
    examples = []
    for text, label, weight in rows:
        texts = [text]
        if fold_copies and fold(text) != text:
            texts.append(fold(text))
        examples.append(Example(tuple(featurize(t, config) for t in texts), label, weight))
    return examples


def _columns(sizes: list[tuple[str, int]], names: Sequence[str]) -> np.ndarray:
    """Column indices of the blocks ``names`` in a matrix of blocks of the given sizes."""
    columns, start = [], 0
    for block, size in sizes:
        if block in names:
            columns.extend(range(start, start + size))
        start += size
    return np.array(columns, dtype=np.int64)


def _sample_weights(
    labels: np.ndarray, weights: np.ndarray, class_weight: str | None
) -> np.ndarray:
    """Row weights times the class weight of each row's label (``balanced``: rarer, heavier)."""
    if class_weight != "balanced":
        return weights
    classes, counts = np.unique(labels, return_counts=True)
    per_class = dict(zip(classes, len(labels) / (len(classes) * counts), strict=True))
    return weights * np.array([per_class[label] for label in labels])


def _nbsvm(
    matrix: Any, labels: np.ndarray, weights: np.ndarray, classes: tuple[str, ...], c: float
) -> tuple[np.ndarray, np.ndarray]:
    """NB-SVM (Wang and Manning 2012), one class against the rest: each feature is scaled by
    its log-count ratio, log(share of the class's rows that have it / share of the other rows'),
    before a binary linear SVM. The scaling is folded into the coefficients it returns, so the
    model still multiplies plain TF-IDF values."""
    from sklearn.svm import LinearSVC

    present = matrix.copy()
    present.data[:] = 1.0
    coef = np.zeros((len(classes), matrix.shape[1]))
    intercept = np.zeros(len(classes))
    for k, label in enumerate(classes):
        inside = labels == label
        p = 1.0 + np.asarray(present[inside].sum(axis=0)).ravel()
        q = 1.0 + np.asarray(present[~inside].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=c, random_state=0)
        svm.fit(matrix.multiply(ratio).tocsr(), inside.astype(int), sample_weight=weights)
        coef[k], intercept[k] = svm.coef_[0] * ratio, svm.intercept_[0]
    return coef, intercept


def _fit_raw(
    examples: Sequence[Example], settings: Settings
) -> tuple[list[Block], np.ndarray, tuple[str, ...]]:
    """Fit the vectorisers and the learner; return blocks, intercepts and label order.

    ``svm``: one class-against-the-rest linear SVM. ``nbsvm``: NB-SVM on every block plus
    ``view_weight`` times a plain linear SVM on the syllable and shape blocks (``VIEW``); both
    are linear in the same TF-IDF values, so their sum is one linear layer.
    """
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    docs = [doc for e in examples for doc in e.variants]
    labels = np.array([e.label for e in examples for _ in e.variants])
    weights = np.array([e.weight for e in examples for _ in e.variants])
    names = [b for b in BLOCKS if any(d.get(b) for d in docs)]
    vectorizers = {b: TfidfVectorizer(analyzer=_identity, sublinear_tf=True) for b in names}
    matrix = hstack([vectorizers[b].fit_transform([d[b] for d in docs]) for b in names]).tocsr()
    sizes = [(b, len(vectorizers[b].vocabulary_)) for b in names]
    classes = tuple(str(c) for c in np.unique(labels))
    if settings.learner == "nbsvm":
        row_weights = _sample_weights(labels, weights, settings.class_weight)
        coef, intercept = _nbsvm(matrix, labels, row_weights, classes, settings.c)
        view = _columns(sizes, VIEW)
        if settings.view_weight and len(classes) > 2 and view.size:
            svm = LinearSVC(C=settings.c, class_weight=settings.class_weight, random_state=0)
            svm.fit(matrix[:, view], labels, sample_weight=weights)
            coef[:, view] += settings.view_weight * svm.coef_
            intercept = intercept + settings.view_weight * svm.intercept_
    else:
        svm = LinearSVC(C=settings.c, class_weight=settings.class_weight, random_state=0)
        svm.fit(matrix, labels, sample_weight=weights)
        coef, intercept = svm.coef_, svm.intercept_
        if len(classes) == 2:
            coef, intercept = np.vstack([-coef, coef]), np.array([-intercept[0], intercept[0]])
    blocks, start = [], 0
    for name, size in sizes:
        vectorizer = vectorizers[name]
        blocks.append(
            Block(
                name=name,
                vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
                idf=np.asarray(vectorizer.idf_, dtype=np.float64),
                weights=np.ascontiguousarray(coef[:, start : start + size].T),
            )
        )
        start += size
    return blocks, np.asarray(intercept, dtype=np.float64), classes


def _model(
    blocks: list[Block],
    intercept: np.ndarray,
    classes: tuple[str, ...],
    config: FeatureConfig,
    version: str,
    temperature: float = 1.0,
    meta: dict[str, Any] | None = None,
) -> LinearModel:
    return LinearModel(
        version=version,
        labels=classes,
        blocks=tuple(blocks),
        intercept=intercept,
        temperature=temperature,
        config=config,
        meta=meta or {},
    )


def out_of_fold_scores(
    examples: Sequence[Example], groups: np.ndarray, settings: Settings, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Decision scores of every example from a model that saw neither it nor any of its near
    duplicates (stratified group k-fold, shuffled by ``seed``), and each example's fold."""
    from sklearn.model_selection import StratifiedGroupKFold

    labels = [e.label for e in examples]
    scores = np.zeros((len(examples), len(LABELS)))
    fold_of = np.zeros(len(examples), dtype=np.int64)
    folds = StratifiedGroupKFold(settings.cv_folds, shuffle=True, random_state=seed)
    for k, (train_idx, held_idx) in enumerate(folds.split(np.zeros(len(examples)), labels, groups)):
        blocks, intercept, classes = _fit_raw([examples[i] for i in train_idx], settings)
        model = _model(blocks, intercept, classes, FeatureConfig(), "cv")
        order = [classes.index(label) for label in LABELS]
        for i in held_idx:
            scores[i] = model.scores(examples[i].variants[0])[order]
        fold_of[held_idx] = k
    return scores, fold_of


def _shifted(scores: np.ndarray, offset: float) -> np.ndarray:
    return scores + np.array([offset if label == "neutral" else 0.0 for label in LABELS])


def _cross_fitted(scores: np.ndarray, fold_of: np.ndarray, gold: list[str]) -> list[str]:
    """Labels of the out-of-fold scores, each fold shifted by the neutral offset chosen on the
    other folds, so the reported figure does not grade the offset on the rows that chose it."""
    gold_array = np.array(gold)
    predicted = np.empty(len(gold), dtype=object)
    for k in np.unique(fold_of):
        held = fold_of == k
        offset = calibration.neutral_offset(scores[~held], list(gold_array[~held]), LABELS)
        predicted[held] = [LABELS[i] for i in _shifted(scores[held], offset).argmax(axis=1)]
    return list(predicted)


def _cross_validated(
    examples: Sequence[Example], groups: np.ndarray, settings: Settings
) -> tuple[np.ndarray, list[str], float, dict[str, Any]]:
    """Run ``settings.cv_repeats`` grouped k-fold CVs; return every repeat's out-of-fold scores
    (stacked and shifted by the neutral offset they choose), their gold labels, the offset, and
    the cross-validated figures: the mean and spread over repeats of the cross-fitted labels."""
    gold = [e.label for e in examples]
    stacked, summaries = [], []
    for repeat in range(settings.cv_repeats):
        scores, fold_of = out_of_fold_scores(examples, groups, settings, settings.seed + repeat)
        stacked.append(scores)
        summaries.append(score(gold, _cross_fitted(scores, fold_of, gold)).summary())
    all_scores, all_gold = np.vstack(stacked), gold * settings.cv_repeats
    offset = calibration.neutral_offset(all_scores, all_gold, LABELS)
    cv: dict[str, Any] = {
        key: round(float(np.mean([s[key] for s in summaries])), 4)
        for key in ("accuracy", "macro_f1")
    }
    cv["macro_f1_sd"] = round(float(np.std([s["macro_f1"] for s in summaries])), 4)
    for label in LABELS:
        cv[f"f1_{label}"] = round(float(np.mean([s[f"f1_{label}"] for s in summaries])), 4)
    cv.update(n=len(examples), folds=settings.cv_folds, repeats=settings.cv_repeats)
    return _shifted(all_scores, offset), all_gold, offset, cv


def fit(
    rows: Sequence[tuple[str, str, float]],
    config: FeatureConfig | None = None,
    settings: Settings | None = None,
    version: str = MODEL_VERSION,
) -> LinearModel:
    """Train a model on ``(text, label, weight)`` rows, calibrated by k-fold CV if enabled.

    With ``settings.c_grid``, each C is cross-validated on the same grouped folds and the one
    with the best macro-F1 is kept (the smaller C if tied); ``meta["selection"]`` lists them all.
    """
    config = config or FeatureConfig()
    settings = settings or Settings()
    examples = prepare(rows, config, settings.fold_copies)
    offset, temp = 0.0, 1.0
    meta: dict[str, Any] = {}
    if settings.cv_folds >= 2:
        groups = near_duplicate_groups([normalize(text) for text, _, _ in rows])
        candidates = [replace(settings, c=c) for c in sorted(settings.c_grid)] or [settings]
        runs = [(s, *_cross_validated(examples, groups, s)) for s in candidates]
        if len(runs) > 1:
            meta["selection"] = [{"c": s.c, **cv} for s, *_, cv in runs]
        settings, shifted, gold, offset, meta["cv"] = max(
            runs, key=lambda run: run[4]["macro_f1"]
        )
        temp = calibration.temperature(shifted, gold, LABELS)
    blocks, intercept, classes = _fit_raw(examples, settings)
    if "neutral" in classes:
        intercept[classes.index("neutral")] += offset
    meta.update({"neutral_offset": offset, "settings": asdict(settings)})
    return _model(blocks, intercept, classes, config, version, temp, meta)


def classify(model: LinearModel, texts: Sequence[str]) -> list[str]:
    """The most likely label of each raw text under ``model`` (no topics, no confidence)."""
    return [
        model.labels[int(model.scores(featurize(text, model.config)).argmax())] for text in texts
    ]


def _report(model: LinearModel, rows: Sequence[tuple[str, str]]) -> Report:
    return score([label for _, label in rows], classify(model, [text for text, _ in rows]))


def train(
    out_dir: Path,
    data_dir: Path | None = None,
    *,
    domain_train: Path = DOMAIN_TRAIN,
    domain_test: Path | None = DOMAIN_TEST,
    use_vlsp: bool = False,
    own_only: bool = False,
    reviewed: Sequence[tuple[str, str]] = (),
    settings: Settings | None = None,
    version: str = MODEL_VERSION,
) -> dict[str, Any]:
    """Rebuild the artifact in ``out_dir`` from UIT-VSFC train (+ VLSP 2016 if asked; neither
    with ``own_only``), our service-centre comments and ``reviewed`` (comment, label) pairs
    corrected by leaders; return the cross-validated figures and metrics on UIT-VSFC dev, its
    diacritic-free copy and the held-back service-centre test file."""
    settings = settings or Settings()
    data_dir = data_dir or default_data_dir()
    rows: list[tuple[str, str, float]] = []
    if not own_only:
        rows += [(t, lab, 1.0) for t, lab in read_labelled(data_dir / UIT_TRAIN)]
        if use_vlsp:
            rows += [(t, lab, 1.0) for t, lab in read_labelled(data_dir / VLSP_TRAIN)]
    rows += [(t, lab, settings.domain_weight) for t, lab in read_labelled(domain_train)]
    rows += [(t, lab, settings.domain_weight) for t, lab in reviewed]
    model = fit(rows, settings=settings, version=version)
    metrics: dict[str, Any] = {
        "n_train": len(rows),
        "n_reviewed": len(reviewed),
        "cv": model.meta.get("cv"),
        "selection": model.meta.get("selection"),
    }
    dev = read_labelled(data_dir / UIT_DEV) if (data_dir / UIT_DEV).exists() else []
    if dev:
        metrics["uit_dev"] = _report(model, dev).summary()
        metrics["uit_dev_no_diacritics"] = _report(model, [(fold(t), g) for t, g in dev]).summary()
    if domain_test is not None and domain_test.exists():
        metrics["service_centre_test"] = _report(model, read_labelled(domain_test)).summary()
    model.meta["metrics"] = metrics
    model.meta["use_vlsp"] = use_vlsp
    model.meta["own_only"] = own_only
    path = model.save(out_dir)
    metrics["artifact"] = str(path)
    metrics["artifact_bytes"] = path.stat().st_size + path.with_suffix(".json").stat().st_size
    return metrics
