"""A realistic demo organisation: a province, two wards (one formed by a merger), centres, staff.

The province and the two wards are the real ones, imported from the official list
(`vietnam-provinces`) with their national codes; the three old wards merged into Phường Ninh
Kiều carry invented codes (DEMO-...), since pre-2025 codes are not in that list. Everything is
keyed (codes, labels), so running the seed again adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from core.db import db
from surveys import services
from surveys.models import Assignment, Centre, Counter, Staff, Unit, UnitKind
from surveys.official_units import import_province, official_province

PROVINCE = "92"  # Thành phố Cần Thơ
#: Phường Ninh Kiều and Phường Cái Khế, with their national codes.
WARDS = ("31135", "31120")
#: Wards dissolved on 2025-06-30 and merged into Phường Ninh Kiều (history is kept); the codes
#: are invented for the demo.
MERGED_INTO_FIRST_WARD = (
    ("DEMO-01", "Phường Tân An (cũ)"),
    ("DEMO-02", "Phường Thới Bình (cũ)"),
    ("DEMO-03", "Phường Xuân Khánh (cũ)"),
)
MERGER_LAST_DAY = date(2025, 6, 30)
DEMO_DAYS = 90

CENTRES = (
    ("31135", "Trung tâm Phục vụ hành chính công phường Ninh Kiều",
     "2 Hòa Bình, phường Ninh Kiều, TP Cần Thơ",
     (("Quầy 1", ("ho-tich", "cu-tru")), ("Quầy 2", ("chung-thuc",)),
      ("Quầy 3", ("dat-dai", "xay-dung")), ("Quầy 4", ("dang-ky-kinh-doanh", "bao-tro-xa-hoi")))),
    ("31135", "Điểm tiếp nhận số 2 phường Ninh Kiều",
     "45 Mậu Thân, phường Ninh Kiều, TP Cần Thơ",
     (("Quầy 1", ("ho-tich", "chung-thuc")), ("Quầy 2", ("dat-dai",)))),
    ("31120", "Trung tâm Phục vụ hành chính công phường Cái Khế",
     "10 Trần Phú, phường Cái Khế, TP Cần Thơ",
     (("Quầy 1", ("ho-tich", "cu-tru")), ("Quầy 2", ("chung-thuc", "bao-tro-xa-hoi")),
      ("Quầy 3", ("dat-dai", "xay-dung")), ("Quầy 4", ("dang-ky-kinh-doanh",)))),
)

STAFF = (
    ("CB001", "Nguyễn Thị Lan", "31135"), ("CB002", "Trần Văn Minh", "31135"),
    ("CB003", "Lê Thị Hồng Nhung", "31135"), ("CB004", "Phạm Quốc Bảo", "31135"),
    ("CB005", "Võ Thị Thu Trang", "31135"), ("CB006", "Huỳnh Văn Tài", "31135"),
    ("CB007", "Đặng Ngọc Hân", "31135"), ("CB008", "Bùi Thanh Tùng", "31135"),
    ("CB009", "Ngô Thị Kim Ngân", "31120"), ("CB010", "Dương Minh Khoa", "31120"),
    ("CB011", "Lý Thị Mỹ Linh", "31120"), ("CB012", "Trương Văn Phúc", "31120"),
    ("CB013", "Phan Thị Bích Ngọc", "31120"), ("CB014", "Hồ Quang Huy", "31120"),
    ("CB015", "Mai Thị Thanh Thủy", "31120"),
)

def _unit(code: str) -> Unit:
    return db.session.execute(select(Unit).where(Unit.code == code)).scalar_one()


def non_demo_organisation() -> list[str]:
    """Units, centres and staff the demo did not create ("unit 79", ...), to keep the demo off
    databases with real data. The official units of the demo's province are welcome (`flask
    units import --province 92` may come first)."""
    _province, communes = official_province(PROVINCE)
    codes = [PROVINCE, *(c.code for c in communes), *(c for c, _n in MERGED_INTO_FIRST_WARD)]
    centres = [name for _unit_code, name, _address, _counters in CENTRES]
    found = [("unit", select(Unit.code).where(Unit.code.not_in(codes))),
             ("centre", select(Centre.name).where(Centre.name.not_in(centres))),
             ("staff", select(Staff.code).where(Staff.code.not_in([c for c, *_r in STAFF])))]
    return [f"{kind} {value}" for kind, query in found
            for value in db.session.execute(query).scalars()]


def seed_organisation() -> tuple[int, int, int, int]:
    """Province, wards (with merged predecessors), centres, counters and staff; idempotent."""
    added_units = added_centres = added_counters = added_staff = 0
    areas = {a.code: a for a in services.ensure_procedure_areas()}
    added_units += len(import_province(PROVINCE, only=WARDS).added)
    province = _unit(PROVINCE)
    wards = {code: _unit(code) for code in WARDS}
    for code, name in MERGED_INTO_FIRST_WARD:
        if db.session.execute(select(Unit.id).where(Unit.code == code)).first() is None:
            old = services.create_unit(code, name, UnitKind.WARD, province)
            services.merge_units([old], wards[WARDS[0]], MERGER_LAST_DAY)
            added_units += 1
    for unit_code, name, address, counters in CENTRES:
        centre = db.session.execute(
            select(Centre).where(Centre.unit_id == wards[unit_code].id, Centre.name == name)
        ).scalar_one_or_none()
        if centre is None:
            centre = services.create_centre(wards[unit_code], name, address)
            added_centres += 1
        for label, area_codes in counters:
            if not any(c.label == label for c in centre.counters):
                services.create_counter(centre, label, [areas[a] for a in area_codes])
                added_counters += 1
    for code, full_name, unit_code in STAFF:
        if db.session.execute(select(Staff).where(Staff.code == code)).scalar_one_or_none():
            continue
        services.create_staff(code, full_name, wards[unit_code], "Công chức một cửa")
        added_staff += 1
    db.session.flush()
    return added_units, added_centres, added_counters, added_staff


def seed_assignments(today: datetime) -> None:
    """Seat staff at counters: a change of staff 30 days ago at some counters; idempotent."""
    if db.session.execute(select(Assignment.id).limit(1)).first():
        return
    counters = list(db.session.execute(select(Counter).order_by(Counter.id)).scalars())
    staff_by_unit: dict[int, list[Staff]] = {}
    for staff in db.session.execute(select(Staff).order_by(Staff.code)).scalars():
        staff_by_unit.setdefault(staff.unit_id, []).append(staff)
    start = today - timedelta(days=DEMO_DAYS + 5)
    switch = today - timedelta(days=30)
    used: dict[int, int] = {}
    for index, counter in enumerate(counters):
        pool = staff_by_unit[counter.centre.unit_id]
        first = pool[used.get(counter.centre.unit_id, 0) % len(pool)]
        used[counter.centre.unit_id] = used.get(counter.centre.unit_id, 0) + 1
        services.assign_staff(first, counter, starts_at=start, ends_at=switch
                              if index % 3 == 0 else None)
        if index % 3 == 0:
            second = pool[used[counter.centre.unit_id] % len(pool)]
            used[counter.centre.unit_id] += 1
            services.assign_staff(second, counter, starts_at=switch)
