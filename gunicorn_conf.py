"""Gunicorn settings for production: `gunicorn -c python:gunicorn_conf 'app:create_app()'`.

Environment: GUNICORN_BIND (default 127.0.0.1:8000; a reverse proxy sits in front),
WEB_CONCURRENCY (worker processes, default 2 x cores + 1), GUNICORN_THREADS (threads per worker,
default 4), GUNICORN_TIMEOUT (seconds, default 30). Workers are recycled after a jittered number
of requests; a worker that dies (even by SIGKILL) is replaced by the master at once, and a
request in flight on it gets a connection error, never a half-stored response (each submission
is one transaction with a unique idempotency key, so the citizen's retry is safe). Each worker
loads the app, the sentiment tagger and the chart libraries before it serves its first request,
and then freezes what it loaded out of the cycle collector's way (`prepare_worker`).
In production, the master refuses to start several workers whose rate limits would each count
alone (RATELIMIT_STORAGE_URI=memory://; `on_starting`, core.config.check_serving).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os

from core.request_log import JsonFormatter
from core.settings import ConfigError, environment, integer


def _int(name: str, default: int) -> int:
    """A positive whole number from the environment; a bad value stops the start (ConfigError)."""
    raw = (environment().get(name) or "").strip()
    try:
        return integer(1)(raw) if raw else default
    except ValueError as error:
        raise ConfigError(f"{name}={raw!r}: {error}") from error


bind = environment().get("GUNICORN_BIND") or "127.0.0.1:8000"
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
#: Each worker opens its own database pool (nothing shared across fork).
preload_app = False
#: Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
#: The app writes one JSON access line per request (with its request id); gunicorn's own
#: messages go to standard error as JSON too.
accesslog = None
errorlog = "-"
loglevel = (environment().get("LOG_LEVEL") or "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                            "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": loglevel.upper()},
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(),
                                   "propagate": False},
                "alembic": {"level": "WARNING"}},
}
#: No admin control socket (gunicorn >= 24): one fixed path would clash between instances.
control_socket_disable = True
#: Request line and header limits (defaults made explicit); bodies are capped by the app (64 KB).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


def on_starting(server) -> None:
    """Refuse (production) several workers with per-process rate limits; warn with one."""
    from core.config import ConfigError, check_serving, serving_config

    try:
        warning = check_serving(serving_config(), server.cfg.workers)
    except ConfigError as error:
        raise RuntimeError(str(error)) from error
    if warning:
        server.log.warning(warning)


def post_worker_init(worker) -> None:
    """Prepare the worker before it serves (`prepare_worker`), then start the thread that
    draws dashboard charts ahead of their first view (`feedback.dashboard.warm`)."""
    app = getattr(worker, "wsgi", None)
    prepare_worker(app)
    if getattr(app, "load_views", None) is not None:
        from feedback.dashboard import warm as charts_ahead

        charts_ahead.start(app)  # draws charts ahead (one worker of the server at a time)


def prepare_worker(app) -> None:
    """Load the app's views and models (`_load_app`), its templates and languages, the
    sentiment tagger (underthesea's normalisers and our model) and the libraries charts and
    spreadsheets draw with (`core.lazy`), draw a small chart of each kind, compile the
    dashboard's statements (`feedback.dashboard.warm.compile_reads`), then settle the heap.

    Without it the first requests a fresh worker receives would wait for the imports. Should
    the tagger, a library, a template or the database fail, the worker serves all the same
    (citizens' submissions need no tagger and no chart): comments are stored, marked untagged,
    and `flask sentiment tag-pending` catches up once the tagger works again; a chart or a
    template would fail on its own request. The views and models failing to load stop the
    worker.
    """
    from core import lazy
    from feedback.sentiment.loader import warm

    loads = [("the sentiment tagger", warm), ("the chart libraries", lazy.warm),
             ("the dashboard charts", _draw_charts_once)]
    if getattr(app, "load_views", None) is not None:  # app.HaiLong
        _load_app(app)
        from feedback.dashboard.warm import compile_reads

        loads += [("the templates and languages", lambda: _read_templates_and_languages(app)),
                  ("the dashboard's statements", lambda: compile_reads(app))]
    for what, load in loads:
        try:
            load()
        except Exception:  # a broken part must not keep the worker from taking submissions
            logging.getLogger(__name__).exception("worker %s: %s did not load", os.getpid(),
                                                  what)
    settle_heap()


def _load_app(app) -> None:
    """The views registered and SQLAlchemy's mappers configured (the app cannot serve
    without them: a failure stops the worker)."""
    from sqlalchemy.orm import configure_mappers

    app.load_views()
    configure_mappers()


def _read_templates_and_languages(app) -> None:
    """Every template compiled and each language's translations and number formats read.

    Each would otherwise be built by the first request that needs it, after the heap was
    settled: with the mappers, some 50,000 objects that every full collection then walks
    (15-20 ms each time, against 5-7 ms). A template that does not compile fails here and is
    logged, and fails again only on its own page."""
    from flask_babel import force_locale, format_percent, gettext

    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                gettext("Hài Lòng")
                format_percent(0.5)


def _draw_charts_once() -> None:
    """Draw a small chart of each kind (`feedback.dashboard.charts.warm_up`)."""
    from feedback.dashboard.charts import warm_up

    warm_up()


def settle_heap() -> None:
    """Move what the worker loaded at start out of the cycle collector's way (`gc.freeze`).

    With the app, matplotlib, SQLAlchemy and the tagger loaded, a full collection walked the
    whole heap: 0.12 s, once every few dashboard views at 5 M responses (a report allocates
    thousands of objects). The modules and their objects live as long as the worker, so they
    need no collecting; what requests allocate is still collected as before.
    """
    gc.collect()
    gc.freeze()
