"""Property-based hostile input: random, oversized, malformed and wrongly-encoded fields posted to
the citizen form and the staff forms never cause a server error or store a partial row."""

from __future__ import annotations

import io
import re
import unicodedata
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from core.db import db
from feedback.models import Answer, Response
from surveys.models import Centre, Counter, CounterToken, Question, Staff, Survey
from tests.support import SurveyPage, csrf_of

#: Modest example counts: the suite runs twice in CI (SQLite, PostgreSQL).
HOSTILE = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

#: Bidi controls and zero-width characters, which are dropped from free text.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

NASTY = ["", " ", "0", "-1", "6", "4.5", "４", "1e309", "NaN", "null", "[]", "\x00", "a\x00b",
         "\ufeff", "\u202e", "\ufffd", "' OR '1'='1' --", "1; DROP TABLE response; --",
         "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "=cmd|'/C calc'!A0",
         "%00", "%%", "{{7*7}}", "${7*7}", "../../etc/passwd", "\r\nSet-Cookie: x=y",
         "Chờ lâu quá", "x" * 1001, "𝕏" * 300]

text_value = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.integers(1100, 3000).map(lambda n: "ệ" * n),
)
#: Raw bytes, percent-encoded as they are: invalid UTF-8, latin-1, UTF-16, NULs.
byte_value = st.one_of(
    st.binary(max_size=120),
    st.sampled_from(["Hoà café".encode("latin-1"), "Hoà".encode("utf-16"), b"\xff\xfe\xfd",
                     b"\xc3\x28", b"\xed\xa0\x80", b"caf\xe9", b"\x00\x00"]),
)
value = st.one_of(text_value, byte_value)


def _encode(pairs: list[tuple[str, str | bytes]]) -> bytes:
    return "&".join(
        quote_from_bytes(name.encode()) + "="
        + quote_from_bytes(v if isinstance(v, bytes) else v.encode("utf-8"))
        for name, v in pairs
    ).encode("ascii")


@st.composite
def form_posts(draw, known: list[str]) -> list[tuple[str, str | bytes]]:
    """Some of the form's own fields (possibly repeated) and some invented ones, all hostile."""
    names = draw(st.lists(st.one_of(st.sampled_from(known), st.text(max_size=12)), max_size=14))
    return [(name, draw(value)) for name in names]


def _post(client, url: str, pairs, valid: dict[str, str], keep_valid: set[str], how: str):
    data = [(k, v) for k, v in valid.items() if k in keep_valid]
    data += pairs
    if how == "urlencoded":
        return client.post(url, data=_encode(data),
                           content_type="application/x-www-form-urlencoded")
    if how == "latin-1":
        return client.post(url, data=_encode(data),
                           content_type="application/x-www-form-urlencoded; charset=latin-1")
    fields: dict = {}
    for name, v in data:
        fields.setdefault(name, []).append(
            v.decode("latin-1") if isinstance(v, bytes) else v)
    fields["attachment"] = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "x.png")
    return client.post(url, data=fields, content_type="multipart/form-data")


ENCODINGS = st.sampled_from(["urlencoded", "latin-1", "multipart"])


def _response_invariants(app) -> None:
    """Every stored response has all its required answers, each in range; no orphan answers."""
    with app.app_context():
        for response in db.session.execute(db.select(Response)).scalars():
            required = {q.id for q in response.survey.questions if q.required}
            answered = {a.question_id for a in response.answers}
            assert required <= answered
            assert all(1 <= a.value <= 5 for a in response.answers)
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", response.comment or "")
        orphans = db.session.execute(
            db.select(db.func.count()).select_from(Answer)
            .where(~Answer.response_id.in_(db.select(Response.id)))).scalar_one()
        assert orphans == 0


@pytest.fixture
def citizen(app, client, org) -> SurveyPage:
    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    return page


def test_citizen_form_survives_any_post(app, citizen, count_rows):
    known = [*citizen.questions, "csrf_token", "ticket", "procedure_area", "comment",
             "contact_consent", "contact_name", "contact_phone"]

    seen = set()

    @HOSTILE
    @given(pairs=form_posts(known), keep=st.sets(st.sampled_from(known)), how=ENCODINGS)
    def check(pairs, keep, how):
        citizen.open()
        before = count_rows(Response)
        response = _post(citizen.client, citizen.url, pairs, citizen.answers(), keep, how)
        stored = count_rows(Response) - before
        seen.add(response.status_code)
        assert response.status_code in {200, 303, 400, 413}, response.status_code
        assert stored in {0, 1} and (stored == 0 or response.status_code == 303)
        _response_invariants(app)

    check()
    assert {303, 400} <= seen  # both stored and refused posts were exercised


