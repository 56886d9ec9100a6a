"""Dashboard tables as CSV or XLSX files, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re

from core.lazy import lazy
from feedback.dashboard.tables import DataTable, export_value
from feedback.exports import neutralise

openpyxl = lazy("openpyxl")

#: Flask adds "; charset=utf-8" to text types itself.
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _rows(table: DataTable) -> list[list]:
    rows = [[neutralise(column.header) for column in table.columns]]
    for row in table.rows:
        rows.append([neutralise(export_value(column.kind, value))
                     for column, value in zip(table.columns, row, strict=True)])
    return rows


def table_csv(table: DataTable) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (so spreadsheet programs read Vietnamese)."""
    out = io.StringIO()
    csv.writer(out).writerows(_rows(table))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(table: DataTable) -> bytes:
    """The table as an XLSX workbook with one sheet; text cells are never formulas."""
    workbook = openpyxl.Workbook(write_only=True)
    title = re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31].strip() or table.name
    sheet = workbook.create_sheet(title=title)
    for row in _rows(table):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
