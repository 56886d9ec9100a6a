"""Charts: server-side SVG and PNG, Vietnamese text, a text alternative, drawn once per query."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.textpath import TextToPath

from accounts.models import Role
from core.db import db
from feedback import plotting
from feedback.dashboard import chart_layers, charts
from feedback.dashboard.chart_text import Labels, texts_of
from feedback.dashboard.folding import after_submission_commit
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey


def test_vietnamese_text_is_drawn_with_a_font_that_has_its_glyphs():
    path = font_manager.findfont(FontProperties(family=plotting.FONT), fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "ĐđươƯƠệữỗậẫặằẵ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning: fail on it
        figure = charts.distribution_chart(
            ["Đánh giá chung", "Thời gian và kết quả giải quyết"],
            [(1, 2, 3, 4, 5), (0, 0, 1, 1, 8)],
            ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"],
            "Mức độ hài lòng theo tiêu chí").figure()
        svg = chart_layers.render(figure, "svg")
    assert b"<script" not in svg and b"xlink:href=\"http" not in svg


def test_chart_routes_serve_svg_without_script_and_png_to_download(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    svg = client.get("/dashboard/chart/trend.svg?period=2025-06")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<script" not in svg.data and b"<svg" in svg.data
    policy = svg.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    png = client.get("/dashboard/chart/heatmap.png?period=2025-06")
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.headers["Content-Disposition"].startswith("attachment;")
    assert client.get("/dashboard/chart/nothing.svg?period=2025-06").status_code == 404


def test_every_chart_on_the_page_has_a_text_alternative_and_its_table(june, sign_in, client):
    sign_in(Role.HR, "92", client=client)
    html = client.get("/dashboard?period=2025-06&lang=en").get_data(as_text=True)
    images = re.findall(r'<img class="chart" src="[^"]+" alt="([^"]*)" '
                        r'aria-describedby="([^"]+)">', html)
    assert len(images) >= 5
    for alt, table_id in images:
        assert len(alt) > 20
        assert f'<table id="{table_id}">' in html
    assert any("from 0% to 75%" in alt for alt, _ in images)
    assert any("lowest on Thu at 9 h" in alt for alt, _ in images)
    assert any("lowest Quầy 1 – TT Cái Khế (67%)" in alt for alt, _ in images)


def _store_all_ones(app, june, key: str, at: datetime) -> None:
    with app.app_context():
        survey = db.session.execute(db.select(Survey)).scalar_one()
        counter = db.session.get(Counter, june["counters"][6])
        record_response(counter, survey, Submission(
            submission_key=key, ratings={q.id: 1 for q in survey.questions}, locale="vi"), at=at)
        db.session.commit()
        after_submission_commit()  # as the app does: the fold


def test_a_repeat_view_does_not_redraw_until_a_response_arrives(june, sign_in, client, app,
                                                                drawn):
    sign_in(Role.HR, "92", client=client)
    url = "/dashboard/chart/distribution.svg?period=2025-06"
    first = client.get(url).data
    assert client.get(url).data == first
    assert drawn == ["svg"]
    _store_all_ones(app, june, "late", datetime(2025, 6, 20, 3, 0, tzinfo=UTC))
    assert client.get(url).data != first
    assert drawn == ["svg", "svg"]


def test_a_response_that_changes_nothing_a_chart_shows_does_not_redraw_it(
        june, sign_in, client, app, drawn):
    sign_in(Role.HR, "92", client=client)
    url = "/dashboard/chart/distribution.svg?period=2025-06"
    first = client.get(url)
    _store_all_ones(app, june, "august",  # another month: June's ratings stay
                    datetime(2025, 8, 20, 3, 0, tzinfo=UTC))
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url).data == first.data
    assert drawn == ["svg"]


def test_the_trend_axis_starts_just_below_the_data_not_at_zero():
    assert charts.share_axis_range([0.82, None, 0.88, 0.79]) == (0.7, 1.0)
    assert charts.share_axis_range([0.95, 0.97]) == (0.9, 1.0)  # never a flat band at the top
    assert charts.share_axis_range([0.12, 0.6]) == (0.0, 1.0)
    assert charts.share_axis_range([None, None]) == (0.0, 1.0)
    figure = charts.trend_chart(["05/2025", "06/2025"], [0.82, 0.88], [0.75, 0.8], [0.9, 0.94],
                                "Tỷ lệ hài lòng", "chưa đủ phiếu").figure()
    ticks = [text for text in texts_of(figure) if text.endswith("%")]
    assert ticks == ["70%", "80%", "90%", "100%"]


def test_heatmap_cells_below_the_minimum_say_so_on_the_chart():
    chart = charts.heatmap_chart({(0, 8): 0.75, (0, 9): None}, ["T2", "T3"], (8, 9, 10),
                                 "Tỷ lệ hài lòng", few="<10",
                                 few_note="<10: dưới 10 phiếu trong giờ, chưa tính tỷ lệ.")
    marks = texts_of(chart.figure(frame=False))
    assert marks == ["75", "<10"]  # the empty hour (10h) stays blank
    frame = texts_of(chart.figure(marks=False))
    assert frame[-1] == "<10: dưới 10 phiếu trong giờ, chưa tính tỷ lệ."


def test_the_target_lines_are_drawn_on_the_trend_and_the_ranking():
    def dashed(figure, vertical: bool) -> list[float]:
        return [round(float((line.get_xdata() if vertical else line.get_ydata())[0]), 2)
                for line in figure.artists
                if isinstance(line, Line2D) and line.get_linestyle() == "--"]

    trend = charts.trend_chart(["05/2025", "06/2025"], [0.82, 0.88], [0.75, 0.8], [0.9, 0.94],
                               "Tỷ lệ hài lòng", "chưa đủ phiếu", targets=(0.9, 0.95)).figure()
    assert dashed(trend, vertical=False) == [0.9, 0.95]
    assert set(texts_of(trend)) >= {"90 %", "95 %"}
    ranking = charts.ranking_chart(["Quầy 1", "Quầy 2"], [0.8, 0.97], [0.7, 0.9], [0.88, 0.99],
                                   "Xếp hạng", targets=(0.9,)).figure()
    assert dashed(ranking, vertical=True) == [0.9]
    assert set(texts_of(ranking)) >= {"Quầy 1", "Quầy 2", "Xếp hạng", "90 %"}


def test_the_labels_of_close_targets_do_not_overlap():
    def boxes(figure) -> list:
        renderer = FigureCanvasAgg(figure).get_renderer()
        return [box for labels in figure.artists if isinstance(labels, Labels)
                for text, box in zip(labels.texts, labels.boxes(renderer), strict=True)
                if text in ("90 %", "95 %")]

    trend = charts.trend_chart(["05/2025", "06/2025"], [0.0, 0.98], [0.0, 0.95], [0.1, 1.0],
                               "Tỷ lệ hài lòng", "chưa đủ phiếu", targets=(0.9, 0.95)).figure()
    names = [f"Trung tâm Phục vụ hành chính công phường Ninh Kiều – Quầy {i}" for i in (1, 2)]
    ranking = charts.ranking_chart(names, [0.1, 0.97], [0.05, 0.9], [0.2, 0.99], "Xếp hạng",
                                   targets=(0.9, 0.95)).figure()
    for figure in (trend, ranking):
        first, second = boxes(figure)
        assert not first.overlaps(second)


def test_a_text_is_measured_once_per_process_and_draws_the_same(monkeypatch):
    measured = []
    measure = TextToPath.get_text_width_height_descent

    def counting(self, text, prop, ismath):
        measured.append(text)
        return measure(self, text, prop, ismath)

    monkeypatch.setattr(TextToPath, "get_text_width_height_descent", counting)
    names = [f"Quầy đo chữ {i}" for i in range(3)]

    def draw() -> bytes:
        chart = charts.ranking_chart(names, [0.5, 0.6, 0.7], [0.4, 0.5, 0.6], [0.6, 0.7, 0.8],
                                     "Xếp hạng", targets=(0.9,))
        return chart_layers.render(chart.figure(frame=False), "svg")

    first = draw()
    assert set(names) <= set(measured)
    measured.clear()
    assert draw() == first
    assert measured == []


def test_charts_of_different_units_share_a_frame_and_differ_in_their_marks():
    def trend(shares):
        return charts.trend_chart(["09/2026", "10/2026"], shares, [s - 0.05 for s in shares],
                                  [s + 0.05 for s in shares], "Tỷ lệ hài lòng", "chưa đủ phiếu",
                                  targets=(0.9,))

    high, low = trend([0.95, 0.97]), trend([0.4, 0.6])
    assert high.frame_digest() == low.frame_digest()  # the share axis follows the marks
    assert high.digest() != low.digest()
    assert high.layout.ylim != low.layout.ylim
    scale = ["1", "2", "3", "4", "5"]
    one = charts.distribution_chart(["Đánh giá chung"], [(1, 2, 3, 4, 5)], scale, "Tiêu chí")
    other = charts.distribution_chart(["Đánh giá chung"], [(0, 0, 1, 1, 8)], scale, "Tiêu chí")
    assert one.frame_digest() == other.frame_digest() and one.digest() != other.digest()


def test_the_marks_compose_over_the_frame_into_one_valid_svg():
    import xml.etree.ElementTree as ElementTree

    chart = charts.heatmap_chart({(0, 8): 0.75, (1, 9): None}, ["Thứ Hai", "Thứ Ba"], (8, 9),
                                 "Tỷ lệ hài lòng theo giờ", few="<10")
    frame = chart_layers.render(chart.figure(marks=False), "svg")
    marks = chart_layers.render(chart.figure(frame=False), "svg")
    svg = chart_layers.compose(frame, marks)
    root = ElementTree.fromstring(svg)
    texts = "".join(root.itertext())
    assert "Thứ Hai" in texts and "Tỷ lệ hài lòng theo giờ" in texts  # the frame
    assert "75" in texts and "<10" in texts  # the marks
    words = {name: "".join(ElementTree.fromstring(body).itertext())
             for name, body in (("frame", frame), ("marks", marks))}
    assert "Thứ Hai" not in words["marks"] and "75" not in words["frame"]
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert root.get("viewBox") == ElementTree.fromstring(marks).get("viewBox")
    empty = charts.distribution_chart(["Đánh giá chung"], [(0, 0, 0, 0, 0)], list("12345"), "x")
    assert chart_layers.compose(chart_layers.render(empty.figure(marks=False), "svg"),
                                chart_layers.render(empty.figure(frame=False), "svg"))


def test_a_second_unit_of_the_same_period_draws_its_marks_on_the_frame_already_drawn(
        june, sign_in, client, drawn, monkeypatch):
    frames = []
    original = chart_layers.render

    def counting(figure, fmt):
        if figure.patch.get_visible():  # a frame: the marks alone are drawn transparent
            frames.append(fmt)
        return original(figure, fmt)

    monkeypatch.setattr(chart_layers, "render", counting)
    sign_in(Role.HR, "92", client=client)
    first = client.get("/dashboard/chart/distribution.svg?period=2025-06&unit=31117")
    assert frames == ["svg"] and b"<svg" in first.data
    second = client.get("/dashboard/chart/distribution.svg?period=2025-06&unit=31120")
    assert second.status_code == 200 and second.data != first.data
    assert frames == ["svg"] and drawn == ["svg", "svg"]


def test_a_chart_built_in_another_thread_waits_for_a_drawing_under_way():
    import threading

    from feedback.hr import charts as hr_charts

    chart = charts.distribution_chart(["Đánh giá chung"], [(1, 2, 3, 4, 5)], list("12345"), "x")
    built = threading.Event()
    worker = threading.Thread(target=lambda: (chart.figure(), built.set()))
    with plotting.settings(hr_charts.RC):  # an HR PDF being saved has set the settings
        worker.start()
        assert not built.wait(0.3)  # the chart would restore them in the middle of the PDF
    worker.join(5)
    assert built.is_set()


def test_charts_without_values_draw_their_frame_and_no_marks():
    for chart in (charts.ranking_chart([], [], [], [], "Xếp hạng"),
                  charts.distribution_chart(["Tổng thể"], [(0, 0, 0, 0, 0)], list("12345"), "")):
        svg = chart_layers.render(chart.figure(), "svg")
        assert svg.rstrip().endswith(b"</svg>")
