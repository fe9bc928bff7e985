"""考察 for many people at once over the API (issue 20): the records, the 纪检 opinions and the conclusions of a
list — the effect, one audit entry per person (seen in that person's history), all or nothing with each refused item
named by position and name, refused roles (403), a 考察组 member only on his people, another election's person, a
repeated or an empty list (422), and the same number of statements for 20 and for 400 people."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from election.audit.models import AuditEntry
from election.audit.queries import audit_page
from election.audit.services import verify_chain
from election.nominations.models import Nominee
from election.vetting import services as svc
from election.vetting.models import Vetting
from tests.api.test_api import error_code
from tests.vetting.test_services import NOW, build_world

COMPLETE = {"file_audit": "passed", "petition_check": "未收到信访举报", "appraisal_count": 30, "interview_count": 12,
            "integrity_received": True}
PLAIN = ["丁一", "于洋", "马力", "李娜", "张伟"]  # not 领导干部: no 个人有关事项报告 needed


def audits(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def vettings(session, w) -> dict[str, Vetting]:
    session.expire_all()
    found = {v.nominee_id: v for v in session.scalars(select(Vetting).where(Vetting.election_id == w.election.id))}
    return {name: found[n.id] for name, n in w.people.items() if n.id in found}


def in_vetting(session, make_election, make_user, **kw):
    w = build_world(session, make_election, make_user, **kw)
    svc.select_shortlist(session, w.office, w.election.id, [n.id for n in w.people.values()], NOW)
    w.election.stage = "vet"
    session.commit()
    return w


@pytest.fixture
def world(session, make_election, make_user):
    return in_vetting(session, make_election, make_user)


def url(w, what: str) -> str:
    return f"/api/v1/elections/{w.election.id}/examinations/{what}"


def recorded(session, w, make_user, names) -> None:
    """Everything recorded for NAMES (through the one-person use cases), not yet concluded."""
    discipline = make_user("discipline")
    for name in names:
        svc.record_vetting(session, w.office, w.people[name].id, svc.VettingInput(
            file_audit="passed", petition_check="无", appraisal_count=30, interview_count=12,
            integrity_received=True), NOW)
        svc.record_discipline_opinion(session, discipline, w.people[name].id, "无反映", NOW)


# ---------------------------------------------------------------------------------------------- the effect
def test_bulk_vetting_records_everyone_with_one_audit_entry_each(client, session, token_for, world):
    _, office = token_for("office")
    people = [world.people[n].id for n in PLAIN[:3]]
    items = [{"nominee_id": nid, **COMPLETE} for nid in people]
    items[1] = {**items[1], "from_enterprise": True, "regulator_opinion": "市场监管部门：无不良记录"}
    r = client.put(url(world, "vetting"), headers=office, json={"items": items})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"election_id": world.election.id, "count": 3, "nominee_ids": people}
    v = vettings(session, world)
    assert {name for name in v} == set(PLAIN[:3]) and all(v[n].appraisal_count == 30 for n in PLAIN[:3])
    assert v["于洋"].regulator_opinion == "市场监管部门：无不良记录" and not v["丁一"].from_enterprise
    entries = audits(session, "vetting.record")
    assert [e.object_id for e in entries] == [str(nid) for nid in people]
    assert all(e.object_type == "nominees" and "批量" in e.summary for e in entries)
    # the person's own history shows the bulk change, and the chain still verifies
    history = audit_page(session, object_type="nominees", object_id=str(people[0])).entries
    assert [e.action for e in history] == ["vetting.record"] and "丁一" in history[0].summary
    assert verify_chain(session).ok


def test_bulk_discipline_opinions_recorded_by_discipline(client, session, token_for, world):
    user, headers = token_for("discipline")
    items = [{"nominee_id": world.people[n].id, "opinion": f"{n}：未发现违纪违法问题"} for n in PLAIN]
    r = client.put(url(world, "discipline"), headers=headers, json={"items": items})
    assert r.status_code == 200 and r.get_json()["count"] == 5
    v = vettings(session, world)
    assert all(v[n].discipline_opinion == f"{n}：未发现违纪违法问题" and v[n].discipline_by_id == user.id for n in PLAIN)
    assert len(audits(session, "vetting.discipline")) == 5


def test_bulk_conclusions_pass_and_remove(client, session, token_for, make_user, world):
    recorded(session, world, make_user, ["丁一", "于洋"])
    _, office = token_for("office")
    items = [{"nominee_id": world.people["丁一"].id, "conclusion": "passed"},
             {"nominee_id": world.people["于洋"].id, "conclusion": "passed"},
             {"nominee_id": world.people["马力"].id, "conclusion": "unfit", "reason": "民主测评认可度较低"}]
    r = client.post(url(world, "conclusions"), headers=office, json={"items": items})
    assert r.status_code == 200, r.get_json()
    v = vettings(session, world)
    assert [v[n].conclusion for n in ("丁一", "于洋", "马力")] == ["passed", "passed", "unfit"]
    assert world.people["马力"].removed_reason == "考察结论为不宜：民主测评认可度较低"
    assert world.people["丁一"].removed_reason is None
    assert len(audits(session, "vetting.conclude")) == 3
    again = client.post(url(world, "conclusions"), headers=office, json={"items": items[:1]})
    assert again.status_code == 422 and "已有考察结论" in again.get_json()["error"]["details"][0]["message"]


# ---------------------------------------------------------------------------------------------- all or nothing
def test_one_bad_item_among_many_writes_nothing_and_is_named(client, session, token_for, make_user, world):
    recorded(session, world, make_user, ["丁一", "于洋", "李娜", "张伟"])
    _, office = token_for("office")
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    items = [{"nominee_id": world.people[n].id, "conclusion": "passed"} for n in ("丁一", "于洋", "马力", "李娜", "张伟")]
    r = client.post(url(world, "conclusions"), headers=office, json={"items": items})
    assert r.status_code == 422 and error_code(r) == "rule_violation"
    [detail] = r.get_json()["error"]["details"]  # 马力: nothing recorded yet
    assert detail["field"] == "items[2]" and detail["message"].startswith("第3项（马力）：马力的考察还不完整")
    assert all(v.conclusion is None for v in vettings(session, world).values())
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
    bad = [{"nominee_id": world.people["丁一"].id, **COMPLETE},
           {"nominee_id": world.people["欧阳明"].id, **COMPLETE, "regulator_opinion": "有"}]
    r = client.put(url(world, "vetting"), headers=office, json={"items": bad})
    assert r.status_code == 422 and [d["field"] for d in r.get_json()["error"]["details"]] == ["items[1]"]
    assert "第2项（欧阳明）：" in r.get_json()["error"]["details"][0]["message"]
    assert vettings(session, world)["丁一"].updated_at == NOW  # unchanged since recorded()


@pytest.mark.parametrize("role", ["discipline", "auditor", "unit", "delegate", "teller"])
def test_bulk_vetting_and_conclusions_refuse_other_roles(client, session, token_for, world, role):
    _, headers = token_for(role)
    one = world.people["丁一"].id
    r = client.put(url(world, "vetting"), headers=headers, json={"items": [{"nominee_id": one, **COMPLETE}]})
    assert r.status_code == 403 and error_code(r) == "forbidden"
    r = client.post(url(world, "conclusions"), headers=headers,
                    json={"items": [{"nominee_id": one, "conclusion": "unfit", "reason": "理由"}]})
    assert r.status_code == 403 and error_code(r) == "forbidden"
    assert not vettings(session, world)


@pytest.mark.parametrize("role", ["admin", "office", "inspector", "auditor", "unit"])
def test_bulk_discipline_refuses_other_roles(client, session, token_for, world, role):
    _, headers = token_for(role)
    r = client.put(url(world, "discipline"), headers=headers,
                   json={"items": [{"nominee_id": world.people["丁一"].id, "opinion": "无"}]})
    assert r.status_code == 403 and error_code(r) == "forbidden"
    assert not vettings(session, world)


def test_inspector_only_on_people_assigned_to_him(client, session, token_for, world):
    inspector, headers = token_for("inspector")
    svc.assign_inspectors(session, world.office, world.election.id, [world.people["丁一"].id], inspector.id, NOW)
    mine, theirs = world.people["丁一"].id, world.people["于洋"].id
    r = client.put(url(world, "vetting"), headers=headers,
                   json={"items": [{"nominee_id": mine, **COMPLETE}, {"nominee_id": theirs, **COMPLETE}]})
    assert r.status_code == 422
    assert r.get_json()["error"]["details"] == [
        {"field": "items[1]", "message": f"第2项：人员（编号{theirs}）不是本次选举的考察对象"}]
    assert not vettings(session, world)
    r = client.put(url(world, "vetting"), headers=headers, json={"items": [{"nominee_id": mine, **COMPLETE}]})
    assert r.status_code == 200 and list(vettings(session, world)) == ["丁一"]
    assert audits(session, "vetting.record")[0].actor_id == inspector.id


def test_another_elections_person_is_refused(client, session, token_for, make_election, make_user, world):
    other = in_vetting(session, make_election, make_user, names=["赵六", "钱七"])
    _, office = token_for("office")
    stranger = other.people["赵六"].id
    for what, extra in (("vetting", COMPLETE), ("conclusions", {"conclusion": "unfit", "reason": "理由"})):
        send = client.put if what == "vetting" else client.post
        r = send(url(world, what), headers=office,
                 json={"items": [{"nominee_id": world.people["丁一"].id, **extra}, {"nominee_id": stranger, **extra}]})
        assert r.status_code == 422
        assert r.get_json()["error"]["details"] == [
            {"field": "items[1]", "message": f"第2项：人员（编号{stranger}）不是本次选举的考察对象"}]
    assert not vettings(session, world) and not vettings(session, other)
    r = client.put("/api/v1/elections/987654/examinations/vetting", headers=office,
                   json={"items": [{"nominee_id": stranger, **COMPLETE}]})
    assert r.status_code == 404


def test_repeated_person_and_empty_list_are_422(client, session, token_for, world):
    _, office = token_for("office")
    one = world.people["丁一"].id
    r = client.put(url(world, "vetting"), headers=office,
                   json={"items": [{"nominee_id": one, **COMPLETE}, {"nominee_id": one, **COMPLETE}]})
    assert r.status_code == 422
    [detail] = r.get_json()["error"]["details"]
    assert detail["field"] == "items[1]" and "重复" in detail["message"] and "第1项" in detail["message"]
    r = client.put(url(world, "vetting"), headers=office, json={"items": []})
    assert r.status_code == 422 and error_code(r) == "validation_failed"
    assert r.get_json()["error"]["details"][0]["field"] == "items"
    r = client.post(url(world, "conclusions"), headers=office, json={"items": [{"nominee_id": one, "conclusion": "maybe"}]})
    assert r.status_code == 422 and r.get_json()["error"]["details"][0]["field"] == "items[0].conclusion"
    r = client.post(url(world, "conclusions"), headers=office, json={"items": [{"nominee_id": one, "conclusion": "unfit"}]})
    assert r.status_code == 422 and "理由" in r.get_json()["error"]["details"][0]["message"]
    assert not vettings(session, world) and not audits(session, "vetting.conclude")


def test_wrong_stage_refuses_the_whole_list(client, session, token_for, world):
    world.election.stage = "ballot"
    session.commit()
    _, office = token_for("office")
    r = client.put(url(world, "vetting"), headers=office,
                   json={"items": [{"nominee_id": world.people["丁一"].id, **COMPLETE}]})
    assert r.status_code == 422 and "阶段" in r.get_json()["error"]["message"]


# ---------------------------------------------------------------------------------------------- cost
def _sized(session, make_election, make_user, size: int):
    """An election in 考察 with SIZE plain 考察对象 (bulk-inserted); -> (world, their ids)."""
    w = in_vetting(session, make_election, make_user, names=["丁一"])
    session.execute(insert(Nominee), [
        {"election_id": w.election.id, "election_unit_id": w.units[i % len(w.units)].id, "position": 100 + i,
         "name": f"填{i:04d}", "gender": "男", "ethnicity": "汉族", "id_number": f"B{w.election.id:05d}{i:012d}",
         "birth_date": date(1970, 1, 1), "category": "专业技术人员", "step": "shortlisted", "created_at": NOW}
        for i in range(size)])
    session.commit()
    ids = list(session.scalars(select(Nominee.id).where(Nominee.election_id == w.election.id,
                                                        Nominee.name.like("填%")).order_by(Nominee.id)))
    return w, ids


def test_bulk_calls_cost_the_same_statements_for_20_and_400_people(client, session, token_for, make_election,
                                                                   make_user, count_queries):
    counts = {}
    for size in (20, 400):
        _, office = token_for("office")  # fresh tokens: each first use is recorded the same way
        _, discipline = token_for("discipline")
        w, ids = _sized(session, make_election, make_user, size)
        calls = [("vetting", client.put, office, [{"nominee_id": i, **COMPLETE} for i in ids]),
                 ("discipline", client.put, discipline, [{"nominee_id": i, "opinion": "无"} for i in ids]),
                 ("conclusions", client.post, office, [{"nominee_id": i, "conclusion": "passed"} for i in ids])]
        for what, send, headers, items in calls:
            with count_queries() as q:
                r = send(url(w, what), headers=headers, json={"items": items})
            assert r.status_code == 200, r.get_json()
            counts[size, what] = q.count
        assert session.scalar(select(func.count()).select_from(Vetting).where(
            Vetting.election_id == w.election.id, Vetting.conclusion == "passed")) == size
    print("\nstatements per bulk call at 20 / 400 people:",
          {what: (counts[20, what], counts[400, what]) for what in ("vetting", "discipline", "conclusions")})
    assert all(counts[20, what] == counts[400, what] for what in ("vetting", "discipline", "conclusions")), counts
    assert all(n <= 16 for n in counts.values()), counts
