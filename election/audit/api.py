"""The audit trail, for the roles that may read it (管理员, 只读审计)."""
from __future__ import annotations

from election.api import (
    DATETIME,
    PAGE_PARAMS,
    I,
    Param,
    S,
    component,
    endpoint,
    nullable,
    obj,
    page_of,
    tag,
    utc,
)
from election.audit.queries import audit_page
from election.core.db import db
from election.core.roles import Role

TAG = tag("审计", "哈希链审计记录（管理员、只读审计）")

ENTRY = component("AuditEntry", obj({
    "seq": I("序号（连续）"), "at": DATETIME(), "actor_id": nullable(I()), "actor_name": S(), "action": S("操作代码"),
    "object_type": S(), "object_id": S(), "summary": S("中文摘要"), "before": {"description": "修改前"},
    "after": {"description": "修改后"}, "prev_hash": S(), "hash": S(),
}))


@endpoint("GET", "/audit", summary="审计记录", tag=TAG, response=page_of(ENTRY, "AuditEntry"),
          roles=(Role.admin, Role.auditor),
          query=(*PAGE_PARAMS, Param("object_type", S(maxLength=32), "对象类型，如 elections"),
                 Param("object_id", S(maxLength=32), "对象编号"), Param("actor", S(maxLength=64), "操作人姓名或用户名")),
          description="按序号倒序。")
def list_audit(args):
    result = audit_page(db.session, object_type=args["object_type"], object_id=args["object_id"],
                        actor=args["actor"], page=args["page"], per_page=args["per_page"])
    items = [{"seq": e.seq, "at": utc(e.at), "actor_id": e.actor_id, "actor_name": e.actor_name, "action": e.action,
              "object_type": e.object_type, "object_id": e.object_id, "summary": e.summary, "before": e.before,
              "after": e.after, "prev_hash": e.prev_hash, "hash": e.hash} for e in result.entries]
    return {"items": items, "page": result.page, "per_page": args["per_page"], "total": result.total,
            "pages": result.pages}
