"""The 考察对象 and 初步人选 lists and the 考察组 assignment over the API: the page's use cases, all or nothing,
each refused person named; the effect and the audit entries; refused roles (403), a bad body (422 naming the
field), and people of another election refused (nothing written)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.vetting import services as svc
from election.vetting.models import InspectorAssignment
from tests.api.test_api import error_code
from tests.vetting.test_services import NAMES, NOW, _complete, build_world


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def steps(session, w) -> dict[str, str]:
    session.expire_all()
    return {name: n.step for name, n in w.people.items()}


@pytest.fixture
def world(session, make_election, make_user):
    return build_world(session, make_election, make_user)


@pytest.fixture
def other(session, make_election, make_user):
    return build_world(session, make_election, make_user, names=["赵六", "钱七"])


def ids(w, names) -> list[int]:
    return [w.people[n].id for n in names]


def test_shortlist_put_saves_the_whole_list_with_one_audit(client, session, token_for, world):
    _, office = token_for("office")
    url = f"/api/v1/elections/{world.election.id}/shortlist"
    r = client.put(url, headers=office, json={"nominee_ids": ids(world, NAMES[:5])})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"election_id": world.election.id, "step": "shortlisted", "count": 5,
                            "nominee_ids": sorted(ids(world, NAMES[:5]))}
    assert [n for n, s in steps(session, world).items() if s == "shortlisted"] == NAMES[:5]
    assert audits(session, "vetting.shortlist") == 1
    again = client.put(url, headers=office, json={"nominee_ids": ids(world, NAMES[:4])})
    assert again.get_json()["count"] == 4 and steps(session, world)[NAMES[4]] == "nominated"


def test_shortlist_is_all_or_nothing_naming_each_person(client, session, token_for, world, other):
    world.units[1].status, world.units[1].submitted_at = "draft", None
    session.commit()
    _, office = token_for("office")
    wanted = ids(world, ["丁一", "王芳"]) + ids(other, ["赵六"])  # 王芳: unit 1, not submitted; 赵六: another election
    r = client.put(f"/api/v1/elections/{world.election.id}/shortlist", headers=office, json={"nominee_ids": wanted})
    assert r.status_code == 422 and error_code(r) == "rule_violation"
    messages = [d["message"] for d in r.get_json()["error"]["details"]]
    assert any("王芳" in m and "尚未提交" in m for m in messages)
    assert any(f"编号{other.people['赵六'].id}" in m for m in messages)
    assert set(steps(session, world).values()) == {"nominated"} and audits(session, "vetting.shortlist") == 0
    assert other.people["赵六"].step == "nominated"


@pytest.mark.parametrize("role", ["inspector", "discipline", "auditor", "unit", "delegate"])
def test_selection_refuses_other_roles(client, session, token_for, world, role):
    _, headers = token_for(role)
    for step in ("shortlist", "preliminary"):
        r = client.put(f"/api/v1/elections/{world.election.id}/{step}", headers=headers,
                       json={"nominee_ids": ids(world, NAMES[:2])})
        assert r.status_code == 403 and error_code(r) == "forbidden" and "角色" in r.get_json()["error"]["message"]
    r = client.post(f"/api/v1/elections/{world.election.id}/inspector-assignments", headers=headers,
                    json={"user_id": 1, "nominee_ids": ids(world, NAMES[:1])})
    assert r.status_code == 403
    assert audits(session, "vetting.shortlist") == 0


@pytest.mark.parametrize("body, field", [({}, "nominee_ids"), ({"nominee_ids": "1,2"}, "nominee_ids"),
                                         ({"nominee_ids": [1, "x"]}, "nominee_ids[1]"),
                                         ({"nominee_ids": [], "extra": 1}, "extra")])
def test_selection_bad_body_names_the_field(client, token_for, world, body, field):
    _, office = token_for("office")
    r = client.put(f"/api/v1/elections/{world.election.id}/shortlist", headers=office, json=body)
    assert r.status_code == 422 and error_code(r) == "validation_failed"
    assert field in {d["field"] for d in r.get_json()["error"]["details"]}


def test_preliminary_from_passed_people_only(client, session, token_for, world, make_user):
    svc.select_shortlist(session, world.office, world.election.id, ids(world, NAMES), NOW)
    world.election.stage = "vet"
    session.commit()
    for name in NAMES[:4]:
        _complete(session, world, name, make_user)
    world.election.stage = "preliminary"
    session.commit()
    _, office = token_for("office")
    url = f"/api/v1/elections/{world.election.id}/preliminary"
    refused = client.put(url, headers=office, json={"nominee_ids": ids(world, NAMES[:5])})
    assert refused.status_code == 422 and NAMES[4] in refused.get_json()["error"]["message"]
    assert "preliminary" not in steps(session, world).values()
    r = client.put(url, headers=office, json={"nominee_ids": ids(world, NAMES[:3])})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["step"] == "preliminary" and r.get_json()["count"] == 3
    assert [n for n, s in steps(session, world).items() if s == "preliminary"] == NAMES[:3]
    assert audits(session, "vetting.preliminary") == 1


@pytest.fixture
def vetting(session, world):
    svc.select_shortlist(session, world.office, world.election.id, ids(world, NAMES[:5]), NOW)
    world.election.stage = "vet"
    session.commit()
    return world


def assignments(session) -> set[tuple[int, int]]:
    return set(session.execute(select(InspectorAssignment.nominee_id, InspectorAssignment.user_id)).all())


def test_assign_inspector_to_a_list_and_take_it_back(client, session, token_for, vetting, make_user):
    inspector = make_user("inspector")
    _, office = token_for("office")
    url = f"/api/v1/elections/{vetting.election.id}/inspector-assignments"
    one = client.post(url, headers=office, json={"user_id": inspector.id, "nominee_ids": ids(vetting, ["丁一"])})
    assert one.status_code == 200, one.get_json()
    assert one.get_json() == {"election_id": vetting.election.id, "user_id": inspector.id, "removed": False,
                              "count": 1, "nominee_ids": ids(vetting, ["丁一"])}
    assert assignments(session) == {(vetting.people["丁一"].id, inspector.id)}
    assert audits(session, "vetting.assign") == 1
    two = client.post(url, headers=office, json={"user_id": inspector.id, "nominee_ids": ids(vetting, NAMES[:2])})
    assert two.status_code == 200 and two.get_json()["count"] == 2 and audits(session, "vetting.assign") == 3
    back = client.post(url, headers=office, json={"user_id": inspector.id, "nominee_ids": ids(vetting, ["丁一"]),
                                                  "remove": True})
    assert back.status_code == 200 and back.get_json()["removed"] is True
    assert (vetting.people["丁一"].id, inspector.id) not in assignments(session)


def test_assign_is_all_or_nothing_naming_each_person(client, session, token_for, vetting, other, make_user):
    inspector = make_user("inspector")
    _, office = token_for("office")
    wanted = ids(vetting, ["马力", NAMES[6]]) + ids(other, ["钱七"])  # NAMES[6] not a 考察对象; 钱七 elsewhere
    r = client.post(f"/api/v1/elections/{vetting.election.id}/inspector-assignments", headers=office,
                    json={"user_id": inspector.id, "nominee_ids": wanted})
    assert r.status_code == 422 and error_code(r) == "rule_violation"
    messages = [d["message"] for d in r.get_json()["error"]["details"]]
    assert any(NAMES[6] in m and "不是考察对象" in m for m in messages)
    assert any(f"编号{other.people['钱七'].id}" in m for m in messages)
    assert assignments(session) == set() and audits(session, "vetting.assign") == 0


@pytest.mark.parametrize("body, field", [({"nominee_ids": [1]}, "user_id"), ({"user_id": 1, "nominee_ids": []},
                                                                                "nominee_ids"),
                                         ({"user_id": "7", "nominee_ids": [1]}, "user_id"),
                                         ({"user_id": 7, "nominee_ids": [1], "remove": "yes"}, "remove")])
def test_assign_bad_body_names_the_field(client, token_for, vetting, body, field):
    _, office = token_for("office")
    r = client.post(f"/api/v1/elections/{vetting.election.id}/inspector-assignments", headers=office, json=body)
    assert r.status_code == 422 and field in {d["field"] for d in r.get_json()["error"]["details"]}
