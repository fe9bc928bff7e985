"""公示 and the complaints received during them (issue 6 services), read-only."""
from __future__ import annotations

from election.api import (
    DATE,
    DATETIME,
    PAGE_PARAMS,
    B,
    I,
    Param,
    S,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate_list,
    tag,
    user,
    utc,
)
from election.api.scope import election_or_404
from election.db import db
from election.models.vetting import Notice
from election.permissions import Role
from election.services import vetting as svc

TAG = tag("公示与举报", "两次公示及公示期间收到的反映、举报")
VIEWERS = (Role.admin, Role.office, Role.inspector, Role.discipline, Role.auditor)  # = svc.can_view_vetting

NOTICE = component("Notice", obj({
    "id": I(), "election_id": I(), "kind": S("first = 第一次公示（单位内），second = 第二次公示（全区）", enum=["first", "second"]),
    "election_unit_id": nullable(I()), "unit_name": S("公示范围"), "title": S(), "posted_on": DATE(),
    "working_days": I(), "period_end": DATE("公示期最后一个工作日"), "status": S(enum=[s.value for s in svc.NoticeStatus]),
    "published_at": nullable(DATETIME()), "ended_at": nullable(DATETIME()),
    "open_complaints": I("未办结的反映"), "total_complaints": I(),
}))
COMPLAINT = component("Complaint", obj({
    "id": I(), "notice_id": I(), "nominee_id": I(), "nominee_name": S(), "channel": S(enum=[c.value for c in svc.Channel]),
    "received_on": DATE(), "content": S(), "real_name": B("实名"), "status": S(enum=[s.value for s in svc.ComplaintStatus]),
    "assigned_to": nullable(S()), "findings": S("核查情况"), "conclusion": nullable(S()), "effect": S("处理意见"),
    "closed_at": nullable(DATETIME()),
}))


@endpoint("GET", "/elections/<int:election_id>/notices", summary="公示列表", tag=TAG, response=page_of(NOTICE, "Notice"),
          roles=VIEWERS, query=(*PAGE_PARAMS, Param("kind", S(enum=["first", "second"]), "按公示类别筛选")))
def list_notices(election_id: int, args):
    election = election_or_404(user(), election_id)
    views = [v for v in svc.notices_overview(db.session, election.id) if not args["kind"] or v.notice.kind == args["kind"]]
    return paginate_list(views, args).as_dict(lambda v: {
        "id": v.notice.id, "election_id": v.notice.election_id, "kind": v.notice.kind,
        "election_unit_id": v.notice.election_unit_id, "unit_name": v.unit_name, "title": v.notice.title,
        "posted_on": v.notice.posted_on, "working_days": v.notice.working_days, "period_end": v.notice.period_end,
        "status": v.notice.status, "published_at": utc(v.notice.published_at), "ended_at": utc(v.notice.ended_at),
        "open_complaints": v.open_complaints, "total_complaints": v.total_complaints})


@endpoint("GET", "/notices/<int:notice_id>/complaints", summary="公示期间的反映和举报", tag=TAG,
          response=page_of(COMPLAINT, "Complaint"), roles=VIEWERS, query=PAGE_PARAMS)
def list_complaints(notice_id: int, args):
    if db.session.get(Notice, notice_id) is None:
        raise not_found("公示")
    return paginate_list(svc.complaints_of(db.session, notice_id), args).as_dict(lambda c: {
        "id": c.id, "notice_id": c.notice_id, "nominee_id": c.nominee_id, "nominee_name": c.nominee.name,
        "channel": c.channel, "received_on": c.received_on, "content": c.content, "real_name": c.real_name,
        "status": c.status, "assigned_to": c.assigned_to.display_name if c.assigned_to else None,
        "findings": c.findings, "conclusion": c.conclusion, "effect": c.effect, "closed_at": utc(c.closed_at)})
