"""Use cases of the election pipeline: set up, copy, record decisions, advance / return / abort."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from election.audit.seals import fixed
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import can_manage_elections, require
from election.directory.models import ElectionUnit, Unit
from election.elections.decisions import (  # noqa: F401 - the pages and the API use them from here
    DECISION_KINDS,
    UPPER_DECIDES,
    check_decision_date,
    record_decision,
    write_decision,
)
from election.elections.facts import build_facts
from election.elections.from_above import check_dues_from_above, check_plan_from_above
from election.elections.models import Election, StageChange, StageDue
from workflow.common.results import DomainError
from workflow.pipeline.ratios import parse_margin
from workflow.pipeline.stages import PIPELINE, Decision, Stage
from workflow.pipeline.transitions import check_abort, check_overdue_reason, check_return, check_transition
from workflow.quotas.categories import CategoryTree
from workflow.quotas.rules import parse_rules
from workflow.tally.rules import PRESETS as TALLY_PRESETS
from workflow.tally.rules import QuorumRule

PRESETS = tuple(TALLY_PRESETS)  # 地方组织, 基层组织 (docs/rules.md §3.3)
# The presets' meeting rules as the election's editable settings, taken from the pure core (docs/rules.md §3.3)
MEETING_RULES = {name: {"quorum": str(p.quorum_share), "quorum_strict": p.quorum_rule is QuorumRule.more_than,
                        "majority_base": p.majority_base.value} for name, p in TALLY_PRESETS.items()}
CONFLICT_MESSAGE = "该选举刚刚已被他人推进或修改，您的操作没有生效。请刷新页面查看最新状态后再操作。"


@dataclass
class ElectionSetup:
    """What the office fills in at 制定工作方案 (plain data; the form and copy_election build it)."""

    title: str
    seats: int
    level: str = "区"
    electing_body: str = ""
    convening_body: str = ""
    higher_nominated_seats: int = 0
    preset: str = "地方组织"
    age_reference_date: date | None = None
    voters: int | None = None
    margin_unit_list: str = "1/2"       # docs/rules.md §3.1 seed: unit lists ≥50%
    margin_final_ballot: str = "1/5"    # docs/rules.md §3.1: delegates ≥20%
    shortlist_count: int = 0            # planned 考察对象 (seed 24); must exceed preliminary_count
    preliminary_count: int = 0          # planned 初步人选 (seed 21)
    quorum: str = "1/2"
    quorum_strict: bool = True
    majority_base: str = "eligible"     # eligible = 应到会, present = 实到会
    pad_single_given_name: bool = False  # docs/rules.md §3.4 [待定]
    categories: dict = field(default_factory=dict)
    quota_rules: list = field(default_factory=list)


def _settings(setup: ElectionSetup) -> dict:
    return {"margins": {"unit_list": setup.margin_unit_list, "final_ballot": setup.margin_final_ballot,
                        "shortlist_strict": True},
            "shortlist_count": setup.shortlist_count, "preliminary_count": setup.preliminary_count,
            "meeting_rules": {"quorum": setup.quorum, "quorum_strict": setup.quorum_strict,
                              "majority_base": setup.majority_base},
            "pad_single_given_name": setup.pad_single_given_name}


def validate_setup(setup: ElectionSetup) -> list[str]:
    """Every problem with the set-up, in Chinese; empty when it can be saved."""
    problems = []
    if not setup.title.strip():
        problems.append("请填写选举名称")
    if setup.seats <= 0:
        problems.append("应选名额应为正整数")
    if setup.higher_nominated_seats < 0:
        problems.append("上级提名名额不能为负数")
    if setup.preset not in PRESETS:
        problems.append("选举办法只能是“地方组织”或“基层组织”")
    if setup.voters is not None and setup.voters <= 0:
        problems.append("应到会人数应为正整数")
    for label, value in (("推荐差额比例", setup.margin_unit_list), ("正式选举差额比例", setup.margin_final_ballot),
                         ("会议人数要求", setup.quorum)):
        try:
            parse_margin(value)
        except DomainError as exc:
            problems.append(f"{label}：{exc.message}")
    if setup.shortlist_count and setup.preliminary_count and setup.shortlist_count <= setup.preliminary_count:
        problems.append("考察对象人数应多于初步人选人数（差额考察）")  # docs/rules.md §3.1
    if setup.majority_base not in ("eligible", "present"):
        problems.append("当选票数基数只能是应到会或实到会人数")
    try:
        tree = CategoryTree(setup.categories or None)
        parse_rules(setup.quota_rules or [], tree)
    except DomainError as exc:
        problems.append(f"结构要求：{_in_form_words(exc.message)}")
    return problems


_RULE_KEYS = {"min_share": "最低比例", "max_share": "最高比例", "min": "最少人数", "max": "最多人数"}


def _in_form_words(message: str) -> str:
    """The rule reader names its JSON keys for the command line ("最少人数（min）", "where.gender"); the form's
    labels already say what they are, so the office reads the message without them."""
    message = re.sub(r"（[A-Za-z_.]+）", "", message)
    return re.sub(r"\b(min_share|max_share|min|max)\b", lambda m: _RULE_KEYS[m.group(1)], message)


def _get(session: Session, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("选举不存在。")
    return election


def _snapshot(election: Election) -> dict:
    return {"title": election.title, "seats": election.seats, "higher_nominated_seats": election.higher_nominated_seats,
            "preset": election.preset, "age_reference_date": election.age_reference_date, "voters": election.voters,
            "settings": election.settings, "quota_rules": election.quota_rules, "categories": election.categories}


def create_election(session: Session, actor, setup: ElectionSetup, now: datetime) -> Election:
    require(can_manage_elections(actor))
    problems = validate_setup(setup)
    if problems:
        raise ServiceError("；".join(problems))
    with transaction(session):
        # a 选举单位's staff create their own 选举单位's election (they would not reach another one)
        election = Election(stage=Stage.plan.value, organisation_id=getattr(actor, "organisation_id", None))
        _apply(election, setup)
        session.add(election)
        session.flush()
        session.add(StageChange(election_id=election.id, from_stage="", to_stage=Stage.plan.value, kind="advance",
                                reason="创建选举", actor_id=actor.id, at=now))
        audit(session, actor, "election.create", election, summary=f"创建选举“{election.title}”",
              after=_snapshot(election), now=now, seal=fixed(session, "stage", election.id))
    return election


def _apply(election: Election, setup: ElectionSetup) -> None:
    election.title = setup.title.strip()
    election.seats = setup.seats
    election.level = setup.level
    election.electing_body = setup.electing_body
    election.convening_body = setup.convening_body
    election.higher_nominated_seats = setup.higher_nominated_seats
    election.preset = setup.preset
    election.age_reference_date = setup.age_reference_date
    election.voters = setup.voters
    election.settings = {**(election.settings or {}), **_settings(setup)}
    election.categories = setup.categories or {}
    election.quota_rules = setup.quota_rules or []


def plan_election(setup: ElectionSetup) -> Election:
    """A new election at 制定工作方案 with SETUP applied, not yet in a session: for a use case that creates elections
    inside its own transaction (the upper committee's 下发). SETUP must have passed ``validate_setup``."""
    election = Election(stage=Stage.plan.value)
    _apply(election, setup)
    return election


def setup_of(election: Election) -> ElectionSetup:
    s = election.settings or {}
    margins, rules = s.get("margins", {}), s.get("meeting_rules", MEETING_RULES[election.preset])
    return ElectionSetup(
        title=election.title, seats=election.seats, level=election.level, electing_body=election.electing_body,
        convening_body=election.convening_body, higher_nominated_seats=election.higher_nominated_seats,
        preset=election.preset, age_reference_date=election.age_reference_date, voters=election.voters,
        margin_unit_list=margins.get("unit_list", "1/2"), margin_final_ballot=margins.get("final_ballot", "1/5"),
        shortlist_count=int(s.get("shortlist_count") or 0), preliminary_count=int(s.get("preliminary_count") or 0),
        quorum=rules.get("quorum", "1/2"), quorum_strict=bool(rules.get("quorum_strict", True)),
        majority_base=rules.get("majority_base", "eligible"),
        pad_single_given_name=bool(s.get("pad_single_given_name", False)),
        categories=dict(election.categories or {}), quota_rules=list(election.quota_rules or []))


def update_election(session: Session, actor, election_id: int, setup: ElectionSetup, now: datetime,
                    expected_version: int | None = None) -> Election:
    """Edit the 工作方案; only while the election is at 制定工作方案 (退回 to it to change the plan later)."""
    require(can_manage_elections(actor))
    problems = validate_setup(setup)
    if problems:
        raise ServiceError("；".join(problems))
    with transaction(session):
        election = _get(session, election_id)
        _check_version(election, expected_version)
        if election.stage != Stage.plan:
            raise ServiceError(f"选举已进入“{Stage(election.stage).label}”阶段，工作方案已锁定；如需修改，请先退回到“制定工作方案”。")
        check_plan_from_above(session, election, setup)
        before = _snapshot(election)
        _apply(election, setup)
        audit(session, actor, "election.update", election, summary=f"修改选举“{election.title}”的工作方案",
              before=before, after=_snapshot(election), now=now)
    return election


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class TimelineChange:
    """What saving the timeline changed: the due dates set or moved, those cleared, and the 年龄计算基准日 of an
    election that has none of its own, which follows the 差额选举 stage's due date (docs/rules.md §3.2)."""

    age_reference_before: date | None = None  # the 差额选举 due date it followed (None: there was none)
    age_reference_after: date | None = None
    changed: tuple[Stage, ...] = ()           # set or moved
    cleared: tuple[Stage, ...] = ()           # no due date any more
    follows_ballot: bool = False              # the election's age reference follows the 差额选举 due date

    @property
    def age_reference_moved(self) -> bool:
        return self.follows_ballot and self.age_reference_after != self.age_reference_before

    @property
    def notice(self) -> str:
        """For the office, in Chinese; empty when the 年龄计算基准日 did not move."""
        if not self.age_reference_moved:
            return ""
        if self.age_reference_after is None:
            return "差额选举的截止日期已清除，年龄计算基准日在选举日重新确定前暂未设定"
        return f"年龄计算基准日随选举日改为{_cn(self.age_reference_after)}，年龄将按新日期计算"

    @property
    def summary(self) -> str:
        """What was saved, in Chinese, for the flash message."""
        parts = []
        if self.changed:
            parts.append(f"修改了{'、'.join(f'“{s.label}”' for s in self.changed)}的截止日期")
        if self.cleared:
            parts.append(f"清除了{'、'.join(f'“{s.label}”' for s in self.cleared)}的截止日期（该阶段不再有截止日期，"
                         f"也不再提醒）")
        return f"时间安排已保存：{'；'.join(parts)}。" if parts else "时间安排没有变化。"


def set_timeline(session: Session, actor, election_id: int, dues: dict[str, date | None],
                 now: datetime) -> TimelineChange:
    """The due date of each stage named in DUES (None clears it); may be changed at any stage before the end
    (audited). The current stage's due date may be moved but not cleared: its reminders and the 逾期说明 required
    to advance after it depend on it. The result says what changed and whether the election's default
    年龄计算基准日 moved with the 差额选举 due date (the audit entry records it too)."""
    require(can_manage_elections(actor))
    for stage in dues:
        try:
            Stage(stage)
        except ValueError:
            raise ServiceError("时间安排中有不存在的阶段。") from None
    order = [s for s in PIPELINE if dues.get(s.value) is not None]
    for a, b in zip(order, order[1:]):
        if dues[b.value] < dues[a.value]:
            raise ServiceError(f"“{b.label}”的截止日期不能早于“{a.label}”的截止日期。")
    with transaction(session):
        election = _get(session, election_id)
        if Stage(election.stage).is_final:
            raise ServiceError("选举已结束，不能再修改时间安排。")
        existing = {d.stage: d for d in session.scalars(select(StageDue).where(StageDue.election_id == election_id))}
        before = {k: v.due_date for k, v in existing.items()}
        check_dues_from_above(session, election, dues, before)
        current = Stage(election.stage)
        if current.value in dues and dues[current.value] is None and current.value in existing:
            raise ServiceError(f"“{current.label}”是当前阶段，它的截止日期可以修改，不能清除：本阶段的提醒和"
                               f"逾期推进时须填写的逾期说明都以它为准。")
        changed, cleared = [], []
        for stage in PIPELINE:
            if stage.value not in dues:
                continue
            due, row = dues[stage.value], existing.get(stage.value)
            if due is None:
                if row is not None:
                    session.delete(row)
                    cleared.append(stage)
            elif row is None:
                session.add(StageDue(election_id=election_id, stage=stage.value, due_date=due))
                changed.append(stage)
            elif row.due_date != due:
                row.due_date = due
                changed.append(stage)
        ballot = Stage.ballot.value
        follows = election.age_reference_date is None and ballot in dues  # 来源: docs/rules.md §3.2
        change = TimelineChange(before.get(ballot), dues.get(ballot), tuple(changed), tuple(cleared), follows)
        if not changed and not cleared:
            return change
        after: dict = {s.value: dues[s.value] for s in (*changed, *cleared)}
        before = {s.value: before.get(s.value) for s in (*changed, *cleared)}
        summary = f"修改选举“{election.title}”的时间安排"
        if cleared:
            summary += f"，清除{'、'.join(s.label for s in cleared)}的截止日期"
        if change.age_reference_moved:
            before = {**before, "age_reference_date": change.age_reference_before}
            after["age_reference_date"] = change.age_reference_after
            summary += f"；{change.notice}"
        audit(session, actor, "election.timeline", election, summary=summary, before=before, after=after, now=now)
    return change


@dataclass(frozen=True)
class AllocationRow:
    unit_id: int
    quota: int
    report_count: int
    breakdown: dict


def allocation_scope(session: Session, election: Election) -> frozenset[int] | None:
    """The organisations whose 推荐单位 the election may allocate seats to: its 选举单位's part of the directory
    (None: any, for an election without one). 来源: docs/rules.md §8"""
    if election.organisation_id is None:
        return None
    from election.directory.scope import subtree_ids

    return subtree_ids(session, election.organisation_id)


def set_allocations(session: Session, actor, election_id: int, rows: list[AllocationRow], now: datetime) -> None:
    """The 推荐单位 of the election and their allocations; only at 制定工作方案 or 工作部署."""
    require(can_manage_elections(actor))
    problems = []
    for r in rows:
        if r.quota < 0 or r.report_count < 0 or any(v < 0 for v in r.breakdown.values()):
            problems.append(f"推荐单位（编号{r.unit_id}）的名额不能为负数")
        if r.breakdown and r.report_count and sum(r.breakdown.values()) != r.report_count:
            problems.append(f"推荐单位（编号{r.unit_id}）各类别人数之和（{sum(r.breakdown.values())}）应等于应上报人数（{r.report_count}）")
    if problems:
        raise ServiceError("；".join(problems))
    with transaction(session):
        election = _get(session, election_id)
        if election.stage not in (Stage.plan, Stage.deploy):
            raise ServiceError("推荐提名开始后不能再调整推荐单位和名额分配；如确需调整，请先退回到“制定工作方案”。")
        known = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_([r.unit_id for r in rows])))}
        if missing := [r.unit_id for r in rows if r.unit_id not in known]:
            raise ServiceError(f"推荐单位不存在：{missing}")
        within = allocation_scope(session, election)
        if within is not None and (outside := [known[r.unit_id].name for r in rows if known[r.unit_id].organisation_id
                                              is not None and known[r.unit_id].organisation_id not in within]):
            raise ServiceError(f"推荐单位“{'、'.join(outside)}”不属于本选举单位，不能在本次选举中分配名额。")
        existing = {eu.unit_id: eu for eu in session.scalars(select(ElectionUnit)
                                                             .where(ElectionUnit.election_id == election_id))}
        retired = [known[r.unit_id].name for r in rows if r.unit_id not in existing
                   and known[r.unit_id].organisation is not None and known[r.unit_id].organisation.retired_at]
        if retired:
            raise ServiceError(f"推荐单位“{'、'.join(retired)}”已在组织机构中撤销，不能再分配名额。")
        before = {u: {"quota": e.quota, "report_count": e.report_count, "breakdown": e.breakdown}
                  for u, e in existing.items()}
        wanted = {r.unit_id for r in rows}
        for unit_id, eu in existing.items():
            if unit_id not in wanted:
                session.delete(eu)
        for r in rows:
            eu = existing.get(r.unit_id) or ElectionUnit(election_id=election_id, unit_id=r.unit_id)
            eu.quota, eu.report_count, eu.breakdown = r.quota, r.report_count, dict(r.breakdown)
            session.add(eu)
        audit(session, actor, "election.allocations", election, summary=f"设置选举“{election.title}”的推荐单位及名额（{len(rows)}个单位）",
              before=before, after={r.unit_id: asdict(r) for r in rows}, now=now)


