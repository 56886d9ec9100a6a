"""Reports on a ward formed by a merger include its predecessors' responses."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.db import db
from feedback.queries import response_count
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import UnitKind


def _respond(counter, survey, key: str, at: datetime) -> None:
    ratings = {q.id: 4 for q in survey.questions}
    record_response(counter, survey, Submission(submission_key=key, ratings=ratings,
                                                locale="vi"), at=at)


def test_new_ward_report_includes_responses_of_the_wards_merged_into_it(app_ctx):
    survey = services.ensure_default_survey()
    province = services.create_unit("92", "Cần Thơ", UnitKind.PROVINCE)
    old_wards = [services.create_unit(f"3115{i}", f"Phường cũ {i}", UnitKind.WARD, province)
                 for i in range(3)]
    old_counters = [services.create_counter(services.create_centre(w, f"TT {w.code}"), "Quầy 1")
                    for w in old_wards]
    before = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)
    for i, counter in enumerate(old_counters):
        _respond(counter, survey, f"old-{i}", before)
    new_ward = services.create_unit("31117", "Phường mới", UnitKind.WARD, province,
                                    valid_from=date(2025, 7, 1))
    services.merge_units(old_wards, new_ward, date(2025, 6, 30))
    centre = old_counters[0].centre
    centre.unit = new_ward  # the old centre now serves the new ward
    after = datetime(2025, 8, 1, 2, 0, tzinfo=UTC)
    _respond(old_counters[0], survey, "new-1", after)
    db.session.flush()
    assert response_count(new_ward.id) == 4
    assert response_count(new_ward.id, start=datetime(2025, 7, 1, tzinfo=UTC)) == 1
    assert response_count(old_wards[1].id) == 1
    assert response_count(old_wards[0].id) == 1  # history stays with the old ward
