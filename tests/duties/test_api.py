"""代表履职 over the API: delegates, activities, rankings, petitions, proposals — success,
validation errors, every refused role, and another office's objects answering exactly like missing ones."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.core.clock import today_local, utcnow
from election.directory.models import DelegateOffice
from election.duties.models import ActivityRecord, Petition, Proposal, TermDelegate
from tests.api.test_api import error_code

API = "/api/v1/duties"
NOT_DUTY = ("unit", "inspector", "discipline", "teller")  # never reach the duty area


@dataclass
class Duties:
    office_a: DelegateOffice
    office_b: DelegateOffice
    a1: TermDelegate  # office A, linked to the delegate user
    a2: TermDelegate  # office A
    b1: TermDelegate  # office B
    delegate: dict  # the token headers of a1's user
    pending_a: ActivityRecord
    pending_b: ActivityRecord
    verified_a: ActivityRecord
    petition_a: Petition
    petition_b: Petition
    proposal_a: Proposal
    proposal_b: Proposal


DAY = today_local() - timedelta(days=3)


@pytest.fixture
def duties(session, token_for):
    a, b = DelegateOffice(name="接口工作室甲"), DelegateOffice(name="接口工作室乙")
    session.add_all([a, b])
    session.flush()
    common = {"gender": "女", "congress": "区第十二次党代会", "term_start": DAY - timedelta(days=700),
              "term_end": DAY + timedelta(days=700)}
    user, headers = token_for("delegate")
    a1 = TermDelegate(name="甲一代表", level="区", office_id=a.id, user_id=user.id, electing_unit="甲单位", **common)
    a2 = TermDelegate(name="甲二代表", level="镇", office_id=a.id, **common)
    b1 = TermDelegate(name="乙一代表", level="区", office_id=b.id, electing_unit="乙单位", **common)
    session.add_all([a1, a2, b1])
    session.flush()
    acts = [ActivityRecord(delegate_id=d.id, type_code="inspection", on=DAY, description=f"{d.name}视察")
            for d in (a1, b1)]
    acts.append(ActivityRecord(delegate_id=a2.id, type_code="inspection", on=DAY, description="已核实的视察",
                               status="verified", verified_at=utcnow()))
    pets = [Petition(office_id=o.id, delegate_id=d.id, resident_name=f"{d.name}的群众", content="反映路灯不亮")
            for o, d in ((a, a1), (b, b1))]
    props = [Proposal(lead_delegate_id=d.id, title=f"{d.name}关于路灯的提案", grounds="依据", solution="方案",
                      submitted_on=DAY) for d in (a1, b1)]
    session.add_all([*acts, *pets, *props])
    session.commit()  # the fixture's data survives an error answer's rollback (savepoint per commit)
    return Duties(a, b, a1, a2, b1, headers, *acts, *pets, *props)


@pytest.fixture
def studio(token_for, duties):
    """A 党代表工作室 token of office A."""
    return token_for("studio", office_id=duties.office_a.id)[1]


def same_as_missing(client, headers, url: str, missing: str, method: str = "GET", **kw) -> None:
    """Another office's object answers exactly like an id that does not exist (no existence oracle)."""
    other = client.open(url, method=method, headers=headers, **kw)
    absent = client.open(missing, method=method, headers=headers, **kw)
    assert other.status_code == absent.status_code == 404, other.get_json()
    assert other.get_json() == absent.get_json() and error_code(other) == "not_found"


def names(body) -> set[str]:
    return {item["name"] for item in body["items"]}


def details(response) -> list[dict]:
    return response.get_json()["error"]["details"]


# ---------------------------------------------------------------------------------------------- offices, delegates
def test_offices_studio_sees_only_its_own(client, token_for, duties, studio):
    body = client.get(f"{API}/offices", headers=studio).get_json()
    assert [o["name"] for o in body["items"]] == ["接口工作室甲"]
    _, admin = token_for("admin")
    assert {"接口工作室甲", "接口工作室乙"} <= {o["name"] for o in client.get(f"{API}/offices", headers=admin)
                                           .get_json()["items"]}


