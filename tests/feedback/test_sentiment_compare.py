"""The baselines used in docs/SENTIMENT.md run and the table renders."""

from feedback.sentiment.compare import (
    cross_validated,
    markdown,
    sklearn_words_classifier,
    underthesea_core_classifier,
)

ROWS = [
    ("cán bộ nhiệt tình, chu đáo", "positive"),
    ("thủ tục nhanh gọn, rất hài lòng", "positive"),
    ("chờ quá lâu, rất bức xúc", "negative"),
    ("thái độ cán bộ tệ, quát dân", "negative"),
    ("tôi đến làm căn cước", "neutral"),
    ("nộp hồ sơ khai sinh cho con", "neutral"),
]


def test_baselines_fit_and_predict_known_labels():
    for build in (underthesea_core_classifier, sklearn_words_classifier):
        predicted = build(ROWS)([text for text, _ in ROWS])
        assert len(predicted) == len(ROWS)
        assert set(predicted) <= {"positive", "neutral", "negative"}


def test_markdown_table():
    scores = {"accuracy": 0.9, "macro_f1": 0.8}
    row = {"approach": "x", "train_s": 3, "cv": {"accuracy": 0.85, "macro_f1": 0.75},
           "uit_dev": scores, "uit_dev_no_diacritics": scores, "service_centre_test": scores}
    table = markdown([row]).splitlines()
    assert table[0].startswith("| approach | 5-fold CV on train |")
    assert table[2] == (
        "| x | 0.8500 / 0.7500 | 0.9000 / 0.8000 | 0.9000 / 0.8000 | 0.9000 / 0.8000 | 3 |")


def test_cross_validation_predicts_every_row_from_a_model_that_did_not_see_it():
    sizes = []

    def build(rows):
        sizes.append(len(rows))
        known = dict(rows)  # a model that only remembers its training rows
        return lambda texts: [known.get(text, "neutral") for text in texts]

    result = cross_validated(build, ROWS, folds=2, repeats=1)
    assert sizes == [3, 3] and result["n"] == len(ROWS)
    # only the two neutral rows come out right: no row was labelled by a model that saw it
    assert result["accuracy"] == round(2 / 6, 4)


def test_near_duplicates_are_never_split_between_training_and_held_out_folds():
    twins = [
        ("giảng viên dạy rất hay và nhiệt tình .", "positive"),
        ("Giảng viên dạy rất hay và rất nhiệt tình!", "positive"),
    ]
    rows = ROWS + twins
    seen_apart = []

    def build(train):
        texts = {text for text, _ in train}
        return lambda held: [
            seen_apart.append((twins[0][0] in texts) != (twins[1][0] in texts)) or "positive"
            for _ in held
        ]

    cross_validated(build, rows, folds=2, repeats=2)
    assert seen_apart and not any(seen_apart)
