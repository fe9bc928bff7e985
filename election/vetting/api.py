"""公示 and the complaints received during them: read them; create, publish and end a 公示;
register, assign, check and conclude a complaint (one service call each, as the notice pages do)."""
from __future__ import annotations

from election.api import (
    DATE,
    DATETIME,
    MAX_ID,
    PAGE_PARAMS,
    B,
    I,
    Param,
    S,
    arr,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate,
    paginate_list,
    parse_date,
    tag,
    user,
    utc,
)
from election.api.scope import election_or_404
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.roles import Role
from election.vetting import services as svc
from election.vetting.models import Complaint, Notice
from election.vetting.services.queries import notice_view

TAG = tag("公示与举报", "两次公示及公示期间收到的反映、举报")
VIEWERS = (Role.admin, Role.office, Role.inspector, Role.discipline, Role.auditor)  # = svc.can_view_vetting
MANAGERS = (Role.admin, Role.office)  # = svc.can_manage_vetting

NOTICE = component("Notice", obj({
    "id": I(), "election_id": I(), "kind": S("first = 第一次公示（单位内），second = 第二次公示（全区）", enum=["first", "second"]),
    "election_unit_id": nullable(I()), "unit_name": S("公示范围"), "title": S(), "posted_on": DATE(),
    "working_days": I(), "period_end": DATE("公示期最后一个工作日"), "status": S(enum=[s.value for s in svc.NoticeStatus]),
    "published_at": nullable(DATETIME()), "ended_at": nullable(DATETIME("公示结束的时间（期满且反映均已办结时自动结束）")),
    "backdate_reason": nullable(S("补登理由（发布日期早于本阶段开始或比填报之日早2个工作日以上时必有）")),
    "open_complaints": I("未办结的反映"), "total_complaints": I(),
}))
COMPLAINT = component("Complaint", obj({
    "id": I(), "notice_id": I(), "nominee_id": I(), "nominee_name": S(), "channel": S(enum=[c.value for c in svc.Channel]),
    "received_on": DATE(), "content": S(), "real_name": B("实名"), "status": S(enum=[s.value for s in svc.ComplaintStatus]),
    "assigned_to": nullable(S()), "findings": S("核查情况"), "conclusion": nullable(S()), "effect": S("处理意见"),
    "closed_at": nullable(DATETIME()),
}))


def notice_json(v: svc.NoticeView) -> dict:
    return {"id": v.notice.id, "election_id": v.notice.election_id, "kind": v.notice.kind,
            "election_unit_id": v.notice.election_unit_id, "unit_name": v.unit_name, "title": v.notice.title,
            "posted_on": v.notice.posted_on, "working_days": v.notice.working_days, "period_end": v.notice.period_end,
            "status": v.notice.status, "published_at": utc(v.notice.published_at), "ended_at": utc(v.notice.ended_at),
            "backdate_reason": v.notice.backdate_reason,
            "open_complaints": v.open_complaints, "total_complaints": v.total_complaints}


@endpoint("GET", "/elections/<int:election_id>/notices", summary="公示列表", tag=TAG, response=page_of(NOTICE, "Notice"),
          roles=VIEWERS, query=(*PAGE_PARAMS, Param("kind", S(enum=["first", "second"]), "按公示类别筛选")))
def list_notices(election_id: int, args):
    election = election_or_404(user(), election_id)
    views = [v for v in svc.notices_overview(db.session, election.id) if not args["kind"] or v.notice.kind == args["kind"]]
    return paginate_list(views, args).as_dict(notice_json)