@pytest.mark.parametrize("role", [*NOT_DUTY, "delegate"])
def test_offices_and_delegates_refused(client, token_for, duties, role):
    _, headers = token_for(role)
    for url in (f"{API}/offices", f"{API}/delegates", f"{API}/delegates/{duties.a1.id}", f"{API}/petitions",
                f"{API}/petitions/{duties.petition_a.id}", f"{API}/rankings"):
        response = client.get(url, headers=headers)
        assert response.status_code == 403 and error_code(response) == "forbidden", url


def test_delegates_filtered_and_scoped(client, token_for, duties, studio):
    _, office = token_for("office")
    everyone = names(client.get(f"{API}/delegates?per_page=100", headers=office).get_json())
    assert {"甲一代表", "甲二代表", "乙一代表"} <= everyone
    assert names(client.get(f"{API}/delegates?level=镇&office_id={duties.office_a.id}", headers=office)
                 .get_json()) == {"甲二代表"}
    assert names(client.get(f"{API}/delegates?q=乙一", headers=office).get_json()) == {"乙一代表"}
    assert names(client.get(f"{API}/delegates?status=terminated&q=代表", headers=office).get_json()) == set()
    scoped = client.get(f"{API}/delegates", headers=studio).get_json()
    assert names(scoped) == {"甲一代表", "甲二代表"} and scoped["total"] == 2
    # asking for the other office through the filter still shows nothing of it
    assert client.get(f"{API}/delegates?office_id={duties.office_b.id}", headers=studio).get_json()["items"] == []


@pytest.mark.parametrize("query", ["level=省", "office_id=abc", "status=gone", "per_page=101"])
def test_delegates_bad_query_is_422(client, token_for, duties, query):
    _, headers = token_for("office")
    response = client.get(f"{API}/delegates?{query}", headers=headers)
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert details(response)[0]["field"] == query.split("=")[0]


def test_delegate_detail_scoped_to_office(client, token_for, duties, studio):
    body = client.get(f"{API}/delegates/{duties.a1.id}", headers=studio).get_json()
    assert body["delegate"]["name"] == "甲一代表" and body["delegate"]["office_name"] == "接口工作室甲"
    assert body["delegate"]["status_label"] == "在任" and body["history"] == []
    same_as_missing(client, studio, f"{API}/delegates/{duties.b1.id}", f"{API}/delegates/987654")
    for role in ("admin", "auditor"):
        _, headers = token_for(role)
        assert client.get(f"{API}/delegates/{duties.b1.id}", headers=headers).status_code == 200


# ---------------------------------------------------------------------------------------------- activities: read
def test_activities_delegate_sees_only_own(client, duties):
    body = client.get(f"{API}/activities", headers=duties.delegate).get_json()
    assert {a["delegate_name"] for a in body["items"]} == {"甲一代表"}
    item = body["items"][0]
    assert item["status"] == "pending" and item["status_label"] == "待核实" and item["type_label"] == "视察调研"
    # a filter for someone else's records finds nothing, not their records
    assert client.get(f"{API}/activities?delegate_id={duties.b1.id}", headers=duties.delegate) \
        .get_json()["items"] == []


def test_activities_studio_scoped_and_filtered(client, token_for, duties, studio):
    body = client.get(f"{API}/activities", headers=studio).get_json()
    assert {a["delegate_name"] for a in body["items"]} == {"甲一代表", "甲二代表"}
    pending = client.get(f"{API}/activities?status=pending", headers=studio).get_json()
    assert [a["id"] for a in pending["items"]] == [duties.pending_a.id]
    _, office = token_for("office")
    year = client.get(f"{API}/activities?year={DAY.year}&office_id={duties.office_b.id}", headers=office).get_json()
    assert [a["id"] for a in year["items"]] == [duties.pending_b.id]
    assert client.get(f"{API}/activities?year={DAY.year - 1}&office_id={duties.office_b.id}",
                      headers=office).get_json()["total"] == 0
    response = client.get(f"{API}/activities?year=1999", headers=office)
    assert response.status_code == 422 and "不能小于2000" in details(response)[0]["message"]


