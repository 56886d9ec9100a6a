"""Commands listed by name and short help, imported only when they run.

`flask --help` lists every command; importing them all (and the models, forms and services
behind them) would cost a second before anything happens. A `LazyCommand` carries the real
command's import path and short help; running it imports the real command (a click command or
group) and hands it the rest of the command line, `--help` included.
"""

from __future__ import annotations

import importlib
from contextlib import ExitStack

import click
from flask import current_app
from flask.cli import ScriptInfo
from flask_babel import gettext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from core.click_text import click_gettext
from core.request_log import after_the_output

#: SQLSTATE of a missing table and a missing column (PostgreSQL).
_MISSING_SCHEMA_STATES = {"42P01", "42703"}
#: SQLSTATE of a table (relation) or another object that already exists (PostgreSQL).
_EXISTING_SCHEMA_STATES = {"42P07", "42710"}
#: SQLSTATE classes of failing to connect or to sign in, and an unknown database (PostgreSQL).
_CONNECTION_STATES = ("08", "28", "3D000")
#: How the drivers word failing to reach or open the database (psycopg often gives no SQLSTATE).
_CONNECTION_TEXTS = (
    "unable to open database file",  # SQLite: a missing directory, no permission
    "connection refused", "could not translate host name", "name or service not known",
    "password authentication failed", "could not connect", "connection failed",
    "timeout expired", "timed out", "no route to host", "server closed the connection",
    "connection to server", "does not exist",  # FATAL: database "x" / role "x" does not exist
)


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
        """Load the app's views, then run the real command with the remaining arguments, in the
        app's context to the end: its help and click's messages (shown here, not by click's
        outer loop, whose context is gone by then) come in the command's language. Its exit
        code is kept; its log lines are written after its output."""
        app = ctx.ensure_object(ScriptInfo).load_app()
        with ExitStack() as held:
            if not current_app:
                held.enter_context(app.app_context())
            load_views = getattr(app, "load_views", None)
            if load_views is not None:
                load_views()
            try:
                with after_the_output():
                    outcome = load(self.target).main(args=ctx.args, prog_name=ctx.command_path,
                                                     standalone_mode=False, obj=ctx.obj)
            except click.ClickException as error:
                error.show()
                ctx.exit(error.exit_code)
            except click.Abort:
                click.echo(click_gettext("Aborted!"), err=True)
                ctx.exit(1)
            except DBAPIError as error:
                problem = database_problem(error)
                if problem is None:
                    raise
                click.echo(problem, err=True)
                ctx.exit(1)
        if isinstance(outcome, int) and outcome:
            ctx.exit(outcome)
        return outcome


def database_problem(error: DBAPIError) -> str | None:
    """One line telling the operator what to do about a database error a command met: upgrade
    the schema (tables or columns missing), start from an empty database or stamp it (tables
    made without the migrations, e.g. by `db.create_all()`), check DATABASE_URL (server
    unreachable, database file not openable, sign-in refused), or try again (SQLite locked);
    None for any other error, which is raised as it is."""
    text = str(error.orig).lower()
    state = getattr(error.orig, "sqlstate", None) or ""
    if state in _MISSING_SCHEMA_STATES or "no such table" in text or "no such column" in text:
        return gettext("The database has not been created or upgraded for this version: run "
                       "\"flask --app app db upgrade\" first.")
    if state in _EXISTING_SCHEMA_STATES or (isinstance(error, OperationalError)
                                            and "already exists" in text):
        return gettext("The database already holds tables that were not created by this "
                       "version's migrations (they have no migration record): use an empty "
                       "database, or, if you are sure its tables were made by this same version, "
                       "record that with \"flask --app app db stamp head\".")
    if not isinstance(error, OperationalError):
        return None
    if "locked" in text:
        return gettext("The database stayed locked by another process: try the command again.")
    if state.startswith(_CONNECTION_STATES) or any(words in text for words in _CONNECTION_TEXTS):
        address = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
        return gettext("Cannot reach the database %(address)s: check DATABASE_URL and that the "
                       "database server is running.",
                       address=address.render_as_string(hide_password=True))
    return None
