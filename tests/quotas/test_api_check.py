"""The structure panel over the API (POST /elections/{id}/quota/check): a proposed list is judged as the selection
pages' live panel judges the ticked boxes — the three questions, nothing written — and a person of another election
is named, not silently ignored."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.nominations.models import Nominee
from tests.api.test_api import error_code
from tests.quotas.test_services import shortlist_election  # noqa: F401  (fixture)


def test_check_a_proposed_list_writes_nothing(client, session, token_for, shortlist_election):  # noqa: F811
    election, people = shortlist_election
    session.commit()
    _, headers = token_for("office")
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    url = f"/api/v1/elections/{election.id}/quota/check"
    response = client.post(url, headers=headers, json={"nominee_ids": [people[0].id, people[2].id]})
    assert response.status_code == 200, response.get_json()
    report = response.get_json()["report"]
    assert report["candidates"] == 2 and {r["code"]: r["actual"] for r in report["rules"]} == {"women": 1, "leaders": 0}
    whole = client.get(f"/api/v1/elections/{election.id}/quota", headers=headers).get_json()["report"]
    assert whole["candidates"] == 4  # the saved list is untouched
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
    assert session.scalar(select(func.count()).select_from(Nominee).where(Nominee.step == "shortlisted")) == 4


def test_check_names_a_person_of_another_election(client, session, token_for, make_election,
                                                  shortlist_election):  # noqa: F811
    election, people = shortlist_election
    other = make_election(stage="shortlist", units=1)
    session.commit()
    stranger = Nominee(election_id=other.id, election_unit_id=other.units[0].id, name="外人", gender="男",
                       ethnicity="汉族", id_number="110105198001010011", birth_date=date(1980, 1, 1), category="工人",
                       step="shortlisted")
    session.add(stranger)
    session.commit()
    _, headers = token_for("office")
    response = client.post(f"/api/v1/elections/{election.id}/quota/check", headers=headers,
                           json={"nominee_ids": [people[0].id, stranger.id]})
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert response.get_json()["error"]["details"] == [
        {"field": "nominee_ids[1]", "message": f"人员（编号{stranger.id}）不在本次选举的推荐人选中"}]


def test_check_roles_and_missing_election(client, token_for, shortlist_election):  # noqa: F811
    election, people = shortlist_election
    for role in ("unit", "delegate", "studio"):
        _, headers = token_for(role)
        refused = client.post(f"/api/v1/elections/{election.id}/quota/check", headers=headers,
                              json={"nominee_ids": [people[0].id]})
        assert refused.status_code in (403, 404), role
    _, headers = token_for("auditor")
    assert client.post(f"/api/v1/elections/{election.id}/quota/check", headers=headers,
                       json={"nominee_ids": [people[0].id]}).status_code == 200
    assert client.post("/api/v1/elections/987654/quota/check", headers=headers,
                       json={"nominee_ids": [1]}).status_code == 404
