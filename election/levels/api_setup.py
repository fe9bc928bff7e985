"""The upper committee's set-up over the API, as its pages offer it: the congress, the allocations of all 选举单位 at
once (JSON or the .xlsx sheet), 下发 / 关联 of their elections, and its own nominees with their assignment. Each
operation calls the page's use case (election.levels.services.setup and .nominees) with the same predicate
(can_manage_congress; the 审计 reads)."""
from __future__ import annotations

from datetime import date

from flask import Response
from sqlalchemy import select

from election.api import DATE, MAX_ID, I, S, arr, component, endpoint, nullable, obj, parse_date, tag, uploaded_file, \
    user, validation
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role
from election.core.xlsx import SheetRejected
from election.elections.api_setup import RULE
from election.levels.models import Congress, CongressNominee
from election.levels.scope import congress_or_404, congresses_in_scope
from election.levels.services import nominees as nom
from election.levels.services import setup as st
from workflow.pipeline.stages import PIPELINE

TAG = tag("上级选举设置", "上级组织部门：上级选举、各选举单位的名额和结构要求、下发选举、市委提名人选")
MANAGERS = (Role.upper, Role.admin)
VIEWERS = (Role.upper, Role.admin, Role.auditor)
ID = I(minimum=1, maximum=MAX_ID)
STAGES = [s.value for s in PIPELINE]


def _example(schema: dict, example: dict) -> dict:
    return {**schema, "examples": [example]}


CONGRESS = component("Congress", _example(obj({
    "id": I(), "title": S("上级选举名称"), "organisation_id": I("组织选举的上级党委"), "seats": I("代表名额"),
    "age_reference_date": nullable(DATE("年龄计算基准日")),
    "categories": {"type": "object", "description": "身份类别：上级 → 下级列表"},
    "quota_rules": arr(RULE, "全市结构要求"),
    "timeline": {"type": "object", "description": "阶段 → 截止日期"},
    "allocated": I("已分配名额（含上级提名）"), "unallocated": I("未分配名额"),
}), {"id": 1, "title": "出席市第十二次党代会代表选举", "organisation_id": 1, "seats": 760,
     "age_reference_date": "2027-04-10", "categories": {}, "quota_rules": [], "timeline": {"ballot": "2027-04-10"},
     "allocated": 16, "unallocated": 744}))
CONGRESS_IN = _example(obj({
    "title": S("上级选举名称", minLength=1, maxLength=200), "organisation_id": ID,
    "seats": I("代表名额（全市）", minimum=1, maximum=100_000),
    "age_reference_date": nullable(DATE("年龄计算基准日")),
    "categories": {"type": "object", "additionalProperties": arr(S(maxLength=64), maxItems=50),
                   "description": "身份类别：上级 → 下级列表；不填用默认类别"},
    "quota_rules": arr(RULE, "全市结构要求", maxItems=20),
    "timeline": {"type": "object", "properties": {s.value: nullable(DATE(f"{s.label}截止日期")) for s in PIPELINE},
                 "additionalProperties": False, "description": "各阶段截止日期"},
}, required=["title", "organisation_id", "seats"]), {
    "title": "出席市第十二次党代会代表选举", "organisation_id": 1, "seats": 760, "age_reference_date": "2027-04-10",
    "quota_rules": [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min_share": "30%"}],
    "timeline": {"plan": "2027-02-08", "ballot": "2027-04-10"}})
UNIT = obj({"id": I(), "organisation_id": I("选举单位（组织）"), "name": S("选举单位名称"),
            "seats": I("应选名额（不含上级提名）"), "higher_seats": I("上级提名名额"), "quota_rules": arr(RULE),
            "note": S("备注"), "election_id": nullable(I("已下发或关联的选举"))})
ALLOCATIONS = component("CongressAllocations", _example(obj({
    "congress_id": I(), "seats": I("代表名额"), "allocated": I("已分配"), "unallocated": I("未分配"),
    "units": arr(UNIT, "各选举单位"), "pushed": arr(I(), "本次同步修改的选举"),
}), {"congress_id": 1, "seats": 760, "allocated": 17, "unallocated": 743, "pushed": [],
     "units": [{"id": 3, "organisation_id": 5, "name": "中共某区委员会", "seats": 16, "higher_seats": 1,
                "quota_rules": [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 7}],
                "note": "", "election_id": 12}]}))
