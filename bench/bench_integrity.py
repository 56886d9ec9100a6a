"""Adversary bench: can one person move a civil servant's score? And are honest citizens flagged?

Run: ``python bench/bench_integrity.py [--backends sqlite,postgresql] [--honest-seconds 180]``

For each backend it serves ``app:create_app()`` with gunicorn on 127.0.0.1 (rate limits on, the
shipped integrity rules except that the centre is open around the clock, so the "closed" rule
cannot hide what the other defences miss) and runs at the same time, each at its own counter:

1. **Rotating addresses**: 40 source addresses in 127.0.0.0/8 × 6 posts, a fresh phone (new
   cookies) for every post, varied low answers, a 3.5 s "fill time" (more than the minimum),
   within about 50 s. Before and after: the staff member's counted responses, share satisfied
   and rank in HR's report of the year; the alerts the leader sees; open complaint cases.
2. **A busy honest counter**: 10 citizens in ``--honest-seconds`` (180) from one shared address
   (the centre's Wi-Fi), each with their own phone, answers and a 15–30 s fill time.
3. **Kiosk flood**: an enrolled kiosk in contact with the server posts 300 answers in 6 batches
   within 10 s; then one answer dated 30 minutes back.
4. **Queue tickets**: 20 visits of one queue system answered identically from one address.

The staff members start with a history (35 counted responses each, earlier this year), so they
have a score and a rank to move. Prints a table, then one JSON line. Traffic goes to loopback
addresses only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import Gunicorn, PostgresServer, load_conditions  # noqa: E402

SECRET = "bench-secret-" + "y" * 32
HIDDEN = re.compile(r'name="(csrf_token|ticket)" type="hidden" value="([^"]+)"')
QUESTION = re.compile(r'name="(question_\d+)"')
RULES = '[opening_hours.default]\n' + "".join(
    f'{day} = ["00:00-23:59"]\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


class Phone:
    """One citizen's phone: its own cookies, talking from one loopback source address."""

    def __init__(self, port: int, source: str):
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None,
                content_type: str = "application/x-www-form-urlencoded",
                headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                                source_address=(self.source, 0))
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                **(headers or {})}
        if body is not None:
            sent["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def answer(self, path: str, ratings: list[int], fill_seconds: float,
               comment: str | None = None) -> int:
        status, body = self.request("GET", path)
        if status != 200:
            return status
        html = body.decode()
        form = dict(HIDDEN.findall(html))
        questions = sorted(set(QUESTION.findall(html)), key=lambda q: int(q.split("_")[1]))
        for question, value in zip(questions, ratings, strict=False):
            form[question] = str(value)
        if comment:
            form["comment"] = comment
        form["reasons"] = "waiting"  # asked of a "không hài lòng" answer, dropped otherwise
        time.sleep(fill_seconds)
        status, _ = self.request("POST", path, urllib.parse.urlencode(form))
        return status


