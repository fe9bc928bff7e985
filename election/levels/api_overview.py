"""The upper committee's view over the API, as its pages show it: a congress's 选举单位 (stage, lateness, packages
waiting, their own structure), the congress-wide structure (稳妥 / 可行 / 不可行, who could make a shortfall up, joint
feasibility) and the combined roster in 姓氏笔画 order. Reads only; readers as the pages (can_view_congress: 上级组织部门,
管理员, 审计); a congress outside the user's part of the directory is 404. Service: election.levels.services.overview."""
from __future__ import annotations

from election.api import DATE, DATETIME, B, I, S, arr, component, endpoint, nullable, obj, tag, user, utc
from election.core.clock import today_local
from election.core.db import db
from election.core.roles import Role
from election.levels.services import overview as svc

TAG = tag("上级选举", "上级党委的代表选举：各选举单位的进度与结构、全市结构汇总、汇总名册")
READERS = (Role.upper, Role.admin, Role.auditor)  # = election.levels.scope.can_view_congress
STATUSES = ["safe", "feasible", "infeasible"]


def _example(schema: dict, example: dict) -> dict:
    return {**schema, "examples": [example]}


SHARE = obj({"congress_unit_id": nullable(I("名额分配编号（未分配名额为 null）")), "name": S("选举单位"),
             "as_is": I("名单现有"), "lowest": I("最少可当选"), "highest": I("最多可当选"), "open": I("其中未定名额")})
REQUIREMENT = obj({
    "code": S("规则代码"), "label": S("项目"), "bound": S("要求，按全部代表名额计，如“至少228名（不少于30%）”"),
    "minimum": nullable(I("至少人数")), "maximum": nullable(I("至多人数")), "as_is": I("各单位名单现有合计"),
    "worst": I("最不利的结果合计"), "best": I("最有利的结果合计"),
    "status": S("结论：safe 稳妥（任何结果都符合）、feasible 可行（存在符合的结果）、infeasible 不可行", enum=STATUSES),
    "status_label": S("结论（中文）"), "shortfall": I("最不利时差（或超出）的人数"), "gap": I("最有利时仍差（或超出）的人数"),
    "message": S("说明"), "could_make_up": arr(SHARE, "还可以弥补的选举单位（最有利与最不利之差）"),
    "shares": arr(SHARE, "各选举单位的份额"),
})
STRUCTURE = component("CongressStructure", _example(obj({
    "congress_id": I(), "seats": I("代表名额"), "configured": B("是否设置了全市结构要求"),
    "rule_error": S("结构要求无法读取时的说明"), "reference_date": DATE("年龄计算基准日"),
    "allocated": I("各选举单位名额合计"), "status": nullable(S("总体结论", enum=STATUSES)),
    "requirements": arr(REQUIREMENT),
    "joint": nullable(obj({"feasible": B("是否存在同时满足全部要求的选举结果"), "conflicts": arr(S("规则代码")),
                           "units": arr(I("自身结构要求无法满足的选举单位（名额分配编号）")), "message": S("原因")})),
    "notes": arr(S()),
}, description="全市结构汇总"), {
    "congress_id": 1, "seats": 760, "configured": True, "rule_error": "", "reference_date": "2026-04-10",
    "allocated": 760, "status": "feasible", "requirements": [{
        "code": "women", "label": "女性", "bound": "至少228名（不少于30%）", "minimum": 228, "maximum": None,
        "as_is": 240, "worst": 210, "best": 300, "status": "feasible", "status_label": "可行", "shortfall": 18, "gap": 0,
        "message": "女性：最不利时还差18名（至少228名（不少于30%）），可由某区委（最多可增加12名）弥补",
        "could_make_up": [{"congress_unit_id": 3, "name": "某区委", "as_is": 8, "lowest": 4, "highest": 16, "open": 0}],
        "shares": [{"congress_unit_id": 3, "name": "某区委", "as_is": 8, "lowest": 4, "highest": 16, "open": 0}]}],
    "joint": {"feasible": True, "conflicts": [], "units": [], "message": ""}, "notes": []}))
