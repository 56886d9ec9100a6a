"""Charts drawn ahead of their first view, and the store that workers and restarts share."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest

from accounts.models import Role
from core.db import db
from feedback.dashboard import cache, warm
from feedback.dashboard import report as report_module
from feedback.dashboard.chart_store import ChartStore
from feedback.periods import parse_period
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey
from tests.support import post_login

JUNE = "2025-06"


@pytest.fixture
def store_app(make_app, tmp_path):
    """An app whose workers share a chart store in a temporary folder."""
    return make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1,
                    DASHBOARD_CHART_DIR=str(tmp_path / "charts"))


def _june_warmer(app) -> warm.Warmer:
    return warm.Warmer(app, periods=lambda: [parse_period(JUNE)])


def _store(app, june, key: str, value: int = 1) -> None:
    """One response in June at ward B's first counter (31120)."""
    with app.app_context():
        survey = db.session.execute(db.select(Survey)).scalar_one()
        counter = db.session.get(Counter, june["counters"][6])
        record_response(counter, survey, Submission(
            submission_key=key, ratings={q.id: value for q in survey.questions}, locale="vi"),
            at=datetime(2025, 6, 18, 3, 0, tzinfo=UTC))
        db.session.commit()


def _open(client, unit: str, lang: str = "vi") -> list[bytes]:
    """The dashboard of the unit for June, and every chart on it (as the browser loads them)."""
    page = client.get(f"/dashboard?unit={unit}&period={JUNE}&lang={lang}")
    assert page.status_code == 200
    sources = [s.replace("&amp;", "&") for s in
               re.findall(r'<img class="chart" src="([^"]+)"', page.text)]
    assert sources
    bodies = [client.get(src) for src in sources]
    assert all(b.status_code == 200 and b.mimetype == "image/svg+xml" for b in bodies)
    return [b.data for b in bodies]


def test_a_first_start_draws_every_dashboard_with_responses_ahead(june, store_app, drawn):
    assert _june_warmer(store_app).round(budget_seconds=60) > 0
    assert _june_warmer(store_app).round(budget_seconds=60) == 0  # a restart: nothing new


def test_the_demo_seed_draws_the_dashboards_a_newcomer_opens_first(make_app, tmp_path, drawn):
    app = make_app(DASHBOARD_CHART_DIR=str(tmp_path / "charts"))
    seeded = app.test_cli_runner().invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    assert re.search(r"đã vẽ trước [1-9]\d* biểu đồ bảng theo dõi", seeded.output)
    ahead = len(drawn)
    cache.reports.clear()
    cache.charts.clear()  # the server started after the seed
    client = app.test_client()
    assert post_login(client, "nhansu", "demo-hr-2026").status_code == 303
    page = client.get("/dashboard")
    assert page.status_code == 200 and '<img class="chart"' in page.text
    for src in re.findall(r'<img class="chart" src="([^"]+)"', page.text):
        assert client.get(src.replace("&amp;", "&")).status_code == 200
    assert len(drawn) == ahead, "a chart of the default view was drawn on first view"


def test_after_a_response_the_first_view_finds_its_charts_drawn_ahead(
        june, store_app, sign_in, drawn):
    warmer = _june_warmer(store_app)
    warmer.round(budget_seconds=60)  # a first start: the history
    _store(store_app, june, "new one")
    assert warmer.round(budget_seconds=60) > 0  # the ward, and the province above it
    ahead = len(drawn)
    cache.reports.clear()
    cache.charts.clear()  # as in another worker
    client = sign_in(Role.HR, "92", client=store_app.test_client())
    for unit in ("31120", "92"):
        _open(client, unit)
    assert len(drawn) == ahead, "a chart drawn ahead was drawn again on first view"


def test_a_worker_serves_a_chart_another_worker_drew(june, make_app, tmp_path, sign_in,
                                                     drawn):
    first, second = (make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1,
                              DASHBOARD_CHART_DIR=str(tmp_path / "shared"))
                     for _worker in (1, 2))
    one, two = first.test_client(), second.test_client()
    sign_in(Role.HR, "92", client=one)
    sign_in(Role.HR, "92", client=two)
    drawn_by_first = _open(one, "31120")
    count = len(drawn)
    cache.reports.clear()
    cache.charts.clear()  # the second process has nothing in memory
    assert _open(two, "31120") == drawn_by_first
    assert len(drawn) == count


