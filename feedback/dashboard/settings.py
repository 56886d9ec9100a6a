"""Settings of the dashboards and public boards (core.settings collects them)."""

from __future__ import annotations

from core.settings import Setting, integer

SETTINGS = (
    Setting("MIN_RESPONSES_FOR_INDEX", 30, integer(0),
            "answers a scope needs in a period before an index is shown or ranked"),
    Setting("MIN_RESPONSES_PER_CELL", 10, integer(0),
            "answers a weekday × hour cell of the heatmap needs before its share is drawn"),
    Setting("BOARD_REFRESH_SECONDS", 60, integer(1),
            "how often a centre's public board reloads itself"),
    Setting("ROLLUP_FOLD_DELAY_MS", 1000, integer(0),
            "a worker gathers the submissions of this many milliseconds into one background "
            "fold of the rollups; 0: each submission folds right after its commit"),
)
