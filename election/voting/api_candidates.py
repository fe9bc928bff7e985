"""预备人选 and the result over the API, as the 预备人选 and 选举结果 pages do: the 全委会 圈选 (by list or by
votes), the 批复's approved list, recording the result and its 上报, a 上级提名人选 and a 监票人 / 计票人 — one use
case call each, same roles."""
from __future__ import annotations

from election.api import (
    BLOCKER,
    MAX_ID,
    I,
    S,
    arr,
    blockers,
    component,
    endpoint,
    obj,
    parse_date,
    tag,
    user,
    validation,
)
from election.api.scope import election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.permissions import ELECTION_STAFF
from election.voting import services as svc
from election.voting.api import RESULT, get_result

TAG = tag("预备人选与结果", "全委会圈选预备人选、批复名单、录入选举结果及上报")
STAFF = tuple(sorted(ELECTION_STAFF, key=lambda r: r.value))
ID = I(minimum=1, maximum=MAX_ID)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


CONFIRM_IN = _example(obj({
    "body": S("会议名称（默认“全委会”）", minLength=1, maxLength=128),
    "held_on": S("会议日期，如 2026-06-01", format="date"),
    "members": I("应到会委员", minimum=1, maximum=100_000), "attendance": I("实到会委员", minimum=1, maximum=100_000),
    "mode": S("list = 圈选名单（chosen_ids），votes = 逐人得票（votes 与 max_chosen）", enum=["list", "votes"]),
    "chosen_ids": arr(ID, "圈选确定的初步人选编号（mode = list）", maxItems=5000),
    "votes": {"type": "object", "additionalProperties": I(minimum=0, maximum=100_000),
              "description": "逐人得票：{人选编号: 票数}（mode = votes）"},
    "max_chosen": I("预备人选人数上限（mode = votes 时必填）", minimum=1, maximum=5000),
}, required=["held_on", "members", "attendance", "mode"], description="全委会圈选结果（再次提交即替换）"),
    {"held_on": "2026-06-01", "members": 31, "attendance": 29, "mode": "list", "chosen_ids": [101, 102, 105]},
    {"held_on": "2026-06-01", "members": 31, "attendance": 29, "mode": "votes", "votes": {"101": 25, "102": 16},
     "max_chosen": 2})
OUTCOME = component("CandidateListOutcome", _example(obj({
    "election_id": I(), "chosen": arr(S(), "预备人选（姓氏笔画序）"),
    "warnings": arr(BLOCKER, "差额比例、结构比例的提醒（进入下一阶段时把关）"),
}), {"election_id": 1, "chosen": ["王芳", "李娜"], "warnings": []}))
APPROVAL_IN = _example(obj({
    "struck": arr(obj({"nominee_id": ID, "reason": S("上级未批准的原因", minLength=1, maxLength=500)}),
                  "上级未批准的预备人选及原因（其余预备人选均为批准）", maxItems=5000),
}, description="批复名单：未列入 struck 的预备人选均为同意"),
    {"struck": [{"nominee_id": 105, "reason": "档案存疑"}]}, {"struck": []})
REPORT_IN = _example(obj({"reported_on": S("上报日期，如 2026-06-20", format="date"),
                          "doc_number": S("上报文号", minLength=1, maxLength=64)}, description="选举结果上报"),
                     {"reported_on": "2026-06-20", "doc_number": "某组〔2026〕12号"})


def _outcome(election_id: int, out) -> dict:
    return {"election_id": election_id, "chosen": list(out.chosen), "warnings": blockers(out.warnings)}


@endpoint("PUT", "/elections/<int:election_id>/confirm-meeting", summary="登记全委会圈选（确定预备人选）", tag=TAG,
          response=OUTCOME, roles=STAFF, body=CONFIRM_IN, errors=(422,),
          description="与“预备人选”页面相同：在“确定预备人选”阶段，按圈选名单或逐人得票（过到会委员半数、"
                      "按得票取前 max_chosen 名）确定预备人选；再次提交替换原结果。不在本次选举初步人选中的编号"
                      "逐个写在错误的 details 中。记一条审计记录。")