@pytest.mark.parametrize("role", NOT_DUTY)
def test_activities_refused(client, token_for, duties, role):
    _, headers = token_for(role)
    assert client.get(f"{API}/activities", headers=headers).status_code == 403
    response = client.post(f"{API}/activities", headers=headers,
                           json={"type_code": "inspection", "on": DAY.isoformat(), "description": "x"})
    assert response.status_code == 403 and error_code(response) == "forbidden"


# ---------------------------------------------------------------------------------------------- activities: log
def test_delegate_logs_own_activity_pending_and_audited(client, session, duties):
    response = client.post(f"{API}/activities", headers=duties.delegate,
                           json={"type_code": "inspection", "on": DAY.isoformat(), "place": "社区",
                                 "description": "到社区视察调研", "people": "居民5人"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["delegate_id"] == duties.a1.id and body["status"] == "pending" and body["attachments"] == 0
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "duties.activity.log")
                           .order_by(AuditEntry.seq.desc()))
    assert entry is not None and entry.object_id == str(body["id"])


def test_studio_logs_for_own_office_only(client, duties, studio):
    response = client.post(f"{API}/activities", headers=studio,
                           json={"delegate_id": duties.a2.id, "type_code": "inspection", "on": DAY.isoformat(),
                                 "description": "代为登记"})
    assert response.status_code == 201 and response.get_json()["delegate_name"] == "甲二代表"
    other = client.post(f"{API}/activities", headers=studio,
                        json={"delegate_id": duties.b1.id, "type_code": "inspection", "on": DAY.isoformat(),
                              "description": "代为登记"})
    missing = client.post(f"{API}/activities", headers=studio,
                          json={"delegate_id": 987654, "type_code": "inspection", "on": DAY.isoformat(),
                                "description": "代为登记"})
    assert other.status_code == missing.status_code == 422
    assert details(other)[0]["field"] == "delegate_id" and "不是您可以登记的代表" in details(other)[0]["message"]
    none = client.post(f"{API}/activities", headers=studio,
                       json={"type_code": "inspection", "on": DAY.isoformat(), "description": "x"})
    assert none.status_code == 422 and details(none) == [{"field": "delegate_id", "message": "请填写代表编号"}]


@pytest.mark.parametrize("body, field, text", [
    ({"type_code": "inspection", "on": "2026-13-01", "description": "x"}, "on", "应为有效日期"),
    ({"type_code": "inspection", "on": "昨天", "description": "x"}, "on", "应为有效日期"),
    ({"type_code": "inspection", "on": "2026-01-01", "description": "   "}, "description", "请填写"),
    ({"type_code": "inspection", "on": "2026-01-01"}, "description", "缺少"),
    ({"type_code": "inspection", "on": "2026-01-01", "description": "x", "grade": "很好"}, "grade", "只能是"),
    ({"type_code": "inspection", "on": "2026-01-01", "description": "x", "colour": "红"}, "colour", "不认识的字段"),
    ({"type_code": "inspection", "on": "2026-01-01", "description": "含\u0000字符"}, "description", "控制字符"),
])
def test_log_activity_validation_is_422_with_details(client, duties, body, field, text):
    response = client.post(f"{API}/activities", headers=duties.delegate, json=body)
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    found = [d for d in details(response) if d["field"] == field]
    assert found and text in found[0]["message"], details(response)


