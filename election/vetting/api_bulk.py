"""考察 for many people at once over the API (issue 20): the 考察组's records, the 纪检机关意见 and the conclusions of a
list, each ONE call of a bulk use case (election.vetting.services.bulk) that applies the one-person rules of
``PUT /examinations/{id}/vetting``, ``PUT /examinations/{id}/discipline`` and ``POST /examinations/{id}/conclusion``
to every item: one transaction, all or nothing, each refused item named by its position and name in the details.
"""
from __future__ import annotations

from election.api import MAX_ID, ApiError, I, arr, component, endpoint, obj, user
from election.api.scope import election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role
from election.vetting import services as svc
from election.vetting.api_examinations import CONCLUDE_IN, DISCIPLINE_IN, EDITORS, TAG, VETTING_IN

MAX_ITEMS = 5000
NOMINEE_ID = I("考察对象的人选编号（nominee_id），每人在名单中至多出现一次", minimum=1, maximum=MAX_ID)


def _items(one: dict, description: str, *examples: dict) -> dict:
    """The body: {"items": [{"nominee_id", <ONE's fields>}, …]}, 1..MAX_ITEMS items."""
    item = obj({"nominee_id": NOMINEE_ID, **one["properties"]}, required=["nominee_id", *one["required"]],
               description=description)
    return {**obj({"items": arr(item, f"逐人内容，1至{MAX_ITEMS}项", minItems=1, maxItems=MAX_ITEMS)}),
            "examples": list(examples)}


VETTING_MANY_IN = _items(VETTING_IN, "一名考察对象的考察材料（与单人录入相同：整份保存）", {"items": [
    {"nominee_id": 101, "file_audit": "passed", "petition_check": "未收到信访举报", "appraisal_count": 35,
     "interview_count": 12, "integrity_received": True},
    {"nominee_id": 102, "file_audit": "issues", "file_audit_note": "入党时间与档案记载不一致，已核实更正",
     "petition_check": "未收到信访举报", "appraisal_count": 28, "interview_count": 10, "integrity_received": True,
     "from_enterprise": True, "regulator_opinion": "市场监管部门：无不良记录"}]})
DISCIPLINE_MANY_IN = _items(DISCIPLINE_IN, "一名考察对象的纪检机关意见", {"items": [
    {"nominee_id": 101, "opinion": "未发现违纪违法问题"}, {"nominee_id": 102, "opinion": "未发现违纪违法问题"}]})
CONCLUDE_MANY_IN = _items(CONCLUDE_IN, "一名考察对象的考察结论", {"items": [
    {"nominee_id": 101, "conclusion": "passed"},
    {"nominee_id": 102, "conclusion": "unfit", "reason": "民主测评认可度较低"}]})
DONE = component("BulkExaminationResult", {**obj({
    "election_id": I(), "count": I("本次处理的人数", minimum=1),
    "nominee_ids": arr(I(minimum=1, maximum=MAX_ID), "处理的人选编号（按提交顺序）"),
}, description="全部保存后的结果"), "examples": [{"election_id": 1, "count": 2, "nominee_ids": [101, 102]}]})
ALL_OR_NOTHING = ("一次事务，全部成功或全部不变：任一项不符合规则时返回422，什么也不保存，错误的 details 逐项写明"
                  "（field 为 items[序号]，message 如“第4项（张三）：……”；不是本次选举中您可见的考察对象的编号为"
                  "“第4项：人员（编号…）不是本次选举的考察对象”）。同一人在名单中重复也返回422。"
                  "每人记一条审计记录（该人的历史记录中可见）。")


def _run(election_id: int, service, items: list) -> dict:
    election_id = election_or_404(user(), election_id).id
    try:
        ids = service(db.session, user(), election_id, items, utcnow())
    except svc.ItemsRefused as exc:
        raise ApiError(422, "rule_violation", f"有{len(exc.problems)}项不符合规则，全部未保存，请按逐项说明修改后重新提交。",
                       [{"field": f"items[{p.index}]", "message": p.message} for p in exc.problems]) from None
    return {"election_id": election_id, "count": len(ids), "nominee_ids": ids}


def _vetting_input(item: dict) -> svc.VettingInput:
    """As the one-person call: an omitted from_enterprise keeps the record's value (None: the service decides)."""
    return svc.VettingInput(file_audit=item.get("file_audit"), file_audit_note=item.get("file_audit_note") or "",
                            petition_check=item.get("petition_check"),
                            personal_report_check=item.get("personal_report_check"),
                            appraisal_count=item.get("appraisal_count"), interview_count=item.get("interview_count"),
                            integrity_received=bool(item.get("integrity_received", False)),
                            from_enterprise=item.get("from_enterprise"), regulator_opinion=item.get("regulator_opinion"))


@endpoint("PUT", "/elections/<int:election_id>/examinations/vetting", summary="批量录入考察材料", tag=TAG,
          response=DONE, roles=EDITORS, body=VETTING_MANY_IN, errors=(422,), operation_id="record_vetting_many",
          description="对名单中每人执行与“录入考察材料”（PUT /examinations/{nominee_id}/vetting）相同的规则：考察组成员"
                      "只能录入分配给本人的考察对象，选举办可录入所有考察对象；整份保存，已有考察结论的人不能再修改。"
                      + ALL_OR_NOTHING)
def record_vetting_many(election_id: int, args, body):
    return _run(election_id, svc.record_vetting_many,
                [(item["nominee_id"], _vetting_input(item)) for item in body["items"]])


@endpoint("PUT", "/elections/<int:election_id>/examinations/discipline", summary="批量录入纪检机关意见", tag=TAG,
          response=DONE, roles=(Role.discipline,), body=DISCIPLINE_MANY_IN, errors=(422,),
          operation_id="record_discipline_many",
          description="纪检人员为名单中每人录入纪检机关意见（记录录入人和时间；可以修改），规则与单人录入"
                      "（PUT /examinations/{nominee_id}/discipline）相同。" + ALL_OR_NOTHING)
def record_discipline_many(election_id: int, args, body):
    return _run(election_id, svc.record_discipline_opinions,
                [(item["nominee_id"], item["opinion"]) for item in body["items"]])


@endpoint("POST", "/elections/<int:election_id>/examinations/conclusions", summary="批量作出考察结论", tag=TAG,
          response=DONE, roles=EDITORS, body=CONCLUDE_MANY_IN, errors=(422,), operation_id="conclude_many",
          description="对名单中每人执行与“作出考察结论”（POST /examinations/{nominee_id}/conclusion）相同的规则："
                      "“通过”须考察事项齐全，“不宜”须写明理由（该人移出名单、理由记入名单），结论作出后不能更改。"
                      "同一份结论同时提交多次时，只有一次生效，其余返回422（已有考察结论）。" + ALL_OR_NOTHING)
def conclude_many(election_id: int, args, body):
    return _run(election_id, svc.conclude_many,
                [(item["nominee_id"], item["conclusion"], item.get("reason") or "") for item in body["items"]])