def test_a_round_stops_at_its_budget_and_the_next_goes_on(june, store_app, drawn):
    warmer = _june_warmer(store_app)
    warmer.round(budget_seconds=60)
    _store(store_app, june, "late")
    assert warmer.round(budget_seconds=0) == 0
    assert len(warmer.waiting) == 2  # ward B and the province wait for the next round
    assert warmer.round(budget_seconds=60) > 0
    assert warmer.waiting == []


def test_a_restart_goes_on_where_the_last_round_stopped(june, store_app, drawn):
    _june_warmer(store_app).round(budget_seconds=60)
    _store(store_app, june, "while restarting")
    restarted = _june_warmer(store_app)  # a new process: its mark comes from the store
    assert restarted.round(budget_seconds=60) > 0


def test_responses_of_a_merged_ward_warm_the_ward_it_became_and_the_province(june, app_ctx):
    old = db.session.execute(db.select(warm.Unit).where(warm.Unit.code == "31150")).scalar_one()
    assert [u.code for u in warm.dashboard_units([old.id])] == ["92", "31117"]


def test_one_process_of_a_server_warms_at_a_time(tmp_path):
    holder, other = warm.ServerLock(tmp_path), warm.ServerLock(tmp_path)
    assert holder.acquire()
    assert not other.acquire()
    assert holder.acquire()  # the holder keeps it round after round
    holder.release()  # e.g. its process ended
    assert other.acquire()
    other.release()


def test_the_background_thread_draws_ahead_when_the_app_is_served(june, make_app, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(warm, "warm_periods", lambda: [parse_period(JUNE)])
    app = make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1,
                   DASHBOARD_CHART_DIR=str(tmp_path / "served"), DASHBOARD_WARM_SECONDS=1,
                   DASHBOARD_WARM_SHARE=1.0)
    thread = warm.start(app)
    try:
        assert thread.daemon
        deadline = time.monotonic() + 20
        while not (tmp_path / "served" / warm.MARK_FILE).exists():
            assert time.monotonic() < deadline, "the first round did not run"
            time.sleep(0.1)
        _store(app, june, "served")
        while not list((tmp_path / "served").glob("*.svg")):
            assert time.monotonic() < deadline, "no chart was drawn ahead"
            time.sleep(0.1)
    finally:
        thread.stop()
    assert not thread.is_alive()


def test_no_background_thread_when_warming_is_off_or_there_is_no_shared_store(make_app,
                                                                              tmp_path):
    assert warm.start(make_app(DASHBOARD_WARM_SECONDS=0,
                               DASHBOARD_CHART_DIR=str(tmp_path))) is None
    assert warm.start(make_app(DASHBOARD_WARM_SECONDS=30, DASHBOARD_CHART_DIR="")) is None
    refused = make_app(DASHBOARD_CHART_DIR="").test_cli_runner().invoke(
        args=["dashboard", "warm-charts"])
    assert refused.exit_code == 2 and "DASHBOARD_CHART_DIR" in refused.output


def test_the_store_keeps_the_newest_charts_and_never_serves_a_half_written_one(tmp_path):
    store = ChartStore(tmp_path, max_files=3, key=b"k")
    for n in range(5):
        store.put(f"d{n}", "vi", "svg", b"<svg/>")
        (tmp_path / f"d{n}-vi.svg").touch()
        time.sleep(0.01)
    (tmp_path / ".part-x").write_bytes(b"<sv")
    assert store.prune() == 2
    assert sorted(p.name for p in store.files()) == ["d2-vi.svg", "d3-vi.svg", "d4-vi.svg"]
    assert store.get("d0", "vi", "svg") is None
    assert store.get("d4", "vi", "svg") == b"<svg/>"


def test_the_warm_command_draws_once_and_names_unknown_units(june, store_app):
    runner = store_app.test_cli_runner()
    first = runner.invoke(args=["dashboard", "warm-charts", "--unit", "31120"])
    assert first.exit_code == 0, first.output
    assert "cho 1 đơn vị" in first.output and "\nĐã vẽ 0 biểu đồ" not in first.output
    assert "cho 3 đơn vị" in runner.invoke(args=["dashboard", "warm-charts"]).output
    again = runner.invoke(args=["dashboard", "warm-charts", "--unit", "31120"])
    assert "\nĐã vẽ 0 biểu đồ cho 1 đơn vị" in again.output
    unknown = runner.invoke(args=["dashboard", "warm-charts", "--unit", "99999"])
    assert unknown.exit_code == 2 and "99999" in unknown.output