def prepare(url: str, rules_path: str) -> dict:
    """Migrate, build a ward with four counters and staff with a history; kiosk and API token."""
    from flask_migrate import upgrade

    from app import create_app
    from core.config import normalise_database_url
    from core.db import db
    from feedback.services import Submission, record_response
    from surveys import services
    from surveys.channels.kiosks import create_kiosk, enrol_kiosk
    from surveys.channels.visits import create_api_token
    from surveys.models import UnitKind

    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "RATELIMIT_ENABLED": False, "TESTING": True,
                      "HR_INTEGRITY_RULES": rules_path})
    now = datetime.now(UTC)
    with app.app_context():
        upgrade()
        province = services.create_unit("P01", "Tỉnh thử", UnitKind.PROVINCE)
        ward = services.create_unit("00001", "Phường thử", UnitKind.WARD, province)
        centre = services.create_centre(ward, "Trung tâm PVHCC", "1 Đường A")
        areas = services.ensure_procedure_areas()
        survey = services.ensure_default_survey()
        counters = []
        for n, name in enumerate(("stuffed", "honest", "kiosk", "tickets"), start=1):
            counter = services.create_counter(centre, f"Quầy {n}", areas[:2])
            staff = services.create_staff(f"CB{n}", f"Cán bộ {name}", ward)
            services.assign_staff(staff, counter, starts_at=now - timedelta(days=60))
            counters.append((name, counter, staff))
        rng = random.Random(5)
        for _name, counter, _staff in counters:  # 35 counted responses each, hours apart
            for k in range(35):
                at = now - timedelta(days=40) + timedelta(hours=3 * k + rng.random())
                record_response(counter, survey, Submission(
                    submission_key=uuid.uuid4().hex, locale="vi", ratings={
                        q.id: rng.choice([3, 4, 4, 5, 5]) for q in survey.questions}), at=at)
        enrolment = create_kiosk(counters[2][1], "Máy tính bảng", timedelta(minutes=5))
        kiosk, key = enrol_kiosk(enrolment.code)
        kiosk.enrolled_at = now - timedelta(days=30)
        _token, secret = create_api_token(centre, "Hệ thống xếp hàng")
        db.session.commit()
        found = {name: {"token": counter.tokens[0].token, "counter_id": counter.id,
                        "staff_id": staff.id} for name, counter, staff in counters}
        found.update(kiosk_key=key, api_secret=secret, survey_id=survey.id, ward_id=ward.id)
        db.engine.dispose()
    return found


def standing(url: str, rules_path: str, org: dict) -> dict:
    """Per staff name: counted responses, share satisfied and rank in HR's report of the year;
    the leader's alerts and open complaint cases."""
    from sqlalchemy import case, func, select

    from app import create_app
    from core.config import normalise_database_url
    from core.db import db
    from core.timeutil import to_local
    from feedback.cases.models import Case, CaseStatus, CentreAlert
    from feedback.hr.evaluation import Settings, unit_report
    from feedback.models import Response
    from feedback.periods import parse_period
    from surveys.models import Unit

    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "TESTING": True, "HR_INTEGRITY_RULES": rules_path})
    with app.app_context():
        period = parse_period(to_local(datetime.now(UTC)).strftime("%Y"))
        report = unit_report(db.session.get(Unit, org["ward_id"]), period,
                             Settings(min_responses=30))
        staff = {line.staff_id: line for line in report.staff}
        result = {}
        for name in ("stuffed", "honest", "kiosk", "tickets"):
            line = staff[org[name]["staff_id"]]
            counter_id = org[name]["counter_id"]
            total, counted = db.session.execute(
                select(func.count(), func.coalesce(func.sum(
                    case((Response.counted.is_(True), 1), else_=0)), 0))
                .where(Response.counter_id == counter_id)).one()
            open_cases = db.session.execute(
                select(func.count()).select_from(Case)
                .join(Response, Response.id == Case.response_id)
                .where(Response.counter_id == counter_id,
                       Case.status.not_in([CaseStatus.DISMISSED]))).scalar_one()
            alerts = [alert.kind.value for alert in db.session.execute(
                select(CentreAlert).where(CentreAlert.counter_id == counter_id)
                .order_by(CentreAlert.id)).scalars()]
            result[name] = {"stored": total, "counted": int(counted),
                            "hr_counted": line.counted,
                            "share": None if line.overall.share is None
                            else round(line.overall.share, 4),
                            "rank": line.rank, "open_cases": open_cases,
                            "counter_alerts": alerts}
        result["centre_alerts"] = [alert.kind.value for alert in db.session.execute(
            select(CentreAlert).where(CentreAlert.counter_id.is_(None))
            .order_by(CentreAlert.id)).scalars()]
        db.engine.dispose()
    return result


