"""How long storing one response takes when the database already holds N responses.

Bulk-loads N synthetic responses into a fresh SQLite file (bench/generate.py), then stores
responses through `record_response` (tagging, rollups, case opening and the centre's alert
check included), one commit each, and prints milliseconds per response. A per-submission cost
that grows with N means some step reads more than the rows it needs.

    python bench/bench_submission.py --responses 300000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from core.db import db  # noqa: E402
from feedback.services import Submission, record_response  # noqa: E402
from surveys.models import Counter, Survey  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument("--submissions", type=int, default=20)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench_submission.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        org = generate.build_organisation()
        db.session.commit()
        with mock.patch.object(generate, "rebuild_rollups", lambda: 0.0):
            generate.load_responses(org, args.responses)
        survey = db.session.get(Survey, org.survey_id)
        counter = db.session.get(Counter, org.counters[0][0])
        ratings = {q.id: 1 for q in survey.questions}  # unhappy: opens a case, checks alerts
        began, cpu = time.perf_counter(), time.process_time()
        for i in range(args.submissions):
            record_response(counter, survey, Submission(
                submission_key=f"timed-submission-{i}", ratings=ratings, locale="vi",
                comment="Chờ quá lâu, cán bộ không hướng dẫn"))
            db.session.commit()
        per = (time.perf_counter() - began) / args.submissions * 1000
        per_cpu = (time.process_time() - cpu) / args.submissions * 1000
    print(f"{args.responses:,} responses stored before; record_response + commit: "
          f"{per:.1f} ms per submission ({per_cpu:.1f} ms CPU)")


if __name__ == "__main__":
    main()
