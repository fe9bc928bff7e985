"""The remaining writes over the API: the 考察组's record, the 纪检 opinion and the
考察 conclusion; creating, publishing and ending a 公示; opening and closing a ballot round and entering one ballot;
the handling unit's reply to a proposal and its assessment; a delegate's status change with the decision record.
Each: success, validation errors (422 with details, 400 for malformed JSON), every refused role (403), and
another unit's / office's object answering exactly like a missing one (404). Also the delegate detail page, which
the 审计 now reads as the API lets it (read-only)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.core.clock import today_local
from election.directory.models import ElectionUnit
from election.duties.models import DelegateStatusChange
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.vetting import services as svc
from election.vetting.models import Complaint, Notice
from election.voting import services as vsvc
from tests.api.test_api import error_code
from tests.duties.test_api import API, DAY, duties, same_as_missing, studio  # noqa: F401 - fixtures
from tests.vetting.test_services import NOW, build_world
from workflow.common.idcard import make_id
from workflow.tally.rules import Totals

MISSING = 987654


def details(response) -> list[dict]:
    return response.get_json()["error"]["details"]


def fields(response) -> set[str]:
    return {d.get("field") for d in details(response)}


def message(response) -> str:
    return response.get_json()["error"]["message"]


def actions(session) -> set[str]:
    return set(session.scalars(select(AuditEntry.action)))


# ============================================================================================== 考察
@pytest.fixture
def vet(session, make_election, make_user):
    """Seven 考察对象 of two units in 考察 (stage vet); the election's settings carry the office's contact."""
    w = build_world(session, make_election, make_user)
    svc.select_shortlist(session, w.office, w.election.id, [n.id for n in w.people.values()], NOW)
    w.election.stage = "vet"
    session.commit()
    return w


def exam_url(w, name: str, what: str) -> str:
    return f"/api/v1/examinations/{w.people[name].id}/{what}"


FULL = {"file_audit": "passed", "petition_check": "未收到信访举报", "appraisal_count": 30, "interview_count": 12,
        "integrity_received": True}


def test_record_discipline_and_conclude_passed(client, session, token_for, vet):
    _, office = token_for("office")
    recorded = client.put(exam_url(vet, "李娜", "vetting"), headers=office, json=FULL)
    assert recorded.status_code == 200, recorded.get_json()
    body = recorded.get_json()
    assert body["examination"]["vetting"]["appraisal_count"] == 30
    assert body["examination"]["vetting"]["from_enterprise"] is False  # the workplace reads like no company
    assert [b["code"] for b in body["missing"]] == ["vetting.discipline_missing"]
    early = client.post(exam_url(vet, "李娜", "conclusion"), headers=office, json={"conclusion": "passed"})
    assert early.status_code == 422 and "还不完整" in message(early) and error_code(early) == "rule_violation"
    _, discipline = token_for("discipline")
    opinion = client.put(exam_url(vet, "李娜", "discipline"), headers=discipline, json={"opinion": "未发现违纪问题"})
    assert opinion.status_code == 200 and opinion.get_json()["missing"] == []
    assert opinion.get_json()["examination"]["vetting"]["discipline_opinion"] == "未发现违纪问题"
    passed = client.post(exam_url(vet, "李娜", "conclusion"), headers=office, json={"conclusion": "passed"})
    assert passed.status_code == 200 and passed.get_json()["examination"]["status"] == "passed"
    locked = client.put(exam_url(vet, "李娜", "vetting"), headers=office, json=FULL)
    assert locked.status_code == 422 and "已有结论" in message(locked)
    assert {"vetting.record", "vetting.discipline", "vetting.conclude"} <= actions(session)


def test_record_keeps_enterprise_flag_when_omitted(client, token_for, vet):
    _, office = token_for("office")
    client.put(exam_url(vet, "丁一", "vetting"), headers=office, json={"from_enterprise": True})
    again = client.put(exam_url(vet, "丁一", "vetting"), headers=office, json={"appraisal_count": 5})
    assert again.status_code == 200 and again.get_json()["examination"]["vetting"]["from_enterprise"] is True
    assert "vetting.regulator_missing" in {b["code"] for b in again.get_json()["missing"]}


def test_unfit_needs_reason_and_removes_the_person(client, session, token_for, vet):
    _, office = token_for("office")
    blank = client.post(exam_url(vet, "张伟", "conclusion"), headers=office, json={"conclusion": "unfit", "reason": " "})
    assert blank.status_code == 422 and "须写明理由" in message(blank)
    unfit = client.post(exam_url(vet, "张伟", "conclusion"), headers=office,
                        json={"conclusion": "unfit", "reason": "民主测评得票偏低"})
    assert unfit.status_code == 200, unfit.get_json()
    exam = unfit.get_json()["examination"]
    assert exam["status"] == "removed" and exam["removed_reason"] == "考察结论为不宜：民主测评得票偏低"
    twice = client.post(exam_url(vet, "张伟", "conclusion"), headers=office,
                        json={"conclusion": "unfit", "reason": "再次"})
    assert twice.status_code == 422


def test_service_rules_are_422_with_each_problem(client, token_for, vet):
    _, office = token_for("office")
    response = client.put(exam_url(vet, "李娜", "vetting"), headers=office,
                          json={"file_audit": "issues", "personal_report_check": "已查核"})
    assert response.status_code == 422 and error_code(response) == "rule_violation"
    texts = [d["message"] for d in details(response)]
    assert any("请写明问题" in t for t in texts) and any("不是领导干部" in t for t in texts)


def test_inspector_writes_only_for_assigned_people(client, session, token_for, vet):
    inspector, headers = token_for("inspector")
    svc.assign_inspector(session, vet.office, vet.people["王芳"].id, inspector.id, NOW)
    own = client.put(exam_url(vet, "王芳", "vetting"), headers=headers, json={"file_audit": "passed"})
    assert own.status_code == 200 and own.get_json()["examination"]["vetting"]["file_audit"] == "passed"
    for what, method, body in (("vetting", "PUT", {"file_audit": "passed"}),
                               ("conclusion", "POST", {"conclusion": "unfit", "reason": "理由"})):
        same_as_missing(client, headers, exam_url(vet, "李娜", what), f"/api/v1/examinations/{MISSING}/{what}",
                        method=method, json=body)


def test_not_a_vetting_person_is_404(client, session, token_for, vet):
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == vet.election.id))
    outsider = Nominee(election_id=vet.election.id, election_unit_id=eu.id, name="未入选", gender="男",
                       ethnicity="汉族", id_number=make_id("110105", date(1971, 1, 1), 77, True),
                       birth_date=date(1971, 1, 1), category="专业技术人员")
    session.add(outsider)
    session.commit()
    _, office = token_for("office")
    _, discipline = token_for("discipline")
    for headers, what, method, body in ((office, "vetting", "PUT", FULL), (discipline, "discipline", "PUT",
                                                                           {"opinion": "无"}),
                                        (office, "conclusion", "POST", {"conclusion": "passed"})):
        response = client.open(f"/api/v1/examinations/{outsider.id}/{what}", method=method, headers=headers, json=body)
        assert response.status_code == 404 and error_code(response) == "not_found", what


@pytest.mark.parametrize("what, method, body, field", [
    ("vetting", "PUT", {"file_audit": "ok"}, "file_audit"),
    ("vetting", "PUT", {"appraisal_count": -1}, "appraisal_count"),
    ("vetting", "PUT", {"interview_count": "12"}, "interview_count"),
    ("vetting", "PUT", {"integrity_received": "yes"}, "integrity_received"),
    ("vetting", "PUT", {"petition_check": "含\u0000字符"}, "petition_check"),
    ("vetting", "PUT", {"file_audit_note": "长" * 2001}, "file_audit_note"),
    ("vetting", "PUT", {"colour": "红"}, "colour"),
    ("conclusion", "POST", {"conclusion": "maybe"}, "conclusion"),
    ("conclusion", "POST", {"reason": "x"}, "conclusion"),
])
def test_vetting_validation_is_422_naming_the_field(client, token_for, vet, what, method, body, field):
    _, office = token_for("office")
    response = client.open(exam_url(vet, "李娜", what), method=method, headers=office, json=body)
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert field in fields(response), details(response)


def test_discipline_validation_and_malformed(client, token_for, vet):
    _, discipline = token_for("discipline")
    blank = client.put(exam_url(vet, "李娜", "discipline"), headers=discipline, json={"opinion": "  "})
    assert blank.status_code == 422 and fields(blank) == {"opinion"}
    _, office = token_for("office")
    for headers, what, method in ((discipline, "discipline", "PUT"), (office, "vetting", "PUT"),
                                  (office, "conclusion", "POST")):
        response = client.open(exam_url(vet, "李娜", what), method=method, data="{file_audit:",
                               headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 400 and error_code(response) == "bad_json", what


@pytest.mark.parametrize("role", ["discipline", "auditor", "unit", "studio", "delegate", "teller"])
def test_record_and_conclude_refused(client, token_for, vet, role):
    _, headers = token_for(role)
    for what, method, body in (("vetting", "PUT", FULL), ("conclusion", "POST", {"conclusion": "passed"})):
        response = client.open(exam_url(vet, "李娜", what), method=method, headers=headers, json=body)
        assert response.status_code == 403 and error_code(response) == "forbidden", what


@pytest.mark.parametrize("role", ["admin", "office", "inspector", "auditor", "unit", "teller"])
def test_discipline_opinion_refused_to_everyone_but_discipline(client, token_for, vet, role):
    _, headers = token_for(role)
    response = client.put(exam_url(vet, "李娜", "discipline"), headers=headers, json={"opinion": "无"})
    assert response.status_code == 403 and error_code(response) == "forbidden"


# ============================================================================================== 公示
def notice_url(w) -> str:
    return f"/api/v1/elections/{w.election.id}/notices"


# the tests' 公示 is dated 2026-03-02, long before today: entered now, it carries its 补登理由 (docs/rules.md §3.5)
REASON = "公示已于2026年3月2日在单位张贴，现补录"


def test_create_publish_end_first_notices(client, session, token_for, vet):
    _, office = token_for("office")
    created = client.post(notice_url(vet), headers=office, json={"kind": "first", "posted_on": "2026-03-02", "backdate_reason": REASON})
    assert created.status_code == 201, created.get_json()
    items = created.get_json()["items"]
    assert len(items) == 2 and {i["election_unit_id"] for i in items} == {u.id for u in vet.units}
    assert all(i["status"] == "draft" and i["period_end"] == "2026-03-06" for i in items)
    notice = session.get(Notice, items[0]["id"])
    assert notice.office_name == "区委组织部"  # the contact from the election's settings
    again = client.post(notice_url(vet), headers=office, json={"kind": "first", "posted_on": "2026-03-02", "backdate_reason": REASON})
    assert again.status_code == 422 and "没有需要新建" in message(again)
    second = client.post(notice_url(vet), headers=office,
                         json={"kind": "second", "posted_on": "2026-03-02", "backdate_reason": REASON})
    assert second.status_code == 422 and "阶段" in message(second)
    nid = items[0]["id"]
    ended_early = client.post(f"/api/v1/notices/{nid}/end", headers=office)
    assert ended_early.status_code == 422 and "只有已发布" in message(ended_early)
    published = client.post(f"/api/v1/notices/{nid}/publish", headers=office)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert published.get_json()["published_at"] is not None
    twice = client.post(f"/api/v1/notices/{nid}/publish", headers=office)
    assert twice.status_code == 422 and "只有草稿" in message(twice)
    ended = client.post(f"/api/v1/notices/{nid}/end", headers=office)  # the period ended on 2026-03-06
    assert ended.status_code == 200 and ended.get_json()["status"] == "ended"
    assert {"notice.create_first", "notice.publish", "notice.end"} <= actions(session)


def test_end_refused_with_open_complaints(client, session, token_for, vet):
    _, office = token_for("office")
    nid = client.post(notice_url(vet), headers=office,
                      json={"kind": "first", "posted_on": "2026-03-02", "backdate_reason": REASON}).get_json()["items"][0]["id"]
    client.post(f"/api/v1/notices/{nid}/publish", headers=office)
    notice = session.get(Notice, nid)
    session.add(Complaint(notice_id=nid, nominee_id=notice.people_ids[0], channel="phone", received_on=date(2026, 3, 3),
                          content="反映", status="registered"))
    session.commit()
    response = client.post(f"/api/v1/notices/{nid}/end", headers=office)
    assert response.status_code == 422 and "1件反映未办结" in message(response)


def test_create_notice_contact_and_calendar_rules(client, session, token_for, vet):
    _, office = token_for("office")
    blank = client.post(notice_url(vet), headers=office, json={"kind": "first", "posted_on": "2026-03-02",
                                                               "office_name": "  ", "backdate_reason": REASON})
    assert blank.status_code == 422 and fields(blank) == {"office_name"}
    vet.election.settings = {}
    session.commit()
    no_contact = client.post(notice_url(vet), headers=office, json={"kind": "first", "posted_on": "2026-03-02", "backdate_reason": REASON})
    assert no_contact.status_code == 422 and "受理单位" in message(no_contact)
    contact = {"office_name": "区委组织部", "office_phone": "1", "office_address": "某区", "office_mailbox": "箱"}
    far = client.post(notice_url(vet), headers=office, json={"kind": "first", "posted_on": "2031-03-03", **contact})
    assert far.status_code == 422 and "缺少2031年" in message(far)


@pytest.mark.parametrize("body, field", [
    ({"posted_on": "2026-03-02"}, "kind"), ({"kind": "third", "posted_on": "2026-03-02"}, "kind"),
    ({"kind": "first"}, "posted_on"), ({"kind": "first", "posted_on": "2026-02-30"}, "posted_on"),
    ({"kind": "first", "posted_on": "3月2日"}, "posted_on"),
    ({"kind": "first", "posted_on": "2026-03-02", "office_phone": 12345}, "office_phone"),
    ({"kind": "first", "posted_on": "2026-03-02", "title": "x"}, "title"),
])
def test_create_notice_validation(client, token_for, vet, body, field):
    _, office = token_for("office")
    response = client.post(notice_url(vet), headers=office, json=body)
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert field in fields(response), details(response)


def test_notice_missing_and_malformed(client, token_for, vet):
    _, office = token_for("office")
    for url in (f"/api/v1/notices/{MISSING}/publish", f"/api/v1/notices/{MISSING}/end"):
        response = client.post(url, headers=office)
        assert response.status_code == 404 and error_code(response) == "not_found", url
    missing = client.post(f"/api/v1/elections/{MISSING}/notices", headers=office,
                          json={"kind": "first", "posted_on": "2026-03-02", "backdate_reason": REASON})
    assert missing.status_code == 404
    bad = client.post(notice_url(vet), headers={**office, "Content-Type": "application/json"}, data="{kind")
    assert bad.status_code == 400 and error_code(bad) == "bad_json"


@pytest.mark.parametrize("role", ["inspector", "discipline", "auditor", "unit", "studio", "delegate", "teller"])
def test_notice_writes_refused(client, session, token_for, vet, role):
    notice = svc.create_first_notices(session, vet.office, vet.election.id, date(2026, 3, 2),
                                      svc.default_contact(vet.election), NOW)[0]
    _, headers = token_for(role)
    for url, kw in ((notice_url(vet), {"json": {"kind": "first", "posted_on": "2026-03-02"}}),
                    (f"/api/v1/notices/{notice.id}/publish", {}), (f"/api/v1/notices/{notice.id}/end", {})):
        response = client.post(url, headers=headers, **kw)
        assert response.status_code == 403 and error_code(response) == "forbidden", url


# ============================================================================================== rounds
@pytest.fixture
def meeting(session, make_election):
    """An election at the 选举大会 (stage ballot): 2 seats, 3 confirmed candidates, 10 voters, no round yet."""
    election = make_election(stage="ballot", units=1, seats=2, voters=10,
                             settings={"meeting_rules": MEETING_RULES["地方组织"]})
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    for i, name in enumerate(("王芳", "李娜", "张伟")):
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender="女", ethnicity="汉族",
                            birth_date=date(1980, 1, 1 + i), id_number=make_id("110105", date(1980, 1, 1 + i), i, False),
                            category="其他一线", step="confirmed"))
    session.commit()
    return election


FIGURES = {"eligible": 10, "present": 10, "ballots_issued": 10, "ballots_collected": 10}


def open_url(election) -> str:
    return f"/api/v1/elections/{election.id}/rounds"


def test_open_count_and_close_a_round(client, session, token_for, make_user, meeting):
    _, office = token_for("office")
    opened = client.post(open_url(meeting), headers=office, json=FIGURES)
    assert opened.status_code == 201, opened.get_json()
    rnd = opened.get_json()
    assert (rnd["round_no"], rnd["kind"], rnd["status"], rnd["seats"]) == (1, "regular", "open", 2)
    assert sorted(rnd["candidates"]) == sorted(["王芳", "李娜", "张伟"]) and rnd["count_mode"] == "totals"
    busy = client.post(open_url(meeting), headers=office, json=FIGURES)
    assert busy.status_code == 409 and error_code(busy) == "conflict" and "尚未结束" in message(busy)
    early = client.post(f"/api/v1/rounds/{rnd['id']}/close", headers=office)
    assert early.status_code == 422 and "尚未确认" in message(early)
    totals = Totals(valid=10, invalid=0, for_votes={"王芳": 9, "李娜": 8, "张伟": 2})
    vsvc.enter_totals(session, make_user("teller"), rnd["id"], 1, totals, NOW)
    vsvc.enter_totals(session, make_user("teller"), rnd["id"], 2, totals, NOW)
    vsvc.confirm_count(session, make_user("office"), rnd["id"], NOW)
    closed = client.post(f"/api/v1/rounds/{rnd['id']}/close", headers=office)
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert body["status"] == "closed" and sorted(body["result"]["elected"]) == ["李娜", "王芳"] and body["explanation"]
    again = client.post(f"/api/v1/rounds/{rnd['id']}/close", headers=office)
    assert again.status_code == 409 and "已经结束" in message(again)
    assert {"voting.open_round", "voting.close_round"} <= actions(session)


def test_round_without_quorum_closes_at_once(client, token_for, meeting):
    _, office = token_for("office")
    response = client.post(open_url(meeting), headers=office, json={**FIGURES, "present": 3, "ballots_issued": 3,
                                                                      "ballots_collected": 3})
    assert response.status_code == 201
    assert response.get_json()["status"] == "closed" and response.get_json()["explanation"]


def test_open_round_rules(client, session, token_for, meeting):
    _, office = token_for("office")
    more = client.post(open_url(meeting), headers=office, json={**FIGURES, "present": 11})
    assert more.status_code == 422 and "实到会人数" in message(more)
    meeting.stage = "vet"
    session.commit()
    stage = client.post(open_url(meeting), headers=office, json=FIGURES)
    assert stage.status_code == 422 and "阶段" in message(stage)


@pytest.mark.parametrize("body, field", [
    ({**FIGURES, "eligible": 0}, "eligible"), ({**FIGURES, "present": -1}, "present"),
    ({**FIGURES, "ballots_issued": "10"}, "ballots_issued"),
    ({k: v for k, v in FIGURES.items() if k != "ballots_collected"}, "ballots_collected"),
    ({**FIGURES, "count_mode": "by_hand"}, "count_mode"), ({**FIGURES, "seats": 3}, "seats"),
])
def test_open_round_validation(client, token_for, meeting, body, field):
    _, office = token_for("office")
    response = client.post(open_url(meeting), headers=office, json=body)
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert field in fields(response), details(response)


def test_round_missing_and_malformed(client, token_for, meeting):
    _, office = token_for("office")
    assert client.post(f"/api/v1/elections/{MISSING}/rounds", headers=office, json=FIGURES).status_code == 404
    missing = client.post(f"/api/v1/rounds/{MISSING}/close", headers=office)
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    bad = client.post(open_url(meeting), headers={**office, "Content-Type": "application/json"}, data="[1,")
    assert bad.status_code == 400 and error_code(bad) == "bad_json"
    _, teller = token_for("teller")
    ballot = client.post(f"/api/v1/rounds/{MISSING}/ballots", headers=teller, json={"for": []})
    assert ballot.status_code == 404


@pytest.mark.parametrize("role", ["teller", "inspector", "discipline", "auditor", "unit", "studio", "delegate"])
def test_open_and_close_refused(client, session, token_for, make_user, meeting, role):
    rnd = vsvc.open_round(session, make_user("office"), meeting.id, vsvc.RoundInput(10, 10, 10, 10), NOW)
    _, headers = token_for(role)
    for url, kw in ((open_url(meeting), {"json": FIGURES}), (f"/api/v1/rounds/{rnd.id}/close", {})):
        response = client.post(url, headers=headers, **kw)
        assert response.status_code == 403 and error_code(response) == "forbidden", url


@pytest.fixture
def ballots_round(session, make_user, meeting):
    return vsvc.open_round(session, make_user("office"), meeting.id,
                           vsvc.RoundInput(10, 10, 10, 3, count_mode="ballots"), NOW)


def test_teller_enters_ballots_one_by_one(client, session, token_for, ballots_round):
    _, teller = token_for("teller")
    url = f"/api/v1/rounds/{ballots_round.id}/ballots"
    first = client.post(url, headers=teller, json={"for": ["王芳", "李娜"], "against": ["张伟"]})
    assert first.status_code == 201, first.get_json()
    assert first.get_json() | {"entered_at": None} == {
        "round_id": ballots_round.id, "seq": 1, "for": ["王芳", "李娜"], "against": ["张伟"], "write_in": [],
        "void": False, "entered_at": None, "entered": 1, "collected": 3}
    void = client.post(url, headers=teller, json={"for": ["王芳", "李娜"], "write_in": ["赵敏"]})
    assert void.status_code == 201 and void.get_json()["void"] is True and void.get_json()["seq"] == 2
    stranger = client.post(url, headers=teller, json={"for": [], "against": ["赵敏"]})
    assert stranger.status_code == 422 and error_code(stranger) == "rule_violation"
    assert client.post(url, headers=teller, json={"for": ["张伟"]}).status_code == 201
    full = client.post(url, headers=teller, json={"for": ["张伟"]})
    assert full.status_code == 422 and "等于收回选票数" in message(full)
    assert "voting.enter_ballot" in actions(session)


def test_ballot_entry_only_in_a_ballots_round(client, session, token_for, make_user, meeting):
    rnd = vsvc.open_round(session, make_user("office"), meeting.id, vsvc.RoundInput(10, 10, 10, 10), NOW)
    _, teller = token_for("teller")
    response = client.post(f"/api/v1/rounds/{rnd.id}/ballots", headers=teller, json={"for": ["王芳"]})
    assert response.status_code == 422 and "逐张录入" in message(response)


@pytest.mark.parametrize("body, field", [
    ({}, "for"), ({"for": "王芳"}, "for"), ({"for": [""]}, "for[0]"), ({"for": [1]}, "for[0]"),
    ({"for": [], "against": None}, "against"), ({"for": [], "blank": True}, "blank"),
])
def test_ballot_validation(client, token_for, ballots_round, body, field):
    _, teller = token_for("teller")
    response = client.post(f"/api/v1/rounds/{ballots_round.id}/ballots", headers=teller, json=body)
    assert response.status_code == 422 and field in fields(response), details(response)
    bad = client.post(f"/api/v1/rounds/{ballots_round.id}/ballots", headers={**teller,
                                                                            "Content-Type": "application/json"},
                      data="{for")
    assert bad.status_code == 400


@pytest.mark.parametrize("role", ["admin", "office", "inspector", "auditor", "unit", "delegate"])
def test_ballot_entry_refused(client, token_for, ballots_round, role):
    _, headers = token_for(role)
    response = client.post(f"/api/v1/rounds/{ballots_round.id}/ballots", headers=headers, json={"for": ["王芳"]})
    assert response.status_code == 403 and error_code(response) == "forbidden"


# ============================================================================================== proposals
REPLY = {"handling_unit": "区住建局", "reply": "已列入明年计划", "replied_on": DAY.isoformat()}


def test_reply_then_assess(client, session, duties, studio):  # noqa: F811 - fixtures
    pid = duties.proposal_a.id
    early = client.post(f"{API}/proposals/{pid}/assessment", headers=duties.delegate, json={"assessment": "satisfied"})
    assert early.status_code == 422 and "尚未答复" in message(early)
    replied = client.post(f"{API}/proposals/{pid}/reply", headers=studio, json=REPLY)
    assert replied.status_code == 200, replied.get_json()
    assert replied.get_json()["reply"] == "已列入明年计划" and replied.get_json()["replied_on"] == DAY.isoformat()
    assessed = client.post(f"{API}/proposals/{pid}/assessment", headers=duties.delegate,
                           json={"assessment": "satisfied"})
    assert assessed.status_code == 200 and assessed.get_json()["assessment"] == "satisfied"
    by_office = client.post(f"{API}/proposals/{pid}/assessment", headers=studio, json={"assessment": "unsatisfied"})
    assert by_office.status_code == 200 and by_office.get_json()["assessment"] == "unsatisfied"
    assert {"duties.proposal.reply", "duties.proposal.assess"} <= actions(session)


def test_reply_and_assess_other_office_is_404_like_missing(client, session, duties, studio):  # noqa: F811
    same_as_missing(client, studio, f"{API}/proposals/{duties.proposal_b.id}/reply",
                    f"{API}/proposals/{MISSING}/reply", method="POST", json=REPLY)
    same_as_missing(client, studio, f"{API}/proposals/{duties.proposal_b.id}/assessment",
                    f"{API}/proposals/{MISSING}/assessment", method="POST", json={"assessment": "satisfied"})
    same_as_missing(client, duties.delegate, f"{API}/proposals/{duties.proposal_b.id}/assessment",
                    f"{API}/proposals/{MISSING}/assessment", method="POST", json={"assessment": "satisfied"})


def test_reply_rules_and_validation(client, duties, studio):  # noqa: F811
    url = f"{API}/proposals/{duties.proposal_a.id}/reply"
    before = client.post(url, headers=studio, json={**REPLY, "replied_on": (DAY - timedelta(days=1)).isoformat()})
    assert before.status_code == 422 and "早于提出日期" in message(before)
    for change, field in (({"reply": "  "}, "reply"), ({"replied_on": "2026-13-01"}, "replied_on"),
                          ({"handling_unit": None}, "handling_unit"), ({"extra": 1}, "extra")):
        response = client.post(url, headers=studio, json={**REPLY, **change})
        assert response.status_code == 422 and field in fields(response), change
    partial = client.post(url, headers=studio, json={"reply": "x"})
    assert partial.status_code == 422 and {"handling_unit", "replied_on"} <= fields(partial)
    bad = client.post(url, headers={**studio, "Content-Type": "application/json"}, data="{reply")
    assert bad.status_code == 400 and error_code(bad) == "bad_json"
    grade = client.post(f"{API}/proposals/{duties.proposal_a.id}/assessment", headers=studio,
                        json={"assessment": "很好"})
    assert grade.status_code == 422 and fields(grade) == {"assessment"}


@pytest.mark.parametrize("role", ["auditor", "delegate", "unit", "inspector", "discipline", "teller"])
def test_reply_refused(client, token_for, duties, role):  # noqa: F811
    headers = duties.delegate if role == "delegate" else token_for(role)[1]
    response = client.post(f"{API}/proposals/{duties.proposal_a.id}/reply", headers=headers, json=REPLY)
    assert response.status_code == 403 and error_code(response) == "forbidden"


@pytest.mark.parametrize("role", ["auditor", "unit", "inspector", "discipline", "teller"])
def test_assess_refused(client, session, token_for, duties, role):  # noqa: F811
    _, headers = token_for(role)
    response = client.post(f"{API}/proposals/{duties.proposal_a.id}/assessment", headers=headers,
                           json={"assessment": "satisfied"})
    assert response.status_code == 403 and error_code(response) == "forbidden"


# ============================================================================================== delegate status
STATUS = {"target": "suspended", "reason": "transferred_out", "issuer": "中共某区委", "doc_no": "区委〔2026〕12号",
          "decided_on": DAY.isoformat(), "filed_upward_to": "中共某市委组织部"}


def status_url(delegate) -> str:
    return f"{API}/delegates/{delegate.id}/status"


def test_status_change_with_decision_record(client, session, token_for, duties):  # noqa: F811
    _, office = token_for("office")
    response = client.post(status_url(duties.a2), headers=office, json=STATUS)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["delegate"]["status"] == "suspended" and body["delegate"]["status_doc_no"] == "区委〔2026〕12号"
    assert [(h["from_status"], h["to_status"], h["filed_upward_to"]) for h in body["history"]] == [
        ("serving", "suspended", "中共某市委组织部")]
    terminated = client.post(status_url(duties.a2), headers=office,
                             json={**STATUS, "target": "terminated", "reason": "deceased"})
    assert terminated.status_code == 200 and terminated.get_json()["delegate"]["status"] == "terminated"
    final = client.post(status_url(duties.a2), headers=office, json={**STATUS, "reason": "transferred_out"})
    assert final.status_code == 422 and [d["code"] for d in details(final)] == ["delegate.status.final"]
    assert session.scalar(select(DelegateStatusChange.id).where(DelegateStatusChange.delegate_id == duties.a2.id)
                          .order_by(DelegateStatusChange.id.desc())) is not None
    assert "duties.delegate.status" in actions(session)


def test_status_change_blockers_list_every_reason(client, token_for, duties):  # noqa: F811
    _, admin = token_for("admin")
    future = (today_local() + timedelta(days=3)).isoformat()
    response = client.post(status_url(duties.a1), headers=admin,
                           json={**STATUS, "target": "terminated", "decided_on": future})
    assert response.status_code == 422 and error_code(response) == "status_blocked"
    assert {d["code"] for d in details(response)} == {"delegate.status.reason_mismatch",
                                                      "delegate.status.decision_in_future"}
    assert all(d["message"] and d["source"] for d in details(response))


@pytest.mark.parametrize("change, field", [
    ({"target": "serving"}, "target"), ({"reason": "moved"}, "reason"), ({"issuer": " "}, "issuer"),
    ({"doc_no": ""}, "doc_no"), ({"decided_on": "2026-02-30"}, "decided_on"), ({"decided_on": None}, "decided_on"),
    ({"note": "x"}, "note"),
])
def test_status_change_validation(client, token_for, duties, change, field):  # noqa: F811
    _, office = token_for("office")
    response = client.post(status_url(duties.a1), headers=office, json={**STATUS, **change})
    assert response.status_code == 422 and field in fields(response), details(response)


def test_status_change_missing_and_malformed(client, token_for, duties):  # noqa: F811
    _, office = token_for("office")
    missing = client.post(f"{API}/delegates/{MISSING}/status", headers=office, json=STATUS)
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    bad = client.post(status_url(duties.a1), headers={**office, "Content-Type": "application/json"}, data="{target")
    assert bad.status_code == 400 and error_code(bad) == "bad_json"


@pytest.mark.parametrize("role", ["studio", "auditor", "delegate", "unit", "inspector", "teller"])
def test_status_change_refused(client, token_for, duties, role):  # noqa: F811
    headers = duties.delegate if role == "delegate" else token_for(role, **(
        {"office_id": duties.office_a.id} if role == "studio" else {}))[1]
    response = client.post(status_url(duties.a1), headers=headers, json=STATUS)
    assert response.status_code == 403 and error_code(response) == "forbidden"


# ============================================================================================== the page
def test_auditor_reads_the_delegate_page_without_edit_controls(client, session, login_as, duties):  # noqa: F811
    session.add(DelegateStatusChange(delegate_id=duties.b1.id, from_status="serving", to_status="suspended",
                                     reason="transferred_out", issuer="中共某区委", doc_no="区委〔2026〕3号",
                                     decided_on=DAY, filed_upward_to=""))
    session.commit()
    login_as("auditor")
    page = client.get(f"/duties/delegates/{duties.b1.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "乙一代表" in html and "区委〔2026〕3号" in html  # the detail and its history, like the API
    assert "变更代表状态" not in html and "/status" not in html and "启动补选" not in html
    assert client.get(f"/duties/delegates/{MISSING}").status_code == 404
    refused = client.post(f"/duties/delegates/{duties.b1.id}/status", data={"target": "suspended"})
    assert refused.status_code == 403


def test_page_and_api_agree_for_every_duty_role(client, auth, token_for, duties):  # noqa: F811
    """Whoever reads a delegate's detail through the API reads the page, and the other way round."""
    for role in ("admin", "office", "auditor", "studio", "delegate", "unit"):
        kw = {"office_id": duties.office_a.id} if role == "studio" else {}
        user, headers = token_for(role, **kw)
        auth.logout()
        assert auth.login(user.username).status_code == 302
        for d in (duties.a1, duties.b1):
            api = client.get(f"{API}/delegates/{d.id}", headers=headers).status_code
            page = client.get(f"/duties/delegates/{d.id}").status_code
            assert (api == 200) == (page == 200), (role, d.name, api, page)
