"""Setting an election up over the API (election.elections.api_setup): create it with its quota rules, edit
or copy it, its timeline, a decision record and 免报 of a unit; and 中止 (election.elections.api). Each: success with its effect in the database and one audit
entry, every refused role (403 JSON), a bad body (422 naming the field, in Chinese) and scope (a missing or
out-of-scope object is 404, nothing written)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import today_local, utcnow
from election.directory.models import ElectionUnit
from election.elections.models import Election, ElectionDecision, StageDue
from tests.api.test_api import error_code

REFUSED = ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]
MISSING = 987654
CREATE = {"title": "区第十次党代会代表选举", "seats": 16, "level": "区", "voters": 200, "preset": "地方组织",
          "age_reference_date": "2026-05-10", "margin_unit_list": "1/2", "margin_final_ballot": "1/5",
          "shortlist_count": 24, "preliminary_count": 21,
          "quota_rules": [{"code": "women", "label": "妇女", "where": {"gender": "女"}, "min_share": "30%"}]}


def audits(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def fields(response) -> set[str]:
    return {d.get("field") for d in response.get_json()["error"]["details"]}


# ---------------------------------------------------------------------------------------------- 创建选举
@pytest.mark.parametrize("role", ["office", "admin"])
def test_create_election(client, session, token_for, role):
    _, headers = token_for(role)
    response = client.post("/api/v1/elections", headers=headers, json=CREATE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["stage"] == "plan" and body["seats"] == 16 and body["age_reference_date"] == "2026-05-10"
    election = session.get(Election, body["id"])
    assert election.title == CREATE["title"] and election.voters == 200
    assert election.quota_rules == CREATE["quota_rules"]
    assert election.settings["shortlist_count"] == 24
    assert len(audits(session, "election.create")) == 1


@pytest.mark.parametrize("role", REFUSED)
def test_create_election_refused_role(client, session, token_for, role):
    _, headers = token_for(role)
    response = client.post("/api/v1/elections", headers=headers, json=CREATE)
    assert response.status_code == 403 and error_code(response) == "forbidden"
    assert session.scalar(select(func.count()).select_from(Election)) == 0


def test_create_election_bad_body(client, session, token_for):
    _, headers = token_for("office")
    response = client.post("/api/v1/elections", headers=headers, json={**CREATE, "seats": 0, "title": ""})
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert fields(response) == {"seats", "title"}
    assert "应选名额" not in response.get_json()["error"]["message"]  # the details name the fields
    rule = client.post("/api/v1/elections", headers=headers,
                       json={**CREATE, "shortlist_count": 20, "preliminary_count": 21})
    assert rule.status_code == 422 and "考察对象人数应多于初步人选人数" in rule.get_json()["error"]["message"]
    bad_date = client.post("/api/v1/elections", headers=headers, json={**CREATE, "age_reference_date": "2026-02-30"})
    assert bad_date.status_code == 422 and fields(bad_date) == {"age_reference_date"}
    assert session.scalar(select(func.count()).select_from(Election)) == 0


# ---------------------------------------------------------------------------------------------- 时间安排
def test_set_timeline(client, session, token_for, make_election):
    election = make_election(stage="plan")
    _, headers = token_for("office")
    url = f"/api/v1/elections/{election.id}/timeline"
    response = client.put(url, headers=headers, json={"dues": {"plan": "2026-03-01", "deploy": "2026-03-15"}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["changed"] == ["plan", "deploy"] and "时间安排已保存" in body["summary"]
    dues = {d.stage: d.due_date for d in session.scalars(select(StageDue).where(StageDue.election_id == election.id))}
    assert dues == {"plan": date(2026, 3, 1), "deploy": date(2026, 3, 15)}
    assert len(audits(session, "election.timeline")) == 1
    cleared = client.put(url, headers=headers, json={"dues": {"deploy": None}})
    assert cleared.status_code == 200 and cleared.get_json()["cleared"] == ["deploy"]


def test_set_timeline_refused_bad_and_scoped(client, session, token_for, make_election):
    election = make_election(stage="plan")
    url = f"/api/v1/elections/{election.id}/timeline"
    for role in REFUSED:
        _, headers = token_for(role)
        refused = client.put(url, headers=headers, json={"dues": {"plan": "2026-03-01"}})
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, office = token_for("office")
    bad = client.put(url, headers=office, json={"dues": {"deploy": "2026-13-01", "nowhere": "2026-03-01"}})
    assert bad.status_code == 422 and fields(bad) == {"dues.nowhere"}
    bad_date = client.put(url, headers=office, json={"dues": {"deploy": "2026-13-01"}})
    assert bad_date.status_code == 422 and fields(bad_date) == {"dues.deploy"}
    assert "截止日期" in bad_date.get_json()["error"]["details"][0]["message"]
    order = client.put(url, headers=office, json={"dues": {"plan": "2026-03-15", "deploy": "2026-03-01"}})
    assert order.status_code == 422 and "不能早于" in order.get_json()["error"]["message"]
    missing = client.put(f"/api/v1/elections/{MISSING}/timeline", headers=office, json={"dues": {}})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    assert session.scalar(select(func.count()).select_from(StageDue)) == 0
    assert audits(session, "election.timeline") == []


# ---------------------------------------------------------------------------------------------- 决定与批复
def test_record_decision(client, session, token_for, make_election):
    election = make_election(stage="vet")
    _, headers = token_for("office")
    held = (today_local() - timedelta(days=1)).isoformat()
    body = {"kind": "shortlist", "body": "区委常委会", "held_on": held, "doc_number": "区委常纪〔2026〕3号"}
    response = client.post(f"/api/v1/elections/{election.id}/decisions", headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["kind_label"] == "确定考察对象的会议"
    row = session.scalar(select(ElectionDecision).where(ElectionDecision.election_id == election.id))
    assert (row.kind, row.body, row.held_on.isoformat(), row.doc_number) == ("shortlist", "区委常委会", held, body["doc_number"])
    assert len(audits(session, "election.decision")) == 1


def test_record_decision_refused_bad_and_scoped(client, session, token_for, make_election):
    election = make_election(stage="vet")
    url = f"/api/v1/elections/{election.id}/decisions"
    body = {"kind": "shortlist", "body": "区委常委会", "held_on": "2026-01-05", "doc_number": "3号"}
    for role in REFUSED:
        _, headers = token_for(role)
        refused = client.post(url, headers=headers, json=body)
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, office = token_for("office")
    bad = client.post(url, headers=office, json={**body, "kind": "other", "doc_number": ""})
    assert bad.status_code == 422 and fields(bad) == {"kind", "doc_number"}
    assert {d["message"] for d in bad.get_json()["error"]["details"]} >= {"请填写文号 / 纪要号（doc_number）"}
    future = client.post(url, headers=office, json={**body, "held_on": (today_local() + timedelta(days=3)).isoformat()})
    assert future.status_code == 422 and "晚于今天" in future.get_json()["error"]["message"]
    missing = client.post(f"/api/v1/elections/{MISSING}/decisions", headers=office, json=body)
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    assert session.scalar(select(func.count()).select_from(ElectionDecision)) == 0
    assert audits(session, "election.decision") == []


# ---------------------------------------------------------------------------------------------- 免报
def test_exempt_unit(client, session, token_for, make_election):
    election = make_election(stage="nominate", units=2)
    eu = election.units[0]
    _, headers = token_for("office")
    response = client.post(f"/api/v1/election-units/{eu.id}/exempt", headers=headers, json={"reason": "无符合条件人选"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "exempted"
    session.expire_all()
    row = session.get(ElectionUnit, eu.id)
    assert (row.status, row.exemption_reason) == ("exempted", "无符合条件人选")
    assert session.get(ElectionUnit, election.units[1].id).status == "draft"
    assert len(audits(session, "unit.exempt")) == 1


def test_exempt_unit_refused_bad_and_scoped(client, session, token_for, make_election):
    election = make_election(stage="nominate", units=1)
    eu = election.units[0]
    url = f"/api/v1/election-units/{eu.id}/exempt"
    for role in REFUSED:
        kw = {"unit_id": eu.unit_id} if role == "unit" else {}  # even the unit's own clerk may not excuse it
        _, headers = token_for(role, **kw)
        refused = client.post(url, headers=headers, json={"reason": "无"})
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, office = token_for("office")
    bad = client.post(url, headers=office, json={"reason": "  "})
    assert bad.status_code == 422 and fields(bad) == {"reason"}
    assert bad.get_json()["error"]["details"][0]["message"] == "请填写免报理由（reason）"
    missing = client.post(f"/api/v1/election-units/{MISSING}/exempt", headers=office, json={"reason": "无"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    eu.status, eu.submitted_at = "submitted", utcnow()
    session.commit()
    submitted = client.post(url, headers=office, json={"reason": "无"})
    assert submitted.status_code == 422 and "已提交名单" in submitted.get_json()["error"]["message"]
    assert audits(session, "unit.exempt") == []


# ---------------------------------------------------------------------------------------------- 修改、复制、中止
def test_update_election(client, session, token_for, make_election):
    election = make_election(stage="plan")
    _, headers = token_for("office")
    url = f"/api/v1/elections/{election.id}"
    response = client.patch(url, headers=headers, json={"seats": 18, "voters": 210, "expected_version": election.version})
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    row = session.get(Election, election.id)
    assert (row.seats, row.voters, row.title) == (18, 210, election.title)  # what was not sent stays
    assert len(audits(session, "election.update")) == 1
    stale = client.patch(url, headers=headers, json={"seats": 19, "expected_version": 99})
    assert stale.status_code == 409 and error_code(stale) == "conflict"
    bad = client.patch(url, headers=headers, json={"seats": "many", "margin_unit_list": "abc"})
    assert bad.status_code == 422 and fields(bad) == {"seats"}
    rule = client.patch(url, headers=headers, json={"margin_unit_list": "abc"})
    assert rule.status_code == 422 and "推荐差额比例" in rule.get_json()["error"]["message"]
    for role in REFUSED:
        _, other = token_for(role)
        refused = client.patch(url, headers=other, json={"seats": 20})
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    missing = client.patch(f"/api/v1/elections/{MISSING}", headers=headers, json={"seats": 20})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    row.stage = "nominate"
    session.commit()
    locked = client.patch(url, headers=headers, json={"seats": 20})
    assert locked.status_code == 422 and "工作方案已锁定" in locked.get_json()["error"]["message"]
    session.expire_all()
    assert session.get(Election, election.id).seats == 18 and len(audits(session, "election.update")) == 1


def test_copy_election(client, session, token_for, make_election):
    source = make_election(stage="vote", units=2)
    session.add(StageDue(election_id=source.id, stage="plan", due_date=date(2021, 3, 1)))
    session.commit()
    _, headers = token_for("office")
    url = f"/api/v1/elections/{source.id}/copy"
    response = client.post(url, headers=headers, json={"title": "新一届选举", "shift_days": 10})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["stage"] == "plan" and body["title"] == "新一届选举" and body["id"] != source.id
    units = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == body["id"])).all()
    assert len(units) == 2
    due = session.scalar(select(StageDue).where(StageDue.election_id == body["id"]))
    assert due.due_date == date(2021, 3, 11)
    assert len(audits(session, "election.create")) == 1
    bad = client.post(url, headers=headers, json={"title": " "})
    assert bad.status_code == 422 and fields(bad) == {"title"}
    for role in REFUSED:
        _, other = token_for(role)
        assert client.post(url, headers=other, json={"title": "x"}).status_code == 403, role
    missing = client.post(f"/api/v1/elections/{MISSING}/copy", headers=headers, json={"title": "x"})
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    assert session.scalar(select(func.count()).select_from(Election)) == 2


def test_abort_election(client, session, token_for, make_election):
    election = make_election(stage="nominate")
    url = f"/api/v1/elections/{election.id}/abort"
    for role in REFUSED:
        _, other = token_for(role)
        refused = client.post(url, headers=other, json={"reason": "上级通知暂停"})
        assert refused.status_code == 403 and error_code(refused) == "forbidden", role
    _, headers = token_for("office")
    bad = client.post(url, headers=headers, json={"reason": ""})
    assert bad.status_code == 422 and fields(bad) == {"reason"}
    missing = client.post(f"/api/v1/elections/{MISSING}/abort", headers=headers, json={"reason": "上级通知暂停"})
    assert missing.status_code == 404
    response = client.post(url, headers=headers, json={"reason": "上级通知暂停", "expected_version": election.version})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["to_stage"] == "aborted"
    session.expire_all()
    row = session.get(Election, election.id)
    assert row.stage == "aborted" and len(audits(session, "election.abort")) == 1
    again = client.post(url, headers=headers, json={"reason": "再次中止"})
    assert again.status_code == 422 and error_code(again) == "transition_blocked"
