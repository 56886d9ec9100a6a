"""Real-browser fixtures: the app served on a loopback port by a server thread, and Debian's
headless Chromium driven by Playwright (the system browser; nothing is ever downloaded).

Every test here is marked `e2e` (.ci/test runs them once, on SQLite). Screenshots of each step go
to artifacts/screenshots/<test name>/, which CI keeps.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from feedback.dashboard.folding import after_submission_commit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
#: A cheap Android phone: 360 × 740 CSS pixels at 2 device pixels per CSS pixel.
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
#: axe-core from the npm registry, installed on first use into a git-ignored folder.
AXE_VERSION = "4.14.1"
AXE_PREFIX = ROOT / ".ci" / "cache" / "axe-core"
AXE_SCRIPT = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
#: Impacts that fail a page (axe's scale: minor, moderate, serious, critical).
AXE_FAILING = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e as `e2e`."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run (Debian's `chromium` package)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
                    "or set CHROMIUM to a Chromium binary")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (cold cache, no cookies) on the live server.

    `new_page(phone=True, locale="vi-VN", **context_options)`; relative URLs go to the server.
    Console errors (e.g. something blocked by the Content-Security-Policy) and sub-resources
    that fail to load fail the test; error status codes of the page itself are expected.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_page(phone: bool = True, locale: str = "vi-VN", **options) -> Page:
        context = browser.new_context(base_url=live_server, locale=locale,
                                      **{**(PHONE if phone else DESKTOP), **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                and not m.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document" else None)
        page.on("requestfailed", lambda r: errors.append(f"{r.failure} {r.url}")
                if r.failure != "net::ERR_ABORTED" else None)  # aborted: a download, or left
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def shot(request) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot of a step: artifacts/screenshots/<test>/<nn>-<step>.png."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    steps = iter(range(1, 100))

    def take(page: Page, step: str) -> Path:
        page.wait_for_load_state("load")  # images (e.g. charts) included
        path = folder / f"{next(steps):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script, `npm install`ed into .ci/cache/axe-core the first time (by one
    pytest-xdist worker while the other waits)."""
    AXE_PREFIX.mkdir(parents=True, exist_ok=True)
    with (AXE_PREFIX / "install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not AXE_SCRIPT.exists():
            npm = shutil.which("npm")
            if npm is None:
                pytest.fail("npm not found: install Debian's nodejs and npm to fetch axe-core")
            subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--silent",
                            "--prefix", str(AXE_PREFIX), f"axe-core@{AXE_VERSION}"],
                           check=True, timeout=300)
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source: str) -> Callable[[Page], list[str]]:
    """Run axe-core on a page; returns its serious and critical violations, described.

    The page's context must be opened with bypass_csp=True: the script is injected inline,
    which the app's Content-Security-Policy (rightly) refuses otherwise.
    """

    def check(page: Page) -> list[str]:
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document, "
                               "{resultTypes: ['violations']})")
        return [f"{v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(n["html"][:120] for n in v["nodes"][:3])
                for v in result["violations"] if v["impact"] in AXE_FAILING]

    return check


@pytest.fixture
def sign_in(app, new_page) -> Callable[..., Page]:
    """The browser form of tests/conftest.py's `sign_in`: create a back-office user and sign in
    through the login page in a new browser page, which it returns on the user's home page.

    `sign_in(role, unit_code=None, username=None, **new_page_options)`.
    """
    from tests.support import create_test_user, fill_login_form

    def do(role, unit_code: str | None = None, username: str | None = None,
           **options) -> Page:
        username = create_test_user(app, role, unit_code, username or f"{role.value}.e2e")
        page = new_page(**{"phone": False, **options})
        fill_login_form(page, username)
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    return do


@pytest.fixture
def add_responses(app) -> Callable[[dict, list[int]], None]:
    """Store responses at an org's first counter through the real service (as the form does);
    `add_responses(org, [overall, ...], comment=None)` rates every question `overall`."""
    import uuid

    from core.db import db
    from feedback.services import Submission, record_response
    from surveys.models import Counter, Survey
    from tests.support import recent_office_hour

    def add(org: dict, overall_values: list[int], comment: str | None = None) -> None:
        with app.app_context():
            survey = db.session.get(Survey, org["survey_id"])
            counter = db.session.get(Counter, org["counters"][0]["id"])
            for overall in overall_values:
                record_response(counter, survey, Submission(
                    submission_key=uuid.uuid4().hex, locale="vi", comment=comment,
                    ratings={q.id: overall for q in survey.questions},
                    device_hash=uuid.uuid4().hex), at=recent_office_hour())
            db.session.commit()
            after_submission_commit()  # as the app does: the fold

    return add
