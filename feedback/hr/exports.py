"""Exports of a unit's HR report: CSV (one row per staff member), XLSX (the same rows, the
excluded responses and a sheet explaining the method) and PDF (a summary page, one page per
staff member with a chart and a table, and the method).

Only the XLSX lists responses (the excluded ones, with their minute); CSV and PDF give counts.
A downloader who also serves at a counter reads the responses given to them as on their own
page (`feedback.hr.subject`), never at the minute.

Call under the locale of the reader (`flask_babel.force_locale`). A grade appears only where the
head of unit decided it, in its official Vietnamese wording, beside the satisfaction input (the
sub-score in the profile's points). Cells that a spreadsheet could run as a formula are
neutralised.
"""

from __future__ import annotations

import csv
import io
import logging
import textwrap
from collections.abc import Iterator
from typing import TextIO

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _

from core.lazy import lazy
from core.numbers import shown
from feedback.exports import neutralise
from feedback.hr import charts, pdf_text
from feedback.hr.evaluation import CRITERIA, StaffReport, UnitReport
from feedback.hr.grades import GRADE_NAMES_VI
from feedback.hr.labels import decision_text, flag_reason, rule_label
from feedback.hr.method import sections
from feedback.hr.subject import SubjectView
from feedback.plotting import settings
from feedback.scoring import OVERALL
from surveys.defaults import criterion_name

backend_pdf = lazy("matplotlib.backends.backend_pdf")
openpyxl = lazy("openpyxl")
styles = lazy("openpyxl.styles")

#: Criteria whose mean has its own column (the overall mean comes first, once).
OTHER_CRITERIA = tuple(code for code in CRITERIA if code != OVERALL)

CSV_COLUMNS = (
    "unit", "period", "profile", "staff_code", "staff", "position", "home_agency", "status",
    "counted",
    "excluded", "restored", "first_days", "mean_overall", "share_satisfied_pct",
    "wilson_low_pct", "wilson_high_pct", "expected_share_pct", "relative_points",
    "mean_relative", "score", "rank", "ranked_of", "attitude_answers", "level3_very_satisfied",
    "level3_satisfied", "level3_dissatisfied", "attitude_share_pct", "attitude_wilson_low_pct",
    "attitude_wilson_high_pct", "sub_score", "sub_score_max", "decided_grade", "decided_by",
    "decided_at", *[f"mean_{code}" for code in OTHER_CRITERIA], "negative_comments", "cases",
    "cases_on_time", "cases_late", "contests",
)


def _pct(value: float | None) -> float | None:
    return round(100 * value, 1) if value is not None else None


def _round(value: float | None, digits: int = 2) -> float | None:
    return round(value, digits) if value is not None else None


def _criterion_means(staff: StaffReport) -> dict[str, float | None]:
    return {index.code: index.mean for index in staff.criteria}


def staff_values(report: UnitReport, staff: StaffReport) -> list[object]:
    """One staff member's row in the order of CSV_COLUMNS."""
    score, overall, attitude = staff.score, staff.overall, staff.attitude
    interval = overall.interval if overall else None
    own = attitude.interval if attitude else None
    means = _criterion_means(staff)
    decision = staff.decision
    return [
        report.unit.code, report.period.key(), report.profile.key, staff.code, staff.name,
        staff.position, staff.home_agency or "", "ok" if staff.enough else "insufficient_data",
        staff.counted,
        len(staff.excluded), len(staff.restored), staff.first_days, _round(staff.mean),
        _pct(score.share if score else None), _pct(interval.low if interval else None),
        _pct(interval.high if interval else None), _pct(score.expected if score else None),
        _round(staff.relative, 1), _round(staff.relative_mean), _round(
            score.score if score else None, 1), staff.rank, report.ranked_count(),
        staff.level3.n, staff.level3.very_satisfied, staff.level3.satisfied,
        staff.level3.dissatisfied, _pct(attitude.share if attitude else None),
        _pct(own.low if own else None), _pct(own.high if own else None), staff.sub_score,
        report.version.max_points if report.version else None,
        GRADE_NAMES_VI[decision.grade] if decision else "",
        decision.decided_by.display_name if decision else "",
        format_datetime(decision.decided_at, "yyyy-MM-dd HH:mm") if decision else "",
        *[_round(means.get(code)) for code in OTHER_CRITERIA],
        len(staff.comments), len(staff.cases),
        sum(1 for case in staff.cases if case.late is False),
        sum(1 for case in staff.cases if case.late), len(staff.contests),
    ]


