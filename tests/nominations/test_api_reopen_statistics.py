"""退回 a unit's list and its 推荐提名工作统计表 over the API (election.nominations.api_units), through the unit
page's use cases reopen_unit and save_statistics: the effect and one audit entry; every other role 403; a bad body
422 naming the field; the service's rules 422 in Chinese with nothing written; another unit's or a missing id 404."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import today_local, utcnow
from election.directory.models import ElectionUnit, Unit
from tests.api.conformance import conforms
from tests.api.test_api import error_code

MISSING = 987654
STATS = {"participating_orgs": 10, "participating_members": 380, "summary_text": "召开党员大会逐级推荐。"}


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def fields(response) -> set[str]:
    return {d.get("field") for d in response.get_json()["error"]["details"]}


@pytest.fixture
def units(session, make_election):
    """A 推荐提名 election's two units: the first has submitted its list; both have 12 organisations, 400 members."""
    election = make_election(stage="nominate", units=2)
    eus = list(session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)
                               .order_by(ElectionUnit.id)))
    for eu in eus:
        unit = session.get(Unit, eu.unit_id)
        unit.grassroots_orgs, unit.members = 12, 400
    eus[0].status, eus[0].submitted_at = "submitted", utcnow()
    session.commit()
    return eus


def fresh(session, eu) -> ElectionUnit:
    session.expire_all()
    return session.get(ElectionUnit, eu.id)


# ---------------------------------------------------------------------------------------------- 退回
@pytest.mark.parametrize("role", ["office", "admin"])
def test_reopen_a_submitted_list(client, session, token_for, units, role):
    _, headers = token_for(role)
    until = (today_local() + timedelta(days=5)).isoformat()
    r = client.post(f"/api/v1/election-units/{units[0].id}/reopen", headers=headers,
                    json={"reason": "第3行出生日期与身份证号不符", "until": until})
    assert r.status_code == 200, r.get_json()
    conforms(r, "reopen_unit")
    assert r.get_json()["allocation"]["status"] == "draft" and r.get_json()["allocation"]["submitted_at"] is None
    eu = fresh(session, units[0])
    assert (eu.status, eu.reopen_reason, eu.reopened_until.isoformat()) == ("draft", "第3行出生日期与身份证号不符", until)
    assert audits(session, "nominations.reopen") == 1


def test_reopen_refused_bad_and_missing(client, session, token_for, units):
    url = f"/api/v1/election-units/{units[0].id}/reopen"
    for role in ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]:
        kw = {"unit_id": units[0].unit_id} if role == "unit" else {}
        _, headers = token_for(role, **kw)  # even the unit itself may not reopen its own list
        refused = client.post(url, headers=headers, json={"reason": "退回"})
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, office = token_for("office")
    bad = client.post(url, headers=office, json={"reason": "", "until": "2026-13-01", "why": 1})
    assert bad.status_code == 422 and fields(bad) == {"reason", "why"}
    bad_date = client.post(url, headers=office, json={"reason": "退回", "until": "2026-13-01"})
    assert bad_date.status_code == 422 and fields(bad_date) == {"until"}
    past = client.post(url, headers=office, json={"reason": "退回", "until": (today_local() - timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "不能早于今天" in past.get_json()["error"]["message"]
    missing = client.post(f"/api/v1/election-units/{MISSING}/reopen", headers=office, json={"reason": "退回"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    assert fresh(session, units[0]).status == "submitted" and audits(session, "nominations.reopen") == 0


# ---------------------------------------------------------------------------------------------- 统计表
def test_a_unit_fills_its_own_statistics(client, session, token_for, units):
    _, headers = token_for("unit", unit_id=units[1].unit_id)
    r = client.put(f"/api/v1/election-units/{units[1].id}/statistics", headers=headers, json=STATS)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    conforms(r, "save_statistics")
    assert (body["org_rate"], body["member_rate"], body["meets_target"]) == ("83.3%", "95.0%", False)
    eu = fresh(session, units[1])
    assert (eu.participating_orgs, eu.participating_members, eu.summary_text) == (10, 380, "召开党员大会逐级推荐。")
    assert audits(session, "nominations.statistics") == 1
    # another unit's id is not found, nothing written
    other = client.put(f"/api/v1/election-units/{units[0].id}/statistics", headers=headers, json=STATS)
    assert other.status_code == 404 and error_code(other) == "not_found"
    assert fresh(session, units[0]).participating_orgs is None and audits(session, "nominations.statistics") == 1


@pytest.mark.parametrize("role", ["office", "admin"])
def test_the_office_corrects_a_submitted_units_statistics(client, session, token_for, units, role):
    _, headers = token_for(role)
    r = client.put(f"/api/v1/election-units/{units[0].id}/statistics", headers=headers,
                   json={"participating_orgs": 12, "participating_members": 400})
    assert r.status_code == 200 and r.get_json()["meets_target"] is True and r.get_json()["summary_text"] is None
    assert fresh(session, units[0]).participating_members == 400 and audits(session, "nominations.statistics") == 1


def test_statistics_refused_bad_and_missing(client, session, token_for, units):
    url = f"/api/v1/election-units/{units[1].id}/statistics"
    for role in ["inspector", "discipline", "teller", "auditor", "delegate", "studio"]:
        _, headers = token_for(role)
        refused = client.put(url, headers=headers, json=STATS)
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, unit = token_for("unit", unit_id=units[1].unit_id)
    bad = client.put(url, headers=unit, json={"participating_orgs": -1, "summary_text": 5})
    assert bad.status_code == 422 and fields(bad) == {"participating_orgs", "participating_members", "summary_text"}
    too_many = client.put(url, headers=unit, json={**STATS, "participating_members": 401})
    assert too_many.status_code == 422
    assert "参加推荐的党员数401超过本单位党员总数400" in too_many.get_json()["error"]["message"]
    _, office = token_for("office")
    missing = client.put(f"/api/v1/election-units/{MISSING}/statistics", headers=office, json=STATS)
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    fresh(session, units[1]).election.stage = "shortlist"  # 推荐提名 is over: the unit may no longer change it
    session.commit()
    late = client.put(url, headers=unit, json=STATS)
    assert late.status_code == 422 and error_code(late) == "rule_violation"
    assert fresh(session, units[1]).participating_orgs is None and fresh(session, units[0]).participating_orgs is None
    assert audits(session, "nominations.statistics") == 0
