"""Setting an election up over the API, as the pages do: create it (工作方案 with its quota rules), edit its
工作方案 or copy it to a new election, its timeline, the decision records (决定与批复) and 免报 of a unit (the
allocations are in nominations.api_units). Each operation calls the same service as the page
(election.elections.services), so every rule is written once."""
from __future__ import annotations

from sqlalchemy import func, select

from election.api import (
    DATE,
    B,
    I,
    S,
    arr,
    component,
    endpoint,
    nullable,
    obj,
    parse_date,
    tag,
    user,
)
from election.api.scope import election_or_404, election_unit_or_404
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.permissions import ELECTION_STAFF
from election.directory.models import ElectionUnit
from election.elections import services as svc
from election.elections.api import ELECTION, election_json
from election.elections.models import ElectionDecision, StageDue
from election.nominations.api_units import ALLOCATION, allocation_json
from election.nominations.models import Nominee
from workflow.pipeline.stages import PIPELINE, Stage

TAG = tag("选举设置", "制定工作方案：创建选举（含结构要求）、时间安排、决定与批复、推荐单位免报")
STAFF = tuple(ELECTION_STAFF)
PIPELINE_STAGES = [s.value for s in PIPELINE]
_SHARE = "比例，如 1/2、50%"


def _example(schema: dict, example: dict) -> dict:
    return {**schema, "examples": [example]}


# ---------------------------------------------------------------------------------------------- 创建选举
WHERE = obj({"gender": S("性别为", maxLength=8), "ethnicity_not": S("民族不是", maxLength=32),
             "age_below": I("年龄低于（周岁）", minimum=0, maximum=200),
             "age_at_most": I("年龄不超过（周岁）", minimum=0, maximum=200),
             "category_in": arr(S(maxLength=64), "身份类别属于", maxItems=50)}, required=[],
            description="条件（填写一项）")
RULE = component("QuotaRule", obj({
    "code": S("代码", minLength=1, maxLength=32), "label": S("名称", minLength=1, maxLength=32), "where": WHERE,
    "min": I("至少（名）", minimum=0, maximum=100_000), "max": I("至多（名）", minimum=0, maximum=100_000),
    "min_share": S(f"至少（{_SHARE}）", maxLength=16), "max_share": S(f"至多（{_SHARE}）", maxLength=16),
}, required=["code", "label", "where"], description="一项结构要求（至少填写一个下限或上限）"))
CREATE_BODY = _example(obj({
    "title": S("选举名称", minLength=1, maxLength=200), "seats": I("应选名额（不含上级提名）", minimum=1, maximum=100_000),
    "level": S("层级", enum=["省", "市", "区", "县", "乡镇", "基层"]),
    "electing_body": S("选举单位", maxLength=128), "convening_body": S("上级党委", maxLength=128),
    "higher_nominated_seats": I("上级提名名额（另计）", minimum=0, maximum=100_000),
    "voters": nullable(I("应到会代表数", minimum=1, maximum=1_000_000)),
    "preset": S("选举办法预设", enum=list(svc.PRESETS)),
    "age_reference_date": nullable(DATE("年龄计算基准日（不填则随选举日）")),
    "margin_unit_list": S(f"推荐差额比例（不低于，{_SHARE}）", maxLength=16),
    "margin_final_ballot": S(f"正式选举差额比例（不低于，{_SHARE}）", maxLength=16),
    "shortlist_count": I("考察对象人数（计划）", minimum=0, maximum=100_000),
    "preliminary_count": I("初步人选人数（计划）", minimum=0, maximum=100_000),
    "quorum": S(f"会议有效人数比例（{_SHARE}）", maxLength=16), "quorum_strict": B("须“超过”该比例（否则为“不少于”）"),
    "majority_base": S("当选票数基数：eligible 应到会，present 实到会", enum=["eligible", "present"]),
    "pad_single_given_name": B("单名按“姓＋空格＋名”排序"),
    "categories": {"type": "object", "additionalProperties": arr(S(maxLength=64), maxItems=50),
                   "description": "身份类别：上级 → 下级列表；不填用默认类别"},
    "quota_rules": arr(RULE, "结构要求", maxItems=20),
}, required=["title", "seats"]), {
    "title": "区第十次党代会代表选举", "seats": 16, "level": "区", "electing_body": "中共某区委员会",
    "convening_body": "中共某市委员会", "higher_nominated_seats": 0, "voters": 200, "preset": "地方组织",
    "margin_unit_list": "1/2", "margin_final_ballot": "1/5", "shortlist_count": 24, "preliminary_count": 21,
    "quorum": "1/2", "quorum_strict": True, "majority_base": "eligible",
    "quota_rules": [{"code": "women", "label": "妇女", "where": {"gender": "女"}, "min_share": "30%"}],
})


