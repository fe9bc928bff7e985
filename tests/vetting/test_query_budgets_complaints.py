"""A call on one 反映 costs the same whatever the election's size (issue 20): registering one complaint, assigning
it, its 核查情况 and its conclusion — as API and as page — and the first page of a notice's complaints, counted
(statements and ORM objects loaded, tests/fixtures/costs.py) in an election of 50 and of 2,000 考察对象 whose
notice already holds one open 反映 for each bulk-inserted person (tests/vetting/test_query_budgets.py builds it).
The same count at both sizes and under a stated budget. No timings.
"""
from __future__ import annotations

from sqlalchemy import select

from election.vetting.models import Complaint, Notice
from tests.fixtures.costs import compare, cost
from tests.vetting.test_query_budgets import _election_of

SMALL, BIG = 50, 2000
BUDGETS = {  # call: (statements, ORM objects loaded); PostgreSQL adds the audit chain's lock to each write
    "API GET /notices/<id>/complaints": (6, 44),  # one page of 20: each 反映 with its person
    "API POST /notices/<id>/complaints": (10, 7),
    "API POST /complaints/<id>/assign": (14, 9),
    "API POST /complaints/<id>/findings": (11, 7),
    "API POST /complaints/<id>/conclude": (12, 8),  # + the notices that may end with this 反映
    "page POST register": (6, 2),
    "page POST assign": (11, 5),
    "page GET complaint_task": (4, 3),
    "page POST check": (5, 1),
    "page POST conclude": (9, 4),
}
RECEIVED = "2026-03-04"


def _world(session, make_election, make_user, size: int):
    w = _election_of(session, make_election, make_user, size)
    notice = session.scalars(select(Notice).where(Notice.election_id == w.election.id)).one()
    api_person, page_person = notice.people_ids[0], notice.people_ids[1]
    return notice.id, api_person, page_person  # ids: each counted call starts with an empty identity map


def _newest(session, nominee_id: int) -> Complaint:
    return session.scalars(select(Complaint).where(Complaint.nominee_id == nominee_id)
                           .order_by(Complaint.id.desc()).limit(1)).one()


def _calls(client, auth, login_as, token_for, count_queries, session, notice_id, api_person, page_person) -> dict:
    counts = {}

    def count(name, send, status):
        counts[name] = cost(count_queries, send, status, name)

    _, office = token_for("office")
    inspector, inspector_api = token_for("inspector")
    inspector_id, inspector_name = inspector.id, inspector.username
    count("API GET /notices/<id>/complaints",
          lambda: client.get(f"/api/v1/notices/{notice_id}/complaints", headers=office), 200)
    count("API POST /notices/<id>/complaints", lambda: client.post(
        f"/api/v1/notices/{notice_id}/complaints", headers=office,
        json={"nominee_id": api_person, "channel": "phone", "received_on": RECEIVED, "content": "来电反映"}), 201)
    cid = _newest(session, api_person).id
    count("API POST /complaints/<id>/assign", lambda: client.post(
        f"/api/v1/complaints/{cid}/assign", headers=office, json={"user_id": inspector_id}), 200)
    count("API POST /complaints/<id>/findings", lambda: client.post(
        f"/api/v1/complaints/{cid}/findings", headers=inspector_api, json={"findings": "经核查无此事"}), 200)
    count("API POST /complaints/<id>/conclude", lambda: client.post(
        f"/api/v1/complaints/{cid}/conclude", headers=office, json={"conclusion": "false", "effect": "不影响"}), 200)

    login_as("office")
    count("page POST register", lambda: client.post(f"/vetting/notices/{notice_id}/complaints", data={
        "nominee_id": page_person, "channel": "letter", "received_on": RECEIVED, "content": "来信反映"}), 302)
    pid = _newest(session, page_person).id
    count("page POST assign", lambda: client.post(f"/vetting/complaints/{pid}/assign",
                                                  data={"user_id": inspector_id}), 302)
    auth.logout()
    auth.login(inspector_name)
    count("page GET complaint_task", lambda: client.get(f"/vetting/complaints/{pid}"), 200)
    count("page POST check", lambda: client.post(f"/vetting/complaints/{pid}/check",
                                                 data={"findings": "经核查无此事"}), 302)
    auth.logout()
    login_as("office")
    count("page POST conclude", lambda: client.post(f"/vetting/complaints/{pid}/conclude",
                                                    data={"conclusion": "false", "effect": "不影响"}), 302)
    auth.logout()
    return counts


def test_single_complaint_calls_cost_the_same_at_50_and_2000_people(
        client, auth, login_as, token_for, session, make_election, make_user, count_queries):
    small = _world(session, make_election, make_user, SMALL)
    big = _world(session, make_election, make_user, BIG)
    at_small = _calls(client, auth, login_as, token_for, count_queries, session, *small)
    at_big = _calls(client, auth, login_as, token_for, count_queries, session, *big)
    compare(at_small, at_big, BUDGETS, (SMALL, BIG))
    for _, api_person, page_person in (small, big):  # both complaints closed 不属实 at both sizes
        for nominee_id in (api_person, page_person):
            c = _newest(session, nominee_id)
            assert (c.status, c.conclusion, c.findings) == ("closed", "false", "经核查无此事")
