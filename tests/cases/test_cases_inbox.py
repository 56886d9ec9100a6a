"""The inbox: Vietnamese search without diacritics, filters, counts per status, pagination,
overdue cases highlighted."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from accounts.models import Role
from core.db import db
from feedback.cases.models import Case, CaseStatus

ROW = re.compile(r'<a href="/inbox/cases/(\d+)">#')


def _ids(client, query: str = "") -> set[int]:
    html = client.get("/inbox" + query).get_data(as_text=True)
    return {int(i) for i in ROW.findall(html)}


def test_search_ignores_diacritics_and_case(org, store, sign_in):
    slow = store(org, rating=1, reasons=("waiting",), comment="Chờ quá LÂU, hơn 1 tiếng")
    rude = store(org, rating=1, reasons=("waiting",), comment="Cán bộ nói chuyện cộc lốc")
    dong = store(org, rating=1, reasons=("waiting",), comment="Đông người quá")
    leader = sign_in(Role.LEADER, "00001")
    assert _ids(leader, "?q=cho+lau") == {slow["case_id"]}
    assert _ids(leader, "?q=CHỜ+lâu") == {slow["case_id"]}
    assert _ids(leader, "?q=lau+cho") == {slow["case_id"]}  # every word, in any order
    assert _ids(leader, "?q=coc+loc") == {rude["case_id"]}
    assert _ids(leader, "?q=dong") == {dong["case_id"]}
    assert _ids(leader, "?q=100%25") == set()
    assert _ids(leader) == {slow["case_id"], rude["case_id"], dong["case_id"]}


def test_filters_by_centre_counter_staff_sentiment_topic_priority_and_date(
        app, create_org, store, sign_in):
    org = create_org(counters=2)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    first = store(org, rating=1,
                  reasons=("waiting",), counter=0, label="negative", topics=("waiting_time",),
                  at=week_ago, comment="Chờ lâu")
    second = store(org, rating=4, counter=1, label="negative", topics=("staff_attitude", "fees"),
                   comment="Thu phí cao, thái độ kém")
    urgent = store(org, rating=5, counter=1, integrity=True, comment="Đưa tiền cà phê")
    leader = sign_in(Role.LEADER, "00001")
    c0, c1 = org["counters"]
    assert _ids(leader, f"?counter={c0['id']}") == {first["case_id"]}
    assert _ids(leader, f"?staff={c1['staff_id']}") == {second["case_id"], urgent["case_id"]}
    assert _ids(leader, f"?centre={org['centre_id']}&sentiment=negative") == {
        first["case_id"], second["case_id"]}
    assert _ids(leader, "?topic=fees") == {second["case_id"]}
    assert _ids(leader, "?topic=waiting_time") == {first["case_id"]}
    assert _ids(leader, "?priority=urgent") == {urgent["case_id"]}
    today = datetime.now(UTC).astimezone().date()
    old_day = (week_ago + timedelta(hours=7)).date()
    assert _ids(leader, f"?date_from={old_day}&date_to={old_day}") == {first["case_id"]}
    assert first["case_id"] not in _ids(leader, f"?date_from={today - timedelta(days=1)}")
    # A malformed filter is ignored (and said so), not an error.
    response = leader.get("/inbox?centre=abc")
    assert response.status_code == 200 and len(ROW.findall(response.get_data(as_text=True))) == 3


def test_counts_per_status_and_status_filter(app, org, store, sign_in):
    ids = [store(org, rating=1, reasons=("waiting",))["case_id"] for _ in range(3)]
    with app.app_context():
        db.session.get(Case, ids[0]).status = CaseStatus.ACKNOWLEDGED
        db.session.commit()
    leader = sign_in(Role.LEADER, "00001")
    html = leader.get("/inbox").get_data(as_text=True)
    assert "Mới (2)" in html and "Đã tiếp nhận (1)" in html and "Tất cả (3)" in html
    assert _ids(leader, "?status=acknowledged") == {ids[0]}
    assert _ids(leader, "?status=new") == set(ids[1:])


def test_pagination(app, org, store, sign_in, make_app):
    for _ in range(5):
        store(org, rating=1, reasons=("waiting",))
    leader = sign_in(Role.LEADER, "00001")
    app.config["CASES_PER_PAGE"] = 2
    pages = [_ids(leader, f"?page={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert len(set().union(*pages)) == 5
    html = leader.get("/inbox?page=2").get_data(as_text=True)
    assert "Trang 2 / 3" in html and 'rel="next"' in html and 'rel="prev"' in html
    assert _ids(leader, "?page=99") == pages[2]


def test_overdue_cases_are_highlighted_and_filterable(app, org, store, sign_in):
    late = store(org, rating=1, reasons=("waiting",), at=datetime.now(UTC) - timedelta(days=30))
    fresh = store(org, rating=1, reasons=("waiting",))
    leader = sign_in(Role.LEADER, "00001")
    html = leader.get("/inbox").get_data(as_text=True)
    late_row = re.search(rf'<tr class="is-overdue">\s*<th scope="row"><a href="/inbox/cases/'
                         rf'{late["case_id"]}"', html)
    assert late_row and "Quá hạn" in html
    assert f'<tr class="">\n      <th scope="row"><a href="/inbox/cases/{fresh["case_id"]}"' \
        in html
    assert _ids(leader, "?overdue=y") == {late["case_id"]}


def test_search_finds_no_name_or_number_that_the_lists_mask(org, store, sign_in):
    case = store(org, rating=1, reasons=("waiting",), label="negative",
                 comment="Chị Nguyễn Thị Lan số 0912345678 chờ lâu quá")
    for role in (Role.HR, Role.LEADER):
        browser = sign_in(role, "00001")
        assert _ids(browser, "?q=cho+lau") == {case["case_id"]}
        for hidden in ("Lan", "0912345678", "nguyen+thi"):
            assert _ids(browser, f"?q={hidden}") == set(), (role, hidden)
