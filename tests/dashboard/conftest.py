"""Fixtures for dashboards: an organisation with two wards (one merged), and rated responses."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from core.db import db
from feedback.dashboard import cache, figures
from feedback.dashboard import report as report_module
from feedback.dashboard.fold import fold_all
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import UnitKind


@pytest.fixture
def app(make_app):
    """Small minimums, so hand-sized data sets give indices."""
    return make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1, RATELIMIT_ENABLED=False)


def build_province() -> dict:
    """Province P; ward A (formed from old ward A0) with two centres; ward B with one centre.

    Each centre has two counters with a staff member each; procedure areas are assigned.
    """
    survey = services.ensure_default_survey()
    areas = services.ensure_procedure_areas()
    province = services.create_unit("92", "Thành phố Cần Thơ", UnitKind.PROVINCE)
    old = services.create_unit("31150", "Phường Tân An (cũ)", UnitKind.WARD, province)
    ward_a = services.create_unit("31117", "Phường Ninh Kiều", UnitKind.WARD, province,
                                  valid_from=date(2025, 7, 1))
    ward_b = services.create_unit("31120", "Phường Cái Khế", UnitKind.WARD, province)
    services.merge_units([old], ward_a, date(2025, 6, 30))
    since = datetime(2024, 1, 1, tzinfo=UTC)
    centres, counters, staff = [], [], []
    for ward, names in ((old, ["TT Tân An"]), (ward_a, ["TT Ninh Kiều", "Điểm số 2"]),
                        (ward_b, ["TT Cái Khế"])):
        for name in names:
            centre = services.create_centre(ward, name, "")
            centres.append(centre)
            for k in (1, 2):
                counter = services.create_counter(centre, f"Quầy {k}", areas[k - 1:k + 1])
                person = services.create_staff(f"CB{len(staff) + 1:03d}",
                                               f"Nguyễn Văn {len(staff) + 1}", ward)
                services.assign_staff(person, counter, starts_at=since)
                counters.append(counter)
                staff.append(person)
    db.session.commit()
    return {"survey": survey, "province": province, "old": old, "ward_a": ward_a,
            "ward_b": ward_b, "centres": centres, "counters": counters, "staff": staff,
            "areas": areas}


def _ids(org: dict) -> dict:
    """(class, id) of each object of `build_province` (what `built_once` keeps)."""
    return {key: [(type(x), x.id) for x in value] if isinstance(value, list)
            else (type(value), value.id) for key, value in org.items()}


def _objects(ids: dict) -> dict:
    """The objects of `_ids`, from the current session."""
    return {key: [db.session.get(*x) for x in value] if isinstance(value, list)
            else db.session.get(*value) for key, value in ids.items()}


@pytest.fixture
def province_org(app_ctx, built_once) -> dict:
    """The organisation of `build_province`, as objects in a pushed app context."""
    return _objects(built_once("dashboard province", lambda: _ids(build_province())))


def responder(survey) -> Callable[..., None]:
    """Store a response through the real service: respond(counter, at, overall, others=None)."""
    seq = iter(range(1_000_000))

    def do(counter, at: datetime, overall: int, others: int | None = None,
           area=None, comment: str | None = None) -> None:
        ratings = {q.id: overall if q.code == "overall" else (others or overall)
                   for q in survey.questions}
        record_response(counter, survey, Submission(
            submission_key=f"k{next(seq)}", ratings=ratings, locale="vi",
            procedure_area_id=area.id if area else None, comment=comment), at=at)

    return do


@pytest.fixture
def june(built_once) -> dict:
    """Hand-countable responses in June 2025 (local), and three in May for the comparison.

    Ward A (with old ward A0 merged into it): 9 in June, 7 satisfied, mean 34/9; 3 in May, all
    rated 3. Ward B: 3 in June (5, 4, 2). Centres: A0's centre (4, 4, 4), Ninh Kiều (5, 5, 5, 4
    at counter 1; 1, 2 at counter 2), Cái Khế (5, 4, 2). Returns ids and codes (no objects, and
    no app context left pushed, so requests get their own).
    """
    return built_once("dashboard june", _june)


def _june() -> dict:
    org = build_province()
    respond = responder(org["survey"])
    c = org["counters"]
    at = datetime(2025, 6, 10, 2, 30, tzinfo=UTC)  # 09:30 local, a Tuesday
    for value in (4, 4, 4):
        respond(c[0], at, value, 3)
    for value in (5, 5, 5, 4):
        respond(c[2], at + timedelta(days=1), value, 3, comment="Cán bộ nhiệt tình")
    for value in (1, 2):
        respond(c[3], at + timedelta(days=2), value, 3,
                comment='=HYPERLINK("http://example.com","x")')
    for value in (5, 4, 2):
        respond(c[6], at, value, 3)
    for _ in range(3):
        respond(c[2], datetime(2025, 5, 20, 3, 0, tzinfo=UTC), 3, 3)
    db.session.commit()
    fold_all()  # what the app does after each submission's commit
    return {"centres": [x.id for x in org["centres"]],
            "counters": [x.id for x in org["counters"]],
            "centre_names": [x.name for x in org["centres"]],
            "staff": [x.code for x in org["staff"]],
            "areas": [x.code for x in org["areas"]]}


@pytest.fixture
def random_responses(province_org, built_once) -> int:
    """~400 responses at random counters and local times over 2025-05 … 2025-08."""
    ids = _ids(province_org)
    return built_once("dashboard 400 random responses", lambda: _random_responses(_objects(ids)))


def _random_responses(org: dict) -> int:
    respond = responder(org["survey"])
    rng = random.Random(7)
    start = datetime(2025, 4, 30, 17, 0, tzinfo=UTC)  # 2025-05-01 00:00 local
    comments = ("Cán bộ nhiệt tình", "Chờ quá lâu", "Phí cao hơn niêm yết", None, None)
    for n in range(400):
        if n % 37 == 36:  # folds of a few responses onto rows already there, and of many
            db.session.commit()
            fold_all()
        counter = rng.choice(org["counters"])
        at = start + timedelta(minutes=rng.randrange(0, 123 * 24 * 60))
        respond(counter, at, rng.choice([1, 2, 3, 4, 4, 5, 5, 5]), rng.randint(1, 5),
                area=rng.choice([None, *counter.procedure_areas]), comment=rng.choice(comments))
    db.session.commit()
    fold_all()
    return 400


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The formats of the charts drawn (`figures.draw_chart`), from empty chart and report
    caches."""
    cache.reports.clear()  # another test's database may have had the same data versions
    cache.charts.clear()
    calls: list[str] = []
    original = figures.draw_chart

    def counting(chart, fmt, locale):
        calls.append(fmt)
        return original(chart, fmt, locale)

    monkeypatch.setattr(figures, "draw_chart", counting)
    return calls


@pytest.fixture
def built(monkeypatch) -> list:
    """The reports computed (`build_report` calls) from here on."""
    calls = []
    original = report_module.build_report
    monkeypatch.setattr(report_module, "build_report",
                        lambda *args: calls.append(args) or original(*args))
    return calls
