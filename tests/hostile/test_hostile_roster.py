"""A hostile or careless administrator's browser at /admin/staff/import/confirm: the previewed
roster comes back in a hidden field, so whatever is put there is refused with a 400 page,
never a server error, and nothing is stored."""

from __future__ import annotations

import json

import pytest

from accounts.models import Role
from core.db import db
from surveys.models import Staff, Unit
from surveys.rosters import COLUMNS
from tests.support import csrf_of

KEYS = [key for key, _title in COLUMNS]
ROW = ["CB101", "Nguyễn Văn An", "Công chức một cửa", "00001", "", ""]


@pytest.fixture
def admin(app, sign_in, org):
    client = sign_in(Role.ADMIN, "00001", "quan.tri")
    with app.app_context():
        client.ward_id = db.session.execute(
            db.select(Unit.id).filter_by(code="00001")).scalar_one()
    return client


def _confirm(client, rows: str, unit=None):
    return client.post("/admin/staff/import/confirm", data={
        "csrf_token": csrf_of(client, "/admin/staff/import"),
        "unit": str(unit or client.ward_id), "rows": rows})


@pytest.mark.parametrize("rows", [
    "[" * 10_000 + "]" * 10_000,
    "[[2, " + "{\"a\": " * 2_000 + "1" + "}" * 2_000 + "]]",
    "[[2, {" + ", ".join(f'"{key}": "x"' for key in KEYS) + ', "code": "y"}]]',
    "[[" + "9" * 5_000 + ", {}]]",
    "[[2, {\"code\": NaN}]]",
])
def test_a_forged_roster_is_refused_with_a_page_not_an_error(admin, count_rows, rows):
    before = count_rows(Staff)
    response = _confirm(admin, rows)
    assert response.status_code == 400
    assert "text/html" in response.content_type
    assert count_rows(Staff) == before


def test_the_good_roster_still_goes_through(admin, count_rows):
    rows = json.dumps([[2, dict(zip(KEYS, ROW, strict=True))]])
    before = count_rows(Staff)
    assert _confirm(admin, rows).status_code == 303
    assert count_rows(Staff) == before + 1


def test_a_unit_id_with_a_trailing_newline_is_refused(admin, count_rows):
    rows = json.dumps([[2, dict(zip(KEYS, ROW, strict=True))]])
    before = count_rows(Staff)
    assert _confirm(admin, rows, unit=f"{admin.ward_id}\n").status_code == 400
    assert count_rows(Staff) == before


def test_a_name_with_a_lone_surrogate_is_refused(admin, count_rows):
    """"\\ud800" is valid JSON but no text: it cannot be stored (nor encoded as UTF-8)."""
    row = dict(zip(KEYS, ROW, strict=True))
    rows = json.dumps([[2, row]]).replace("Nguy\\u1ec5n", "Nguy\\ud800")
    assert "\\ud800" in rows
    before = count_rows(Staff)
    assert _confirm(admin, rows).status_code == 400
    assert count_rows(Staff) == before