def test_log_activity_rules_of_the_service(client, duties):
    future = client.post(f"{API}/activities", headers=duties.delegate,
                         json={"type_code": "inspection", "on": (today_local() + timedelta(days=2)).isoformat(),
                               "description": "x"})
    assert future.status_code == 422 and "晚于今天" in future.get_json()["error"]["message"]
    unknown = client.post(f"{API}/activities", headers=duties.delegate,
                          json={"type_code": "flying", "on": DAY.isoformat(), "description": "x"})
    assert unknown.status_code == 422 and "flying" in unknown.get_json()["error"]["message"]
    assert error_code(unknown) == "rule_violation"


def test_log_activity_malformed_json_is_400(client, duties):
    response = client.post(f"{API}/activities", headers={**duties.delegate, "Content-Type": "application/json"},
                           data="{type_code: inspection")
    assert response.status_code == 400 and error_code(response) == "bad_json"


# ---------------------------------------------------------------------------------------------- activities: review
def test_studio_verifies_and_returns_own_office_activities(client, session, duties, studio):
    response = client.post(f"{API}/activities/{duties.pending_a.id}/verify", headers=studio)
    assert response.status_code == 200 and response.get_json()["status"] == "verified"
    again = client.post(f"{API}/activities/{duties.pending_a.id}/verify", headers=studio)
    assert again.status_code == 422 and "不能重复处理" in again.get_json()["error"]["message"]
    rec = ActivityRecord(delegate_id=duties.a2.id, type_code="inspection", on=DAY, description="待退回")
    session.add(rec)
    session.commit()
    blank = client.post(f"{API}/activities/{rec.id}/return", headers=studio, json={"reason": "  "})
    assert blank.status_code == 422 and details(blank)[0]["field"] == "reason"
    returned = client.post(f"{API}/activities/{rec.id}/return", headers=studio, json={"reason": "请补充照片"})
    assert returned.status_code == 200
    assert returned.get_json()["status"] == "returned" and returned.get_json()["return_reason"] == "请补充照片"
    assert client.post(f"{API}/activities/{rec.id}/return", headers=studio).status_code == 400  # no body


def test_review_other_office_is_404_like_missing(client, duties, studio):
    same_as_missing(client, studio, f"{API}/activities/{duties.pending_b.id}/verify", f"{API}/activities/987654/verify",
                    method="POST")
    same_as_missing(client, studio, f"{API}/activities/{duties.pending_b.id}/return", f"{API}/activities/987654/return",
                    method="POST", json={"reason": "x"})


@pytest.mark.parametrize("role", ["auditor", "delegate", "unit", "inspector"])
def test_review_refused_to_readers_and_delegates(client, token_for, duties, role):
    headers = duties.delegate if role == "delegate" else token_for(role)[1]
    for action, kw in (("verify", {}), ("return", {"json": {"reason": "x"}})):
        response = client.post(f"{API}/activities/{duties.pending_a.id}/{action}", headers=headers, **kw)
        assert response.status_code == 403, (role, action)


# ---------------------------------------------------------------------------------------------- rankings
def test_ranking_studio_own_office_only(client, duties, studio):
    body = client.get(f"{API}/rankings?year={DAY.year}", headers=studio).get_json()
    assert body["group"] == f"office:{duties.office_a.id}" and body["groups"] == [
        {"value": f"office:{duties.office_a.id}", "label": "接口工作室甲"}]
    assert {ln["name"] for ln in body["lines"]} == {"甲一代表", "甲二代表"}
    assert max(ln["points"] for ln in body["lines"]) == 10  # the verified 视察调研 (盐田: 10)
    response = client.get(f"{API}/rankings?office_id={duties.office_b.id}", headers=studio)
    assert response.status_code == 403 and "本工作室" in response.get_json()["error"]["message"]
    assert client.get(f"{API}/rankings?level=区", headers=studio).status_code == 403


