"""Official units from the `vietnam-provinces` package: the list in force since 1 July 2025.

The package ships its data (34 provinces, 3,321 xã, phường and đặc khu with their national
codes); nothing is downloaded. Importing is keyed on the code: a unit already stored is renamed
when the list names it differently, never duplicated.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from vietnam_provinces import Province, VietNamDivisionType, Ward

from core.db import db
from surveys import services
from surveys.models import Unit, UnitKind

#: The two-tier local government, and so the list, took effect on this day.
IN_FORCE_FROM = date(2025, 7, 1)

KINDS = {
    VietNamDivisionType.TINH: UnitKind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitKind.PROVINCE,
    VietNamDivisionType.PHUONG: UnitKind.WARD,
    VietNamDivisionType.XA: UnitKind.COMMUNE,
    VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE,
}


class UnknownProvince(LookupError):
    """No province of the official list has that code."""


@dataclass(frozen=True)
class OfficialUnit:
    """A unit as the official list gives it; codes as stored (province 2 digits, others 5)."""

    code: str
    name: str
    kind: UnitKind


@dataclass
class ImportResult:
    """What an import did: codes added and renamed, and how many were already up to date."""

    province: OfficialUnit
    added: list[str]
    updated: list[str]
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def official_province(code: str) -> tuple[OfficialUnit, list[OfficialUnit]]:
    """The province with that code ("92", "01" or "1") and its communes, in the list's order."""
    try:
        province = Province.from_code(int(code))
    except ValueError as exc:
        raise UnknownProvince(gettext("No province has the code '%(code)s' in the official list "
                                      "(vietnam-provinces).", code=code)) from exc
    communes = [OfficialUnit(f"{int(w.code):05d}", w.name, KINDS[w.division_type])
                for w in Ward.iter_by_province(province.code)]
    return (OfficialUnit(f"{int(province.code):02d}", province.name,
                         KINDS[province.division_type]), communes)


def import_province(code: str, only: Collection[str] | None = None) -> ImportResult:
    """Store the province and its communes (only those with the codes in `only`, if given).

    Idempotent: a unit already stored with the same name and kind is left alone; one whose name
    or kind changed is updated in place. Raises UnknownProvince before anything is stored.
    """
    province_entry, communes = official_province(code)
    if only is not None:
        communes = [c for c in communes if c.code in only]
    result = ImportResult(province_entry, [], [], 0)
    province = _store(province_entry, None, result)
    for entry in communes:
        _store(entry, province, result)
    db.session.flush()
    return result


def _store(entry: OfficialUnit, parent: Unit | None, result: ImportResult) -> Unit:
    unit = db.session.execute(select(Unit).where(Unit.code == entry.code)).scalar_one_or_none()
    if unit is None:
        result.added.append(entry.code)
        return services.create_unit(entry.code, entry.name, entry.kind, parent,
                                    valid_from=IN_FORCE_FROM)
    if (unit.name, unit.kind, unit.parent_id) == (entry.name, entry.kind,
                                                  parent.id if parent else None):
        result.unchanged += 1
    else:
        unit.name, unit.kind, unit.parent = entry.name, entry.kind, parent
        result.updated.append(entry.code)
    return unit
