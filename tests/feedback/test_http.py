"""Real HTTP round trips through the citizen form against a server on a loopback port."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from core.db import db
from feedback.models import Response


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def _fill(html: str, rating: str = "5") -> dict:
    data = dict(re.findall(r'name="(csrf_token|ticket)" type="hidden" value="([^"]+)"', html))
    for name in set(re.findall(r'name="(question_\d+)"', html)):
        data[name] = rating
    if int(rating) < 4:  # a "không hài lòng" answer gives its reason
        data["reasons"] = "waiting"
    return data


def test_citizen_round_trip_over_http(app, live_server, org):
    browser = Browser(live_server)
    path = f"/s/{org['counters'][0]['token']}"
    status, headers, body = browser.request(path)
    assert status == 200 and "text/html" in headers["Content-Type"]
    data = _fill(body.decode(), "4")
    data["comment"] = "Cán bộ hướng dẫn tận tình 👍"
    status, headers, _ = browser.request(path, data)
    assert status == 303 and headers["Location"].endswith(path + "/thanks")
    status, _, body = browser.request(path + "/thanks")
    assert status == 200 and "Cảm ơn" in body.decode()
    status, _, _ = browser.request(path, data)  # back-and-resubmit
    assert status == 303
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalars().all()
        assert len(stored) == 1
        assert stored[0].comment == "Cán bộ hướng dẫn tận tình 👍"
        assert stored[0].staff_id == org["counters"][0]["staff_id"]


def test_simultaneous_double_tap_stores_one_response(app, live_server, org):
    browser = Browser(live_server)
    path = f"/s/{org['counters'][0]['token']}"
    data = _fill(browser.request(path)[2].decode())
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: browser.request(path, data)[0], range(6)))
    assert statuses == [303] * 6
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Response)) \
            .scalar_one() == 1


def test_many_citizens_at_once_are_all_stored(app, live_server, create_org):
    org = create_org(counters=3)

    def citizen(i: int) -> int:
        browser = Browser(live_server)
        path = f"/s/{org['counters'][i % 3]['token']}"
        data = _fill(browser.request(path)[2].decode(), str(1 + i % 5))
        return browser.request(path, data)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(citizen, range(40)))
    assert statuses == [303] * 40
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Response)) \
            .scalar_one() == 40


def test_citizen_page_weight_and_no_external_resources(live_server, org):
    browser = Browser(live_server)
    status, headers, body = browser.request(f"/s/{org['counters'][0]['token']}")
    html = body.decode()
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    total = len(body) + sum(len(browser.request(a)[2]) for a in assets)
    assert total <= 50 * 1024, total
    assert "<script" not in html
