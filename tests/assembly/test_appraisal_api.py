"""民主测评 over the API (docs/rules.md §7): set up, open, two tellers' entries with a difference, corrected,
confirmed, published; a delegate reads it only once published; another district's staff get 404."""
from __future__ import annotations

from election.api import credentials as api_tokens
from election.core.clock import utcnow
from tests.assembly.test_appraisal_services import _status


def _headers(session, user):
    return {"Authorization": "Bearer " + api_tokens.create_token(session, user, "测试", 30, utcnow()).secret}


def test_the_count_over_the_api(client, session, assembly_world, token_for):
    w = assembly_world
    office, t1, t2, me = (_headers(session, u) for u in (w.office, w.teller, w.teller2, w.delegate_user))
    session.commit()
    base = f"/api/v1/assembly/sessions/{w.session.id}/appraisals"
    r = client.post(base, json={"kind": "confidence", "objects": [{"name": "张伟", "post": "区委书记"}, {"name": "李娜"}]},
                    headers=office)
    assert r.status_code == 201, r.get_json()
    a = r.get_json()
    assert a["grades"] == ["信任", "不信任", "弃权"] and a["objects"][0]["kind"] == "person" and a["status"] == "draft"
    one = f"/api/v1/assembly/appraisals/{a['id']}"
    r = client.put(one, json={"kind": "confidence", "settings": {"pass_share": "2/3"},
                              "objects": [{"name": "张伟", "post": "区委书记"}]}, headers=office)
    assert r.status_code == 200 and r.get_json()["settings"]["pass_share"] == "2/3"
    oid = r.get_json()["objects"][0]["id"]
    _status(session, w, "open")
    r = client.post(one + "/open", json={"ballots_issued": 12, "ballots_collected": 13}, headers=office)
    assert r.status_code == 422 and "应重新进行" in r.get_json()["error"]["message"]
    assert client.post(one + "/open", json={"ballots_issued": 12, "ballots_collected": 12}, headers=office).status_code == 200
    r = client.put(one + "/entries/1", json={"invalid": 0, "objects": [{"object_id": oid, "votes": [8, 4]}]}, headers=t1)
    assert r.status_code == 422 and r.get_json()["error"]["details"][0]["field"] == "objects[0].votes"
    r = client.put(one + "/entries/1", json={"invalid": 0, "objects": [{"object_id": oid, "votes": [8, 4, 0]}]},
                   headers=t1)
    assert r.status_code == 200 and [e["entry_no"] for e in r.get_json()["entries"]] == [1]
    r = client.put(one + "/entries/2", json={"invalid": 0, "objects": [{"object_id": oid, "votes": [8, 4, 0]}]},
                   headers=t1)
    assert r.status_code == 422 and "两位计票人员" in r.get_json()["error"]["message"]
    assert client.put(one + "/entries/2", json={"invalid": 0, "objects": [{"object_id": oid, "votes": [7, 5, 0]}]},
                      headers=t2).status_code == 200
    cmp = client.get(one + "/comparison", headers=t2).get_json()
    assert cmp["complete"] and not cmp["agree"] and len(cmp["differences"]) == 2
    assert cmp["differences"][0] == {"object": "张伟", "grade": "信任", "first": 8, "second": 7}
    assert client.post(one + "/confirm", headers=t2).status_code == 422
    client.put(one + "/entries/2", json={"invalid": 0, "objects": [{"object_id": oid, "votes": [8, 4, 0]}]}, headers=t2)
    assert client.post(one + "/publish", headers=office).status_code == 422
    assert client.get(one, headers=me).status_code == 404
    r = client.post(one + "/confirm", headers=t2)
    assert r.status_code == 200 and r.get_json()["status"] == "confirmed"
    # 8 of 12 is exactly two thirds: not over the pass share
    assert r.get_json()["results"][0]["verdict"] == "未获得信任"
    assert client.post(one + "/publish", headers=office).status_code == 200
    seen = client.get(one, headers=me).get_json()
    assert seen["results"][0]["votes"] == [8, 4, 0] and seen["entries"] == []
    assert [x["id"] for x in client.get(base, headers=me).get_json()] == [a["id"]]
    _, other = token_for("office", organisation_id=w.other_district.id)
    assert client.get(one, headers=other).status_code == 404
    assert client.post(one + "/publish", headers=other).status_code == 404
    assert client.post(one + "/confirm", headers=me).status_code == 403
