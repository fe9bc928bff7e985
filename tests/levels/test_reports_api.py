"""Packages up, decisions down over the API: the same use cases as the pages, the same refusals, scope as 404."""
from __future__ import annotations

from election.core.clock import today_local


def test_submit_review_approve_over_the_api(client, session, levels_world, token_for):
    w = levels_world
    _, district = token_for("office", organisation_id=w.confirm.organisation_id)
    _, upper = token_for("upper", organisation_id=w.city.id)
    _, stranger = token_for("upper", organisation_id=w.other_city.id)
    session.commit()
    base = f"/api/v1/elections/{w.confirm.id}/upward-reports"
    wrong = client.post(base, json={"kind": "consent"}, headers=district)
    assert wrong.status_code == 422 and "确定初步人选" in wrong.get_json()["error"]["message"]
    r = client.post(base, json={"kind": "approval", "cover_note": "请审查", "doc_number": "区委组〔2026〕7号"},
                    headers=district)
    assert r.status_code == 201, r.get_json()
    report = r.get_json()
    assert report["status"] == "submitted" and report["attempt"] == 1 and report["unit_doc_number"] == "区委组〔2026〕7号"
    assert client.post(base, json={"kind": "approval"}, headers=district).status_code == 409
    assert [x["id"] for x in client.get(base, headers=district).get_json()] == [report["id"]]

    rid = report["id"]
    assert client.get(f"/api/v1/upward-reports/{rid}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/upward-reports/{rid}/review", json={}, headers=stranger).status_code == 404
    assert client.post(f"/api/v1/upward-reports/{rid}/review", json={}, headers=district).status_code == 403
    queue = client.get(f"/api/v1/congresses/{w.congress.id}/upward-reports", headers=upper).get_json()
    assert [row["report"]["id"] for row in queue] == [rid] and queue[0]["waited"] == 0
    assert client.get(f"/api/v1/congresses/{w.congress.id}/upward-reports", headers=stranger).status_code == 404
    today = today_local().isoformat()
    early = client.post(f"/api/v1/upward-reports/{rid}/approve", json={"decided_on": today, "doc_number": "10号"},
                        headers=upper)
    assert early.status_code == 422 and "初步审查" in early.get_json()["error"]["message"]
    assert client.post(f"/api/v1/upward-reports/{rid}/review", json={"note": "符合"}, headers=upper).status_code == 200
    done = client.post(f"/api/v1/upward-reports/{rid}/approve",
                       json={"decided_on": today, "doc_number": "市委组〔2026〕10号"}, headers=upper)
    assert done.status_code == 200 and done.get_json()["status"] == "approved"
    assert done.get_json()["decided_on"] == today
    assert client.get(f"/api/v1/upward-reports/{rid}", headers=district).get_json()["doc_number"] == "市委组〔2026〕10号"


def test_return_per_person_over_the_api(client, session, levels_world, token_for):
    w = levels_world
    _, district = token_for("office", organisation_id=w.preliminary.organisation_id)
    _, upper = token_for("upper", organisation_id=w.city.id)
    session.commit()
    report = client.post(f"/api/v1/elections/{w.preliminary.id}/upward-reports", json={"kind": "consent"},
                         headers=district).get_json()
    key = report["people"][0]["key"]
    twice = client.post(f"/api/v1/upward-reports/{report['id']}/return",
                        json={"people": [{"key": key, "reason": "a"}, {"key": key, "reason": "b"}]}, headers=upper)
    assert twice.status_code == 422
    r = client.post(f"/api/v1/upward-reports/{report['id']}/return",
                    json={"people": [{"key": key, "reason": "超龄"}]}, headers=upper)
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "returned" and {(i["name"], i["decision"]) for i in body["items"]} == {
        ("王芳", "returned"), ("李娜", "approved"), ("张伟", "approved")}
    again = client.post(f"/api/v1/elections/{w.preliminary.id}/upward-reports", json={"kind": "consent"},
                        headers=district)
    assert again.status_code == 201 and again.get_json()["attempt"] == 2