def record_confirm_meeting(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    votes = {}
    for key, value in (body.get("votes") or {}).items():
        if not key.isdigit() or not 0 < int(key) <= MAX_ID:
            raise validation("提交的数据有误，请按逐项说明修改。",
                             [{"field": f"votes.{key}", "message": "votes 的键应为人选编号（正整数）"}])
        votes[int(key)] = value
    data = svc.ConfirmInput(held_on=parse_date(body["held_on"], "held_on", "会议日期"), members=body["members"],
                            attendance=body["attendance"], mode=body["mode"],
                            chosen_ids=tuple(body.get("chosen_ids") or ()), votes=votes,
                            max_chosen=body.get("max_chosen"), body=body.get("body", "全委会").strip() or "全委会")
    return _outcome(election.id, svc.record_confirm_meeting(db.session, user(), election.id, data, utcnow()))


@endpoint("PUT", "/elections/<int:election_id>/approval-list", summary="登记批复名单", tag=TAG, response=OUTCOME,
          roles=STAFF, body=APPROVAL_IN, errors=(422,),
          description="与“预备人选”页面相同：上级批复未同意的预备人选连同原因移出名单，其余为同意"
                      "（批复文号、日期作为决定记录另行登记）。不是本次选举预备人选的编号逐个写在错误的 details 中。"
                      "记一条审计记录。")
def record_approval_list(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    struck: dict[int, str] = {}
    for i, item in enumerate(body["struck"]):
        if item["nominee_id"] in struck:
            raise validation("提交的数据有误，请按逐项说明修改。",
                             [{"field": f"struck[{i}].nominee_id", "message": "同一人选只能列一次"}])
        struck[item["nominee_id"]] = item["reason"]
    return _outcome(election.id, svc.record_approval_list(db.session, user(), election.id, struck, utcnow()))


@endpoint("POST", "/elections/<int:election_id>/result", summary="录入选举结果", tag=TAG, response=RESULT,
          status=201, roles=STAFF, errors=(409, 422),
          description="与“选举结果”页面相同：所有名额选满（或依规减少）后录入，当选人成为代表；"
                      "只能录入一次（再次提交返回409）。记一条审计记录。")
def record_result(election_id: int, args):
    election = election_or_404(user(), election_id)
    svc.record_result(db.session, user(), election.id, utcnow())
    db.session.expire_all()
    return get_result(election.id, args)


@endpoint("PUT", "/elections/<int:election_id>/result/report", summary="登记选举结果上报", tag=TAG, response=RESULT,
          roles=STAFF, body=REPORT_IN, errors=(422,),
          description="与“选举结果”页面相同：登记选举情况报告和代表名册的上报日期与文号；须先录入选举结果。"
                      "记一条审计记录。")
def report_result(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    reported_on = parse_date(body["reported_on"], "reported_on", "上报日期")
    svc.record_result_report(db.session, user(), election.id, reported_on, body["doc_number"], utcnow())
    db.session.expire_all()
    return get_result(election.id, args)


# ---------------------------------------------------------------------------------------------- the meeting's people
HIGHER_IN = _example(obj({
    "name": S("姓名", minLength=1, maxLength=64), "gender": S("性别", enum=["男", "女"]),
    "birth_date": S("出生日期，如 1970-01-01", format="date"), "ethnicity": S("民族（默认汉族）", minLength=1, maxLength=16),
    "category": S("身份类别：本次选举身份类别表的末级类别（如“局级领导干部”），计入结构比例", minLength=1, maxLength=32),
    "workplace_title": S("工作单位及职务", maxLength=200),
}, required=["name", "gender", "birth_date", "category"], description="上级提名人选（单独计算名额）"),
    {"name": "丁一", "gender": "男", "birth_date": "1970-01-01", "category": "局级领导干部"})
HIGHER = component("HigherNominee", _example(obj({
    "id": I(), "election_id": I(), "name": S(), "gender": S(), "birth_date": S(format="date"), "ethnicity": S(),
    "category": S(), "workplace_title": S(),
}), {"id": 3, "election_id": 1, "name": "丁一", "gender": "男", "birth_date": "1970-01-01", "ethnicity": "汉族",
     "category": "局级领导干部", "workplace_title": ""}))
SCRUTINEER_IN = _example(obj({"name": S("姓名", minLength=1, maxLength=64),
                              "duty": S("scrutineer = 监票人，counter = 计票人", enum=["scrutineer", "counter"])},
                             description="监票人或计票人（候选人不能担任）"),
                         {"name": "赵敏", "duty": "scrutineer"})
SCRUTINEER = component("Scrutineer", _example(obj({"id": I(), "election_id": I(), "name": S(),
                                                   "duty": S(enum=["scrutineer", "counter"])}),
                                              {"id": 5, "election_id": 1, "name": "赵敏", "duty": "scrutineer"}))


@endpoint("POST", "/elections/<int:election_id>/higher-nominees", summary="登记上级提名人选", tag=TAG, response=HIGHER,
          status=201, roles=STAFF, body=HIGHER_IN, errors=(422,),
          description="与“预备人选”页面相同：工作方案设有上级提名名额时，在投票开始前登记（不超过名额，不与候选人同名）。"
                      "记一条审计记录。")
def add_higher_nominee(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    data = svc.HigherNomineeInput(body["name"], body["gender"], parse_date(body["birth_date"], "birth_date", "出生日期"),
                                  body.get("ethnicity", "汉族"), body.get("category", ""), body.get("workplace_title", ""))
    p = svc.add_higher_nominee(db.session, user(), election.id, data, utcnow())
    return {"id": p.id, "election_id": p.election_id, "name": p.name, "gender": p.gender, "birth_date": p.birth_date,
            "ethnicity": p.ethnicity, "category": p.category or "", "workplace_title": p.workplace_title or ""}


@endpoint("POST", "/elections/<int:election_id>/scrutineers", summary="确定监票人或计票人", tag=TAG, response=SCRUTINEER,
          status=201, roles=STAFF, body=SCRUTINEER_IN, errors=(409, 422),
          description="与“投票”页面相同：候选人不能担任；同一人同一职责重复登记返回409（只存一条）。记一条审计记录。")
def add_scrutineer(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    s = svc.add_scrutineer(db.session, user(), election.id, body["name"], body["duty"], utcnow())
    return {"id": s.id, "election_id": s.election_id, "name": s.name, "duty": s.duty}
