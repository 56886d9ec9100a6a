"""Commands start without the whole app: `flask --help` lists every command from its stand-in,
the stand-in runs the real command, and the views load when first needed."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import click
import pytest
from flask_babel import force_locale

import app as app_module
from app import create_app
from core.lazy_cli import LazyCommand, load

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("feedback.models", "surveys.models", "accounts.models", "flask_migrate", "alembic",
         "matplotlib", "numpy", "openpyxl", "underthesea")
#: Commands of other packages, whose own help is in English only (Flask-Migrate's).
ENGLISH_ONLY = {"db"}
LISTING = f"""
import sys
from flask.cli import main
sys.argv = ["flask", "--app", "app", "--help"]
try:
    main()
except SystemExit:
    pass
print("LOADED", [name for name in {HEAVY!r} if name in sys.modules])
"""


def test_help_lists_every_command_without_importing_views_models_or_heavy_libraries():
    done = subprocess.run([sys.executable, "-c", LISTING], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={"PATH": "/usr/bin:/bin"})
    assert "LOADED []" in done.stdout
    for name in app_module.COMMANDS:
        assert f"\n  {name} " in done.stdout


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_stand_in_carries_the_real_commands_short_help(app, language):
    with app.app_context(), force_locale(language):
        for name, (target, short_help) in app_module.COMMANDS.items():
            if language == "vi" and name in ENGLISH_ONLY:
                continue
            assert load(target).get_short_help_str(limit=200) == str(short_help), name


def test_a_stand_in_runs_the_real_command_with_its_arguments_and_exit_code(app, runner):
    assert isinstance(app.cli.commands["units"], LazyCommand)
    listed = runner.invoke(args=["units", "--help"])
    assert listed.exit_code == 0 and "import" in listed.output
    refused = runner.invoke(args=["units", "import", "--province", "99"])
    assert refused.exit_code == 1


def test_views_load_once_on_the_first_requests():
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    statuses = []
    threads = [threading.Thread(target=lambda: statuses.append(
        app.test_client().get("/rieng-tu").status_code)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    assert sum(1 for rule in app.url_map.iter_rules() if rule.rule == "/rieng-tu") == 1


@click.command("talk")
def talking_command() -> None:
    """Two lines of output with a warning logged between them."""
    click.echo("một")
    logging.getLogger("hailong.test").warning("nhật ký")
    click.echo("hai")


class _ToStderr(logging.Handler):
    """Writes to whatever sys.stderr is when a record comes (the runner's, here)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")
        sys.stderr.flush()


def test_a_commands_log_lines_come_after_its_output(app):
    app.cli.add_command(LazyCommand("talk", "tests.test_cli_start:talking_command", "Talk."))
    root, handler = logging.getLogger(), _ToStderr()
    root.addHandler(handler)
    try:
        before = root.handlers[:]
        result = app.test_cli_runner().invoke(args=["talk"])
        assert root.handlers == before
    finally:
        root.removeHandler(handler)
    assert result.output == "một\nhai\nnhật ký\n"
