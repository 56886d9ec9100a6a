"""Commands listed by name and short help, imported only when they run.

`flask --help` lists every command; importing them all (and the models, forms and services
behind them) would cost a second before anything happens. A `LazyCommand` carries the real
command's import path and short help; running it imports the real command (a click command or
group) and hands it the rest of the command line, `--help` included.
"""

from __future__ import annotations

import importlib

import click
from flask import current_app


def load(target: str) -> click.Command:
    """The command at "package.module:attribute"."""
    module, _sep, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


class LazyCommand(click.Command):
    """A stand-in for the command at `target`, listed with `short_help`."""

    def __init__(self, name: str, target: str, short_help: str) -> None:
        super().__init__(name, short_help=short_help, add_help_option=False,
                         context_settings={"ignore_unknown_options": True,
                                           "allow_extra_args": True,
                                           "allow_interspersed_args": False})
        self.target = target

    def invoke(self, ctx: click.Context):
        """Load the app's views, then run the real command with the remaining arguments (its
        exit code is kept)."""
        load_views = getattr(current_app, "load_views", None) if current_app else None
        if load_views is not None:
            load_views()
        outcome = load(self.target).main(args=ctx.args, prog_name=ctx.command_path,
                                         standalone_mode=False, obj=ctx.obj)
        if isinstance(outcome, int) and outcome:
            ctx.exit(outcome)
        return outcome