def stuff(port: int, path: str, addresses: int, posts: int, seconds: float) -> dict:
    """Rotating addresses and fresh cookies, varied low answers, more than the minimum fill."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def attacker(index: int) -> None:
        rng = random.Random(index)
        source = f"127.0.0.{10 + index}"
        for post in range(posts):
            time.sleep(rng.random() * seconds / posts)
            ratings = [rng.choice([1, 1, 2]) for _ in range(5)]
            status = Phone(port, source).answer(path, ratings, 3.5 + rng.random())
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            del post

    threads = [threading.Thread(target=attacker, args=(i,)) for i in range(addresses)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    return {"statuses": statuses, "seconds": round(time.monotonic() - started, 1)}


def honest(port: int, path: str, citizens: int, seconds: float) -> dict:
    """Citizens one after another behind the centre's one address, each on their own phone."""
    statuses: dict[int, int] = {}
    rng = random.Random(11)
    started = time.monotonic()

    def citizen(index: int) -> None:
        ratings = [rng.choice([3, 4, 5, 5]) for _ in range(5)]
        status = Phone(port, "127.0.0.200").answer(path, ratings, 15 + rng.random() * 15,
                                                   comment=f"Ý kiến số {index}" if index % 3
                                                   else None)
        statuses[status] = statuses.get(status, 0) + 1

    threads = []
    for index in range(citizens):
        thread = threading.Thread(target=citizen, args=(index,))
        thread.start()
        threads.append(thread)
        time.sleep(max(0.0, (seconds - 30) / citizens))
    for thread in threads:
        thread.join(600)
    return {"statuses": statuses, "seconds": round(time.monotonic() - started, 1)}


