"""Fixtures for the citizen's side: the demo seed, built once per run."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Seeded:
    """What the first `flask seed-demo` on the empty database answered."""

    exit_code: int
    output: str


@pytest.fixture
def seeded_demo(built_once, runner) -> Seeded:
    """The database after `flask seed-demo` (run once per test run, its rows put back for each
    later test), and what that first run printed."""

    def seed() -> Seeded:
        result = runner.invoke(args=["seed-demo"])
        return Seeded(result.exit_code, result.output)

    return built_once("seed-demo", seed)