def copy_election(session: Session, actor, source_id: int, title: str, now: datetime,
                  shift_days: int = 0) -> Election:
    """A new election at 制定工作方案 with the source's settings, quotas, units, allocations and timeline."""
    from datetime import timedelta

    require(can_manage_elections(actor))
    source = _get(session, source_id)
    setup = setup_of(source)
    setup.title = title
    election = create_election(session, actor, setup, now)
    rows = [AllocationRow(eu.unit_id, eu.quota, eu.report_count, dict(eu.breakdown or {})) for eu in source.units]
    set_allocations(session, actor, election.id, rows, now)
    dues = {d.stage: d.due_date + timedelta(days=shift_days) for d in source.dues}
    if dues:
        set_timeline(session, actor, election.id, dues, now)
    return election


def exempt_unit(session: Session, actor, election_unit_id: int, reason: str, now: datetime) -> None:
    """The office excuses a unit from submitting (the reason is kept and shown)."""
    require(can_manage_elections(actor))
    if not reason.strip():
        raise ServiceError("免报须填写理由。")
    with transaction(session):
        eu = session.get(ElectionUnit, election_unit_id)
        if eu is None:
            raise NotFound("推荐单位不存在。")
        if eu.status == "submitted":
            raise ServiceError("该单位已提交名单，无需免报。")
        eu.status, eu.exemption_reason = "exempted", reason.strip()
        audit(session, actor, "unit.exempt", eu, summary=f"“{eu.unit.name}”免报推荐人选：{reason.strip()}",
              after={"reason": reason.strip()}, now=now)


