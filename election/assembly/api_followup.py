"""A session's resolutions and follow-up over the API (docs/rules.md §7), as the 决议与整改 page and the follow-up
list offer them: the resolutions with their implementation report, the follow-ups (raised, moved on, owner and
deadline changed), all follow-ups in the user's part with the overdue first."""
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
from election.assembly.services import followup as svc
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.roles import Role

TAG = tag("年会决议与整改", "党代会年会通过的决议及其落实情况，会议提出问题的整改事项（责任单位、期限、进展），"
                     "下一次会议议程列出其整改情况")
VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
READERS = (Role.admin, Role.office, Role.auditor)
MAX_ID = 2_147_483_647
SOURCE = S("问题来源：appraisal 民主评议、resolution 决议、proposal 提案、other 其他", enum=list(svc.SOURCE_LABELS))
STATUS = S("状态：open 未开始、in_progress 整改中、done 已完成", enum=list(svc.STATUS_LABELS))

RESOLUTION = component("AssemblyResolution", {**obj({
    "id": I(), "session_id": I("所属会议"), "title": S("决议名称"), "text": S("决议正文"),
    "adopted_on": DATE("通过日期"), "implementation": S("落实情况（未报告为空）"),
    "implementation_reported_on": nullable(DATE("落实情况报告日期")), "created_at": DATETIME("登记时间"),
}, description="年会通过的一项决议"), "examples": [{
    "id": 3, "session_id": 5, "title": "关于中共某区委员会工作报告的决议", "text": "会议同意区委工作报告。",
    "adopted_on": "2026-12-16", "implementation": "", "implementation_reported_on": None,
    "created_at": "2026-12-16T02:00:00Z"}]})
FOLLOWUP = component("AssemblyFollowUp", {**obj({
    "id": I(), "session_id": I("提出问题的会议"), "session_title": S("会议名称"), "source": SOURCE,
    "appraisal_object_id": nullable(I("相关评议对象")), "resolution_id": nullable(I("相关决议")),
    "problem": S("问题"), "owner": S("责任单位"), "due_on": DATE("整改期限"), "status": STATUS,
    "state": S("状态（中文，逾期时注明）"), "overdue": B("是否逾期（期限当日不算逾期；逾期完成的也为true）"),
    "progress": S("整改措施与进展"), "done_on": nullable(DATE("完成日期")),
}, description="会议提出的一个问题及其整改情况"), "examples": [{
    "id": 8, "session_id": 5, "session_title": "中国共产党某区第十二次代表大会第五次会议", "source": "appraisal",
    "appraisal_object_id": 21, "resolution_id": None, "problem": "联系服务群众不够经常", "owner": "区委组织部",
    "due_on": "2027-06-30", "status": "in_progress", "state": "整改中", "overdue": False,
    "progress": "已建立联系群众制度", "done_on": None}]})
RESOLUTION_IN = {**obj({"title": S("决议名称（关于…的决议）", minLength=1, maxLength=svc.MAX_TITLE),
                        "text": S("决议正文", minLength=1, maxLength=svc.MAX_TEXT * 4),
                        "adopted_on": S("通过日期，如 2026-12-16（须在会期内，会议开幕后才能登记）", format="date")},
                       required=["title", "text", "adopted_on"], description="决议"),
                 "examples": [{"title": "关于中共某区委员会工作报告的决议", "text": "会议同意区委工作报告。",
                               "adopted_on": "2026-12-16"}]}
IMPLEMENTATION_IN = {**obj({"implementation": S("落实情况", minLength=1, maxLength=svc.MAX_TEXT),
                            "reported_on": S("报告日期，如 2027-12-10（不早于通过日期）", format="date")},
                           required=["implementation", "reported_on"], description="决议落实情况"),
                     "examples": [{"implementation": "各项任务已按期完成。", "reported_on": "2027-12-10"}]}
