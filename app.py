"""Composition root: create_app() reads the settings, wires extensions, blueprints and commands.

Views and commands are named here by import path and imported when first needed (HaiLong,
core.lazy_cli), so a command starts without the whole app."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from werkzeug.routing import Map

from accounts import settings as accounts_settings
from core import (
    click_text,
    encryption,
    errors,
    i18n,
    migrations,
    params,
    proxy,
    ratelimit,
    request_guard,
    request_log,
    settings,
    templating,
)
from core import config as config_module
from core.db import db
from core.lazy_cli import LazyCommand, load
from feedback.cases import settings as cases_settings
from feedback.dashboard import settings as dashboard_settings
from feedback.hr import settings as hr_settings
from feedback.intake import settings as intake_settings
from feedback.rights import settings as rights_settings
from feedback.sentiment import settings as sentiment_settings
from feedback.sentiment.loader import choose as choose_sentiment_model
from feedback.standards import settings as standards_settings
from surveys import settings as surveys_settings

#: The settings modules `create_app` collects: the core's, then each feature's.
SETTINGS_MODULES = (config_module, accounts_settings, surveys_settings, intake_settings,
                    cases_settings, dashboard_settings, hr_settings, rights_settings,
                    sentiment_settings, standards_settings)

#: Blueprints, registered when the views are first needed (HaiLong.load_views).
BLUEPRINTS = (
    "feedback.intake.qr:bp", "admin.views:bp", "accounts.views:bp", "feedback.health:bp",
    "feedback.intake.kiosk:bp", "admin.kiosks:bp", "feedback.intake.visits:bp",
    "feedback.intake.api:bp", "feedback.cases.views:bp", "feedback.hr.views:bp",
    "feedback.dashboard.views:bp", "feedback.rights.views:bp", "admin.edit:bp",
    "accounts.user_admin:bp", "accounts.audit_views:bp",
)

#: Commands: name → (the real command, its short help for `flask --help`, translated when shown;
#: a test checks that both agree). Each is imported when it runs.
COMMANDS = {
    "api-tokens": ("admin.api_tokens_cli:api_tokens_cli",
                   _l("API tokens of the visit tokens API (/api/v1).")),
    "assignments": ("feedback.integrity_cli:assignments_cli",
                    _l("Corrections to who was on duty.")),
    "backup": ("core.backup_cli:backup_command",
               _l("Copy the database to PATH (SQLite: online backup; PostgreSQL: pg_dump custom "
                  "format).")),
    "cases": ("feedback.cases.cli:cases_cli", _l("Complaint cases and centre alerts.")),
    "dashboard": ("feedback.dashboard.cli:dashboard_cli",
                  _l("Dashboards and their summary tables.")),
    "db": ("flask_migrate.cli:db", _l("Perform database migrations.")),
    "export": ("feedback.cli:export_cli", _l("Export data.")),
    "i18n": ("core.i18n_cli:i18n_cli", _l("Extract, update and compile translations.")),
    "integrity": ("feedback.integrity_cli:integrity_cli",
                  _l("Integrity screening of stored responses.")),
    "privacy": ("feedback.privacy_cli:privacy_cli",
                _l("Citizens' personal data: retention and encryption.")),
    "qr": ("surveys.cli:qr_cli", _l("QR codes and links of the counters.")),
    "report": ("feedback.hr.cli:report_cli", _l("Reports for HR.")),
    "restore": ("core.backup_cli:restore_command",
                _l("Replace everything in the database with the backup at PATH.")),
    "seed-demo": ("feedback.cli:seed_demo_command", _l("Create a demo province, wards, centres, "
                                                       "counters, staff, users and ~2,000 "
                                                       "responses.")),
    "sentiment": ("feedback.cli:sentiment",
                  _l("Train, evaluate and run the offline sentiment and topic tagger.")),
    "staff": ("admin.roster_cli:staff_cli", _l("Staff rosters.")),
    "units": ("surveys.units_cli:units_cli", _l("Provinces, wards, communes and special zones.")),
    "users": ("accounts.cli:users_cli", _l("Manage back-office accounts.")),
}


class HaiLong(Flask):
    """Flask that imports its views (and the models behind them) when they are first needed —
    the first request or URL built, a command that runs — so `flask --help` starts without
    them. gunicorn loads them before a worker serves (gunicorn_conf.py)."""

    def __init__(self, *args, **kwargs) -> None:
        self._views_lock = threading.RLock()
        #: "held" while create_app wires the app, then "none", "loading", "loaded".
        self._views_state = "held"
        super().__init__(*args, **kwargs)

    @property
    def url_map(self) -> Map:
        """The routes; reading them loads the views first (or waits while another thread does)."""
        if self._views_state not in ("loaded", "held"):
            self.load_views()
        return self._url_map

    @url_map.setter
    def url_map(self, value: Map) -> None:
        self._url_map = value

    def load_views(self) -> None:
        """Register the views once (threads arriving meanwhile wait for them)."""
        if self._views_state == "loaded":
            return
        with self._views_lock:
            if self._views_state == "none":
                self._views_state = "loading"
                try:
                    _register_views(self)
                except BaseException:
                    self._views_state = "none"
                    raise
                self._views_state = "loaded"


def create_app(test_config: dict[str, Any] | None = None) -> HaiLong:
    """Build the application; `test_config` replaces the environment (used by tests). A bad
    setting stops the start with a ConfigError naming it (in a command: one line, exit 2)."""
    app = HaiLong(__name__, instance_relative_config=True, static_folder="core/static",
                instance_path=config_module.instance_path())
    app.config.from_mapping(config_module.FIXED)
    click_text.install()  # first, with Babel, so that a bad setting is reported in Vietnamese
    i18n.init_app(app)
    try:
        with app.app_context():
            if test_config is None:
                settings.collect(app.config, SETTINGS_MODULES,
                                 config_module.from_environment())
                config_module.fill_instance_defaults(app.config, app.instance_path)
            else:
                app.config.from_mapping(test_config)
                settings.collect(app.config, SETTINGS_MODULES, {})
            encryption.init_app(app)  # a malformed CONTACT_ENCRYPTION_KEY is a bad setting too
    except settings.ConfigError as error:
        settings.stop_command(error)
        raise
    choose_sentiment_model(app.config["SENTIMENT_MODEL"])

    params.init_app(app)
    db.init_app(app)
    migrations.init_app(app, db)
    errors.init_app(app)
    templating.init_app(app)
    request_log.init_app(app)
    request_guard.init_app(app)
    ratelimit.init_app(app)
    proxy.init_app(app)
    for name, (target, short_help) in COMMANDS.items():
        app.cli.add_command(LazyCommand(name, target, short_help))
    app._views_state = "none"
    return app


def _register_views(app: HaiLong) -> None:
    """Import the views (and the models, forms and services behind them) and register them."""

    from accounts import auth

    auth.init_app(app)
    for target in BLUEPRINTS:
        app.register_blueprint(load(target))
