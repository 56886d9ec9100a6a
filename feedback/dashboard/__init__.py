"""Satisfaction dashboards: rollup tables kept current on insert, indices, charts, exports and
the public board of a centre. See docs/DASHBOARD.md for the design and the measured figures."""
