"""代表任期履职 (issue 8 services): delegates (and their status changes), activities, rankings, 群众诉求 and 提案
(with the handling unit's reply and its assessment) over the API.

The same rules as the pages (election/duties/views.py): the 组织部 (管理员、选举办) and the 审计 see every
office, a 党代表工作室 token only its own office, a delegate only his or her own records, a 推荐单位 nothing of
this. What is out of scope answers exactly like a missing id (404). Every write is one service call.
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import func, select

from election.api import (
    DATE,
    DATETIME,
    MAX_ID,
    PAGE_PARAMS,
    ApiError,
    B,
    I,
    Param,
    S,
    arr,
    blockers,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate,
    parse_date,
    tag,
    user,
    utc,
    validation,
)
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound
from election.core.permissions import has_role
from election.core.roles import Role
from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.models import (
    LEVELS,
    ActivityAttachment,
    ActivityRecord,
    DelegateStatusChange,
    Petition,
    Proposal,
    ProposalCosigner,
    TermDelegate,
)
from workflow import duties as wd
from workflow.duties.delegate_status import DecisionRecord, DelegateStatus, StatusReason
from workflow.duties.petitions import PetitionLimits, PetitionState

TAG = tag("代表履职", "任期内代表：名册、履职活动登记与核实、积分排名、群众诉求、提案")

A, O, ST, DL, AU = Role.admin, Role.office, Role.studio, Role.delegate, Role.auditor
STAFF = (A, O, ST, AU)            # = svc.can_view_duties
WRITERS = (A, O, ST)              # the 审计 reads duty records but never acts on them
STATUSES = [s.value for s in DelegateStatus]
ACTIVITY_STATUSES = [s.value for s in wd.ActivityStatus]
STATES = [s.value for s in PetitionState]
GRADES = [g.value for g in wd.SatisfactionGrade]
ID = I(minimum=1, maximum=MAX_ID)
YEAR = I(minimum=2000, maximum=2100)


def one_of(values: list[str], description: str = "") -> dict:
    return {"anyOf": [S(description, enum=values), {"type": "null"}]}


# ---------------------------------------------------------------------------------------------- schemas
OFFICE = component("DelegateOffice", obj({"id": I(), "name": S("工作室名称"), "level": S("层级"), "address": S()}))
DELEGATE = component("TermDelegate", obj({
    "id": I(), "name": S("姓名"), "gender": S(enum=["男", "女"]), "birth_date": nullable(DATE()), "ethnicity": S(),
    "level": S("代表层级", enum=list(LEVELS)), "congress": S("党代会届次"), "term_start": DATE(), "term_end": DATE(),
    "electing_unit": S("选举单位"), "workplace": S("工作单位及职务"), "phone": S("联系电话"),
    "office_id": nullable(I()), "office_name": nullable(S("党代表工作室")), "group_name": S("代表小组"),
    "group_role": one_of(["组长", "副组长"]), "status": S(enum=STATUSES), "status_label": S("在任/资格终止/停止执行"),
    "status_reason": one_of([r.value for r in StatusReason], "资格变动原因"), "status_issuer": nullable(S("决定机关")),
    "status_doc_no": nullable(S("决定文号")), "status_decided_on": nullable(DATE()),
}))
STATUS_CHANGE = obj({"from_status": S(enum=STATUSES), "to_status": S(enum=STATUSES), "reason": S(), "issuer": S(),
                     "doc_no": S(), "decided_on": DATE(), "filed_upward_to": S(), "at": DATETIME()})
DELEGATE_DETAIL = component("TermDelegateDetail", obj({"delegate": DELEGATE,
                                                      "history": arr(STATUS_CHANGE, "资格变动记录（每条附决定）")}))
ACTIVITY = component("DutyActivity", obj({
    "id": I(), "delegate_id": I(), "delegate_name": S(), "office_id": nullable(I()), "type_code": S("活动类型代码"),
    "type_label": S("活动类型"), "on": DATE("活动日期"), "place": S(), "description": S(), "people": S("参与人员/服务对象"),
    "grade": one_of(GRADES, "群众满意度（按满意度计分的类型）"), "role": S("领衔/联署", enum=["lead", "co_signer"]),
    "status": S(enum=ACTIVITY_STATUSES), "status_label": S("待核实/已核实/已退回"), "return_reason": nullable(S("退回理由")),
    "verified_at": nullable(DATETIME()), "created_at": DATETIME(), "petition_id": nullable(I()),
    "proposal_id": nullable(I()), "attachments": I("附件数"),
}))
RANK_LINE = obj({"rank": I(), "rank_text": S("如“第2名（并列）”"), "delegate_id": I(), "name": S(), "office": S(),
                 "level": S(), "points": I("积分")})
CHOICE = obj({"value": S(), "label": S()})
RANKING = component("DutyRanking", obj({
    "year": I(), "until": DATE("积分截至日期"), "period_label": S(), "group": S("排名范围，如 office:3 或 level:区"),
    "group_label": S(), "lines": arr(RANK_LINE, "按积分排名（并列者按姓氏笔画）"),
    "groups": arr(CHOICE, "可选的排名范围"), "periods": arr(obj({"value": I(), "label": S()}), "可选的公布期（0 为截至今天）"),
}))
REQUIREMENT = obj({"code": S(), "label": S(), "period_start": DATE(), "period_end": DATE("期末或截止日期"),
                   "needed": I(), "done": I("已核实的次数"), "pending": I("待核实的次数"), "met": B()})
STANDING = component("DutyStanding", obj({
    "delegate_id": I(), "name": S(), "year": I(), "total": I("积分合计"), "rank": nullable(I("在本工作室的名次")),
    "rank_text": nullable(S()), "group_size": I("本工作室在任代表数"), "explain": arr(S(), "积分说明（逐类、封顶、未计分）"),
    "requirements": arr(REQUIREMENT, "履职要求完成情况"), "ruleset_name": S("施行的履职规则"),
}))
PETITION = component("Petition", obj({
    "id": I(), "office_id": I(), "office_name": S(), "delegate_id": nullable(I()), "delegate_name": nullable(S()),
    "resident_name": S("群众姓名"), "resident_phone": S(), "content": S("诉求内容"), "state": S(enum=STATES),
    "state_label": S("登记/接待/处理/回复/反馈/归档"), "registered_at": DATETIME(), "received_at": nullable(DATETIME()),
    "processing_at": nullable(DATETIME()), "replied_at": nullable(DATETIME()), "feedback_at": nullable(DATETIME()),
    "archived_at": nullable(DATETIME()), "receiver": S("接待人"), "handler": S("办理人/单位"), "reply": S("回复内容"),
    "grade": one_of(GRADES, "群众满意度"), "feedback_note": S(), "archive_note": S(), "return_reason": S("反馈后重新办理的理由"),
    "overdue": arr(S(), "超期情况"), "next_steps": arr(S(enum=STATES), "现在可进入的步骤"),
}))
PROPOSAL = component("Proposal", obj({
    "id": I(), "kind": S("proposal = 提案，motion = 提议", enum=["proposal", "motion"]), "lead_delegate_id": I(),
    "lead_name": S("领衔代表"), "title": S("案由"), "grounds": S("案据"), "solution": S("方案"), "submitted_on": DATE(),
    "handling_unit": S("承办单位"), "reply": S("答复"), "replied_on": nullable(DATE()),
    "assessment": one_of(GRADES, "对答复的评价"), "cosigners": arr(obj({"delegate_id": I(), "name": S()}), "联署代表"),
    "created_at": DATETIME(),
}))

ACTIVITY_IN = obj({
    "delegate_id": I("代表编号（代表本人登记时可省略）", minimum=1, maximum=MAX_ID),
    "type_code": S("活动类型代码（见履职规则，如 duty_reception）", minLength=1, maxLength=32),
    "on": S("活动日期，如 2026-03-31", format="date"), "place": S("地点", maxLength=200),
    "description": S("活动内容", minLength=1, maxLength=5000), "people": S("参与人员/服务对象", maxLength=500),
    "grade": S("群众满意度（按满意度计分的类型必填）", enum=GRADES),
}, required=["type_code", "on", "description"])
RETURN_IN = obj({"reason": S("退回理由：需要补充或更正的内容", minLength=1, maxLength=2000)})
PETITION_IN = obj({
    "resident_name": S("群众姓名", minLength=1, maxLength=64), "content": S("诉求内容", minLength=1, maxLength=5000),
    "resident_phone": S("联系电话", maxLength=32), "delegate_id": nullable(I("代理/办理代表", minimum=1, maximum=MAX_ID)),
    "office_id": nullable(I("受理的工作室（工作室人员可省略，总是本工作室）", minimum=1, maximum=MAX_ID)),
}, required=["resident_name", "content"])
MOVE_IN = obj({
    "target": S("进入的步骤", enum=STATES), "receiver": S("接待人（接待时必填）", maxLength=64),
    "handler": S("办理人/单位（处理时必填）", maxLength=128), "reply": S("回复内容（回复时必填）", maxLength=5000),
    "grade": S("群众满意度（反馈时必填）", enum=GRADES), "feedback_note": S(maxLength=5000),
    "archive_note": S(maxLength=5000), "reason": S("反馈不满意、重新处理的理由", maxLength=2000),
}, required=["target"])
PROPOSAL_IN = obj({
    "lead_delegate_id": I("领衔代表（代表本人登记时可省略）", minimum=1, maximum=MAX_ID),
    "title": S("案由", minLength=1, maxLength=200), "grounds": S("案据", minLength=1, maxLength=10000),
    "solution": S("方案", minLength=1, maxLength=10000), "submitted_on": S("提出日期", format="date"),
    "cosigner_ids": arr(I(minimum=1, maximum=MAX_ID), "联署代表编号", maxItems=100),
    "handling_unit": S("承办单位", maxLength=128), "kind": S("proposal = 提案（默认），motion = 提议", enum=["proposal", "motion"]),
}, required=["title", "grounds", "solution", "submitted_on"])
REPLY_IN = obj({
    "handling_unit": S("承办单位", minLength=1, maxLength=128), "reply": S("答复内容", minLength=1, maxLength=4000),
    "replied_on": S("答复日期，如 2026-04-30（不早于提出日期）", format="date"),
})
ASSESS_IN = obj({"assessment": S("对答复的评价：very_satisfied = 非常满意，satisfied = 基本满意，unsatisfied = 不满意",
                                 enum=GRADES)})
STATUS_IN = obj({
    "target": S("变更为：terminated = 资格终止，suspended = 停止执行代表职务",
                enum=[s.value for s in DelegateStatus if s is not DelegateStatus.serving]),
    "reason": S("原因（须与变更后的状态相符：调离本地区为停止执行代表职务，其余为资格终止）",
                enum=[r.value for r in StatusReason]),
    "issuer": S("作出决定的机关，如 中共某区委", minLength=1, maxLength=128),
    "doc_no": S("决定文号", minLength=1, maxLength=64), "decided_on": S("决定日期（不晚于今天）", format="date"),
    "filed_upward_to": S("报上级党组织备案（可省略）", maxLength=128),
}, required=["target", "reason", "issuer", "doc_no", "decided_on"], description="代表状态变更及党委的决定")


# ---------------------------------------------------------------------------------------------- scope
def _scope() -> int | None:
    return svc.office_scope(user())


def _own_delegate() -> TermDelegate | None:
    return svc.delegate_of_user(db.session, user()) if has_role(user(), DL) else None


def _sees_office(office_id: int | None) -> bool:
    """Office staff of that office, the 组织部, or the read-only 审计 (as the petition and proposal pages)."""
    return svc.can_staff_office(user(), office_id) or has_role(user(), AU)


def _delegate_or_404(delegate_id: int) -> TermDelegate:
    d = db.session.get(TermDelegate, delegate_id)
    if d is None or not _sees_office(d.office_id):
        raise not_found("代表")
    return d


def _loggable(delegate_id: int | None, field: str, what: str) -> TermDelegate:
    """The delegate a write names in its body: one the caller may log for, else a 422 (no existence oracle)."""
    own = _own_delegate()
    if own is not None and delegate_id is None:
        return own
    if delegate_id is None:
        raise validation("提交的数据有误，请按逐项说明修改。", [{"field": field, "message": f"请填写{what}编号"}])
    d = db.session.get(TermDelegate, delegate_id)
    if d is None or not svc.can_log_for(user(), d):
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": field, "message": f"{what}{delegate_id}不存在，或不是您可以登记的代表"}])
    return d


def _office_names() -> dict[int, str]:
    return dict(db.session.execute(select(DelegateOffice.id, DelegateOffice.name)).all())


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# ---------------------------------------------------------------------------------------------- offices, delegates
@endpoint("GET", "/duties/offices", summary="党代表工作室", tag=TAG, response=page_of(OFFICE, "DelegateOffice"),
          roles=STAFF, query=PAGE_PARAMS, description="党代表工作室人员只看到本工作室。")
def list_offices(args):
    query = select(DelegateOffice).order_by(DelegateOffice.id)
    if _scope() is not None:
        query = query.where(DelegateOffice.id == _scope())
    return paginate(db.session, query, args).as_dict(
        lambda o: {"id": o.id, "name": o.name, "level": o.level, "address": o.address})


def delegate_json(d: TermDelegate) -> dict:
    return {"id": d.id, "name": d.name, "gender": d.gender, "birth_date": d.birth_date, "ethnicity": d.ethnicity,
            "level": d.level, "congress": d.congress, "term_start": d.term_start, "term_end": d.term_end,
            "electing_unit": d.electing_unit, "workplace": d.workplace, "phone": d.phone, "office_id": d.office_id,
            "office_name": d.office.name if d.office else None, "group_name": d.group_name, "group_role": d.group_role,
            "status": d.status, "status_label": DelegateStatus(d.status).label, "status_reason": d.status_reason,
            "status_issuer": d.status_issuer, "status_doc_no": d.status_doc_no,
            "status_decided_on": d.status_decided_on}


@endpoint("GET", "/duties/delegates", summary="任期代表名册", tag=TAG, response=page_of(DELEGATE, "TermDelegate"),
          roles=STAFF, query=(*PAGE_PARAMS, Param("level", S(enum=list(LEVELS)), "按代表层级筛选"),
                              Param("office_id", ID, "按党代表工作室筛选"), Param("status", S(enum=STATUSES), "按状态筛选"),
                              Param("q", S(maxLength=64), "按姓名包含的文字筛选")),
          description="党代表工作室人员只看到本工作室的代表。")
def list_term_delegates(args):
    query = select(TermDelegate).order_by(TermDelegate.level, TermDelegate.office_id, TermDelegate.id)
    if _scope() is not None:
        query = query.where(TermDelegate.office_id == _scope())
    for name in ("level", "office_id", "status"):
        if args[name]:
            query = query.where(getattr(TermDelegate, name) == args[name])
    if args["q"]:
        query = query.where(TermDelegate.name.contains(args["q"].strip()))
    return paginate(db.session, query, args).as_dict(delegate_json)


@endpoint("GET", "/duties/delegates/<int:delegate_id>", summary="任期代表详情及资格变动", tag=TAG,
          response=DELEGATE_DETAIL, roles=STAFF, description="其他工作室的代表返回404。")
def get_term_delegate(delegate_id: int, args):
    return _delegate_detail(_delegate_or_404(delegate_id))


def _delegate_detail(d: TermDelegate) -> dict:
    history = db.session.scalars(select(DelegateStatusChange).where(DelegateStatusChange.delegate_id == d.id)
                                 .order_by(DelegateStatusChange.id)).all()
    return {"delegate": delegate_json(d), "history": [
        {"from_status": h.from_status, "to_status": h.to_status, "reason": h.reason, "issuer": h.issuer,
         "doc_no": h.doc_no, "decided_on": h.decided_on, "filed_upward_to": h.filed_upward_to, "at": utc(h.at)}
        for h in history]}


# ---------------------------------------------------------------------------------------------- activities
def _activity_json(labels: dict[str, str], attachments: dict[int, int]):
    def convert(r: ActivityRecord) -> dict:
        return {"id": r.id, "delegate_id": r.delegate_id, "delegate_name": r.delegate.name,
                "office_id": r.delegate.office_id, "type_code": r.type_code,
                "type_label": labels.get(r.type_code, r.type_code), "on": r.on, "place": r.place,
                "description": r.description, "people": r.people, "grade": r.grade, "role": r.role,
                "status": r.status, "status_label": wd.ActivityStatus(r.status).label,
                "return_reason": r.return_reason, "verified_at": utc(r.verified_at), "created_at": utc(r.created_at),
                "petition_id": r.petition_id, "proposal_id": r.proposal_id, "attachments": attachments.get(r.id, 0)}

    return convert


def _labels() -> dict[str, str]:
    return svc.type_labels(svc.load_rulebooks(db.session).values())


def _activities_out(records: list[ActivityRecord]):
    ids = [r.id for r in records]
    counts = dict(db.session.execute(select(ActivityAttachment.activity_id, func.count())
                                     .where(ActivityAttachment.activity_id.in_(ids))
                                     .group_by(ActivityAttachment.activity_id)).all()) if ids else {}
    return _activity_json(_labels(), counts)


def _activity_out(rec: ActivityRecord) -> dict:
    return _activities_out([rec])(rec)


@endpoint("GET", "/duties/activities", summary="履职活动", tag=TAG, response=page_of(ACTIVITY, "DutyActivity"),
          roles=(*STAFF, DL),
          query=(*PAGE_PARAMS, Param("delegate_id", ID, "按代表筛选"), Param("office_id", ID, "按党代表工作室筛选"),
                 Param("status", S(enum=ACTIVITY_STATUSES), "按状态筛选（pending 即待核实）"),
                 Param("year", YEAR, "活动日期所在年份"), Param("type_code", S(maxLength=32), "按活动类型代码筛选")),
          description="按活动日期倒序。党代表工作室人员只看到本工作室代表的活动，代表只看到本人的活动。")
def list_activities(args):
    query = (select(ActivityRecord).join(TermDelegate, TermDelegate.id == ActivityRecord.delegate_id)
             .order_by(ActivityRecord.on.desc(), ActivityRecord.id.desc()))
    if has_role(user(), DL):
        own = _own_delegate()
        query = query.where(ActivityRecord.delegate_id == (own.id if own else 0))
    elif _scope() is not None:
        query = query.where(TermDelegate.office_id == _scope())
    if args["delegate_id"]:
        query = query.where(ActivityRecord.delegate_id == args["delegate_id"])
    if args["office_id"]:
        query = query.where(TermDelegate.office_id == args["office_id"])
    if args["status"]:
        query = query.where(ActivityRecord.status == args["status"])
    if args["type_code"]:
        query = query.where(ActivityRecord.type_code == args["type_code"].strip())
    if args["year"]:
        first, last = _year_range(args["year"])
        query = query.where(ActivityRecord.on >= first, ActivityRecord.on <= last)
    page = paginate(db.session, query, args)
    return page.as_dict(_activities_out(page.items))


@endpoint("POST", "/duties/activities", summary="登记履职活动", tag=TAG, response=ACTIVITY, status=201,
          roles=(*WRITERS, DL), body=ACTIVITY_IN,
          description="代表为本人登记，工作室人员为本工作室的代表登记（附件请在页面上传）。登记后为“待核实”，"
                      "核实后计入积分；积分按活动日期施行的履职规则计算。")
def log_activity(args, body):
    d = _loggable(body.get("delegate_id"), "delegate_id", "代表")
    on = parse_date(body["on"], "on", "活动日期")
    data = svc.ActivityInput(body["type_code"].strip(), on, body.get("place", ""), body["description"],
                             body.get("people", ""), body.get("grade"))
    rec = svc.log_activity(db.session, user(), d.id, data, [], current_app.config["UPLOAD_DIR"], today_local(),
                           utcnow())
    return _activity_out(rec)


def _reviewable(activity_id: int) -> ActivityRecord:
    rec = db.session.get(ActivityRecord, activity_id)
    if rec is None or not svc.can_staff_office(user(), rec.delegate.office_id):
        raise not_found("活动")
    return rec


@endpoint("POST", "/duties/activities/<int:activity_id>/verify", summary="核实履职活动", tag=TAG, response=ACTIVITY,
          roles=WRITERS, errors=(422,), description="只能核实本工作室代表的待核实活动；核实后计入积分。")
def verify_activity(activity_id: int, args):
    rec = _reviewable(activity_id)
    return _activity_out(svc.review_activity(db.session, user(), rec.id, True, "", utcnow()))


@endpoint("POST", "/duties/activities/<int:activity_id>/return", summary="退回履职活动", tag=TAG, response=ACTIVITY,
          roles=WRITERS, body=RETURN_IN, description="退回须写明理由，代表将看到退回理由。")
def return_activity(activity_id: int, args, body):
    rec = _reviewable(activity_id)
    return _activity_out(svc.review_activity(db.session, user(), rec.id, False, body["reason"], utcnow()))


# ---------------------------------------------------------------------------------------------- rankings
@endpoint("GET", "/duties/rankings", summary="履职积分排名", tag=TAG, response=RANKING, roles=STAFF,
          query=(Param("year", YEAR, "积分年度（默认今年）"), Param("office_id", ID, "在一个工作室内排名"),
                 Param("level", S(enum=list(LEVELS)), "在一个层级的代表中排名（工作室人员不可用）"),
                 Param("period", I(minimum=0, maximum=12, default=0), "0 = 截至今天；n = 第n个公布期")),
          description="与页面同源（compute_ranking）。不指定范围时为第一个可选范围；工作室人员只能查看本工作室。")
def get_ranking(args):
    if args["office_id"] and args["level"]:
        raise validation("查询参数有误，请按说明修改。",
                         [{"field": "level", "message": "office_id 与 level 只能选一个"}])
    group = f"office:{args['office_id']}" if args["office_id"] else f"level:{args['level']}" if args["level"] else None
    view = svc.compute_ranking(db.session, user(), args["year"] or today_local().year, group, args["period"] or 0,
                               today_local())
    return {"year": view.year, "until": view.until, "period_label": view.period_label, "group": view.group,
            "group_label": view.group_label,
            "lines": [{"rank": ln.rank, "rank_text": ln.rank_text, "delegate_id": ln.delegate_id, "name": ln.name,
                       "office": ln.office, "level": ln.level, "points": ln.points} for ln in view.lines],
            "groups": [{"value": v, "label": label} for v, label in view.groups],
            "periods": [{"value": v, "label": label} for v, label in view.periods]}


@endpoint("GET", "/duties/rankings/me", summary="我的积分和名次", tag=TAG, response=STANDING, roles=(DL,),
          query=(Param("year", YEAR, "积分年度（默认今年）"),),
          description="代表本人：积分及说明、在本工作室的名次、履职要求完成情况（与“我的履职”页面相同）。")
def my_standing(args):
    own = _own_delegate()
    if own is None:
        raise not_found("代表")
    s = svc.my_standing(db.session, own, args["year"] or today_local().year, today_local())
    return {"delegate_id": own.id, "name": own.name, "year": s.year, "total": s.total,
            "rank": s.rank.rank if s.rank else None, "rank_text": s.rank.rank_text if s.rank else None,
            "group_size": s.group_size, "explain": list(s.explain),
            "requirements": [{"code": r.code, "label": r.label, "period_start": r.period.start,
                              "period_end": r.period.end, "needed": r.needed, "done": r.done, "pending": r.pending,
                              "met": r.met} for r in s.requirements],
            "ruleset_name": s.ruleset_name}


# ---------------------------------------------------------------------------------------------- petitions
def _limits() -> PetitionLimits:
    c = current_app.config
    return PetitionLimits(take_up_days=int(c.get("PETITION_TAKE_UP_DAYS", 3)),
                          answer_days=int(c.get("PETITION_ANSWER_DAYS", 7)))


def _petitions_out(items: list[Petition]):
    offices = _office_names()
    overdue = svc.overdue_of(items, today_local(), _limits())

    def convert(p: Petition) -> dict:
        return {"id": p.id, "office_id": p.office_id, "office_name": offices.get(p.office_id, ""),
                "delegate_id": p.delegate_id, "delegate_name": p.delegate.name if p.delegate else None,
                "resident_name": p.resident_name, "resident_phone": p.resident_phone, "content": p.content,
                "state": p.state, "state_label": PetitionState(p.state).label, "registered_at": utc(p.registered_at),
                "received_at": utc(p.received_at), "processing_at": utc(p.processing_at),
                "replied_at": utc(p.replied_at), "feedback_at": utc(p.feedback_at), "archived_at": utc(p.archived_at),
                "receiver": p.receiver, "handler": p.handler, "reply": p.reply, "grade": p.grade,
                "feedback_note": p.feedback_note, "archive_note": p.archive_note, "return_reason": p.return_reason,
                "overdue": [o.message for o in overdue.get(p.id, [])],
                "next_steps": [s.value for s in svc.enabled_moves(p)]}

    return convert


def _petition_out(p: Petition) -> dict:
    return _petitions_out([p])(p)


def _petition_or_404(petition_id: int, *, write: bool = False) -> Petition:
    p = db.session.get(Petition, petition_id)
    allowed = svc.can_staff_office(user(), p.office_id) if p and write else p is not None and _sees_office(p.office_id)
    if not allowed:
        raise not_found("群众诉求")
    return p


@endpoint("GET", "/duties/petitions", summary="群众诉求", tag=TAG, response=page_of(PETITION, "Petition"), roles=STAFF,
          query=(*PAGE_PARAMS, Param("state", S(enum=STATES), "按步骤筛选"), Param("office_id", ID, "按工作室筛选"),
                 Param("delegate_id", ID, "按代理/办理代表筛选")),
          description="按登记时间倒序。工作室人员只看到本工作室的诉求。")
def list_petitions(args):
    query = select(Petition).order_by(Petition.registered_at.desc(), Petition.id.desc())
    if _scope() is not None:
        query = query.where(Petition.office_id == _scope())
    for name in ("state", "office_id", "delegate_id"):
        if args[name]:
            query = query.where(getattr(Petition, name) == args[name])
    page = paginate(db.session, query, args)
    return page.as_dict(_petitions_out(page.items))


@endpoint("GET", "/duties/petitions/<int:petition_id>", summary="群众诉求详情", tag=TAG, response=PETITION, roles=STAFF,
          description="其他工作室的诉求返回404。")
def get_petition(petition_id: int, args):
    return _petition_out(_petition_or_404(petition_id))


@endpoint("POST", "/duties/petitions", summary="登记群众诉求", tag=TAG, response=PETITION, status=201,
          roles=WRITERS, body=PETITION_IN,
          description="工作室人员总是登记在本工作室；组织部须指定 office_id。代理代表须属于受理的工作室。")
def register_petition(args, body):
    data = svc.PetitionInput(body["resident_name"], body["content"], body.get("resident_phone") or "",
                             body.get("delegate_id"), body.get("office_id"))
    try:
        p = svc.register_petition(db.session, user(), data, utcnow())
    except NotFound:
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": "delegate_id", "message": f"代表{data.delegate_id}不存在"}]) from None
    return _petition_out(p)


@endpoint("POST", "/duties/petitions/<int:petition_id>/move", summary="群众诉求进入下一步", tag=TAG,
          response=PETITION, roles=WRITERS, body=MOVE_IN,
          description="六个步骤：登记 → 接待 → 处理 → 回复 → 反馈 → 归档（反馈不满意可退回处理，须写理由）。"
                      "不能进入时返回422并在 details 中列出全部原因。反馈的满意度为代理代表计“诉求解决”积分。")
def move_petition(petition_id: int, args, body):
    p = _petition_or_404(petition_id, write=True)
    form = {k: v for k, v in body.items() if k != "target"}
    found = svc.move_petition(db.session, user(), p.id, body["target"], form, utcnow())
    if found:
        raise ApiError(422, "petition_blocked", "诉求不能进入该步骤，请先处理以下问题。", blockers(found))
    db.session.refresh(p)
    return _petition_out(p)


# ---------------------------------------------------------------------------------------------- proposals
def _proposals_out(items: list[Proposal]):
    ids = [p.id for p in items]
    names: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for pid, did, name in db.session.execute(
                select(ProposalCosigner.proposal_id, TermDelegate.id, TermDelegate.name)
                .join(TermDelegate, TermDelegate.id == ProposalCosigner.delegate_id)
                .where(ProposalCosigner.proposal_id.in_(ids)).order_by(ProposalCosigner.id)):
            names[pid].append({"delegate_id": did, "name": name})

    def convert(p: Proposal) -> dict:
        return {"id": p.id, "kind": p.kind, "lead_delegate_id": p.lead_delegate_id, "lead_name": p.lead.name,
                "title": p.title, "grounds": p.grounds, "solution": p.solution, "submitted_on": p.submitted_on,
                "handling_unit": p.handling_unit, "reply": p.reply, "replied_on": p.replied_on,
                "assessment": p.assessment, "cosigners": names.get(p.id, []), "created_at": utc(p.created_at)}

    return convert


@endpoint("GET", "/duties/proposals", summary="提案和提议", tag=TAG, response=page_of(PROPOSAL, "Proposal"),
          roles=(*STAFF, DL),
          query=(*PAGE_PARAMS, Param("kind", S(enum=["proposal", "motion"]), "提案或提议"),
                 Param("year", YEAR, "提出日期所在年份"), Param("delegate_id", ID, "按领衔代表筛选")),
          description="按提出日期倒序。工作室人员只看到本工作室代表领衔的，代表只看到本人领衔的。")
def list_proposals(args):
    query = (select(Proposal).join(TermDelegate, TermDelegate.id == Proposal.lead_delegate_id)
             .order_by(Proposal.submitted_on.desc(), Proposal.id.desc()))
    if has_role(user(), DL):
        own = _own_delegate()
        query = query.where(Proposal.lead_delegate_id == (own.id if own else 0))
    elif _scope() is not None:
        query = query.where(TermDelegate.office_id == _scope())
    if args["kind"]:
        query = query.where(Proposal.kind == args["kind"])
    if args["delegate_id"]:
        query = query.where(Proposal.lead_delegate_id == args["delegate_id"])
    if args["year"]:
        first, last = _year_range(args["year"])
        query = query.where(Proposal.submitted_on >= first, Proposal.submitted_on <= last)
    page = paginate(db.session, query, args)
    return page.as_dict(_proposals_out(page.items))


@endpoint("GET", "/duties/proposals/<int:proposal_id>", summary="提案详情", tag=TAG, response=PROPOSAL,
          roles=(*STAFF, DL), description="领衔代表本人、本工作室人员、组织部和审计可查看；其他返回404。")
def get_proposal(proposal_id: int, args):
    p = db.session.get(Proposal, proposal_id)
    if p is None or not (svc.can_log_for(user(), p.lead) or has_role(user(), AU)):
        raise not_found("提案")
    return _proposals_out([p])(p)


@endpoint("POST", "/duties/proposals", summary="登记提案或提议", tag=TAG, response=PROPOSAL, status=201,
          roles=(*WRITERS, DL), body=PROPOSAL_IN,
          description="案由、案据、方案必填。领衔和联署代表按履职规则计分（联署提案每年封顶）；"
                      "代表本人登记的待工作室核实，工作室人员登记的直接核实。")
def create_proposal(args, body):
    lead = _loggable(body.get("lead_delegate_id"), "lead_delegate_id", "领衔代表")
    data = svc.ProposalInput(lead.id, body["title"], body["grounds"], body["solution"],
                             parse_date(body["submitted_on"], "submitted_on", "提出日期"),
                             tuple(body.get("cosigner_ids") or ()), body.get("handling_unit") or "",
                             body.get("kind") or "proposal")
    p = svc.create_proposal(db.session, user(), data, utcnow())
    return _proposals_out([p])(p)


@endpoint("POST", "/duties/proposals/<int:proposal_id>/reply", summary="登记承办单位的答复", tag=TAG,
          response=PROPOSAL, roles=WRITERS, body=REPLY_IN,
          description="本工作室代表领衔的提案（组织部：所有提案）；其他返回404。可再次登记以更正答复。")
def reply_proposal(proposal_id: int, args, body):
    p = db.session.get(Proposal, proposal_id)
    if p is None or not svc.can_staff_office(user(), p.lead.office_id):
        raise not_found("提案")
    replied_on = parse_date(body["replied_on"], "replied_on", "答复日期")
    svc.reply_proposal(db.session, user(), p.id, body["handling_unit"], body["reply"], replied_on, utcnow())
    db.session.refresh(p)
    return _proposals_out([p])(p)


@endpoint("POST", "/duties/proposals/<int:proposal_id>/assessment", summary="评价答复", tag=TAG, response=PROPOSAL,
          roles=(*WRITERS, DL), body=ASSESS_IN,
          description="领衔代表本人或本工作室人员评价承办单位的答复；尚未答复时返回422，其他人的提案返回404。")
def assess_proposal(proposal_id: int, args, body):
    p = db.session.get(Proposal, proposal_id)
    if p is None or not svc.can_log_for(user(), p.lead):
        raise not_found("提案")
    svc.assess_proposal(db.session, user(), p.id, body["assessment"], utcnow())
    db.session.refresh(p)
    return _proposals_out([p])(p)


# ---------------------------------------------------------------------------------------------- delegate status
@endpoint("POST", "/duties/delegates/<int:delegate_id>/status", summary="变更代表状态（资格终止、停止执行代表职务）",
          tag=TAG, response=DELEGATE_DETAIL, roles=(A, O), body=STATUS_IN,
          description="组织部依据党委的决定（决定机关、文号、决定日期）变更，原因须与状态相符；资格终止后不能再变更。"
                      "不能变更时返回422并在 details 中列出全部原因，什么也不保存。")
def change_delegate_status(delegate_id: int, args, body):
    d = _delegate_or_404(delegate_id)
    decided_on = parse_date(body["decided_on"], "decided_on", "决定日期")
    record = DecisionRecord(body["issuer"], body["doc_no"], decided_on, body.get("filed_upward_to") or "")
    found = svc.change_delegate_status(db.session, user(), d.id, body["target"], body["reason"], record, today_local(),
                                       utcnow())
    if found:
        raise ApiError(422, "status_blocked", "代表状态不能变更，请先处理以下问题。", blockers(found))
    db.session.refresh(d)
    return _delegate_detail(d)
