"""The rules that overrule the model: integrity is negative, sarcasm is negative, "không hài
lòng" said outright is negative, and a plain suggestion or question is neutral (see
feedback/sentiment/rules.py)."""

from pathlib import Path

import pytest

from feedback.sentiment import tag, tag_many
from feedback.sentiment.dataio import read_columns
from feedback.sentiment.normalize import normalize
from feedback.sentiment.rules import says_dissatisfied

DATA = read_columns(Path(__file__).parent / "data" / "integrity_comments.tsv")
INTEGRITY = [row["text"] for row in DATA if row["integrity"] == "1"]
BENIGN = [row["text"] for row in DATA if row["integrity"] == "0"]


def test_the_data_file_is_large_enough():
    assert len(INTEGRITY) >= 30 and len(BENIGN) >= 20


@pytest.mark.parametrize("text", INTEGRITY)
def test_integrity_comment_alerts_and_is_negative(text):
    result = tag(text)
    assert result.integrity_alert
    assert result.label == "negative"
    assert result.confidence == 1.0  # decided by the alert: never shown as uncertain


@pytest.mark.parametrize("text", BENIGN)
def test_legitimate_fee_comment_raises_no_alert(text):
    assert not tag(text).integrity_alert


def test_an_alert_is_never_shown_with_another_label():
    # whatever the model thinks of the wording, the alert decides the label
    for result in tag_many(INTEGRITY + ["Cán bộ rất nhiệt tình, vui vẻ nhận phong bì của dân"]):
        assert result.label == "negative"


SUGGESTIONS = [
    "Nên có thêm bảng hướng dẫn bằng tiếng Anh.",
    "Đề nghị trung tâm bố trí thêm quầy vào giờ cao điểm.",
    "Góp ý: nên có chỗ gửi xe cho người khuyết tật.",
    "Mong trung tâm lắp thêm máy lấy số ở tầng 2.",
    "nen co them wifi cho nguoi dan cho",
    "Kiến nghị mở thêm buổi làm việc sáng thứ Bảy.",
    "Hy vọng sau này có thể nộp hồ sơ đất hoàn toàn trực tuyến.",
]
QUESTIONS = [
    "Cho hỏi thủ tục đăng ký tạm trú cần mang theo giấy tờ gì?",
    "Xin hỏi làm lại căn cước thì nộp ở đâu ạ?",
    "cho em hoi dang ky ket hon can nhung gi a",
    "Cho tôi hỏi cấp đổi giấy phép lái xe mất mấy ngày?",
    "Tôi muốn biết lệ phí chứng thực chữ ký là bao nhiêu ạ?",
]


@pytest.mark.parametrize(("text", "topic"), [(text, "suggestion") for text in SUGGESTIONS]
                         + [(text, "question") for text in QUESTIONS])
def test_plain_suggestion_or_question_is_neutral_and_tagged(text, topic):
    result = tag(text)
    assert topic in result.topics
    assert result.label == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "Nên bớt thái độ cáu gắt với người già.",
        "Đề nghị xem lại, chờ 3 tiếng quá lâu.",
        "Cho hỏi sao cán bộ ở quầy 3 cáu gắt với dân vậy?",
        "Mong cán bộ đừng hách dịch như vậy nữa.",
    ],
)
def test_suggestion_or_question_that_complains_stays_negative(text):
    assert tag(text).label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Tuyệt vời thật, đi ba lần vẫn chưa xong một tờ giấy.",
        "Nhanh thật đấy, có mỗi tờ xác nhận cư trú mà hẹn hai tuần.",
        "Giỏi ghê, hồ sơ bị trả về lần thứ tư rồi.",
        "chuyen nghiep that, nop 3 lan van chua duoc",
        "Hiệu quả quá cơ, chờ cả buổi mới tới lượt.",
        "Tốt thật, lại phải quay lại bổ sung giấy tờ lần nữa.",
        "tuyet voi that, ko biet di bao nhieu lan roi van chua xong",
    ],
)
def test_sarcastic_praise_is_negative(text):
    assert tag(text).label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Nhanh thật, chỉ 15 phút là xong.",
        "Tuyệt vời, cán bộ hướng dẫn tận tình, một lần là xong.",
        "Cán bộ nhiệt tình thật, giải thích cho tôi rất kỹ.",
        # repeated by the officer, not a burden on the citizen
        "Cán bộ nhiệt tình thật, giải thích cho tôi nhiều lần đến khi hiểu.",
    ],
)
def test_sincere_praise_stays_positive(text):
    assert tag(text).label == "positive"


@pytest.mark.parametrize("text", [
    "Tôi không hài lòng.", "toi khong hai long", "Chưa thật sự hài lòng với cách giải quyết",
    "ko hài lòng về thái độ",
])
def test_dissatisfaction_said_outright_is_negative(text):
    assert tag(text).label == "negative"


@pytest.mark.parametrize("text", ["Rất hài lòng.", "Không có gì phải phàn nàn, rất hài lòng."])
def test_satisfaction_said_outright_is_not_read_as_its_negation(text):
    assert tag(text).label == "positive"


@pytest.mark.parametrize(("text", "plain"), [("Không có gì để không hài lòng.", False),
                                             ("khong co dieu nao khong hai long", True)])
def test_denied_dissatisfaction_is_not_dissatisfaction(text, plain):
    assert not says_dissatisfied(normalize(text), plain_input=plain)


def test_corpus_convention_keeps_suggestions_negative():
    text = "Nên có thêm bảng hướng dẫn bằng tiếng Anh."
    assert tag(text, suggestions_neutral=False).label == "negative"
    assert tag_many([text], suggestions_neutral=False)[0].label == "negative"
