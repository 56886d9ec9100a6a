"""Every view of a citizen's contact details and every export with personal data is logged,
append-only, and the unit's leaders and the administrators read the log."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.db import db
from feedback.access_log import AppendOnlyError
from feedback.models import AccessKind, PersonalDataAccess

CONTACT = {"contact_name": "Bà Tư", "contact_phone": "0912345678"}


def _entries(app) -> list[tuple[str, AccessKind, str]]:
    with app.app_context():
        return [(e.user.username, e.kind, e.what) for e in db.session.execute(
            db.select(PersonalDataAccess).order_by(PersonalDataAccess.id)).scalars()]


def test_contact_views_and_hr_exports_are_logged_and_shown(app, create_org, store, sign_in):
    org = create_org()
    create_org("00002")
    with_contact = store(org, rating=1,
                         reasons=("waiting",), comment="Chờ lâu", contact=CONTACT)["case_id"]
    anonymous = store(org, rating=1, reasons=("waiting",), comment="Chậm")["case_id"]
    leader = sign_in(Role.LEADER, "00001", username="lanh.dao")
    hr = sign_in(Role.HR, "P00001", username="to.chuc")
    assert leader.get(f"/inbox/cases/{with_contact}").status_code == 200
    assert leader.get(f"/inbox/cases/{anonymous}").status_code == 200
    assert hr.get(f"/inbox/cases/{with_contact}").status_code == 200  # HR never sees contacts
    assert hr.get("/hr/export.csv?unit=00001").status_code == 200

    entries = _entries(app)
    assert entries[0] == ("lanh.dao", AccessKind.CONTACT_VIEW, f"case {with_contact}")
    assert [(user, kind) for user, kind, _what in entries] == [
        ("lanh.dao", AccessKind.CONTACT_VIEW), ("to.chuc", AccessKind.EXPORT)]
    assert entries[1][2].startswith("hr-report danh-gia-00001-")

    page = leader.get("/access-log").get_data(as_text=True)
    assert "lanh.dao" in page and "to.chuc" in page and f"case {with_contact}" in page
    outsider = sign_in(Role.LEADER, "00002")
    assert "lanh.dao" not in outsider.get("/access-log").get_data(as_text=True)
    admin = sign_in(Role.ADMIN, None)
    assert "to.chuc" in admin.get("/access-log").get_data(as_text=True)


def test_entries_cannot_be_changed_or_deleted(app, create_org, store, sign_in):
    org = create_org()
    case_id = store(org, rating=1, reasons=("waiting",), contact=CONTACT)["case_id"]
    sign_in(Role.LEADER, "00001").get(f"/inbox/cases/{case_id}")
    with app.app_context():
        entry = db.session.execute(db.select(PersonalDataAccess)).scalar_one()
        entry.what = "nothing"
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.execute(db.select(PersonalDataAccess)).scalar_one())
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()
