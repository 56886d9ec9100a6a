"""The counter kiosk in a real Chromium: enrolled by its one-time link, it keeps taking answers
with the network switched off and delivers each exactly once, with its own time, when the
network is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from werkzeug.serving import make_server

from core.db import db
from feedback.models import Channel, Response
from feedback.reasons import reasons_of
from surveys.channels.kiosks import create_kiosk
from surveys.models import Counter

#: Network errors a browser reports while it is offline, which this test causes on purpose,
#: and the browser's own /favicon.ico request (the app has none: 404).
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "status of 503", "Failed to fetch", "status of 404")

READ_QUEUE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("hailong-kiosk", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const read = open.result.transaction("answers", "readonly").objectStore("answers").getAll();
    read.onsuccess = () => { open.result.close(); resolve(read.result); };
  };
})"""

REQUEUE = """(answers) => new Promise((resolve, reject) => {
  const open = indexedDB.open("hailong-kiosk", 1);
  open.onsuccess = () => {
    const tx = open.result.transaction("answers", "readwrite");
    answers.forEach((a) => tx.objectStore("answers").put(a));
    tx.oncomplete = () => { open.result.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""


class Gate:
    """WSGI middleware standing for the centre's uplink: closed, the server answers 503.

    Chromium's offline emulation does not cover every request a service worker makes (its
    update check of /k/sw.js still reaches the server), so the server is cut off as well.
    """

    def __init__(self, app):
        self.app = app
        self.open = True
        self.refused = 0

    def __call__(self, environ, start_response):
        if self.open:
            return self.app(environ, start_response)
        self.refused += 1
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"offline"]


@pytest.fixture
def kiosk_server(make_app) -> Iterator[tuple]:
    app = make_app(KIOSK_RESET_SECONDS=1)
    gate = Gate(app)
    httpd = make_server("127.0.0.1", 0, gate, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, gate, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


def _responses(app) -> list[Response]:
    with app.app_context():
        rows = db.session.execute(db.select(Response).order_by(Response.submitted_at)).scalars()
        return [{"key": r.submission_key, "submitted_at": r.submitted_at, "comment": r.comment,
                 "received_at": r.received_at, "channel": r.channel, "kiosk_id": r.kiosk_id,
                 "rating": r.answers[0].value,
                 "reasons": sorted(reasons_of([r.id]).get(r.id, ()))} for r in rows]


def _answer(page, rating: int, comment: str | None = None) -> None:
    """Tap a face; on the "không hài lòng" level (1–3) the reason "waiting" is asked first: no
    Skip, and Send only once a reason is ticked."""
    page.locator(f".k-face[data-rating='{rating}']").click()
    page.locator("#k-followup").wait_for(state="visible")
    dissatisfied = rating < 4
    assert page.locator("#k-reasons").is_visible() == dissatisfied
    assert page.locator("#k-skip").is_visible() != dissatisfied
    if dissatisfied:
        assert page.locator("#k-send").is_disabled()
        page.check("#k-reason-waiting")
        assert page.locator("#k-send").is_enabled()
    if comment:
        page.fill("#k-comment", comment)
    page.click("#k-send" if comment or dissatisfied else "#k-skip")
    page.locator("#k-thanks").wait_for(state="visible")
    page.locator("#k-ask").wait_for(state="visible")  # back to the start by itself


def _wait_pending(page, count: int) -> None:
    """Wait until the kiosk shows this many answers waiting in its queue."""
    page.locator(f"#k-pending[data-pending='{count}']").wait_for(state="attached")


def test_kiosk_keeps_answers_offline_and_delivers_each_once(browser, kiosk_server, org, shot):
    app, gate, base = kiosk_server
    counter = org["counters"][0]
    with app.app_context():
        enrolment = create_kiosk(db.session.get(Counter, counter["id"]), "Tablet quầy 1",
                                 timedelta(minutes=10))
        kiosk_id, code = enrolment.kiosk.id, enrolment.code
        db.session.commit()

    context = browser.new_context(base_url=base, locale="vi-VN",
                                  viewport={"width": 1024, "height": 768}, has_touch=True)
    context.set_default_timeout(15_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"/k/enrol/{code}")
        shot(page, "enrol")
        page.click("button[type=submit]")
        page.wait_for_url(f"**/k/{counter['token']}")
        page.locator("#kiosk[data-offline-ready='true']").wait_for(state="attached")
        shot(page, "kiosk-online")

        _answer(page, 5, "Cán bộ rất nhiệt tình")
        _wait_pending(page, 0)
        assert len(_responses(app)) == 1

        context.set_offline(True)
        gate.open = False
        page.reload()  # the service worker serves the kiosk from its cache
        page.locator("#k-ask").wait_for(state="visible")
        assert page.locator(".k-face").count() == 5
        shot(page, "kiosk-offline-reloaded")
        _answer(page, 1, "Chờ quá lâu")
        _answer(page, 3)
        _answer(page, 4)
        _wait_pending(page, 3)
        shot(page, "kiosk-offline-three-waiting")
        queued = page.evaluate(READ_QUEUE)
        assert sorted(a["rating"] for a in queued) == [1, 3, 4]
        assert len({a["key"] for a in queued}) == 3
        time.sleep(1.5)
        assert len(_responses(app)) == 1  # nothing reached the server

        gate.open = True
        context.set_offline(False)  # the page's "online" event sends the queue
        _wait_pending(page, 0)
        shot(page, "kiosk-back-online")

        stored = _responses(app)
        assert len(stored) == 4
        assert all(r["channel"] == Channel.KIOSK and r["kiosk_id"] == kiosk_id for r in stored)
        by_key = {r["key"]: r for r in stored}
        for answer in queued:
            row = by_key[f"kiosk:{kiosk_id}:{answer['key']}"]
            given = datetime.fromisoformat(answer["given_at"])
            assert abs(row["submitted_at"] - given) < timedelta(milliseconds=5)
            assert row["received_at"] - row["submitted_at"] > timedelta(seconds=1.5)
            assert row["rating"] == answer["rating"]
        assert sorted(r["comment"] or "" for r in stored) == \
            ["", "", "Chờ quá lâu", "Cán bộ rất nhiệt tình"]
        assert sorted((r["rating"], r["reasons"]) for r in stored) == [
            (1, ["waiting"]), (3, ["waiting"]), (4, []), (5, [])]

        # The acknowledgement of a delivery was lost: the tablet sends the same answers again.
        page.evaluate(REQUEUE, queued)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        _wait_pending(page, 0)
        assert len(_responses(app)) == 4
    finally:
        context.close()
    unexpected = [e for e in errors if not any(noise in e for noise in OFFLINE_NOISE)]
    assert not unexpected, unexpected