FOLLOWUP_IN = {**obj({"source": SOURCE, "problem": S("问题", minLength=1, maxLength=svc.MAX_TEXT),
                      "owner": S("责任单位", minLength=1, maxLength=svc.MAX_OWNER),
                      "due_on": S("整改期限，如 2027-06-30（不早于会议开幕日）", format="date"),
                      "appraisal_object_id": nullable(I("相关评议对象（须为本次会议的民主评议对象）", minimum=1,
                                                        maximum=MAX_ID)),
                      "resolution_id": nullable(I("相关决议（须为本次会议的决议）", minimum=1, maximum=MAX_ID))},
                     required=["source", "problem", "owner", "due_on"], description="整改事项"),
               "examples": [{"source": "appraisal", "problem": "联系服务群众不够经常", "owner": "区委组织部",
                             "due_on": "2027-06-30", "appraisal_object_id": 21, "resolution_id": None}]}
PROGRESS_IN = {**obj({"status": STATUS, "progress": S("整改措施与进展（标记已完成时必填）", maxLength=svc.MAX_TEXT),
                      "done_on": S("完成日期（标记已完成时必填），如 2027-05-20", format="date")},
                     required=["status"], description="整改进展"),
               "examples": [{"status": "done", "progress": "已建立联系群众制度并落实", "done_on": "2027-05-20"}]}
OWNER_IN = {**obj({"owner": S("责任单位", minLength=1, maxLength=svc.MAX_OWNER),
                   "due_on": S("整改期限，如 2027-09-30", format="date")}, required=["owner", "due_on"],
                  description="责任单位和期限"), "examples": [{"owner": "区委办公室", "due_on": "2027-09-30"}]}


def resolution_json(r) -> dict:
    return {"id": r.id, "session_id": r.session_id, "title": r.title, "text": r.text, "adopted_on": r.adopted_on,
            "implementation": r.implementation, "implementation_reported_on": r.implementation_reported_on,
            "created_at": utc(r.created_at)}


def followup_json(row: svc.FollowUpRow) -> dict:
    f = row.item
    return {"id": f.id, "session_id": f.session_id, "session_title": row.meeting.title, "source": f.source,
            "appraisal_object_id": f.appraisal_object_id, "resolution_id": f.resolution_id, "problem": f.problem,
            "owner": f.owner, "due_on": f.due_on, "status": f.status, "state": row.state, "overdue": row.overdue,
            "progress": f.progress, "done_on": f.done_on}


def _row(item, meeting) -> dict:
    return followup_json(svc.followup_row(item, meeting, today_local()))


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>/resolutions", summary="本次会议的决议", tag=TAG,
          response=arr(RESOLUTION), roles=VIEWERS,
          description="与会议“决议与整改”页面相同：本次会议通过的决议及其落实情况。不属于您的会议返回404。")
def list_resolutions(assembly_session_id: int, args):
    meeting = session_or_404(db.session, user(), assembly_session_id)
    resolutions, _ = svc.session_followups(db.session, meeting, today_local())
    return [resolution_json(r) for r in resolutions]


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/resolutions", summary="登记决议", tag=TAG,
          response=RESOLUTION, status=201, roles=MANAGERS, body=RESOLUTION_IN, errors=(404, 422),
          description="与会议“决议与整改”页面的登记决议相同：会议开幕后（进行中或已召开）登记，通过日期须在会期内。"
                      "一个事务，一条审计记录。")
def add_resolution(assembly_session_id: int, args, body):
    adopted = parse_date(body["adopted_on"], "adopted_on", "通过日期")
    return resolution_json(svc.add_resolution(db.session, user(), assembly_session_id, body["title"], body["text"],
                                              adopted, utcnow()))


@endpoint("PUT", "/assembly/resolutions/<int:resolution_id>", summary="修改决议", tag=TAG, response=RESOLUTION,
          roles=MANAGERS, body=RESOLUTION_IN, errors=(404, 422),
          description="与“决议与整改”页面的修改决议相同（审计记录修改前后的内容）。")
