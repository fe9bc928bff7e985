"""推荐单位 and their allocations in an election; the office sets the allocations."""
from __future__ import annotations

from sqlalchemy import func, select

from election.api import (
    BLOCKER,
    DATE,
    DATETIME,
    PAGE_PARAMS,
    B,
    I,
    Param,
    S,
    arr,
    blockers,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate,
    parse_date,
    tag,
    user,
    utc,
    validation,
)
from election.api.scope import READERS_AND_UNIT, election_or_404, election_unit_or_404
from election.directory.scope import org_scope
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.permissions import ELECTION_STAFF, can_view_election
from election.core.roles import Role
from election.directory.models import ElectionUnit, Unit
from election.elections import services as svc
from election.nominations.models import Nominee
from election.nominations.queries import scoped_election_units

TAG = tag("推荐单位", "推荐单位、名额分配、名单状态")
STATUSES = ["draft", "submitted", "exempted"]

UNIT = component("Unit", obj({"id": I(), "code": S("单位代码"), "name": S("单位名称"), "kind": S("单位类型"),
                              "grassroots_orgs": I("基层党组织数"), "members": I("党员数")}))
ALLOCATION = component("Allocation", obj({
    "election_unit_id": I("选举中的推荐单位编号（上传名单等接口用它）"), "election_id": I(), "unit": UNIT,
    "quota": I("推荐名额"), "report_count": I("应上报人数（差额）"),
    "breakdown": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "各类别应上报人数"},
    "status": S("名单状态", enum=STATUSES), "submitted_at": nullable(DATETIME()),
    "exemption_reason": nullable(S()), "nominees": I("名单人数"),
}))
UNIT_DETAIL = component("ElectionUnitDetail", obj({
    "allocation": ALLOCATION, "due": nullable(DATE("推荐提名截止日期")),
    "submit_blockers": arr(BLOCKER, "名单不能提交的原因（与页面相同）"),
    "edit_blockers": arr(BLOCKER, "名单今天不能修改的原因"), "can_submit": B(),
    "participating_orgs": nullable(I("参加推荐的基层党组织数")), "participating_members": nullable(I("参加推荐的党员数")),
}))
ALLOCATIONS_BODY = obj({"units": arr(obj({
    "unit_id": I("推荐单位编号（/units 中的 id）", minimum=1), "quota": I("推荐名额", minimum=0, maximum=100000),
    "report_count": I("应上报人数", minimum=0, maximum=100000),
    "breakdown": {"type": "object", "additionalProperties": I(minimum=0, maximum=100000),
                  "description": "各类别应上报人数，如 {\"局级领导干部\": 6}"},
}, required=["unit_id", "quota", "report_count"]), maxItems=1000)})


def unit_json(u: Unit) -> dict:
    return {"id": u.id, "code": u.code, "name": u.name, "kind": u.kind, "grassroots_orgs": u.grassroots_orgs,
            "members": u.members}


def allocation_json(row) -> dict:
    eu, count = row
    return {"election_unit_id": eu.id, "election_id": eu.election_id, "unit": unit_json(eu.unit), "quota": eu.quota,
            "report_count": eu.report_count, "breakdown": dict(eu.breakdown or {}), "status": eu.status,
            "submitted_at": utc(eu.submitted_at), "exemption_reason": eu.exemption_reason, "nominees": count or 0}


def _allocations_query(election_id: int):
    counts = (select(Nominee.election_unit_id, func.count().label("n")).where(Nominee.election_id == election_id)
              .group_by(Nominee.election_unit_id).subquery())
    scoped = scoped_election_units(user()).subquery()
    return (select(ElectionUnit, counts.c.n).join(scoped, scoped.c.id == ElectionUnit.id)
            .join(Unit, Unit.id == ElectionUnit.unit_id)
            .outerjoin(counts, counts.c.election_unit_id == ElectionUnit.id)
            .where(ElectionUnit.election_id == election_id).order_by(Unit.code))