UNIT = obj({
    "congress_unit_id": I("名额分配编号"), "organisation_id": I("选举单位（组织机构编号）"), "name": S("选举单位"),
    "seats": I("名额（不含上级提名）"), "higher_seats": I("上级提名名额"), "election_id": nullable(I("本单位的选举")),
    "election_title": S(), "stage": nullable(S("阶段")), "stage_label": S("阶段（中文）"),
    "due_date": nullable(DATE("本阶段截止日期")), "days_late": I("逾期天数（未逾期为0）"),
    "deadline": S("截止情况（中文）"),
    "standing": S("现有名单", enum=list(svc.LIST_LABELS)), "standing_label": S("现有名单（中文）"),
    "listed": I("名单人数（已完成选举为当选人数）"), "higher_listed": I("已登记的上级提名人选"),
    "waiting": arr(obj({"report_id": I(), "kind": S("事项", enum=["consent", "approval", "result"]), "kind_label": S(),
                        "attempt": I("第几次报送"), "status": S(enum=["submitted", "reviewed"]), "status_label": S(),
                        "submitted_at": DATETIME("报送时间（UTC）")}), "待上级审核的报送"),
    "own": nullable(obj({"safe": B("任何结果都符合本单位结构要求"), "feasible": B("存在符合的结果"),
                         "rules": arr(obj({"code": S(), "label": S(), "bound": S(), "actual": I("名单现有"),
                                           "worst": I("最不利"), "worst_ok": B()}))})),
})
OVERVIEW = component("CongressOverview", _example(obj({
    "congress_id": I(), "title": S("上级选举"), "seats": I("代表名额"), "seats_allocated": I("已分配名额（含上级提名）"),
    "today": DATE(), "late": I("逾期的选举单位数"), "waiting": I("待审核的报送数"), "units": arr(UNIT),
    "structure": STRUCTURE,
}, description="上级选举的总体情况"), {
    "congress_id": 1, "title": "出席市第十二次党代会代表选举", "seats": 760, "seats_allocated": 760,
    "today": "2026-03-20", "late": 0, "waiting": 1, "units": [{
        "congress_unit_id": 3, "organisation_id": 12, "name": "某区委", "seats": 16, "higher_seats": 2,
        "election_id": 7, "election_title": "某区出席市第十二次党代会代表选举", "stage": "confirm",
        "stage_label": "确定预备人选", "due_date": "2026-03-31", "days_late": 0, "deadline": "还剩8个工作日（11天），截止日期为2026年3月31日",
        "standing": "confirmed", "standing_label": "预备人选", "listed": 21, "higher_listed": 2,
        "waiting": [{"report_id": 5, "kind": "approval", "kind_label": "预备人选（审查批复）", "attempt": 1,
                     "status": "submitted", "status_label": "待审查", "submitted_at": "2026-03-18T02:00:00Z"}],
        "own": {"safe": True, "feasible": True, "rules": [{"code": "women", "label": "女性", "bound": "至少7名",
                                                            "actual": 9, "worst": 7, "worst_ok": True}]}}],
    "structure": {"congress_id": 1, "seats": 760, "configured": False, "rule_error": "",
                  "reference_date": "2026-04-10", "allocated": 760, "status": None, "requirements": [],
                  "joint": None, "notes": []}}))
ROSTER = component("CongressRoster", _example(obj({
    "congress_id": I(), "title": S(), "count": I("人数"),
    "people": arr(obj({"name": S("姓名"), "gender": S("性别"), "ethnicity": S("民族"),
                       "birth_date": nullable(DATE("出生日期")), "category": S("身份类别"),
                       "workplace_title": S("工作单位及职务"), "unit": S("选举单位"),
                       "list": S("名单：考察对象、初步人选、预备人选、上级提名人选、当选代表")}), "按姓氏笔画排序"),
}, description="各选举单位当前名单的汇总"), {
    "congress_id": 1, "title": "出席市第十二次党代会代表选举", "count": 1,
    "people": [{"name": "王芳", "gender": "女", "ethnicity": "汉族", "birth_date": "1975-03-01", "category": "工人",
                "workplace_title": "某厂车间主任", "unit": "某区委", "list": "预备人选"}]}))


def _key(key: str) -> int | None:
    return int(key) if key.isdigit() else None


def _share(s) -> dict:
    return {"congress_unit_id": _key(s.key), "name": s.name, "as_is": s.as_is, "lowest": s.lowest,
            "highest": s.highest, "open": s.open}