def test_ranking_level_scope_and_bad_queries(client, token_for, duties):
    _, office = token_for("office")
    body = client.get(f"{API}/rankings?level=区&year={DAY.year}", headers=office).get_json()
    assert body["group"] == "level:区" and {"甲一代表", "乙一代表"} <= {ln["name"] for ln in body["lines"]}
    assert "甲二代表" not in {ln["name"] for ln in body["lines"]}
    both = client.get(f"{API}/rankings?level=区&office_id={duties.office_a.id}", headers=office)
    assert both.status_code == 422 and details(both)[0]["field"] == "level"
    for query in ("year=1999", "level=省", "period=13", "period=-1"):
        assert client.get(f"{API}/rankings?{query}", headers=office).status_code == 422, query
    response = client.get(f"{API}/rankings?year={DAY.year}&period=12", headers=office)
    assert response.status_code == 422 and "公布期" in response.get_json()["error"]["message"]


def test_my_standing_for_the_delegate_only(client, token_for, duties):
    body = client.get(f"{API}/rankings/me?year={DAY.year}", headers=duties.delegate).get_json()
    assert body["delegate_id"] == duties.a1.id and body["total"] == 0  # the own activity is still 待核实
    assert body["rank_text"].startswith("第") and body["group_size"] == 2 and body["explain"][-1] == "合计0分"
    _, unlinked = token_for("delegate")  # a delegate account not linked to a delegate
    response = client.get(f"{API}/rankings/me", headers=unlinked)
    assert response.status_code == 404 and error_code(response) == "not_found"
    for role in ("studio", "admin", "unit"):
        assert client.get(f"{API}/rankings/me", headers=token_for(role)[1]).status_code == 403


# ---------------------------------------------------------------------------------------------- petitions
def test_petitions_list_detail_scoped(client, token_for, duties, studio):
    body = client.get(f"{API}/petitions", headers=studio).get_json()
    assert [p["id"] for p in body["items"]] == [duties.petition_a.id]
    item = body["items"][0]
    assert item["state"] == "registered" and item["next_steps"] == ["received"] and item["office_name"] == "接口工作室甲"
    assert client.get(f"{API}/petitions/{duties.petition_a.id}", headers=studio).get_json()["delegate_name"] == "甲一代表"
    same_as_missing(client, studio, f"{API}/petitions/{duties.petition_b.id}", f"{API}/petitions/987654")
    _, auditor = token_for("auditor")
    assert client.get(f"{API}/petitions/{duties.petition_b.id}", headers=auditor).status_code == 200
    _, office = token_for("office")
    assert client.get(f"{API}/petitions?state=archived&office_id={duties.office_a.id}",
                      headers=office).get_json()["total"] == 0
    assert client.get(f"{API}/petitions?state=later", headers=office).status_code == 422


def test_register_petition_in_own_office(client, duties, studio):
    response = client.post(f"{API}/petitions", headers=studio,
                           json={"resident_name": "张大爷", "content": "小区门口积水", "delegate_id": duties.a2.id})
    assert response.status_code == 201, response.get_json()  # a studio registers at its own office by default
    assert response.get_json()["office_id"] == duties.office_a.id and response.get_json()["state"] == "registered"
    # another office named in the body is refused like a missing one, never silently moved to the own office
    elsewhere = client.post(f"{API}/petitions", headers=studio, json={"resident_name": "张大爷", "content": "积水",
                                                                      "office_id": duties.office_b.id})
    nowhere = client.post(f"{API}/petitions", headers=studio, json={"resident_name": "张大爷", "content": "积水",
                                                                    "office_id": 987654})
    assert elsewhere.status_code == nowhere.status_code == 422
    assert elsewhere.get_json() == nowhere.get_json() and "工作室" in elsewhere.get_json()["error"]["message"]
    # another office's delegate: the very same answer as a missing id (no name, no existence oracle)
    other = client.post(f"{API}/petitions", headers=studio,
                        json={"resident_name": "张大爷", "content": "积水", "delegate_id": duties.b1.id})
    missing = client.post(f"{API}/petitions", headers=studio,
                          json={"resident_name": "张大爷", "content": "积水", "delegate_id": 987654})
    assert other.status_code == missing.status_code == 422
    assert details(other)[0]["field"] == details(missing)[0]["field"] == "delegate_id"
    assert details(other)[0]["message"].replace(str(duties.b1.id), "#") == details(missing)[0]["message"].replace(
        "987654", "#")


