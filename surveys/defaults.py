"""The default questionnaire (SIPAS groups), the 5-point scale and the common procedure areas."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask_babel import lazy_gettext as _l

from core.i18n import name_of
from surveys.scale import SCALE

#: The 5-point scale: value, face and label (Rất không hài lòng … Rất hài lòng).
RATING_SCALE = tuple(zip(SCALE, ("😠", "🙁", "😐", "🙂", "😄"), (
    _l("Very dissatisfied"), _l("Dissatisfied"), _l("Neutral"), _l("Satisfied"),
    _l("Very satisfied")), strict=True))

#: The question every channel asks and the only one required.
OVERALL_CODE = "overall"
#: A dossier code (mã hồ sơ) as one-stop systems print it: letters, digits, . _ / -
DOSSIER_CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,39}$"

#: "Lý do không hài lòng": the checklist asked when the overall answer is 1–3 (code, label).
DISSATISFACTION_REASONS = (
    ("waiting", _l("Waited too long")),
    ("attitude", _l("Staff attitude or guidance")),
    ("documents", _l("Asked for documents beyond the rules")),
    ("fees", _l("Fees or costs beyond the rules")),
    ("late", _l("Result late")),
    ("other", _l("Other")),
)

#: Version of the consent text shown next to the contact fields.
CONSENT_VERSION = "2026-02"


@dataclass(frozen=True)
class QuestionSpec:
    """What a question of a new survey version asks."""

    code: str
    criterion: str
    prompt_vi: str
    prompt_en: str
    required: bool = True


DEFAULT_QUESTIONS = (
    QuestionSpec("overall", "overall",
                 "Nhìn chung, Ông/Bà hài lòng với sự phục vụ hôm nay ở mức nào?",
                 "Overall, how satisfied are you with the service today?"),
    QuestionSpec("access", "access",
                 "Tiếp cận dịch vụ: chỉ dẫn, chỗ ngồi, trang thiết bị tại Trung tâm",
                 "Access: signs, seating and equipment at the centre", required=False),
    QuestionSpec("procedure", "procedure",
                 "Thủ tục hành chính: rõ ràng, đơn giản, đúng quy định",
                 "The procedure: clear, simple and as published", required=False),
    QuestionSpec("staff", "staff",
                 "Thái độ và sự hướng dẫn của công chức tiếp nhận",
                 "The civil servant's attitude and guidance", required=False),
    QuestionSpec("result", "result",
                 "Thời gian hẹn trả kết quả: hợp lý, đúng quy định",
                 "The date set for your result: reasonable and as the rules say",
                 required=False),
)

#: What each default question's criterion is called on dashboards, HR pages and exports (one
#: name everywhere, close to the question's own wording).
CRITERION_NAMES = {
    "overall": _l("Overall"),
    "access": _l("Access and facilities"),
    "procedure": _l("Procedure"),
    "staff": _l("Attitude and guidance"),
    "result": _l("Timeliness and result"),
}

#: The criterion's name (its code when it is not one of the default questions').
criterion_name = partial(name_of, CRITERION_NAMES)


#: Common procedure areas (lĩnh vực) at a commune-level centre: code, Vietnamese, English.
PROCEDURE_AREAS = (
    ("ho-tich", "Hộ tịch", "Civil status"),
    ("chung-thuc", "Chứng thực", "Certification"),
    ("dat-dai", "Đất đai", "Land"),
    ("dang-ky-kinh-doanh", "Đăng ký kinh doanh", "Business registration"),
    ("xay-dung", "Xây dựng", "Construction"),
    ("bao-tro-xa-hoi", "Bảo trợ xã hội", "Social protection"),
    ("cu-tru", "Cư trú", "Residence"),
)
