"""The dashboard page: who sees what, filters in the URL, numbers as counted by hand."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask_babel import force_locale

from accounts.models import Role
from feedback.dashboard.tables import display


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_ward_indices_include_the_merged_ward_and_compare_with_the_month_before(june, sign_in,
                                                                                client):
    sign_in(Role.LEADER, "31117", client=client)
    page = client.get("/dashboard?period=2025-06&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Phường Ninh Kiều" in html and "TT Cái Khế" not in html
    assert "77.8% satisfied" in html and "of 9 responses" in html
    rows = _csv(client, "/dashboard/export/criteria.csv?period=2025-06&lang=en")
    assert rows[0][:4] == ["Criterion", "Number of responses", "Mean score (1–5)",
                           "Share satisfied"]
    overall = rows[1]
    assert overall[0] == "Overall"
    # n, mean, share %, interval, previous mean, previous share, change in mean and share
    assert overall[1:4] == ["9", "3.78", "77.8"]
    assert overall[6:10] == ["3.0", "0.0", "0.78", "77.8"]
    assert float(overall[4]) < 77.8 < float(overall[5])


def test_province_ranks_its_wards_with_merged_history_under_the_new_ward(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    rows = _csv(client, "/dashboard/export/ranking-unit.csv?period=2025-06&lang=en")
    assert [(r[0], r[1], r[3], r[5]) for r in rows[1:]] == [
        ("1", "Phường Ninh Kiều", "9", "77.8"), ("2", "Phường Cái Khế", "3", "66.7")]
    counters = _csv(client, "/dashboard/export/ranking-counter.csv?period=2025-06&lang=en")
    unranked = [r for r in counters[1:] if r[0] == ""]
    assert [(r[1], r[3], r[-1]) for r in unranked] == [("Quầy 2", "2", "not enough responses")]
    html = client.get("/dashboard?period=2025-06&lang=en").get_data(as_text=True)
    assert "75.0% satisfied" in html and "of 12 responses" in html


def test_a_national_administrator_sees_every_unit(june, sign_in, client):
    sign_in(Role.ADMIN, client=client)
    html = client.get("/dashboard?period=2025-06&lang=en").get_data(as_text=True)
    assert "75.0% satisfied" in html and "of 12 responses" in html
    rows = _csv(client, "/dashboard/export/ranking-unit.csv?period=2025-06&lang=en")
    assert [(r[1], r[3]) for r in rows[1:]] == [("Phường Ninh Kiều", "9"), ("Phường Cái Khế", "3")]
    centre = client.get(f"/dashboard?period=2025-06&centre={june['centres'][1]}&lang=en")
    assert "of 6 responses" in centre.get_data(as_text=True)


def test_filters_in_the_url_narrow_the_scope_and_are_kept_in_every_link(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    centre_id = june["centres"][1]
    url = f"/dashboard?period=2025-06&centre={centre_id}&lang=en"
    html = client.get(url).get_data(as_text=True)
    assert "of 6 responses" in html
    charts = re.findall(r'<img class="chart" src="([^"]+)"', html)
    assert charts and all(f"centre={centre_id}" in src and "period=2025-06" in src
                          for src in charts)
    area = june["areas"][1]
    narrowed = client.get(f"{url}&area={area}").get_data(as_text=True)
    assert narrowed.count(f"area={area}") >= len(charts)


def test_units_outside_the_leaders_scope_are_not_found(june, sign_in, client):
    sign_in(Role.LEADER, "31120", client=client)
    assert client.get("/dashboard?period=2025-06").status_code == 200
    assert client.get("/dashboard?unit=31117").status_code == 404
    assert client.get(f"/dashboard?centre={june['centres'][1]}").status_code == 404
    assert client.get("/dashboard?staff=CB003").status_code == 404
    assert client.get("/dashboard/export/criteria.csv?unit=92").status_code == 404
    assert client.get("/dashboard?period=2025-13").status_code == 400


def test_staff_see_only_their_own_numbers(june, sign_in, client):
    sign_in(Role.STAFF, "31117", staff_code="CB003", client=client)
    page = client.get("/dashboard?period=2025-06&lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nguyễn Văn 3" in html and "of 4 responses" in html
    assert "Latest comments" not in html and "ranking-" not in html
    assert client.get("/dashboard?staff=CB004").status_code == 403
    assert client.get("/dashboard?unit=31117").status_code == 403
    assert client.get("/dashboard/export/comments.csv?period=2025-06").status_code == 404
    assert client.get("/dashboard/export/ranking-staff.csv?period=2025-06").status_code == 404


def test_too_few_responses_show_a_note_instead_of_a_number(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    html = client.get(f"/dashboard?period=2025-06&counter={june['counters'][3]}&lang=en") \
        .get_data(as_text=True)
    assert "2 responses: not enough responses." in html
    assert "% satisfied" not in html


def test_the_minimum_of_responses_is_configured_by_environment(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "x")
    assert create_app().config["MIN_RESPONSES_FOR_INDEX"] == 30
    monkeypatch.setenv("MIN_RESPONSES_FOR_INDEX", "12")
    assert create_app().config["MIN_RESPONSES_FOR_INDEX"] == 12
    monkeypatch.setenv("MIN_RESPONSES_FOR_INDEX", "a dozen")
    with pytest.raises(ValueError):
        create_app()


def test_without_a_period_the_dashboard_shows_the_last_full_month(june, sign_in, client):
    from core.timeutil import local_today
    from feedback.periods import PeriodKind, containing

    sign_in(Role.HR, "92", client=client)
    html = client.get("/dashboard?lang=en").get_data(as_text=True)
    last_month = containing(PeriodKind.MONTH, local_today()).previous().key()
    assert f"Period {last_month}," in html
    assert f'period={last_month}"' in html.split('aria-label="Periods"')[1]  # "Last month" link


def test_choosing_another_centre_drops_the_counter_of_the_previous_one(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    first_centre_counter = june["counters"][0]  # counters 0 and 1 belong to centre 0
    html = client.get(f"/dashboard?period=2025-06&centre={june['centres'][1]}"
                      f"&counter={first_centre_counter}&lang=en").get_data(as_text=True)
    assert "of 6 responses" in html  # the whole of the newly chosen centre
    assert f'value="{first_centre_counter}" selected' not in html
    assert 'data-follow="unit centre"' in html and "filters.js" in html


def test_the_dashboard_shows_the_766_ratios_against_the_target(june, sign_in, client):
    sign_in(Role.LEADER, "31117", client=client)
    html = client.get("/dashboard?period=2025-06&lang=en").get_data(as_text=True)
    section = html.split('id="h-766"')[1].split("</section>")[0]
    # 9 responses, 2 of them rated 1–3 ("không hài lòng"), no complaint: 7/9.
    assert "Satisfaction with the handling of procedures" in section
    assert "77.8 % (7/9)" in section and "Below target" in section
    assert "Share of complaints handled on time" in section and "—" in section
    assert "90 %, 95 %" in section


def test_staff_dashboards_leave_the_766_ratios_out(june, sign_in, client):
    sign_in(Role.STAFF, "31117", staff_code="CB003", client=client)
    page = client.get("/dashboard?period=2025-06")
    assert page.status_code == 200 and 'id="h-766"' not in page.get_data(as_text=True)


@pytest.mark.parametrize(("kind", "value", "text"), [
    ("delta_share", -0.0004, "+0,0"), ("delta_mean", -0.001, "+0,00"), ("mean", -0.001, "0,00"),
    ("delta_share", -0.0006, "-0,1"), ("delta_mean", 0.004, "+0,00"),
])
def test_a_change_that_rounds_to_nothing_is_never_shown_as_minus_zero(app, kind, value, text):
    with app.test_request_context("/?lang=vi"), force_locale("vi"):
        assert display(kind, value) == text


def test_a_long_ranking_lists_its_best_and_lowest_and_the_download_has_all(june, sign_in,
                                                                           client, monkeypatch):
    monkeypatch.setattr("feedback.dashboard.report.RANKING_EDGE", 1)
    sign_in(Role.HR, "92", client=client)
    rows = _csv(client, "/dashboard/export/ranking-counter.csv?period=2025-06&lang=en")
    ranked_rows = [r for r in rows[1:] if r[0]]
    assert [r[0] for r in ranked_rows] == [str(i) for i in range(1, len(ranked_rows) + 1)]
    assert len(ranked_rows) >= 3 and len(rows) - 1 > len(ranked_rows)
    html = client.get("/dashboard?period=2025-06&lang=en").get_data(as_text=True)
    section = html[html.index('id="h-ranking-counter"'):]
    section = section[:section.index("</section>")]
    assert f"(2 of {len(rows) - 1})" in section
    listed = re.findall(r"<tr>\s*<td[^>]*>(\d+)</td>", section)
    assert listed == ["1", str(len(ranked_rows))]
