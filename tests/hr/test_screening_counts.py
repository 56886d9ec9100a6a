"""Screening reads a response's window only when a rule could flag something in it: whenever
the counts of the window say it is quiet, the rules run over its rows would have flagged
nothing (a burst, a surge or an answer after closing is never passed over)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hr_support import local

from core.db import db
from feedback.hr.integrity import detect
from feedback.hr.queries import window_rows
from feedback.models import Response
from feedback.screening import current_rules, nothing_to_find, surge_context

DAY = date(2026, 7, 6)  # a Monday: open 07:00-17:30 under the shipped rules


def test_a_window_called_quiet_holds_nothing_the_rules_would_flag(app, ward, add):
    rng = random.Random(22)
    stored = []
    # A morning at three counters, from 06:00 (closed) on, with what each rule looks for: a
    # phone sending three answers at counter B, five identical answers over one Wi-Fi at
    # counter C, a phone going round all three counters, more answers at counter A in an hour
    # than it can serve; around them, citizens on their own phones.
    scenes = [(local(DAY, 9) + timedelta(minutes=3 * k), 1, "phone-1", None, 4)
              for k in range(3)]
    scenes += [(local(DAY, 10) + timedelta(minutes=k), 2, None, "wifi", 5) for k in range(5)]
    scenes += [(local(DAY, 8) + timedelta(minutes=5 * k), k, "phone-2", "4g", 3)
               for k in range(3)]
    scenes += [(local(DAY, 11) + timedelta(minutes=k), 0, None, None, 4) for k in range(40)]
    for _ in range(60):
        scenes.append((local(DAY, 6) + timedelta(minutes=rng.randrange(0, 7 * 60)),
                       rng.randrange(3), None, rng.choice([None, "4g-1", "4g-2"]),
                       rng.choice([1, 3, 4, 5])))
    for at, counter, device, ip, overall in sorted(scenes, key=lambda scene: scene[0]):
        stored.append(add(ward, at, overall, counter=counter, device=device, ip=ip))
    quiet = busy = 0
    with app.app_context():
        rules = current_rules()
        margin = timedelta(minutes=rules.longest_minutes())
        devices = timedelta(minutes=rules.many_counters.minutes)
        for response_id in stored:
            response = db.session.get(Response, response_id)
            at = response.submitted_at
            rows = window_rows(response.counter_id, at - margin, at + margin,
                               response.device_hash, at - devices, at + devices)
            context = surge_context(response, rules)
            found = detect([row.integrity_row() for row in rows], rules,
                           {response.counter_id: context.allowed})
            if nothing_to_find(response, rules, context):
                quiet += 1
                assert found == []
                assert context.counter_rows == len(rows)
            else:
                busy += 1
    assert quiet and busy  # both kinds of window were met
