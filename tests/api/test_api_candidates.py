"""The 全委会 圈选, the 批复 list, the result and its 上报 over the API: the pages' use cases with their effect and
one audit entry each; refused roles (403), a bad body (422 naming the field), and another election's people refused
(each named, nothing written)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.nominations.models import Nominee
from election.voting.models import ConfirmMeeting, Delegate, VotingResult
from tests.api.test_api import error_code
from tests.voting import test_services as voting
from tests.voting.test_services import NAMES, _count, _open

ballot_election, office, tellers = voting.ballot_election, voting.office, voting.tellers  # the fixtures


def audits(session, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def people(session, election) -> dict[str, Nominee]:
    session.expire_all()
    return {n.name: n for n in session.scalars(select(Nominee).where(Nominee.election_id == election.id))}


def fields(r) -> set[str]:
    return {d.get("field") for d in r.get_json()["error"]["details"]}


MEETING = {"held_on": "2019-03-30", "members": 45, "attendance": 40, "mode": "list"}


def test_confirm_meeting_by_list_and_by_votes(client, session, token_for, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4], stage="confirm", step="preliminary")
    ids = {n: p.id for n, p in people(session, election).items()}
    _, staff = token_for("office")
    url = f"/api/v1/elections/{election.id}/confirm-meeting"
    r = client.put(url, headers=staff, json={**MEETING, "chosen_ids": [ids["王芳"], ids["李娜"], ids["陈静"]]})
    assert r.status_code == 200, r.get_json()
    assert r.get_json() == {"election_id": election.id, "chosen": ["王芳", "李娜", "陈静"], "warnings": []}
    assert people(session, election)["张伟"].step == "preliminary" and people(session, election)["王芳"].step == "confirmed"
    assert audits(session, "voting.confirm_meeting") == 1
    votes = {str(ids["王芳"]): 30, str(ids["李娜"]): 21, str(ids["张伟"]): 20, str(ids["陈静"]): 25}
    r = client.put(url, headers=staff, json={**MEETING, "mode": "votes", "votes": votes, "max_chosen": 3})
    assert r.status_code == 200 and r.get_json()["chosen"] == ["王芳", "李娜", "陈静"]
    assert session.scalar(select(ConfirmMeeting.mode).where(ConfirmMeeting.election_id == election.id)) == "votes"


def test_confirm_meeting_refuses_another_elections_people_naming_them(client, session, token_for, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4], stage="confirm", step="preliminary")
    elsewhere = ballot_election(seats=2, names=NAMES[4:6], stage="confirm", step="preliminary")
    mine, theirs = people(session, election)["王芳"].id, people(session, elsewhere)["刘伟"].id
    _, staff = token_for("office")
    r = client.put(f"/api/v1/elections/{election.id}/confirm-meeting", headers=staff,
                   json={**MEETING, "chosen_ids": [mine, theirs]})
    assert r.status_code == 422 and error_code(r) == "rule_violation"
    assert f"编号{theirs}" in r.get_json()["error"]["message"]
    assert {p.step for p in people(session, election).values()} == {"preliminary"}
    assert audits(session, "voting.confirm_meeting") == 0


@pytest.mark.parametrize("body, field", [({**MEETING, "mode": "all"}, "mode"), ({**MEETING, "members": 0}, "members"),
                                         ({k: v for k, v in MEETING.items() if k != "held_on"}, "held_on"),
                                         ({**MEETING, "held_on": "30/03/2019"}, "held_on"),
                                         ({**MEETING, "votes": {"x": 1}}, "votes.x")])
def test_confirm_meeting_bad_body_names_the_field(client, token_for, ballot_election, body, field):
    election = ballot_election(seats=2, names=NAMES[:4], stage="confirm", step="preliminary")
    _, staff = token_for("office")
    r = client.put(f"/api/v1/elections/{election.id}/confirm-meeting", headers=staff, json=body)
    assert r.status_code == 422 and field in fields(r)


def test_approval_list_strikes_with_reason(client, session, token_for, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4], stage="confirm")
    elsewhere = ballot_election(seats=2, names=NAMES[4:6], stage="confirm")
    ids = {n: p.id for n, p in people(session, election).items()}
    _, staff = token_for("office")
    url = f"/api/v1/elections/{election.id}/approval-list"
    theirs = people(session, elsewhere)["刘伟"].id
    refused = client.put(url, headers=staff, json={"struck": [{"nominee_id": theirs, "reason": "档案存疑"}]})
    assert refused.status_code == 422 and f"编号{theirs}" in refused.get_json()["error"]["message"]
    assert people(session, elsewhere)["刘伟"].removed_reason is None
    bad = client.put(url, headers=staff, json={"struck": [{"nominee_id": ids["张伟"], "reason": ""}]})
    assert bad.status_code == 422 and "struck[0].reason" in fields(bad)
    r = client.put(url, headers=staff, json={"struck": [{"nominee_id": ids["张伟"], "reason": "档案存疑"}]})
    assert r.status_code == 200, r.get_json()
    assert "张伟" not in r.get_json()["chosen"] and len(r.get_json()["chosen"]) == 3
    assert people(session, election)["张伟"].removed_reason == "上级批复未同意：档案存疑"
    assert audits(session, "voting.approval_list") == 1


def test_result_recorded_once_then_reported(client, session, token_for, ballot_election, office, tellers):
    election = ballot_election(seats=2, names=NAMES[:3])
    _count(session, office, tellers, _open(session, office, election), 10, 王芳=9, 李娜=8, 张伟=1)
    _, headers = token_for("office")
    early = client.put(f"/api/v1/elections/{election.id}/result/report", headers=headers,
                       json={"reported_on": "2019-04-20", "doc_number": "某组〔2019〕12号"})
    assert early.status_code == 422 and "尚未录入选举结果" in early.get_json()["error"]["message"]
    r = client.post(f"/api/v1/elections/{election.id}/result", headers=headers)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["recorded"] is True and r.get_json()["elected"] == ["王芳", "李娜"]
    assert session.scalar(select(func.count()).select_from(Delegate).where(Delegate.election_id == election.id)) == 2
    assert audits(session, "voting.result") == 1
    again = client.post(f"/api/v1/elections/{election.id}/result", headers=headers)
    assert again.status_code == 409 and error_code(again) == "conflict"
    bad = client.put(f"/api/v1/elections/{election.id}/result/report", headers=headers,
                     json={"reported_on": "2019-04-20"})
    assert bad.status_code == 422 and "doc_number" in fields(bad)
    rep = client.put(f"/api/v1/elections/{election.id}/result/report", headers=headers,
                     json={"reported_on": "2019-04-20", "doc_number": "某组〔2019〕12号"})
    assert rep.status_code == 200 and rep.get_json()["report_doc_number"] == "某组〔2019〕12号"
    assert rep.get_json()["reported_on"] == "2019-04-20" and audits(session, "voting.report") == 1
    assert session.scalar(select(VotingResult.report_doc_number).where(VotingResult.election_id == election.id))


@pytest.mark.parametrize("role", ["inspector", "discipline", "auditor", "teller", "unit", "delegate"])
def test_candidate_and_result_writes_refuse_other_roles(client, session, token_for, ballot_election, role):
    election = ballot_election(seats=2, names=NAMES[:3], stage="confirm", step="preliminary")
    _, headers = token_for(role)
    base = f"/api/v1/elections/{election.id}"
    for method, path, body in [("put", "/confirm-meeting", {**MEETING, "chosen_ids": [1]}),
                               ("put", "/approval-list", {"struck": []}), ("post", "/result", None),
                               ("put", "/result/report", {"reported_on": "2019-04-20", "doc_number": "1号"})]:
        r = getattr(client, method)(base + path, headers=headers, json=body)
        assert r.status_code == 403 and error_code(r) == "forbidden", (method, path)
    assert people(session, election)["王芳"].step == "preliminary"


def test_higher_nominee_and_scrutineer(client, session, token_for, ballot_election):
    election = ballot_election(seats=2, higher_nominated_seats=1)
    _, staff = token_for("office")
    base = f"/api/v1/elections/{election.id}"
    bad = client.post(base + "/higher-nominees", headers=staff, json={"name": "丁一", "gender": "M",
                                                                       "birth_date": "1970-01-01"})
    assert bad.status_code == 422 and "gender" in fields(bad)
    no_category = client.post(base + "/higher-nominees", headers=staff, json={"name": "丁一", "gender": "男",
                                                                              "birth_date": "1970-01-01"})
    assert no_category.status_code == 422 and "category" in fields(no_category)
    unknown = client.post(base + "/higher-nominees", headers=staff, json={"name": "丁一", "gender": "男",
                                                                          "birth_date": "1970-01-01", "category": "干部"})
    assert unknown.status_code == 422 and "身份类别" in unknown.get_json()["error"]["message"]
    r = client.post(base + "/higher-nominees", headers=staff, json={"name": "丁一", "gender": "男",
                                                                     "birth_date": "1970-01-01", "category": "局级领导干部"})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["name"] == "丁一" and r.get_json()["ethnicity"] == "汉族"
    assert audits(session, "voting.higher_nominee") == 1
    full = client.post(base + "/higher-nominees", headers=staff, json={"name": "丁二", "gender": "女",
                                                                        "birth_date": "1971-01-01", "category": "工人"})
    assert full.status_code == 422 and "上级提名名额为1名" in full.get_json()["error"]["message"]
    candidate = client.post(base + "/scrutineers", headers=staff, json={"name": "王芳", "duty": "counter"})
    assert candidate.status_code == 422 and "是候选人" in candidate.get_json()["error"]["message"]
    s = client.post(base + "/scrutineers", headers=staff, json={"name": "赵敏", "duty": "scrutineer"})
    assert s.status_code == 201 and s.get_json()["duty"] == "scrutineer"
    assert client.post(base + "/scrutineers", headers=staff, json={"name": "赵敏", "duty": "scrutineer"}).status_code == 409
    assert audits(session, "voting.scrutineer") == 1
    assert "duty" in fields(client.post(base + "/scrutineers", headers=staff, json={"name": "赵敏", "duty": "x"}))


@pytest.mark.parametrize("role", ["inspector", "auditor", "teller", "unit"])
def test_higher_nominee_and_scrutineer_refuse_other_roles(client, session, token_for, ballot_election, role):
    election = ballot_election(seats=2, higher_nominated_seats=1)
    _, headers = token_for(role)
    base = f"/api/v1/elections/{election.id}"
    assert client.post(base + "/higher-nominees", headers=headers,
                       json={"name": "丁一", "gender": "男", "birth_date": "1970-01-01"}).status_code == 403
    assert client.post(base + "/scrutineers", headers=headers, json={"name": "赵敏", "duty": "counter"}).status_code == 403
    assert audits(session, "voting.higher_nominee") == 0 and audits(session, "voting.scrutineer") == 0
