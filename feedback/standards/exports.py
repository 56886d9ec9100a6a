"""The Decision 766 / SIPAS pack as CSV (stable column names), XLSX (translated headers and a
sheet with the formulas and the point scheme) and PDF (the rows, the wards below target, the
formulas). Call under the reader's locale (`flask_babel.force_locale`).

Ratios and shares are percentages (0–100, two decimals); points use the scheme given.
"""

from __future__ import annotations

import csv
import io
import logging
import textwrap
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from flask_babel import format_decimal
from flask_babel import gettext as _

from core.lazy import lazy
from feedback.exports import neutralise
from feedback.hr import charts
from feedback.periods import Period
from feedback.plotting import settings
from feedback.reasons import REASONS, ranked_counts
from feedback.standards.decision766 import Ratio, RatioCode, Scheme, below_target, points
from feedback.standards.pack import FACTORS, Level, PackRow

backend_pdf = lazy("matplotlib.backends.backend_pdf")
openpyxl = lazy("openpyxl")
styles = lazy("openpyxl.styles")

CSV_COLUMNS = (
    "level", "unit_code", "unit_name", "code", "name", "period", "responses",
    "level3_very_satisfied", "level3_satisfied", "level3_dissatisfied",
    "level3_very_satisfied_pct", "level3_satisfied_pct", "level3_dissatisfied_pct",
    "complaints", "complaints_on_time", "complaints_handling_satisfied", "responses_satisfied",
    *[code.value for code in RatioCode],
    *[f"points_{code.value.removeprefix('ratio_')}" for code in RatioCode],
    "points_total", "points_max", "below_target",
    *[f"sipas_{factor}_pct" for factor in FACTORS],
    *[f"sipas_{factor}_answers" for factor in FACTORS],
    *[f"reason_{code}" for code in REASONS], "reasons_ranked",
)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 2)


def _share(part: int, whole: int) -> float | None:
    return _pct(part / whole) if whole else None


def _points(row: PackRow, scheme: Scheme) -> list[float | None]:
    return [points(ratio, scheme) for ratio in row.ratios]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _below(row: PackRow, scheme: Scheme) -> bool:
    return any(below_target(ratio, min(scheme.targets)) for ratio in row.ratios)


def values(row: PackRow, period: Period, scheme: Scheme) -> list[object]:
    """One row of the pack in the order of CSV_COLUMNS."""
    level3, earned = row.level3, _points(row, scheme)
    on_time, handling, dossier = row.ratios
    return [
        row.level.value, row.unit.code, row.unit.name, row.code, row.name, period.key(),
        dossier.denominator, level3.very_satisfied, level3.satisfied, level3.dissatisfied,
        _share(level3.very_satisfied, level3.n), _share(level3.satisfied, level3.n),
        _share(level3.dissatisfied, level3.n), on_time.denominator, on_time.numerator,
        handling.numerator, dossier.numerator, *[_pct(ratio.value) for ratio in row.ratios],
        *[_round(p) for p in earned], None if all(p is None for p in earned) else round(
            sum(p for p in earned if p is not None), 2), scheme.max_points,
        int(_below(row, scheme)),
        *[_pct(row.factors[factor].share) for factor in FACTORS],
        *[row.factors[factor].total for factor in FACTORS],
        *[dict(row.reasons).get(code, 0) for code in REASONS],
        " ".join(f"{code}:{n}" for code, n in row.reasons),
    ]


def write_csv(rows: list[PackRow], period: Period, scheme: Scheme, out: TextIO) -> int:
    """The pack with stable column names; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in values(row, period, scheme)])
    return len(rows)


def ratio_label(code: RatioCode) -> str:
    """The ratio's name in Decision 766."""
    return {
        RatioCode.COMPLAINTS_ON_TIME: _("Share of complaints handled on time"),
        RatioCode.COMPLAINT_HANDLING_SATISFIED: _("Satisfaction with complaint handling"),
        RatioCode.DOSSIER_SATISFIED: _("Satisfaction with the handling of procedures"),
    }[code]


def factor_label(factor: str) -> str:
    """The SIPAS factor's name."""
    return {
        "access": _("Access to the service"),
        "procedure": _("The administrative procedure"),
        "staff": _("The civil servant handling the matter"),
        "result": _("The result of the service"),
        "feedback": _("Handling of comments and complaints"),
    }[factor]


