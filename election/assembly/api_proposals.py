"""A session's 提案 over the API (docs/rules.md §7), as its page offers them: the list (by 立案 state), submitting a
提案/提议 to the session in its window, and the 组织部's 立案 review. The reply and the assessment are the existing
operations on the proposal (POST /duties/proposals/{proposal_id}/reply and …/assessment), which now refuse a
session's proposal that was not filed or turned into a 建议."""
from __future__ import annotations

from election.api import (
    DATE,
    DATETIME,
    B,
    I,
    Param,
    S,
    arr,
    component,
    endpoint,
    nullable,
    obj,
    parse_date,
    tag,
    user,
    utc,
)
from election.assembly.permissions import session_or_404
from election.assembly.services import proposals as svc
from election.assembly.services import proposals_queries as q
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.roles import Role
from election.duties.api_scope import _loggable
from election.duties.services.proposals import ProposalInput
from workflow import duties as wd

TAG = tag("年会提案", "党代会年会期间的提案和提议：征集期内提交、立案审查（立案、不立案、转为建议）、交承办单位答复")
VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
SUBMITTERS = (Role.admin, Role.office, Role.studio, Role.delegate)  # = can_record_duties (the lead's own, his office)
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
MAX_ID = 2_147_483_647
FILING = S("立案审查：pending 待审查、filed 立案、not_filed 不立案、suggestion 转为建议", enum=list(svc.FILING_LABELS))
GRADES = [g.value for g in wd.SatisfactionGrade]

SESSION_PROPOSAL = component("SessionProposal", {**obj({
    "id": I(), "no": I("在本次会议中的序号（按提交先后）"), "session_id": I("所属会议"),
    "kind": S("proposal = 提案，motion = 提议", enum=["proposal", "motion"]),
    "lead_delegate_id": I(), "lead_name": S("领衔代表"), "cosigners": arr(S(), "联署代表姓名"),
    "title": S("案由"), "grounds": S("案据"), "solution": S("方案"), "submitted_on": DATE("提交日期"),
    "filing": FILING, "filing_label": S("立案审查（中文）"), "filing_reason": S("不立案或转为建议的理由"),
    "filed_at": nullable(DATETIME("审查时间")), "handling_unit": S("承办单位"),
    "reply_due_on": nullable(DATE("答复期限")), "overdue": B("答复是否逾期（期限当日不算逾期）"),
    "reply": S("答复"), "replied_on": nullable(DATE("答复日期")),
    "assessment": nullable(S("领衔代表对答复的评价：very_satisfied 非常满意、satisfied 基本满意、unsatisfied 不满意",
                             enum=GRADES)),
}, description="提交到年会的一件提案或提议及其立案审查、答复和评价"), "examples": [{
    "id": 41, "no": 3, "session_id": 5, "kind": "proposal", "lead_delegate_id": 12, "lead_name": "王芳",
    "cosigners": ["李娜", "张伟"], "title": "关于加强老旧小区加装电梯的提案", "grounds": "老旧小区居民上下楼困难",
    "solution": "统筹资金分批加装", "submitted_on": "2026-12-02", "filing": "filed", "filing_label": "立案",
    "filing_reason": "", "filed_at": "2026-12-16T02:00:00Z", "handling_unit": "区住房和城乡建设局",
    "reply_due_on": "2027-03-31", "overdue": False, "reply": "", "replied_on": None, "assessment": None}]})
SUBMIT_IN = {**obj({
    "lead_delegate_id": I("领衔代表（代表本人提交时可省略）", minimum=1, maximum=MAX_ID),
    "title": S("案由", minLength=1, maxLength=200), "grounds": S("案据", minLength=1, maxLength=10000),
    "solution": S("方案", minLength=1, maxLength=10000),
    "cosigner_ids": arr(I(minimum=1, maximum=MAX_ID), "联署代表编号（须为本届代表）", maxItems=100),
    "handling_unit": S("建议承办单位", maxLength=128),
    "kind": S("proposal = 提案（默认），motion = 提议", enum=["proposal", "motion"]),
}, required=["title", "grounds", "solution"], description="向本次会议提交提案"), "examples": [{
    "lead_delegate_id": 12, "title": "关于加强老旧小区加装电梯的提案", "grounds": "老旧小区居民上下楼困难",
    "solution": "统筹资金分批加装", "cosigner_ids": [13, 14], "handling_unit": "区住房和城乡建设局", "kind": "proposal"}]}
