"""履职规则 over the API, as the rule-set pages (管理员) offer them: a new version of one rule set, in force from a
date (never before today: past points never change), and which rule set an office or a level (市/区/镇) uses.
Each operation is one call of the page's use case (election.duties.services.rulesets: ``revised_ruleset`` builds
the version exactly as the page does, ``save_ruleset_version`` and ``assign_ruleset`` store it): one
transaction, one audit entry, the same predicate (can_manage_rules)."""
from __future__ import annotations

from election.api import (
    DATE,
    ApiError,
    I,
    S,
    arr,
    blockers,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    parse_date,
    user,
    validation,
)
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.api_schemas import GRADES, TAG, A
from election.duties.models import LEVELS
from workflow import duties as wd

PERIODS = ["month", "quarter", "half_year", "year"]
PUBLICATIONS = ["month", "quarter", "half_year"]
CODE = S("代码（字母、数字、下划线）", minLength=1, maxLength=32)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


GRADED = arr(obj({"grade": S("群众满意度", enum=GRADES), "points": I("分值", minimum=0, maximum=1000)}),
             "按满意度计分：各等级的分值", minItems=1, maxItems=3)
POINTS = {"anyOf": [I("固定分值", minimum=0, maximum=1000), GRADED], "description": "分值：整数，或按满意度的分值"}
TYPE_IN = obj({
    "code": CODE, "label": S("活动类型名称", minLength=1, maxLength=32), "points": POINTS,
    "yearly_cap": nullable(I("年度积分上限（省略或 null 为不封顶）", minimum=0, maximum=100_000)),
    "group": S("活动类别（履职要求可按类别计）", maxLength=32),
    "co_signer_code": nullable(S("联署时按哪一活动类型计分（如领衔提案 → 联署提案）", maxLength=32)),
}, required=["code", "label", "points"], description="一种履职活动及其分值")
REQUIREMENT_IN = obj({
    "code": CODE, "label": S("履职要求名称", minLength=1, maxLength=64),
    "min_count": I("每个周期至少次数（省略为1）", minimum=1, maximum=1000),
    "period": S("周期：month 每月，quarter 每季度，half_year 每半年，year 每年", enum=PERIODS),
    "types": arr(S(minLength=1, maxLength=32), "计入的活动类型代码", minItems=1, maxItems=40),
}, required=["code", "label", "period", "types"], description="一项履职要求（按年的要求保留原有的截止日期）")
VERSION_IN = _example(obj({
    "version_from": S("新版本生效日期（不早于今天），如 2027-01-01", format="date"),
    "name": S("规则集名称", minLength=1, maxLength=64),
    "publication": S("积分公布周期：month 每月，quarter 每季度，half_year 每半年", enum=PUBLICATIONS),
    "activity_types": arr(TYPE_IN, "全部活动类型（新版本的完整列表）", minItems=1, maxItems=40),
    "requirements": arr(REQUIREMENT_IN, "全部履职要求（新版本的完整列表）", maxItems=20),
}, description="规则集的新版本（完整内容，如页面上的表单）"), {
    "version_from": "2027-01-01", "name": "盐田党代表履职积分", "publication": "quarter",
    "activity_types": [
        {"code": "duty_reception", "label": "驻室接待", "points": 2, "yearly_cap": 24, "group": "联系群众"},
        {"code": "petition_resolved", "label": "诉求解决", "group": "联系群众",
         "points": [{"grade": "very_satisfied", "points": 6}, {"grade": "satisfied", "points": 5}]}],
    "requirements": [{"code": "monthly_duty", "label": "到挂点社区工作室值班", "min_count": 1, "period": "month",
                      "types": ["duty_reception"]}],
})
TYPE_OUT = obj({"code": S(), "label": S(), "points": {"anyOf": [I(), arr(obj({"grade": S(), "points": I()}))]},
                "yearly_cap": nullable(I()), "group": S(), "co_signer_code": nullable(S())})
REQUIREMENT_OUT = obj({"code": S(), "label": S(), "min_count": I(), "period": S(enum=PERIODS), "types": arr(S()),
                       "due": nullable(S("按年要求的截止日期，如 12-15"))})