def structure_json(view) -> dict:
    st = view.structure
    out = {"congress_id": view.congress.id, "seats": view.congress.seats, "configured": bool(view.congress.quota_rules),
           "rule_error": view.rule_error, "reference_date": view.reference, "allocated": view.seats_allocated,
           "status": None, "requirements": [], "joint": None, "notes": []}
    if st is not None:
        out.update(status=st.status.value, notes=list(st.notes),
                   joint={"feasible": st.joint.feasible, "conflicts": list(st.joint.conflicts),
                          "units": [k for k in map(_key, st.joint.units) if k is not None],
                          "message": st.joint.message},
                   requirements=[{
                       "code": r.code, "label": r.label, "bound": r.bound, "minimum": r.minimum, "maximum": r.maximum,
                       "as_is": r.as_is, "worst": r.worst, "best": r.best, "status": r.status.value,
                       "status_label": r.status.label, "shortfall": r.shortfall, "gap": r.gap, "message": r.message,
                       "could_make_up": [_share(s) for s in r.could_make_up], "shares": [_share(s) for s in r.shares]}
                       for r in st.requirements])
    return out


def _unit(r) -> dict:
    own = None
    if r.own is not None:
        own = {"safe": r.own.safe, "feasible": r.own.feasible,
               "rules": [{"code": x.code, "label": x.label, "bound": x.bound, "actual": x.actual, "worst": x.worst,
                          "worst_ok": x.worst_ok} for x in r.own.rows]}
    return {"congress_unit_id": r.congress_unit_id, "organisation_id": r.organisation_id, "name": r.name,
            "seats": r.seats, "higher_seats": r.higher_seats, "election_id": r.election_id,
            "election_title": r.election_title, "stage": r.stage, "stage_label": r.stage_label, "due_date": r.due,
            "days_late": r.days_late, "deadline": r.deadline.message if r.deadline else "",
            "standing": r.standing, "standing_label": r.standing_label, "listed": r.listed,
            "higher_listed": r.higher_listed,
            "waiting": [{"report_id": w.report_id, "kind": w.kind, "kind_label": w.kind_label, "attempt": w.attempt,
                         "status": w.status, "status_label": w.status_label, "submitted_at": utc(w.submitted_at)}
                        for w in r.waiting], "own": own}


@endpoint("GET", "/congresses/<int:congress_id>/overview", summary="上级选举的总体情况", tag=TAG, response=OVERVIEW,
          roles=READERS, errors=(404,),
          description="与“总体情况”页面相同：各选举单位的阶段、逾期、待审核报送和本单位结构，以及全市结构汇总。")
def congress_overview(congress_id: int, args):
    view = svc.congress_overview(db.session, user(), congress_id, today_local())
    return {"congress_id": view.congress.id, "title": view.congress.title, "seats": view.congress.seats,
            "seats_allocated": view.seats_allocated, "today": view.today, "late": len(view.late),
            "waiting": view.waiting, "units": [_unit(r) for r in view.rows], "structure": structure_json(view)}


@endpoint("GET", "/congresses/<int:congress_id>/structure", summary="全市结构汇总", tag=TAG, response=STRUCTURE,
          roles=READERS, errors=(404,),
          description="每项全市结构要求按全部代表名额计算：各选举单位名单现有、最不利和最有利的合计，结论（稳妥、可行、"
                      "不可行），还可以弥补的选举单位；以及各选举单位的结果能否同时满足全部要求（联合可行性）。")
def congress_structure(congress_id: int, args):
    return structure_json(svc.congress_overview(db.session, user(), congress_id, today_local()))


@endpoint("GET", "/congresses/<int:congress_id>/roster", summary="汇总名册", tag=TAG, response=ROSTER, roles=READERS,
          errors=(404,), description="各选举单位当前名单（已完成选举的为当选代表）的汇总，按姓氏笔画排序。")
def congress_roster(congress_id: int, args):
    congress, rows = svc.congress_roster(db.session, user(), congress_id)
    return {"congress_id": congress.id, "title": congress.title, "count": len(rows),
            "people": [{"name": r.name, "gender": r.gender, "ethnicity": r.ethnicity, "birth_date": r.birth_date,
                        "category": r.category, "workplace_title": r.workplace_title, "unit": r.unit_name,
                        "list": r.list_label} for r in rows]}
