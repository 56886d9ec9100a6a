"""A computed report is kept while nothing it counts changes: a response, a label correction or
an exclusion elsewhere, or outside its days, leaves it; one of its own scope and days computes
it again, and so does any change to the organisation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from accounts.models import Role, User
from core.db import db
from feedback.cases.services import open_case
from feedback.cases.sla import SlaPolicy
from feedback.dashboard import report as report_module
from feedback.dashboard.fold import fold_all
from feedback.dashboard.freshness import LATE_COMMIT, current_mark
from feedback.dashboard.report import Options, cached_report
from feedback.dashboard.scopes import Filters, resolve
from feedback.hr.exclusions import add_flags, refresh_counted
from feedback.hr.flags import FlagRule
from feedback.models import Response
from feedback.periods import parse_period
from feedback.reviews import review_sentiment
from feedback.rights.models import RequestChannel, RequestKind, Verification
from feedback.rights.services import complete, receive
from feedback.services import Submission, record_response
from surveys.models import Centre, Counter, Survey
from tests.support import create_test_user

JUNE = parse_period("2025-06")
IN_JUNE = datetime(2025, 6, 18, 3, 0, tzinfo=UTC)
OPTIONS = Options(min_responses=3, min_cell=1)
WARD_A, WARD_B = "31117", "31120"


@pytest.fixture(autouse=True)
def settled(june, app_ctx) -> None:
    """The `june` responses were received an hour ago (not just now, see the last test)."""
    db.session.execute(update(Response).values(
        received_at=datetime.now(UTC) - timedelta(hours=1)))
    db.session.commit()


def _report(unit: str):
    return cached_report(resolve(Filters(unit=unit), None, None).scope, JUNE, OPTIONS)


def _answers(report) -> int:
    return report.overall.tally.n


def _respond(june, counter: int, at: datetime, key: str, fold: bool = True) -> int:
    """A response rated 4 at one of the `june` counters (0: ward A's old ward, 6: ward B)."""
    survey = db.session.execute(select(Survey)).scalar_one()
    response = record_response(
        db.session.get(Counter, june["counters"][counter]), survey,
        Submission(submission_key=key, ratings={q.id: 4 for q in survey.questions},
                   locale="vi"), at=at)
    db.session.commit()
    if fold:
        fold_all()
    return response.id


def test_a_response_elsewhere_keeps_the_report_and_one_of_its_scope_computes_it(
        june, app_ctx, built):
    before = _report(WARD_B)
    _respond(june, 0, IN_JUNE, "in ward A")
    assert _report(WARD_B) is before and len(built) == 1
    _respond(june, 6, IN_JUNE, "in ward B")
    assert _answers(_report(WARD_B)) == _answers(before) + 1 and len(built) == 2


@pytest.mark.parametrize(("at", "read"), [
    (datetime(2025, 5, 20, 3, 0, tzinfo=UTC), True),  # the previous month, compared with
    (datetime(2024, 12, 2, 3, 0, tzinfo=UTC), True),  # on the trend, 12 months to June
    (datetime(2024, 5, 2, 3, 0, tzinfo=UTC), False),  # before everything the page shows
    (datetime(2025, 7, 2, 3, 0, tzinfo=UTC), False),  # after June
])
def test_a_response_of_the_scope_outside_the_days_the_page_reads_keeps_it(
        june, app_ctx, built, at, read):
    before = _report(WARD_B)
    _respond(june, 6, at, "another day")
    assert (_report(WARD_B) is not before) == read
    assert len(built) == (2 if read else 1)


def test_a_label_corrected_computes_the_reports_that_show_the_comment_only(
        june, app_ctx, built):
    ward_a, ward_b = _report(WARD_A), _report(WARD_B)
    name = create_test_user(app_ctx, Role.LEADER, WARD_A, "lanh.dao")
    db.session.commit()  # ends this session's read: the user was stored by another one
    actor = db.session.execute(select(User).filter_by(username=name)).scalar_one()
    comment = db.session.execute(select(Response).where(
        Response.comment == "Cán bộ nhiệt tình")).scalars().first()
    assert review_sentiment(comment, "neutral", actor) is not None
    db.session.commit()
    assert _report(WARD_B) is ward_b
    assert _report(WARD_A) is not ward_a and len(built) == 3


def test_a_response_waiting_for_the_fold_is_counted_once_folded(june, app_ctx, built):
    before = _report(WARD_B)
    _respond(june, 6, IN_JUNE, "waiting", fold=False)
    waiting = _report(WARD_B)  # computed while it waits: not in the rollups yet
    assert _answers(waiting) == _answers(before)
    fold_all()
    assert _answers(_report(WARD_B)) == _answers(before) + 1


def test_a_response_received_just_now_is_after_every_mark_until_it_settles(june, app_ctx):
    newest = _respond(june, 6, IN_JUNE, "just now")
    assert current_mark().response_id < newest  # it may have committed after a later id
    db.session.execute(update(Response).where(Response.id == newest).values(
        received_at=datetime.now(UTC) - LATE_COMMIT - timedelta(seconds=1)))
    db.session.commit()
    assert current_mark().response_id == newest


def test_a_response_excluded_by_the_screening_computes_the_reports_that_counted_it(
        june, app_ctx, built):
    ward_a, ward_b = _report(WARD_A), _report(WARD_B)
    rated = db.session.execute(select(Response).where(
        Response.counter_id == june["counters"][6])).scalars().first()  # in ward B, June
    add_flags([(rated.id, FlagRule.HONEYPOT, {})], None)
    refresh_counted([rated.id])
    db.session.commit()
    assert _report(WARD_A) is ward_a
    assert _answers(_report(WARD_B)) == _answers(ward_b) - 1 and len(built) == 3


def test_a_renamed_centre_computes_every_report(june, app_ctx, built):
    ward_a, ward_b = _report(WARD_A), _report(WARD_B)
    centre = db.session.get(Centre, june["centres"][0])
    centre.name = "Trung tâm đổi tên"
    db.session.commit()
    assert _report(WARD_A) is not ward_a and _report(WARD_B) is not ward_b


def test_a_personal_data_request_carried_out_computes_every_report(june, app_ctx, built):
    ward_a = _report(WARD_A)
    commented = db.session.execute(select(Response).where(
        Response.comment == "Cán bộ nhiệt tình")).scalars().first()
    case = open_case(commented, ["low_rating"], SlaPolicy.from_config(app_ctx.config))
    request = receive(case, RequestKind.ERASE_CONTACT, RequestChannel.COUNTER,
                      datetime.now(UTC), app_ctx.config)
    complete(request, datetime.now(UTC), Verification.IDENTITY_CHECK)
    db.session.commit()
    assert _report(WARD_A) is not ward_a  # its latest comments may show the erased one


def test_a_report_found_stale_is_checked_once_not_again_in_the_shared_store(
        june, make_app, tmp_path, monkeypatch, built):
    app = make_app(DASHBOARD_CHART_DIR=str(tmp_path / "shared"))
    checks = []
    original = report_module.changed_since
    monkeypatch.setattr(report_module, "changed_since",
                        lambda *args: checks.append(args) or original(*args))
    with app.app_context():
        before = _report(WARD_B)  # kept in memory and in the store
        _respond(june, 6, IN_JUNE, "in ward B")
        assert _answers(_report(WARD_B)) == _answers(before) + 1
    assert len(checks) == 1 and len(built) == 2
