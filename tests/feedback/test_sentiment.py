"""Behaviour of the shipped tagger that a reader of the inbox would notice."""

import threading

import pytest

from feedback.sentiment import LABELS, MODEL_VERSION, TOPICS, Tagging, model_version, tag, tag_many
from feedback.sentiment.loader import get_model


@pytest.mark.parametrize(
    "text",
    [
        "Cán bộ rất nhiệt tình, hướng dẫn tận tình, tôi rất hài lòng.",
        "can bo rat nhiet tinh, huong dan tan tinh, toi rat hai long",
        "nv dễ thương, thủ tục nhanh gọn, ok lắm 👍",
        "Trả kết quả đúng hẹn, cảm ơn trung tâm :)",
        "Nhân viên nhiệt tình",
    ],
)
def test_clearly_positive_comments(text):
    assert tag(text).label == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Thái độ cán bộ rất tệ, chờ cả buổi sáng mà không ai giải quyết.",
        "thai do can bo rat te, cho ca buoi sang ma khong ai giai quyet",
        "nv ko nhiệt tình, hỏi mãi k trả lời 😡",
        "chờ lâu quáaaa, mệt mỏi",
        "Nhân viên không nhiệt tình",
        "nhân viên chưa nhiệt tình",
        "Không hài lòng.",
    ],
)
def test_clearly_negative_comments(text):
    assert tag(text).label == "negative"


def test_negation_flips_the_label():
    assert tag("nhân viên nhiệt tình").label == "positive"
    assert tag("nhân viên không nhiệt tình").label == "negative"
    assert tag("nhan vien khong nhiet tinh").label == "negative"


def test_negated_complaint_is_not_negative():
    assert tag("Cán bộ không hề chậm, làm rất nhanh").label != "negative"
    assert tag("Không phải chờ lâu").label != "negative"


def test_diacritic_free_text_gets_the_same_label_as_accented_text():
    pairs = [
        ("Cán bộ nhiệt tình, chu đáo", "can bo nhiet tinh, chu dao"),
        ("Chờ đợi quá lâu, rất bức xúc", "cho doi qua lau, rat buc xuc"),
    ]
    for accented, plain in pairs:
        assert tag(accented).label == tag(plain).label


def test_emoji_carry_sentiment():
    assert tag("👍👍👍").label == "positive"
    assert tag("😡😡").label == "negative"


def test_factual_statement_is_neutral():
    assert tag("Tôi đến nộp hồ sơ đăng ký khai sinh cho con.").label == "neutral"


def test_empty_comment_is_neutral():
    result = tag("   ")
    assert (result.label, result.topics, result.integrity_alert) == ("neutral", (), False)


def test_tagging_fields_and_confidence_range():
    texts = ["Tốt", "Tệ quá", "Tôi làm hộ chiếu", "ok", "🙏", "!!!", "x" * 2000]
    for result in tag_many(texts):
        assert isinstance(result, Tagging)
        assert result.label in LABELS
        assert 0.0 <= result.confidence <= 1.0
        assert set(result.topics) <= set(TOPICS)
        assert result.model_version == MODEL_VERSION == model_version()


def test_confidence_is_higher_for_a_clear_comment_than_for_a_vague_one():
    clear = tag("Cán bộ rất nhiệt tình, chu đáo, tôi vô cùng hài lòng")
    vague = tag("cũng được")
    assert clear.confidence > vague.confidence
    assert clear.confidence > 0.9


def test_tag_many_matches_tag():
    texts = ["Cán bộ nhiệt tình", "chờ lâu quá", "Tôi đến lấy kết quả"]
    assert tag_many(texts) == [tag(t) for t in texts]


def test_several_topics_in_one_comment():
    result = tag("Cán bộ nhiệt tình nhưng chờ lâu, nộp phí online thì trang web bị lỗi")
    assert {"staff_attitude", "waiting_time", "fees", "online_system"} <= set(result.topics)


def test_integrity_alert_on_the_tagging():
    assert tag("cán bộ đòi phong bì mới làm").integrity_alert
    assert not tag("cán bộ nhiệt tình").integrity_alert


def test_model_is_loaded_once_even_from_threads():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(get_model())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(model is get_model() for model in seen)
    assert get_model().version == MODEL_VERSION
