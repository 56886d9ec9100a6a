"""`flask i18n extract|update|compile`: the translation workflow, wrapping pybabel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask import current_app
from flask.cli import AppGroup

i18n_cli = AppGroup("i18n", help="Extract, update and compile translations.")


def _pybabel(*args: str) -> None:
    root = Path(current_app.root_path)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=root, check=True)


@i18n_cli.command("extract")
def extract_command() -> None:
    """Collect every translatable string into translations/messages.pot."""
    _pybabel("extract", "-F", "pyproject.toml", "-k", "_l", "--add-comments=i18n:",
             "--no-location", "--sort-output", "-o", "translations/messages.pot", ".")


@i18n_cli.command("update")
def update_command() -> None:
    """Merge new strings into the catalogues; English (the source language) is filled in."""
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations",
             "--no-fuzzy-matching", "--ignore-obsolete", "-w", "100")
    path = Path(current_app.root_path) / "translations" / "en" / "LC_MESSAGES" / "messages.po"
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
    untranslated = _untranslated("vi")
    click.echo(f"vi: {len(untranslated)} strings to translate")
    for text in untranslated:
        click.echo(f"  {text}")


def _untranslated(locale: str) -> list[str]:
    path = Path(current_app.root_path) / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    return [str(m.id) for m in catalog
            if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple)
                                            else (m.string,)))]


@i18n_cli.command("compile")
def compile_command() -> None:
    """Compile the .po catalogues into the .mo files the app reads."""
    _pybabel("compile", "-d", "translations", "--statistics")
    click.echo("compiled")
