"""群众诉求 over the API (/duties/petitions): the list, one petition, registering one, and moving it to its next
step (a 422 listing every blocker when it cannot move)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from election.api import (
    PAGE_PARAMS,
    ApiError,
    Param,
    S,
    blockers,
    endpoint,
    not_found,
    page_of,
    paginate,
    user,
    utc,
    validation,
)
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound
from election.duties import services as svc
from election.duties.api_schemas import ID, MOVE_IN, PETITION, PETITION_IN, STAFF, STATES, TAG, WRITERS
from election.duties.api_scope import _office_names, _scope, _sees_office
from election.duties.models import Petition
from workflow.duties.petitions import PetitionLimits, PetitionState


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
          description="工作室人员省略 office_id 即登记在本工作室（指定其他工作室与不存在的编号一样返回422）；"
                      "组织部须指定 office_id。代理代表须属于受理的工作室。")
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
