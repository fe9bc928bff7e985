"""A call on one person costs the same whatever the election's size (issue 20): the queries of each single-person
vetting call — the person page, the 考察组's record, the 纪检 opinion and the conclusion, as page and as API — counted
in an election of 50 and of 2,000 考察对象, the same count at both sizes and under a stated budget. No timings.

The board is read in a fixed number of queries, so a call that rebuilt it would keep its query count and still grow
with N; each call's ORM objects loaded from the database are therefore counted too, with the same two rules.

The people beyond the seven of build_world are bulk-inserted (with a vetting record, a 考察组 member and an open 反映
each, so a board rebuilt per call would show), which keeps the big election cheap to build.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, insert, select

from election.models import Base
from election.nominations.models import Nominee
from election.vetting import services as svc
from election.vetting.models import Complaint, InspectorAssignment, Notice, Vetting
from tests.vetting.test_services import NOW, build_world

SMALL, BIG = 50, 2000
# queries per call, the request's own (session user or token, CSRF-free test client) included; PostgreSQL adds one
# (the audit chain's advisory lock) to each write
BUDGETS = {  # call: (queries, ORM objects loaded or refreshed — the person, the record, the election, the caller …)
    "page GET /vetting/people/<id>": (10, 8),
    "page POST record": (10, 6),
    "page POST discipline": (10, 6),
    "page POST conclude": (10, 6),
    "API GET /examinations/<id>": (12, 10),
    "API PUT vetting": (24, 20),
    "API PUT discipline": (25, 20),
    "API POST conclusion": (24, 20),
}
COMPLETE = {"file_audit": "passed", "petition_check": "无", "appraisal_count": "30", "interview_count": "12",
            "integrity_received": "y"}


def _election_of(session, make_election, make_user, size: int):
    """An election in 考察 with SIZE 考察对象: build_world's seven, the rest bulk-inserted."""
    w = build_world(session, make_election, make_user)
    svc.select_shortlist(session, w.office, w.election.id, [n.id for n in w.people.values()], NOW)
    w.election.stage = "vet"
    session.commit()
    inspector = make_user("inspector")
    extra = size - len(w.people)
    session.execute(insert(Nominee), [
        {"election_id": w.election.id, "election_unit_id": w.units[i % len(w.units)].id, "position": 100 + i,
         "name": f"填{i:04d}", "gender": "男" if i % 2 else "女", "ethnicity": "汉族", "id_number": f"F{i:017d}",
         "birth_date": date(1970, 1, 1), "category": "专业技术人员", "step": "shortlisted", "created_at": NOW}
        for i in range(extra)])
    filler = list(session.scalars(select(Nominee.id).where(Nominee.election_id == w.election.id,
                                                           Nominee.name.like("填%"))))
    session.execute(insert(Vetting), [{"election_id": w.election.id, "nominee_id": nid, "file_audit": "passed",
                                       "file_audit_note": "", "integrity_received": True, "from_enterprise": False,
                                       "updated_at": NOW} for nid in filler])
    session.execute(insert(InspectorAssignment), [{"election_id": w.election.id, "nominee_id": nid,
                                                   "user_id": inspector.id, "assigned_at": NOW} for nid in filler])
    notice = Notice(election_id=w.election.id, kind="first", election_unit_id=w.units[0].id, title="第一次公示",
                    status="published", posted_on=date(2026, 3, 2), period_end=date(2026, 3, 6), published_at=NOW,
                    people_ids=filler, office_name="区委组织部", office_phone="0000-1", office_address="某区",
                    office_mailbox="意见箱")
    session.add(notice)
    session.flush()
    session.execute(insert(Complaint), [{"notice_id": notice.id, "nominee_id": nid, "channel": "letter",
                                         "received_on": date(2026, 3, 3), "content": "反映", "status": "registered",
                                         "created_at": NOW} for nid in filler])
    session.commit()
    return w


