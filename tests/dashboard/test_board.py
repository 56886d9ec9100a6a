"""The public board of a centre: no sign-in, no personal data, staff names only on opt-in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from accounts.models import Role
from core.db import db, now_utc
from core.timeutil import LOCAL_TZ, local_today
from feedback.dashboard.folding import after_submission_commit
from feedback.periods import PeriodKind, containing
from feedback.services import Submission, record_response
from surveys.models import Centre, Counter, Survey
from tests.support import csrf_of


def _post(client, url: str):
    return client.post(url, data={"csrf_token": csrf_of(client, "/dashboard/boards")})


def _token(app, centre_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Centre, centre_id).board_token


def _rate(app, counter_id: int, values, at: datetime | None = None) -> None:
    """Responses at the counter a minute ago (or at `at`), as citizens give them."""
    at = at or now_utc() - timedelta(minutes=1)
    with app.app_context():
        survey = db.session.execute(db.select(Survey)).scalar_one()
        counter = db.session.get(Counter, counter_id)
        for i, value in enumerate(values):
            record_response(counter, survey, Submission(
                submission_key=f"{at.isoformat()}-{i}",
                ratings={q.id: value for q in survey.questions},
                locale="vi", comment="Chị Lan ở quầy 1, số điện thoại 0901234567"), at=at)
        db.session.commit()
        after_submission_commit()  # as the app does: the fold


def _on_duty_row(html: str, name: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if name in row)


def test_a_published_board_shows_today_and_this_month_without_sign_in(june, app, sign_in,
                                                                       client):
    centre_id, counter_id = june["centres"][3], june["counters"][6]
    _rate(app, counter_id, (5, 5, 4, 2))
    sign_in(Role.ADMIN, "92", client=client)
    assert client.get("/dashboard/boards").status_code == 200
    assert _post(client, f"/dashboard/boards/{centre_id}/publish").status_code == 303
    token = _token(app, centre_id)
    assert token and len(token) >= 32
    public = app.test_client()
    page = public.get(f"/board/{token}?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', html)
    assert "TT Cái Khế" in html and "75.0%" in html and "of 4 responses" in html
    assert "Nguyễn Văn" not in html  # staff names only when the centre opts in
    assert "0901234567" not in html and "Chị Lan" not in html  # never comments


def test_staff_names_appear_only_after_the_centre_opts_in(june, app, sign_in, client):
    centre_id = june["centres"][3]
    sign_in(Role.ADMIN, "92", client=client)
    _post(client, f"/dashboard/boards/{centre_id}/publish")
    token = _token(app, centre_id)
    public = app.test_client()
    assert "Nguyễn Văn 7" not in public.get(f"/board/{token}").get_data(as_text=True)
    _post(client, f"/dashboard/boards/{centre_id}/staff-names")
    assert "Nguyễn Văn 7" in public.get(f"/board/{token}").get_data(as_text=True)
    _post(client, f"/dashboard/boards/{centre_id}/staff-names")
    assert "Nguyễn Văn 7" not in public.get(f"/board/{token}").get_data(as_text=True)


def test_replacing_the_address_retires_the_old_board(june, app, sign_in, client):
    centre_id = june["centres"][3]
    sign_in(Role.ADMIN, "92", client=client)
    _post(client, f"/dashboard/boards/{centre_id}/publish")
    old = _token(app, centre_id)
    _post(client, f"/dashboard/boards/{centre_id}/publish")
    new = _token(app, centre_id)
    public = app.test_client()
    assert new != old
    assert public.get(f"/board/{old}").status_code == 404
    assert public.get(f"/board/{new}").status_code == 200
    assert public.get("/board/not-a-token").status_code == 404


def test_only_administrators_of_the_centre_manage_its_board(june, app, sign_in, client):
    sign_in(Role.ADMIN, "31120", username="quan.tri.b", client=client)
    assert _post(client, f"/dashboard/boards/{june['centres'][1]}/publish").status_code == 404
    assert _token(app, june["centres"][1]) is None
    assert client.post(f"/dashboard/boards/{june['centres'][3]}/publish").status_code == 400


def test_a_named_staff_members_share_is_of_last_month_so_no_citizen_is_traced(
        june, app, sign_in, client):
    """A share that moved with each citizen would tell the staff member on duty what that
    citizen answered; the board shows the share of the last whole month."""
    centre_id, counter_id = june["centres"][3], june["counters"][6]
    sign_in(Role.ADMIN, "92", client=client)
    _post(client, f"/dashboard/boards/{centre_id}/publish")
    _post(client, f"/dashboard/boards/{centre_id}/staff-names")
    last_month = containing(PeriodKind.MONTH, local_today()).previous()
    mid = datetime.combine(last_month.start.replace(day=15), datetime.min.time().replace(hour=10),
                           LOCAL_TZ)
    _rate(app, counter_id, (5, 5, 5, 5, 5, 5, 5, 5, 5, 2), at=mid)
    board = f"/board/{_token(app, centre_id)}?lang=en"
    public = app.test_client()
    before = public.get(board).get_data(as_text=True)
    assert "Satisfied last month" in before
    assert "90.0%" in _on_duty_row(before, "Nguyễn Văn 7")
    _rate(app, counter_id, (1, 1, 1))
    after = public.get(board).get_data(as_text=True)
    assert _on_duty_row(after, "Nguyễn Văn 7") == _on_duty_row(before, "Nguyễn Văn 7")
    assert before != after  # the centre's own figures of today did move
