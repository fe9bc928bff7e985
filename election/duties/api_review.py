"""年度考评 over the API, as the review page and the delegate's own page offer it: the rating of one part of a
delegate's 履职纪实表 (the 组织部, or a 党代表工作室 for its own office's delegates), a unit's 模范履职党代表 list
under the cap (25%, rounded down) and the 组织部's decision on one nomination, and a delegate's own 个人履职总结.
Each operation is one call of the page's use case (election.duties.services.review): one transaction, one audit
entry, the same predicates (can_staff_office, can_manage_delegates, can_log_for)."""
from __future__ import annotations

from sqlalchemy import func, select

from election.api import (
    DATETIME,
    MAX_ID,
    ApiError,
    I,
    S,
    arr,
    blockers,
    component,
    endpoint,
    not_found,
    obj,
    user,
    utc,
    validation,
)
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.duties import services as svc
from election.duties.api_schemas import DL, RATING_IN, TAG, WRITERS, A, O
from election.duties.api_scope import _own_delegate
from election.duties.models import RATINGS, ModelNomination, ReviewRating, TermDelegate
from workflow import duties as wd
from workflow.duties.delegate_status import DelegateStatus

MANAGERS = (A, O)  # = svc.can_manage_delegates
DECISIONS = ["pending", "approved", "rejected"]


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


RATING = component("ReviewRating", _example(obj({
    "delegate_id": I(), "delegate_name": S(), "year": I(), "part_code": S(), "part_label": S("履职纪实表的部分"),
    "rating": S(enum=list(RATINGS)), "rated_by_body": S("评定机关"), "comment": S("评语"), "rated_at": DATETIME(),
}, description="履职纪实表一部分的评定"), {
    "delegate_id": 12, "delegate_name": "张三", "year": 2026, "part_code": "office_activity", "part_label": "驻室活动",
    "rating": "优秀", "rated_by_body": "镇党委", "comment": "履职积极", "rated_at": "2026-12-20T02:00:00Z"}))
NOMINATE_IN = _example(obj({
    "year": I("考评年度（省略为今年）", minimum=2000, maximum=2100),
    "unit_name": S("推荐单位（代表的选举单位名称）", minLength=1, maxLength=128),
    "delegate_ids": arr(I(minimum=1, maximum=MAX_ID), "完整的推荐名单：代表编号（空数组为撤回全部推荐）", maxItems=1000),
}, required=["unit_name", "delegate_ids"], description="一个单位的模范履职党代表推荐名单（整份名单）"),
    {"year": 2026, "unit_name": "城关街道党工委", "delegate_ids": [12, 15]})
NOMINATION = component("ModelNomination", obj({
    "id": I(), "year": I(), "unit_name": S(), "delegate_id": I(), "delegate_name": S(),
    "decision": S("pending = 待决定，approved = 确定，rejected = 不同意", enum=DECISIONS),
    "decided_at": {"type": ["string", "null"], "format": "date-time"},
}, description="一名模范履职党代表推荐"))
NOMINATIONS = component("ModelNominationList", _example(obj({
    "year": I(), "unit_name": S(), "serving": I("本单位在任代表数", minimum=0), "cap": I("推荐名额上限（25%，向下取整）", minimum=0),
    "nominations": arr(NOMINATION, "本单位本年度的推荐"),
}), {"year": 2026, "unit_name": "城关街道党工委", "serving": 8, "cap": 2, "nominations": [
    {"id": 3, "year": 2026, "unit_name": "城关街道党工委", "delegate_id": 12, "delegate_name": "张三",
     "decision": "pending", "decided_at": None}]}))
DECIDE_IN = _example(obj({"decision": S("approve = 确定为模范履职党代表，reject = 不同意", enum=["approve", "reject"])}),
                     {"decision": "approve"})
SUMMARY_IN = _example(obj({"text": S("个人履职总结", minLength=1, maxLength=8000)}),
                      {"text": "今年参加驻室接访6次，走访群众20余户，提出提案1件。"})
SUMMARY = component("AnnualSummary", _example(obj({
    "delegate_id": I(), "year": I("年度（今年）"), "text": S("个人履职总结"), "submitted_at": DATETIME(),
}), {"delegate_id": 12, "year": 2026, "text": "今年参加驻室接访6次……", "submitted_at": "2026-12-10T02:00:00Z"}))


def _rating_json(r: ReviewRating, d: TermDelegate) -> dict:
    labels = {p.code: p.label for p in svc.REVIEW_PARTS}
    return {"delegate_id": d.id, "delegate_name": d.name, "year": r.year, "part_code": r.part_code,
            "part_label": labels.get(r.part_code, r.part_code), "rating": r.rating, "rated_by_body": r.rated_by_body,
            "comment": r.comment or "", "rated_at": utc(r.rated_at)}


