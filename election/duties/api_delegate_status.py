"""A delegate's status change over the API (资格终止, 停止执行代表职务, with the committee's decision). A module of its
own because it comes last in the OpenAPI document, after 提案 (see API_MODULES in election/areas.py)."""
from __future__ import annotations

from election.api import ApiError, blockers, endpoint, parse_date, user
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.duties import services as svc
from election.duties.api import _delegate_detail
from election.duties.api_schemas import DELEGATE_DETAIL, STATUS_IN, TAG, A, O
from election.duties.api_scope import _delegate_or_404
from workflow.duties.delegate_status import DecisionRecord


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
