"""The person complained about cannot find who complained: a staff member sees comments about
them only by past day, above a threshold, masked, and never the integrity reports."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from accounts.models import Role
from core.timeutil import local_today, to_local
from tests.support import recent_office_hour

BRIBE = "Cán bộ vòi tiền 500 nghìn mới nhận hồ sơ"
SLOW = "Chờ quá lâu, chị Nguyễn Thị Lan gọi 0912 345 678 mà không ai nghe"
SLOW_MASKED = "Chờ quá lâu, chị *** gọi *** mà không ai nghe"


def _day_before_today() -> datetime:
    """A weekday 09:30 (local) before today: its day is over and it is within opening hours."""
    return recent_office_hour(datetime.now(UTC) - timedelta(days=1))


def _text_of(data: bytes, link: str) -> str:
    if not link.split("?")[0].endswith(".xlsx"):
        return data.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(" ".join(str(cell) for cell in row if cell is not None)
                     for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def _pages(client, staff_id: int, month: str) -> dict[str, str]:
    pages = {}
    # A staff member's own dashboard and HR page show only months that are over
    # (feedback/dashboard/subject, feedback/hr/subject)
    running = month == local_today().strftime("%Y-%m")
    for url in ("/inbox/me", f"/hr/staff/{staff_id}?period={month}", "/hr/contests",
                f"/dashboard?period={month}"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == (403 if running and url.startswith(("/dashboard",
                                                                           "/hr/staff"))
                                         else 200), url
        pages[url] = response.get_data(as_text=True)
    for link in sorted(set(re.findall(r'href="(/dashboard/export/[^"]+)"',
                                      pages[f"/dashboard?period={month}"]))):
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        pages[link] = _text_of(response.get_data(), link)
    hr_me = client.get(f"/hr/me?period={month}")
    assert hr_me.headers["Location"].endswith(f"/hr/staff/{staff_id}?period={month}")
    return pages


def test_staff_member_sees_no_minute_counter_or_integrity_report(app, create_org, store,
                                                                  sign_in):
    org = create_org(counters=2)
    start = _day_before_today()
    times = [start + timedelta(minutes=17 * i) for i in range(6)]
    bribe = store(org, rating=1, reasons=("waiting",), comment=BRIBE, label="negative",
                  integrity=True, at=times[0])
    store(org, rating=2, reasons=("waiting",), comment=SLOW, label="negative", at=times[1])
    for at in times[2:]:
        store(org, rating=4, at=at)
    assert bribe["case_id"] is not None
    staff_id = org["counters"][0]["staff_id"]
    staff = sign_in(Role.STAFF, "00001", staff_id=staff_id)
    month = to_local(start).strftime("%Y-%m")

    pages = _pages(staff, staff_id, month)

    assert SLOW_MASKED in pages["/inbox/me"]
    with app.app_context():
        counter_label = f"Quầy {org['counters'][0]['id']}"
    minutes = [to_local(at).strftime("%H:%M") for at in times]
    for url, text in pages.items():
        assert BRIBE not in text and "vòi tiền" not in text, url
        assert "Nguyễn Thị Lan" not in text and "0912 345 678" not in text, url
        assert "Quầy 1" not in text and counter_label not in text, url
        for minute in minutes:
            assert minute not in text and minute.lstrip("0") not in text, (url, minute)


def test_comments_wait_for_the_day_to_end_and_enough_responses(app, create_org, store,
                                                                sign_in):
    org = create_org()
    start = _day_before_today()
    for i in range(4):
        store(org, rating=2, reasons=("waiting",), comment=f"Chậm trễ XYZ{i}",
              at=start + timedelta(minutes=20 * i))
    store(org, rating=2, reasons=("waiting",), comment="Chậm trễ XYZ hôm nay")
    staff = sign_in(Role.STAFF, "00001", staff_id=org["counters"][0]["staff_id"])
    page = staff.get("/inbox/me").get_data(as_text=True)
    assert "XYZ" not in page

    app.config["STAFF_VIEW_MIN_RESPONSES"] = 4
    page = staff.get("/inbox/me").get_data(as_text=True)
    assert "Chậm trễ XYZ0" in page and "Chậm trễ XYZ3" in page
    assert "Chậm trễ XYZ hôm nay" not in page


def test_names_and_phones_are_masked_except_for_the_leader_on_the_case(app, org, store,
                                                                        sign_in):
    case_id = store(org, rating=1, reasons=("waiting",), comment=SLOW, label="negative")["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    assert "chị *** gọi ***" in leader.get("/inbox").get_data(as_text=True)
    assert "chị *** gọi ***" in leader.get("/inbox/responses").get_data(as_text=True)
    assert SLOW in leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    hr_page = sign_in(Role.HR, "P00001").get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert SLOW_MASKED in hr_page and "0912 345 678" not in hr_page


def test_weekly_granularity_groups_by_past_week_only(app, create_org, store, sign_in):
    org = create_org()
    app.config.update(STAFF_VIEW_GRANULARITY="week", STAFF_VIEW_MIN_RESPONSES=3)
    today = to_local(datetime.now(UTC)).date()
    last_monday = today - timedelta(days=today.weekday() + 7)
    for i, offset in enumerate((0, 2, 4)):  # Monday, Wednesday, Friday of last week
        store(org, rating=2, reasons=("waiting",), comment=f"Tuần trước XYZ{i}",
              at=recent_office_hour(datetime.combine(
                  last_monday + timedelta(days=offset + 1), datetime.min.time(), UTC)))
    store(org, rating=2, reasons=("waiting",), comment="Tuần này XYZ")
    staff = sign_in(Role.STAFF, "00001", staff_id=org["counters"][0]["staff_id"])
    page = staff.get("/inbox/me").get_data(as_text=True)
    assert "Tuần trước XYZ0" in page and "Tuần trước XYZ2" in page
    assert "Tuần này XYZ" not in page and "gộp theo tuần" in page
    assert page.count("<h2>Tuần từ") == 1