SETUP_KEYS = ("title", "seats", "level", "electing_body", "convening_body", "higher_nominated_seats", "voters", "preset",
              "margin_unit_list", "margin_final_ballot", "shortlist_count", "preliminary_count", "quorum",
              "quorum_strict", "majority_base", "pad_single_given_name", "categories", "quota_rules")
UPDATE_BODY = _example(obj({**CREATE_BODY["properties"],
                            "expected_version": I("期望的版本号；与当前不符时返回409", minimum=1)}, required=[]),
                       {"seats": 18, "voters": 210, "expected_version": 1})
COPY_BODY = _example(obj({"title": S("新选举名称", minLength=1, maxLength=200),
                          "shift_days": I("时间安排整体顺延（天）", minimum=-3660, maximum=3660)}, required=["title"]),
                     {"title": "区第十一次党代会代表选举", "shift_days": 1826})


def _setup(setup: svc.ElectionSetup, body: dict) -> svc.ElectionSetup:
    """The 工作方案 with the fields BODY gives (the others as SETUP has them)."""
    for key in SETUP_KEYS:
        if key in body:
            setattr(setup, key, body[key])
    if "age_reference_date" in body:
        value = body["age_reference_date"]
        setup.age_reference_date = None if value is None else parse_date(value, "age_reference_date", "年龄计算基准日")
    return setup


@endpoint("POST", "/elections", summary="创建选举（工作方案）", tag=TAG, response=ELECTION, status=201, roles=STAFF,
          body=CREATE_BODY,
          description="与“新建选举”页面同一用例：校验工作方案（名额、差额比例、结构要求等），创建处于“制定工作方案”阶段的选举。")
def create_election(args, body):
    setup = _setup(svc.ElectionSetup(title=body["title"], seats=body["seats"]), body)
    return election_json(svc.create_election(db.session, user(), setup, utcnow()))


@endpoint("PATCH", "/elections/<int:election_id>", summary="修改工作方案", tag=TAG, response=ELECTION, roles=STAFF,
          body=UPDATE_BODY, errors=(409,),
          description="与“修改工作方案”页面同一用例：只改提交的字段，其余不变；仅在“制定工作方案”阶段（之后须先退回）。")
