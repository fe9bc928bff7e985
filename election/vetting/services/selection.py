"""Choosing the people to vet and to post: the live counters next to a 考察对象 / 初步人选 selection (against the
plan and the quota rules), the office's choice of 考察对象 and of 初步人选, and the 考察组 assigned to each person
(docs/rules.md §2 stages 4 and 6, §3.1).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit, audit_many
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.core.roles import Role
from election.directory.models import ElectionUnit
from election.elections.models import Election
from election.nominations.models import Nominee
from election.notifications import events as notifications
from election.vetting.models import InspectorAssignment, Vetting
from election.vetting.services.enums import Conclusion
from election.vetting.services.people import VETTING_STAGES, _election, _in_running, _nominee, _reached, _require_stage
from election.vetting.services.permissions import can_manage_vetting
from workflow.common.results import Blocker, DomainError
from workflow.pipeline.guards import ballot_minimum
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree


# ----------------------------------------------------------------------------------------------- counters
@dataclass(frozen=True)
class CountLine:
    label: str
    value: int
    target: str = ""
    ok: bool = True


@dataclass(frozen=True)
class SelectionCounters:
    """The live counters next to a 考察对象 / 初步人选 selection."""

    selected: int
    counters: tuple[CountLine, ...]
    blockers: tuple[Blocker, ...] = ()


def compute_selection_counters(election: Election, chosen: Sequence[Nominee], step: str, today: date) -> SelectionCounters:
    """Counts against the plan (docs/rules.md §3.1: 考察对象 > 初步人选 ≥ ballot minimum) and the quota rules."""
    from election.elections.facts import ballot_margin, quota_rules, reference_date, to_candidate
    from workflow.quotas.checks import check_feasibility_blockers, classify

    settings = election.settings or {}
    floor = ballot_minimum(election.seats, ballot_margin(settings))
    planned_pre = int(settings.get("preliminary_count") or 0)
    n = len(chosen)
    items = []
    if step == "shortlisted":
        need = max(planned_pre, floor) + 1
        planned = int(settings.get("shortlist_count") or 0)
        items.append(CountLine("考察对象人数", n, f"至少{need}名" + (f"，计划{planned}名" if planned else ""), n >= need))
    else:
        items.append(CountLine("初步人选人数", n, f"至少{floor}名" + (f"，计划{planned_pre}名" if planned_pre else ""),
                              n >= floor))
    tree = CategoryTree(election.categories or None)
    blockers: list[Blocker] = []
    rule_items: list[CountLine] = []
    if election.quota_rules:
        try:
            rules = quota_rules(election, tree)
            ref = reference_date(election, today)
            candidates = [to_candidate(p) for p in chosen]
            matching = classify(candidates, rules, ref).matching
            rule_items = [CountLine(rule.label, actual) for rule, actual in zip(rules, matching)]
            blockers = check_feasibility_blockers(candidates, rules, ref, election.seats, tree) if chosen else []
        except DomainError as exc:
            blockers = [Blocker("quota.rules_invalid", exc.message)]
    # the plain counts, each only where no quota rule already counts the same people under its own name
    covered = _covered_by_rules(election.quota_rules or [])
    by_root = Counter()
    for p in chosen:
        for root in tree.roots():
            if p.category in tree and tree.contains(root, p.category):
                by_root[root] += 1
    items += [CountLine(root, by_root[root]) for root in tree.roots() if root not in covered]
    if "女" not in covered:
        items.append(CountLine("女", sum(1 for p in chosen if p.gender == "女")))
    if "少数民族" not in covered:
        items.append(CountLine("少数民族", sum(1 for p in chosen if p.ethnicity not in ("汉族", "汉"))))
    seen = {item.label for item in items}
    for item in rule_items:
        if item.label not in seen:
            items.append(item)
            seen.add(item.label)
    return SelectionCounters(n, tuple(items), tuple(blockers))


def _covered_by_rules(rules: Sequence[dict]) -> set[str]:
    """The plain counters a quota rule already shows: 女 (a rule on gender 女), 少数民族 (ethnicity not 汉族), and a
    category counted by a rule on that one category — so 女 and 女性, or 领导干部 twice, are not both listed."""
    covered: set[str] = set()
    for rule in rules:
        where = rule.get("where") or {}
        if len(where) != 1:
            continue
        if where.get("gender") == "女":
            covered.add("女")
        if where.get("ethnicity_not") in ("汉族", "汉"):
            covered.add("少数民族")
        if len(where.get("category_in") or ()) == 1:
            covered.add(where["category_in"][0])
    return covered


# ----------------------------------------------------------------------------------------------- selection
def select_shortlist(session: Session, actor, election_id: int, nominee_ids: Iterable[int], now: datetime) -> int:
    """The office's 考察对象 (docs/rules.md §2 stage 4): picked from the submitted nominees; returns the count."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以确定考察对象。")
    wanted = set(nominee_ids)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.shortlist,), "确定考察对象")
        rows = session.execute(select(Nominee, ElectionUnit.status).join(ElectionUnit,
                                                                        ElectionUnit.id == Nominee.election_unit_id)
                               .where(Nominee.election_id == election_id)).all()
        pool = {n.id: (n, status) for n, status in rows}
        problems = []
        for nid in sorted(wanted):
            if nid not in pool:
                problems.append(f"人员（编号{nid}）不在本次选举的推荐人选中")
                continue
            n, status = pool[nid]
            if status != "submitted":
                problems.append(f"{n.name}所在单位尚未提交推荐名单，不能列为考察对象")
            elif n.removed_reason is not None:
                problems.append(f"{n.name}已移出名单（{n.removed_reason}），不能列为考察对象")
        if problems:
            raise ServiceError("；".join(problems))
        before = sorted(n.id for n, _ in pool.values() if n.step == "shortlisted")
        for n, _ in pool.values():
            if n.id in wanted and n.step == "nominated":
                n.step = "shortlisted"
            elif n.id not in wanted and n.step == "shortlisted":
                n.step = "nominated"
        audit(session, actor, "vetting.shortlist", election, summary=f"确定考察对象{len(wanted)}名",
              before={"ids": before}, after={"ids": sorted(wanted)}, now=now)
    return len(wanted)


