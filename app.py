"""Composition root: create_app() reads configuration, wires extensions, blueprints and CLI."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_migrate import Migrate

from accounts import settings as accounts_settings
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
    settings,
    templating,
)
from core.db import db
from feedback.cases import settings as cases_settings
from feedback.dashboard import settings as dashboard_settings
from feedback.hr import settings as hr_settings
from feedback.intake import settings as intake_settings
from feedback.rights import settings as rights_settings
from feedback.sentiment import settings as sentiment_settings
from feedback.sentiment.loader import choose as choose_sentiment_model
from surveys import settings as surveys_settings

migrate = Migrate()

#: The settings modules `create_app` collects: the core's, then each feature's.
SETTINGS_MODULES = (config_module, accounts_settings, surveys_settings, intake_settings,
                    cases_settings, dashboard_settings, hr_settings, rights_settings,
                    sentiment_settings)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` replaces the environment (used by tests). A bad
    setting stops the start with a ConfigError naming it."""
    app = Flask(__name__, instance_relative_config=True, static_folder="core/static",
                instance_path=config_module.instance_path())
    app.config.from_mapping(config_module.FIXED)
    if test_config is None:
        settings.collect(app.config, SETTINGS_MODULES,
                         config_module.from_environment())
        config_module.fill_instance_defaults(app.config, app.instance_path)
    else:
        app.config.from_mapping(test_config)
        settings.collect(app.config, SETTINGS_MODULES, {})
    choose_sentiment_model(app.config["SENTIMENT_MODEL"])

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
    from core.backup_cli import backup_command, restore_command
    from core.health import bp as health_bp
    from core.i18n_cli import i18n_cli
    from feedback.api import bp as api_bp
    from feedback.cases.cli import cases_cli
    from feedback.cases.views import bp as cases_bp
    from feedback.cli import export_cli, seed_demo_command, sentiment
    from feedback.dashboard.cli import dashboard_cli
    from feedback.dashboard.views import bp as dashboard_bp
    from feedback.hr.cli import report_cli
    from feedback.hr.views import bp as hr_bp
    from feedback.integrity_cli import assignments_cli, integrity_cli
    from feedback.kiosk_views import bp as kiosk_bp
    from feedback.privacy_cli import privacy_cli
    from feedback.rights.views import bp as rights_bp
    from feedback.views import bp as feedback_bp
    from feedback.visit_views import bp as visits_bp
    from surveys.admin import bp as admin_bp
    from surveys.admin_edit import bp as admin_edit_bp
    from surveys.cli import qr_cli
    from surveys.kiosk_admin import bp as kiosk_admin_bp
    from surveys.roster_cli import staff_cli
    from surveys.units_cli import units_cli
    from surveys.visits_cli import api_tokens_cli

    auth.init_app(app)
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
