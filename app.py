"""Composition root: create_app() reads configuration, wires extensions, blueprints and CLI."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_migrate import Migrate

from core import config as config_module
from core import (
    encryption,
    errors,
    i18n,
    params,
    proxy,
    ratelimit,
    request_guard,
    request_log,
    templating,
)
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
    config_module.check_production(app.config)

    params.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"),
                     render_as_batch=True, compare_type=True)
    i18n.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    encryption.init_app(app)
    request_log.init_app(app)
    request_guard.init_app(app)
    ratelimit.init_app(app)
    proxy.init_app(app)

    from accounts import auth
    from accounts.audit_views import bp as audit_bp
    from accounts.cli import users_cli
    from accounts.user_admin import bp as users_bp
    from accounts.views import bp as accounts_bp
    from admin.edit import bp as admin_edit_bp
    from admin.kiosks import bp as kiosk_admin_bp
    from admin.roster_cli import staff_cli
    from admin.views import bp as admin_bp
    from core.backup_cli import backup_command, restore_command
    from core.i18n_cli import i18n_cli
    from feedback.cases import config as cases_config
    from feedback.cases.cli import cases_cli
    from feedback.cases.views import bp as cases_bp
    from feedback.cli import export_cli, seed_demo_command, sentiment
    from feedback.dashboard.cli import dashboard_cli
    from feedback.dashboard.views import bp as dashboard_bp
    from feedback.health import bp as health_bp
    from feedback.hr.cli import report_cli
    from feedback.hr.views import bp as hr_bp
    from feedback.intake.api import bp as api_bp
    from feedback.intake.kiosk import bp as kiosk_bp
    from feedback.intake.qr import bp as feedback_bp
    from feedback.intake.visits import bp as visits_bp
    from feedback.integrity_cli import assignments_cli, integrity_cli
    from feedback.privacy_cli import privacy_cli
    from feedback.rights import config as rights_config
    from feedback.rights.views import bp as rights_bp
    from feedback.sentiment import config as sentiment_config
    from surveys.channels.visits_cli import api_tokens_cli
    from surveys.cli import qr_cli
    from surveys.units_cli import units_cli

    auth.init_app(app)
    cases_config.init_app(app)
    sentiment_config.init_app(app)
    rights_config.init_app(app)
    for blueprint in (feedback_bp, admin_bp, accounts_bp, health_bp, kiosk_bp, kiosk_admin_bp,
                      visits_bp, api_bp, cases_bp, hr_bp, dashboard_bp, rights_bp, admin_edit_bp,
                      users_bp, audit_bp):
        app.register_blueprint(blueprint)
    for command in (seed_demo_command, qr_cli, export_cli, users_cli, i18n_cli, sentiment,
                    privacy_cli, backup_command, restore_command, api_tokens_cli,
                    cases_cli, report_cli, dashboard_cli, integrity_cli, assignments_cli,
                    units_cli, staff_cli):
        app.cli.add_command(command)
    return app
