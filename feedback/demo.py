"""~2,000 synthetic responses over the last 90 days, stored through the same service as the form.

Each demo response has a fixed submission key, so running the seed again adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from core.db import db
from core.timeutil import LOCAL_TZ, to_local
from feedback.attribution import Shown
from feedback.dashboard.rollups import rebuild_month
from feedback.hr.queries import Spell, assignment_spells
from feedback.models import Response
from feedback.periods import month_start
from feedback.services import Submission, record_response
from surveys import services
from surveys.demo import DEMO_DAYS
from surveys.models import Counter, ProcedureArea
from surveys.scale import LOW_RATING, SATISFIED_FROM, SCALE, is_dissatisfied

POSITIVE = (
    "Cán bộ hướng dẫn rất nhiệt tình, chu đáo.",
    "Làm thủ tục nhanh gọn, chỉ mất 15 phút.",
    "Chị ở quầy 1 rất dễ thương, giải thích rõ ràng.",
    "Trung tâm sạch sẽ, có chỗ ngồi chờ mát mẻ.",
    "Nhân viên lịch sự, hỗ trợ người già tận tình.",
    "Hồ sơ được trả đúng hẹn, cảm ơn trung tâm.",
    "can bo nhiet tinh, lam nhanh",
    "Rất hài lòng, thủ tục đơn giản hơn trước nhiều.",
    "Được hướng dẫn nộp hồ sơ trực tuyến rất tận tình 👍",
    "Anh cán bộ kiên nhẫn giải thích cho tôi từng bước.",
)
NEGATIVE = (
    "Chờ quá lâu, hơn 1 tiếng mới tới lượt.",
    "Cán bộ nói chuyện cộc lốc, không hướng dẫn rõ ràng.",
    "Phải đi lại 3 lần mới xong hồ sơ đất đai.",
    "Máy lấy số bị hỏng, không biết chờ tới khi nào.",
    "Hệ thống dịch vụ công trực tuyến bị lỗi, không nộp được.",
    "ko hài lòng, nv làm việc chậm quá",
    "Thiếu chỗ ngồi, người già phải đứng chờ.",
    "Yêu cầu bổ sung giấy tờ không có trong quy định.",
    "Trả kết quả trễ hẹn một tuần mà không báo trước.",
    "Phí sao y cao hơn niêm yết.",
)
NEUTRAL = (
    "Tôi đến nộp hồ sơ khai sinh cho con.",
    "Nên có thêm bảng hướng dẫn bằng tiếng Anh.",
    "Hôm nay đông người.",
    "Tôi làm thủ tục chứng thực bản sao.",
)
INTEGRITY = (
    "Cán bộ gợi ý phải có tiền cà phê thì mới nhanh.",
    "Có người vòi tiền ngoài quy định khi nộp hồ sơ đất.",
)

DEMO_RESPONSES = 2000
DEMO_KEY_PREFIX = "demo-"


def _visit_time(rng: random.Random, day: date) -> datetime:
    """A time in office hours, busier in the morning."""
    minutes = rng.choice([rng.randint(0, 150), rng.randint(0, 570)])
    local = datetime.combine(day, time(7, 30), tzinfo=LOCAL_TZ) + timedelta(minutes=minutes)
    return local.astimezone(UTC)


def _comment(rng: random.Random, overall: int) -> str | None:
    if rng.random() > 0.4:
        return None
    if rng.random() < 0.01:
        return rng.choice(INTEGRITY)
    if overall >= SATISFIED_FROM:
        return rng.choice(POSITIVE if rng.random() < 0.85 else NEUTRAL)
    if overall <= LOW_RATING:
        return rng.choice(NEGATIVE)
    return rng.choice(NEUTRAL + NEGATIVE)


#: How often demo citizens give each reason for a "không hài lòng" answer (weights).
DEMO_REASON_WEIGHTS = {"waiting": 5, "attitude": 2, "documents": 3, "fees": 1, "late": 3,
                       "other": 1}


def _reasons(rng: random.Random, overall: int) -> frozenset[str]:
    """One or two reasons for an overall answer on the "không hài lòng" level (the form asks
    them), none otherwise."""
    if not is_dissatisfied(overall):
        return frozenset()
    codes, weights = zip(*DEMO_REASON_WEIGHTS.items(), strict=True)
    return frozenset(rng.choices(codes, weights, k=1 if rng.random() < 0.7 else 2))


def _on_duty(spells: list[Spell], at: datetime) -> Shown:
    """Who sat at the counter at `at` (as `surveys.queries.staff_on_duty` reads it: the latest
    assignment begun by then and not ended), from the counter's assignments read once."""
    covering = [spell for spell in spells
                if spell.starts_at <= at and (spell.ends_at is None or spell.ends_at > at)]
    latest = max(covering, key=lambda spell: spell.starts_at, default=None)
    return Shown(latest.staff_id if latest else None)


def seed_responses(today: datetime, count: int = DEMO_RESPONSES,
                   progress: Callable[[int], None] = lambda done: None) -> int:
    """Add the demo responses that are not stored yet; return how many were added.

    Each goes through `record_response` like a citizen's (tagging, screening, cases, alerts),
    attributed to the staff member on duty then; the rollups of the months touched are
    rebuilt once at the end. `progress` is told of every response considered.
    """
    existing = set(db.session.execute(
        select(Response.submission_key).where(Response.submission_key.like(DEMO_KEY_PREFIX + "%"))
    ).scalars())
    survey = services.ensure_default_survey()
    counters = list(db.session.execute(
        select(Counter).where(Counter.active.is_(True)).order_by(Counter.id)).scalars())
    areas = list(db.session.execute(select(ProcedureArea).order_by(ProcedureArea.id)).scalars())
    rng = random.Random(20251)
    reason_rng = random.Random(20261)  # its own stream: the other demo answers stay as they were
    quality = {c.id: rng.uniform(-0.6, 0.5) for c in counters}
    workdays = [d for d in ((today - timedelta(days=i)).date() for i in range(1, DEMO_DAYS + 1))
                if d.weekday() < 5]
    spells = assignment_spells(c.id for c in counters)
    added, months = 0, set()
    for i in range(count):
        counter = rng.choice(counters)
        at = _visit_time(rng, rng.choice(workdays))
        area = rng.choice(counter.procedure_areas or areas)
        base = 4.1 + quality[counter.id] - (0.5 if area.code == "dat-dai" else 0.0)
        ratings = {q.id: max(SCALE[0], min(SCALE[-1], round(rng.gauss(base, 0.9))))
                   for q in survey.questions}
        consent = rng.random() < 0.05
        overall = ratings[survey.questions[0].id]
        submission = Submission(
            submission_key=f"{DEMO_KEY_PREFIX}{i:05d}", ratings=ratings,
            locale="en" if rng.random() < 0.08 else "vi",
            procedure_area_id=area.id if rng.random() < 0.8 else None,
            comment=_comment(rng, overall), contact_consent=consent,
            reasons=_reasons(reason_rng, overall),
            contact_name="Người dân (demo)" if consent else None,
            contact_phone=f"09{rng.randint(10_000_000, 99_999_999)}" if consent else None,
            shown=_on_duty(spells.get(counter.id, []), at),
        )
        progress(1)
        if submission.submission_key in existing:
            continue
        record_response(counter, survey, submission, at=at, rollups=False)
        months.add(month_start(to_local(at).date()))
        added += 1
    for month in sorted(months):
        rebuild_month(month)
    return added
