"""`flask i18n extract|update|compile`: the translation workflow, wrapping pybabel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
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
    """Merge new strings into translations/vi and translations/en (then review fuzzy ones)."""
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations",
             "--no-fuzzy-matching", "--ignore-obsolete")


@i18n_cli.command("compile")
def compile_command() -> None:
    """Compile the .po catalogues into the .mo files the app reads."""
    _pybabel("compile", "-d", "translations", "--statistics")
    click.echo("compiled")
