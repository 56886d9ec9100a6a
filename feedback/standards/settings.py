"""Settings of the Decision 766 / SIPAS pack (core.settings collects them): the point scheme."""

from __future__ import annotations

from core.settings import ConfigError, Setting, text

SETTINGS = (
    Setting("STANDARDS_SCHEME", None, text,
            "TOML file of the 766 point scheme and the target lines (feedback.standards.config)"),
)


def check(config) -> None:
    """Read the scheme file now: a file that cannot be read or makes no sense stops the start."""
    from feedback.standards.config import SchemeFileError, scheme_of

    try:
        scheme_of(config)
    except SchemeFileError as error:
        raise ConfigError(str(error)) from error
