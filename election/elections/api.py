"""Elections: list, read, stage, enabled transitions with their blockers, advance and 退回."""
from __future__ import annotations

from sqlalchemy import case, func, select

from election.api import (
    BLOCKER,
    DATE,
    DATETIME,
    PAGE_PARAMS,
    ApiError,
    B,
    I,
    Param,
    S,
    arr,
    blockers,
    component,
    endpoint,
    nullable,
    obj,
    page_of,
    paginate,
    paginate_list,
    tag,
    user,
    utc,
)
from election.api.scope import READERS, READERS_AND_UNIT, election_or_404, visible_elections
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.permissions import ELECTION_STAFF, can_manage_elections
from election.directory.models import ElectionUnit
from election.elections import queries
from election.elections import services as svc
from election.elections.facts import build_facts
from election.elections.models import Election, StageDue
from workflow.pipeline.stages import PIPELINE, Stage
from workflow.pipeline.transitions import check_transition, enabled_transitions

TAG = tag("选举", "选举的基本情况、阶段、可进行的阶段操作及其阻止原因、推进与退回")
STAGES = [s.value for s in Stage]

ELECTION = component("Election", obj({
    "id": I(), "title": S("选举名称"), "level": S("选举层级"), "electing_body": S("选举单位"),
    "convening_body": S("召集/上级党委"), "seats": I("应选名额（不含上级提名）"),
    "higher_nominated_seats": I("上级党委提名名额"), "preset": S("选举办法", enum=list(svc.PRESETS)),
    "stage": S("当前阶段", enum=STAGES), "stage_label": S("当前阶段（中文）"), "version": I("版本号，推进/退回时可作 expected_version"),
    "voters": nullable(I("应到会人数")), "age_reference_date": nullable(DATE("年龄计算基准日")),
    "abort_reason": nullable(S("中止理由")), "created_at": DATETIME(),
}))
DUE = obj({"stage": S(enum=STAGES), "stage_label": S(), "due_date": DATE()})
DETAIL = component("ElectionDetail", obj({"election": ELECTION, "dues": arr(DUE, "各阶段截止日期"),
                                          "units_total": I("推荐单位数"), "units_submitted": I("已提交名单的推荐单位数")}))
MOVE = obj({"kind": S(enum=["advance", "back", "abort"]), "kind_label": S(), "target": S(enum=STAGES),
            "target_label": S(), "reason_required": B("须填写理由"), "overdue_override_needed": B("须填写逾期说明")})
TRANSITIONS = component("Transitions", obj({
    "election_id": I(), "stage": S(enum=STAGES), "stage_label": S(), "version": I(),
    "advance": obj({"target": nullable(S(enum=STAGES)), "target_label": nullable(S()), "allowed": B(),
                    "overdue_override_needed": B(), "blockers": arr(BLOCKER, "进入下一阶段的全部阻止原因")}),
    "moves": arr(MOVE, "现在可进行的操作（推进仅在无阻止原因时列出）"), "can_move": B("调用者能否执行这些操作"),
}))
MOVED = component("StageMoved", obj({"election": ELECTION, "from_stage": S(enum=STAGES), "to_stage": S(enum=STAGES)}))
CHANGE = component("StageChange", obj({"id": I(), "from_stage": S(), "to_stage": S(), "kind": S(enum=["advance", "return", "abort"]),
                                       "reason": S(), "overdue_reason": nullable(S()), "actor": nullable(S()),
                                       "at": DATETIME()}))
ADVANCE_BODY = obj({"overdue_reason": S("逾期说明（阶段已过截止日期时必填）", maxLength=2000),
                    "expected_version": I("期望的版本号；与当前不符时返回409", minimum=1)}, required=[])
RETURN_BODY = obj({"target": S("退回到的阶段", enum=[s.value for s in PIPELINE]),
                   "reason": S("退回理由（必填）", maxLength=2000),
                   "expected_version": I("期望的版本号；与当前不符时返回409", minimum=1)},
                  required=["target", "reason"])


def election_json(e: Election) -> dict:
    return {"id": e.id, "title": e.title, "level": e.level, "electing_body": e.electing_body,
            "convening_body": e.convening_body, "seats": e.seats, "higher_nominated_seats": e.higher_nominated_seats,
            "preset": e.preset, "stage": e.stage, "stage_label": Stage(e.stage).label, "version": e.version,
            "voters": e.voters, "age_reference_date": e.age_reference_date, "abort_reason": e.abort_reason,
            "created_at": utc(e.created_at)}


@endpoint("GET", "/elections", summary="选举列表", tag=TAG, response=page_of(ELECTION, "Election"), roles=READERS_AND_UNIT,
          query=(*PAGE_PARAMS, Param("stage", S(enum=STAGES), "按阶段筛选"),
                 Param("q", S(maxLength=100), "按名称包含的文字筛选")),
          description="推荐单位经办人只看到本单位参加的选举。")
def list_elections(args):
    query = visible_elections(user())
    if args["stage"]:
        query = query.where(Election.stage == args["stage"])
    if args["q"]:
        query = query.where(Election.title.contains(args["q"].strip()))
    return paginate(db.session, query.order_by(Election.id.desc()), args).as_dict(election_json)


