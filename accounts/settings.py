"""Settings of signing in (core.settings collects them): the failures allowed before a pause."""

from __future__ import annotations

from core.settings import positive

SETTINGS = (
    positive("LOGIN_MAX_FAILURES", 5,
             "failed sign-ins of one account from one address within the window"),
    positive("LOGIN_MAX_FAILURES_PER_ADDRESS", 20,
             "failed sign-ins from one address, all accounts, within the window"),
    positive("LOGIN_MAX_FAILURES_PER_USERNAME", 20,
             "failed sign-ins of one account, all addresses, within the window"),
    positive("LOGIN_FAILURE_WINDOW_MINUTES", 15),
)