def kiosk_flood(port: int, key: str, survey_id: int, answers: int) -> dict:
    """A kiosk in contact posts `answers` answers in batches of 50 within 10 s, then one dated
    30 minutes back."""
    phone = Phone(port, "127.0.0.220")
    phone.cookies["kiosk_key"] = key
    origin = {"Origin": f"http://127.0.0.1:{port}"}

    def post(batch: list[dict], final: bool = True) -> dict:
        body = json.dumps({"sent_at": datetime.now(UTC).isoformat(), "answers": batch,
                           "final": final})
        status, data = phone.request("POST", "/k/api/answers", body, "application/json",
                                     origin)
        return json.loads(data) if status == 200 else {"status": status}

    post([])  # the tablet's heartbeat: it is in contact
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    for batch in range(answers // 50):
        now = datetime.now(UTC)
        items = [{"key": str(uuid.uuid4()), "given_at": now.isoformat(), "rating": 1,
                  "survey": survey_id, "locale": "vi"} for _ in range(50)]
        for result in post(items, final=batch == answers // 50 - 1).get("results", []):
            reason = result["status"] + (f":{result['reason']}" if result["reason"] else "")
            outcomes[reason] = outcomes.get(reason, 0) + 1
        time.sleep(max(0.0, 10 / (answers // 50) - 0.3))
    seconds = round(time.monotonic() - started, 1)
    back = post([{"key": str(uuid.uuid4()), "rating": 1, "survey": survey_id, "locale": "vi",
                  "given_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat()}])
    [late] = back["results"]
    return {"outcomes": outcomes, "seconds": seconds,
            "back_dated": {"status": late["status"], "reason": late["reason"],
                           "message": late["message"]}}


def tickets(port: int, secret: str, counter_id: int, visits: int) -> dict:
    """One address answering many queue tickets the same way."""
    system = Phone(port, "127.0.0.230")
    statuses: dict[int, int] = {}
    for number in range(visits):
        status, data = system.request(
            "POST", "/api/v1/visits", json.dumps({"ticket_number": f"A-{number:03d}",
                                                  "counter_id": counter_id}),
            "application/json", {"Authorization": f"Bearer {secret}"})
        if status != 201:
            statuses[status] = statuses.get(status, 0) + 1
            continue
        path = urllib.parse.urlsplit(json.loads(data)["survey_url"]).path
        answer = Phone(port, "127.0.0.231").answer(path, [5, 5, 5, 5, 5], 3.5)
        statuses[answer] = statuses.get(answer, 0) + 1
    return {"statuses": statuses}


def run_backend(name: str, url: str, workdir: Path, honest_seconds: float) -> dict:
    rules_path = str(workdir / "rules.toml")
    Path(rules_path).write_text(RULES, encoding="utf-8")
    org = prepare(url, rules_path)
    before = standing(url, rules_path, org)
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "HR_INTEGRITY_RULES": rules_path,
           "RATELIMIT_ENABLED": "true", "WEB_CONCURRENCY": "2", "LOG_LEVEL": "warning"}
    results: dict = {}
    with Gunicorn("app:create_app()", env, workdir / f"{name}.log") as server:
        jobs = {
            "stuffing": lambda: stuff(server.port, f"/s/{org['stuffed']['token']}", 40, 6, 45),
            "honest": lambda: honest(server.port, f"/s/{org['honest']['token']}", 10,
                                     honest_seconds),
            "kiosk": lambda: kiosk_flood(server.port, org["kiosk_key"], org["survey_id"], 300),
            "tickets": lambda: tickets(server.port, org["api_secret"],
                                       org["tickets"]["counter_id"], 20),
        }
        threads = [threading.Thread(target=lambda k=k, job=job: results.__setitem__(k, job()))
                   for k, job in jobs.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(900)
    after = standing(url, rules_path, org)
    injected = after["stuffed"]["stored"] - before["stuffed"]["stored"]
    counted = after["stuffed"]["counted"] - before["stuffed"]["counted"]
    return {
        "backend": name, "clients": results, "before": before, "after": after,
        "stuffing": {"injected_stored": injected, "injected_counted": counted,
                     "counted_share": round(counted / injected, 4) if injected else None,
                     "score_unchanged": before["stuffed"]["share"] == after["stuffed"]["share"],
                     "rank_unchanged": before["stuffed"]["rank"] == after["stuffed"]["rank"],
                     "counter_alerts": after["stuffed"]["counter_alerts"],
                     "open_cases": after["stuffed"]["open_cases"]},
        "honest_flagged": (after["honest"]["stored"] - after["honest"]["counted"])
        - (before["honest"]["stored"] - before["honest"]["counted"]),
        "honest_stored": after["honest"]["stored"] - before["honest"]["stored"],
        "kiosk_counted": after["kiosk"]["counted"] - before["kiosk"]["counted"],
        "tickets_counted": after["tickets"]["counted"] - before["tickets"]["counted"],
        "tickets_stored": after["tickets"]["stored"] - before["tickets"]["stored"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--honest-seconds", type=float, default=180.0)
    args = parser.parse_args()
    summary = {"load": load_conditions(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="hailong-integrity-") as tmp:
        workdir = Path(tmp)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                run = run_backend("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir,
                                  args.honest_seconds)
            else:
                with PostgresServer() as url:
                    run = run_backend("postgresql", url, workdir, args.honest_seconds)
            summary["runs"].append(run)
            s = run["stuffing"]
            print(f"{backend}: stuffing {s['injected_stored']} stored, {s['injected_counted']} "
                  f"counted ({s['counted_share']}), score unchanged {s['score_unchanged']}, "
                  f"rank unchanged {s['rank_unchanged']}, alerts {s['counter_alerts']}, open "
                  f"cases {s['open_cases']}; honest "
                  f"{run['honest_stored']} stored, {run['honest_flagged']} flagged; kiosk "
                  f"flood {run['kiosk_counted']} counted, back-dated: "
                  f"{run['clients']['kiosk']['back_dated']['reason']}; tickets "
                  f"{run['tickets_stored']} stored, {run['tickets_counted']} counted",
                  flush=True)
    print(json.dumps(summary, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