def update_election(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    setup = _setup(svc.setup_of(election), body)
    updated = svc.update_election(db.session, user(), election.id, setup, utcnow(),
                                  expected_version=body.get("expected_version"))
    return election_json(updated)


@endpoint("POST", "/elections/<int:election_id>/copy", summary="复制为新选举", tag=TAG, response=ELECTION, status=201,
          roles=STAFF, body=COPY_BODY,
          description="与选举列表页“复制”同一用例：新选举处于“制定工作方案”阶段，带原选举的工作方案、推荐单位名额和时间安排（可整体顺延）。")
def copy_election(election_id: int, args, body):
    source = election_or_404(user(), election_id)
    election = svc.copy_election(db.session, user(), source.id, body["title"], utcnow(),
                                 shift_days=body.get("shift_days", 0))
    return election_json(election)


# ---------------------------------------------------------------------------------------------- 时间安排
DUE_OUT = obj({"stage": S(enum=[s.value for s in Stage]), "stage_label": S(), "due_date": DATE()})
TIMELINE = component("Timeline", obj({
    "election_id": I(), "dues": arr(DUE_OUT, "各阶段截止日期"), "summary": S("保存结果（中文）"),
    "notice": S("年龄计算基准日随选举日变动时的提示（无则为空）"),
    "changed": arr(S(enum=PIPELINE_STAGES), "设置或修改了截止日期的阶段"),
    "cleared": arr(S(enum=PIPELINE_STAGES), "清除了截止日期的阶段"),
}))
TIMELINE_BODY = _example(obj({"dues": {
    "type": "object", "properties": {s.value: nullable(DATE(f"{s.label}截止日期（null 清除）")) for s in PIPELINE},
    "additionalProperties": False, "description": "列出的阶段：日期设置截止日期，null 清除；未列出的不变"}}),
    {"dues": {"plan": "2026-03-01", "deploy": "2026-03-15", "nominate": "2026-04-10"}})


@endpoint("PUT", "/elections/<int:election_id>/timeline", summary="设置时间安排（各阶段截止日期）", tag=TAG,
          response=TIMELINE, roles=STAFF, body=TIMELINE_BODY,
          description="与“时间安排”页面同一用例：后一阶段的截止日期不能早于前一阶段；当前阶段的截止日期可改不可清除。")
def set_timeline(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    dues = {stage: None if value is None else parse_date(value, f"dues.{stage}", f"{Stage(stage).label}截止日期")
            for stage, value in body["dues"].items()}
    change = svc.set_timeline(db.session, user(), election.id, dues, utcnow())
    rows = db.session.scalars(select(StageDue).where(StageDue.election_id == election.id)
                              .order_by(StageDue.due_date, StageDue.id)).all()
    return {"election_id": election.id,
            "dues": [{"stage": d.stage, "stage_label": Stage(d.stage).label, "due_date": d.due_date} for d in rows],
            "summary": change.summary, "notice": change.notice,
            "changed": [s.value for s in change.changed], "cleared": [s.value for s in change.cleared]}


# ---------------------------------------------------------------------------------------------- 决定与批复
DECISION = component("ElectionDecision", obj({
    "id": I(), "election_id": I(), "kind": S(enum=list(svc.DECISION_KINDS)), "kind_label": S(),
    "body": S("决定机关 / 会议"), "held_on": DATE("日期"), "doc_number": S("文号 / 纪要号")}))
DECISION_BODY = _example(obj({
    "kind": S("决定类型：" + "，".join(f"{k} {v}" for k, v in svc.DECISION_KINDS.items()),
              enum=list(svc.DECISION_KINDS)),
    "body": S("决定机关 / 会议", minLength=1, maxLength=128), "held_on": DATE("日期（不能晚于今天）"),
    "doc_number": S("文号 / 纪要号", minLength=1, maxLength=64)}),
    {"kind": "shortlist", "body": "区委常委会", "held_on": "2026-03-01", "doc_number": "区委常纪〔2026〕3号"})


@endpoint("POST", "/elections/<int:election_id>/decisions", summary="登记决定与批复", tag=TAG, response=DECISION,
          status=201, roles=STAFF, body=DECISION_BODY,
          description="与选举详情页“决定与批复”同一用例：同一类型再次登记即更正；只能登记已召开的会议或已收到的批复。")
def record_decision(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    held_on = parse_date(body["held_on"], "held_on", "日期")
    decision: ElectionDecision = svc.record_decision(db.session, user(), election.id, body["kind"], body["body"],
                                                     held_on, body["doc_number"], utcnow(), today=today_local())
    return {"id": decision.id, "election_id": election.id, "kind": decision.kind,
            "kind_label": svc.DECISION_KINDS[decision.kind], "body": decision.body, "held_on": decision.held_on,
            "doc_number": decision.doc_number}


# ---------------------------------------------------------------------------------------------- 免报
EXEMPT_BODY = _example(obj({"reason": S("免报理由", minLength=1, maxLength=500)}), {"reason": "本单位无符合条件人选"})


@endpoint("POST", "/election-units/<int:election_unit_id>/exempt", summary="推荐单位免报", tag=TAG,
          response=ALLOCATION, roles=STAFF, body=EXEMPT_BODY,
          description="与选举详情页“免报”同一用例：须写明理由；已提交名单的单位不能免报。")
def exempt_unit(election_unit_id: int, args, body):
    eu = election_unit_or_404(user(), election_unit_id)
    svc.exempt_unit(db.session, user(), eu.id, body["reason"], utcnow())
    count = db.session.scalar(select(func.count()).select_from(Nominee).where(Nominee.election_unit_id == eu.id))
    return allocation_json((db.session.get(ElectionUnit, eu.id), count))