@endpoint("GET", "/units", summary="推荐单位目录", tag=TAG, response=page_of(UNIT, "Unit"), roles=READERS_AND_UNIT,
          query=(*PAGE_PARAMS, Param("q", S(maxLength=100), "按名称包含的文字筛选")),
          description="推荐单位经办人只看到本单位。")
def list_units(args):
    query = select(Unit)
    if not can_view_election(user()):
        query = query.where(Unit.id == user().unit_id)
    elif (part := org_scope(user())) is not None:  # a 选举单位's staff: the units of their own part
        query = query.where(Unit.organisation_id.in_(part))
    if args["q"]:
        query = query.where(Unit.name.contains(args["q"].strip()))
    return paginate(db.session, query.order_by(Unit.code), args).as_dict(unit_json)


@endpoint("GET", "/elections/<int:election_id>/units", summary="选举的推荐单位及名额分配", tag=TAG,
          response=page_of(ALLOCATION, "Allocation"), roles=READERS_AND_UNIT,
          query=(*PAGE_PARAMS, Param("status", S(enum=STATUSES), "按名单状态筛选")),
          description="推荐单位经办人只看到本单位。")
def list_allocations(election_id: int, args):
    election = election_or_404(user(), election_id)
    query = _allocations_query(election.id)
    if args["status"]:
        query = query.where(ElectionUnit.status == args["status"])
    return paginate(db.session, query, args, scalars=False).as_dict(allocation_json)


@endpoint("GET", "/election-units/<int:election_unit_id>", summary="一个推荐单位的名单状态", tag=TAG,
          response=UNIT_DETAIL, roles=READERS_AND_UNIT,
          description="与推荐单位任务页相同：能否提交、为何不能修改。其他单位的编号返回404。")
def get_election_unit(election_unit_id: int, args):
    from election.nominations.services import unit_page

    page = unit_page(db.session, election_unit_id, user(), today_local())
    if page is None:
        raise not_found("推荐单位")
    eu = page.election_unit
    return {"allocation": allocation_json((eu, len(page.nominees))), "due": page.due,
            "submit_blockers": blockers(page.blockers), "edit_blockers": blockers(page.edit_blockers),
            "can_submit": page.can_submit, "participating_orgs": eu.participating_orgs,
            "participating_members": eu.participating_members}


@endpoint("PUT", "/elections/<int:election_id>/allocations", summary="设置推荐单位及名额", tag=TAG,
          response=page_of(ALLOCATION, "Allocation"), roles=tuple(ELECTION_STAFF), body=ALLOCATIONS_BODY,
          query=PAGE_PARAMS,
          description="整体替换本选举的推荐单位和名额（只在“制定工作方案”“工作部署”阶段）。未列出的单位将移出本选举。")
