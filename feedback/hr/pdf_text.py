"""The text of the HR PDF's pages, written with fpdf2 and laid over the pages matplotlib drew.

matplotlib lays out every line of text twice with FreeType and emits it glyph by glyph in
Python, about 1 ms a line: the tables of a ward's staff pages and the method page were most of a
PDF's time. fpdf2 writes the same lines in the same font file (the DejaVu Sans matplotlib finds,
which has every Vietnamese letter, embedded as a subset) some twenty times faster; the charts,
with their titles, ticks and values, stay matplotlib's. Positions are given as matplotlib's
figure coordinates (0–1 from the lower left, text hanging from its top), so a page's text keeps
the place it had as a matplotlib text. `overlay` lays each text page over its drawn page.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence

from core.lazy import lazy
from feedback.plotting import FONT

fpdf = lazy("fpdf")
font_manager = lazy("matplotlib.font_manager")
pypdf = lazy("pypdf")

#: DejaVu Sans in units of the font size: the ascent matplotlib gives every line, and the gap
#: it adds between the lines of a text at its "normal" line spacing (OS/2 typo metrics).
ASCENT, LINE_GAP = 1556 / 2048, 410 / 2048


def _nfc(text: str) -> str:
    """Composed letters: the font has a glyph for every composed Vietnamese letter."""
    return unicodedata.normalize("NFC", text)


def _hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


class TextPages:
    """Pages of text of one size in inches, drawn in the order of the pages they lie over."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = 72 * width, 72 * height
        self.pdf = fpdf.FPDF(unit="pt", format=(self.width, self.height))
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.add_font(FONT, "", font_manager.findfont(FONT))

    def page(self) -> None:
        """Start the text of the next page (a page with no text still needs its call)."""
        self.pdf.add_page()

    def text(self, x: float, y: float, text: str, size: float,
             linespacing: float | None = None, centred: bool = False) -> None:
        """Lines of `text` hanging from (x, y) in figure coordinates, as matplotlib places a
        text with va="top": line spacing 1.2 with a gap by default, else `linespacing` times
        the font size; `centred` centres each line on x."""
        lines = _nfc(text).split("\n")
        if linespacing is None:
            gap = LINE_GAP if len(lines) > 1 else 0
            first, step = ASCENT + gap / 2, 1 + gap
        else:
            first, step = ASCENT + (linespacing - 1) / 2, linespacing
        self.pdf.set_font(FONT, size=size)
        left, top = x * self.width, (1 - y) * self.height
        for k, line in enumerate(lines):
            if line:
                shift = self.pdf.get_string_width(line) / 2 if centred else 0
                self.pdf.text(left - shift, top + size * (first + k * step), line)

    def rules(self, x0: float, x1: float, ys: Sequence[float], width: float,
              color: str) -> None:
        """Horizontal lines from x0 to x1 at each of `ys` (figure coordinates), `width` points
        wide, in a "#rrggbb" colour."""
        self.pdf.set_draw_color(*_hex_rgb(color))
        self.pdf.set_line_width(width)
        for y in ys:
            top = (1 - y) * self.height
            self.pdf.line(x0 * self.width, top, x1 * self.width, top)

    def output(self) -> bytes:
        """The text pages as a PDF."""
        return bytes(self.pdf.output())


def overlay(drawn: bytes, text: bytes, out: io.BufferedIOBase,
            metadata: dict[str, str]) -> int:
    """Write the pages of `drawn` with the pages of `text` laid over them, one for one, and
    this document information (e.g. {"/Title": …}); returns the page count.

    Each drawn page's content stream becomes a form XObject, with the page's resources, that
    its new content shows before the text: nothing is parsed, decompressed or renamed, as
    `PageObject.merge_page` would (0.015 s for 22 pages against 0.06–0.09 s)."""
    generic = pypdf.generic
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(drawn))
    for page, words in zip(writer.pages, pypdf.PdfReader(io.BytesIO(text)).pages, strict=True):
        chart = page.raw_get("/Contents")  # matplotlib writes one content stream a page
        chart.get_object().update({
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): page.mediabox,
            generic.NameObject("/Resources"): page.raw_get("/Resources")})
        resources = generic.DictionaryObject(words["/Resources"].clone(writer))
        resources[generic.NameObject("/XObject")] = generic.DictionaryObject(
            {generic.NameObject("/Drawn"): chart})
        show = generic.DecodedStreamObject()
        show.set_data(b"q /Drawn Do Q\n")
        contents = words["/Contents"]
        del page[generic.NameObject("/Contents")]
        page.replace_contents(generic.ArrayObject([show, *(
            stream.get_object().clone(writer)
            for stream in (contents if isinstance(contents, list) else [contents]))]))
        page[generic.NameObject("/Resources")] = resources
    writer.add_metadata(metadata)
    writer.write(out)
    return len(writer.pages)