def test_register_petition_validation(client, token_for, duties, studio):
    response = client.post(f"{API}/petitions", headers=studio, json={"resident_name": "", "resident_phone": "1" * 40})
    assert response.status_code == 422
    assert {d["field"] for d in details(response)} == {"resident_name", "content", "resident_phone"}
    _, office = token_for("office")
    nowhere = client.post(f"{API}/petitions", headers=office, json={"resident_name": "张", "content": "积水"})
    assert nowhere.status_code == 422 and "工作室" in nowhere.get_json()["error"]["message"]
    assert client.post(f"{API}/petitions", headers=studio, data="[").status_code == 400


@pytest.mark.parametrize("role", ["auditor", "delegate", "unit", "teller"])
def test_petition_writes_refused(client, token_for, duties, role):
    headers = duties.delegate if role == "delegate" else token_for(role)[1]
    assert client.post(f"{API}/petitions", headers=headers,
                       json={"resident_name": "张", "content": "积水"}).status_code == 403
    assert client.post(f"{API}/petitions/{duties.petition_a.id}/move", headers=headers,
                       json={"target": "received", "receiver": "李"}).status_code == 403


def test_petition_steps_with_blockers(client, duties, studio):
    url = f"{API}/petitions/{duties.petition_a.id}/move"
    blocked = client.post(url, headers=studio, json={"target": "received"})
    assert blocked.status_code == 422 and error_code(blocked) == "petition_blocked"
    assert blocked.get_json()["error"]["details"] and all(d["code"] and d["message"] for d in details(blocked))
    skip = client.post(url, headers=studio, json={"target": "archived"})
    assert skip.status_code == 422 and "下一步应为“接待”" in details(skip)[0]["message"]
    moved = client.post(url, headers=studio, json={"target": "received", "receiver": "李接待"})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["state"] == "received" and moved.get_json()["receiver"] == "李接待"
    assert moved.get_json()["next_steps"] == ["processing"]
    bad = client.post(url, headers=studio, json={"target": "processing", "handler": "x" * 129, "grade": "ok"})
    assert bad.status_code == 422 and {d["field"] for d in details(bad)} == {"handler", "grade"}
    same_as_missing(client, studio, f"{API}/petitions/{duties.petition_b.id}/move", f"{API}/petitions/987654/move",
                    method="POST", json={"target": "received", "receiver": "李"})


# ---------------------------------------------------------------------------------------------- proposals
def test_proposals_scoped(client, token_for, duties, studio):
    mine = client.get(f"{API}/proposals", headers=duties.delegate).get_json()
    assert [p["id"] for p in mine["items"]] == [duties.proposal_a.id]
    assert [p["id"] for p in client.get(f"{API}/proposals", headers=studio).get_json()["items"]] == \
        [duties.proposal_a.id]
    _, office = token_for("office")
    both = client.get(f"{API}/proposals?year={DAY.year}&kind=proposal&per_page=100", headers=office).get_json()
    assert {duties.proposal_a.id, duties.proposal_b.id} <= {p["id"] for p in both["items"]}
    assert client.get(f"{API}/proposals?kind=motion&delegate_id={duties.b1.id}", headers=office) \
        .get_json()["items"] == []
    assert client.get(f"{API}/proposals?kind=bill", headers=office).status_code == 422