def _nomination_json(n: ModelNomination) -> dict:
    return {"id": n.id, "year": n.year, "unit_name": n.unit_name, "delegate_id": n.delegate_id,
            "delegate_name": n.delegate.name, "decision": n.decision, "decided_at": utc(n.decided_at)}


@endpoint("PUT", "/duties/review/ratings", summary="评定履职纪实表的一部分", tag=TAG, response=RATING,
          roles=WRITERS, body=RATING_IN, errors=(422,),
          description="与年度考评页面的“评定”相同：组织部评定任何代表，党代表工作室只评定本工作室的代表；"
                      "同一代表、年度和部分再次评定即更正。其他工作室的代表与不存在的编号一样返回422（delegate_id）。"
                      "记一条审计记录。")
def rate_review_part(args, body):
    d = db.session.get(TermDelegate, body["delegate_id"])
    if d is None or not svc.can_staff_office(user(), d.office_id):
        raise validation("提交的数据有误，请按逐项说明修改。", [{
            "field": "delegate_id", "message": f"代表{body['delegate_id']}不存在，或不是您可以评定的代表"}])
    year = body.get("year") or today_local().year
    row = svc.rate_part(db.session, user(), d.id, year, body["part_code"], body["rating"], body.get("body") or "",
                        body.get("comment") or "", utcnow())
    return _rating_json(row, d)


def _unit_nominations(year: int, unit_name: str) -> dict:
    serving = db.session.scalar(select(func.count()).select_from(TermDelegate).where(
        TermDelegate.electing_unit == unit_name, TermDelegate.status == DelegateStatus.serving.value)) or 0
    items = db.session.scalars(select(ModelNomination).where(ModelNomination.year == year,
                                                             ModelNomination.unit_name == unit_name)
                               .order_by(ModelNomination.id)).unique()
    return {"year": year, "unit_name": unit_name, "serving": serving, "cap": wd.max_model_delegates(serving),
            "nominations": [_nomination_json(n) for n in items]}


@endpoint("POST", "/duties/review/nominations", summary="登记一个单位的模范履职党代表推荐名单", tag=TAG,
          response=NOMINATIONS, roles=MANAGERS, body=NOMINATE_IN, errors=(422,),
          description="与年度考评页面的“推荐名单”相同：提交该单位本年度的完整名单（未列入的原推荐撤回），"
                      "只能是该单位的在任代表，人数不超过在任代表的25%（向下取整），超过时返回422并在 details 中"
                      "说明；组织部已作出决定后不能再修改。一次事务，记一条审计记录。")
def propose_model_delegates(args, body):
    ids = list(dict.fromkeys(body["delegate_ids"]))
    found = set(db.session.scalars(select(TermDelegate.id).where(TermDelegate.id.in_(ids)))) if ids else set()
    missing = [{"field": f"delegate_ids[{i}]", "message": f"代表{did}不存在"} for i, did in enumerate(body["delegate_ids"])
               if did not in found]
    if missing:
        raise validation("推荐名单中有不存在的代表，请按逐项说明修改。", missing)
    year = body.get("year") or today_local().year
    unit_name = body["unit_name"].strip()
    found_blockers = svc.propose_model_delegates(db.session, user(), year, unit_name, ids, utcnow())
    if found_blockers:
        raise ApiError(422, "nomination_blocked", "推荐名单不能保存，请按逐项说明修改。", blockers(found_blockers))
    return _unit_nominations(year, unit_name)


@endpoint("POST", "/duties/review/nominations/<int:nomination_id>/decision", summary="决定模范履职党代表",
          tag=TAG, response=NOMINATION, roles=MANAGERS, body=DECIDE_IN, errors=(422,),
          description="与年度考评页面的“确定/不同意”相同：由组织部对一条推荐作出决定，已作出决定的返回422。"
                      "记一条审计记录。")
def decide_model_delegate(nomination_id: int, args, body):
    n = svc.decide_model_delegate(db.session, user(), nomination_id, body["decision"] == "approve", utcnow())
    return _nomination_json(n)


@endpoint("PUT", "/duties/me/summary", summary="提交本人的年度个人履职总结", tag=TAG, response=SUMMARY,
          roles=(DL,), body=SUMMARY_IN, errors=(422,),
          description="与“我的履职”页面相同：代表提交本人今年的个人履职总结，再次提交即修改；履职规则有"
                      "“个人履职总结”活动类型时，首次提交记一次已核实的活动。令牌的账号没有关联任期代表时返回404。"
                      "记一条审计记录。")
def submit_summary(args, body):
    own = _own_delegate()
    if own is None:
        raise not_found("本人的任期代表记录")
    row = svc.submit_summary(db.session, user(), own.id, today_local().year, body["text"], utcnow())
    return {"delegate_id": own.id, "year": row.year, "text": row.text, "submitted_at": utc(row.submitted_at)}

