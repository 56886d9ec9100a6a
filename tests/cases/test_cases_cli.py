"""`flask cases backfill` and `flask cases check-alerts`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import db
from feedback.cases.models import Case, CaseEvent, CentreAlert


def test_backfill_opens_missing_cases_once(app, org, store, runner):
    needs = store(org, rating=1, reasons=("waiting",))
    store(org, rating=5)
    with app.app_context():  # as if stored before the case feature existed
        db.session.execute(CaseEvent.__table__.delete())
        db.session.execute(Case.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["cases", "backfill", "--batch-size", "1"])
    assert result.exit_code == 0 and "Số phản ánh đã mở: 1" in result.output
    assert "Số phản ánh đã mở: 0" in runner.invoke(args=["cases", "backfill"]).output
    with app.app_context():
        assert db.session.execute(db.select(Case.response_id)).scalars().all() == [
            needs["response_id"]]


def test_check_alerts_closes_recovered_centres(app, org, store, runner):
    store(org, rating=5, comment="Phải đưa tiền", integrity=True,
          at=datetime.now(UTC) - timedelta(minutes=20))
    result = runner.invoke(args=["cases", "check-alerts"])
    assert result.exit_code == 0 and "Số thư cảnh báo đã gửi: 0" in result.output
    with app.app_context():
        assert db.session.execute(db.select(CentreAlert.resolved_at)).scalar_one() is not None
