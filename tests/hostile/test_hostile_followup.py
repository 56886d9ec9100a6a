"""A hostile or careless citizen at the follow-up link /f/<token>: a rating off the scale, a
replayed answer, a forged or truncated link. Each gets a page (never a server error) and the
case keeps at most one answer, the first."""

from __future__ import annotations

import pytest

from core.db import db
from feedback.cases import services
from feedback.cases.followup import make_token
from feedback.cases.models import Case, CaseEvent, EventKind
from tests.support import csrf_of

CONTACT = {"contact_name": "Chị Lan", "contact_email": "lan@example.vn"}


@pytest.fixture
def link(app, org, store) -> tuple[int, str]:
    case_id = store(org, rating=1, reasons=("waiting",), contact=CONTACT)["case_id"]
    with app.app_context():
        case = db.session.get(Case, case_id)
        token = make_token(app.config["SECRET_KEY"], case.id, services.issue_followup(case))
        db.session.commit()
    return case_id, f"/f/{token}"


def _answers(app, case_id: int) -> list[str]:
    with app.app_context():
        return db.session.execute(db.select(CaseEvent.detail).filter_by(
            case_id=case_id, kind=EventKind.FOLLOWUP)).scalars().all()


@pytest.mark.parametrize("rating", ["-1", "0", "6", "4.5", "4.0", "1e309", "９", "٤", " 4", ""])
def test_a_rating_off_the_scale_is_refused(app, client, link, rating):
    case_id, url = link
    response = client.post(url, data={"csrf_token": csrf_of(client, url), "solved": "yes",
                                      "rating": rating})
    assert response.status_code == 400
    assert _answers(app, case_id) == []


@pytest.mark.parametrize("solved", ["maybe", "", "YES", "yes\n"])
def test_an_answer_other_than_yes_or_no_is_refused(app, client, link, solved):
    case_id, url = link
    response = client.post(url, data={"csrf_token": csrf_of(client, url), "solved": solved,
                                      "rating": "4"})
    assert response.status_code == 400
    assert _answers(app, case_id) == []


def test_a_replayed_answer_keeps_the_first(app, client, link):
    case_id, url = link
    csrf = csrf_of(client, url)
    first = client.post(url, data={"csrf_token": csrf, "solved": "yes", "rating": "5"})
    again = client.post(url, data={"csrf_token": csrf, "solved": "no", "rating": "1"})
    assert first.status_code == 303 and again.status_code == 200  # "thank you, answered"
    assert _answers(app, case_id) == ["solved=yes;rating=5"]


@pytest.mark.parametrize("change", [lambda t: t[:-1], lambda t: t + "x", lambda t: t.upper(),
                                    lambda t: t + "%0A"])
def test_a_forged_or_truncated_link_shows_nothing_of_the_case(link, client, change):
    _case_id, url = link
    assert client.get(change(url)).status_code in (404, 410)
