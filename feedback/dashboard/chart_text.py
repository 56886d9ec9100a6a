"""The texts of a chart — tick labels, names, values, titles — drawn by one artist per group.

matplotlib's `Text` is an artist of its own for each text: it is built with its font
properties, laid out on every drawing (multi-line, rotated, wrapped, with mathtext) and then
handed to the renderer. A chart's texts are single lines, never rotated, in one font: a
province's dashboard draws about 300 of them, and their `Text` objects cost three times what
their drawing does (52 against 15 ms for 284 texts). `Labels` draws a group of texts of one
size and alignment as `Text` lays a single line out — the same position, the same SVG element
(anchored with `text-anchor`, so a browser's substitute font stays aligned) — through the same
renderer call. Texts are plain: a "$" is a dollar sign, never mathtext.

Imported with the charts only (matplotlib is loaded by then).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.transforms import Bbox

#: The share of a text's width left of its anchor, for each horizontal alignment.
_LEFT_OF_ANCHOR = {"left": 0.0, "center": 0.5, "right": 1.0}
#: How far the baseline lies above the anchor, for each vertical alignment, from the line's
#: ascent and descent (`Text._get_layout` for one line).
_RISE = {"top": lambda ascent, descent: -ascent,
         "bottom": lambda ascent, descent: descent,
         "center": lambda ascent, descent: (descent - ascent) / 2,
         "baseline": lambda ascent, descent: 0.0,
         "center_baseline": lambda ascent, descent: -ascent / 2}


def font_key(prop: FontProperties) -> tuple:
    """What a text's size and the font's heights depend on, besides the text."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
            prop.get_math_fontfamily())


#: The heights of each font and size met (a handful).
_HEIGHTS: dict[tuple, tuple] = {}


def _read_heights(prop: FontProperties) -> tuple:
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            scale = prop.get_size_in_points() / font.get_sfnt_table("head")["unitsPerEm"]
            return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


def font_heights(prop: FontProperties) -> tuple:
    """The font's ascent, descent and line gap in points, from its OS/2 or hhea table as
    matplotlib's text layout reads them (None, None, None when it has neither), looked up
    once per font and size."""
    key = font_key(prop)
    found = _HEIGHTS.get(key)
    if found is None:
        found = _HEIGHTS[key] = _read_heights(prop)
    return found


class _Anchor:
    """What the renderers ask of the `Text` they draw: where the SVG renderer anchors it
    (`text-anchor`, at its position) and the font features and language (the defaults)."""

    __slots__ = ("_transform", "_position", "_ha")

    def __init__(self, transform, position: tuple[float, float], ha: str) -> None:
        self._transform, self._position, self._ha = transform, position, ha

    def get_transform(self):
        return self._transform

    def get_unitless_position(self) -> tuple[float, float]:
        return self._position

    def get_ha(self) -> str:
        return self._ha

    def get_rotation_mode(self) -> str:
        return "default"

    def get_fontfeatures(self) -> None:
        return None

    def get_language(self) -> None:
        return None


