"""下一步安排 over the API (POST /elections/{id}/rounds/plan, election.voting.api): after a round that left seats
unfilled, the 另行选举's candidates or a reduction of the seats, through the page's use case plan_next_round — the
effect and one audit entry; every other role 403; a bad body 422 naming the field; the service's refusals (no
basis for a reduction, a second plan) 422 in Chinese with nothing written; a missing election 404."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.voting.models import RoundPlan
from tests.api.conformance import conforms
from tests.api.test_api import error_code
from tests.voting import test_services as voting
from tests.voting.test_services import _count, _open

ballot_election, office, tellers = voting.ballot_election, voting.office, voting.tellers  # the fixtures
REFUSED = ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]
MISSING = 987654


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def plans(session, election) -> list[RoundPlan]:
    session.expire_all()
    return list(session.scalars(select(RoundPlan).where(RoundPlan.election_id == election.id)))


@pytest.fixture
def short(session, office, tellers, ballot_election):
    """An election whose first round elected one of two seats (王芳); 李娜 and 张伟 not elected."""
    election = ballot_election(seats=2)
    result = _count(session, office, tellers, _open(session, office, election), 10, 王芳=8, 李娜=3, 张伟=2)
    assert result.unfilled_seats == 1
    session.commit()
    return election


@pytest.mark.parametrize("role", ["office", "admin"])
def test_plan_an_additional_round(client, session, token_for, short, role):
    _, headers = token_for(role)
    r = client.post(f"/api/v1/elections/{short.id}/rounds/plan", headers=headers,
                    json={"action": "additional", "candidates_count": 2})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    conforms(r, "plan_next_round")
    assert (body["kind"], body["after_round_no"], body["candidates_count"], body["empty_seats"]) == ("additional", 1, 2, 1)
    assert body["next_round"] == {"round_no": 2, "kind": "additional", "seats": 1, "candidates": ["李娜", "张伟"]}
    (plan,) = plans(session, short)
    assert (plan.kind, plan.candidates_count, plan.id) == ("additional", 2, body["id"])
    assert audits(session, "voting.plan") == 1
    # one plan per closed round: the same request again is refused, nothing written
    again = client.post(f"/api/v1/elections/{short.id}/rounds/plan", headers=headers,
                        json={"action": "additional", "candidates_count": 2})
    assert again.status_code == 422 and "不需要另行选举" in again.get_json()["error"]["message"]
    assert len(plans(session, short)) == 1 and audits(session, "voting.plan") == 1


def test_reduce_the_seats_with_its_basis(client, session, token_for, short):
    _, office_headers = token_for("office")
    url = f"/api/v1/elections/{short.id}/rounds/plan"
    no_note = client.post(url, headers=office_headers, json={"action": "reduce", "seats_removed": 1, "basis": "presidium"})
    assert no_note.status_code == 422 and "须写明依据" in no_note.get_json()["error"]["message"]
    assert plans(session, short) == []
    r = client.post(url, headers=office_headers, json={"action": "reduce", "seats_removed": 1, "basis": "presidium",
                                                       "note": "大会主席团第三次会议决定"})
    assert r.status_code == 201, r.get_json()
    conforms(r, "plan_next_round")
    assert r.get_json()["kind"] == "reduce" and r.get_json()["empty_seats"] == 0 and r.get_json()["next_round"] is None
    (plan,) = plans(session, short)
    assert (plan.seats_removed, plan.basis, plan.note) == (1, "presidium", "大会主席团第三次会议决定")
    assert audits(session, "voting.plan") == 1


def test_plan_refused_bad_and_missing(client, session, token_for, short, ballot_election):
    url = f"/api/v1/elections/{short.id}/rounds/plan"
    for role in REFUSED:
        _, headers = token_for(role)
        refused = client.post(url, headers=headers, json={"action": "additional"})
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, staff = token_for("office")
    bad = client.post(url, headers=staff, json={"action": "later", "candidates_count": 0, "basis": "vote"})
    assert bad.status_code == 422 and error_code(bad) == "validation_failed"
    assert {d["field"] for d in bad.get_json()["error"]["details"]} == {"action", "candidates_count", "basis"}
    missing = client.post(f"/api/v1/elections/{MISSING}/rounds/plan", headers=staff, json={"action": "additional"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    not_voted = ballot_election(seats=2)  # another election, no round closed yet: nothing to plan
    early = client.post(f"/api/v1/elections/{not_voted.id}/rounds/plan", headers=staff, json={"action": "additional"})
    assert early.status_code == 422 and "还没有结束的投票" in early.get_json()["error"]["message"]
    assert plans(session, short) == [] and plans(session, not_voted) == []
    assert audits(session, "voting.plan") == 0
