"""Deployment behind a reverse proxy: trust its X-Forwarded-* headers only as far as configured.

Each PROXY_FIX_X_* setting is the number of proxies in front of the app that set that header
(0, the default, trusts none: a client could otherwise forge its address and dodge rate limits).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Wrap the WSGI app in ProxyFix when any forwarded header is trusted."""
    counts = {name: int(app.config[f"PROXY_FIX_{name.upper()}"])
              for name in ("x_for", "x_proto", "x_host", "x_port", "x_prefix")}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)
