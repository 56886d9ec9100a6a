"""Staff rosters from a CSV or XLSX file: check every row, then store all of them or nothing.

A roster row is a civil servant (cán bộ, công chức) with their position (vị trí việc làm),
their unit and, optionally, the counter they sit at from a start date. `check_roster` finds
every row's errors without writing anything; `apply_roster` stores a roster that has none.
Re-importing the same file changes nothing: staff are keyed by their code, assignments by
person, counter and start. Used by `flask staff import` and by the admin page
/admin/staff/import, so the messages go through Flask-Babel.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from flask_babel import LazyString, gettext, ngettext, npgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from core.db import db
from core.forms import _CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE
from core.jsonbody import parse_json_body
from core.lazy import lazy
from core.text import clean_text
from core.timeutil import LOCAL_TZ
from surveys import services
from surveys.models import Assignment, Centre, Counter, Staff, Unit
from surveys.queries import unit_tree_ids

openpyxl = lazy("openpyxl")

#: Column key and the Vietnamese header of the template, in the template's order.
COLUMNS = (
    ("code", "Mã công chức"),
    ("full_name", "Họ và tên"),
    ("position", "Vị trí việc làm"),
    ("unit", "Mã đơn vị"),
    ("counter", "Quầy"),
    ("start_date", "Ngày bắt đầu"),
)
#: Headers of earlier templates, still read: files filled in before keep importing.
EARLIER_HEADERS = {"code": ("Mã cán bộ",)}
#: Between a centre's name and a counter's label, when a unit has several centres.
CENTRE_SEPARATOR = " / "
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


class RosterFileError(ValueError):
    """The file cannot be read as a roster (format, missing columns)."""


@dataclass
class RosterRow:
    """One row of the file (numbered as a spreadsheet shows it) and what it resolves to."""

    number: int
    values: dict[str, str]
    errors: list[LazyString] = field(default_factory=list)
    unit: Unit | None = None
    counter: Counter | None = None
    starts_at: datetime | None = None


@dataclass
class RosterResult:
    """What storing a roster did."""

    staff_added: int = 0
    staff_updated: int = 0
    assignments_added: int = 0
    #: Responses given to a seat recorded late (they counted for someone else, or nobody).
    responses_moved: int = 0
    unchanged_rows: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.staff_added or self.staff_updated or self.assignments_added)

    def changes(self) -> str:
        """What was added and updated, and how many responses changed hands, in the current
        language (the admin's message and the administration log)."""
        text = gettext("%(added)s, %(updated)s, %(seats)s",
                       added=ngettext("%(num)d staff member added", "%(num)d staff members added",
                                      self.staff_added),
                       updated=ngettext("%(num)d updated", "%(num)d updated",
                                        self.staff_updated),
                       seats=ngettext("%(num)d counter assignment added",
                                      "%(num)d counter assignments added",
                                      self.assignments_added))
        if not self.responses_moved:
            return text
        return gettext("%(changes)s, %(moved)s", changes=text, moved=npgettext(
            "to the person on duty", "%(num)d response moved", "%(num)d responses moved",
            self.responses_moved))

    def summary(self, rows: int) -> str:
        """One line, in the current language, for the administration log and the command."""
        return gettext("%(rows)s: %(changes)s",
                       rows=ngettext("%(num)d row", "%(num)d rows", rows), changes=self.changes())


def read_roster(filename: str, data: bytes) -> list[RosterRow]:
    """The rows of a .csv (UTF-8, comma-separated) or .xlsx file with the template's headers
    (Vietnamese, or the English column keys); blank rows are skipped."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        except UnicodeDecodeError as exc:
            raise RosterFileError(_l("The CSV file is not UTF-8 text.")) from exc
    elif suffix == ".xlsx":
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
            raise RosterFileError(_l("The file is not a readable XLSX workbook.")) from exc
        table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raise RosterFileError(_l("Use a .csv or .xlsx file."))
    if not table:
        raise RosterFileError(_l("The file is empty."))
    keys = _header_keys(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {key: (clean_text(cells[i]) or "" if i < len(cells) else "")
                  for key, i in keys.items()}
        if any(values.values()):
            rows.append(RosterRow(number, values))
    if not rows:
        raise RosterFileError(_l("The file has no staff rows."))
    return rows


def rows_to_json(rows: list[RosterRow]) -> str:
    """The rows as read, to carry a checked roster from its preview to its confirmation."""
    return json.dumps([[row.number, row.values] for row in rows], ensure_ascii=False)


def rows_from_json(text: str) -> list[RosterRow]:
    """Rows written by rows_to_json (to be checked again before storing)."""
    keys = {key for key, _title in COLUMNS}
    try:
        data = parse_json_body(text.encode())
        rows = [RosterRow(int(number), {key: clean_text(str(values[key])) or "" for key in keys})
                for number, values in data]
        for row in rows:  # "\ud800" is valid JSON but no text: UnicodeEncodeError here
            "".join(row.values.values()).encode("utf-8")
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise RosterFileError(_l("The roster could not be read back; upload the file again.")) \
            from exc
    if not rows:
        raise RosterFileError(_l("The file is empty."))
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_keys(header: list[str]) -> dict[str, int]:
    names = {text.strip().casefold(): i for i, text in enumerate(header) if text}
    keys, missing = {}, []
    for key, title in COLUMNS:
        index = next((names[name.casefold()] for name in (title, *EARLIER_HEADERS.get(key, ()))
                      if name.casefold() in names), names.get(key))
        if index is None:
            missing.append(title)
        else:
            keys[key] = index
    if missing:
        raise RosterFileError(_l("Missing columns: %(columns)s.", columns=", ".join(missing)))
    return keys


def check_roster(rows: list[RosterRow], scope_unit: Unit) -> list[RosterRow]:
    """Fill in every row's errors and what it resolves to; return the rows with errors.

    A row's unit must be `scope_unit` or a unit below it; its counter must belong to a centre
    of that unit; nothing is written.
    """
    scope = unit_tree_ids(scope_unit.id)
    first_row_of_code: dict[str, int] = {}
    first_row_of_seat: dict[tuple[int, datetime], int] = {}
    for row in rows:
        values = row.values
        for key, title in COLUMNS[:2] + COLUMNS[3:4]:
            if not values[key]:
                row.errors.append(_l("%(column)s is required.", column=title))
        code = values["code"]
        if code in first_row_of_code:
            row.errors.append(_l("Duplicate staff code %(code)s (also on row %(row)d).",
                                 code=code, row=first_row_of_code[code]))
        elif code:
            first_row_of_code[code] = row.number
        if any(_CONTROL_CHARACTERS.search(value) for value in values.values()):
            row.errors.append(CONTROL_CHARACTERS_MESSAGE)
        if len(code) > 32 or len(values["full_name"]) > 200 or len(values["position"]) > 200:
            row.errors.append(_l("Too long: a staff code has at most 32 characters, a name "
                                 "and a position at most 200."))
        if values["unit"]:
            row.unit = _unit_in_scope(row, scope)
        if code and row.unit is not None:
            existing = _staff(code)
            if existing is not None and existing.unit_id not in scope:
                row.errors.append(_l("Staff code %(code)s belongs to someone in another unit.",
                                     code=code))
        if values["counter"] and row.unit is not None:
            row.counter = _counter(row)
        if values["start_date"]:
            row.starts_at = _start(row)
        elif values["counter"]:
            row.errors.append(_l("A start date is needed with a counter."))
        if row.counter is not None and row.starts_at is not None:
            seat = (row.counter.id, row.starts_at)
            if seat in first_row_of_seat:
                row.errors.append(_l("Row %(row)d seats someone else at this counter from the "
                                     "same day.", row=first_row_of_seat[seat]))
            else:
                first_row_of_seat[seat] = row.number
            if _later_assignment(code, row.counter, row.starts_at):
                row.errors.append(_l("This counter or this person already has an assignment "
                                     "from this day or later."))
    return [row for row in rows if row.errors]


def _unit_in_scope(row: RosterRow, scope: frozenset[int]) -> Unit | None:
    code = row.values["unit"]
    unit = db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()
    if unit is None:
        row.errors.append(_l("Unknown unit %(code)s.", code=code))
        return None
    if unit.id not in scope:
        row.errors.append(_l("Unit %(code)s is outside the units of this import.", code=code))
        return None
    if unit.valid_to is not None:
        row.errors.append(_l("Unit %(code)s no longer exists (merged or dissolved).", code=code))
        return None
    return unit


def _counter(row: RosterRow) -> Counter | None:
    text = row.values["counter"]
    centre_name, _sep, label = text.rpartition(CENTRE_SEPARATOR)
    query = (select(Counter).join(Centre)
             .where(Centre.unit_id == row.unit.id, Centre.active.is_(True),
                    Counter.active.is_(True), Counter.label == label.strip()))
    if centre_name:
        query = query.where(Centre.name == centre_name.strip())
    counters = db.session.execute(query).scalars().all()
    if not counters:
        row.errors.append(_l("Unknown counter %(counter)s in unit %(unit)s.",
                             counter=text, unit=row.unit.code))
        return None
    if len(counters) > 1:
        row.errors.append(_l("Several centres have a counter %(counter)s: write the centre "
                             "first, as in “%(example)s”.", counter=text,
                             example=counters[0].centre.name + CENTRE_SEPARATOR + text))
        return None
    return counters[0]


def _start(row: RosterRow) -> datetime | None:
    text = row.values["start_date"]
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC)
    row.errors.append(_l("Bad start date %(value)s: write dd/mm/yyyy.", value=text))
    return None


def _staff(code: str) -> Staff | None:
    return db.session.execute(select(Staff).where(Staff.code == code)).scalar_one_or_none()


def _later_assignment(code: str, counter: Counter, starts_at: datetime) -> bool:
    """An assignment of the counter or the person starting at or after `starts_at`; False when
    this very seat is already recorded (a re-import then leaves it alone)."""
    staff = _staff(code)
    staff_id = staff.id if staff else None
    later = db.session.execute(select(Assignment).where(
        or_(Assignment.counter_id == counter.id, Assignment.staff_id == staff_id),
        Assignment.starts_at >= starts_at)).scalars().all()
    if any(a.staff_id == staff_id and a.counter_id == counter.id and a.starts_at == starts_at
           for a in later):
        return False
    return bool(later)


def apply_roster(rows: list[RosterRow], *,
                 seat: Callable[[Staff, Counter, datetime], int]) -> RosterResult:
    """Store checked rows that have no errors: staff added or updated, then their seats in
    order of start, each through `seat`, which returns how many responses it moved (the page
    and the command pass `feedback.attribution.assign_retroactively`: a seat recorded late
    takes the counter's responses since its start, as any assignment recorded late does; this
    package cannot import it); flushes, the caller commits."""
    if any(row.errors for row in rows):
        raise ValueError("a roster with errors is never stored")
    result = RosterResult()
    seats = []
    for row in rows:
        values = row.values
        staff = _staff(values["code"])
        wanted = (values["full_name"], values["position"], row.unit.id)
        if staff is None:
            staff = services.create_staff(values["code"], values["full_name"], row.unit,
                                          values["position"])
            result.staff_added += 1
        elif (staff.full_name, staff.position, staff.unit_id) != wanted:
            staff.full_name, staff.position, staff.unit = (values["full_name"],
                                                           values["position"], row.unit)
            result.staff_updated += 1
        else:
            result.unchanged_rows += 1
        if row.counter is not None:
            seats.append((row.starts_at, staff, row.counter))
    for starts_at, staff, counter in sorted(seats, key=lambda seat: seat[0]):
        seated = db.session.execute(select(Assignment.id).where(
            Assignment.staff_id == staff.id, Assignment.counter_id == counter.id,
            Assignment.starts_at == starts_at)).first()
        if seated is None:
            result.responses_moved += seat(staff, counter, starts_at)
            result.assignments_added += 1
    db.session.flush()
    return result


def template_bytes() -> bytes:
    """An empty roster workbook with the Vietnamese headers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách công chức"
    sheet.append([title for _key, title in COLUMNS])
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 24
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_template(path: Path) -> None:
    """An empty roster with the Vietnamese headers, as .xlsx or .csv (by the path's suffix)."""
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(template_bytes())
    elif path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerow([title for _key, title in COLUMNS])
    else:
        raise RosterFileError(_l("Use a .csv or .xlsx file."))
