"""公示 drafts over the API, as the notice pages offer them: read a draft with the people it may list, correct it
(title, first day, contact office, people) or delete it — only until it is published (the service's Chinese
message, 422, for a published one). Each write calls the page's use case (update_notice_draft,
delete_notice_draft): one transaction, one audit entry."""
from __future__ import annotations

from flask import Response

from election.api import (
    MAX_ID,
    I,
    S,
    arr,
    component,
    endpoint,
    obj,
    parse_date,
    user,
)
from election.core.clock import utcnow
from election.core.db import db
from election.elections.models import Election
from election.vetting import services as svc
from election.vetting.api import MANAGERS, NOTICE, TAG, _notice_or_404, _notice_view
from election.vetting.models import Notice

ID = I(minimum=1, maximum=MAX_ID)
PERSON = obj({"id": I("人选编号"), "name": S("姓名")})


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


DRAFT = component("NoticeDraft", _example(obj({
    "notice": NOTICE, "office_name": S("受理单位"), "office_phone": S("受理电话"), "office_address": S("通信地址"),
    "office_mailbox": S("电子邮箱或意见箱"),
    "people": arr(PERSON, "列入本公示的人选（按姓氏笔画排序）"),
    "pool": arr(PERSON, "可以列入本公示的人选：第一次公示为本单位的考察对象，第二次公示为初步人选"),
}, description="公示草稿及其名单"), {
    "notice": {"id": 3, "election_id": 1, "kind": "first", "election_unit_id": 7, "unit_name": "城关街道党工委",
               "title": "某区党代会代表考察对象公示（城关街道党工委）", "posted_on": "2026-05-06", "working_days": 5,
               "period_end": "2026-05-12", "status": "draft", "published_at": None, "ended_at": None,
               "backdate_reason": None, "open_complaints": 0, "total_complaints": 0},
    "office_name": "区委组织部", "office_phone": "010-12345678", "office_address": "区委大院1号",
    "office_mailbox": "zzb@example.cn", "people": [{"id": 101, "name": "王芳"}],
    "pool": [{"id": 101, "name": "王芳"}, {"id": 102, "name": "李娜"}]}))
DRAFT_IN = _example(obj({
    "title": S("公示标题", minLength=1, maxLength=200),
    "posted_on": S("公示发布日期，如 2026-05-06（公示期按工作日历重新计算）", format="date"),
    "backdate_reason": S("补登理由：发布日期早于本阶段开始的日期、或比今天早2个工作日以上时必填（记入审计，公示页面显示）；"
                         "省略时沿用原有的（发布日期不变时）", maxLength=500),
    "office_name": S("受理单位", minLength=1, maxLength=128), "office_phone": S("受理电话", minLength=1, maxLength=64),
    "office_address": S("通信地址", minLength=1, maxLength=256),
    "office_mailbox": S("电子邮箱或意见箱", minLength=1, maxLength=128),
    "nominee_ids": arr(ID, "列入公示的人选编号（须在 pool 中，至少一人）；省略则名单不变", minItems=1, maxItems=5000),
}, required=[], description="要修改的项；省略的项不变"),
    {"posted_on": "2026-05-08", "office_phone": "010-87654321"},
    {"title": "某区党代会代表考察对象公示（城关街道党工委）", "nominee_ids": [101, 102]})


def _people(rows) -> list[dict]:
    return [{"id": p.id, "name": p.name} for p in rows]


def _draft_json(notice_id: int) -> dict:
    view = _notice_view(notice_id)  # expires the session: the rows below are read afresh
    notice = db.session.get(Notice, notice_id)
    election = db.session.get(Election, notice.election_id)
    pool = svc.sort_people(election, svc.notice_pool(db.session, notice))
    people = svc.sort_people(election, svc.notice_people(db.session, notice))
    return {"notice": view, "office_name": notice.office_name, "office_phone": notice.office_phone,
            "office_address": notice.office_address, "office_mailbox": notice.office_mailbox,
            "people": _people(people), "pool": _people(pool)}


@endpoint("GET", "/notices/<int:notice_id>", summary="一份公示及其名单", tag=TAG, response=DRAFT, roles=MANAGERS,
          description="公示的状态、受理单位和名单；草稿还列出可以列入的人选（pool），供修改草稿时选择。")
def get_notice(notice_id: int, args):
    return _draft_json(_notice_or_404(notice_id).id)


@endpoint("PATCH", "/notices/<int:notice_id>", summary="修改公示草稿", tag=TAG, response=DRAFT, roles=MANAGERS,
          body=DRAFT_IN, errors=(422,),
          description="与“修改公示草稿”页面同一用例：只改提交的项；名单须在本公示的范围内且不能为空；发布日期早于本阶段"
                      "开始、或比今天早2个工作日以上时须写补登理由（backdate_reason），否则返回422说明；"
                      "只能修改草稿（已发布或已结束的公示返回422，说明不能再修改）。有改动时记一条审计记录。")
def update_notice(notice_id: int, args, body):
    notice = _notice_or_404(notice_id)
    posted_on = parse_date(body["posted_on"], "posted_on", "公示发布日期") if "posted_on" in body else notice.posted_on
    contact = svc.ContactInput(body.get("office_name", notice.office_name or ""),
                               body.get("office_phone", notice.office_phone or ""),
                               body.get("office_address", notice.office_address or ""),
                               body.get("office_mailbox", notice.office_mailbox or ""))
    if "nominee_ids" in body:
        chosen = frozenset(body["nominee_ids"])
    else:
        chosen = frozenset(p.id for p in svc.notice_people(db.session, notice))
    data = svc.NoticeDraftInput(body.get("title", notice.title), posted_on, contact, chosen,
                                body.get("backdate_reason", ""))
    svc.update_notice_draft(db.session, user(), notice.id, data, utcnow())
    return _draft_json(notice.id)


@endpoint("DELETE", "/notices/<int:notice_id>", summary="删除公示草稿", tag=TAG, response=None, status=204,
          roles=MANAGERS, errors=(422,),
          description="与“删除公示草稿”同一用例：只能删除草稿（已发布或已结束的公示返回422，说明不能删除）。"
                      "记一条审计记录。")
def delete_notice(notice_id: int, args):
    notice = _notice_or_404(notice_id)
    svc.delete_notice_draft(db.session, user(), notice.id, utcnow())
    return Response(status=204)
