"""No visible text in a template escapes gettext: every word a user reads is translatable.

Each template is split by Jinja's own lexer: literal template data is kept, every `{{ … }}` and
`{% … %}` becomes a placeholder (text inside `{% trans %}` blocks is translated, so it is dropped).
Blocks whose content base.html puts inside an attribute (`body_class`) are skipped too.
The result is parsed as HTML; any letter left in text between tags, or in an attribute a user
reads or hears (title, alt, placeholder, aria-label, button value), is untranslated text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
HOLE = "\ue000"  # stands for whatever a Jinja expression or statement outputs
LETTER = re.compile(r"[^\W\d_]")
#: Attributes whose value is shown or read aloud to the user.
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description",
                      "aria-roledescription", "aria-valuetext", "label"}
#: Words that are the same in every language; each with the reason it needs no translation.
NOT_TRANSLATABLE = {
    "PNG": "file format name on a download link",
    "SVG": "file format name on a download link",
    "CSV": "file format name on a download link",
    "XLSX": "file format name on a download link",
    "PDF": "file format name on a download link",
    "QR": "the name of the code itself, used as is in Vietnamese",
}
#: Blocks that base.html outputs inside an attribute value, never as text.
ATTRIBUTE_BLOCKS = {"body_class"}


def _template_data(source: str) -> str:
    """The template's literal text, with a placeholder for every Jinja construct."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    out: list[str] = []
    in_block = skipping = False
    block: list[str] = []
    for _, kind, value in env.lex(source):
        if kind == "data" and not skipping:
            out.append(value)
        elif kind == "block_begin":
            in_block, block = True, []
        elif kind == "block_end":
            in_block = False
            if block[:1] == ["trans"] or block[:2] in (["block", b] for b in ATTRIBUTE_BLOCKS):
                skipping = True
            elif block[:1] in (["endtrans"], ["endblock"]):
                skipping = False
            out.append(HOLE)
        elif in_block and kind == "name":
            block.append(value)
        elif kind == "variable_end":
            out.append(HOLE)
    return "".join(out)


class _TextFinder(HTMLParser):
    """Collects literal words found in text nodes and in visible attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw: list[str] = []

    def _check(self, text: str, where: str) -> None:
        for word in re.split(r"\s+", text.replace(HOLE, " ")):
            if LETTER.search(word) and word.strip(".,:;!?()·") not in NOT_TRANSLATABLE:
                self.found.append(f"{where}: {word!r}")

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw.append(tag)
        for name, value in attrs:
            if value and (name in VISIBLE_ATTRIBUTES or (
                    name == "value" and tag in ("input", "button")
                    and (dict(attrs).get("type") in ("submit", "button", "reset")))):
                self._check(value, f"<{tag} {name}>")

    def handle_endtag(self, tag):
        if self._raw and self._raw[-1] == tag:
            self._raw.pop()

    def handle_data(self, data):
        if not self._raw:
            self._check(data, "text")


def untranslated_text(source: str) -> list[str]:
    """Literal user-visible words in a Jinja/HTML template source."""
    finder = _TextFinder()
    finder.feed(_template_data(source))
    finder.close()
    return finder.found


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_text_outside_gettext(path):
    found = untranslated_text(path.read_text(encoding="utf-8"))
    assert not found, f"wrap in {{{{ _(...) }}}}: {found}"


@pytest.mark.parametrize("source, expected", [
    ('<p>{{ _("Send") }}</p>', []),
    ("<p>Send</p>", ["text: 'Send'"]),
    ('<a href="/x" title="Open">{{ _("x") }}</a>', ["<a title>: 'Open'"]),
    ('<input type="submit" value="Go">', ["<input value>: 'Go'"]),
    ('<input type="hidden" value="token">', []),
    ('<div class="faces" id="a-1" data-x="y">{{ n }} · {{ m }} 2025</div>', []),
    ("{% trans %}Hello {{ name }}{% endtrans %}", []),
    ("{% block body_class %}wide{% endblock %}{% block content %}Hi{% endblock %}",
     ["text: 'Hi'"]),
    ('<a href="{{ u }}">PNG</a> <a href="{{ v }}">SVG</a>', []),
    ("{# a comment with words #}<p>{% if x %}{{ _('a') }}{% else %}Nope{% endif %}</p>",
     ["text: 'Nope'"]),
    ("<script>var words = 1;</script><style>p{color:red}</style>", []),
])
def test_the_check_finds_literal_text_and_only_that(source, expected):
    assert untranslated_text(source) == expected