def write_csv(report: UnitReport, out: TextIO) -> int:
    """One row per staff member with stable column names; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for staff in report.staff:
        writer.writerow(["" if v is None else neutralise(v) for v in staff_values(report, staff)])
    return len(report.staff)


def _headers() -> list[str]:
    return [
        _("Unit"), _("Period"), _("Evaluation profile"), _("Staff code"), _("Staff member"),
        _("Position"), _("Home agency (seconded staff)"), _("Status"), _("Counted"),
        _("Excluded"), _("Restored"),
        _("First days at a counter"), _("Mean (overall)"), _("Share satisfied (%)"),
        _("Interval low (%)"), _("Interval high (%)"), _("Expected share (%)"),
        _("Relative to peers (points)"), _("Mean relative to peers"), _("Score"), _("Rank"),
        _("Ranked staff"), _("Answers on attitude and guidance"),
        _("Attitude and guidance: very satisfied"), _("Attitude and guidance: satisfied"),
        _("Attitude and guidance: dissatisfied"), _("Attitude and guidance: share satisfied (%)"),
        _("Attitude and guidance: interval low (%)"),
        _("Attitude and guidance: interval high (%)"), _("Sub-score (points)"),
        _("Sub-score: maximum points"), _("Grade decided by the head of unit"),
        _("Decided by"), _("Decided at"),
        *[_("Mean: %(criterion)s", criterion=criterion_name(code)) for code in OTHER_CRITERIA],
        _("Negative comments"), _("Cases"), _("Cases handled on time"), _("Cases late"),
        _("Requests for review"),
    ]


def _status(staff: StaffReport) -> str:
    return _("Enough data") if staff.enough else _("Insufficient data")


def _method_lines(report: UnitReport) -> Iterator[tuple[str, bool]]:
    yield _("How the numbers are computed"), True
    yield _("Unit: %(unit)s (%(code)s). Period: %(period)s.", unit=report.unit.name,
            code=report.unit.code, period=report.period.key()), False
    yield _("Minimum counted responses: %(min)s. Prior weight: %(weight)s. Evaluation profile: "
            "%(profile)s.", min=report.settings.min_responses,
            weight=f"{report.settings.prior_weight:g}", profile=report.profile.name), False
    for section in sections(report.settings, report.profile, report.version):
        yield section.title, True
        for paragraph in section.paragraphs:
            yield paragraph, False


def _excluded_rows(report: UnitReport, reader: SubjectView | None) -> Iterator[list[object]]:
    """The excluded and restored responses, one row per flag; those given to the reader (one
    who also serves at a counter) as they read them on their own page."""
    for staff in report.staff:
        own = reader if reader is not None and reader.staff_id == staff.staff_id else None
        for line, state_label in [*((x, _("Excluded")) for x in staff.excluded),
                                  *((x, _("Restored")) for x in staff.restored)]:
            if own is not None and not own.shows(line.public_id):
                continue
            for flag in line.state.flags:
                if own is not None:
                    yield [neutralise(staff.code), "", own.when(line.submitted_at),
                           rule_label(flag.rule), "", state_label]
                else:
                    yield [neutralise(staff.code), line.public_id,
                           format_datetime(line.submitted_at, "yyyy-MM-dd HH:mm"),
                           rule_label(flag.rule), neutralise(flag_reason(flag)), state_label]


def write_xlsx(report: UnitReport, out: io.BufferedIOBase,
               reader: SubjectView | None = None) -> None:
    """A workbook: staff rows, excluded responses with reasons, and the method. `reader`: the
    downloader's own staff record in this report, if any (`feedback.hr.subject`); its
    responses are shown as on their own page, and a line says so."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Staff")[:31]
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = styles.Font(bold=True)
        cell.alignment = styles.Alignment(wrap_text=True, vertical="top")
    for staff in report.staff:
        values = staff_values(report, staff)
        values[CSV_COLUMNS.index("status")] = _status(staff)
        sheet.append([neutralise(v) for v in values])
    sheet.freeze_panes = "E2"
    excluded = book.create_sheet(_("Excluded")[:31])
    excluded.append([_("Staff code"), _("Response"), _("Sent at"), _("Rule"), _("Reason"),
                     _("State")])
    for cell in excluded[1]:
        cell.font = styles.Font(bold=True)
    for row in _excluded_rows(report, reader):
        excluded.append(row)
    if reader is not None:
        excluded.append([])
        excluded.append([_("Responses given to you are shown as you see them on your own "
                           "page: by day or week, only for periods with enough responses, "
                           "without the details of the reason.")])
    method = book.create_sheet(_("Method")[:31])
    method.column_dimensions["A"].width = 110
    for text, heading in _method_lines(report):
        method.append([neutralise(text)])
        cell = method.cell(row=method.max_row, column=1)
        cell.alignment = styles.Alignment(wrap_text=True, vertical="top")
        if heading:
            cell.font = styles.Font(bold=True)
    book.save(out)


