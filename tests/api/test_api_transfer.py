"""「转入代表名册」 over the API (election.duties.api_transfer): the preview, the transfer with its one-time passwords
(once), nothing twice, the bulk 工作室/代表小组 assignment; refused roles 403, bad bodies 422 naming the field,
another election's or a missing id 404, nothing written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.directory.models import DelegateOffice
from election.duties.models import TermDelegate
from election.voting.models import Delegate
from tests.api.test_api import error_code
from tests.duties.test_transfer import elected_fixture  # noqa: F401 - the fixture `elected`

REFUSED = ["unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]


def _count(session, model=TermDelegate):
    return session.scalar(select(func.count()).select_from(model))


def _audits(session, action):
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_preview_then_transfer_once(client, session, token_for, elected):
    e = elected()
    _, headers = token_for("office")
    plan = client.get(f"/api/v1/elections/{e.id}/transfer", headers=headers).get_json()
    assert plan["offered"] and plan["congress"] == "区第十三次党代会" and plan["level"] == "区"
    wang = next(p for p in plan["people"] if p["name"] == "王芳")
    assert (wang["native_place"], wang["party_join_date"], wang["term_delegate_id"]) == ("山西太原", "1998-07-01", None)
    r = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers,
                    json={"term_start": "2026-12-01", "logins": [wang["delegate_id"]],
                          "usernames": [{"delegate_id": wang["delegate_id"], "username": "wangfang"}]})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert [a["name"] for a in body["added"]] == ["王芳", "李强", "丁一"]
    assert [s["username"] for s in body["slips"]] == ["wangfang"]
    user = session.scalar(select(User).where(User.username == "wangfang"))
    assert user.check_password(body["slips"][0]["password"]) and user.role == "delegate"
    t = session.get(TermDelegate, body["added"][0]["id"])
    assert t.user_id == user.id and t.term_end.isoformat() == "2031-11-30" and t.native_place == "山西太原"
    read = client.get(f"/api/v1/duties/delegates/{t.id}", headers=headers).get_json()["delegate"]
    assert (read["native_place"], read["party_join_date"], read["source_delegate_id"]) == (
        "山西太原", "1998-07-01", wang["delegate_id"])
    again = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers, json={})
    assert again.status_code == 409 and "已转入代表名册（3名）" in again.get_json()["error"]["message"]
    assert _count(session) == 3 and _audits(session, "duties.delegates.transfer") == 1
    plan = client.get(f"/api/v1/elections/{e.id}/transfer", headers=headers).get_json()
    assert not plan["offered"] and all(p["term_delegate_id"] for p in plan["people"])


@pytest.mark.parametrize("role", REFUSED)
def test_refused_roles(client, session, token_for, elected, role):
    e = elected()
    _, headers = token_for(role)
    for r in (client.get(f"/api/v1/elections/{e.id}/transfer", headers=headers),
              client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers, json={}),
              client.post("/api/v1/duties/delegates/assignment", headers=headers, json={"delegate_ids": [1]})):
        assert r.status_code == 403 and error_code(r) == "forbidden"
    assert _count(session) == 0


def test_bad_bodies_422_and_refused_level(client, session, token_for, elected):
    e = elected()
    _, headers = token_for("office")
    r = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers, json={"years": 0})
    assert r.status_code == 422 and "years" in str(r.get_json()["error"]["details"])
    r = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers, json={"term_start": "2026-13-01"})
    assert r.status_code == 422 and "term_start" in str(r.get_json()["error"]["details"])
    d = session.scalar(select(Delegate.id).where(Delegate.election_id == e.id))
    r = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers,
                    json={"usernames": [{"delegate_id": d, "username": "abc"}, {"delegate_id": d, "username": "abd"}]})
    assert r.status_code == 422 and "usernames[1].delegate_id" in str(r.get_json()["error"]["details"])
    province = elected(title="某区出席省第十三次党代会代表选举")
    r = client.post(f"/api/v1/elections/{province.id}/transfer", headers=headers, json={})
    assert r.status_code == 422 and "省级以上党代会" in r.get_json()["error"]["message"]
    assert _count(session) == 0


def test_other_election_or_missing_id_404(client, session, token_for, elected):
    e, other = elected(), elected(title="区直机关出席区第十四次党代会代表选举")
    _, headers = token_for("admin")
    assert client.get("/api/v1/elections/987654/transfer", headers=headers).status_code == 404
    foreign = session.scalar(select(Delegate.id).where(Delegate.election_id == other.id))
    r = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers, json={"logins": [foreign]})
    assert r.status_code == 404
    r = client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers,
                    json={"offices": [{"delegate_id": foreign, "office_id": 1}]})
    assert r.status_code == 404
    assert _count(session) == 0 and _count(session, User) == 1


def test_bulk_assignment(client, session, token_for, elected):
    e = elected()
    office = DelegateOffice(name="接口分配工作室")
    session.add(office)
    session.flush()
    _, headers = token_for("office")
    ids = [a["id"] for a in client.post(f"/api/v1/elections/{e.id}/transfer", headers=headers,
                                        json={"logins": []}).get_json()["added"]]
    r = client.post("/api/v1/duties/delegates/assignment", headers=headers,
                    json={"delegate_ids": ids, "office_id": office.id, "group_name": "第一代表小组", "leader_id": ids[0]})
    assert r.status_code == 200, r.get_json()
    assert [d["group_role"] for d in r.get_json()["delegates"]] == ["组长", None, None]
    assert all(session.get(TermDelegate, i).office_id == office.id for i in ids)
    assert _audits(session, "duties.delegates.assign") == 1
    r = client.post("/api/v1/duties/delegates/assignment", headers=headers, json={"delegate_ids": [ids[0], 987654],
                                                                              "group_name": "x"})
    assert r.status_code == 404 and session.get(TermDelegate, ids[0]).group_name == "第一代表小组"
    r = client.post("/api/v1/duties/delegates/assignment", headers=headers, json={"delegate_ids": []})
    assert r.status_code == 422 and "delegate_ids" in str(r.get_json()["error"]["details"])
    r = client.post("/api/v1/duties/delegates/assignment", headers=headers,
                    json={"delegate_ids": ids[:1], "group_name": "组", "leader_id": ids[1]})
    assert r.status_code == 422 and "组长" in r.get_json()["error"]["message"]
