"""Every user-facing string is translated in vi and en, and the compiled catalogues are current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from core.click_text import DOMAIN, UNSEEN
from core.i18n_cli import click_sources

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ("vi", "en")


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _extract(pot: Path, *args: str) -> set:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
                    "-o", str(pot), *args], cwd=ROOT, check=True)
    with pot.open("rb") as f:
        return _ids(read_po(f))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, set]:
    """The msgids of each domain: the app's, and click's that core.click_text translates."""
    folder = tmp_path_factory.mktemp("i18n")
    return {
        "messages": _extract(folder / "messages.pot", "-F", "pyproject.toml", "-k", "_l", "."),
        DOMAIN: _extract(folder / "click.pot", *click_sources()) | set(UNSEEN),
    }


@pytest.mark.parametrize("domain", ["messages", DOMAIN])
@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_has_every_string_translated_and_none_fuzzy(extracted, locale, domain):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
        catalog = read_po(f, locale=locale)
    missing = extracted[domain] - _ids(catalog)
    assert not missing, f"not in {locale} catalogue (run flask i18n update): {sorted(missing)}"
    for message in catalog:
        if not message.id or (message.id not in extracted[domain]
                              and not isinstance(message.id, tuple)):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated in {locale}: {message.id!r}"
        assert not message.fuzzy, f"fuzzy in {locale}: {message.id!r}"


def _plain(text):
    """A message's text, or its forms as a tuple (plural messages come as lists from a .mo)."""
    return tuple(text) if isinstance(text, list | tuple) else text


@pytest.mark.parametrize("domain", ["messages", DOMAIN])
@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_the_po_file(locale, domain):
    folder = ROOT / "translations" / locale / "LC_MESSAGES"
    with (folder / f"{domain}.po").open("rb") as f:
        po = {_plain(m.id): _plain(m.string) for m in read_po(f, locale=locale) if m.id}
    with (folder / f"{domain}.mo").open("rb") as f:
        mo = {_plain(m.id): _plain(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "run: flask --app app i18n compile"


def test_vietnamese_is_default_and_english_is_offered(client, org):
    html = client.get(f"/s/{org['counters'][0]['token']}").get_data(as_text=True)
    assert "Gửi đánh giá" in html and 'hreflang="en"' in html
    html = client.get(f"/s/{org['counters'][0]['token']}?lang=en").get_data(as_text=True)
    assert ">Send<" in html and 'hreflang="vi"' in html


def test_wtforms_length_messages_are_translated(app):
    from wtforms import StringField
    from wtforms.validators import Length

    from core.forms import BaseForm

    class NameForm(BaseForm):
        class Meta:
            csrf = False

        name = StringField(validators=[Length(max=5)])

    from werkzeug.datastructures import MultiDict

    for lang, expected in (("vi", "Không được dài quá 5 ký tự."),
                           ("en", "Field cannot be longer than 5 characters.")):
        with app.test_request_context(f"/?lang={lang}"):
            form = NameForm(MultiDict({"name": "quá dài rồi"}))
            assert not form.validate()
            assert form.name.errors == [expected]