A4 = (8.27, 11.69)
#: Points: a page's title (matplotlib's "large" suptitle) and its table of one staff member.
TITLE_SIZE, TABLE_SIZE = 12, 9
#: The staff table in figure coordinates: its top, its columns and the height of a line.
TABLE_TOP, TABLE_LEFT, TABLE_SPLIT, TABLE_LINE = 0.9, 0.06, 0.42, 0.0125


def _wrap(text: str, width: int = 95) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _summary_page(report: UnitReport, text: pdf_text.TextPages):
    figure = charts.page_figure(*A4)
    text.page()
    text.text(0.5, 0.98, _("Staff evaluation: %(unit)s, %(period)s", unit=report.unit.name,
                           period=report.period.key()), TITLE_SIZE, centred=True)
    scores = [s.score.score for s in report.staff if s.score and s.score.score is not None]
    charts.draw_distribution(figure.add_axes((0.1, 0.62, 0.85, 0.28)), scores,
                             _("Scores of the unit"), _("Score"), _("Staff members"))
    lines = [
        *([_("To: %(agency)s, the home agency of the staff members below, seconded to "
             "%(unit)s.", agency=report.addressee, unit=report.unit.name)]
          if report.addressee else []),
        _("Responses: %(n)s, of which excluded: %(excluded)s, without a staff member on duty: "
          "%(none)s.", n=report.responses, excluded=report.excluded, none=report.unattributed),
        _("Share satisfied in the unit: %(share)s",
          share=_percent_text(report.unit_overall.share) if report.unit_overall.enough
          else _("Insufficient data")),
        _("Staff members: %(n)s, with enough data: %(ranked)s.", n=len(report.staff),
          ranked=report.ranked_count()),
        _("Evaluation profile: %(profile)s", profile=report.profile.name),
        _("Graded by the head of unit: %(n)s of %(total)s staff members.",
          n=sum(1 for s in report.staff if s.decision), total=len(report.staff)),
        *[f"{rule_label(rule)}: {count}" for rule, count in
          sorted(report.flagged_by_rule.items())],
    ]
    text.text(0.06, 0.52, "\n".join(_wrap(line, 90) for line in lines), 10, linespacing=1.6)
    return figure


def _percent_text(value: float | None) -> str:
    """A share as a percentage in the report's locale ("75,0 %" in Vietnamese)."""
    return "—" if value is None else format_decimal(100 * value, format="0.0") + " %"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _table_rows(report: UnitReport, staff: StaffReport) -> list[list[str]]:
    score, overall = staff.score, staff.overall
    interval = overall.interval if overall else None

    rows = [
        [_("Counted responses"), str(staff.counted)],
        [_("Excluded (restored)"), f"{len(staff.excluded)} ({len(staff.restored)})"],
        [_("First days at a counter"), str(staff.first_days)],
    ]
    if not staff.enough:
        rows.append([_("Status"), _("Insufficient data: fewer than %(min)s counted responses, "
                                    "no score.", min=report.settings.min_responses)])
    else:
        rows += [
            [_("Share satisfied"), _percent_text(score.share)],
            [_capital(_("%(level)s interval", level="95%")),
             f"{_percent_text(interval.low)} – {_percent_text(interval.high)}"],
            [_("Expected share (area mix)"), _percent_text(score.expected)],
            [_("Relative to peers"), format_decimal(shown(staff.relative, 1), format="+0.0;-0.0")],
            [_("Score"), format_decimal(score.score, format="0.0")],
            [_("Rank"), f"{staff.rank} / {report.ranked_count()}"],
        ]
    rows += [
        [_("Attitude and guidance: very satisfied / satisfied / dissatisfied"),
         f"{staff.level3.very_satisfied} / {staff.level3.satisfied} / "
         f"{staff.level3.dissatisfied}"],
        [_("Sub-score (points)"), _sub_score_text(report, staff)],
        [_("Grade decided by the head of unit"), _decision_text(staff)],
        [_("Negative comments"), str(len(staff.comments))],
        [_("Cases (on time / late)"), _("%(n)s (%(on_time)s / %(late)s)", n=len(staff.cases),
                                        on_time=sum(1 for c in staff.cases if c.late is False),
                                        late=sum(1 for c in staff.cases if c.late))],
        [_("Requests for review"), str(len(staff.contests))],
    ]
    return rows


