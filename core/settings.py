"""Settings: each feature declares its own in a `settings` module; `create_app` collects them.

A feature's module lists `Setting`s (name, default, parser, meaning) and may add `check(config)`
for rules that join several settings. `collect` fills the app's configuration from the defaults,
then the environment (a deployed app) or the mapping a test gives, and turns every value into its
type with the setting's parser. One behaviour for a bad value anywhere: the app refuses to start
with a `ConfigError` naming each setting, the value given and what is expected.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from flask_babel import gettext

Parser = Callable[[Any], Any]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which setting and why."""


def stop_command(error: ConfigError) -> None:
    """In a command line (`flask --app app …`, `--help` included) print `error` as one line and
    exit with status 2 instead of a traceback; elsewhere (gunicorn, tests) return, so the caller
    raises it."""
    import click

    if click.get_current_context(silent=True) is None:
        return
    click.ClickException(str(error)).show()
    raise SystemExit(2)


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable and configuration key, default, parser, meaning."""

    name: str
    default: Any
    parse: Parser
    meaning: str = ""
    #: How a bad value is shown in the error (a database URL without its password).
    shown: Callable[[Any], str] = repr


def integer(minimum: int = 0) -> Parser:
    """A whole number of at least `minimum` ("30", 30)."""

    def parse(value: Any) -> int:
        digits = str(value).strip()
        if isinstance(value, bool) or not digits.lstrip("-").isdigit() or int(digits) < minimum:
            raise ValueError(gettext("a whole number of at least %(minimum)d is expected",
                                     minimum=minimum))
        return int(digits)

    return parse


def positive(name: str, default: int, meaning: str = "") -> Setting:
    """A setting that counts something (tries, minutes, days): a whole number of at least 1."""
    return Setting(name, default, integer(1), meaning)


def fraction(value: Any) -> float:
    """A number between 0 and 1 ("0.5")."""
    try:
        number = float(str(value).strip())
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise ValueError(gettext("a number between 0 and 1 is expected"))
    return number


def boolean(value: Any) -> bool:
    """true/false, yes/no, on/off or 1/0."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError(gettext("true or false is expected"))


def text(value: Any) -> str | None:
    """Any text; empty means unset (None)."""
    if value is None:
        return None
    word = str(value).strip()
    return word or None


def required_text(value: Any) -> str:
    """Text that may not be empty."""
    word = text(value)
    if word is None:
        raise ValueError(gettext("a value is expected"))
    return word


def choice(*options: str) -> Parser:
    """One of `options`, in any case."""

    def parse(value: Any) -> str:
        word = str(value).strip().lower()
        if word not in options:
            raise ValueError(gettext("one of %(options)s is expected",
                                     options=", ".join(options)))
        return word

    return parse


def iso_dates(value: Any) -> tuple[str, ...]:
    """ISO dates separated by commas or spaces ("2026-09-02, 2026-11-24"), or a sequence."""
    values = tuple(value.replace(",", " ").split()) if isinstance(value, str) \
        else tuple(str(v) for v in value)
    for item in values:
        try:
            date.fromisoformat(item)
        except ValueError as exc:
            raise ValueError(gettext("ISO dates (YYYY-MM-DD) are expected, %(item)r is not one",
                                     item=item)) from exc
    return values


def unchecked(value: Any) -> Any:
    """A value used as given (structured settings a test or the app itself sets)."""
    return value


def environment() -> Mapping[str, str]:
    """The process environment, for the settings modules (the one place it is read)."""
    return os.environ


def child_environment() -> dict[str, str]:
    """A copy of the process environment for a child process (PostgreSQL's programs)."""
    return dict(os.environ)


def settings_of(modules: Iterable[ModuleType]) -> list[Setting]:
    """Every setting the feature modules declare, refusing a name declared twice."""
    found: dict[str, Setting] = {}
    for module in modules:
        for setting in module.SETTINGS:
            if setting.name in found:
                raise ConfigError(f"{setting.name} is declared twice ({module.__name__})")
            found[setting.name] = setting
    return list(found.values())


def defaults(modules: Iterable[ModuleType]) -> dict[str, Any]:
    """The default value of every setting of `modules`."""
    return {setting.name: setting.default for setting in settings_of(modules)}


def collect(config: MutableMapping[str, Any], modules: Iterable[ModuleType],
            given: Mapping[str, Any], run_checks: bool = True) -> None:
    """Fill `config` with every setting of `modules`: a value in `given` (the environment, or a
    test's mapping), else one already in `config`, else the default; each parsed to its type.
    Then run each module's `check` (unless `run_checks` is false). ConfigError listing every bad
    value otherwise."""
    modules = list(modules)
    problems = []
    for setting in settings_of(modules):
        raw = given.get(setting.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raw = config.get(setting.name, setting.default)
        try:
            config[setting.name] = None if raw is None else setting.parse(raw)
        except (TypeError, ValueError) as exc:
            problems.append(f"{setting.name}={setting.shown(raw)}: {exc}")
    if problems:
        raise ConfigError(gettext("The settings cannot be used: %(problems)s",
                                  problems="; ".join(problems)))
    for module in modules if run_checks else ():
        check = getattr(module, "check", None)
        if check is not None:
            check(config)