def test_free_text_fields_of_a_valid_answer_are_stored_verbatim_or_refused(
        app, citizen, count_rows):
    seen = set()

    @HOSTILE
    @given(comment=value, name=value, phone=value, consent=st.booleans(), how=ENCODINGS)
    def check(comment, name, phone, consent, how):
        citizen.open()
        before = count_rows(Response)
        free = [("comment", comment), ("contact_name", name), ("contact_phone", phone)]
        if consent:
            free.append(("contact_consent", "y"))
        valid = citizen.answers()
        response = _post(citizen.client, citizen.url, free, valid, set(valid), how)
        seen.add(response.status_code)
        assert response.status_code in {303, 400, 413}, response.status_code
        assert count_rows(Response) - before == (1 if response.status_code == 303 else 0)
        if response.status_code == 303 and how == "urlencoded" and isinstance(comment, str):
            with app.app_context():
                latest = db.session.execute(
                    db.select(Response).order_by(Response.id.desc())).scalars().first()
                visible = INVISIBLE.sub("", comment)
                assert latest.comment == (unicodedata.normalize("NFC", visible).strip() or None)
        _response_invariants(app)

    check()
    assert {303, 400} <= seen


def _staff_forms(org: dict, survey_questions: int) -> dict[str, dict[str, str]]:
    """Each staff form's URL and a valid submission of it, to be spoiled field by field."""
    counter = org["counters"][0]
    questions = {f"questions-{i}-{part}": text for i in range(survey_questions)
                 for part, text in (("include", "y"), ("required", "y"),
                                    ("prompt_vi", "Ông/Bà hài lòng không?"),
                                    ("prompt_en", "Are you satisfied?"))}
    return {
        "/admin/centres/new": {"unit": str(org["ward_id"]), "name": "Điểm phục vụ số 2",
                               "address": "2 Đường B"},
        "/admin/counters/new": {"centre": str(org["centre_id"]), "label": "Quầy mới"},
        "/admin/staff/new": {"unit": str(org["ward_id"]), "code": "CB-99",
                             "full_name": "Phạm Văn C", "position": "Chuyên viên"},
        "/admin/surveys": {"note": "Sửa câu chữ", **questions},
        f"/admin/counters/{counter['id']}/assign": {"staff": str(counter["staff_id"])},
        f"/admin/counters/{counter['id']}/rotate": {},
    }


@st.composite
def spoiled(draw, valid: dict[str, str]) -> list[tuple[str, str | bytes]]:
    """A valid submission with some fields dropped, some replaced by hostile values, some added."""
    names = sorted(valid) or ["x"]
    dropped = draw(st.sets(st.sampled_from(names), max_size=2))
    replaced = draw(st.dictionaries(st.sampled_from(names), value, max_size=3))
    extra = draw(form_posts(names))
    pairs = [(k, replaced.get(k, v)) for k, v in valid.items() if k not in dropped]
    return pairs + extra


def _staff_invariants(app) -> None:
    """No half-made organisation: counters have a QR token, surveys their questions."""
    with app.app_context():
        tokenless = db.session.execute(db.select(db.func.count()).select_from(Counter).where(
            ~Counter.id.in_(db.select(CounterToken.counter_id)))).scalar_one()
        assert tokenless == 0
        for survey in db.session.execute(db.select(Survey)).scalars():
            assert any(q.code == "overall" for q in survey.questions)


def _counts(count_rows) -> dict:
    return {model: count_rows(model) for model in (Centre, Counter, Staff, Survey, Question)}


def test_staff_forms_survive_any_post(app, org, sign_in, count_rows):
    admin = sign_in(Role.ADMIN)
    forms = _staff_forms(org, count_rows(Question))
    seen = set()

    @HOSTILE
    @given(url=st.sampled_from(sorted(forms)), data=st.data(), with_csrf=st.booleans(),
           how=ENCODINGS)
    def check(url, data, with_csrf, how):
        pairs = data.draw(spoiled(forms[url]))
        csrf = {"csrf_token": csrf_of(admin, "/admin/")} if with_csrf else {}
        before = _counts(count_rows)
        response = _post(admin, url, pairs, csrf, set(csrf), how)
        seen.add(response.status_code)
        assert response.status_code in {200, 303, 400, 409, 413}, response.status_code
        after = _counts(count_rows)
        grown = {m.__name__ for m in after if after[m] != before[m]}
        assert not grown or response.status_code == 303, grown
        assert after[Centre] - before[Centre] <= 1 and after[Counter] - before[Counter] <= 1
        _staff_invariants(app)

    check()
    assert {200, 303} <= seen  # refused (form shown again) and accepted posts exercised


def test_sign_in_survives_any_post(app, client, count_rows):
    @HOSTILE
    @given(pairs=form_posts(["username", "password", "csrf_token"]), with_csrf=st.booleans(),
           how=ENCODINGS)
    def check(pairs, with_csrf, how):
        csrf = {"csrf_token": csrf_of(client, "/login")} if with_csrf else {}
        response = _post(client, "/login?next=%2F%2Fevil.example", pairs, csrf, set(csrf), how)
        assert response.status_code in {200, 400, 413, 429}, response.status_code

    check()
