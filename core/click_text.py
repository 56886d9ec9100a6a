"""click's own texts in the language of the command: "Error:", "Usage:", "Aborted!", the usage
errors, the help's headings; and the two places where click keeps our texts from being
translated (an option's help, the yes/no question).

click 8 marks its texts with the standard library's gettext: each of its modules does
`from gettext import gettext as _` (and `ngettext`), which reads the POSIX locale and one
process-wide text domain. Switching that domain (`gettext.textdomain`) would reach argparse and
every other user of it, and the POSIX locale is rarely Vietnamese on a server. So `install()`
rebinds those two names in the click modules that print to a person to functions that read
our catalogue of click's texts, `translations/<lang>/LC_MESSAGES/click.po` (the "click" domain,
extracted from click by `flask i18n extract`), in the command's language (core.i18n). Only
click's shell completion is left out: importing it costs 30 ms at every start.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import importlib
from functools import cache
from pathlib import Path
from typing import Any

import click
from flask_babel import gettext

from core.i18n import command_language

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
DOMAIN = "click"
#: click's modules whose `_` and `ngettext` are given our catalogue.
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types",
           "utils", "_termui_impl")
#: A text click passes to gettext from a variable, which the extractor cannot see.
UNSEEN = ("required",)


@cache
def _catalogue(language: str) -> stdlib_gettext.NullTranslations:
    return stdlib_gettext.translation(DOMAIN, TRANSLATIONS, languages=[language], fallback=True)


def click_gettext(message: str) -> str:
    """One of click's texts in the command's language."""
    return _catalogue(command_language()).gettext(message)


def click_ngettext(singular: str, plural: str, count: int) -> str:
    """One of click's texts with a number, in the command's language."""
    return _catalogue(command_language()).ngettext(singular, plural, count)


def install() -> None:
    """Give click's modules our catalogue of their texts."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext


class Option(click.Option):
    """A click option whose help (a lazy_gettext string) is translated each time it is shown:
    click cleans the help text when the option is made, which would fix it in the language of
    the import."""

    def __init__(self, *args: Any, help: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = help

    @property
    def help(self) -> str | None:
        """The help text in the command's language."""
        return None if self._help is None else str(self._help)

    @help.setter
    def help(self, value: Any) -> None:
        self._help = value


def option(*param_decls: str, **attrs: Any):
    """`click.option` with a help text translated when shown (pass it as lazy_gettext)."""
    return click.option(*param_decls, cls=Option, **attrs)


#: The most rows one batch (one transaction) of a command may hold.
MAX_BATCH = 10_000


def batch_option(name: str, default: int, help: Any):
    """A command's batch size, `name` ("--batch-size"): rows per transaction, 1 to
    MAX_BATCH."""
    return option(name, default=default, show_default=True,
                  type=click.IntRange(1, MAX_BATCH), help=help)


def confirm(question: str) -> None:
    """Ask `question`, no by default, and abort unless the answer is yes (in the command's
    language or in English: click's own confirm understands only y and yes)."""
    answer = click.prompt(gettext("%(question)s [y/N]", question=question), default="",
                          show_default=False)
    if answer.strip().lower() not in {"y", "yes", gettext("y"), gettext("yes")}:
        raise click.Abort()
