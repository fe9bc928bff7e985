"""One nominee at a time over the API (election.nominations.api_nominee): add, correct, delete — the unit page's
use cases, with their field errors, their deadline and lock, one audit entry each, and another unit's person out of
reach (404, as a missing one)."""
from __future__ import annotations

from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.clock import utcnow
from election.nominations.models import Nominee
from tests.api.test_api import error_code, person, unit_token


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_add_correct_and_delete_one_person(client, session, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    added = client.post(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json=person(1))
    assert added.status_code == 201, added.get_json()
    body = added.get_json()
    assert body["name"] == person(1)["name"] and body["election_unit_id"] == eu.id and "*" in body["id_number"]
    second = client.post(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json=person(2)).get_json()
    assert second["position"] == body["position"] + 1
    fixed = client.put(f"/api/v1/nominees/{body['id']}", headers=headers,
                       json=person(1, workplace_title="某街道党工委书记"))
    assert fixed.status_code == 200, fixed.get_json()
    assert fixed.get_json()["workplace_title"] == "某街道党工委书记" and fixed.get_json()["position"] == body["position"]
    assert client.delete(f"/api/v1/nominees/{second['id']}", headers=headers).status_code == 204
    assert session.scalar(select(Nominee.name).where(Nominee.election_unit_id == eu.id)) == person(1)["name"]
    assert session.get(Nominee, second["id"]) is None
    assert (audits(session, "nominations.add"), audits(session, "nominations.update"),
            audits(session, "nominations.delete")) == (2, 1, 1)


def test_field_errors_name_the_field_and_nothing_is_saved(client, session, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    bad = client.post(f"/api/v1/election-units/{eu.id}/nominees", headers=headers,
                      json=person(1, id_number="110105197503010000", category=""))
    assert bad.status_code == 422 and error_code(bad) == "validation_failed"
    fields = {d["field"]: d for d in bad.get_json()["error"]["details"]}
    assert {"id_number", "category"} <= set(fields)
    assert fields["id_number"]["column"] == "身份证号" and fields["id_number"]["message"]
    assert session.scalar(select(func.count()).select_from(Nominee)) == 0 and audits(session, "nominations.add") == 0
    # the same person twice in the unit: the upload's duplicate check, on one person
    assert client.post(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json=person(1)).status_code == 201
    twice = client.post(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json=person(1))
    assert twice.status_code == 422 and any(d["field"] == "id_number" for d in twice.get_json()["error"]["details"])


def test_after_submitting_the_list_is_locked(client, session, token_for, make_election):
    election = make_election()
    eu, headers = unit_token(token_for, election)
    one = client.post(f"/api/v1/election-units/{eu.id}/nominees", headers=headers, json=person(1)).get_json()
    session.expire_all()
    eu.status, eu.submitted_at = "submitted", utcnow()
    session.commit()
    refused = client.put(f"/api/v1/nominees/{one['id']}", headers=headers, json=person(1, remark="改"))
    assert refused.status_code in (409, 422) and not refused.get_json()["error"]["message"].isascii()
    assert client.delete(f"/api/v1/nominees/{one['id']}", headers=headers).status_code in (409, 422)
    assert session.get(Nominee, one["id"]).remark == ""


def test_another_units_person_is_not_found_and_other_roles_refused(client, session, token_for, make_election):
    election = make_election(units=2)
    eu_a, headers_a = unit_token(token_for, election, 0)
    _, headers_b = unit_token(token_for, election, 1)
    one = client.post(f"/api/v1/election-units/{eu_a.id}/nominees", headers=headers_a, json=person(1)).get_json()
    assert client.put(f"/api/v1/nominees/{one['id']}", headers=headers_b, json=person(3)).status_code == 404
    assert client.delete(f"/api/v1/nominees/{one['id']}", headers=headers_b).status_code == 404
    assert client.post(f"/api/v1/election-units/{eu_a.id}/nominees", headers=headers_b,
                       json=person(3)).status_code == 404
    assert client.delete("/api/v1/nominees/987654", headers=headers_a).status_code == 404
    for role in ("office", "admin", "inspector", "auditor"):
        _, headers = token_for(role)
        assert client.delete(f"/api/v1/nominees/{one['id']}", headers=headers).status_code == 403, role
    assert session.get(Nominee, one["id"]) is not None
