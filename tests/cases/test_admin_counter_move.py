"""Moving a counter to another centre from a date: responses before the date stay with the old
centre in every report, those since move with it (rollups included); a future date is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts.audit import AdminAudit, AuditAction
from accounts.models import Role
from core.db import db
from core.timeutil import local_today
from feedback.dashboard.models import RatingCentreMonth, RatingDay
from feedback.dashboard.rollups import rebuild_month, response_months
from feedback.models import Response
from surveys import services
from surveys.models import Counter, Unit, UnitKind
from tests.support import csrf_of


def _rollups() -> list[tuple]:
    rows = []
    for model in (RatingCentreMonth, RatingDay):
        for row in db.session.execute(db.select(model)).scalars():
            rows.append(tuple(getattr(row, c.name) for c in model.__table__.columns))
    return sorted(rows, key=repr)


def test_a_moved_counter_leaves_its_earlier_responses_with_the_old_centre(
        app, client, create_org, store, sign_in):
    org = create_org("00001")
    now = datetime.now(UTC)
    before = store(org, rating=2, reasons=("waiting",), at=now - timedelta(days=10))["response_id"]
    since = store(org, rating=5, at=now - timedelta(days=2))["response_id"]
    with app.app_context():
        ward = db.session.get(Unit, org["ward_id"])
        new_ward = services.create_unit("00003", "Phường Ba", UnitKind.WARD, ward.parent)
        target = services.create_centre(new_ward, "Điểm tiếp nhận Phường Ba")
        db.session.commit()
        target_id, new_ward_id = target.id, new_ward.id
    sign_in(Role.ADMIN, "P00001", "quan.tri.tinh", client=client)
    counter_id = org["counters"][0]["id"]
    url = f"/admin/counters/{counter_id}/move"
    csrf = csrf_of(client, f"/admin/counters/{counter_id}/edit")
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    future = client.post(url, data={"csrf_token": csrf, "centre": target_id,
                                    "effective_on": tomorrow})
    assert future.status_code == 409
    assert "Ngày chuyển không được sau ngày hôm nay." in future.get_data(as_text=True)
    effective = (local_today() - timedelta(days=5)).isoformat()
    moved = client.post(url, data={"csrf_token": csrf, "centre": target_id,
                                   "effective_on": effective}, follow_redirects=True)
    assert "vẫn tính cho Trung tâm PVHCC 00001" in moved.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Counter, counter_id).centre_id == target_id
        old = db.session.get(Response, before)
        new = db.session.get(Response, since)
        assert (old.centre_id, old.unit_id) == (org["centre_id"], org["ward_id"])
        assert (new.centre_id, new.unit_id) == (target_id, new_ward_id)
        kept = _rollups()
        for month in response_months():
            rebuild_month(month)
        assert _rollups() == kept  # the rollups moved exactly as a rebuild would have them
        db.session.rollback()
        moves = [e for e in db.session.execute(db.select(AdminAudit)).scalars()
                 if e.action == AuditAction.MOVED]
        assert {e.unit_id for e in moves} == {org["ward_id"], new_ward_id}  # both wards' admins
        assert all(" từ ngày " in e.what and e.what.endswith("phiếu được chuyển theo quầy")
                   for e in moves)
