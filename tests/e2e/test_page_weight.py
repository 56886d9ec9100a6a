"""The citizen form, as a phone's browser loads it with every asset, stays under 50 KB."""

from __future__ import annotations

from urllib.parse import urlsplit

BUDGET = 50 * 1024


def test_citizen_form_with_all_its_assets_transfers_under_50_kb(org, new_page, live_server):
    page = new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(f"/s/{org['counters'][0]['token']}")
    page.wait_for_load_state("networkidle")

    origins = {urlsplit(r.url).netloc for r in responses if not r.url.startswith("data:")}
    assert origins == {urlsplit(live_server).netloc}, origins
    # What the network carried, as the browser counts it (headers and bodies)...
    measured = page.evaluate("""() => [
        ...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource')].reduce((n, e) => n + e.transferSize, 0)""")
    # ...and the same from each request's own headers and body, whichever is larger.
    counted = sum(r.sizes()["responseHeadersSize"] + r.sizes()["responseBodySize"]
                  for r in responses)
    kinds = sorted(r.resource_type for r in responses)
    assert kinds == ["document", "other", "stylesheet"], kinds  # the page, its icon, app.css
    assert any(r.url.endswith("/static/favicon.svg") for r in responses)
    assert 0 < measured and 0 < counted
    assert max(measured, counted) <= BUDGET, (measured, counted, [r.url for r in responses])
