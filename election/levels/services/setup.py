"""The upper committee sets its election up from above (docs/rules.md §8, §8.1): the congress (seats, 年龄计算基准日,
身份类别, congress-wide requirements, timeline), each 选举单位's allocation (seats, 上级提名名额, requirements), the
选举单位' elections created or linked ("下发"), and every later change pushed down to them.

A change reaches a linked election in the same transaction, with an audit entry on both sides. What a child can no
longer take — its seats, 上级提名名额, requirements, 身份类别 or 年龄计算基准日 once it has reached 确定预备人选 —
refuses the whole save, naming each such 选举单位 and why: the allocation and the child never disagree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.seals import fixed
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.directory.models import Organisation
from election.directory.scope import subtree_ids
from election.directory.services import link_units
from election.elections import services as elections
from election.elections.from_above import FROM_ABOVE
from election.elections.models import Election, StageChange, StageDue
from election.levels.models import Congress, CongressNominee, CongressUnit
from election.levels.scope import can_manage_congress
from workflow.common.results import DomainError
from workflow.common.titles import join_title
from workflow.pipeline.stages import PIPELINE, Stage
from workflow.quotas.categories import CategoryTree
from workflow.quotas.rules import parse_rules

# 来源: docs/rules.md §8.1 — the 选举单位 are the 党委、党工委、党组 directly under the upper committee
ELECTING_CATEGORIES = ("党委", "党工委", "党组")
# 来源: docs/rules.md §8.1 — from 确定预备人选 on, the 预备人选 are fixed against the seats and requirements
PLAN_LOCKED_FROM = Stage.confirm
_ORDER = {s: i for i, s in enumerate(PIPELINE)}


@dataclass
class CongressInput:
    title: str
    organisation_id: int
    seats: int
    age_reference_date: date | None = None
    categories: dict = field(default_factory=dict)
    quota_rules: list = field(default_factory=list)
    timeline: dict[str, date | None] = field(default_factory=dict)


@dataclass(frozen=True)
class AllocationInput:
    organisation_id: int
    seats: int
    higher_seats: int = 0
    quota_rules: list = field(default_factory=list)
    note: str = ""


def _in_words(message: str) -> str:
    return re.sub(r"（[A-Za-z_.]+）", "", message)


def check_congress(data: CongressInput) -> list[str]:
    """Every problem with the congress as typed, in Chinese; empty when it can be saved."""
    problems = []
    if not (data.title or "").strip():
        problems.append("请填写上级选举的名称")
    if not isinstance(data.seats, int) or data.seats <= 0:
        problems.append("代表名额应为正整数")
    try:
        parse_rules(data.quota_rules or [], CategoryTree(data.categories or None))
    except DomainError as exc:
        problems.append(f"全市结构要求：{_in_words(exc.message)}")
    for stage in data.timeline:
        if stage not in {s.value for s in PIPELINE}:
            problems.append(f"时间安排中有不存在的阶段“{stage}”")
            return problems
    order = [s for s in PIPELINE if data.timeline.get(s.value)]
    for a, b in zip(order, order[1:]):
        if data.timeline[b.value] < data.timeline[a.value]:
            problems.append(f"“{b.label}”的截止日期不能早于“{a.label}”的截止日期")
    return problems


def _scope(session: Session, actor) -> frozenset[int] | None:
    org = getattr(actor, "organisation_id", None)
    return None if org is None else subtree_ids(session, org)


def _congress(session: Session, actor, congress_id: int, *, lock: bool = True) -> Congress:
    """The congress, row-locked: a save, a 下发 and an assignment of the same congress wait for one another."""
    query = select(Congress).where(Congress.id == congress_id)
    congress = session.scalar(query.with_for_update() if lock else query)
    scope = _scope(session, actor)
    if congress is None or (scope is not None and congress.organisation_id not in scope):
        raise NotFound("未找到该上级选举，或它不属于您的组织。")
    return congress


def _upper_org(session: Session, actor, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    scope = _scope(session, actor)
    if org is None or (scope is not None and org.id not in scope):
        raise NotFound("未找到该组织，或它不在您的组织范围内。")
    if org.retired:
        raise ServiceError(f"“{org.name}”已在组织机构中撤销，不能组织选举。")
    return org


def _timeline_json(timeline: dict[str, date | None]) -> dict:
    return {s.value: timeline[s.value].isoformat() for s in PIPELINE if timeline.get(s.value)}


def _snapshot(congress: Congress) -> dict:
    return {"title": congress.title, "organisation_id": congress.organisation_id, "seats": congress.seats,
            "age_reference_date": congress.age_reference_date, "categories": congress.categories,
            "quota_rules": congress.quota_rules, "timeline": congress.timeline}


def create_congress(session: Session, actor, data: CongressInput, now: datetime) -> Congress:
    require(can_manage_congress(actor))
    if problems := check_congress(data):
        raise ServiceError("；".join(problems))
    with transaction(session):
        org = _upper_org(session, actor, data.organisation_id)
        congress = Congress(title=data.title.strip(), organisation_id=org.id, seats=data.seats,
                            age_reference_date=data.age_reference_date, categories=dict(data.categories or {}),
                            quota_rules=list(data.quota_rules or []), timeline=_timeline_json(data.timeline),
                            created_at=now)
        session.add(congress)
        session.flush()
        # the city's tree imported before its congress: its 选举单位' own 推荐单位 get their Unit now (§8.4)
        link_units(session)
        audit(session, actor, "levels.congress_create", congress, summary=f"创建上级选举“{congress.title}”",
              after=_snapshot(congress), now=now)
    return congress


def update_congress(session: Session, actor, congress_id: int, data: CongressInput, now: datetime) -> Congress:
    """Edit the congress; its 身份类别, 年龄计算基准日 and timeline reach the linked elections."""
    require(can_manage_congress(actor))
    if problems := check_congress(data):
        raise ServiceError("；".join(problems))
    with transaction(session):
        congress = _congress(session, actor, congress_id)
        if data.organisation_id != congress.organisation_id:
            _upper_org(session, actor, data.organisation_id)
            if congress.units:
                raise ServiceError("已向选举单位分配名额，不能再更换组织选举的上级党委。")
        allocated = sum(u.seats + u.higher_seats for u in congress.units)
        if data.seats < allocated:
            raise ServiceError(f"各选举单位已分配{allocated}名（含上级提名），代表名额不能少于{allocated}名；"
                               f"请先减少分配。")
        before = _snapshot(congress)
        congress.title, congress.organisation_id, congress.seats = data.title.strip(), data.organisation_id, data.seats
        congress.age_reference_date = data.age_reference_date
        congress.categories, congress.quota_rules = dict(data.categories or {}), list(data.quota_rules or [])
        congress.timeline = _timeline_json(data.timeline)
        _check_unit_rules(congress, congress.units)
        pushed = push_down(session, actor, congress, list(congress.units), now)
        summary = f"修改上级选举“{congress.title}”" + (f"，同步到{len(pushed)}个选举单位的选举" if pushed else "")
        audit(session, actor, "levels.congress_update", congress, summary=summary, before=before,
              after={**_snapshot(congress), "children": pushed}, now=now)
    return congress


# ---------------------------------------------------------------------------------------------- 名额分配
def electing_units(session: Session, congress: Congress) -> list[Organisation]:
    """The 选举单位 of the congress: the 党委、党工委、党组 directly under the upper committee, in force; and any
    already allocated (even if retired since), by 编码."""
    orgs = list(session.scalars(select(Organisation).where(
        Organisation.parent_id == congress.organisation_id, Organisation.category.in_(ELECTING_CATEGORIES),
        Organisation.retired_at.is_(None))))
    known = {o.id for o in orgs}
    orgs += [u.organisation for u in congress.units if u.organisation_id not in known]
    return sorted(orgs, key=lambda o: o.code)


def _check_unit_rules(congress: Congress, units) -> None:
    tree = CategoryTree(congress.categories or None)
    for unit in units:
        try:
            parse_rules(unit.quota_rules or [], tree)
        except DomainError as exc:
            raise ServiceError(f"“{unit.organisation.name}”的结构要求：{_in_words(exc.message)}") from None


def check_allocations(congress_seats: int, rows: list[AllocationInput]) -> list[str]:
    """The table's own problems: counts, a 选举单位 twice, the total over the congress's seats (by how much)."""
    problems, seen = [], set()
    for r in rows:
        if r.seats <= 0:
            problems.append(f"选举单位（编号{r.organisation_id}）的应选名额应为正整数")
        if r.higher_seats < 0:
            problems.append(f"选举单位（编号{r.organisation_id}）的上级提名名额不能为负数")
        if r.organisation_id in seen:
            problems.append(f"选举单位（编号{r.organisation_id}）列了两次")
        seen.add(r.organisation_id)
    total = sum(r.seats + r.higher_seats for r in rows)
    if total > congress_seats:  # 来源: docs/rules.md §8.1 — exactly the congress's seats passes
        higher = sum(r.higher_seats for r in rows)
        problems.append(f"各选举单位名额合计{total}名（其中上级提名{higher}名），超过代表名额{congress_seats}名，"
                        f"多出{total - congress_seats}名；请减少分配")
    return problems


def save_allocations(session: Session, actor, congress_id: int, rows: list[AllocationInput], now: datetime) -> dict:
    """The whole table at once: each listed 选举单位's allocation set, the unlisted ones removed; the linked
    elections receive their new seats and requirements. -> {"allocated": n, "unallocated": seats left, "pushed": …}"""
    require(can_manage_congress(actor))
    with transaction(session):
        congress = _congress(session, actor, congress_id)
        if problems := check_allocations(congress.seats, rows):
            raise ServiceError("；".join(problems))
        allowed = {o.id: o for o in electing_units(session, congress)}
        existing = {u.organisation_id: u for u in congress.units}
        for r in rows:
            if r.organisation_id not in allowed:
                raise NotFound(f"组织（编号{r.organisation_id}）不是本次选举的选举单位（上级党委直属的党委、党工委、党组）。")
        wanted = {r.organisation_id for r in rows}
        assigned = _assigned_counts(session, congress.id)
        for org_id, unit in existing.items():
            if org_id not in wanted and (unit.election_id or assigned.get(unit.id)):
                raise ServiceError(f"“{unit.organisation.name}”的选举已经下发或已分配上级提名人选，不能取消其名额分配。")
        before = {u.organisation_id: _unit_json(u) for u in existing.values()}
        for org_id, unit in existing.items():
            if org_id not in wanted:
                congress.units.remove(unit)
        touched = []
        for r in rows:
            unit = existing.get(r.organisation_id)
            if unit is None:
                unit = CongressUnit(organisation_id=r.organisation_id, organisation=allowed[r.organisation_id])
                congress.units.append(unit)
            if assigned.get(unit.id, 0) > r.higher_seats:
                raise ServiceError(f"“{unit.organisation.name}”已分配上级提名人选{assigned[unit.id]}名，"
                                   f"上级提名名额不能少于{assigned[unit.id]}名。")
            unit.seats, unit.higher_seats = r.seats, r.higher_seats
            unit.quota_rules, unit.note, unit.updated_at = list(r.quota_rules or []), r.note.strip(), now
            touched.append(unit)
        _check_unit_rules(congress, touched)
        session.flush()
        pushed = push_down(session, actor, congress, touched, now)
        total = sum(r.seats + r.higher_seats for r in rows)
        summary = (f"设置上级选举“{congress.title}”的名额分配（{len(rows)}个选举单位，共{total}名，未分配"
                   f"{congress.seats - total}名）" + (f"，同步到{len(pushed)}个选举单位的选举" if pushed else ""))
        audit(session, actor, "levels.allocations", congress, summary=summary, before=before,
              after={"units": {u.organisation_id: _unit_json(u) for u in touched}, "children": pushed}, now=now)
    return {"allocated": total, "unallocated": congress.seats - total, "pushed": pushed}


def import_allocation_sheet(session: Session, actor, congress_id: int, data: bytes,
                            now: datetime) -> tuple[dict | None, list]:
    """The allocation sheet (election.levels.readers) read and, when every row is right, saved as the whole table
    (``save_allocations``); else nothing is written and every bad cell comes back with its row and column.
    Raises SheetRejected for a file that is no readable .xlsx."""
    from election.core.xlsx import RowError
    from election.levels import readers

    require(can_manage_congress(actor))
    sheet = readers.parse_allocation_sheet(data)
    congress = _congress(session, actor, congress_id, lock=False)
    orgs = {o.code: o for o in electing_units(session, congress)}
    units = {u.organisation_id: u for u in congress.units}
    errors, rows = list(sheet.errors), []
    for r in sheet.rows:
        org = orgs.get(r.code)
        if org is None:
            errors.append(RowError(r.row, readers.COLUMNS[0], f"编码“{r.code}”不是本次选举的选举单位"))
            continue
        if r.seats:
            keep = units[org.id].quota_rules if org.id in units else []
            rows.append(AllocationInput(org.id, r.seats, r.higher_seats, readers.rules_from_columns(r.structure, keep),
                                        r.note))
    if errors:
        return None, sorted(errors)
    return save_allocations(session, actor, congress_id, rows, now), []


def _unit_json(unit: CongressUnit) -> dict:
    return {"seats": unit.seats, "higher_seats": unit.higher_seats, "quota_rules": unit.quota_rules,
            "note": unit.note, "election_id": unit.election_id}


def _assigned_counts(session: Session, congress_id: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for unit_id in session.scalars(select(CongressNominee.congress_unit_id).where(
            CongressNominee.congress_id == congress_id, CongressNominee.congress_unit_id.is_not(None))):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------------- 下发 and the push
def wanted_plan(congress: Congress, unit: CongressUnit) -> dict:
    """What the 选举单位's election receives from above."""
    return {"seats": unit.seats, "higher_nominated_seats": unit.higher_seats,
            "quota_rules": list(unit.quota_rules or []), "categories": dict(congress.categories or {}),
            "age_reference_date": congress.age_reference_date}


