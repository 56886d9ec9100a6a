"""A staff member's own dashboard cannot trace the citizen who rated them: no period still
running (watched after each citizen), no single day or short range, no time of day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Role
from core.timeutil import local_today
from feedback.periods import PeriodKind, containing, last_full_month
from tests.support import recent_office_hour

ANGRY = "Thái độ rất tệ, quát tháo người dân"


@pytest.fixture
def served(create_org, store):
    """A staff member rated by citizens last month and today; their signed-in client."""
    org = create_org(since=datetime.now(UTC) - timedelta(days=120))

    def do(sign_in):
        month = last_full_month()
        first = recent_office_hour(datetime.combine(month.end, datetime.min.time(), UTC)
                                   - timedelta(days=3))
        for i in range(6):
            store(org, rating=5, at=first - timedelta(days=i))
        store(org, rating=1, reasons=("attitude",), comment=ANGRY, label="negative",
              topics=("staff_attitude",), at=recent_office_hour())
        return sign_in(Role.STAFF, "00001", staff_id=org["counters"][0]["staff_id"]), month

    return do


def _today_periods() -> list[str]:
    today = local_today()
    return [today.isoformat(), containing(PeriodKind.WEEK, today).key(),
            containing(PeriodKind.MONTH, today).key(), containing(PeriodKind.YEAR, today).key(),
            f"{(today - timedelta(days=3)).isoformat()}..{today.isoformat()}"]


@pytest.mark.parametrize("which", range(5))
def test_a_period_still_running_is_not_shown_to_the_staff_member(served, sign_in, which):
    staff, _month = served(sign_in)
    period = _today_periods()[which]
    for url in (f"/dashboard?period={period}&lang=en",
                f"/dashboard/export/distribution.csv?period={period}",
                f"/dashboard/export/topics.csv?period={period}",
                f"/dashboard/export/sentiment.csv?period={period}",
                f"/dashboard/chart/distribution.svg?period={period}"):
        response = staff.get(url)
        assert response.status_code == 403, url
    page = staff.get(f"/dashboard?period={period}&lang=en").get_data(as_text=True)
    assert "whole months, quarters or years that are over" in page


def test_a_single_past_day_is_not_shown_to_the_staff_member(served, sign_in):
    staff, month = served(sign_in)
    day = (month.end - timedelta(days=3)).isoformat()
    assert staff.get(f"/dashboard/export/distribution.csv?period={day}").status_code == 403


def test_a_past_month_is_shown_without_the_time_of_day(served, sign_in):
    staff, month = served(sign_in)
    page = staff.get(f"/dashboard?period={month.key()}&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "of 6 responses" in html or "6 responses" in html
    assert "heatmap" not in html and "weekday and hour" not in html
    assert "Today" not in html and "This month" not in html
    assert staff.get(f"/dashboard/chart/heatmap.svg?period={month.key()}").status_code == 404
    assert staff.get(f"/dashboard/export/heatmap.csv?period={month.key()}").status_code == 404


def test_leaders_still_see_today_and_the_heatmap(create_org, store, sign_in):
    create_org()
    leader = sign_in(Role.LEADER, "00001")
    today = local_today().isoformat()
    assert leader.get(f"/dashboard?period={today}").status_code == 200
    assert leader.get(f"/dashboard/export/heatmap.csv?period={today}").status_code == 200


def test_a_leader_who_serves_sees_their_own_numbers_under_the_same_rule(served, sign_in):
    """A leader (or HR officer) linked to the staff record they serve under: their own staff
    dashboard shows no period still running and no time of day, as a staff member's does;
    the ward's dashboard stays theirs to read."""
    _staff, month = served(sign_in)  # the first counter's staff member is S00001-1
    leader = sign_in(Role.LEADER, "00001", staff_code="S00001-1")
    today = local_today().isoformat()
    for url in (f"/dashboard?staff=S00001-1&period={today}&lang=en",
                f"/dashboard/export/heatmap.csv?staff=S00001-1&period={month.key()}"):
        assert leader.get(url).status_code in (403, 404), url
    assert leader.get(f"/dashboard?staff=S00001-1&period={month.key()}").status_code == 200
    page = leader.get(f"/dashboard?staff=S00001-1&period={month.key()}&lang=en").get_data(
        as_text=True)
    assert "heatmap.svg" not in page and "This week" not in page
    assert leader.get(f"/dashboard?unit=00001&period={today}").status_code == 200