VERSION = component("DutyRuleSetVersion", _example(obj({
    "code": S("规则集代码"), "name": S(), "version_from": DATE("生效日期"), "publication": S(enum=PUBLICATIONS),
    "activity_types": arr(TYPE_OUT), "requirements": arr(REQUIREMENT_OUT),
}, description="已保存的规则集版本"), {
    "code": "yantian", "name": "盐田党代表履职积分", "version_from": "2027-01-01", "publication": "quarter",
    "activity_types": [{"code": "duty_reception", "label": "驻室接待", "points": 2, "yearly_cap": 24,
                        "group": "联系群众", "co_signer_code": None}],
    "requirements": [{"code": "monthly_duty", "label": "到挂点社区工作室值班", "min_count": 1, "period": "month",
                      "types": ["duty_reception"], "due": None}],
}))
ASSIGN_IN = _example(obj({
    "code": S("履职规则代码（如 yantian、fengxian、yintai）", minLength=1, maxLength=32),
    "office_id": I("党代表工作室编号（与 level 二选一）", minimum=1, maximum=2_147_483_647),
    "level": S("代表层级（与 office_id 二选一）", enum=list(LEVELS)),
}, required=["code"], description="为一个党代表工作室或一个层级选择履职规则"),
    {"code": "fengxian", "office_id": 3}, {"code": "yantian", "level": "区"})
ASSIGNMENT = component("DutyRuleAssignment", _example(obj({
    "code": S("履职规则代码"), "name": S("履职规则名称"), "office_id": nullable(I()), "office_name": nullable(S()),
    "level": nullable(S(enum=list(LEVELS))),
}, description="工作室或层级采用的履职规则"), {"code": "fengxian", "name": "凤县党代表履职纪实", "office_id": 3,
                                         "office_name": "城关街道党代表工作室", "level": None}))


def _version_json(v: wd.DutyRuleSet) -> dict:
    def points(t: wd.ActivityType):
        return t.points if isinstance(t.points, int) else [{"grade": g, "points": p} for g, p in t.points]

    return {"code": v.code, "name": v.name, "version_from": v.version_from, "publication": v.publication.value,
            "activity_types": [{"code": t.code, "label": t.label, "points": points(t), "yearly_cap": t.yearly_cap,
                                "group": t.group, "co_signer_code": t.co_signer_code} for t in v.activity_types],
            "requirements": [{"code": r.code, "label": r.label, "min_count": r.min_count, "period": r.period.value,
                              "types": list(r.types), "due": f"{r.due[0]:02d}-{r.due[1]:02d}" if r.due else None}
                             for r in v.requirements]}


@endpoint("PUT", "/duties/rules/<code>", summary="修改履职规则（保存自某日起施行的新版本）", tag=TAG,
          response=VERSION, roles=(A,), body=VERSION_IN, errors=(422,),
          description="与“修改履职规则”页面相同：提交新版本的完整内容（活动类型、履职要求、公布周期），"
                      "自生效日期起施行，此前的积分不变；生效日期早于今天、代码重复、引用不存在的类型等返回422并"
                      "逐项说明，什么也不保存。只能修改已有的规则集（不存在的代码返回404）。记一条审计记录。")
def save_ruleset_version(code: str, args, body):
    book = svc.load_rulebooks(db.session).get(code)
    if book is None:
        raise not_found("履职规则")
    version_from = parse_date(body["version_from"], "version_from", "生效日期")
    types = [{**t, "points": t["points"] if isinstance(t["points"], int)
              else tuple((g["grade"], g["points"]) for g in t["points"])} for t in body["activity_types"]]
    version = svc.revised_ruleset(book.versions[-1], version_from, body["name"], body["publication"], types,
                                  body.get("requirements") or [])
    found = svc.save_ruleset_version(db.session, user(), version, today_local(), utcnow())
    if found:
        raise ApiError(422, "ruleset_blocked", "新版本不能保存，请按逐项说明修改。", blockers(found))
    return _version_json(version)


@endpoint("PUT", "/duties/rules/assignments", summary="为工作室或层级选择履职规则", tag=TAG, response=ASSIGNMENT,
          roles=(A,), body=ASSIGN_IN, errors=(422,),
          description="与履职规则页面的“选择规则”相同：office_id 与 level 二选一；工作室未选择时按层级，层级也未"
                      "选择时按默认（盐田）。再次提交即改为新的规则。记一条审计记录。")
def assign_ruleset(args, body):
    office_id, level = body.get("office_id"), body.get("level")
    if (office_id is None) == (level is None):
        raise validation("提交的数据有误，请按逐项说明修改。", [
            {"field": "office_id", "message": "请填写党代表工作室（office_id）或层级（level）之一，不能都填或都不填"}])
    office = db.session.get(DelegateOffice, office_id) if office_id is not None else None
    if office_id is not None and office is None:
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": "office_id", "message": f"党代表工作室{office_id}不存在"}])
    books = svc.load_rulebooks(db.session)
    if body["code"] not in books:
        raise validation("提交的数据有误，请按逐项说明修改。", [
            {"field": "code", "message": f"履职规则“{body['code'][:32]}”不存在，可选：{'、'.join(books)}"}])
    svc.assign_ruleset(db.session, user(), body["code"], utcnow(), office_id=office_id, level=level)
    return {"code": body["code"], "name": books[body["code"]].versions[-1].name, "office_id": office_id,
            "office_name": office.name if office else None, "level": level}
