"""Fixtures for the hostile-client tests: responses stored with a controlled tagger (the same
`store` and `tagger` as tests/cases)."""

from tests.cases.conftest import store, tagger  # noqa: F401