def level_label(level: Level) -> str:
    return {Level.UNIT: _("Ward, commune or special zone"), Level.CENTRE: _("Centre"),
            Level.COUNTER: _("Counter"), Level.STAFF: _("Civil servant")}[level]


def headers() -> list[str]:
    """Translated headers in the order of CSV_COLUMNS."""
    return [
        _("Level"), _("Unit code"), _("Unit"), _("Code"), _("Name"), _("Period"),
        _("Responses"), _("Very satisfied"), _("Satisfied"), _("Dissatisfied"),
        _("Very satisfied (%)"), _("Satisfied (%)"), _("Dissatisfied (%)"), _("Complaints"),
        _("Complaints handled on time (number)"),
        _("Complaints handled to the citizen's satisfaction (number)"),
        _("Responses without dissatisfaction or complaint (number)"),
        *[f"{ratio_label(code)} (%)" for code in RatioCode],
        *[_("Points: %(ratio)s", ratio=ratio_label(code)) for code in RatioCode],
        _("Points (total)"), _("Points (maximum)"), _("Below target"),
        *[_("SIPAS: %(factor)s (%% satisfied)", factor=factor_label(f)) for f in FACTORS],
        *[_("SIPAS: %(factor)s (answers)", factor=factor_label(f)) for f in FACTORS],
        *[_("Reason for dissatisfaction: %(reason)s", reason=label)
          for label in REASONS.values()],
        _("Reasons for dissatisfaction, most given first"),
    ]


def method_lines(scheme: Scheme) -> Iterator[tuple[str, bool]]:
    """The formulas and the point scheme, as (text, is_heading)."""
    pct = lambda share: format_decimal(100 * share, format="0.#") + " %"  # noqa: E731
    yield _("How the numbers are computed (Decision 766/QĐ-TTg, SIPAS)"), True
    yield _("%(ratio)s = complaints handled on time or early ÷ complaints received × 100 %%. A "
            "complaint still open before its due date counts as on time; one open past it, as "
            "late; one dismissed as unfounded was handled on the day it was dismissed.",
            ratio=ratio_label(RatioCode.COMPLAINTS_ON_TIME)), False
    yield _("%(ratio)s = (complaints − complaints the citizen rated dissatisfied or that were "
            "handled late) ÷ complaints × 100 %%; a complaint both late and rated dissatisfied is "
            "taken off once.", ratio=ratio_label(RatioCode.COMPLAINT_HANDLING_SATISFIED)), False
    yield _("%(ratio)s = (responses − responses rated dissatisfied or with a complaint) ÷ "
            "responses × 100 %%. Lateness of dossiers is recorded by the one-stop system, not "
            "here.", ratio=ratio_label(RatioCode.DOSSIER_SATISFIED)), False
    yield _("Three levels: 5 = very satisfied, 4 = satisfied, 1 to 3 = dissatisfied. Responses "
            "held out by the integrity rules are not counted; a case dismissed as spam or "
            "withdrawn as suspected ballot stuffing is not a complaint."), False
    yield _("Point scheme"), True
    for code in RatioCode:
        yield _("%(ratio)s: up to %(points)s points, full points from %(full)s, below that "
                "ratio × points ÷ %(full)s.", ratio=ratio_label(code),
                points=format_decimal(scheme.points[code], format="0.##"),
                full=pct(scheme.full_from)), False
    yield _("Targets: %(targets)s.", targets=", ".join(pct(t) for t in scheme.targets)), False