def _calls(client, auth, login_as, token_for, count_queries, w) -> dict[str, tuple[int, int]]:
    """Every single-person call once, on the page (丁一) and through the API (于洋); (queries, objects loaded) of each."""
    page, api = w.people["丁一"].id, w.people["于洋"].id
    counts = {}

    def count(name, send, status):
        """(queries, objects loaded) of one call."""
        loaded = []

        def on_load(target, *args):
            loaded.append(type(target).__name__)

        event.listen(Base, "load", on_load, propagate=True)
        event.listen(Base, "refresh", on_load, propagate=True)
        try:
            with count_queries() as q:
                response = send()
        finally:
            event.remove(Base, "load", on_load)
            event.remove(Base, "refresh", on_load)
        assert response.status_code == status, (name, response.get_data(as_text=True)[:500])
        counts[name] = (q.count, len(loaded))

    _, office_api = token_for("office")
    _, discipline_api = token_for("discipline")
    login_as("office")
    count("page GET /vetting/people/<id>", lambda: client.get(f"/vetting/people/{page}"), 200)
    count("page POST record", lambda: client.post(f"/vetting/people/{page}/record", data=COMPLETE), 302)
    count("API GET /examinations/<id>", lambda: client.get(f"/api/v1/examinations/{api}", headers=office_api), 200)
    count("API PUT vetting", lambda: client.put(f"/api/v1/examinations/{api}/vetting", headers=office_api, json={
        "file_audit": "passed", "petition_check": "无", "appraisal_count": 30, "interview_count": 12,
        "integrity_received": True}), 200)
    auth.logout()
    login_as("discipline")
    count("page POST discipline", lambda: client.post(f"/vetting/people/{page}/discipline",
                                                      data={"opinion": "未发现违纪违法问题"}), 302)
    count("API PUT discipline", lambda: client.put(f"/api/v1/examinations/{api}/discipline", headers=discipline_api,
                                                   json={"opinion": "未发现违纪违法问题"}), 200)
    auth.logout()
    login_as("office")
    count("page POST conclude", lambda: client.post(f"/vetting/people/{page}/conclude",
                                                    data={"conclusion": "passed", "reason": ""}), 302)
    count("API POST conclusion", lambda: client.post(f"/api/v1/examinations/{api}/conclusion", headers=office_api,
                                                     json={"conclusion": "passed"}), 200)
    auth.logout()
    return counts


def test_single_person_vetting_calls_cost_the_same_at_50_and_2000_people(
        client, auth, login_as, token_for, session, make_election, make_user, count_queries):
    small = _election_of(session, make_election, make_user, SMALL)
    big = _election_of(session, make_election, make_user, BIG)
    at_small = _calls(client, auth, login_as, token_for, count_queries, small)
    at_big = _calls(client, auth, login_as, token_for, count_queries, big)
    print(f"\nqueries (objects loaded) per call at {SMALL} / {BIG} people:")
    for name in BUDGETS:
        print(f"  {name}: %d (%d) / %d (%d)" % (*at_small[name], *at_big[name]))
    assert at_small == at_big
    over = {name: n for name, n in at_big.items() if n[0] > BUDGETS[name][0] or n[1] > BUDGETS[name][1]}
    assert not over, f"over budget: {over} (budgets {BUDGETS})"
    # the calls did their work: both people concluded 通过 at both sizes
    for w in (small, big):
        for name in ("丁一", "于洋"):
            assert session.scalar(select(Vetting.conclusion).where(Vetting.nominee_id == w.people[name].id)) \
                == "passed"


@pytest.mark.parametrize("size", [SMALL])
def test_the_filler_is_on_the_board(session, make_election, make_user, size):
    """The bulk-inserted people are real 考察对象: the board shows all SIZE, each with record, 考察组 and 反映."""
    w = _election_of(session, make_election, make_user, size)
    rows = svc.vetting_board(session, w.election, w.office)
    assert len(rows) == size
    filler = [r for r in rows if r.nominee.name.startswith("填")]
    assert all(r.vetting is not None and r.inspectors and r.open_complaints == 1 for r in filler)
    one = svc.vetting_row(session, w.election, filler[0].nominee.id, w.office)
    assert one == filler[0]