def _check_version(election: Election, expected_version: int | None) -> None:
    if expected_version is not None and election.version != expected_version:
        raise Conflict(CONFLICT_MESSAGE)


def _move(session: Session, election: Election, actor, decision: Decision, kind: str, reason: str,
          overdue_reason: str | None, now: datetime, action: str, summary: str) -> None:
    from_stage = election.stage
    session.add(StageChange(election_id=election.id, from_stage=from_stage, to_stage=decision.target.value,
                            kind=kind, reason=reason, overdue_reason=overdue_reason or None,
                            actor_id=actor.id, at=now))
    election.stage = decision.target.value
    if decision.target is Stage.aborted:
        election.abort_reason = reason
    try:
        session.flush()  # version_id_col: a concurrent move makes this UPDATE match no row
    except StaleDataError as exc:
        raise Conflict(CONFLICT_MESSAGE) from exc
    audit(session, actor, action, election, summary=summary,
          before={"stage": from_stage}, after={"stage": decision.target.value, "reason": reason,
                                               "overdue_reason": overdue_reason}, now=now,
          seal=fixed(session, "stage", election.id))


def advance_stage(session: Session, election_id: int, actor, now: datetime, today: date, *,
                  overdue_reason: str = "", expected_version: int | None = None) -> Decision:
    """Move forward when every guard passes; after the due date only with a written override reason."""
    require(can_manage_elections(actor))
    with transaction(session):
        election = _get(session, election_id)
        _check_version(election, expected_version)
        decision = check_transition(build_facts(session, election, today))
        extra = check_overdue_reason(decision, overdue_reason)
        if extra:
            decision = Decision(decision.target, (*decision.blockers, *extra), decision.overdue_override_needed)
        if not decision.allowed:
            return decision
        note = f"（逾期说明：{overdue_reason.strip()}）" if decision.overdue_override_needed else ""
        _move(session, election, actor, decision, "advance", "", overdue_reason.strip() if note else None, now,
              "election.advance", f"“{election.title}”进入“{decision.target.label}”阶段{note}")
        # the 公示 close with their stage: the guards passed, so their periods are over and their 反映 closed
        from election.vetting.services import end_due_within

        end_due_within(session, today, now, election.id)
    return decision