def _child_refusal(child: Election, plan_changed: list[str], dues_changed: dict) -> str:
    stage = Stage(child.stage)
    if stage.is_final and (plan_changed or dues_changed):
        return f"“{child.title}”已结束（{stage.label}），不能再修改"
    if plan_changed and _ORDER.get(stage, len(PIPELINE)) >= _ORDER[PLAN_LOCKED_FROM]:
        labels = "、".join(FROM_ABOVE[k] for k in plan_changed)
        return (f"“{child.title}”已进入“{stage.label}”阶段，预备人选按原有名额和结构要求确定，不能再修改其{labels}")
    if stage.value in dues_changed and dues_changed[stage.value] is None:
        return f"“{child.title}”正处于“{stage.label}”阶段，该阶段的截止日期可以修改，不能清除"
    return ""


def push_down(session: Session, actor, congress: Congress, units: list[CongressUnit], now: datetime) -> list[int]:
    """Bring each linked election of UNITS in line with the congress and its allocation, in the caller's
    transaction, with an audit entry on the election's side. Refuses the whole change when a child cannot take
    it (see the module's docstring). -> the ids of the elections changed."""
    from election.voting.services.state import higher_people

    linked = sorted((u for u in units if u.election_id), key=lambda u: u.election_id)
    children = {e.id: e for e in session.scalars(select(Election).where(
        Election.id.in_([u.election_id for u in linked])).order_by(Election.id).with_for_update())} if linked else {}
    plans, refusals = [], []
    for unit in linked:
        child = children[unit.election_id]
        wanted = wanted_plan(congress, unit)
        plan_changed = [k for k, v in wanted.items() if (getattr(child, k) or None) != (v or None)]
        existing = {d.stage: d for d in child.dues}
        dues = {s: date.fromisoformat(v) for s, v in (congress.timeline or {}).items()}
        dues_changed = {s: d for s, d in dues.items() if s not in existing or existing[s].due_date != d}
        if refusal := _child_refusal(child, plan_changed, dues_changed):
            refusals.append(refusal)
        elif "higher_nominated_seats" in plan_changed and \
                len(higher_people(session, child.id)) > unit.higher_seats:
            refusals.append(f"“{child.title}”已登记上级提名人选{len(higher_people(session, child.id))}名，"
                            f"上级提名名额不能少于此数")
        elif plan_changed or dues_changed:
            plans.append((unit, child, wanted, plan_changed, existing, dues_changed))
    if refusals:
        raise ServiceError("以下选举单位的选举不能接受这次修改，本次保存没有生效：" + "；".join(refusals) +
                           "。如确需调整，请先与该选举单位沟通，由其退回到“确定预备人选”之前的阶段。")
    changed = []
    for unit, child, wanted, plan_changed, existing, dues_changed in plans:
        before = {k: getattr(child, k) for k in plan_changed} | {
            f"due.{s}": existing[s].due_date if s in existing else None for s in dues_changed}
        for key in plan_changed:
            setattr(child, key, wanted[key])
        for stage, due in dues_changed.items():
            if stage in existing:
                existing[stage].due_date = due
            else:
                session.add(StageDue(election_id=child.id, stage=stage, due_date=due))
        parts = [FROM_ABOVE[k] for k in plan_changed] + (["时间安排"] if dues_changed else [])
        audit(session, actor, "levels.child_update", child,
              summary=f"上级组织部门（{congress.title}）下达：修改本选举的{'、'.join(parts)}", before=before,
              after={k: wanted[k] for k in plan_changed} | {f"due.{s}": d for s, d in dues_changed.items()}, now=now)
        changed.append(child.id)
    return changed


