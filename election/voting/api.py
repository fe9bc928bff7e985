"""Ballot rounds with their tallies, the result and the elected delegates; the office opens and
closes a round, a teller enters a round's totals (one of the two independent entries) or one ballot as marked, and
the count is confirmed when both entries agree — one service call each."""
from __future__ import annotations

from sqlalchemy import select

from election.api import (
    DATE,
    DATETIME,
    MAX_ID,
    PAGE_PARAMS,
    B,
    I,
    S,
    arr,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate,
    tag,
    user,
    utc,
)
from election.api.scope import READERS, election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role
from election.voting import services as svc
from election.voting.models import BallotRound, Delegate, VotingResult
from workflow.tally.rounds import ReductionBasis
from workflow.tally.rules import RoundKind, Totals

TAG = tag("选举计票", "差额选举的各轮投票、计票结果、当选代表")

ROUND = component("BallotRound", obj({
    "id": I(), "election_id": I(), "round_no": I("第几轮"), "kind": S(enum=["regular", "repeat", "revote", "additional"]),
    "seats": I(), "eligible": I("应到会"), "present": I("实到会"), "ballots_issued": I(), "ballots_collected": I(),
    "candidates": arr(S(), "候选人（姓氏笔画序）"), "count_mode": S(enum=["totals", "ballots"]),
    "status": S(enum=["open", "confirmed", "closed"]),
    "confirmed_totals": nullable({"type": "object", "description": "两名计票人一致后的票数"}),
    "result": nullable({"type": "object", "description": "计票结果：有效性、过半数、当选、并列"}),
    "explanation": S(), "opened_at": DATETIME(), "closed_at": nullable(DATETIME()),
}))
RESULT = component("VotingResult", obj({
    "election_id": I(), "recorded": {"type": "boolean"}, "elected": arr(S(), "当选人（姓氏笔画序）"),
    "quota_warnings": arr(S()), "explanation": S(), "recorded_at": nullable(DATETIME()),
    "reported_on": nullable(DATE()), "report_doc_number": nullable(S()),
}))
DELEGATE = component("Delegate", obj({
    "id": I(), "election_id": I(), "name": S(), "gender": S(), "ethnicity": S(), "birth_date": nullable(DATE()),
    "category": S(), "unit": S("工作单位及职务"), "votes": I("得票数"),
}))


def round_json(r: BallotRound) -> dict:
    return {"id": r.id, "election_id": r.election_id, "round_no": r.round_no, "kind": r.kind, "seats": r.seats,
            "eligible": r.eligible, "present": r.present, "ballots_issued": r.ballots_issued,
            "ballots_collected": r.ballots_collected, "candidates": list(r.candidates or []), "count_mode": r.count_mode,
            "status": r.status, "confirmed_totals": r.confirmed_totals, "result": r.result, "explanation": r.explanation,
            "opened_at": utc(r.opened_at), "closed_at": utc(r.closed_at)}


@endpoint("GET", "/elections/<int:election_id>/rounds", summary="投票轮次及计票", tag=TAG,
          response=page_of(ROUND, "BallotRound"), roles=READERS, query=PAGE_PARAMS)
def list_rounds(election_id: int, args):
    election = election_or_404(user(), election_id)
    query = select(BallotRound).where(BallotRound.election_id == election.id).order_by(BallotRound.round_no)
    return paginate(db.session, query, args).as_dict(round_json)


@endpoint("GET", "/elections/<int:election_id>/result", summary="选举结果", tag=TAG, response=RESULT, roles=READERS)
def get_result(election_id: int, args):
    election = election_or_404(user(), election_id)
    r = db.session.scalar(select(VotingResult).where(VotingResult.election_id == election.id))
    if r is None:
        return {"election_id": election.id, "recorded": False, "elected": [], "quota_warnings": [], "explanation": "",
                "recorded_at": None, "reported_on": None, "report_doc_number": None}
    return {"election_id": election.id, "recorded": True, "elected": list(r.elected or []),
            "quota_warnings": list(r.quota_warnings or []), "explanation": r.explanation,
            "recorded_at": utc(r.recorded_at), "reported_on": r.reported_on, "report_doc_number": r.report_doc_number}


