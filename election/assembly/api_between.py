"""Between sessions over the API (docs/rules.md §7), as the pages offer them: the committee's meetings delegates are
invited to 列席 (create, invite, record attendance — crediting the rule set's activity) and the 询问/质询 of
departments (register, record the reply). A 代表 reads the meetings he is invited to and his own inquiries, and
registers his own."""
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
from election.assembly.models import Inquiry, SitInMeeting
from election.assembly.services import between as svc
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.permissions import has_role
from election.core.roles import Role

TAG = tag("闭会期间", "党代会闭会期间：代表列席党委全委会、常委会等会议（邀请、出席登记、计入履职活动），"
                  "代表向部门提出询问、质询及部门答复")
READERS = (Role.admin, Role.office, Role.auditor, Role.delegate)
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
REGISTRARS = (Role.admin, Role.office, Role.delegate)  # = between.can_register_inquiry
MAX_ID = 2_147_483_647
KIND = S("会议类型：plenary 全委会、standing 常委会、other 其他会议", enum=list(svc.KIND_LABELS))
INQUIRY_KIND = S("类型：inquiry 询问、interpellation 质询", enum=list(svc.INQUIRY_LABELS))

INVITEE = obj({"delegate_id": I(), "name": S("代表姓名"),
               "attended": nullable(B("出席（true）、缺席（false）、未登记（null）")), "leave_reason": S("缺席原因"),
               "activity_id": nullable(I("计入的履职活动（本规则集不计分或未出席为null）"))}, description="列席代表")
SITIN = component("SitInMeeting", {**obj({
    "id": I(), "congress": S("党代会（届次）"), "kind": KIND, "kind_label": S("会议类型（中文）"), "title": S("会议名称"),
    "held_on": DATE("会议日期"), "place": S("会议地点"), "invitees": arr(INVITEE, "邀请的代表（代表本人只看到自己）"),
    "created_at": DATETIME("登记时间"),
}, description="代表列席的一次党委会议"), "examples": [{
    "id": 4, "congress": "区第十二次党代会", "kind": "plenary", "kind_label": "全委会", "title": "区委十二届八次全会",
    "held_on": "2026-12-10", "place": "区委小礼堂",
    "invitees": [{"delegate_id": 12, "name": "王芳", "attended": True, "leave_reason": "", "activity_id": 88}],
    "created_at": "2026-12-01T02:00:00Z"}]})
INQUIRY = component("DelegateInquiry", {**obj({
    "id": I(), "kind": INQUIRY_KIND, "delegate_id": I(), "delegate_name": S("代表姓名"),
    "department": S("被询问（质询）部门"), "subject": S("事由"), "content": S("内容"), "submitted_on": DATE("提出日期"),
    "due_on": DATE("答复期限"), "overdue": B("是否逾期（期限当日不算逾期）"), "reply": S("答复"),
    "replied_on": nullable(DATE("答复日期")), "activity_id": nullable(I("计入的履职活动（本规则集不计分为null）")),
}, description="代表提出的一件询问或质询"), "examples": [{
    "id": 7, "kind": "inquiry", "delegate_id": 12, "delegate_name": "王芳", "department": "区教育局",
    "subject": "学校周边交通", "content": "请说明整治计划", "submitted_on": "2026-12-01", "due_on": "2026-12-16",
    "overdue": False, "reply": "", "replied_on": None, "activity_id": 90}]})
SITIN_IN = {**obj({"congress": S("党代会（届次，与代表名册一致）", minLength=1, maxLength=128), "kind": KIND,
                   "title": S("会议名称", minLength=1, maxLength=svc.MAX_TITLE),
                   "held_on": S("会议日期，如 2026-12-10", format="date"),
                   "place": S("会议地点", maxLength=svc.MAX_TITLE)}, required=["congress", "kind", "title", "held_on"],
                  description="列席会议"),
            "examples": [{"congress": "区第十二次党代会", "kind": "plenary", "title": "区委十二届八次全会",
                          "held_on": "2026-12-10", "place": "区委小礼堂"}]}
INVITE_IN = {**obj({"delegate_ids": arr(I(minimum=1, maximum=MAX_ID), "邀请的代表（须为本届在任代表）", minItems=1,
                                        maxItems=1000)}, required=["delegate_ids"], description="邀请代表"),
             "examples": [{"delegate_ids": [12, 13]}]}
