"""Flask-Migrate's entry in `app.extensions`, built on first use, so the app starts without
importing Alembic (a command or test that migrates builds it; `flask db` loads the views, and
with them every model, first)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy


class LazyMigrate:
    """Stands for flask_migrate's configuration object until an attribute is read."""

    def __init__(self, db: SQLAlchemy, **options: Any) -> None:
        self._db = db
        self._options = options
        self._real = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._real is None:
            from flask_migrate import Migrate, _MigrateConfig

            migrate = Migrate(db=self._db, **self._options)
            self._real = _MigrateConfig(migrate, self._db, **migrate.alembic_ctx_kwargs)
        return getattr(self._real, name)


def init_app(app: Flask, db: SQLAlchemy) -> None:
    """Register the migrations of `migrations/` (batch mode for SQLite, column types compared).
    Alembic's note of each plugin it sets up, on every command that migrates, is kept quiet."""
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    app.extensions["migrate"] = LazyMigrate(db, directory=str(app.root_path + "/migrations"),
                                            render_as_batch=True, compare_type=True)
