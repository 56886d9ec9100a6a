"""`flask units import`: official units from the vietnam-provinces package."""

from __future__ import annotations

from vietnam_provinces import Ward

from core.db import db
from surveys.models import Unit, UnitKind


def _units(app) -> dict[str, Unit]:
    with app.app_context():
        return {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}


def test_import_loads_a_province_and_its_communes_with_the_national_codes(app, runner):
    result = runner.invoke(args=["units", "import", "--province", "92"])
    assert result.exit_code == 0, result.output
    official = {f"{int(w.code):05d}": w for w in Ward.iter_by_province(92)}
    assert len(official) == 103
    units = _units(app)
    assert set(units) == {"92", *official}
    province = units["92"]
    assert province.name == "Thành phố Cần Thơ" and province.kind == UnitKind.PROVINCE
    communes = [u for u in units.values() if u.code != "92"]
    assert all(u.parent_id == province.id for u in communes)
    assert all(u.name == official[u.code].name for u in communes)
    assert units["31135"].name == "Phường Ninh Kiều" and units["31135"].kind == UnitKind.WARD
    kinds = {u.kind for u in communes}
    assert kinds == {UnitKind.WARD, UnitKind.COMMUNE}
    assert sum(u.kind == UnitKind.WARD for u in communes) == sum(
        w.division_type.value == "phường" for w in official.values())
    assert "thêm 104 đơn vị" in result.output

    again = runner.invoke(args=["units", "import", "--province", "92"])
    assert again.exit_code == 0, again.output
    assert "không có thay đổi" in again.output
    assert {c: (u.id, u.name) for c, u in _units(app).items()} == {
        c: (u.id, u.name) for c, u in units.items()}


def test_a_renamed_unit_is_updated_not_duplicated(app, runner):
    assert runner.invoke(args=["units", "import", "--province", "92"]).exit_code == 0
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(code="31135")).scalar_one()
        unit.name = "Phường Ninh Kiều (tên cũ)"
        db.session.commit()
    result = runner.invoke(args=["units", "import", "--province", "92"])
    assert result.exit_code == 0, result.output
    assert "thêm 0 đơn vị, cập nhật 1" in result.output and "31135" in result.output
    units = _units(app)
    assert len(units) == 104 and units["31135"].name == "Phường Ninh Kiều"


def test_special_zones_take_their_own_kind(app, runner):
    special = [w for w in Ward.iter_all() if w.division_type.value == "đặc khu"]
    province = int(special[0].province_code)
    assert runner.invoke(args=["units", "import", "--province", str(province)]).exit_code == 0
    stored = _units(app)[f"{int(special[0].code):05d}"]
    assert stored.kind == UnitKind.SPECIAL_ZONE and stored.name == special[0].name


def test_an_unknown_province_is_refused_and_nothing_is_stored(app, runner, count_rows):
    for code in ("99", "abc"):
        result = runner.invoke(args=["units", "import", "--province", code])
        assert result.exit_code != 0
        assert f"Không có tỉnh, thành phố nào mang mã '{code}'" in result.output
    assert count_rows(Unit) == 0
