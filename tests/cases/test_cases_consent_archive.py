"""The consent text of the current version is archived word for word, and the leader reading a
citizen's contact details sees the text that citizen accepted."""

from __future__ import annotations

from flask_babel import force_locale

from accounts.models import Role
from surveys.consent import CONSENT_TEXTS, consent_text
from surveys.defaults import CONSENT_VERSION
from surveys.forms import ResponseFormBase


def test_the_current_form_text_is_the_archived_one(app):
    with app.test_request_context():
        label = ResponseFormBase.contact_consent.args[0]
        for locale in ("vi", "en"):
            with force_locale(locale):
                assert str(label) == CONSENT_TEXTS[CONSENT_VERSION][locale]
    assert consent_text("1999-01", "vi") is None
    assert consent_text(CONSENT_VERSION, "fr") == CONSENT_TEXTS[CONSENT_VERSION]["vi"]


def test_the_leader_sees_the_accepted_text(app, create_org, store, sign_in):
    org = create_org()
    case_id = store(org, rating=1,
                    reasons=("waiting",), contact={"contact_phone": "0912345678"})["case_id"]
    page = sign_in(Role.LEADER, "00001").get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert CONSENT_TEXTS[CONSENT_VERSION]["vi"] in page and CONSENT_VERSION in page
