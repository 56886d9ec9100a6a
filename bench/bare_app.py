"""A bare Flask endpoint, served by bench_load.py exactly as the real app is (same gunicorn
config), to give the floor the citizen form is compared with."""

from flask import Flask


def create_app() -> Flask:
    """One route that answers a short text, nothing else."""
    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        return "ok"

    return app
