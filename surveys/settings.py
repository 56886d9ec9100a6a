"""Where `flask run` listens, for the QR codes printed from the command line without
PUBLIC_BASE_URL: FLASK_RUN_HOST and FLASK_RUN_PORT, read when asked, as the Flask CLI reads
them (they are Flask's settings, not the app's)."""

from __future__ import annotations

from core.settings import environment, integer, text

SETTINGS = ()


def dev_server_url() -> str:
    """Where `flask run` will listen (127.0.0.1:5000 by default; a server on every interface is
    shown as 127.0.0.1)."""
    host = text(environment().get("FLASK_RUN_HOST")) or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{integer(1)(environment().get('FLASK_RUN_PORT') or 5000)}"