def _place(name: str) -> str:
    """中共某区委员会 → 某区: the 选举单位's name as it starts an election's title."""
    name = re.sub(r"^中共", "", name.strip())
    return re.sub(r"(工作委员会|委员会|党工委|党委|党组)$", "", name) or name


def _level(title: str) -> str:
    for level in ("省", "市", "区", "县"):
        if f"{level}第" in title:
            return level
    return "市"


def create_children(session: Session, actor, congress_id: int, now: datetime,
                    congress_unit_ids: list[int] | None = None) -> list[Election]:
    """下发: the election of each allocated 选举单位 without one (or of those named), at 制定工作方案, with its seats,
    requirements, 身份类别, 年龄计算基准日 and the congress's timeline; audited on both sides."""
    require(can_manage_congress(actor))
    with transaction(session):
        congress = _congress(session, actor, congress_id)
        units = [u for u in congress.units if congress_unit_ids is None or u.id in congress_unit_ids]
        if congress_unit_ids is not None and len(units) != len(set(congress_unit_ids)):
            raise NotFound("所列选举单位中有不属于本次上级选举的。")
        if linked := [u.organisation.name for u in units if u.election_id and congress_unit_ids is not None]:
            raise Conflict(f"“{'、'.join(linked)}”的选举已经下发或关联，无需再次下发。")
        units = [u for u in units if not u.election_id]
        if not units:
            raise ServiceError("没有需要下发的选举单位：请先分配名额；已下发或已关联的不再重复下发。")
        created = []
        for unit in units:
            plan = wanted_plan(congress, unit)
            setup = elections.ElectionSetup(
                title=join_title(_place(unit.organisation.name), congress.title), seats=plan["seats"],
                level=_level(congress.title), electing_body=unit.organisation.name,
                convening_body=congress.organisation.name, higher_nominated_seats=plan["higher_nominated_seats"],
                age_reference_date=plan["age_reference_date"], categories=plan["categories"],
                quota_rules=plan["quota_rules"])
            if problems := elections.validate_setup(setup):
                raise ServiceError(f"“{unit.organisation.name}”：{'；'.join(problems)}")
            child = elections.plan_election(setup)
            child.organisation_id, child.congress_id, child.created_at = unit.organisation_id, congress.id, now
            session.add(child)
            session.flush()
            for stage, due in (congress.timeline or {}).items():
                session.add(StageDue(election_id=child.id, stage=stage, due_date=date.fromisoformat(due)))
            session.add(StageChange(election_id=child.id, from_stage="", to_stage=Stage.plan.value, kind="advance",
                                    reason=f"上级组织部门下发（{congress.title}）", actor_id=actor.id, at=now))
            unit.election_id = child.id
            session.flush()
            audit(session, actor, "levels.child_create", child,
                  summary=f"上级组织部门下发选举“{child.title}”：应选{child.seats}名，上级提名{unit.higher_seats}名",
                  after={"congress_id": congress.id, **plan}, now=now, seal=fixed(session, "stage", child.id))
            created.append(child)
        audit(session, actor, "levels.children", congress,
              summary=f"下发{len(created)}个选举单位的选举：{'、'.join(e.title for e in created)}",
              after={"elections": [e.id for e in created]}, now=now)
    return created