def write_xlsx(rows: list[PackRow], period: Period, scheme: Scheme,
               out: io.BufferedIOBase) -> None:
    """A workbook: the rows under translated headers, and the formulas with the scheme."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "766-SIPAS"
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = styles.Font(bold=True)
        cell.alignment = styles.Alignment(wrap_text=True, vertical="top")
    level_column = CSV_COLUMNS.index("level")
    for row in rows:
        cells = values(row, period, scheme)
        cells[level_column] = level_label(row.level)
        cells[-1] = reasons_text(row.reasons)
        sheet.append([neutralise(v) for v in cells])
    sheet.freeze_panes = "F2"
    method = book.create_sheet(_("Method")[:31])
    method.column_dimensions["A"].width = 110
    for text, heading in method_lines(scheme):
        method.append([text])
        cell = method.cell(row=method.max_row, column=1)
        cell.alignment = styles.Alignment(wrap_text=True, vertical="top")
        cell.font = styles.Font(bold=heading)
    book.save(out)


def reasons_text(reasons: list[tuple[str, int]]) -> str:
    """"Chờ quá lâu (12), Trả kết quả trễ hẹn (5)": reasons, most given first."""
    return ", ".join(f"{REASONS[code]} ({n})" for code, n in reasons)


def ratio_text(ratio: Ratio) -> str:
    """"72,5 % (29/40)", or a dash when nothing was counted."""
    if ratio.value is None:
        return "—"
    return (format_decimal(100 * ratio.value, format="0.0") + " %"
            + f" ({ratio.numerator}/{ratio.denominator})")


#: Rows of the table per PDF page.
ROWS_PER_PAGE = 32
A4_LANDSCAPE = (11.69, 8.27)
TABLE_COLUMNS = (0.03, 0.27, 0.34, 0.47, 0.6, 0.73, 0.86, 0.93)


def _table_row(row: PackRow, scheme: Scheme) -> list[str]:
    level3 = row.level3
    earned = [p for p in _points(row, scheme) if p is not None]
    return [
        textwrap.shorten(row.name if row.level in (Level.CENTRE, Level.COUNTER)
                         else f"{row.code} · {row.name}", 48, placeholder="…"), str(level3.n),
        " / ".join(str(n) for n in (level3.very_satisfied, level3.satisfied,
                                     level3.dissatisfied)),
        *[ratio_text(ratio) for ratio in row.ratios],
        format_decimal(sum(earned), format="0.0") if earned else "—",
        "✗" if _below(row, scheme) else "",
    ]


def _table_header() -> list[str]:
    return [_("Unit, counter or civil servant"), _("Responses"),
            _("Very satisfied /\nsatisfied /\ndissatisfied"),
            *[textwrap.fill(ratio_label(code), 22) for code in RatioCode], _("Points"),
            _("Below\ntarget")]


def _chart_page(rows: list[PackRow], period: Period, scheme: Scheme):
    figure = charts.page_figure(*A4_LANDSCAPE)
    shown = [row for row in rows if row.ratios[2].value is not None][:40]
    figure.suptitle(_("%(ratio)s, %(period)s", ratio=ratio_label(RatioCode.DOSSIER_SATISFIED),
                      period=period.key()), fontfamily=charts.FONT)
    charts.draw_shares(figure.add_axes((0.3, 0.08, 0.65, 0.82)),
                       [textwrap.shorten(row.name, 40, placeholder="…") for row in shown],
                       [row.ratios[2].value for row in shown], scheme.targets)
    return figure


def write_pdf(rows: list[PackRow], period: Period, scheme: Scheme,
              out: io.BufferedIOBase) -> int:
    """The rows in tables (wards below target marked), a chart of the dossier ratio with the
    target lines, and the formulas; returns the page count."""
    title = _("Decision 766 and SIPAS: %(unit)s, %(period)s",
              unit=rows[0].unit.name if rows else "", period=period.key())
    pages = []
    for start in range(0, max(len(rows), 1), ROWS_PER_PAGE):
        figure = charts.page_figure(*A4_LANDSCAPE)
        figure.suptitle(title, fontfamily=charts.FONT)
        body = [_table_row(row, scheme) for row in rows[start:start + ROWS_PER_PAGE]]
        charts.draw_table(figure, [_table_header(), *body], top=0.92, columns=TABLE_COLUMNS,
                          fontsize=7.5, line_height=0.016)
        pages.append(figure)
    below = [row for row in rows if _below(row, scheme)]
    method = charts.page_figure(*A4_LANDSCAPE)
    given: Counter = Counter()
    for row in rows:
        if row.level == Level.UNIT:
            given.update(dict(row.reasons))
    lines = [(_("Below target (%(target)s): %(names)s", target=format_decimal(
        100 * min(scheme.targets), format="0.#") + " %", names=", ".join(
        row.name for row in below) or _("none")), False),
        (_("Reasons for dissatisfaction, most given first: %(reasons)s",
           reasons=reasons_text(ranked_counts(given)) or _("none")), False),
        *method_lines(scheme)]
    method.text(0.04, 0.95, "\n".join(("\n" + text.upper()) if heading else textwrap.fill(
        text, 150) for text, heading in lines), va="top", fontfamily=charts.FONT, fontsize=8,
        linespacing=1.5)
    pages += [_chart_page(rows, period, scheme), method]
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with settings(charts.RC), backend_pdf.PdfPages(out, metadata={
            "Title": title, "Creator": "Hài Lòng"}) as pdf:
        for figure in pages:
            pdf.savefig(figure)
    return len(pages)
