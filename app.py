"""Composition root: create_app() reads configuration, wires extensions, blueprints and CLI."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_migrate import Migrate

from core import config as config_module
from core import errors, i18n, templating
from core.db import db

migrate = Migrate()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides the environment (used by tests)."""
    app = Flask(__name__, instance_relative_config=True, static_folder="core/static",
                instance_path=os.environ.get("INSTANCE_PATH") or None)
    app.config.from_mapping(config_module.DEFAULTS)
    if test_config is None:
        app.config.from_mapping(config_module.build_config(app.instance_path))
    else:
        app.config.from_mapping(test_config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"),
                     render_as_batch=True, compare_type=True)
    i18n.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    from accounts import auth
    from accounts.cli import users_cli
    from accounts.views import bp as accounts_bp
    from core.i18n_cli import i18n_cli
    from feedback.cli import export_cli, seed_demo_command
    from feedback.views import bp as feedback_bp
    from surveys.admin import bp as admin_bp
    from surveys.cli import qr_cli

    auth.init_app(app)
    for blueprint in (feedback_bp, admin_bp, accounts_bp):
        app.register_blueprint(blueprint)
    for command in (seed_demo_command, qr_cli, export_cli, users_cli, i18n_cli):
        app.cli.add_command(command)
    return app