def link_child(session: Session, actor, congress_unit_id: int, election_id: int, now: datetime) -> Election:
    """关联已有选举: the 选举单位's election that already exists (of its part of the directory, part of no congress)
    becomes the allocation's child and receives its seats, requirements and timeline."""
    require(can_manage_congress(actor))
    with transaction(session):
        unit = session.get(CongressUnit, congress_unit_id)
        if unit is None:
            raise NotFound("未找到该选举单位的名额分配。")
        congress = _congress(session, actor, unit.congress_id)
        if unit.election_id is not None:
            raise Conflict(f"“{unit.organisation.name}”已有下发或关联的选举，不能再关联。")
        child = session.scalar(select(Election).where(Election.id == election_id).with_for_update())
        if child is None or child.organisation_id not in subtree_ids(session, unit.organisation_id):
            raise NotFound(f"未找到该选举，或它不是“{unit.organisation.name}”的选举。")
        if child.congress_id is not None:
            raise Conflict(f"选举“{child.title}”已属于一次上级选举，不能再关联。")
        unit.election_id, child.congress_id = child.id, congress.id
        session.flush()
        pushed = push_down(session, actor, congress, [unit], now)
        audit(session, actor, "levels.child_link", child,
              summary=f"关联到上级选举“{congress.title}”（{unit.organisation.name}）",
              after={"congress_id": congress.id, "congress_unit_id": unit.id}, now=now)
        audit(session, actor, "levels.children", congress,
              summary=f"关联“{unit.organisation.name}”的已有选举“{child.title}”" + ("，并同步名额和结构要求" if pushed else ""),
              after={"elections": [child.id]}, now=now)
    return child
