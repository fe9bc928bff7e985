"""The session over /api/v1 (docs/rules.md §7): create (409 on a taken number, 422 naming the problems), agenda,
notice, open; the bulk sign-in all or nothing with a per-item error for each id not on this session's roll; held
refused below quorum; groups and minutes; roles and another district refused."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from election.api import credentials as api_tokens
from election.assembly.models import Attendance
from election.audit.models import AuditEntry
from election.core.clock import today_local, utcnow


def _h(session, user) -> dict:
    h = {"Authorization": "Bearer " + api_tokens.create_token(session, user, "测试", 30, utcnow()).secret}
    session.commit()
    return h


def _ready(session, w):
    w.session.opens_on, w.session.closes_on = today_local(), today_local() + timedelta(days=1)
    session.commit()


def test_create_and_refuse_a_taken_number(client, session, assembly_world):
    w = assembly_world
    h = _h(session, w.office)
    body = {"congress": w.congress, "meeting_no": 6, "opens_on": "2027-12-01", "closes_on": "2027-12-02",
            "place": "区委礼堂", "quorum_preset": "yintai"}
    r = client.post("/api/v1/assembly/sessions", json=body, headers=h)
    assert r.status_code == 201, r.get_json()
    got = r.get_json()
    assert got["organisation_id"] == w.district.id and got["quorum"]["settled"] is False
    assert got["notice_due"] == "2027-11-24" and got["status_label"] == "筹备中"
    again = client.post("/api/v1/assembly/sessions", json=body, headers=h)
    assert again.status_code == 409 and "第6次会议已经登记" in again.get_json()["error"]["message"]
    bad = client.post("/api/v1/assembly/sessions", json={**body, "meeting_no": 7, "closes_on": "2027-11-01",
                                                          "congress": "无此党代会"}, headers=h)
    details = [d["message"] for d in bad.get_json()["error"]["details"]]
    assert bad.status_code == 422 and any("代表名册中没有" in d for d in details) and any("闭幕日期" in d for d in details)
    assert client.post("/api/v1/assembly/sessions", json=body, headers=_h(session, w.teller)).status_code == 403


def test_walk_with_bulk_sign_in_all_or_nothing(client, session, assembly_world):
    w = assembly_world
    _ready(session, w)
    h = _h(session, w.office)
    base = f"/api/v1/assembly/sessions/{w.session.id}"
    assert client.post(f"{base}/notice", headers=h).status_code == 422  # no agenda yet
    r = client.post(f"{base}/agenda", json={"kind": "followup"}, headers=h)
    assert r.status_code == 201 and r.get_json()["agenda"][0]["title"] == "上次会议决议落实和整改情况"
    told = client.post(f"{base}/notice", headers=h).get_json()
    assert told["notified"] == 1 and told["session"]["status"] == "notified"
    assert client.post(f"{base}/open", headers=h).get_json()["status"] == "open"
    ids = [d.id for d in w.delegates]
    r = client.post(f"{base}/attendance/sign-in", json={"delegate_ids": [ids[0], w.vacated.id, ids[1], 987654]},
                    headers=h)
    err = r.get_json()["error"]
    assert r.status_code == 422
    assert [d["message"][:3] for d in err["details"]] == ["第2项", "第4项"]
    assert "钱进资格已终止" in err["details"][0]["message"]
    assert session.scalar(select(func.count()).select_from(Attendance)) == 0  # nothing signed in
    r = client.post(f"{base}/attendance/sign-in", json={"delegate_ids": ids[:9]}, headers=h)
    roll = r.get_json()
    assert (roll["roll"], roll["present"], roll["needed"], roll["short"], roll["met"]) == (12, 9, 10, 1, False)
    assert {a["name"]: a["status"] for a in roll["apart"]} == {"钱进": "terminated", "郑安": "suspended"}
    held = client.post(f"{base}/hold", headers=h)
    assert held.status_code == 422 and "还差1人" in held.get_json()["error"]["message"]
    client.post(f"{base}/attendance/leave", json={"delegate_id": ids[11], "reason": "出差"}, headers=h)
    client.post(f"{base}/attendance/sign-in", json={"delegate_ids": [ids[9]]}, headers=h)
    held = client.post(f"{base}/hold", headers=h).get_json()
    assert (held["status"], held["roll_count"], held["present_count"]) == ("held", 12, 10)
    late = client.post(f"{base}/attendance/undo", json={"delegate_id": ids[0]}, headers=h)
    assert late.status_code == 409
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "assembly.session.hold")) == 1


def test_self_sign_in_over_the_api(client, session, assembly_world):
    w = assembly_world
    _ready(session, w)
    w.session.status, w.session.self_sign_in = "open", True
    session.commit()
    h = _h(session, w.delegate_user)
    url = f"/api/v1/assembly/sessions/{w.session.id}/sign-in"
    assert client.post(url, headers=h).get_json() == {"session_id": w.session.id, "attendance": "present"}
    assert client.post(url, headers=h).status_code == 409
    assert client.get(f"/api/v1/assembly/sessions/{w.session.id}/attendance", headers=h).status_code == 403


def test_groups_over_the_api(client, session, assembly_world):
    w = assembly_world
    h = _h(session, w.office)
    base = f"/api/v1/assembly/sessions/{w.session.id}/groups"
    groups = client.post(f"{base}/generate", json=None, headers=h).get_json()
    assert [len(g["members"]) for g in groups] == [4, 4, 4]
    assert client.post(f"{base}/generate", headers=h).status_code == 409
    first, second = groups[0]["id"], groups[1]["id"]
    mover = groups[0]["members"][0]["delegate_id"]
    r = client.post(f"{base}/{second}/members", json={"delegate_id": mover}, headers=h)
    assert [len(g["members"]) for g in r.get_json()] == [3, 5, 4]
    assert client.post(f"{base}/{second}/members", json={"delegate_id": mover}, headers=h).status_code == 409
    r = client.post(f"{base}/{first}/convener", json={"delegate_id": mover}, headers=h)
    assert r.status_code == 422 and "本组成员" in r.get_json()["error"]["message"]
    r = client.put(f"{base}/{second}/minutes", json={"minutes": "一致同意。"}, headers=h)
    assert r.get_json()[1]["minutes"] == "一致同意。" and r.get_json()[1]["minutes_by_id"] == w.office.id
    assert client.post(f"{base}", json={"name": groups[0]["name"]}, headers=h).status_code == 409


def test_another_district_gets_404(client, session, assembly_world):
    w = assembly_world
    h = _h(session, w.other_office)
    base = f"/api/v1/assembly/sessions/{w.session.id}"
    assert client.get(base, headers=h).status_code == 404
    assert client.post(f"{base}/attendance/sign-in", json={"delegate_ids": [w.delegates[0].id]},
                       headers=h).status_code == 404
    listed = client.get("/api/v1/assembly/sessions", headers=h).get_json()
    assert w.session.id not in [s["id"] for s in listed]