@endpoint("GET", "/elections/<int:election_id>/delegates", summary="当选代表", tag=TAG,
          response=page_of(DELEGATE, "Delegate"), roles=READERS, query=PAGE_PARAMS)
def list_delegates(election_id: int, args):
    election = election_or_404(user(), election_id)
    query = select(Delegate).where(Delegate.election_id == election.id).order_by(Delegate.id)
    return paginate(db.session, query, args).as_dict(lambda d: {
        "id": d.id, "election_id": d.election_id, "name": d.name, "gender": d.gender, "ethnicity": d.ethnicity,
        "birth_date": d.birth_date, "category": d.category, "unit": d.unit, "votes": d.votes})




# ---------------------------------------------------------------------------------------------- counting
COUNT = {"type": "object", "additionalProperties": I(minimum=0, maximum=1_000_000)}
TOTALS_IN = obj({
    "valid": I("有效票张数", minimum=0, maximum=1_000_000), "invalid": I("无效票张数", minimum=0, maximum=1_000_000),
    "for": {**COUNT, "description": "各候选人的赞成票，如 {\"王一\": 180}；未列出的为0"},
    "against": {**COUNT, "description": "各候选人的不赞成票（可省略）"},
    "write_in": {**COUNT, "description": "另选他人的得票，如 {\"赵敏\": 3}（可省略）"},
}, required=["valid", "invalid", "for"], description="一位计票人员录入的本轮计票结果")
ENTRY = component("CountEntry", obj({
    "round_id": I(), "entry_no": I("第几次录入（1 或 2）"), "teller": S("录入的计票人员"),
    "totals": {"type": "object", "description": "录入的票数：valid、invalid、for、against、write_in"},
    "entered_at": DATETIME(), "other_entered": B("另一次录入是否已完成"), "differences": I("两次录入不同之处的数目"),
}))


def _round_or_404(round_id: int) -> BallotRound:
    rnd = db.session.get(BallotRound, round_id)
    if rnd is None:
        raise not_found("投票轮次")
    election_or_404(user(), rnd.election_id)
    return rnd


@endpoint("PUT", "/rounds/<int:round_id>/entries/<int:entry_no>", summary="录入计票结果（两次录入之一）", tag=TAG,
          response=ENTRY, roles=(Role.teller,), body=TOTALS_IN,
          description="两位计票人员分别独立录入（entry_no 为 1 或 2），本人可改正本人的录入；数字不合理时返回422并逐项说明。"
                      "只在本轮汇总计票、尚未确认时可录入。")
def enter_totals(round_id: int, entry_no: int, args, body):
    rnd = _round_or_404(round_id)
    if entry_no not in (1, 2):
        raise not_found("录入")
    totals = Totals(valid=body["valid"], invalid=body["invalid"], for_votes=dict(body["for"]),
                    write_in=dict(body.get("write_in") or {}), against=dict(body.get("against") or {}))
    entry = svc.enter_totals(db.session, user(), rnd.id, entry_no, totals, utcnow())
    cmp = svc.compare_entries(db.session, rnd.id)
    return {"round_id": rnd.id, "entry_no": entry.entry_no, "teller": entry.teller.display_name,
            "totals": entry.totals, "entered_at": utc(entry.entered_at), "other_entered": cmp.complete,
            "differences": len(cmp.differences)}


@endpoint("POST", "/rounds/<int:round_id>/confirm", summary="确认计票结果", tag=TAG, response=ROUND,
          roles=(Role.teller, Role.admin, Role.office), errors=(422,),
          description="两次录入都已完成且每个数字一致时确认；否则返回422说明原因。")
def confirm_count(round_id: int, args):
    rnd = _round_or_404(round_id)
    return round_json(svc.confirm_count(db.session, user(), rnd.id, utcnow()))