def set_allocations(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    seen: dict[int, int] = {}
    repeated = [{"field": f"units[{i}].unit_id", "message": f"推荐单位{r['unit_id']}重复出现（第{seen[r['unit_id']] + 1}项已有），请合并为一项"}
                for i, r in enumerate(body["units"]) if seen.setdefault(r["unit_id"], i) != i]
    if repeated:
        raise validation("推荐单位不能重复。", repeated)
    rows = [svc.AllocationRow(r["unit_id"], r["quota"], r["report_count"], dict(r.get("breakdown") or {}))
            for r in body["units"]]
    svc.set_allocations(db.session, user(), election.id, rows, utcnow())
    db.session.expire_all()
    return paginate(db.session, _allocations_query(election.id), args, scalars=False).as_dict(allocation_json)




# ---------------------------------------------------------------------------------------------- 退回、统计表
def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


REOPEN_BODY = _example(obj({
    "reason": S("退回理由", minLength=1, maxLength=500),
    "until": nullable(DATE("允许修改至（推荐提名已过截止日期时必填，不能早于今天）")),
}, required=["reason"], description="退回推荐单位已提交的名单"),
    {"reason": "第3行人选的出生日期与身份证号不符，请核对后重新提交", "until": "2026-04-20"},
    {"reason": "请补充基层一线人选"})
STATISTICS_BODY = _example(obj({
    "participating_orgs": I("参加推荐的基层党组织数", minimum=0, maximum=1_000_000),
    "participating_members": I("参加推荐的党员数", minimum=0, maximum=10_000_000),
    "summary_text": S("工作小结（可省略；省略或空白即清空）", maxLength=20000),
}, required=["participating_orgs", "participating_members"], description="推荐提名工作统计表和工作小结"),
    {"participating_orgs": 12, "participating_members": 480, "summary_text": "本单位召开党员大会逐级推荐……"})
STATISTICS = component("UnitStatistics", _example(obj({
    "election_unit_id": I(), "grassroots_orgs": I("本单位基层党组织总数"), "members": I("本单位党员总数"),
    "participating_orgs": I("参加推荐的基层党组织数"), "participating_members": I("参加推荐的党员数"),
    "summary_text": nullable(S("工作小结")), "org_rate": S("基层党组织参与率，如 95.1%（无法计算时为 —）"),
    "member_rate": S("党员参与率"), "target": S("参与率要求，如 1/1（即100%）"), "meets_target": B("两项参与率均达到要求"),
}), {"election_unit_id": 7, "grassroots_orgs": 12, "members": 500, "participating_orgs": 12,
     "participating_members": 480, "summary_text": "本单位召开党员大会逐级推荐……", "org_rate": "100.0%",
     "member_rate": "96.0%", "target": "1/1", "meets_target": False}))


@endpoint("POST", "/election-units/<int:election_unit_id>/reopen", summary="退回推荐单位的名单", tag=TAG,
          response=UNIT_DETAIL, roles=tuple(ELECTION_STAFF), body=REOPEN_BODY, errors=(422,),
          description="与推荐单位任务页“退回”同一用例：只在“推荐提名”阶段；须写明理由；推荐提名已过截止日期时须给出"
                      "允许该单位修改的截止日期（until）。名单回到草稿，单位可重新修改并提交。记一条审计记录。")
def reopen_unit(election_unit_id: int, args, body):
    from election.nominations.services import reopen_unit as reopen

    eu = election_unit_or_404(user(), election_unit_id)
    until = body.get("until")
    until = None if until is None else parse_date(until, "until", "允许修改至")
    reopen(db.session, user(), eu.id, body["reason"], today_local(), utcnow(), until=until)
    db.session.expire_all()
    return get_election_unit(eu.id, args)


@endpoint("PUT", "/election-units/<int:election_unit_id>/statistics", summary="填写推荐提名工作统计表", tag=TAG,
          response=STATISTICS, roles=(*sorted(ELECTION_STAFF, key=lambda r: r.value), Role.unit),
          body=STATISTICS_BODY, errors=(422,),
          description="与推荐单位任务页“推荐提名工作统计表”同一用例：推荐单位经办人填写本单位的（名单可修改时），"
                      "选举办可随时更正；人数不能超过本单位基层党组织、党员总数。返回两项参与率。记一条审计记录。")
def save_statistics(election_unit_id: int, args, body):
    from election.nominations.services import format_rate
    from election.nominations.services import save_statistics as save

    eu = election_unit_or_404(user(), election_unit_id)
    result = save(db.session, user(), eu.id, body["participating_orgs"], body["participating_members"],
                  body.get("summary_text") or "", today_local(), utcnow())
    db.session.expire_all()
    eu = db.session.get(ElectionUnit, eu.id)
    return {"election_unit_id": eu.id, "grassroots_orgs": result.orgs, "members": result.members,
            "participating_orgs": eu.participating_orgs, "participating_members": eu.participating_members,
            "summary_text": eu.summary_text, "org_rate": format_rate(result.org_rate),
            "member_rate": format_rate(result.member_rate), "target": f"{result.target.numerator}/{result.target.denominator}",
            "meets_target": result.meets_target}