def test_a_store_that_cannot_be_written_costs_the_sharing_not_the_chart(
        june, make_app, tmp_path, sign_in, drawn):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    app = make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1,
                   DASHBOARD_CHART_DIR=str(blocked))
    client = sign_in(Role.HR, "92", client=app.test_client())
    assert _open(client, "31120")
    assert drawn


def test_a_worker_uses_the_numbers_another_computed_until_they_expire(
        june, make_app, tmp_path, sign_in, monkeypatch, built):
    first, second = (make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1,
                              DASHBOARD_CHART_DIR=str(tmp_path / "shared"))
                     for _worker in (1, 2))
    one = sign_in(Role.HR, "92", client=first.test_client())
    two = sign_in(Role.HR, "92", client=second.test_client())
    url = f"/dashboard?unit=31120&period={JUNE}"
    cache.reports.clear()
    page = one.get(url).text
    assert len(built) == 1
    cache.reports.clear()  # the second process has nothing in memory
    assert two.get(url).text.count("<td") == page.count("<td")
    assert len(built) == 1
    cache.reports.clear()
    monkeypatch.setattr(cache.reports, "ttl", 0)  # what the store holds is now too old
    two.get(url)
    assert len(built) == 2


def test_a_stored_report_is_read_only_when_this_apps_key_signed_it(tmp_path):
    store = ChartStore(tmp_path, max_files=100, key=b"this app")
    store.put_object("report-x", {"share": 0.9})
    assert store.get_object("report-x", max_age=60) == {"share": 0.9}
    assert ChartStore(tmp_path, max_files=100, key=b"another").get_object(
        "report-x", max_age=60) is None
    signed = (tmp_path / "report-x").read_bytes()
    (tmp_path / "report-x").write_bytes(signed[:-1] + bytes([signed[-1] ^ 1]))
    assert store.get_object("report-x", max_age=60) is None  # changed after it was signed
    store.put_object("report-y", [1])
    assert store.get_object("report-y", max_age=-1) is None  # too old


def test_numbers_stored_by_other_code_are_not_read_after_a_deploy(
        june, make_app, tmp_path, sign_in, monkeypatch, built):
    app = make_app(MIN_RESPONSES_FOR_INDEX=3, MIN_RESPONSES_PER_CELL=1,
                   DASHBOARD_CHART_DIR=str(tmp_path / "shared"))
    client = sign_in(Role.HR, "92", client=app.test_client())
    url = f"/dashboard?unit=31120&period={JUNE}"
    cache.reports.clear()
    client.get(url)
    cache.reports.clear()
    monkeypatch.setattr(report_module, "_report_shape", lambda: "a report class changed")
    assert client.get(url).status_code == 200
    assert len(built) == 2


def test_a_period_someone_opened_is_drawn_ahead_again_when_its_data_change(
        june, store_app, sign_in, drawn):
    warmer = warm.Warmer(store_app, periods=lambda: [])  # June is no period drawn by default
    warmer.round(budget_seconds=60)
    client = sign_in(Role.HR, "92", client=store_app.test_client())
    _open(client, "31120")  # a leader looks at June; English too
    _open(client, "31120", lang="en")
    _store(store_app, june, "after the view")
    assert warmer.round(budget_seconds=60) > 0
    ahead = len(drawn)
    cache.reports.clear()
    cache.charts.clear()  # as in another worker
    _open(client, "31120")
    _open(client, "31120", lang="en")
    assert len(drawn) == ahead, "a chart of a view opened before was drawn on first view"


def test_one_person_opening_many_periods_cannot_keep_the_rounds_busy(june, store_app):
    with store_app.test_request_context():
        for day in range(1, 21):
            warm.note_view("31120", parse_period(f"2025-06-{day:02d}"), "vi")
        assert len(warm.viewed()["31120"]) == warm.VIEWS_PER_UNIT
