"""Choosing the people to vet and to post, over the API: the 考察对象 and the 初步人选 (each a whole list, as the
selection pages save it) and one 考察组 member assigned to (or taken off) a list of 考察对象. Each calls the
same use case as the page: one transaction, all or nothing, every refused person named in the error details."""
from __future__ import annotations

from sqlalchemy import select

from election.api import MAX_ID, B, I, arr, component, endpoint, obj, tag, user
from election.api.scope import election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role
from election.nominations.models import Nominee
from election.vetting import services as svc

TAG = tag("人选确定", "确定考察对象、初步人选，分配考察组（整份名单一次提交，全部成功或全部不变）")
MANAGERS = (Role.admin, Role.office)  # = svc.can_manage_vetting
IDS = arr(I(minimum=1, maximum=MAX_ID), "人选编号（推荐人选的 nominee_id）", maxItems=5000)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


SELECTION_IN = _example(obj({"nominee_ids": IDS}, description="完整名单：列入的人选编号；未列入而原已选中的人退回上一步"),
                        {"nominee_ids": [101, 102, 105]})
SELECTION = component("Selection", _example(obj({
    "election_id": I(), "step": {"type": "string", "enum": ["shortlisted", "preliminary"],
                                 "description": "shortlisted = 考察对象，preliminary = 初步人选"},
    "count": I("名单人数", minimum=0), "nominee_ids": IDS,
}, description="保存后的名单"), {"election_id": 1, "step": "shortlisted", "count": 3, "nominee_ids": [101, 102, 105]}))
ASSIGN_IN = _example(obj({
    "user_id": I("考察组成员的用户编号（角色为考察组、已启用）", minimum=1, maximum=MAX_ID),
    "nominee_ids": {**IDS, "minItems": 1, "description": "考察对象的人选编号"},
    "remove": B("true = 取消这些分工（默认 false = 分配）"),
}, required=["user_id", "nominee_ids"], description="一名考察组成员与若干考察对象"),
    {"user_id": 7, "nominee_ids": [101, 102]}, {"user_id": 7, "nominee_ids": [105], "remove": True})
ASSIGNED = component("InspectorAssignmentResult", _example(obj({
    "election_id": I(), "user_id": I(), "removed": B("true = 已取消分工"), "count": I(minimum=0),
    "nominee_ids": IDS,
}), {"election_id": 1, "user_id": 7, "removed": False, "count": 2, "nominee_ids": [101, 102]}))


def _selection(election_id: int, step: str, body: dict) -> dict:
    election = election_or_404(user(), election_id)
    service = svc.select_shortlist if step == "shortlisted" else svc.select_preliminary
    service(db.session, user(), election.id, body["nominee_ids"], utcnow())
    db.session.expire_all()
    ids = sorted(db.session.scalars(select(Nominee.id).where(Nominee.election_id == election.id, Nominee.step == step)))
    return {"election_id": election.id, "step": step, "count": len(ids), "nominee_ids": ids}


@endpoint("PUT", "/elections/<int:election_id>/shortlist", summary="确定考察对象（整份名单）", tag=TAG,
          response=SELECTION, roles=MANAGERS, body=SELECTION_IN, errors=(422,),
          description="与“确定考察对象”页面相同：只能在“确定考察对象”阶段，从已提交推荐名单的单位的人选中选定；"
                      "提交的是完整名单，未列入而原为考察对象的人退回推荐人选。一次事务，全部成功或全部不变："
                      "不能列入的人逐个写在错误的 details 中（如“某某所在单位尚未提交推荐名单”，另一次选举的人"
                      "为“人员（编号…）不在本次选举的推荐人选中”）。记一条审计记录。")
def select_shortlist(election_id: int, args, body):
    return _selection(election_id, "shortlisted", body)


@endpoint("PUT", "/elections/<int:election_id>/preliminary", summary="确定初步人选（整份名单）", tag=TAG,
          response=SELECTION, roles=MANAGERS, body=SELECTION_IN, errors=(422,),
          description="与“确定初步人选”页面相同：只能在“确定初步人选”阶段，从考察结论为“通过”的考察对象中选定；"
                      "未列入而原为初步人选的人退回考察对象。一次事务，全部成功或全部不变，不能列入的人逐个写在"
                      "错误的 details 中。记一条审计记录。")
def select_preliminary(election_id: int, args, body):
    return _selection(election_id, "preliminary", body)


@endpoint("POST", "/elections/<int:election_id>/inspector-assignments", summary="分配（或取消）考察组成员",
          tag=TAG, response=ASSIGNED, roles=MANAGERS, body=ASSIGN_IN, errors=(422,),
          description="与考察对象页面的“分配考察组”相同：在考察阶段把一名考察组成员分配给若干考察对象"
                      "（remove = true 时取消）。一次事务，全部成功或全部不变：不是考察对象、已负责（或并未负责）、"
                      "不属于本次选举的人逐个写在错误的 details 中。每人记一条审计记录，分配时通知该成员。")
def assign_inspectors(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    remove = bool(body.get("remove", False))
    ids = list(dict.fromkeys(body["nominee_ids"]))
    svc.assign_inspectors(db.session, user(), election.id, ids, body["user_id"], utcnow(), remove=remove)
    return {"election_id": election.id, "user_id": body["user_id"], "removed": remove, "count": len(ids),
            "nominee_ids": ids}
