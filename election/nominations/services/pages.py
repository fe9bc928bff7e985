"""What the nominations pages show, each in a fixed number of queries: a unit's task page (``unit_page``),
the office's overview of all units with cross-unit duplicates (``nominations_overview``), the 推荐人选名册
in 姓氏笔画 order and the units' 工作小结.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from election.accounts.models import User
from election.core.permissions import can_view_election
from election.directory.models import ElectionUnit, Unit
from election.elections.facts import category_tree, quota_rules, to_candidate, unit_allocation
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee
from election.nominations.queries import scoped_election_units
from election.nominations.services.gate import _nominate_due, allowed_categories, check_list_editable
from election.nominations.services.participation import Participation, participation, participation_target
from workflow.common.idcard import mask_id
from workflow.common.results import Blocker
from workflow.pipeline.nomination import UnitAllocation, check_unit_list
from workflow.pipeline.stages import Stage
from workflow.quotas.checks import RuleResult, check_as_is

# ---------------------------------------------------------------------------------------------- read views


@dataclass(frozen=True)
class UnitPage:
    election_unit: ElectionUnit
    election: Election
    nominees: list[Nominee]
    allocation: UnitAllocation
    blockers: list[Blocker]          # why the list cannot be submitted yet (check_unit_list)
    edit_blockers: list[Blocker]     # why it cannot be changed today
    breakdown: list[tuple[str, int, int]]  # (node, wanted, have)
    quotas: list[RuleResult]         # the election's quotas on this list as it is (information only)
    due: date | None
    participation: Participation
    categories: tuple[str, ...]

    @property
    def can_submit(self) -> bool:
        return not self.blockers and not self.edit_blockers


def unit_page(session: Session, election_unit_id: int, user: User, today: date) -> UnitPage | None:
    """The unit's task page; None when the user may not see the unit (a 404, as before). Four queries."""
    eu = session.scalar(scoped_election_units(user).options(joinedload(ElectionUnit.election))
                        .where(ElectionUnit.id == election_unit_id))
    if eu is None:
        return None
    election = eu.election
    nominees = list(session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)
                                    .order_by(Nominee.position, Nominee.id)))
    dues = {d.stage: d.due_date for d in session.scalars(select(StageDue).where(StageDue.election_id == election.id))}
    tree = category_tree(election)
    allocation = unit_allocation(election, eu)
    cats = [n.category for n in nominees]
    breakdown = [(node, wanted, sum(1 for c in cats if tree.contains(node, c)))
                 for node, wanted in allocation.breakdown.items()]
    quotas = []
    if election.quota_rules:  # 来源: docs/rules.md §3.2 — the age reference day is the setting, else the ballot due
        ref = election.age_reference_date or dues.get(Stage.ballot.value) or today
        quotas = check_as_is([to_candidate(n) for n in nominees], quota_rules(election, tree), ref)
    due = dues.get(Stage.nominate.value)
    return UnitPage(eu, election, nominees, allocation, check_unit_list(cats, allocation, tree),
                    check_list_editable(election.stage, eu.status, due, eu.reopened_until, today), breakdown,
                    quotas, due, participation(election, eu), allowed_categories(tree))


@dataclass(frozen=True)
class Duplicate:
    masked_id: str
    id_number: str
    name: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class OverviewRow:
    election_unit_id: int
    unit_name: str
    status: str
    submitted_at: datetime | None
    count: int
    report_count: int
    blockers: tuple[Blocker, ...]
    participation: Participation
    reopened_until: date | None
    conflicts: tuple[dict, ...]

    @property
    def compliant(self) -> bool:
        return not self.blockers


@dataclass(frozen=True)
class Overview:
    election: Election
    rows: list[OverviewRow]
    duplicates: list[Duplicate]
    due: date | None
    total_nominees: int = 0
    submitted: int = 0
    notes: list[str] = field(default_factory=list)


def nominations_overview(session: Session, election_id: int) -> Overview | None:
    """All units at a glance (office): status, counts, compliance, duplicates, participation. Five queries."""
    election = session.get(Election, election_id)
    if election is None:
        return None
    units = session.execute(select(ElectionUnit, Unit).join(Unit, Unit.id == ElectionUnit.unit_id)
                            .where(ElectionUnit.election_id == election_id).order_by(Unit.code)).all()
    people = session.execute(select(Nominee.election_unit_id, Nominee.category, Nominee.id_number, Nominee.name)
                             .where(Nominee.election_id == election_id, Nominee.removed_reason.is_(None))).all()
    due = _nominate_due(session, election_id)
    tree = category_tree(election)
    cats: dict[int, list[str]] = defaultdict(list)
    by_id: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for eu_id, category, id_number, name in people:
        cats[eu_id].append(category)
        by_id[id_number].append((eu_id, name))
    names = {eu.id: unit.name for eu, unit in units}
    target = participation_target(election)
    rows = [OverviewRow(eu.id, unit.name, eu.status, eu.submitted_at, len(cats[eu.id]), eu.report_count,
                        () if eu.status == "exempted" else
                        tuple(check_unit_list(cats[eu.id], unit_allocation(election, eu), tree)),
                        Participation(unit.grassroots_orgs, eu.participating_orgs, unit.members,
                                      eu.participating_members, target),
                        eu.reopened_until, tuple(eu.duplicate_conflicts or ()))
            for eu, unit in units]
    duplicates = [Duplicate(mask_id(number), number, entries[0][1], tuple(names.get(e, "") for e, _ in entries))
                  for number, entries in by_id.items() if len({e for e, _ in entries}) > 1]
    return Overview(election, rows, duplicates, due, len(people), sum(r.status == "submitted" for r in rows))


def roster_people(session: Session, election: Election, *, submitted_only: bool = True) -> list[tuple[Nominee, str]]:
    """(nominee, unit name) of the 推荐人选名册, in 姓氏笔画 order (docs/rules.md §3.4, the election's padding setting)."""
    from workflow.common.strokes import sort_by_name

    query = (select(Nominee, Unit.name).join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
             .join(Unit, Unit.id == ElectionUnit.unit_id)
             .where(Nominee.election_id == election.id, Nominee.removed_reason.is_(None)))
    if submitted_only:
        query = query.where(ElectionUnit.status == "submitted")
    rows = [(n, unit) for n, unit in session.execute(query.order_by(Nominee.id)).all()]
    pad = bool((election.settings or {}).get("pad_single_given_name", False))
    return sort_by_name(rows, key=lambda r: r[0].name, pad_single_given_name=pad)


def can_see_overview(user) -> bool:
    return can_view_election(user)


def summaries(session: Session, election_id: int) -> list[tuple[int, str | None]]:
    """(election unit id, 工作小结) of every unit, for the 统计表 export."""
    return list(session.execute(select(ElectionUnit.id, ElectionUnit.summary_text)
                                .where(ElectionUnit.election_id == election_id)).all())