# ---------------------------------------------------------------------------------------------- opening, closing
STAFF = (Role.admin, Role.office)  # = ELECTION_STAFF: the office runs the meeting (as the meeting page)
HEADS = I(minimum=0, maximum=MAX_ID)
ROUND_IN = obj({
    "eligible": I("应到会人数", minimum=1, maximum=MAX_ID), "present": {**HEADS, "description": "实到会人数"},
    "ballots_issued": {**HEADS, "description": "发出选票张数"}, "ballots_collected": {**HEADS, "description": "收回选票张数"},
    "count_mode": S("计票方式：totals = 两位计票人员分别汇总录入（默认），ballots = 逐张录入选票（人数较少的会议）",
                    enum=["totals", "ballots"]),
}, required=["eligible", "present", "ballots_issued", "ballots_collected"], description="本轮会议的人数和选票数")
NAMES = arr(S(minLength=1, maxLength=64), maxItems=500)
BALLOT_IN = obj({
    "for": {**NAMES, "description": "划○（赞成）的候选人姓名"},
    "against": {**NAMES, "description": "划×（不赞成）的候选人姓名（可省略）"},
    "write_in": {**NAMES, "description": "另选他人的姓名（可省略）"},
}, required=["for"], description="一张选票上的标记；未标记的候选人为弃权")
PAPER = component("BallotPaper", obj({
    "round_id": I(), "seq": I("第几张"), "for": arr(S()), "against": arr(S()), "write_in": arr(S()),
    "void": B("无效票（划○人数多于应选名额）"), "entered_at": DATETIME(), "entered": I("本轮已录入张数"),
    "collected": I("收回选票张数"),
}))


def _reloaded(rnd: BallotRound) -> dict:
    db.session.expire_all()
    return round_json(db.session.get(BallotRound, rnd.id))


@endpoint("POST", "/elections/<int:election_id>/rounds", summary="开始一轮投票", tag=TAG, response=ROUND, status=201,
          roles=STAFF, body=ROUND_IN, errors=(409, 422),
          description="按规则开始下一轮（正式选举、重新投票、并列者再次投票或另行选举），候选人和应选名额由系统确定。"
                      "上一轮未结束时返回409。不足法定人数、或收回选票多于实到会人数时，本轮当即结束为无效（status 为 closed，"
                      "explanation 说明原因）。")