REVIEW_IN = {**obj({
    "proposal_id": I("本次会议的提案编号", minimum=1, maximum=MAX_ID),
    "decision": S("审查结果：filed 立案、not_filed 不立案、suggestion 转为建议", enum=list(svc.DECISIONS)),
    "handling_unit": S("承办单位（立案、转为建议必填）", maxLength=svc.MAX_UNIT),
    "reply_due_on": S("答复期限，如 2027-03-31（立案、转为建议必填，不早于今天）", format="date"),
    "reason": S("理由（不立案、转为建议必填）", maxLength=svc.MAX_REASON),
    "current_filing": S("审查前看到的状态（默认 pending 待审查；更改已有的审查结果时必填，他人已改动则返回409）",
                        enum=list(svc.FILING_LABELS)),
}, required=["proposal_id", "decision"], description="立案审查"), "examples": [{
    "proposal_id": 41, "decision": "filed", "handling_unit": "区住房和城乡建设局", "reply_due_on": "2027-03-31",
    "reason": "", "current_filing": "pending"}]}


def proposal_json(row: q.ProposalRow) -> dict:
    p = row.proposal
    return {"id": p.id, "no": row.no, "session_id": p.session_id, "kind": p.kind, "lead_delegate_id": p.lead_delegate_id,
            "lead_name": p.lead.name, "cosigners": row.cosigners, "title": p.title, "grounds": p.grounds,
            "solution": p.solution, "submitted_on": p.submitted_on, "filing": p.filing or "pending",
            "filing_label": row.filing_label, "filing_reason": p.filing_reason or "", "filed_at": utc(p.filed_at),
            "handling_unit": p.handling_unit or "", "reply_due_on": p.reply_due_on, "overdue": row.overdue,
            "reply": p.reply or "", "replied_on": p.replied_on, "assessment": p.assessment}


def _one(meeting, proposal_id: int) -> dict:
    db.session.expire_all()
    view = q.session_proposals(db.session, meeting, today_local())
    return proposal_json(next(r for r in view.rows if r.proposal.id == proposal_id))


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>/proposals", summary="本次会议的提案", tag=TAG,
          response=arr(SESSION_PROPOSAL), roles=VIEWERS,
          query=(Param("state", S(enum=list(q.STATE_FILTERS)), "按状态筛选：pending 待审查、filed 立案、"
                       "not_filed 不立案、suggestion 转为建议、replied 已答复、overdue 逾期未答复"),),
          description="与会议“提案”页面相同：按提交先后，附联署代表、立案审查、承办单位、答复期限、答复和评价。"
                      "代表只能看到本届会议的；不属于您的会议返回404。")
def list_session_proposals(assembly_session_id: int, args):
    meeting = session_or_404(db.session, user(), assembly_session_id)
    view = q.session_proposals(db.session, meeting, today_local())
    return [proposal_json(r) for r in view.only(args.get("state"))]


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/proposals", summary="向本次会议提交提案", tag=TAG,
          response=SESSION_PROPOSAL, status=201, roles=SUBMITTERS, body=SUBMIT_IN, errors=(404, 422),
          description="与会议“提案”页面的提交相同：在提案征集期内（首尾两日都含；未设征集期的，会议召开前）提交，"
                      "领衔和联署代表须为本届在任代表；提交日期为今天。按履职规则为领衔和联署代表计分（同登记提案）。"
                      "不在征集期、会议已召开返回422；不属于您的会议或领衔代表返回404。")
def submit_session_proposal(assembly_session_id: int, args, body):
    meeting = session_or_404(db.session, user(), assembly_session_id)
    lead = _loggable(body.get("lead_delegate_id"), "lead_delegate_id", "领衔代表")
    data = ProposalInput(lead.id, body["title"], body["grounds"], body["solution"], today_local(),
                         tuple(body.get("cosigner_ids") or ()), body.get("handling_unit") or "",
                         body.get("kind") or "proposal")
    p = svc.submit_proposal(db.session, user(), meeting.id, data, utcnow())
    return _one(meeting, p.id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/proposals/review", summary="立案审查", tag=TAG,
          response=SESSION_PROPOSAL, roles=MANAGERS, body=REVIEW_IN, errors=(404, 409, 422),
          description="与会议“提案”页面的审查相同：立案（须填承办单位和答复期限）、不立案（须填理由）、转为建议（须填"
                      "理由、承办单位和答复期限）。登记答复前可以更改审查结果（current_filing 填当前状态）；他人已先作出"
                      "审查或已答复返回409。一个事务，一条审计记录。")
def review_session_proposal(assembly_session_id: int, args, body):
    meeting = session_or_404(db.session, user(), assembly_session_id)
    due = parse_date(body["reply_due_on"], "reply_due_on", "答复期限") if body.get("reply_due_on") else None
    data = svc.ReviewInput(body["proposal_id"], body["decision"], body.get("handling_unit") or "", due,
                           body.get("reason") or "", body.get("current_filing") or "pending")
    p = svc.review_proposal(db.session, user(), meeting.id, data, utcnow())
    return _one(meeting, p.id)
