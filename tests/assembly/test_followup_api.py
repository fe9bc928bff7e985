"""Resolutions, follow-ups, 列席 and 询问/质询 over the API: the same use cases as the pages, Chinese refusals naming
the field, another district's 404, a delegate's own inquiry."""
from __future__ import annotations

from datetime import date, timedelta

from election.api import credentials as api_tokens
from election.core.clock import utcnow
from election.duties.models import OfficeRuleAssignment
from tests.assembly.test_followup import OPENS, _open


def _headers(session, user):
    return {"Authorization": "Bearer " + api_tokens.create_token(session, user, "测试", 30, utcnow()).secret}


def test_resolutions_and_follow_ups(client, session, assembly_world):
    w = assembly_world
    office, other, me = (_headers(session, u) for u in (w.office, w.other_office, w.delegate_user))
    session.commit()
    base = f"/api/v1/assembly/sessions/{w.session.id}"
    body = {"title": "关于区委工作报告的决议", "text": "会议同意。", "adopted_on": OPENS.isoformat()}
    r = client.post(base + "/resolutions", json=body, headers=office)
    assert r.status_code == 422 and "开幕后" in r.get_json()["error"]["message"]
    _open(session, w)
    r = client.post(base + "/resolutions", json={**body, "adopted_on": "2026-13-01"}, headers=office)
    assert r.status_code == 422 and r.get_json()["error"]["details"][0]["field"] == "adopted_on"
    r = client.post(base + "/resolutions", json=body, headers=office)
    assert r.status_code == 201, r.get_json()
    rid = r.get_json()["id"]
    r = client.post(f"/api/v1/assembly/resolutions/{rid}/implementation",
                    json={"implementation": "已落实", "reported_on": OPENS.isoformat()}, headers=office)
    assert r.status_code == 200 and r.get_json()["implementation_reported_on"] == OPENS.isoformat()
    assert client.put(f"/api/v1/assembly/resolutions/{rid}", json=body, headers=other).status_code == 404
    r = client.post(base + "/followups", json={"source": "resolution", "problem": "落实不到位", "owner": "区委办",
                                               "due_on": (OPENS + timedelta(days=5)).isoformat(),
                                               "resolution_id": rid}, headers=office)
    assert r.status_code == 201 and r.get_json()["status"] == "open", r.get_json()
    fid = r.get_json()["id"]
    r = client.post(f"/api/v1/assembly/followups/{fid}/progress", json={"status": "done"}, headers=office)
    assert r.status_code == 422 and "整改措施与进展" in r.get_json()["error"]["message"]
    r = client.put(f"/api/v1/assembly/followups/{fid}/owner", json={"owner": "区政府办", "due_on": OPENS.isoformat()},
                   headers=office)
    assert r.status_code == 200 and r.get_json()["owner"] == "区政府办"
    assert [f["id"] for f in client.get("/api/v1/assembly/followups", headers=office).get_json()] == [fid]
    assert client.get("/api/v1/assembly/followups", headers=other).get_json() == []
    assert client.get("/api/v1/assembly/followups", headers=me).status_code == 403
    assert [x["id"] for x in client.get(base + "/resolutions", headers=me).get_json()] == [rid]
    assert client.get(base + "/followups", headers=other).status_code == 404


def test_sit_ins_and_inquiries(client, session, assembly_world):
    w = assembly_world
    session.add(OfficeRuleAssignment(level="区", ruleset_code="fengxian"))
    office, other, me = (_headers(session, u) for u in (w.office, w.other_office, w.delegate_user))
    session.commit()
    r = client.post("/api/v1/assembly/sitins", json={"congress": w.congress, "kind": "standing", "title": "区委常委会",
                                                     "held_on": "2026-11-20"}, headers=office)
    assert r.status_code == 201, r.get_json()
    sid = r.get_json()["id"]
    r = client.post(f"/api/v1/assembly/sitins/{sid}/invitees", json={"delegate_ids": [w.vacated.id]}, headers=office)
    assert r.status_code == 422 and "在任代表" in r.get_json()["error"]["message"]
    r = client.post(f"/api/v1/assembly/sitins/{sid}/invitees", json={"delegate_ids": [w.delegates[0].id]},
                    headers=office)
    assert r.status_code == 200 and [i["name"] for i in r.get_json()["invitees"]] == ["王芳"]
    r = client.post(f"/api/v1/assembly/sitins/{sid}/attendance", json={"delegate_id": w.delegates[0].id,
                                                                       "attended": True}, headers=office)
    assert r.status_code == 200 and r.get_json()["invitees"][0]["activity_id"] is not None
    assert client.get(f"/api/v1/assembly/sitins/{sid}", headers=other).status_code == 404
    assert [m["id"] for m in client.get("/api/v1/assembly/sitins", headers=me).get_json()] == [sid]
    r = client.post("/api/v1/assembly/inquiries", json={"kind": "inquiry", "department": "区教育局", "subject": "校车",
                                                        "content": "内容", "submitted_on": "2026-11-01"}, headers=me)
    assert r.status_code == 201, r.get_json()
    one = r.get_json()
    assert one["delegate_id"] == w.delegates[0].id and one["due_on"] == (date(2026, 11, 1) + timedelta(days=15)).isoformat()
    r = client.post(f"/api/v1/assembly/inquiries/{one['id']}/reply", json={"reply": "已答复", "replied_on": "2026-11-05"},
                    headers=me)
    assert r.status_code == 403
    r = client.post(f"/api/v1/assembly/inquiries/{one['id']}/reply", json={"reply": "已答复", "replied_on": "2026-11-05"},
                    headers=office)
    assert r.status_code == 200 and r.get_json()["replied_on"] == "2026-11-05" and r.get_json()["overdue"] is False
    assert client.get(f"/api/v1/assembly/inquiries/{one['id']}", headers=other).status_code == 404
