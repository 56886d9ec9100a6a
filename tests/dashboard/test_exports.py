"""Every dashboard table downloads as CSV and XLSX, in the reader's language, formula-safe."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import Role, User
from core.db import db
from feedback.models import Response
from feedback.reviews import review_sentiment


def test_every_table_on_the_page_can_be_downloaded(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    html = client.get("/dashboard?period=2025-06").get_data(as_text=True)
    tables = set(re.findall(r'<table id="table-([a-z-]+)">', html))
    exported = set(re.findall(r'/dashboard/export/([a-z-]+)\.csv', html))
    assert {"criteria", "trend", "heatmap", "distribution", "topics", "comments"} <= tables
    assert tables <= exported
    for name in exported:
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/dashboard/export/{name}.{fmt}?period=2025-06")
            assert response.status_code == 200, (name, fmt)
            assert response.headers["Content-Disposition"].endswith(f'2025-06.{fmt}"')


def test_headers_follow_the_language_and_numbers_stay_numbers(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    vi = client.get("/dashboard/export/criteria.csv?period=2025-06&lang=vi")
    header = next(csv.reader(io.StringIO(vi.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[:4] == ["Tiêu chí", "Số phiếu", "Điểm trung bình (1–5)", "Tỷ lệ hài lòng"]
    xlsx = client.get("/dashboard/export/criteria.xlsx?period=2025-06&lang=vi")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:2]) == ["Tiêu chí", "Số phiếu"]
    assert rows[1][0] == "Đánh giá chung" and rows[1][1] == 12 and rows[1][3] == 75.0
    en = client.get("/dashboard/export/criteria.csv?period=2025-06&lang=en")
    assert en.get_data(as_text=True).lstrip("\ufeff").startswith("Criterion,Number of responses,")


def test_formulas_in_comments_are_neutralised_in_csv_and_xlsx(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    exported = client.get("/dashboard/export/comments.csv?period=2025-06")
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = exported.get_data(as_text=True)
    comments = [row[-1] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))][1:]
    assert "'=HYPERLINK(\"http://example.com\",\"x\")" in comments
    assert not any(c.startswith("=") for c in comments)
    xlsx = client.get("/dashboard/export/comments.xlsx?period=2025-06")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    cells = [row[-1] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert "'=HYPERLINK(\"http://example.com\",\"x\")" in [cell.value for cell in cells]


def test_comments_show_uncertain_and_reviewed_labels(app, june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    with app.app_context():
        for response in db.session.execute(select(Response)).scalars():
            if response.comment == "Cán bộ nhiệt tình":
                response.sentiment_label, response.sentiment_confidence = "positive", 0.95
            elif response.comment:
                response.sentiment_label, response.sentiment_confidence = "negative", 0.41
        reviewed = db.session.execute(
            select(Response).where(Response.comment == "Cán bộ nhiệt tình")).scalars().first()
        review_sentiment(reviewed, "neutral", db.session.execute(select(User)).scalar_one())
        db.session.commit()
    text = client.get("/dashboard/export/comments.csv?period=2025-06").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
    labels = sorted(row[-2] for row in rows)
    assert labels == sorted(["Khen"] * 3 + ["Trung tính (đã rà soát)"]
                            + ["Chê (chưa chắc chắn)"] * 2)
