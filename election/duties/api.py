"""代表任期履职: delegates (and their status changes), activities, rankings, 群众诉求 and 提案
(with the handling unit's reply and its assessment) over the API.

The same rules as the pages (election/duties/views/): the 组织部 (管理员、选举办) and the 审计 see every
office, a 党代表工作室 token only its own office, a delegate only his or her own records, a 推荐单位 nothing of
this. What is out of scope answers exactly like a missing id (404). Every write is one service call.

This module holds the offices, the delegate roll, the activities and the rankings; ``api_petitions``,
``api_proposals`` and ``api_delegate_status`` follow it in the document (election/areas.py API_MODULES). The schemas
are in ``api_schemas``, the scope lookups in ``api_scope``.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from election.api import (
    PAGE_PARAMS,
    I,
    Param,
    S,
    endpoint,
    not_found,
    page_of,
    paginate,
    parse_date,
    user,
    utc,
    validation,
)
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.permissions import has_role
from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.api_schemas import (
    ACTIVITY,
    ACTIVITY_IN,
    ACTIVITY_STATUSES,
    DELEGATE,
    DELEGATE_DETAIL,
    DL,
    ID,
    OFFICE,
    RANKING,
    RETURN_IN,
    STAFF,
    STANDING,
    STATUSES,
    TAG,
    WRITERS,
    YEAR,
)
from election.duties.api_scope import _delegate_or_404, _loggable, _own_delegate, _scope, _year_range
from election.duties.models import LEVELS, ActivityAttachment, ActivityRecord, DelegateStatusChange, TermDelegate
from workflow import duties as wd
from workflow.duties.delegate_status import DelegateStatus


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
            "native_place": d.native_place, "party_join_date": d.party_join_date, "work_start_date": d.work_start_date,
            "education": d.education, "category": d.category, "source_delegate_id": d.source_delegate_id,
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
