"""A call on one delegate, activity, 诉求 or 提案 costs the same whatever the district's size (issue 20): the
delegate's detail (API and page), logging one activity (API and page), verifying one (API and the review page), one
诉求 and one 提案, counted (statements and ORM objects loaded, tests/fixtures/costs.py) in an office of 50 and of
2,000 delegates, each with a pending and a verified activity, a 诉求 and a 提案 (bulk-inserted). The same count at
both sizes and under a stated budget. No timings.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from election.core.clock import today_local, utcnow
from election.directory.models import DelegateOffice
from election.duties.models import ActivityRecord, Petition, Proposal, TermDelegate
from tests.fixtures.costs import compare, cost

SMALL, BIG = 50, 2000
DAY = today_local() - timedelta(days=3)
COMMON = {"gender": "女", "level": "区", "congress": "区第十二次党代会", "term_start": DAY - timedelta(days=700),
          "term_end": DAY + timedelta(days=700)}
BUDGETS = {  # call: (statements, ORM objects loaded); PostgreSQL adds the audit chain's lock to each write
    "API GET /duties/delegates/<id>": (5, 7),
    "API POST /duties/activities": (11, 8),
    "API POST /duties/activities/<id>/verify": (9, 9),
    "API GET /duties/petitions/<id>": (3, 6),
    "API GET /duties/proposals/<id>": (3, 6),
    "page GET /duties/delegates/<id>": (5, 2),
    "page POST /duties/activities/new": (10, 4),
    "page POST /duties/activities/<id>/review": (6, 6),
}


def _office_of(session, size: int):
    """An office of SIZE delegates: the first is acted on; each has a pending and a verified activity, a 诉求 and a
    提案."""
    office = DelegateOffice(name=f"预算工作室{size}")
    session.add(office)
    session.flush()
    session.execute(insert(TermDelegate), [{"name": f"代表{size}-{i:04d}", "office_id": office.id, **COMMON}
                                           for i in range(size)])
    ids = list(session.scalars(select(TermDelegate.id).where(TermDelegate.office_id == office.id)
                               .order_by(TermDelegate.id)))
    session.execute(insert(ActivityRecord), [
        {"delegate_id": d, "type_code": "inspection", "on": DAY, "description": "视察", "status": status,
         "verified_at": utcnow() if status == "verified" else None}
        for d in ids for status in ("pending", "verified")])
    session.execute(insert(Petition), [{"office_id": office.id, "delegate_id": d, "resident_name": "群众",
                                        "content": "反映路灯不亮"} for d in ids])
    session.execute(insert(Proposal), [{"lead_delegate_id": d, "title": "关于路灯的提案", "grounds": "依据",
                                        "solution": "方案", "submitted_on": DAY} for d in ids])
    session.commit()
    first = ids[0]
    pending = list(session.scalars(select(ActivityRecord.id).where(ActivityRecord.delegate_id == first,
                                                                   ActivityRecord.status == "pending")))
    petition = session.scalar(select(Petition.id).where(Petition.delegate_id == first))
    proposal = session.scalar(select(Proposal.id).where(Proposal.lead_delegate_id == first))
    return office.id, first, pending, petition, proposal  # ids: each counted call starts with an empty identity map


def _calls(client, auth, login_as, token_for, count_queries, session, office_id, first, pending, petition, proposal):
    counts = {}

    def count(name, send, status):
        counts[name] = cost(count_queries, send, status, name)

    _, studio = token_for("studio", office_id=office_id)
    activity = {"delegate_id": first, "type_code": "inspection", "on": DAY.isoformat(), "description": "视察社区"}
    count("API GET /duties/delegates/<id>", lambda: client.get(f"/api/v1/duties/delegates/{first}", headers=studio),
          200)
    count("API POST /duties/activities", lambda: client.post("/api/v1/duties/activities", headers=studio,
                                                              json=activity), 201)
    count("API POST /duties/activities/<id>/verify",
          lambda: client.post(f"/api/v1/duties/activities/{pending[0]}/verify", headers=studio), 200)
    count("API GET /duties/petitions/<id>", lambda: client.get(f"/api/v1/duties/petitions/{petition}", headers=studio),
          200)
    count("API GET /duties/proposals/<id>", lambda: client.get(f"/api/v1/duties/proposals/{proposal}", headers=studio),
          200)
    login_as("studio", office_id=office_id)
    count("page GET /duties/delegates/<id>", lambda: client.get(f"/duties/delegates/{first}"), 200)
    count("page POST /duties/activities/new", lambda: client.post("/duties/activities/new", data={
        "delegate_id": first, "type_code": "inspection", "on": DAY.isoformat(), "description": "走访群众"}), 302)
    newest = session.scalar(select(ActivityRecord.id).where(ActivityRecord.delegate_id == first,
                                                            ActivityRecord.status == "pending")
                            .order_by(ActivityRecord.id.desc()).limit(1))
    count("page POST /duties/activities/<id>/review",
          lambda: client.post(f"/duties/activities/{newest}/review", data={"action": "verify"}), 302)
    auth.logout()
    return counts


def test_single_delegate_calls_cost_the_same_at_50_and_2000_delegates(
        client, auth, login_as, token_for, session, count_queries):
    small = _office_of(session, SMALL)
    big = _office_of(session, BIG)
    at_small = _calls(client, auth, login_as, token_for, count_queries, session, *small)
    at_big = _calls(client, auth, login_as, token_for, count_queries, session, *big)
    compare(at_small, at_big, BUDGETS, (SMALL, BIG))
    for _, first, pending, _, _ in (small, big):  # the calls did their work at both sizes
        statuses = session.scalars(select(ActivityRecord.status).where(ActivityRecord.delegate_id == first)
                                   .order_by(ActivityRecord.id)).all()
        assert statuses == ["verified", "verified", "pending", "verified"]
