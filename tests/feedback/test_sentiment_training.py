"""Training on a handful of rows, the artifact round trip and parity with scikit-learn."""

import json

import numpy as np
import pytest

from feedback.sentiment.features import FeatureConfig
from feedback.sentiment.model import load
from feedback.sentiment.training import BLOCKS, VIEW, Settings, fit, prepare, train

ROWS = [
    ("cán bộ nhiệt tình, chu đáo", "positive"),
    ("thủ tục nhanh gọn, rất hài lòng", "positive"),
    ("nhân viên vui vẻ, hướng dẫn tận tình", "positive"),
    ("kết quả trả đúng hẹn, tốt", "positive"),
    ("phòng chờ sạch sẽ, thoáng mát", "positive"),
    ("chờ quá lâu, rất bức xúc", "negative"),
    ("thái độ cán bộ tệ, quát dân", "negative"),
    ("hồ sơ bị trả lại nhiều lần, mệt mỏi", "negative"),
    ("trang web lỗi, không nộp được", "negative"),
    ("nhà vệ sinh bẩn, thiếu ghế", "negative"),
    ("tôi đến làm căn cước", "neutral"),
    ("nộp hồ sơ khai sinh cho con", "neutral"),
    ("hôm nay tôi đến lấy kết quả", "neutral"),
    ("đăng ký kết hôn", "neutral"),
]
WEIGHTED = [(text, label, 1.0) for text, label in ROWS]


@pytest.fixture(scope="module")
def tiny_model():
    return fit(WEIGHTED, settings=Settings(cv_folds=2), version="test-1")


def test_fit_learns_the_training_rows(tiny_model):
    for text, label in ROWS:
        features = prepare([(text, label, 1.0)], tiny_model.config)[0].variants[0]
        assert tiny_model.labels[int(tiny_model.scores(features).argmax())] == label
    assert tiny_model.temperature > 0
    assert "cv" in tiny_model.meta


def test_artifact_round_trip_without_pickle(tiny_model, tmp_path):
    path = tiny_model.save(tmp_path)
    assert path.name == "sentiment-test-1.npz"
    with np.load(path, allow_pickle=False) as arrays:
        assert {f"vocab_{b}" for b in BLOCKS} <= set(arrays.files)
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["version"] == "test-1" and meta["labels"] == list(tiny_model.labels)
    loaded = load(path)
    features = prepare([("cán bộ nhiệt tình lắm", "positive", 1.0)], loaded.config)[0].variants[0]
    np.testing.assert_allclose(loaded.scores(features), tiny_model.scores(features), atol=1e-5)
    assert loaded.temperature == pytest.approx(tiny_model.temperature)


