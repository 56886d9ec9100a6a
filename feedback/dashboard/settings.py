"""Settings of the dashboards and public boards (core.settings collects them)."""

from __future__ import annotations

from core.settings import Setting, fraction, integer, text

SETTINGS = (
    Setting("MIN_RESPONSES_FOR_INDEX", 30, integer(0),
            "answers a scope needs in a period before an index is shown or ranked"),
    Setting("MIN_RESPONSES_PER_CELL", 10, integer(0),
            "answers a weekday × hour cell of the heatmap needs before its share is drawn"),
    Setting("BOARD_REFRESH_SECONDS", 60, integer(1),
            "how often a centre's public board reloads itself"),
    Setting("DASHBOARD_CHART_DIR", "charts", text,
            "folder of drawn charts shared by the workers and kept across restarts (relative: "
            "inside the instance folder; empty: each worker keeps its own, in memory only)"),
    Setting("DASHBOARD_CHART_FILES", 20000, integer(100),
            "how many drawn charts that folder keeps (the oldest go first)"),
    Setting("DASHBOARD_WARM_SECONDS", 30, integer(0),
            "how often a served app draws, ahead of the first view, the charts of the dashboards "
            "whose units received responses (0: never; charts are then drawn when first viewed)"),
    Setting("DASHBOARD_WARM_SHARE", 0.25, fraction,
            "at most this share of one CPU core goes to drawing charts ahead"),
    Setting("ROLLUP_FOLD_DELAY_MS", 1000, integer(0),
            "a background fold of the rollups runs once the oldest waiting submission has "
            "waited this many milliseconds (about one fold per delay across all workers); 0: "
            "each submission folds right after its commit"),
)