def return_stage(session: Session, election_id: int, actor, target: str, reason: str, now: datetime, today: date, *,
                 expected_version: int | None = None) -> Decision:
    """退回 to an earlier stage, with a written reason."""
    require(can_manage_elections(actor))
    try:
        target_stage = Stage(target)
    except ValueError:
        raise ServiceError("退回的目标阶段不存在。") from None
    with transaction(session):
        election = _get(session, election_id)
        _check_version(election, expected_version)
        decision = check_return(build_facts(session, election, today), target_stage, reason)
        if not decision.allowed:
            return decision
        _move(session, election, actor, decision, "return", reason.strip(), None, now, "election.return",
              f"“{election.title}”由“{Stage(election.stage).label}”退回到“{target_stage.label}”：{reason.strip()}")
    return decision


def abort_election(session: Session, election_id: int, actor, reason: str, now: datetime, today: date, *,
                   expected_version: int | None = None) -> Decision:
    require(can_manage_elections(actor))
    with transaction(session):
        election = _get(session, election_id)
        _check_version(election, expected_version)
        decision = check_abort(build_facts(session, election, today), reason)
        if not decision.allowed:
            return decision
        _move(session, election, actor, decision, "abort", reason.strip(), None, now, "election.abort",
              f"中止选举“{election.title}”：{reason.strip()}")
    return decision