class Labels(Artist):
    """Single-line texts of one font size and alignment at `points` (in `transform`'s
    coordinates), each in its colour."""

    zorder = 3  # over lines and bars, as Text

    def __init__(self, points: Sequence[tuple[float, float]], texts: Sequence[str], *,
                 fontsize: float, transform, colors: str | Sequence[str] = "black",
                 ha: str = "left", va: str = "baseline") -> None:
        super().__init__()
        if ha not in _LEFT_OF_ANCHOR or va not in _RISE:
            raise ValueError(f"unknown alignment {ha!r}, {va!r}")
        self.points = [(float(x), float(y)) for x, y in points]
        self.texts = [str(text) for text in texts]
        if len(self.points) != len(self.texts):
            raise ValueError("one point per text")
        self.colors = [colors] * len(self.texts) if isinstance(colors, str) else list(colors)
        self.ha, self.va = ha, va
        self.prop = FontProperties(size=fontsize)
        self.set_transform(transform)

    def _lines(self, renderer):
        """Each non-empty text with its anchor point (given, and in display units), its box's
        left edge and baseline in display units, and its ascent and descent (at least the
        font's, as `Text` pads a line)."""
        low_ascent, low_descent, _gap = font_heights(self.prop)
        if low_ascent is None:
            _width, height, low_descent = renderer.get_text_width_height_descent(
                "lp", self.prop, False)
            low_ascent = height - low_descent
        else:
            scale = renderer.points_to_pixels(1.0)
            low_ascent, low_descent = low_ascent * scale, low_descent * scale
        left_of, rise = _LEFT_OF_ANCHOR[self.ha], _RISE[self.va]
        anchors = self.get_transform().transform(self.points) if self.points else []
        for point, (x, y), text, color in zip(self.points, anchors, self.texts, self.colors,
                                              strict=True):
            if not text:
                continue
            width, height, descent = renderer.get_text_width_height_descent(
                text, self.prop, False)
            ascent, descent = max(height - descent, low_ascent), max(descent, low_descent)
            yield point, (x, y), text, color, x - left_of * width, width, \
                y + rise(ascent, descent), ascent, descent

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.texts:
            return
        renderer.open_group("text", self.get_gid())
        gc = renderer.new_gc()
        canvas_height = renderer.get_canvas_width_height()[1]
        flip = renderer.flipy()
        svg = _SvgTexts(renderer) if _SvgTexts.serves(renderer) else None
        current = None
        for point, anchor, text, color, left, _w, baseline, _a, _d in self._lines(renderer):
            y = canvas_height - baseline if flip else baseline
            if svg is not None and svg.write(text, color, anchor, y):
                continue
            if color != current:
                gc.set_foreground(to_rgba(color), isRGBA=True)
                current = color
            with svg.learning(color) if svg is not None else contextlib.nullcontext():
                renderer.draw_text(gc, left, y, text, self.prop, 0.0, ismath=False,
                                   mtext=_Anchor(self.get_transform(), point, self.ha))
        gc.restore()
        renderer.close_group("text")
        self.stale = False

    def boxes(self, renderer) -> list[Bbox]:
        """Each non-empty text's box in display units (as `Text.get_window_extent` gives
        it)."""
        return [Bbox.from_extents(left, baseline - descent, left + width, baseline + ascent)
                for _p, _xy, _t, _c, left, width, baseline, ascent, descent
                in self._lines(renderer)]


def _svg_number(value: float) -> str:
    """A coordinate as matplotlib's SVG writer prints it (`%f`, trailing zeros dropped)."""
    return f"{value:f}".rstrip("0").rstrip(".")


def _vector(renderer):
    """The vector renderer inside the mixed-mode renderer `savefig` draws SVG with."""
    return getattr(renderer, "_renderer", renderer)


class _SvgTexts:
    """Writes a group's texts into an SVG document as the SVG renderer writes an unrotated
    `Text` (the same element, byte for byte; `svg.fonttype` "none"). The renderer writes the
    first text of each colour, and the style it wrote (font size and family list, anchor,
    fill) is kept for the others: the renderer builds it again for every text, half the time
    of a ranking's labels."""

    def __init__(self, renderer) -> None:
        self._renderer = _vector(renderer)
        self._styles: dict[str, str] = {}

    @staticmethod
    def serves(renderer) -> bool:
        """Whether texts are written as SVG text elements by this renderer."""
        from matplotlib import rcParams
        from matplotlib.backends.backend_svg import RendererSVG

        return isinstance(_vector(renderer), RendererSVG) and rcParams["svg.fonttype"] == "none"

    def write(self, text: str, color: str, anchor: tuple[float, float], y: float) -> bool:
        """Write the text anchored at `anchor` (display units) with its baseline at `y` (the
        document's units), if a text of its colour was written before (else False)."""
        style = self._styles.get(color)
        if style is None:
            return False
        top = self._renderer.height - anchor[1]
        x, y = _svg_number(anchor[0]), _svg_number(top + (y - top))
        self._renderer.writer.element("text", text, attrib={
            "style": style, "x": x, "y": y, "transform": f"rotate(-0 {x} {y})"})
        return True

    @contextlib.contextmanager
    def learning(self, color: str):
        """Keep the style of the text element the renderer writes meanwhile, for `color`."""
        writer = self._renderer.writer
        element = writer.element

        def kept(tag, text=None, attrib=None, **extra):
            if tag == "text":
                self._styles[color] = {**(attrib or {}), **extra}["style"]
            return element(tag, text, attrib or {}, **extra)

        writer.element = kept
        try:
            yield
        finally:
            del writer.element


def add_labels(figure, points: Sequence[tuple[float, float]], texts: Sequence[str],
               **style) -> Labels:
    """Draw these texts on the figure (`Labels`' keyword arguments as `style`)."""
    labels = Labels(points, texts, **style)
    figure.add_artist(labels)
    return labels


def texts_of(figure) -> list[str]:
    """Every text a figure draws with `Labels`, in drawing order (for tests and checks)."""
    return [text for artist in figure.artists if isinstance(artist, Labels)
            for text in artist.texts]