@endpoint("GET", "/elections/<int:election_id>", summary="选举详情", tag=TAG, response=DETAIL, roles=READERS_AND_UNIT)
def get_election(election_id: int, args):
    election = election_or_404(user(), election_id)
    dues = db.session.scalars(select(StageDue).where(StageDue.election_id == election.id)
                              .order_by(StageDue.due_date)).all()
    # the two counts only (the detail page's per-unit rows count every nominee of the election)
    units_total, units_submitted = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((ElectionUnit.status == "submitted", 1), else_=0)), 0))
        .where(ElectionUnit.election_id == election.id)).one()
    return {"election": election_json(election),
            "dues": [{"stage": d.stage, "stage_label": Stage(d.stage).label, "due_date": d.due_date} for d in dues],
            "units_total": units_total, "units_submitted": units_submitted}


def transitions_json(election: Election) -> dict:
    facts = build_facts(db.session, election, today_local())
    decision = check_transition(facts)
    return {"election_id": election.id, "stage": election.stage, "stage_label": Stage(election.stage).label,
            "version": election.version,
            "advance": {"target": decision.target.value if decision.target else None,
                        "target_label": decision.target.label if decision.target else None,
                        "allowed": decision.allowed, "overdue_override_needed": decision.overdue_override_needed,
                        "blockers": blockers(decision.blockers)},
            "moves": [{"kind": m.kind.value, "kind_label": m.kind.label, "target": m.target.value,
                       "target_label": m.target.label, "reason_required": m.reason_required,
                       "overdue_override_needed": m.overdue_override_needed} for m in enabled_transitions(facts)],
            "can_move": can_manage_elections(user())}


@endpoint("GET", "/elections/<int:election_id>/transitions", summary="阶段操作及阻止原因", tag=TAG,
          response=TRANSITIONS, roles=READERS,
          description="与页面按钮同源：进入下一阶段的全部阻止原因（check_transition），以及现在可进行的操作（enabled_transitions）。")
def get_transitions(election_id: int, args):
    return transitions_json(election_or_404(user(), election_id))


def _moved(election_id: int, from_stage: str, decision) -> dict:
    if not decision.allowed:
        raise ApiError(422, "transition_blocked", "阶段操作未能进行，请先处理以下阻止原因。", blockers(decision.blockers))
    election = db.session.get(Election, election_id)
    return {"election": election_json(election), "from_stage": from_stage, "to_stage": decision.target.value}


@endpoint("POST", "/elections/<int:election_id>/advance", summary="进入下一阶段", tag=TAG, response=MOVED,
          roles=tuple(ELECTION_STAFF), body=ADVANCE_BODY, errors=(409,),
          description="所有阻止原因都已消除时推进；否则返回422并在 details 中列出全部阻止原因。")
def advance(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    from_stage = election.stage
    decision = svc.advance_stage(db.session, election_id, user(), utcnow(), today_local(),
                                 overdue_reason=body.get("overdue_reason", ""),
                                 expected_version=body.get("expected_version"))
    return _moved(election_id, from_stage, decision)


@endpoint("POST", "/elections/<int:election_id>/return", summary="退回到之前的阶段", tag=TAG, response=MOVED,
          roles=tuple(ELECTION_STAFF), body=RETURN_BODY, errors=(409,), description="退回须写明理由。")
def return_stage(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    from_stage = election.stage
    decision = svc.return_stage(db.session, election_id, user(), body["target"], body["reason"], utcnow(),
                                today_local(), expected_version=body.get("expected_version"))
    return _moved(election_id, from_stage, decision)


ABORT_BODY = obj({"reason": S("中止理由（必填）", minLength=1, maxLength=2000),
                  "expected_version": I("期望的版本号；与当前不符时返回409", minimum=1)}, required=["reason"])


@endpoint("POST", "/elections/<int:election_id>/abort", summary="中止选举", tag=TAG, response=MOVED,
          roles=tuple(ELECTION_STAFF), body=ABORT_BODY, errors=(409,),
          description="与选举详情页“中止选举”同一用例：须写明理由；不能中止时返回422并列出阻止原因。")
def abort_election(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    from_stage = election.stage
    decision = svc.abort_election(db.session, election_id, user(), body["reason"], utcnow(), today_local(),
                                  expected_version=body.get("expected_version"))
    return _moved(election_id, from_stage, decision)


@endpoint("GET", "/elections/<int:election_id>/history", summary="阶段变更记录", tag=TAG,
          response=page_of(CHANGE, "StageChange"), roles=READERS, query=PAGE_PARAMS)
def history(election_id: int, args):
    election = election_or_404(user(), election_id)
    changes = queries.stage_changes(db.session, election.id)
    return paginate_list(changes, args).as_dict(lambda c: {
        "id": c.id, "from_stage": c.from_stage, "to_stage": c.to_stage, "kind": c.kind, "reason": c.reason,
        "overdue_reason": c.overdue_reason, "actor": c.actor.display_name if c.actor else None, "at": utc(c.at)})