def _sub_score_text(report: UnitReport, staff: StaffReport) -> str:
    if report.version is None:
        return _("No evaluation profile in force for this period.")
    if staff.sub_score is None:
        return _("Too few answers on attitude and guidance.")
    return _("%(points)s of %(max)s points: %(row)s", points=format_decimal(
        staff.sub_score, format="0.0"), max=format_decimal(report.version.max_points,
                                                            format="0.#"),
        row=report.version.criterion_row)


def _decision_text(staff: StaffReport) -> str:
    return decision_text(staff.decision) if staff.decision else _("Not decided yet")


class _StaffPages:
    """The staff pages' charts as one figure: made for the first staff member, then each page
    changes only the data (making the axes, ticks and texts again for every page took a third of
    a PDF's time). Their title and table are text pages (`pdf_text`)."""

    def __init__(self, text: pdf_text.TextPages) -> None:
        self.text = text
        self.figure = charts.page_figure(*A4)
        self.criteria = charts.CriteriaChart(self.figure.add_axes((0.36, 0.3, 0.56, 0.2)),
                                             _("Mean rating per criterion"))
        self.trend = charts.TrendChart(self.figure.add_axes((0.1, 0.07, 0.78, 0.15)),
                                       _("Per month"), _("Responses"), _("Share satisfied (%)"))

    def page(self, report: UnitReport, staff: StaffReport):
        """The figure showing this staff member's charts, after writing their text page."""
        self.text.page()
        self.text.text(0.5, 0.98, f"{staff.name} ({staff.code})\n{report.unit.name} · "
                                  f"{report.period.key()}", TITLE_SIZE, centred=True)
        self._table([(_wrap(a, 40), _wrap(b, 60)) for a, b in _table_rows(report, staff)])
        self.criteria.show([criterion_name(i.code) for i in staff.criteria],
                           [i.mean for i in staff.criteria],
                           [format_decimal(i.mean, format="0.00") if i.mean is not None
                            else _("too few answers") for i in staff.criteria])
        self.trend.show([m[0] for m in staff.months], [m[1] for m in staff.months],
                        [m[2] for m in staff.months])
        return self.figure

    def _table(self, rows: list[tuple[str, str]]) -> None:
        """Label and value from the top down, a rule under each row; a row is as tall as its
        longest wrapped cell."""
        y, rules = TABLE_TOP, []
        for label, value in rows:
            self.text.text(TABLE_LEFT, y, label, TABLE_SIZE)
            self.text.text(TABLE_SPLIT, y, value, TABLE_SIZE)
            y -= TABLE_LINE * (max(label.count("\n"), value.count("\n")) + 1) + 0.006
            rules.append(y + 0.003)
        self.text.rules(TABLE_LEFT, 1 - TABLE_LEFT, rules, 0.4, charts.MUTED)


def _method_page(report: UnitReport, text: pdf_text.TextPages):
    text.page()
    lines = []
    for line, heading in _method_lines(report):
        lines.append(("\n" + line.upper()) if heading else _wrap(line, 100))
    text.text(0.05, 0.97, "\n".join(lines), 7.5, linespacing=1.4)
    return charts.page_figure(*A4)


def write_pdf(report: UnitReport, out: io.BufferedIOBase) -> int:
    """A summary page, one page per staff member and the method; returns the page count.
    matplotlib draws the charts, fpdf2 writes the other text over them (`pdf_text`)."""
    # fontTools logs every font subset at INFO; the app's JSON log is no place for that.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    text, drawn = pdf_text.TextPages(*A4), io.BytesIO()
    with settings(charts.RC), backend_pdf.PdfPages(drawn) as pdf:
        pdf.savefig(_summary_page(report, text))
        staff_pages = _StaffPages(text)
        for staff in report.staff:  # one figure: each page is saved before the next is shown
            pdf.savefig(staff_pages.page(report, staff))
        pdf.savefig(_method_page(report, text))
    return pdf_text.overlay(drawn.getvalue(), text.output(), out, {
        "/Title": _("Staff evaluation: %(unit)s, %(period)s", unit=report.unit.name,
                    period=report.period.key()),
        "/Creator": "Hài Lòng"})