def select_preliminary(session: Session, actor, election_id: int, nominee_ids: Iterable[int], now: datetime) -> int:
    """The office's 初步人选 (docs/rules.md §2 stage 6): from 考察对象 whose vetting concluded 通过."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以确定初步人选。")
    wanted = set(nominee_ids)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.preliminary,), "确定初步人选")
        people = {n.id: n for n in session.scalars(select(Nominee).where(Nominee.election_id == election_id))}
        passed = set(session.scalars(select(Vetting.nominee_id).where(Vetting.election_id == election_id,
                                                                      Vetting.conclusion == Conclusion.passed)))
        problems = []
        for nid in sorted(wanted):
            n = people.get(nid)
            if n is None or not _reached(n, "shortlisted"):
                problems.append(f"人员（编号{nid}）不是本次选举的考察对象")
            elif n.removed_reason is not None:
                problems.append(f"{n.name}已移出名单（{n.removed_reason}），不能列为初步人选")
            elif nid not in passed:
                problems.append(f"{n.name}的考察结论还不是“通过”，请先完成考察")
        if problems:
            raise ServiceError("；".join(problems))
        before = sorted(n.id for n in people.values() if n.step == "preliminary")
        for n in people.values():
            if n.id in wanted and n.step == "shortlisted":
                n.step = "preliminary"
            elif n.id not in wanted and n.step == "preliminary":
                n.step = "shortlisted"
        audit(session, actor, "vetting.preliminary", election, summary=f"确定初步人选{len(wanted)}名",
              before={"ids": before}, after={"ids": sorted(wanted)}, now=now)
    return len(wanted)


def assign_inspector(session: Session, actor, nominee_id: int, user_id: int, now: datetime, *,
                     remove: bool = False) -> None:
    """Assign (or un-assign) a 考察组 member to a 考察对象."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以分配考察组。")
    election_id = _nominee(session, nominee_id).election_id
    assign_inspectors(session, actor, election_id, [nominee_id], user_id, now, remove=remove)


def assign_inspectors(session: Session, actor, election_id: int, nominee_ids: Iterable[int], user_id: int,
                      now: datetime, *, remove: bool = False) -> int:
    """Assign (or un-assign) one 考察组 member to several 考察对象 in one transaction, all or nothing: every
    person who cannot be assigned is named (the problems joined by "；"); one audit entry per person."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以分配考察组。")
    ids = list(dict.fromkeys(nominee_ids))
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, VETTING_STAGES, "分配考察组")
        user = session.get(User, user_id)
        if user is None or user.role != Role.inspector or not user.active:
            raise ServiceError("请选择一名有效的考察组成员。")
        found = {n.id: n for n in session.scalars(select(Nominee).where(Nominee.id.in_(ids),
                                                                        Nominee.election_id == election_id))}
        nominees = [found[nid] for nid in ids if nid in found]
        existing = {a.nominee_id: a for a in session.scalars(
            select(InspectorAssignment).where(InspectorAssignment.nominee_id.in_(ids),
                                              InspectorAssignment.user_id == user_id))}
        problems = [f"人员（编号{nid}）不在本次选举的考察对象中" for nid in ids if nid not in found]
        for nominee in nominees:
            if not _in_running(nominee, "shortlisted"):
                problems.append(f"{nominee.name}不是考察对象，不能分配考察组")
            elif remove and nominee.id not in existing:
                problems.append(f"{user.display_name}并未负责考察{nominee.name}")
            elif not remove and nominee.id in existing:
                problems.append(f"{user.display_name}已负责考察{nominee.name}")
        if problems:
            raise ServiceError("；".join(problems) + "。")
        entries = []
        for nominee in nominees:
            if remove:
                session.delete(existing[nominee.id])
                summary = f"取消{user.display_name}对{nominee.name}的考察分工"
            else:
                session.add(InspectorAssignment(election_id=nominee.election_id, nominee_id=nominee.id,
                                                user_id=user_id, assigned_by_id=actor.id, assigned_at=now))
                summary = f"分配{user.display_name}考察{nominee.name}"
            entries.append((nominee, summary, None, {"user_id": user_id, "removed": remove}))
        if not remove:
            notifications.inspector_assigned_many(session, election, nominees, user_id, now)
        # one entry per person, as before, written in a fixed number of statements whatever the list's length
        audit_many(session, actor, "vetting.assign", entries, now=now)
    return len(nominees)