def test_proposal_detail_own_or_404(client, token_for, duties, studio):
    body = client.get(f"{API}/proposals/{duties.proposal_a.id}", headers=duties.delegate).get_json()
    assert body["lead_name"] == "甲一代表" and body["cosigners"] == [] and body["assessment"] is None
    same_as_missing(client, duties.delegate, f"{API}/proposals/{duties.proposal_b.id}", f"{API}/proposals/987654")
    same_as_missing(client, studio, f"{API}/proposals/{duties.proposal_b.id}", f"{API}/proposals/987654")
    _, auditor = token_for("auditor")
    assert client.get(f"{API}/proposals/{duties.proposal_b.id}", headers=auditor).status_code == 200


@pytest.mark.parametrize("role", NOT_DUTY)
def test_proposals_refused(client, token_for, duties, role):
    _, headers = token_for(role)
    assert client.get(f"{API}/proposals", headers=headers).status_code == 403
    assert client.get(f"{API}/proposals/{duties.proposal_a.id}", headers=headers).status_code == 403
    assert client.post(f"{API}/proposals", headers=headers, json={}).status_code == 403


def test_delegate_creates_proposal_with_cosigners_and_points_pending(client, session, duties):
    response = client.post(f"{API}/proposals", headers=duties.delegate,
                           json={"title": "关于增设路灯的提案", "grounds": "夜间照明不足", "solution": "增设路灯",
                                 "submitted_on": DAY.isoformat(), "cosigner_ids": [duties.b1.id]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["lead_delegate_id"] == duties.a1.id and body["cosigners"] == [{"delegate_id": duties.b1.id,
                                                                              "name": "乙一代表"}]
    records = session.scalars(select(ActivityRecord).where(ActivityRecord.proposal_id == body["id"])).all()
    assert {(r.delegate_id, r.role, r.status) for r in records} == {(duties.a1.id, "lead", "pending"),
                                                                   (duties.b1.id, "co_signer", "pending")}
    # a delegate leads only his or her own proposals
    other = client.post(f"{API}/proposals", headers=duties.delegate,
                        json={"lead_delegate_id": duties.b1.id, "title": "x", "grounds": "x", "solution": "x",
                              "submitted_on": DAY.isoformat()})
    assert other.status_code == 422 and details(other)[0]["field"] == "lead_delegate_id"


def test_create_proposal_validation(client, duties, studio):
    base = {"lead_delegate_id": duties.a2.id, "title": "案由", "grounds": "案据", "solution": "方案",
            "submitted_on": DAY.isoformat()}
    for change, field in (({"title": " "}, "title"), ({"submitted_on": "2026/3/3"}, "submitted_on"),
                          ({"cosigner_ids": ["a"]}, "cosigner_ids[0]"), ({"kind": "bill"}, "kind")):
        response = client.post(f"{API}/proposals", headers=studio, json={**base, **change})
        assert response.status_code == 422 and field in {d["field"] for d in details(response)}, change
    itself = client.post(f"{API}/proposals", headers=studio, json={**base, "cosigner_ids": [duties.a2.id]})
    assert itself.status_code == 422 and "领衔代表不能同时作为联署代表" in itself.get_json()["error"]["message"]
    ghost = client.post(f"{API}/proposals", headers=studio, json={**base, "cosigner_ids": [987654]})
    assert ghost.status_code == 422 and "不存在" in ghost.get_json()["error"]["message"]
    staff = client.post(f"{API}/proposals", headers=studio, json=base)
    assert staff.status_code == 201 and staff.get_json()["kind"] == "proposal"


def test_openapi_lists_the_duty_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/duties/delegates", "/duties/activities", "/duties/activities/{activity_id}/verify",
                 "/duties/rankings", "/duties/rankings/me", "/duties/petitions/{petition_id}/move",
                 "/duties/proposals/{proposal_id}"):
        assert path in paths
    assert paths["/duties/activities"]["post"]["responses"].keys() >= {"201", "400", "401", "403", "422"}
