"""Near-duplicate groups: the cross-validation unit, so held-out scores measure generalisation."""

from feedback.sentiment.grouping import near_duplicate_groups
from feedback.sentiment.normalize import normalize


def test_sentences_differing_by_a_word_or_punctuation_share_a_group():
    texts = [
        "giảng viên dạy rất hay và nhiệt tình .",
        "Giang vien day rat hay va rat nhiet tinh!",
        "giảng viên dạy hay, nhiệt tình và vui tính",
        "phòng học nóng quá .",
        "phòng học nóng quá",
    ]
    groups = near_duplicate_groups([normalize(t) for t in texts])
    assert groups[0] == groups[1]
    assert groups[2] != groups[0]
    assert groups[3] == groups[4] != groups[0]


def test_a_group_is_numbered_by_its_first_comment():
    texts = ["phòng học nóng quá", "thầy dạy hay", "phòng học nóng quá !", "thầy dạy hay ."]
    assert near_duplicate_groups([normalize(t) for t in texts]).tolist() == [0, 1, 0, 1]
