"""考察, complaints and the teller's count over the API: success, validation errors,
refused roles, and a 考察组 member reaching only the people and complaints assigned to them."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.directory.models import ElectionUnit
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.vetting import services as svc
from election.vetting.models import Complaint, Notice
from election.voting import services as vsvc
from tests.api.test_api import error_code
from tests.vetting.test_services import NOW, build_world
from workflow.common.idcard import make_id

CONTACT = {"office_name": "区委组织部", "office_phone": "010-12345678", "office_address": "区委大院",
           "office_mailbox": "zzb@example.cn"}


def details(response) -> list[dict]:
    return response.get_json()["error"]["details"]


@pytest.fixture
def world(session, make_election, make_user):
    """Seven 考察对象 in 考察 (stage vet); a published first 公示 of unit 0 listing 王芳 and 丁一."""
    w = build_world(session, make_election, make_user)
    svc.select_shortlist(session, w.office, w.election.id, [n.id for n in w.people.values()], NOW)
    w.election.stage = "vet"
    notice = Notice(election_id=w.election.id, kind="first", election_unit_id=w.units[0].id, title="第一次公示",
                    status="published", posted_on=date(2026, 3, 2), period_end=date(2026, 3, 6), published_at=NOW,
                    people_ids=[w.people["王芳"].id, w.people["丁一"].id], **CONTACT)
    session.add(notice)
    session.commit()
    w.notice = notice
    return w


# ---------------------------------------------------------------------------------------------- examinations
def test_examinations_list_for_vetting_roles(client, token_for, world):
    _, office = token_for("office")
    body = client.get(f"/api/v1/elections/{world.election.id}/examinations?per_page=100", headers=office).get_json()
    assert {item["name"] for item in body["items"]} == set(world.people) and body["total"] == 7
    item = body["items"][0]
    assert item["status"] == "in_progress" and item["status_label"] == "考察中" and item["vetting"] is None
    filtered = client.get(f"/api/v1/elections/{world.election.id}/examinations?q=王芳", headers=office).get_json()
    assert [i["name"] for i in filtered["items"]] == ["王芳"]
    assert client.get(f"/api/v1/elections/{world.election.id}/examinations?status=passed",
                      headers=office).get_json()["total"] == 0
    response = client.get(f"/api/v1/elections/{world.election.id}/examinations?status=done", headers=office)
    assert response.status_code == 422 and details(response)[0]["field"] == "status"
    assert client.get("/api/v1/elections/987654/examinations", headers=office).status_code == 404


def test_inspector_sees_only_assigned_people(client, session, token_for, world):
    inspector, headers = token_for("inspector")
    svc.assign_inspector(session, world.office, world.people["王芳"].id, inspector.id, NOW)
    svc.record_vetting(session, inspector, world.people["王芳"].id,
                       svc.VettingInput(file_audit="passed", appraisal_count=25, interview_count=8), NOW)
    body = client.get(f"/api/v1/elections/{world.election.id}/examinations", headers=headers).get_json()
    assert [i["name"] for i in body["items"]] == ["王芳"] and body["items"][0]["vetting"]["appraisal_count"] == 25
    assert body["items"][0]["inspectors"] == [inspector.display_name]
    detail = client.get(f"/api/v1/examinations/{world.people['王芳'].id}", headers=headers).get_json()
    missing = {b["code"] for b in detail["missing"]}
    assert "vetting.discipline_missing" in missing and "vetting.file_audit_missing" not in missing
    other = client.get(f"/api/v1/examinations/{world.people['李娜'].id}", headers=headers)
    absent = client.get("/api/v1/examinations/987654", headers=headers)
    assert other.status_code == absent.status_code == 404 and other.get_json() == absent.get_json()


def test_examination_detail_of_someone_not_examined_is_404(client, session, token_for, world, make_unit):
    _, office = token_for("office")
    body = client.get(f"/api/v1/examinations/{world.people['丁一'].id}", headers=office).get_json()
    assert body["examination"]["name"] == "丁一" and len(body["missing"]) >= 6  # no record yet: everything missing
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == world.election.id))
    outsider = Nominee(election_id=world.election.id, election_unit_id=eu.id, name="未入选", gender="男",
                       ethnicity="汉族", id_number=make_id("110105", date(1971, 1, 1), 77, True),
                       birth_date=date(1971, 1, 1), category="专业技术人员")  # still a 推荐人选, not a 考察对象
    session.add(outsider)
    session.commit()
    response = client.get(f"/api/v1/examinations/{outsider.id}", headers=office)
    assert response.status_code == 404 and error_code(response) == "not_found"


@pytest.mark.parametrize("role", ["unit", "studio", "delegate", "teller"])
def test_examinations_refused(client, token_for, world, role):
    _, headers = token_for(role)
    for url in (f"/api/v1/elections/{world.election.id}/examinations",
                f"/api/v1/examinations/{world.people['王芳'].id}"):
        response = client.get(url, headers=headers)
        assert response.status_code == 403 and error_code(response) == "forbidden", url


# ---------------------------------------------------------------------------------------------- complaints
def complaint_body(world, **kw) -> dict:
    return {"nominee_id": world.people["王芳"].id, "channel": "letter", "received_on": "2026-03-03",
            "content": "反映其在原单位的问题", **kw}


def test_complaint_register_assign_check_conclude(client, session, token_for, world):
    _, office = token_for("office")
    inspector, inspector_headers = token_for("inspector")
    response = client.post(f"/api/v1/notices/{world.notice.id}/complaints", headers=office,
                           json=complaint_body(world, real_name=True))
    assert response.status_code == 201, response.get_json()
    complaint = response.get_json()
    assert complaint["status"] == "registered" and complaint["real_name"] is True
    cid = complaint["id"]
    early = client.post(f"/api/v1/complaints/{cid}/conclude", headers=office,
                        json={"conclusion": "true", "effect": "移出名单"})
    assert early.status_code == 422 and "核查情况" in early.get_json()["error"]["message"]
    assigned = client.post(f"/api/v1/complaints/{cid}/assign", headers=office, json={"user_id": inspector.id})
    assert assigned.status_code == 200 and assigned.get_json()["assigned_to"] == inspector.display_name
    checked = client.post(f"/api/v1/complaints/{cid}/findings", headers=inspector_headers,
                          json={"findings": "经核查，反映问题属实"})
    assert checked.status_code == 200 and checked.get_json()["status"] == "checking"
    closed = client.post(f"/api/v1/complaints/{cid}/conclude", headers=office,
                         json={"conclusion": "true", "effect": "移出名单"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    session.expire_all()
    assert world.people["王芳"].removed_reason.startswith("公示期间反映问题经核查属实")
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(cid))))
    assert {"complaint.register", "complaint.assign", "complaint.check", "complaint.conclude"} <= actions


@pytest.mark.parametrize("change, field", [
    ({"channel": "fax"}, "channel"), ({"received_on": "2026-02-30"}, "received_on"), ({"content": " "}, "content"),
    ({"nominee_id": 0}, "nominee_id"), ({"real_name": "yes"}, "real_name"),
])
def test_complaint_register_validation(client, token_for, world, change, field):
    _, office = token_for("office")
    response = client.post(f"/api/v1/notices/{world.notice.id}/complaints", headers=office,
                           json=complaint_body(world, **change))
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert field in {d["field"] for d in details(response)}


def test_complaint_register_rules_and_missing_notice(client, token_for, world):
    _, office = token_for("office")
    off_list = client.post(f"/api/v1/notices/{world.notice.id}/complaints", headers=office,
                           json=complaint_body(world, nominee_id=world.people["李娜"].id))
    assert off_list.status_code == 422 and "不在该公示名单中" in off_list.get_json()["error"]["message"]
    before = client.post(f"/api/v1/notices/{world.notice.id}/complaints", headers=office,
                         json=complaint_body(world, received_on="2026-03-01"))
    assert before.status_code == 422 and "早于公示发布日期" in before.get_json()["error"]["message"]
    missing = client.post("/api/v1/notices/987654/complaints", headers=office, json=complaint_body(world))
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    assert client.post(f"/api/v1/notices/{world.notice.id}/complaints", headers=office, data="{").status_code == 400


@pytest.mark.parametrize("role", ["inspector", "discipline", "auditor", "unit", "studio", "teller"])
def test_complaint_register_assign_conclude_refused(client, session, token_for, world, role):
    complaint = Complaint(notice_id=world.notice.id, nominee_id=world.people["丁一"].id, channel="phone",
                          received_on=date(2026, 3, 3), content="反映", status="registered")
    session.add(complaint)
    session.commit()
    _, headers = token_for(role)
    for url, body in ((f"/api/v1/notices/{world.notice.id}/complaints", complaint_body(world)),
                      (f"/api/v1/complaints/{complaint.id}/assign", {"user_id": 1}),
                      (f"/api/v1/complaints/{complaint.id}/conclude", {"conclusion": "false", "effect": "无"})):
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 403 and error_code(response) == "forbidden", url


def test_findings_only_by_the_assigned_worker(client, session, token_for, world):
    worker, _ = token_for("discipline")
    complaint = Complaint(notice_id=world.notice.id, nominee_id=world.people["丁一"].id, channel="phone",
                          received_on=date(2026, 3, 3), content="反映", status="assigned", assigned_to_id=worker.id)
    session.add(complaint)
    session.commit()
    for role in ("inspector", "discipline"):  # not assigned to them: like a missing complaint
        _, headers = token_for(role)
        other = client.post(f"/api/v1/complaints/{complaint.id}/findings", headers=headers, json={"findings": "x"})
        absent = client.post("/api/v1/complaints/987654/findings", headers=headers, json={"findings": "x"})
        assert other.status_code == absent.status_code == 404 and other.get_json() == absent.get_json()
    for role in ("auditor", "unit", "teller"):
        _, headers = token_for(role)
        assert client.post(f"/api/v1/complaints/{complaint.id}/findings", headers=headers,
                           json={"findings": "x"}).status_code == 403
    _, office = token_for("office")
    blank = client.post(f"/api/v1/complaints/{complaint.id}/findings", headers=office, json={"findings": ""})
    assert blank.status_code == 422 and details(blank)[0]["field"] == "findings"
    bad_user = client.post(f"/api/v1/complaints/{complaint.id}/assign", headers=office, json={"user_id": 987654})
    assert bad_user.status_code == 422 and "承办" in bad_user.get_json()["error"]["message"]
    bad_conclusion = client.post(f"/api/v1/complaints/{complaint.id}/conclude", headers=office,
                                 json={"conclusion": "maybe", "effect": "无"})
    assert bad_conclusion.status_code == 422 and details(bad_conclusion)[0]["field"] == "conclusion"


# ---------------------------------------------------------------------------------------------- the count
@pytest.fixture
def ballot_round(session, make_election, make_user):
    election = make_election(stage="ballot", units=1, seats=2, voters=10,
                             settings={"meeting_rules": MEETING_RULES["地方组织"]})
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    for i, name in enumerate(("王芳", "李娜", "张伟")):
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女", ethnicity="汉族",
                            birth_date=date(1980, 1, 1 + i), id_number=make_id("110105", date(1980, 1, 1 + i), i, False),
                            category="其他一线", step="confirmed"))
    session.commit()
    rnd = vsvc.open_round(session, make_user("office"), election.id, vsvc.RoundInput(10, 10, 10, 10),
                          datetime(2019, 4, 10, 2, 0))
    return rnd


TOTALS = {"valid": 9, "invalid": 1, "for": {"王芳": 8, "李娜": 6, "张伟": 3}}


def test_two_tellers_enter_and_the_count_is_confirmed(client, token_for, ballot_round):
    _, first = token_for("teller")
    _, second = token_for("teller")
    url = f"/api/v1/rounds/{ballot_round.id}/entries"
    one = client.put(f"{url}/1", headers=first, json=TOTALS)
    assert one.status_code == 200, one.get_json()
    assert one.get_json()["other_entered"] is False and one.get_json()["totals"]["for"]["王芳"] == 8
    _, office = token_for("office")
    early = client.post(f"/api/v1/rounds/{ballot_round.id}/confirm", headers=office)
    assert early.status_code == 422 and "两位计票人员" in early.get_json()["error"]["message"]
    differs = client.put(f"{url}/2", headers=second, json={**TOTALS, "for": {"王芳": 7, "李娜": 6, "张伟": 3}})
    assert differs.status_code == 200 and differs.get_json()["differences"] == 1
    refused = client.post(f"/api/v1/rounds/{ballot_round.id}/confirm", headers=office)
    assert refused.status_code == 422 and "1处不同" in refused.get_json()["error"]["message"]
    assert client.put(f"{url}/2", headers=second, json=TOTALS).get_json()["differences"] == 0
    confirmed = client.post(f"/api/v1/rounds/{ballot_round.id}/confirm", headers=first)
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "confirmed"
    again = client.put(f"{url}/1", headers=first, json=TOTALS)
    assert again.status_code == 422 and "已确认" in again.get_json()["error"]["message"]


def test_entry_checks_and_one_teller_per_entry(client, token_for, ballot_round):
    _, teller = token_for("teller")
    url = f"/api/v1/rounds/{ballot_round.id}/entries"
    mismatch = client.put(f"{url}/1", headers=teller, json={"valid": 8, "invalid": 1, "for": {}})
    assert mismatch.status_code == 422 and "不等于收回选票10张" in mismatch.get_json()["error"]["message"]
    stranger = client.put(f"{url}/1", headers=teller, json={**TOTALS, "for": {"赵敏": 1}})
    assert stranger.status_code == 422 and "不在候选人名单中" in stranger.get_json()["error"]["message"]
    for body, field in (({"valid": -1, "invalid": 1, "for": {}}, "valid"), ({"valid": 9, "for": {}}, "invalid"),
                        ({**TOTALS, "for": {"王芳": "8"}}, "for.王芳")):
        response = client.put(f"{url}/1", headers=teller, json=body)
        assert response.status_code == 422 and field in {d["field"] for d in details(response)}, body
    assert client.put(f"{url}/1", headers=teller, json=TOTALS).status_code == 200
    twice = client.put(f"{url}/2", headers=teller, json=TOTALS)
    assert twice.status_code == 422 and "分别独立完成" in twice.get_json()["error"]["message"]
    assert client.put(f"{url}/3", headers=teller, json=TOTALS).status_code == 404
    assert client.put("/api/v1/rounds/987654/entries/1", headers=teller, json=TOTALS).status_code == 404
    assert client.put(f"{url}/1", headers=teller, data="nope").status_code == 400


@pytest.mark.parametrize("role", ["office", "admin", "inspector", "unit", "delegate"])
def test_entry_refused_to_everyone_but_tellers(client, token_for, ballot_round, role):
    _, headers = token_for(role)
    response = client.put(f"/api/v1/rounds/{ballot_round.id}/entries/1", headers=headers, json=TOTALS)
    assert response.status_code == 403 and error_code(response) == "forbidden"


@pytest.mark.parametrize("role", ["inspector", "discipline", "auditor", "unit", "studio"])
def test_confirm_refused(client, token_for, ballot_round, role):
    _, headers = token_for(role)
    assert client.post(f"/api/v1/rounds/{ballot_round.id}/confirm", headers=headers).status_code == 403
