"""`flask i18n extract|update|compile`: the translation workflow, wrapping pybabel, for the
app's texts (domain "messages") and click's own (domain "click", core.click_text)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from core import click_text

i18n_cli = AppGroup("i18n", help=_l("Extract, update and compile translations."))
DOMAINS = ("messages", click_text.DOMAIN)


def _pybabel(*args: str) -> None:
    root = Path(current_app.root_path)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=root, check=True)


def click_sources() -> list[str]:
    """The files of click whose texts core.click_text translates."""
    folder = Path(click.__file__).parent
    return [str(folder / f"{name}.py") for name in click_text.MODULES]


@i18n_cli.command("extract", help=_l("Collect every translatable string into "
                                     "translations/messages.pot, and click's into "
                                     "translations/click.pot."))
def extract_command() -> None:
    _pybabel("extract", "-F", "pyproject.toml", "-k", "_l", "-k", "lazy_pgettext:1c,2",
             "--add-comments=i18n:", "--no-location", "--sort-output", "-o",
             "translations/messages.pot", ".")
    template = Path(current_app.root_path) / "translations" / f"{click_text.DOMAIN}.pot"
    _pybabel("extract", "--no-location", "--sort-output", "-o", str(template), *click_sources())
    with template.open("rb") as f:
        catalog = read_po(f)
    for text in click_text.UNSEEN:
        catalog.add(text)
    with template.open("wb") as f:
        write_po(f, catalog, sort_output=True)


@i18n_cli.command("update", help=_l("Merge new strings into the catalogues; English (the source "
                                    "language) is filled in."))
def update_command() -> None:
    untranslated = []
    for domain in DOMAINS:
        _pybabel("update", "-D", domain, "-i", f"translations/{domain}.pot", "-d",
                 "translations", "--no-fuzzy-matching", "--ignore-obsolete", "-w", "100")
        _fill_english(domain)
        untranslated += _untranslated("vi", domain)
    click.echo(ngettext("vi: %(num)d string to translate", "vi: %(num)d strings to translate",
                        len(untranslated)))
    for text in untranslated:
        click.echo(f"  {text}")


def _catalogue_path(locale: str, domain: str) -> Path:
    return Path(current_app.root_path) / "translations" / locale / "LC_MESSAGES" / f"{domain}.po"


def _fill_english(domain: str) -> None:
    path = _catalogue_path("en", domain)
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = message.id
        elif message.id and not message.string:
            message.string = message.id
    with path.open("wb") as f:
        write_po(f, catalog, width=100)


def _untranslated(locale: str, domain: str) -> list[str]:
    with _catalogue_path(locale, domain).open("rb") as f:
        catalog = read_po(f, locale=locale)
    return [str(m.id) for m in catalog
            if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                            else (m.string,)))]


@i18n_cli.command("compile", help=_l("Compile the .po catalogues into the .mo files the app "
                                     "reads."))
def compile_command() -> None:
    _pybabel("compile", "-d", "translations", "-D", " ".join(DOMAINS), "--statistics")
    click.echo(gettext("Compiled."))
