"""Script payloads in every free-text field come out escaped on every page and export, and SQL
injection attempts in query parameters change nothing.

The pages are found by walking the URL map, so features added later are covered too: every GET
route whose arguments can be filled from the data here is requested by every role.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from flask import url_for
from sqlalchemy import inspect, text

from accounts.models import Role
from core.db import db
from surveys import services
from surveys.defaults import QuestionSpec
from surveys.models import Centre, Counter, Staff
from tests.support import PASSWORD, SurveyPage, csrf_of, post_login


def payload(n: int) -> str:
    return f'"><script>alert({n})</script><img src=x onerror=alert({n})>'


RAW = re.compile(r"<script>alert\(\d+\)|<img src=x onerror")
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)"]
INJECTIONS = ["' OR '1'='1", "1 OR 1=1", "1; DROP TABLE response; --", "x' UNION SELECT "
              "username, password_hash FROM \"user\" --", "%' --", "\\'; SELECT pg_sleep(5); --"]
FILTER_NAMES = ["q", "search", "centre", "centre_id", "counter", "counter_id", "staff",
                "staff_id", "area", "procedure_area", "status", "priority", "sentiment", "topic",
                "from", "to", "start", "end", "date_from", "date_to", "period", "unit", "scope",
                "page", "sort", "order", "lang", "next", "format"]


@pytest.fixture
def hostile_org(app, client) -> dict:
    """An organisation whose every name and text field is a script payload; citizens' responses
    with payloads and spreadsheet formulas in every free-text field."""
    with app.app_context():
        province = services.create_unit("P91", payload(1), _kind("province"))
        ward = services.create_unit("91001", payload(2), _kind("ward"), province)
        centre = services.create_centre(ward, payload(3), payload(4))
        areas = services.ensure_procedure_areas()
        for area in areas[:1]:
            area.name_vi, area.name_en = payload(5), payload(6)
        counter = services.create_counter(centre, payload(7), areas[:2])
        staff = services.create_staff("CB<b>1</b>", payload(8), ward, payload(9))
        services.assign_staff(staff, counter)
        survey = services.ensure_default_survey()
        services.publish_survey([QuestionSpec(q.code, q.criterion, payload(10), payload(11),
                                              q.required) for q in survey.questions],
                                note=payload(12), scope=None)
        from accounts.services import create_user

        create_user("quan.tri", PASSWORD, Role.ADMIN, None)
        for role in (Role.LEADER, Role.HR):
            create_user(f"{role.value}.91", PASSWORD, role, ward)
        create_user("staff.91", PASSWORD, Role.STAFF, ward, staff)
        db.session.commit()
        ids = {"token": counter.tokens[0].token, "counter_id": counter.id,
               "centre_id": centre.id, "staff_id": staff.id, "unit_id": ward.id,
               "ward_code": ward.code}
    page = SurveyPage(client, ids["token"])
    free_text = [(payload(20), payload(21)), *[(f, f) for f in FORMULAS]]
    for rating, (comment, name) in zip([1, 2, 5, 1, 4], free_text, strict=True):
        page.open()
        answers = page.answers(rating=rating, comment=comment, contact_consent="y",
                               contact_name=name, contact_phone="0912345678",
                               **({"reasons": "other"} if rating < 4 else {}))
        if "contact_email" in page.client.get(page.url).get_data(as_text=True):
            answers["contact_email"] = "a@example.vn"
        assert page.submit(answers).status_code == 303
    return ids


def _kind(value: str):
    from surveys.models import UnitKind

    return UnitKind(value)


def _signed_in(app, username: str):
    client = app.test_client()
    assert post_login(client, username).status_code == 303
    return client


def _fill(rule, ids: dict) -> list[dict]:
    """Values for a route's arguments: known ids, every choice of an `any(...)` argument, else
    the newest row of the table named by `<table>_id`; [] when an argument cannot be filled."""
    filled = [{}]
    tables = set(inspect(db.engine).get_table_names())
    for name in rule.arguments:
        choices = sorted(getattr(rule._converters.get(name), "items", ()) or ())
        if name in ids:
            choices = [ids[name]]
        elif not choices and name.endswith("_id") and name[:-3] in tables:
            found = db.session.execute(text(f'SELECT max(id) FROM "{name[:-3]}"')).scalar()
            choices = [found] if found is not None else []
        if not choices:
            return []
        filled = [{**values, name: choice} for values in filled for choice in choices]
    return filled


def _get_urls(app, ids: dict) -> list[str]:
    urls = []
    with app.test_request_context(), app.app_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.endswith("static"):
                continue
            urls += [url_for(rule.endpoint, **values) for values in _fill(rule, ids)]
    return sorted(set(urls))


def _check_body(url: str, response) -> None:
    kind = response.mimetype or ""
    body = response.get_data()
    if kind in {"text/html", "image/svg+xml", "text/plain", "application/xml"}:
        html = body.decode("utf-8", "replace")
        assert not RAW.search(html), f"unescaped script payload on {url}"
    elif kind == "text/csv":
        rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        for cell in (c for row in rows for c in row):
            assert not cell.startswith(("=", "+", "-", "@")), f"formula cell {cell!r} in {url}"
    elif kind.endswith("spreadsheetml.sheet"):
        with zipfile.ZipFile(io.BytesIO(body)) as sheet:
            for name in sheet.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in sheet.read(name), f"formula in {url} ({name})"


def _clients(app) -> dict:
    return {"anonymous": app.test_client(), "admin": _signed_in(app, "quan.tri"),
            "leader": _signed_in(app, "leader.91"), "hr": _signed_in(app, "hr.91"),
            "staff": _signed_in(app, "staff.91")}


def test_payloads_are_escaped_on_every_page_for_every_role(app, hostile_org):
    urls = _get_urls(app, hostile_org)
    assert f"/s/{hostile_org['token']}" in urls and "/admin/" in urls
    shown, in_english = 0, set()
    for role, client in _clients(app).items():
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            _check_body(f"{url} as {role}", response)
            shown += b"&lt;script&gt;alert(" in response.get_data()
            if response.status_code == 200 and url not in in_english:  # once in English too
                in_english.add(url)
                english = client.get(url, query_string={"lang": "en"})
                assert english.status_code < 500, (role, url)
                _check_body(f"{url} as {role} in English", english)
    assert shown > 10  # the payloads really were on the pages, escaped


def test_csv_export_neutralises_formulas_and_keeps_text(app, hostile_org, runner):
    result = runner.invoke(args=["export", "responses", "--format", "csv"])
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.output)) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells
    assert payload(20) in cells  # text stays as the citizen wrote it (CSV is not HTML)


#: What citizens and administrators made; pages may add cached computations elsewhere.
CORE_TABLES = ("unit", "centre", "counter", "counter_token", "staff", "assignment", "survey",
               "question", "procedure_area", "response", "answer", "user")


def _row_counts() -> dict[str, int]:
    return {table: db.session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in inspect(db.engine).get_table_names()}


def _responses_said() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(
        "SELECT public_id, comment, submitted_at FROM response ORDER BY public_id"))]


def test_sql_injection_in_query_parameters_changes_nothing(app, hostile_org):
    clients = _clients(app)
    with app.app_context():
        before, said = _row_counts(), _responses_said()
    tried = 0
    for url in _get_urls(app, hostile_org):
        client = next((c for c in clients.values() if c.get(url).status_code == 200), None)
        if client is None:
            continue
        for attempt in INJECTIONS:  # every filter name at once, each holding the attempt
            response = client.get(url, query_string={name: attempt for name in FILTER_NAMES})
            assert response.status_code < 500, (url, attempt)
            tried += 1
    assert tried >= 6 * 5
    with app.app_context():
        after = _row_counts()
        assert {t: after[t] for t in CORE_TABLES} == {t: before[t] for t in CORE_TABLES}
        assert all(after[table] >= count for table, count in before.items())  # nothing deleted
        assert _responses_said() == said


def test_search_treats_injection_as_text(app, hostile_org):
    """Where a page has a working text search (`q`), an injection finds nothing."""
    comment = b"&lt;script&gt;alert(20)"  # the escaped comment, as a result list shows it
    searched = 0
    for client in _clients(app).values():
        for url in _get_urls(app, hostile_org):
            hit = client.get(url, query_string={"q": "alert(20)"})
            if hit.status_code != 200 or comment not in hit.get_data():
                continue
            if comment in client.get(url, query_string={"q": "zzqx-no-such-text"}).get_data():
                continue  # the page ignores q
            searched += 1
            for attempt in INJECTIONS:
                body = client.get(url, query_string={"q": attempt}).get_data()
                assert comment not in body, (url, attempt)
    if searched == 0:
        pytest.skip("no page with a text search yet")


def test_sign_in_with_injected_username_fails(app, hostile_org):
    client = app.test_client()
    for attempt in ("quan.tri' --", "' OR '1'='1", "quan.tri\" OR \"\"=\""):
        response = client.post("/login", data={"csrf_token": csrf_of(client, "/login"),
                                               "username": attempt, "password": "x' OR '1'='1"})
        assert response.status_code in {200, 429}
        assert client.get("/admin/").status_code == 302  # still signed out
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Centre)).scalar_one()
        assert db.session.execute(db.select(db.func.count()).select_from(Counter)).scalar_one()
        assert db.session.execute(db.select(db.func.count()).select_from(Staff)).scalar_one()