ATTENDANCE_IN = {**obj({"delegate_id": I("邀请名单中的代表", minimum=1, maximum=MAX_ID),
                        "attended": nullable(B("出席 true、缺席 false、撤销登记 null")),
                        "leave_reason": S("缺席原因（缺席时必填）", maxLength=svc.MAX_TITLE)},
                       required=["delegate_id", "attended"], description="出席情况"),
                 "examples": [{"delegate_id": 12, "attended": True, "leave_reason": ""}]}
INQUIRY_IN = {**obj({"kind": INQUIRY_KIND,
                     "delegate_id": nullable(I("提出代表（代表本人登记时可省略）", minimum=1, maximum=MAX_ID)),
                     "department": S("被询问（质询）部门", minLength=1, maxLength=128),
                     "subject": S("事由", minLength=1, maxLength=svc.MAX_TITLE),
                     "content": S("内容", minLength=1, maxLength=svc.MAX_TEXT),
                     "submitted_on": S("提出日期，如 2026-12-01（不晚于今天）", format="date"),
                     "due_on": S(f"答复期限（省略为提出后{svc.INQUIRY_REPLY_DAYS}日）", format="date")},
                    required=["kind", "department", "subject", "content", "submitted_on"], description="询问或质询"),
              "examples": [{"kind": "inquiry", "delegate_id": 12, "department": "区教育局", "subject": "学校周边交通",
                            "content": "请说明整治计划", "submitted_on": "2026-12-01"}]}
REPLY_IN = {**obj({"reply": S("答复内容", minLength=1, maxLength=svc.MAX_TEXT),
                   "replied_on": S("答复日期，如 2026-12-15（不早于提出日期）", format="date")},
                  required=["reply", "replied_on"], description="部门答复"),
            "examples": [{"reply": "已制定整治计划并实施", "replied_on": "2026-12-15"}]}


def sitin_json(meeting: SitInMeeting) -> dict:
    invitees = sorted(meeting.invitees, key=lambda i: i.id)
    if has_role(user(), Role.delegate):
        from election.duties.services.permissions import delegate_of_user

        me = delegate_of_user(db.session, user())
        invitees = [i for i in invitees if me is not None and i.delegate_id == me.id]
    return {"id": meeting.id, "congress": meeting.congress, "kind": meeting.kind,
            "kind_label": svc.KIND_LABELS[meeting.kind], "title": meeting.title, "held_on": meeting.held_on,
            "place": meeting.place, "created_at": utc(meeting.created_at),
            "invitees": [{"delegate_id": i.delegate_id, "name": i.delegate.name, "attended": i.attended,
                          "leave_reason": i.leave_reason, "activity_id": i.activity_id} for i in invitees]}


def inquiry_json(i: Inquiry) -> dict:
    return {"id": i.id, "kind": i.kind, "delegate_id": i.delegate_id, "delegate_name": i.delegate.name,
            "department": i.department, "subject": i.subject, "content": i.content, "submitted_on": i.submitted_on,
            "due_on": i.due_on, "overdue": svc.is_inquiry_overdue(i, today_local()), "reply": i.reply,
            "replied_on": i.replied_on, "activity_id": i.activity_id}


def _date(body, key: str, label: str):
    return parse_date(body[key], key, label) if body.get(key) else None


@endpoint("GET", "/assembly/sitins", summary="列席会议", tag=TAG, response=arr(SITIN), roles=READERS,
          description="与“列席会议”页面相同：您所在组织安排代表列席的会议（新的在前）及邀请的代表和出席情况；"
                      "代表只看到邀请了自己的会议。")
def list_sitins(args):
    meetings = db.session.scalars(svc.sitins_in_scope(db.session, user())
                                  .order_by(SitInMeeting.held_on.desc(), SitInMeeting.id.desc()))
    return [sitin_json(m) for m in meetings]


@endpoint("POST", "/assembly/sitins", summary="安排列席会议", tag=TAG, response=SITIN, status=201, roles=MANAGERS,
          body=SITIN_IN, errors=(422,),
          description="与“列席会议”页面的安排会议相同：党代会须为您所在组织的（代表名册上的届次）。")
def create_sitin(args, body):
    held = parse_date(body["held_on"], "held_on", "会议日期")
    return sitin_json(svc.create_sitin(db.session, user(), body["congress"], body["kind"], body["title"], held,
                                       body.get("place", ""), utcnow()))


