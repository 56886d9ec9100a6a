"""Benchmark the HR report of one ward for a quarter and its CSV, XLSX and PDF exports.

Run: ``python bench/bench_hr_report.py [--staff 20] [--responses 30000]``. Builds a throwaway
SQLite database in a temp folder, one ward with one counter per staff member and the given
number of responses (five ratings each, inserted in bulk) spread over 2026-Q3 office hours,
then times `unit_report` (it only reads: integrity is screened when responses are stored) and
each export of the report. The chart and PDF libraries are imported before timing, as a gunicorn
worker does at start (`core.lazy.warm`); the PDF is written twice and the second is timed (the
first loads the fonts; nothing of it is kept for the second). Wall and CPU seconds: on a busy
machine compare the CPU figures. Prints a table, then one JSON line with the seconds and the
PDF/CSV ratio.
"""

import argparse
import io
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_babel import force_locale  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from core.db import db  # noqa: E402
from core.lazy import warm  # noqa: E402
from feedback.hr.evaluation import Settings, unit_report  # noqa: E402
from feedback.hr.exports import write_csv, write_pdf, write_xlsx  # noqa: E402
from feedback.models import Answer, Response  # noqa: E402
from feedback.periods import parse_period  # noqa: E402
from surveys import services  # noqa: E402
from surveys.models import UnitKind  # noqa: E402
from surveys.queries import unit_by_code  # noqa: E402

START = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)  # 08:00 local


def build(staff_count: int, responses: int) -> None:
    """One ward, one counter and staff member each, and `responses` rows in 2026-Q3."""
    province = services.create_unit("P-BENCH", "Tỉnh thử", UnitKind.PROVINCE)
    ward = services.create_unit("BENCH", "Phường thử", UnitKind.WARD, province)
    centre = services.create_centre(ward, "Trung tâm thử", "")
    areas = services.ensure_procedure_areas()
    survey = services.ensure_default_survey()
    counters = []
    for i in range(staff_count):
        counter = services.create_counter(centre, f"Quầy {i + 1}", areas[i % 3:i % 3 + 1])
        staff = services.create_staff(f"B{i}", f"Cán bộ {i}", ward)
        services.assign_staff(staff, counter, starts_at=START - timedelta(days=30))
        counters.append((counter.id, staff.id, areas[i % 3].id))
    db.session.flush()
    questions = [q.id for q in survey.questions]
    rng = random.Random(7)
    days = [d for d in (date(2026, 7, 1) + timedelta(days=k) for k in range(92))
            if d.weekday() < 5]
    rows, answers = [], []
    for n in range(responses):
        counter_id, staff_id, area_id = counters[n % staff_count]
        day = days[rng.randrange(len(days))]
        at = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC) + timedelta(
            minutes=rng.randrange(540))
        rows.append({"id": n + 1, "public_id": str(uuid.uuid4()), "submission_key": f"b{n}",
                     "counter_id": counter_id, "centre_id": centre.id, "unit_id": ward.id,
                     "staff_id": staff_id, "survey_id": survey.id, "procedure_area_id": area_id,
                     "submitted_at": at, "received_at": at, "locale": "vi",
                     "device_hash": uuid.uuid4().hex, "ip_hash": f"ip{rng.randrange(200)}"})
        overall = rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
        answers.extend({"response_id": n + 1, "question_id": q,
                        "value": overall if k == 0 else rng.randint(1, 5)}
                       for k, q in enumerate(questions))
    db.session.execute(Response.__table__.insert(), rows)
    db.session.execute(Answer.__table__.insert(), answers)
    db.session.commit()


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def timed_cpu(action) -> tuple[float, float]:
    """Wall and CPU seconds of `action`."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--responses", type=int, default=30_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                          "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context(), app.test_request_context(), force_locale("vi"):
            upgrade()
            build(args.staff, args.responses)
            unit = unit_by_code("BENCH")
            period, settings = parse_period("2026-Q3"), Settings()
            report_s, report = timed(lambda: unit_report(unit, period, settings))
            figures = {"report_s": report_s}
            warm()  # what a gunicorn worker imports at start (`post_worker_init`)
            write_pdf(report, io.BytesIO())
            for name, writer, out in (("csv", write_csv, io.StringIO()),
                                      ("xlsx", write_xlsx, io.BytesIO()),
                                      ("pdf", write_pdf, io.BytesIO())):
                figures[f"{name}_s"], figures[f"{name}_cpu_s"] = timed_cpu(
                    lambda w=writer, o=out: w(report, o))
            figures["pdf_over_csv"] = figures["pdf_s"] / figures["csv_s"]
            db.engine.dispose()
    print(f"{args.staff} staff, {args.responses} responses, "
          f"{report.excluded} excluded by integrity rules")
    for key, value in figures.items():
        print(f"  {key:<18} {value:8.2f}")
    print(json.dumps({"staff": args.staff, "responses": args.responses,
                      **{k: round(v, 3) for k, v in figures.items()}}))


if __name__ == "__main__":
    main()