def _sklearn_matrices(settings):
    """The training matrix of ``settings`` built with scikit-learn, and a function that turns
    one new comment into a row of it."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    examples = prepare(WEIGHTED, FeatureConfig(), fold_copies=False)
    docs = [e.variants[0] for e in examples]
    vectorizers = {b: TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True) for b in BLOCKS}
    matrix = hstack([vectorizers[b].fit_transform([d[b] for d in docs]) for b in BLOCKS]).tocsr()

    def row(text):
        doc = prepare([(text, "positive", 1.0)], FeatureConfig())[0].variants[0]
        return hstack([vectorizers[b].transform([doc[b]]) for b in BLOCKS]).tocsr()

    sizes = [len(vectorizers[b].vocabulary_) for b in BLOCKS]
    return matrix, np.array([e.label for e in examples]), row, sizes


def test_svm_inference_matches_scikit_learn():
    from sklearn.svm import LinearSVC

    settings = Settings(cv_folds=0, fold_copies=False, learner="svm")
    model = fit(WEIGHTED, settings=settings)
    matrix, labels, row, _ = _sklearn_matrices(settings)
    svm = LinearSVC(C=settings.c, random_state=0).fit(matrix, labels)
    text = "chờ lâu nhưng cán bộ nhiệt tình"
    expected = svm.decision_function(row(text))[0]
    doc = prepare([(text, "positive", 1.0)], FeatureConfig())[0].variants[0]
    order = [model.labels.index(str(c)) for c in svm.classes_]
    np.testing.assert_allclose(model.scores(doc)[order], expected, atol=1e-5)


def test_nbsvm_inference_matches_scikit_learn():
    """NB-SVM per class on log-count-ratio scaled features, plus half a plain SVM on the
    syllable and shape blocks, recomputed here from scikit-learn's parts."""
    from sklearn.svm import LinearSVC

    settings = Settings(cv_folds=0, fold_copies=False)
    model = fit(WEIGHTED, settings=settings)
    matrix, labels, row, sizes = _sklearn_matrices(settings)
    text = "chờ lâu nhưng cán bộ nhiệt tình"
    new = row(text)
    present = (matrix > 0).astype(float)
    expected = []
    for label in model.labels:
        inside = labels == label
        p = 1 + np.asarray(present[inside].sum(axis=0)).ravel()
        q = 1 + np.asarray(present[~inside].sum(axis=0)).ravel()
        ratio = np.log(p / p.sum() / (q / q.sum()))
        svm = LinearSVC(C=settings.c, random_state=0).fit(matrix.multiply(ratio).tocsr(), inside)
        expected.append(svm.decision_function(new.multiply(ratio).tocsr())[0])
    starts = np.cumsum([0, *sizes])
    view = np.concatenate(
        [np.arange(starts[i], starts[i + 1]) for i, b in enumerate(BLOCKS) if b in VIEW]
    )
    plain = LinearSVC(C=settings.c, random_state=0).fit(matrix[:, view], labels)
    order = [list(plain.classes_).index(label) for label in model.labels]
    expected = np.array(expected) + settings.view_weight * plain.decision_function(
        new[:, view]
    )[0][order]
    doc = prepare([(text, "positive", 1.0)], FeatureConfig())[0].variants[0]
    np.testing.assert_allclose(model.scores(doc), expected, atol=1e-5)


def _write_tsv(path, rows):
    lines = ["text\tlabel"] + [f"{text}\t{label}" for text, label in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_train_writes_an_artifact_and_reports_metrics(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _write_tsv(data / "uit_vsfc_train.tsv", ROWS)
    _write_tsv(data / "uit_vsfc_dev.tsv", ROWS[::2])
    domain = tmp_path / "domain.tsv"
    _write_tsv(domain, ROWS[1::2])
    metrics = train(
        tmp_path / "out",
        data,
        domain_train=domain,
        domain_test=domain,
        settings=Settings(cv_folds=2),
        version="tiny",
    )
    assert (tmp_path / "out" / "sentiment-tiny.npz").exists()
    assert metrics["n_train"] == len(ROWS) + len(ROWS[1::2])
    for key in ("uit_dev", "uit_dev_no_diacritics", "service_centre_test"):
        assert 0.0 <= metrics[key]["accuracy"] <= 1.0
    assert metrics["uit_dev"]["accuracy"] > 0.8


def test_c_is_chosen_by_cross_validation_and_every_candidate_is_reported():
    model = fit(WEIGHTED, settings=Settings(cv_folds=2, c_grid=(0.05, 1.0)), version="grid")
    selection = model.meta["selection"]
    assert [row["c"] for row in selection] == [0.05, 1.0]
    best = max(selection, key=lambda row: row["macro_f1"])
    assert model.meta["settings"]["c"] == best["c"]
    assert model.meta["cv"]["macro_f1"] == best["macro_f1"]


def test_own_model_trains_without_the_research_corpus(tmp_path):
    domain = tmp_path / "domain.tsv"
    _write_tsv(domain, ROWS)
    metrics = train(
        tmp_path / "out",
        tmp_path / "no-corpus-here",
        domain_train=domain,
        domain_test=None,
        own_only=True,
        reviewed=[("cán bộ cáu gắt", "negative")],
        settings=Settings(cv_folds=2),
        version="own-test",
    )
    assert metrics["n_train"] == len(ROWS) + 1 and metrics["n_reviewed"] == 1
    meta = json.loads((tmp_path / "out" / "sentiment-own-test.json").read_text(encoding="utf-8"))
    assert meta["own_only"] is True