# ---------------------------------------------------------------------------------------------- notices: writes
NOTICE_IN = obj({
    "kind": S("first = 第一次公示（“考察”阶段，每个有考察对象的单位一份），second = 第二次公示（“确定初步人选”阶段，全区一份）",
              enum=["first", "second"]),
    "posted_on": S("公示发布日期，如 2026-05-06（公示期按工作日历计算）", format="date"),
    "office_name": S("受理单位（省略时用选举设置中的选举办信息）", minLength=1, maxLength=128),
    "office_phone": S("受理电话", minLength=1, maxLength=64),
    "office_address": S("通信地址", minLength=1, maxLength=256),
    "office_mailbox": S("电子邮箱或意见箱", minLength=1, maxLength=128),
    "backdate_reason": S("补登理由：发布日期早于本阶段开始的日期、或比今天早2个工作日以上时必填（记入审计，公示页面显示）",
                         maxLength=500),
}, required=["kind", "posted_on"], description="新建公示草稿")
NOTICES = component("NoticeList", obj({"items": arr(NOTICE, "新建的公示草稿")}))


def _notice_view(notice_id: int) -> dict:
    db.session.expire_all()
    return notice_json(notice_view(db.session, notice_id))  # that notice's rows only, whatever the election's size


def _notice_or_404(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        raise not_found("公示")
    election_or_404(user(), notice.election_id)
    return notice


@endpoint("POST", "/elections/<int:election_id>/notices", summary="新建公示草稿", tag=TAG, response=NOTICES,
          status=201, roles=MANAGERS, body=NOTICE_IN, errors=(422,),
          description="第一次公示为每个有考察对象、尚无公示的单位各建一份草稿；第二次公示为全区一份。"
                      "受理单位、电话、地址、邮箱省略时使用选举设置中的选举办信息，仍为空时返回422。核对名单后再发布。")
def create_notices(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    posted_on = parse_date(body["posted_on"], "posted_on", "公示发布日期")
    default = svc.default_contact(election)
    contact = svc.ContactInput(body.get("office_name", default.name), body.get("office_phone", default.phone),
                               body.get("office_address", default.address),
                               body.get("office_mailbox", default.mailbox))
    reason = body.get("backdate_reason", "")
    if body["kind"] == "second":
        created = [svc.create_second_notice(db.session, user(), election.id, posted_on, contact, utcnow(), reason)]
    else:
        created = svc.create_first_notices(db.session, user(), election.id, posted_on, contact, utcnow(), reason)
    ids = [n.id for n in created]
    db.session.expire_all()
    return {"items": [notice_json(v) for v in svc.notices_overview(db.session, election.id) if v.notice.id in ids]}


@endpoint("POST", "/notices/<int:notice_id>/publish", summary="发布公示", tag=TAG, response=NOTICE, roles=MANAGERS,
          errors=(422,), description="只有草稿可以发布；发布时名单固定，公示期按当前工作日历重新计算。")
def publish_notice(notice_id: int, args):
    notice = _notice_or_404(notice_id)
    svc.publish_notice(db.session, user(), notice.id, utcnow())
    return _notice_view(notice.id)


@endpoint("POST", "/notices/<int:notice_id>/end", summary="结束公示", tag=TAG, response=NOTICE, roles=MANAGERS,
          errors=(422,), description="公示期满、所有反映都已办结后才能结束；否则返回422说明原因。")
def end_notice(notice_id: int, args):
    notice = _notice_or_404(notice_id)
    svc.end_notice(db.session, user(), notice.id, today_local(), utcnow())
    return _notice_view(notice.id)


@endpoint("GET", "/notices/<int:notice_id>/complaints", summary="公示期间的反映和举报", tag=TAG,
          response=page_of(COMPLAINT, "Complaint"), roles=VIEWERS, query=PAGE_PARAMS)
def list_complaints(notice_id: int, args):
    if db.session.get(Notice, notice_id) is None:
        raise not_found("公示")
    return paginate(db.session, svc.complaints_query(notice_id), args).as_dict(complaint_json)


# ---------------------------------------------------------------------------------------------- complaints: writes
COMPLAINT_IN = obj({
    "nominee_id": I("被反映人（公示名单中的人选编号）", minimum=1, maximum=MAX_ID),
    "channel": S("反映方式", enum=[c.value for c in svc.Channel]), "received_on": S("收到日期，如 2026-05-07", format="date"),
    "content": S("反映内容", minLength=1, maxLength=10000), "real_name": B("实名反映（默认 false）"),
}, required=["nominee_id", "channel", "received_on", "content"])
ASSIGN_IN = obj({"user_id": I("承办人（考察组、纪检或选举办人员的用户编号）", minimum=1, maximum=MAX_ID)})
CHECK_IN = obj({"findings": S("核查情况", minLength=1, maxLength=10000)})
CONCLUDE_IN = obj({"conclusion": S("核查结论：属实/部分属实/不属实/无法核实", enum=[c.value for c in svc.ComplaintConclusion]),
                   "effect": S("处理意见（对被反映人的影响）", minLength=1, maxLength=10000)})
HANDLERS = (Role.admin, Role.office, Role.inspector, Role.discipline)  # the staff, or the assigned worker


def complaint_json(c) -> dict:
    return {"id": c.id, "notice_id": c.notice_id, "nominee_id": c.nominee_id, "nominee_name": c.nominee.name,
            "channel": c.channel, "received_on": c.received_on, "content": c.content, "real_name": c.real_name,
            "status": c.status, "assigned_to": c.assigned_to.display_name if c.assigned_to else None,
            "findings": c.findings, "conclusion": c.conclusion, "effect": c.effect, "closed_at": utc(c.closed_at)}


def _complaint_or_404(complaint_id: int) -> Complaint:
    """The staff reach every complaint; an assigned 考察组 or 纪检 user only the ones assigned to them."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or not svc.can_handle_complaint(user(), complaint):
        raise not_found("反映")
    return complaint


def _reloaded(complaint: Complaint) -> dict:
    db.session.refresh(complaint)
    return complaint_json(complaint)


@endpoint("POST", "/notices/<int:notice_id>/complaints", summary="登记公示期间的反映", tag=TAG, response=COMPLAINT,
          status=201, roles=MANAGERS, body=COMPLAINT_IN,
          description="只能对已发布、尚未结束的公示登记；被反映人须在该公示名单中。")
def register_complaint(notice_id: int, args, body):
    if db.session.get(Notice, notice_id) is None:
        raise not_found("公示")
    data = svc.ComplaintInput(body["nominee_id"], body["channel"],
                              parse_date(body["received_on"], "received_on", "收到日期"), body["content"],
                              bool(body.get("real_name", False)))
    return complaint_json(svc.register_complaint(db.session, user(), notice_id, data, utcnow()))


@endpoint("POST", "/complaints/<int:complaint_id>/assign", summary="交办反映", tag=TAG, response=COMPLAINT,
          roles=MANAGERS, body=ASSIGN_IN, description="交给一名考察组、纪检或选举办人员核查。")
def assign_complaint(complaint_id: int, args, body):
    complaint = _complaint_or_404(complaint_id)
    return _reloaded(svc.assign_complaint(db.session, user(), complaint.id, body["user_id"], utcnow()))


@endpoint("POST", "/complaints/<int:complaint_id>/findings", summary="登记核查情况", tag=TAG, response=COMPLAINT,
          roles=HANDLERS, body=CHECK_IN, description="承办人（或选举办）登记核查情况；未交办给您的反映返回404。")
def record_findings(complaint_id: int, args, body):
    complaint = _complaint_or_404(complaint_id)
    return _reloaded(svc.record_complaint_check(db.session, user(), complaint.id, body["findings"], utcnow()))


@endpoint("POST", "/complaints/<int:complaint_id>/conclude", summary="办结反映", tag=TAG, response=COMPLAINT,
          roles=MANAGERS, body=CONCLUDE_IN,
          description="须先登记核查情况。结论为“属实”时被反映人移出名单，理由记入名单。")
def conclude_complaint(complaint_id: int, args, body):
    complaint = _complaint_or_404(complaint_id)
    return _reloaded(svc.conclude_complaint(db.session, user(), complaint.id, body["conclusion"], body["effect"],
                                            utcnow()))
