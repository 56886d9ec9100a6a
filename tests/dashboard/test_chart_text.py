"""A group of chart texts draws exactly what matplotlib's own `Text` draws for each of them."""

from __future__ import annotations

import itertools
import re

import pytest

from feedback.dashboard import chart_layers
from feedback.dashboard.chart_text import Labels, add_labels, texts_of
from feedback.plotting import mpl_figure, settings
from feedback.plotting import mpl_transforms as transforms

TEXTS = ["Thứ Hai", "75", "Nguyễn Thị Ngọc Ánh", "gyp", "90 %", ""]
COLOURS = ["black", "#D55E00", "white", "black", "#505050", "black"]
ALIGNMENTS = list(itertools.product(("left", "center", "right"),
                                    ("top", "bottom", "center", "baseline", "center_baseline")))


def _draw(fmt: str, grouped: bool) -> bytes:
    """Every alignment, three font sizes, one colour or several, a shifted transform: as groups
    or as `Text`s."""
    with settings(chart_layers.RC):
        figure = mpl_figure.Figure(figsize=(6, 4))
        shifted = figure.transFigure + transforms.ScaledTranslation(0.05, -0.1,
                                                                    figure.dpi_scale_trans)
        for i, (ha, va) in enumerate(ALIGNMENTS):
            points = [((i % 5) / 5 + 0.05, (i // 5) / 3 + 0.05 + j * 0.04)
                      for j in range(len(TEXTS))]
            size = 7 + i % 3
            colours = COLOURS if i % 2 else ["#505050"] * len(TEXTS)  # one colour, or several
            if grouped:
                add_labels(figure, points, TEXTS, fontsize=size, colors=colours,
                           transform=shifted, ha=ha, va=va)
            else:
                for (x, y), text, colour in zip(points, TEXTS, colours, strict=True):
                    figure.text(x, y, text, fontsize=size, color=colour, transform=shifted,
                                ha=ha, va=va)
        return chart_layers.render(figure, fmt)


def test_grouped_texts_are_the_same_svg_elements_as_matplotlib_texts():
    def texts(svg: bytes) -> list[bytes]:
        return re.findall(rb"<text [^>]*>[^<]*</text>", svg)

    grouped = texts(_draw("svg", grouped=True))
    assert len(grouped) == len(ALIGNMENTS) * (len(TEXTS) - 1)  # an empty text draws nothing
    assert grouped == texts(_draw("svg", grouped=False))
    assert b"text-anchor: middle" in b"".join(grouped)


def test_grouped_texts_paint_the_same_pixels_as_matplotlib_texts():
    assert _draw("png", grouped=True) == _draw("png", grouped=False)


def test_a_dollar_sign_is_text_not_mathtext():
    with settings(chart_layers.RC):
        figure = mpl_figure.Figure(figsize=(2, 1))
        add_labels(figure, [(0.1, 0.5)], ["Phí $5$ đồng"], fontsize=8,
                   transform=figure.transFigure)
        svg = chart_layers.render(figure, "svg")
    assert "Phí $5$ đồng".encode() in svg
    assert texts_of(figure) == ["Phí $5$ đồng"]


def test_a_group_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError):
        Labels([(0, 0)], ["a"], fontsize=8, transform=None, va="middle")
    with pytest.raises(ValueError):
        Labels([(0, 0)], ["a", "b"], fontsize=8, transform=None)