def edit_resolution(resolution_id: int, args, body):
    adopted = parse_date(body["adopted_on"], "adopted_on", "通过日期")
    return resolution_json(svc.edit_resolution(db.session, user(), resolution_id, body["title"], body["text"], adopted,
                                               utcnow()))


@endpoint("POST", "/assembly/resolutions/<int:resolution_id>/implementation", summary="登记决议落实情况", tag=TAG,
          response=RESOLUTION, roles=MANAGERS, body=IMPLEMENTATION_IN, errors=(404, 422),
          description="与“决议与整改”页面的登记落实情况相同：通常在下一次会议上报告；再次登记替换前一次（均记审计）。")
def report_implementation(resolution_id: int, args, body):
    on = parse_date(body["reported_on"], "reported_on", "报告日期")
    return resolution_json(svc.report_implementation(db.session, user(), resolution_id, body["implementation"], on,
                                                     utcnow()))


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>/followups", summary="本次会议的整改事项", tag=TAG,
          response=arr(FOLLOWUP), roles=VIEWERS,
          description="与会议“决议与整改”页面相同：本次会议提出的问题及整改情况。不属于您的会议返回404。")
def list_session_followups(assembly_session_id: int, args):
    meeting = session_or_404(db.session, user(), assembly_session_id)
    _, rows = svc.session_followups(db.session, meeting, today_local())
    return [followup_json(r) for r in rows]


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/followups", summary="登记整改事项", tag=TAG,
          response=FOLLOWUP, status=201, roles=MANAGERS, body=FOLLOWUP_IN, errors=(404, 422),
          description="与会议“决议与整改”页面的登记整改事项相同：问题、责任单位、整改期限（不早于会议开幕日），"
                      "可注明来自本次会议的哪个评议对象或哪项决议。下一次会议的议程自动列出其整改情况。")
def create_followup(assembly_session_id: int, args, body):
    due = parse_date(body["due_on"], "due_on", "整改期限")
    item = svc.create_followup(db.session, user(), assembly_session_id, body["source"], body["problem"], body["owner"],
                               due, utcnow(), appraisal_object_id=body.get("appraisal_object_id"),
                               resolution_id=body.get("resolution_id"))
    return _row(item, session_or_404(db.session, user(), item.session_id))


@endpoint("POST", "/assembly/followups/<int:followup_id>/progress", summary="登记整改进展", tag=TAG,
          response=FOLLOWUP, roles=MANAGERS, body=PROGRESS_IN, errors=(404, 422),
          description="与整改事项的“登记进展”相同：未开始、整改中、已完成（须填完成日期和整改措施与进展）。")
def update_followup(followup_id: int, args, body):
    done_on = parse_date(body["done_on"], "done_on", "完成日期") if body.get("done_on") else None
    item = svc.update_followup(db.session, user(), followup_id, body["status"], body.get("progress", ""), done_on,
                               utcnow())
    return _row(item, session_or_404(db.session, user(), item.session_id))


@endpoint("PUT", "/assembly/followups/<int:followup_id>/owner", summary="修改责任单位和期限", tag=TAG,
          response=FOLLOWUP, roles=MANAGERS, body=OWNER_IN, errors=(404, 422),
          description="与整改事项的“修改责任单位和期限”相同（审计记录修改前后）。")
def edit_followup(followup_id: int, args, body):
    due = parse_date(body["due_on"], "due_on", "整改期限")
    item = svc.edit_followup(db.session, user(), followup_id, body["owner"], due, utcnow())
    return _row(item, session_or_404(db.session, user(), item.session_id))


@endpoint("GET", "/assembly/followups", summary="全部整改事项", tag=TAG, response=arr(FOLLOWUP), roles=READERS,
          query=(Param("status", STATUS, "按状态筛选"),),
          description="与“整改事项”页面相同：您所在组织各次会议提出的问题，未完成的在前（逾期的在最上面），再按期限。")
def list_followups(args):
    return [followup_json(r) for r in svc.followups_in_scope(db.session, user(), today_local(), args.get("status"))]