@endpoint("GET", "/assembly/sitins/<int:sitin_id>", summary="一次列席会议", tag=TAG, response=SITIN, roles=READERS,
          description="与列席会议页面相同。不属于您所在组织（代表：未邀请您）的返回404。")
def get_sitin(sitin_id: int, args):
    return sitin_json(svc.sitin_or_404(db.session, user(), sitin_id))


@endpoint("POST", "/assembly/sitins/<int:sitin_id>/invitees", summary="邀请代表列席", tag=TAG, response=SITIN,
          roles=MANAGERS, body=INVITE_IN, errors=(404, 409, 422),
          description="与列席会议页面的邀请相同：须为本届在任代表；已邀请的不重复，全部已邀请返回409。"
                      "有账号的代表收到站内提醒。")
def invite_delegates(sitin_id: int, args, body):
    svc.invite_delegates(db.session, user(), sitin_id, body["delegate_ids"], utcnow())
    db.session.expire_all()
    return sitin_json(svc.sitin_or_404(db.session, user(), sitin_id))


@endpoint("POST", "/assembly/sitins/<int:sitin_id>/attendance", summary="登记列席出席情况", tag=TAG, response=SITIN,
          roles=MANAGERS, body=ATTENDANCE_IN, errors=(404, 422),
          description="与列席会议页面的登记相同：会议当天或以后登记；出席按代表适用的履职规则计入履职活动（盐田规则不计分，"
                      "凤县计“参加县委活动”），改为缺席（须写原因）或撤销（null）时删除该活动。")
def record_sitin_attendance(sitin_id: int, args, body):
    svc.record_sitin_attendance(db.session, user(), sitin_id, body["delegate_id"], body["attended"],
                                body.get("leave_reason", ""), utcnow())
    db.session.expire_all()
    return sitin_json(svc.sitin_or_404(db.session, user(), sitin_id))


@endpoint("GET", "/assembly/inquiries", summary="询问和质询", tag=TAG, response=arr(INQUIRY), roles=READERS,
          query=(Param("overdue", S(enum=["1"]), "1：只列逾期未答复的"),),
          description="与“询问和质询”页面相同：您所在组织的（代表：本人的），新的在前。")
def list_inquiries(args):
    rows = db.session.scalars(svc.inquiries_in_scope(db.session, user())
                              .order_by(Inquiry.submitted_on.desc(), Inquiry.id.desc()))
    today = today_local()
    if args.get("overdue") == "1":
        rows = [i for i in rows if i.replied_on is None and svc.is_inquiry_overdue(i, today)]
    return [inquiry_json(i) for i in rows]


@endpoint("POST", "/assembly/inquiries", summary="登记询问或质询", tag=TAG, response=INQUIRY, status=201,
          roles=REGISTRARS, body=INQUIRY_IN, errors=(422,),
          description="与“询问和质询”页面的登记相同：组织部为本组织党代会的在任代表登记（计入的履职活动为已核实），"
                      "代表登记本人的（计入的履职活动待核实）。按代表适用的履职规则计分（盐田“询问质询”）。")
def register_inquiry(args, body):
    submitted = parse_date(body["submitted_on"], "submitted_on", "提出日期")
    return inquiry_json(svc.register_inquiry(db.session, user(), body["kind"], body.get("delegate_id"),
                                             body["department"], body["subject"], body["content"], submitted,
                                             _date(body, "due_on", "答复期限"), utcnow()))


@endpoint("GET", "/assembly/inquiries/<int:inquiry_id>", summary="一件询问或质询", tag=TAG, response=INQUIRY,
          roles=READERS, description="不属于您所在组织（代表：不是本人）的返回404。")
def get_inquiry(inquiry_id: int, args):
    return inquiry_json(svc.inquiry_or_404(db.session, user(), inquiry_id))


@endpoint("POST", "/assembly/inquiries/<int:inquiry_id>/reply", summary="登记部门答复", tag=TAG, response=INQUIRY,
          roles=MANAGERS, body=REPLY_IN, errors=(404, 422),
          description="与询问页面的登记答复相同：答复日期不早于提出日期；再次登记替换前一次（均记审计）。")
def record_inquiry_reply(inquiry_id: int, args, body):
    replied = parse_date(body["replied_on"], "replied_on", "答复日期")
    return inquiry_json(svc.record_inquiry_reply(db.session, user(), inquiry_id, body["reply"], replied, utcnow()))