def open_round(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    data = svc.RoundInput(body["eligible"], body["present"], body["ballots_issued"], body["ballots_collected"],
                          body.get("count_mode") or "totals")
    return _reloaded(svc.open_round(db.session, user(), election.id, data, utcnow()))


@endpoint("POST", "/rounds/<int:round_id>/close", summary="结束本轮并计票", tag=TAG, response=ROUND,
          roles=STAFF, errors=(409, 422),
          description="汇总计票须先确认（两次录入一致）；逐张录入的按已录入的选票计票。结果及中文说明见 result、explanation。"
                      "已结束的轮次返回409。")
def close_round(round_id: int, args):
    rnd = _round_or_404(round_id)
    svc.close_round(db.session, user(), rnd.id, utcnow())
    return _reloaded(rnd)


@endpoint("POST", "/rounds/<int:round_id>/ballots", summary="录入一张选票", tag=TAG, response=PAPER, status=201,
          roles=(Role.teller,), body=BALLOT_IN, errors=(422,),
          description="只在本轮逐张录入选票、尚未结束时可用；录满收回选票数后不能再录入。划○人数（含另选他人）多于应选名额的"
                      "为无效票（void 为 true）。姓名不在候选人名单中等问题返回422。")
def enter_ballot(round_id: int, args, body):
    rnd = _round_or_404(round_id)
    paper = svc.enter_ballot(db.session, user(), rnd.id, body["for"], body.get("against") or [],
                             body.get("write_in") or [], utcnow())
    db.session.expire_all()
    rnd = db.session.get(BallotRound, rnd.id)
    return {"round_id": rnd.id, "seq": paper.seq, "for": list(paper.for_names), "against": list(paper.against_names),
            "write_in": list(paper.write_in_names), "void": paper.void, "entered_at": utc(paper.entered_at),
            "entered": paper.seq, "collected": rnd.ballots_collected}


# ---------------------------------------------------------------------------------------------- between rounds
PLAN_IN = {**obj({
    "action": S("additional = 另行选举（确定候选人），reduce = 依规减少名额", enum=["additional", "reduce"]),
    "candidates_count": I("另行选举的候选人数（可省略：按选举设置或差额比例），不能少于待选名额", minimum=1, maximum=5000),
    "seats_removed": I("减少的名额数（action = reduce 时必填）", minimum=1, maximum=5000),
    "basis": S("减少名额的依据：voters_consent 经过半数选举人同意，presidium 大会主席团决定",
               enum=[b.value for b in ReductionBasis]),
    "note": S("说明（减少名额时必填：写明会议和决定）", maxLength=500),
}, required=["action"], description="一轮投票后仍有空缺名额时的下一步安排"),
    "examples": [{"action": "additional", "candidates_count": 3},
                 {"action": "reduce", "seats_removed": 1, "basis": "presidium", "note": "大会主席团第三次会议决定"}]}
PENDING = obj({"round_no": I("第几轮"), "kind": S(enum=[k.value for k in RoundKind]), "seats": I("待选名额"),
               "candidates": arr(S(), "候选人（姓氏笔画序）")}, description="下一轮投票")
PLAN = component("RoundPlan", {**obj({
    "id": I(), "election_id": I(), "after_round_no": I("在第几轮之后"), "kind": S(enum=["additional", "reduce"]),
    "candidates_count": nullable(I()), "seats_removed": nullable(I()),
    "basis": S("减少名额的依据（另行选举时为 null）", enum=[*(b.value for b in ReductionBasis), None]) | {"type": ["string", "null"]},
    "note": S(), "explanation": S("中文说明"),
    "recorded_at": DATETIME(), "empty_seats": I("尚缺名额"), "next_round": nullable(PENDING),
}), "examples": [{"id": 2, "election_id": 1, "after_round_no": 1, "kind": "additional", "candidates_count": 3,
                  "seats_removed": None, "basis": None, "note": "", "explanation": "另行选举：待选2名，候选人3名……",
                  "recorded_at": "2026-06-01T03:00:00Z", "empty_seats": 2,
                  "next_round": {"round_no": 2, "kind": "additional", "seats": 2, "candidates": ["王芳", "李娜", "张伟"]}}]})


@endpoint("POST", "/elections/<int:election_id>/rounds/plan", summary="登记下一步安排（另行选举或减少名额）", tag=TAG,
          response=PLAN, status=201, roles=STAFF, body=PLAN_IN, errors=(422,),
          description="与投票页面“下一步安排”同一用例：一轮投票结束后当选人数少于应选名额时，确定另行选举的候选人，"
                      "或依规减少名额（须写明依据和说明）。每轮之后只能安排一次另行选举，重复提交返回422。记一条审计记录。")
def plan_next_round(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    plan = svc.plan_next_round(db.session, user(), election.id, body["action"], utcnow(),
                               candidates_count=body.get("candidates_count"), seats_removed=body.get("seats_removed"),
                               basis=body.get("basis"), note=body.get("note") or "")
    db.session.expire_all()
    state = svc.voting_view(db.session, election.id).state
    pending = state.pending
    return {"id": plan.id, "election_id": election.id, "after_round_no": plan.after_round_no, "kind": plan.kind,
            "candidates_count": plan.candidates_count, "seats_removed": plan.seats_removed, "basis": plan.basis,
            "note": plan.note, "explanation": plan.explanation, "recorded_at": utc(plan.recorded_at),
            "empty_seats": state.empty_seats,
            "next_round": None if pending is None else {"round_no": pending.round_no, "kind": pending.kind.value,
                                                        "seats": pending.seats, "candidates": list(pending.candidates)}}
