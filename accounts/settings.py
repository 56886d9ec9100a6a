"""Settings of signing in (core.settings collects them): the failures allowed before a pause."""

from __future__ import annotations

from core.settings import Setting, integer

_POSITIVE = integer(1)

SETTINGS = (
    Setting("LOGIN_MAX_FAILURES", 5, _POSITIVE,
            "failed sign-ins of one account from one address within the window"),
    Setting("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, _POSITIVE,
            "failed sign-ins from one address, all accounts, within the window"),
    Setting("LOGIN_MAX_FAILURES_PER_USERNAME", 20, _POSITIVE,
            "failed sign-ins of one account, all addresses, within the window"),
    Setting("LOGIN_FAILURE_WINDOW_MINUTES", 15, _POSITIVE),
)
