"""README's "Command line" table matches the commands: every command a newcomer can run is in
it, and every command and option it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import click

from app import COMMANDS
from core.lazy_cli import load

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
#: Flask-Migrate's own group: the table names only `db upgrade`.
NOT_LISTED_ONE_BY_ONE = {"db"}


def _table_rows() -> list[str]:
    section = README.split("### Command line\n", 1)[1].split("\n###", 1)[0]
    return [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `")]


def _named() -> list[tuple[list[str], list[str]]]:
    """(command path, options) of each command a row names: "`flask --app app g sub …` /
    `sibling …`" — a sibling is a command of the same group or a command of its own."""
    named = []
    for cell in _table_rows():
        spans = re.findall(r"`([^`]+)`", cell)
        first = spans[0].removeprefix("flask --app app ").split()
        group = first[0]
        for index, span in enumerate(spans):
            words = first if index == 0 else span.split()
            path = [w for w in words if re.fullmatch(r"[a-z][a-z0-9-]*", w)]
            if index and path[0] not in COMMANDS:
                path = [group, *path]
            named.append((path[:2] if path[0] in COMMANDS and isinstance(
                load(COMMANDS[path[0]][0]), click.Group) else path[:1],
                re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-o)\b",
                           span.removeprefix("flask --app app "))))
    return named


def _command(path: list[str]) -> click.Command:
    command = load(COMMANDS[path[0]][0])
    return command.commands[path[1]] if len(path) > 1 else command


def test_every_command_and_option_the_table_names_exists():
    for path, options in _named():
        assert path[0] in COMMANDS, path
        command = _command(path)
        known = {opt for param in command.params for opt in param.opts}
        assert set(options) <= known, (path, set(options) - known)


def test_every_command_is_in_the_table():
    named = {tuple(path) for path, _options in _named()}
    for name, (target, _help) in COMMANDS.items():
        command = load(target)
        if name in NOT_LISTED_ONE_BY_ONE:
            continue
        if isinstance(command, click.Group):
            for sub in command.commands:
                assert (name, sub) in named, f"flask --app app {name} {sub}"
        else:
            assert (name,) in named, f"flask --app app {name}"
