"""Topic codes and the integrity alert."""

import pytest

from feedback.sentiment.normalize import normalize
from feedback.sentiment.topics import TOPICS, detect_topics, integrity_alert, is_plain


def topics(text: str) -> set[str]:
    return set(detect_topics(normalize(text), is_plain(text)))


def alert(text: str) -> bool:
    return integrity_alert(normalize(text), is_plain(text))


def test_topic_codes_are_stable():
    assert TOPICS == (
        "staff_attitude",
        "waiting_time",
        "procedures",
        "result_timeliness",
        "facilities",
        "online_system",
        "fees",
        "suggestion",
        "question",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cán bộ thái độ hách dịch", {"staff_attitude"}),
        ("Phải xếp hàng chờ 2 tiếng", {"waiting_time"}),
        ("Thủ tục rườm rà, giấy tờ nhiều", {"procedures"}),
        ("Trả kết quả trễ hẹn", {"result_timeliness"}),
        ("Nhà vệ sinh bẩn, thiếu ghế", {"facilities"}),
        ("Cổng dịch vụ công bị lỗi", {"online_system"}),
        ("Lệ phí cao", {"fees"}),
        ("Tôi đến hỏi thăm", set()),
    ],
)
def test_each_topic(text, expected):
    assert topics(text) == expected


def test_several_topics_without_diacritics_and_with_teencode():
    found = topics("nv nhiet tinh nhung cho lau qua, nop online bi loi, le phi cao")
    assert found == {"staff_attitude", "waiting_time", "online_system", "fees"}


def test_ambiguous_folded_syllable_is_not_a_topic():
    # "cho" (give) must not be read as "chờ" (wait) in a comment typed with diacritics
    assert "waiting_time" not in topics("Cảm ơn, cho 5 sao")


def test_longest_keyword_wins():
    assert topics("Phòng chờ sạch sẽ") == {"facilities"}


@pytest.mark.parametrize(
    "text",
    [
        "Cán bộ nhũng nhiễu dân",
        "doi tien moi lam",
        "PHONG BÌ mới xong việc",
        "vòi  tiền",
        "phong-bi",
        "Cán bộ VÒI VĨNH",
        "bị gây khó dễ",
        "phải đưa tiền cà phê",
        "có tiêu cực",
        "Cán bộ nói không đưa phong bì thì không làm",
        "phải bồi dưỡng mới nhanh",
        "nv vòi tien",
        "nv doi 200k moi nhan",
        "phải chi thêm 300 nghìn mới xong",
        "cán bộ bảo phải có 500 nghìn mới làm nhanh được",
        "1tr thi moi lam",
        "đưa 500k cho chị ấy, chẳng có biên lai gì",  # a denied receipt legitimises nothing
        "phải có phong bao cho anh ở quầy",
        "ra tết phải lì xì cán bộ thì hồ sơ mới chạy",
    ],
)
def test_integrity_alert_in_any_spelling(text):
    assert alert(text)


@pytest.mark.parametrize(
    "text",
    [
        "Không có tiêu cực",
        "không hề có chuyện nhũng nhiễu",
        "Minh bạch, không phải lót tay như trước",
        "Cán bộ nhiệt tình, thủ tục nhanh",
        "Tôi nộp lệ phí 100 nghìn có biên lai",
        "Có mỗi tờ giấy mà chờ lâu",  # folded "co moi" is not "cò mồi": the marks disagree
        "Tôi đưa tiền lệ phí cho cán bộ thu, có biên lai",
        "Lệ phí 200 nghìn mỗi bộ hồ sơ",  # "mỗi" (each), not "mới" (only then)
        "Nộp 50 nghìn mới được nhận kết quả, có biên lai đầy đủ",
    ],
)
def test_no_integrity_alert_for_praise_or_ordinary_comments(text):
    assert not alert(text)