ALLOCATIONS_IN = _example(obj({"units": arr(obj({
    "organisation_id": ID, "seats": I("应选名额（不含上级提名）", minimum=1, maximum=100_000),
    "higher_seats": I("上级提名名额", minimum=0, maximum=100_000), "quota_rules": arr(RULE, "结构要求", maxItems=20),
    "note": S("备注", maxLength=500)}, required=["organisation_id", "seats"]), "全部选举单位（未列出的取消分配）",
    maxItems=2000)}), {"units": [{"organisation_id": 5, "seats": 16, "higher_seats": 1, "quota_rules": [
        {"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 7}]}]})
CHILDREN_IN = _example(obj({
    "congress_unit_ids": arr(ID, "下发这些选举单位的选举（省略为全部未下发的）", maxItems=2000),
    "link": obj({"congress_unit_id": ID, "election_id": ID}, description="关联已有选举（与下发二选一）"),
}, required=[]), {"congress_unit_ids": [3]})
CHILDREN = component("CongressChildren", obj({"elections": arr(obj({"id": I(), "title": S(), "stage": S()}))}))
NOMINEE = component("CongressNominee", _example(obj({
    "id": I(), "congress_id": I(), "name": S(), "gender": S(), "ethnicity": S(), "birth_date": DATE(),
    "category": S("身份类别"), "workplace_title": S("工作单位及职务"), "note": S(),
    "congress_unit_id": nullable(I("分配到的选举单位")), "higher_nominee_id": nullable(I("该选举中的上级提名人选")),
    "result": S("选举结果：当选、未当选，或空（尚无结果）"), "votes": nullable(I("得票数")),
}), {"id": 4, "congress_id": 1, "name": "丁一", "gender": "男", "ethnicity": "汉族", "birth_date": "1970-01-01",
     "category": "局级领导干部", "workplace_title": "某市某局局长", "note": "", "congress_unit_id": 3,
     "higher_nominee_id": 9, "result": "", "votes": None}))
NOMINEE_IN = _example(obj({
    "name": S("姓名", minLength=1, maxLength=64), "gender": S("性别", enum=["男", "女"]),
    "ethnicity": S("民族", maxLength=16), "birth_date": DATE("出生日期"), "category": S("身份类别（叶类别）", maxLength=32),
    "workplace_title": S("工作单位及职务", maxLength=200), "note": S("备注", maxLength=2000),
}, required=["name", "gender", "birth_date", "category"]), {
    "name": "丁一", "gender": "男", "ethnicity": "汉族", "birth_date": "1970-01-01", "category": "局级领导干部",
    "workplace_title": "某市某局局长"})
ASSIGN_IN = _example(obj({"congress_unit_id": nullable(I("选举单位的名额分配编号（null 为不分配）", minimum=1,
                                                         maximum=MAX_ID))}), {"congress_unit_id": 3})


def _congress_json(c: Congress) -> dict:
    allocated = sum(u.seats + u.higher_seats for u in c.units)
    return {"id": c.id, "title": c.title, "organisation_id": c.organisation_id, "seats": c.seats,
            "age_reference_date": c.age_reference_date, "categories": c.categories or {},
            "quota_rules": c.quota_rules or [], "timeline": c.timeline or {}, "allocated": allocated,
            "unallocated": c.seats - allocated}


def _congress_input(body: dict) -> st.CongressInput:
    ref = body.get("age_reference_date")
    timeline = {s: None if v is None else parse_date(v, f"timeline.{s}", "截止日期")
                for s, v in (body.get("timeline") or {}).items()}
    return st.CongressInput(title=body["title"], organisation_id=body["organisation_id"], seats=body["seats"],
                            age_reference_date=None if ref is None else parse_date(ref, "age_reference_date",
                                                                                   "年龄计算基准日"),
                            categories=body.get("categories") or {}, quota_rules=body.get("quota_rules") or [],
                            timeline=timeline)


@endpoint("GET", "/congresses", summary="上级选举列表", tag=TAG, response=arr(CONGRESS), roles=VIEWERS,
          description="本人组织范围内的上级选举。")
def list_congresses(args):
    return [_congress_json(c) for c in db.session.scalars(congresses_in_scope(select(Congress), user())
                                                          .order_by(Congress.id))]


@endpoint("POST", "/congresses", summary="创建上级选举", tag=TAG, response=CONGRESS, status=201, roles=MANAGERS,
          body=CONGRESS_IN, errors=(404,),
          description="与“新建上级选举”页面同一用例：组织选举的上级党委须在本人组织范围内（范围外与不存在一样答404）。")
def create_congress(args, body):
    return _congress_json(st.create_congress(db.session, user(), _congress_input(body), utcnow()))


@endpoint("GET", "/congresses/<int:congress_id>", summary="上级选举", tag=TAG, response=CONGRESS, roles=VIEWERS,
          description="名称、代表名额、年龄计算基准日、身份类别、全市结构要求、时间安排和已分配名额。")
def get_congress(congress_id: int, args):
    return _congress_json(congress_or_404(db.session, user(), congress_id))


@endpoint("PUT", "/congresses/<int:congress_id>", summary="修改上级选举", tag=TAG, response=CONGRESS,
          roles=MANAGERS, body=CONGRESS_IN,
          description="与“修改上级选举”页面同一用例：身份类别、年龄计算基准日和时间安排同步到已下发的选举，"
                      "双方各记一条审计；有选举不能接受时整次修改不生效（422，逐一说明）。")
def update_congress(congress_id: int, args, body):
    congress = congress_or_404(db.session, user(), congress_id)
    return _congress_json(st.update_congress(db.session, user(), congress.id, _congress_input(body), utcnow()))


def _allocations_json(congress: Congress, pushed: list[int] | None = None) -> dict:
    allocated = sum(u.seats + u.higher_seats for u in congress.units)
    return {"congress_id": congress.id, "seats": congress.seats, "allocated": allocated,
            "unallocated": congress.seats - allocated, "pushed": pushed or [],
            "units": [{"id": u.id, "organisation_id": u.organisation_id, "name": u.organisation.name,
                       "seats": u.seats, "higher_seats": u.higher_seats, "quota_rules": u.quota_rules or [],
                       "note": u.note, "election_id": u.election_id}
                      for u in sorted(congress.units, key=lambda u: u.organisation.code)]}


@endpoint("GET", "/congresses/<int:congress_id>/allocations", summary="各选举单位的名额分配", tag=TAG,
          response=ALLOCATIONS, roles=VIEWERS, description="每个选举单位的应选名额、上级提名名额、结构要求和已下发的选举。")
def get_allocations(congress_id: int, args):
    return _allocations_json(congress_or_404(db.session, user(), congress_id))


@endpoint("PUT", "/congresses/<int:congress_id>/allocations", summary="保存整张名额分配表", tag=TAG,
          response=ALLOCATIONS, roles=MANAGERS, body=ALLOCATIONS_IN,
          description="与“名额与结构分配”页面同一用例：一次保存全部选举单位（未列出的取消分配）；合计不能超过代表名额"
                      "（恰好等于可以，超过时说明多出几名）；已下发的选举随之更新，已进入“确定预备人选”的不能再改（422）。")
def save_allocations(congress_id: int, args, body):
    congress = congress_or_404(db.session, user(), congress_id)
    rows = [st.AllocationInput(u["organisation_id"], u["seats"], u.get("higher_seats", 0), u.get("quota_rules") or [],
                               u.get("note", "")) for u in body["units"]]
    result = st.save_allocations(db.session, user(), congress.id, rows, utcnow())
    return _allocations_json(db.session.get(Congress, congress.id), result["pushed"])


@endpoint("POST", "/congresses/<int:congress_id>/allocations/file", summary="导入名额分配表（.xlsx）", tag=TAG,
          response=ALLOCATIONS, roles=MANAGERS, errors=(413, 422), upload=True,
          description="与“名额与结构分配”页面的导入同一用例：整表无误才保存；有错时返回422，逐项写明第几行哪一列。")
def import_allocations(congress_id: int, args):
    congress = congress_or_404(db.session, user(), congress_id)
    try:
        result, errors = st.import_allocation_sheet(db.session, user(), congress.id, uploaded_file("名额分配表"),
                                                    utcnow())
    except SheetRejected as exc:
        raise validation(exc.message) from None
    if errors:
        raise validation("名额分配表有误，整表没有导入。", [{"row": e.row, "column": e.column, "message": str(e)}
                                                   for e in errors])
    return _allocations_json(db.session.get(Congress, congress.id), result["pushed"])


@endpoint("POST", "/congresses/<int:congress_id>/children", summary="下发或关联选举单位的选举", tag=TAG,
          response=CHILDREN, status=201, roles=MANAGERS, body=CHILDREN_IN, errors=(409,),
          description="与“下发选举”页面同一用例：下发（congress_unit_ids，省略为全部未下发的）创建各选举单位的选举；"
                      "link 关联该选举单位已有的选举（须是其组织范围内、未属于其他上级选举的选举）。")
def create_children(congress_id: int, args, body):
    congress = congress_or_404(db.session, user(), congress_id)
    if "link" in body:
        child = st.link_child(db.session, user(), body["link"]["congress_unit_id"], body["link"]["election_id"],
                              utcnow())
        made = [child]
    else:
        made = st.create_children(db.session, user(), congress.id, utcnow(), body.get("congress_unit_ids"))
    return {"elections": [{"id": e.id, "title": e.title, "stage": e.stage} for e in made]}


def _nominee_json(n: CongressNominee, results: dict | None = None) -> dict:
    r = (results or {}).get(n.id)
    return {"id": n.id, "congress_id": n.congress_id, "name": n.name, "gender": n.gender, "ethnicity": n.ethnicity,
            "birth_date": n.birth_date, "category": n.category, "workplace_title": n.workplace_title, "note": n.note,
            "congress_unit_id": n.congress_unit_id, "higher_nominee_id": n.higher_nominee_id,
            "result": r.status if r else "", "votes": r.votes if r else None}


def _nominee_input(body: dict) -> nom.NomineeInput:
    born: date = parse_date(body["birth_date"], "birth_date", "出生日期")
    return nom.NomineeInput(name=body["name"], gender=body["gender"], birth_date=born,
                            ethnicity=body.get("ethnicity") or "汉族", category=body["category"],
                            workplace_title=body.get("workplace_title", ""), note=body.get("note", ""))


@endpoint("GET", "/congresses/<int:congress_id>/nominees", summary="市委提名人选", tag=TAG, response=arr(NOMINEE),
          roles=VIEWERS, description="每人分配到的选举单位及在该选举单位的选举结果（当选、未当选及得票）。")
def list_congress_nominees(congress_id: int, args):
    congress = congress_or_404(db.session, user(), congress_id)
    results = nom.nominee_results(db.session, congress)
    return [_nominee_json(n, results) for n in db.session.scalars(
        select(CongressNominee).where(CongressNominee.congress_id == congress.id).order_by(CongressNominee.id))]


@endpoint("POST", "/congresses/<int:congress_id>/nominees", summary="登记市委提名人选", tag=TAG, response=NOMINEE,
          status=201, roles=MANAGERS, body=NOMINEE_IN, errors=(409,),
          description="与“市委提名人选”页面同一用例：身份类别为上级选举的叶类别；同名同出生日期的不重复登记（409）。")
def register_congress_nominee(congress_id: int, args, body):
    congress = congress_or_404(db.session, user(), congress_id)
    return _nominee_json(nom.register_nominee(db.session, user(), congress.id, _nominee_input(body), utcnow()))


def _nominee_or_404(congress_nominee_id: int) -> CongressNominee:
    person = db.session.get(CongressNominee, congress_nominee_id)
    if person is None:
        from election.api import not_found

        raise not_found("市委提名人选")
    congress_or_404(db.session, user(), person.congress_id)
    return person


@endpoint("PUT", "/congress-nominees/<int:congress_nominee_id>", summary="修改市委提名人选", tag=TAG,
          response=NOMINEE, roles=MANAGERS, body=NOMINEE_IN, errors=(409,),
          description="与“修改市委提名人选”页面同一用例：已分配的，该选举中的上级提名人选随之修改（投票开始后不能再改）。")
def update_congress_nominee(congress_nominee_id: int, args, body):
    person = _nominee_or_404(congress_nominee_id)
    return _nominee_json(nom.update_nominee(db.session, user(), person.id, _nominee_input(body), utcnow()))


@endpoint("DELETE", "/congress-nominees/<int:congress_nominee_id>", summary="删除市委提名人选", tag=TAG,
          response=None, status=204, roles=MANAGERS,
          description="与页面“删除”同一用例：已分配的同时移出该选举单位的选举（投票开始后不能删除）。")
def delete_congress_nominee(congress_nominee_id: int, args):
    person = _nominee_or_404(congress_nominee_id)
    nom.delete_nominee(db.session, user(), person.id, utcnow())
    return Response(status=204)


@endpoint("PUT", "/congress-nominees/<int:congress_nominee_id>/assignment", summary="分配市委提名人选", tag=TAG,
          response=NOMINEE, roles=MANAGERS, body=ASSIGN_IN,
          description="与页面“分配”同一用例：分配到选举单位即成为其选举的上级提名人选（不超过上级提名名额；"
                      "投票开始后不能再分配或移出）；null 为取消分配。")
def assign_congress_nominee(congress_nominee_id: int, args, body):
    person = _nominee_or_404(congress_nominee_id)
    return _nominee_json(nom.assign_nominee(db.session, user(), person.id, body.get("congress_unit_id"), utcnow()))
