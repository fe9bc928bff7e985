"""差额推荐 (issue 5): a recommending unit uploads, corrects and submits its nominee list; the office reopens
units and follows all of them. Each use case is one transaction with one audit entry; the read views below
run a fixed number of queries.

Serialisation: every write to a unit's list locks the Election row and then the ElectionUnit row
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite ``BEGIN IMMEDIATE`` already serialises writers) and
re-checks the status inside the transaction. Locking the election too makes the cross-unit duplicate check
exact: two units uploading the same person at once cannot both pass it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, joinedload
from workflow.quotas.categories import CategoryTree
from workflow.quotas.checks import RuleResult, check_as_is

from election.accounts.models import User
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import can_edit_unit_list, can_manage_elections, can_view_election, require
from election.directory.models import ElectionUnit, Unit
from election.elections.facts import category_tree, quota_rules, to_candidate, unit_allocation
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee
from election.nominations.queries import scoped_election_units
from election.nominations.readers import (
    RowError,
    SheetRejected,
    check_nominee_fields,
    make_context,
    nominated_elsewhere_errors,
    parse_nominee_sheet,
)
from workflow.common.idcard import mask_id
from workflow.common.results import Blocker
from workflow.pipeline.nomination import UnitAllocation, check_unit_list
from workflow.pipeline.stages import Stage

ELSEWHERE = "此人已被其他推荐单位推荐，请与选举工作办公室联系"  # 来源: issue 5 (the unit is not told which)
SUBMIT_CONSEQUENCE = "提交后本单位名单将锁定，需选举办退回方可修改"
SOURCE = "issue 5（差额推荐：上传、修改、提交）"


# ---------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ImportOutcome:
    """What an upload did: nothing stored unless ``errors`` is empty and the file was not refused."""

    errors: tuple[RowError, ...]
    notes: tuple[str, ...]
    stored_count: int
    refusal: str = ""  # the whole file was refused (SheetRejected): how to fix it

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refusal


@dataclass(frozen=True)
class EditOutcome:
    """A one-by-one add or edit: the field errors (RowError.row is 0), or the stored nominee's id."""

    errors: tuple[RowError, ...]
    nominee_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Participation:
    """推荐提名工作统计表 of one unit; rates compared exactly (Fractions). 来源: domain.md §2 (seed: 100%)."""

    orgs: int
    participating_orgs: int | None
    members: int
    participating_members: int | None
    target: Fraction = Fraction(1)

    @property
    def org_rate(self) -> Fraction | None:
        return _rate(self.participating_orgs, self.orgs)

    @property
    def member_rate(self) -> Fraction | None:
        return _rate(self.participating_members, self.members)

    @property
    def filled(self) -> bool:
        return self.participating_orgs is not None and self.participating_members is not None

    @property
    def meets_target(self) -> bool:
        return all(r is not None and r >= self.target for r in (self.org_rate, self.member_rate))


def _rate(part: int | None, whole: int) -> Fraction | None:
    return None if part is None or whole <= 0 else Fraction(part, whole)


def format_rate(rate: Fraction | None) -> str:
    """95.1% (rounded half up to one decimal, integer arithmetic); "—" when unknown."""
    if rate is None:
        return "—"
    tenths = (rate.numerator * 1000 + rate.denominator // 2) // rate.denominator
    return f"{tenths // 10}.{tenths % 10}%"


# ---------------------------------------------------------------------------------------------- the gate


def check_list_editable(stage: str, status: str, due: date | None, reopened_until: date | None, today: date,
                        *, submitted_lock: bool = True) -> list[Blocker]:
    """Every reason the unit's list cannot be changed today (pure). 来源: issue 5."""
    blockers = []
    if stage != Stage.nominate:
        label = Stage(stage).label if stage in Stage.__members__ else stage
        blockers.append(Blocker("nominations.stage", f"选举当前处于“{label}”阶段，推荐名单只能在“推荐提名”阶段上传或修改", SOURCE))
    if status == "exempted":
        blockers.append(Blocker("nominations.exempted", "本单位已免报，无需上报推荐名单", SOURCE))
    elif submitted_lock and status == "submitted":
        blockers.append(Blocker("nominations.submitted", "本单位名单已提交并锁定；如需修改，请联系选举办退回本单位", SOURCE))
    if due is not None and today > due and not (reopened_until is not None and today <= reopened_until):
        if reopened_until is not None:
            msg = f"选举办退回后允许修改至{reopened_until.isoformat()}，现已过期；如确需修改，请联系选举办再次退回"
        else:
            msg = f"推荐提名已于{due.isoformat()}截止，不能再上传或修改名单；如确需修改，请联系选举办退回本单位"
        blockers.append(Blocker("nominations.overdue", msg, SOURCE))
    return blockers


def _nominate_due(session: Session, election_id: int) -> date | None:
    return session.scalar(select(StageDue.due_date).where(StageDue.election_id == election_id,
                                                          StageDue.stage == Stage.nominate.value))


def allowed_categories(tree: CategoryTree) -> tuple[str, ...]:
    """A person has one category, a leaf of the election's tree (domain.md §3.2)."""
    return tuple(tree.leaves())


def _get_unit(session: Session, election_unit_id: int) -> ElectionUnit:
    eu = session.get(ElectionUnit, election_unit_id)
    if eu is None:
        raise NotFound("推荐单位不存在。")
    return eu


def _lock(session: Session, election_unit_id: int) -> tuple[Election, ElectionUnit]:
    """Lock the election, then the unit (always in that order: no deadlock), with fresh values."""
    eu_election = session.scalar(select(ElectionUnit.election_id).where(ElectionUnit.id == election_unit_id))
    if eu_election is None:
        raise NotFound("推荐单位不存在。")
    election = session.scalars(select(Election).where(Election.id == eu_election).with_for_update(of=Election)
                               .execution_options(populate_existing=True)).one()
    eu = session.scalars(select(ElectionUnit).where(ElectionUnit.id == election_unit_id).with_for_update(of=ElectionUnit)
                         .execution_options(populate_existing=True)).one()
    return election, eu


def _require_editable(session: Session, election: Election, eu: ElectionUnit, today: date) -> None:
    blockers = check_list_editable(election.stage, eu.status, _nominate_due(session, election.id),
                                   eu.reopened_until, today)
    if blockers:
        raise ServiceError("；".join(b.message for b in blockers))


def _require_unit_user(actor, eu: ElectionUnit) -> None:
    require(can_edit_unit_list(actor, eu.unit_id), "只能由本单位经办人上传或修改本单位的推荐名单。")


def _taken_elsewhere(session: Session, election_id: int, election_unit_id: int,
                     id_numbers: Sequence[str]) -> dict[str, tuple[int, str, str]]:
    """ID number → (other election unit id, its name, the person's name) for people other units nominated."""
    if not id_numbers:
        return {}
    rows = session.execute(
        select(Nominee.id_number, ElectionUnit.id, Unit.name, Nominee.name)
        .join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id).join(Unit, Unit.id == ElectionUnit.unit_id)
        .where(Nominee.election_id == election_id, Nominee.election_unit_id != election_unit_id,
               Nominee.removed_reason.is_(None), Nominee.id_number.in_(list(set(id_numbers))))).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _record_conflicts(session: Session, actor, eu: ElectionUnit, conflicts: list[dict], now: datetime) -> None:
    """Keep the refused cross-unit duplicates for the office (both units named); the unit sees ELSEWHERE only."""
    eu.duplicate_conflicts = conflicts
    audit(session, actor, "nominations.duplicate_refused", eu, now=now,
          summary=f"{eu.unit.name}推荐的{len(conflicts)}人已被其他推荐单位推荐，未保存",
          after={"conflicts": [{k: v for k, v in c.items() if k != "id_number"} for c in conflicts]})


def _conflict(id_number: str, name: str, row: int, other: tuple[int, str, str], now: datetime) -> dict:
    return {"id_number": id_number, "masked_id": mask_id(id_number), "name": name, "row": row,
            "other_election_unit_id": other[0], "other_unit": other[1], "at": now.isoformat(timespec="minutes")}


# ---------------------------------------------------------------------------------------------- uploads


def _nominee_values(row, position: int, election_id: int, eu_id: int, now: datetime) -> dict:
    return {"election_id": election_id, "election_unit_id": eu_id, "position": position, "name": row.name,
            "gender": row.gender.label, "ethnicity": row.ethnicity, "id_number": row.id_number,
            "birth_date": row.birth_date, "native_place": row.native_place, "education": row.education,
            "party_join_date": row.party_join_date.first_day,
            "work_start_date": row.work_start_date.first_day if row.work_start_date else None,
            "workplace_title": row.workplace_title, "category": row.category, "remark": row.remark,
            "step": "nominated", "created_at": now}


def import_nominee_file(session: Session, actor, election_unit_id: int, data: bytes, today: date,
                        now: datetime) -> ImportOutcome:
    """Check the whole file; with no error at all, replace the unit's draft list with it (all or nothing)."""
    with transaction(session):  # a short read: who may upload, and against which categories
        eu = _get_unit(session, election_unit_id)
        _require_unit_user(actor, eu)
        election = eu.election
        _require_editable(session, election, eu, today)
        categories = allowed_categories(category_tree(election))
        unit_name = eu.unit.name
    try:  # the slow part runs outside any transaction
        parsed = parse_nominee_sheet(data, allowed_categories=categories, today=today, unit_name=unit_name)
    except SheetRejected as exc:
        return ImportOutcome((), (), 0, refusal=exc.message)

    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        _require_editable(session, election, eu, today)  # re-checked under the lock: a submit may have won
        taken = _taken_elsewhere(session, election.id, eu.id, [r.id_number for r in parsed.rows])
        elsewhere = nominated_elsewhere_errors(parsed.rows, taken)
        result = parsed.with_errors(elsewhere)
        if elsewhere:
            _record_conflicts(session, actor, eu, [_conflict(r.id_number, r.name, r.row, taken[r.id_number], now)
                                                   for r in parsed.rows if r.id_number in taken], now)
        if result.errors:
            return ImportOutcome(tuple(result.errors), tuple(result.notes), 0)
        before = session.scalar(select(func.count()).select_from(Nominee)
                                .where(Nominee.election_unit_id == eu.id)) or 0
        session.execute(delete(Nominee).where(Nominee.election_unit_id == eu.id)
                        .execution_options(synchronize_session=False))
        if parsed.rows:
            session.execute(insert(Nominee), [_nominee_values(r, i, election.id, eu.id, now)
                                              for i, r in enumerate(parsed.rows, start=1)])
        eu.duplicate_conflicts = None
        audit(session, actor, "nominations.import", eu, now=now,
              summary=f"{eu.unit.name}上传推荐人选名单{len(parsed.rows)}名（替换原名单{before}名）",
              before={"count": before}, after={"count": len(parsed.rows), "names": [r.name for r in parsed.rows]})
    session.expire_all()
    return ImportOutcome((), tuple(parsed.notes), len(parsed.rows))


# ---------------------------------------------------------------------------------------------- one by one

FORM_FIELDS = ("name", "gender", "ethnicity", "id_number", "birth_month", "native_place", "education",
               "party_join_date", "work_start_date", "workplace_title", "category", "remark")


def _check_one(session: Session, actor, election: Election, eu: ElectionUnit, values: Mapping[str, object],
               today: date, now: datetime, exclude_id: int | None):
    ctx = make_context(allowed_categories(category_tree(election)), today)
    row, errors = check_nominee_fields({k: v for k, v in values.items() if k in FORM_FIELDS}, row=0, ctx=ctx)
    if row is None:
        return None, errors
    own = session.execute(select(Nominee.id, Nominee.position, Nominee.id_number, Nominee.name, Nominee.birth_date)
                          .where(Nominee.election_unit_id == eu.id)).all()
    for other in own:
        if other.id == exclude_id:
            continue
        if other.id_number == row.id_number:
            return None, [RowError(0, "身份证号", f"本单位名单中已有此人（{other.name}），同一人只能填写一次")]
        if (other.name, other.birth_date) == (row.name, row.birth_date):
            return None, [RowError(0, "姓名", f"本单位名单中已有姓名和出生日期都相同的“{other.name}”，请核实是否重复填写了同一人")]
    taken = _taken_elsewhere(session, election.id, eu.id, [row.id_number])
    if taken:
        _record_conflicts(session, actor, eu, [_conflict(row.id_number, row.name, 0, taken[row.id_number], now)], now)
        return None, [RowError(0, "身份证号", ELSEWHERE)]
    return row, []


def add_nominee(session: Session, actor, election_unit_id: int, values: Mapping[str, object], today: date,
                now: datetime) -> EditOutcome:
    """Add one person to the unit's draft list, with the same checks as an upload."""
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        row, errors = _check_one(session, actor, election, eu, values, today, now, None)
        if row is None:
            return EditOutcome(tuple(errors))
        last = session.scalar(select(func.max(Nominee.position)).where(Nominee.election_unit_id == eu.id)) or 0
        nominee = Nominee(**_nominee_values(row, last + 1, election.id, eu.id, now))
        session.add(nominee)
        session.flush()
        audit(session, actor, "nominations.add", nominee, now=now, summary=f"{eu.unit.name}添加推荐人选{row.name}",
              after={"name": row.name, "category": row.category})
    return EditOutcome((), nominee.id)


def _nominee_in_unit(session: Session, nominee_id: int) -> Nominee:
    nominee = session.get(Nominee, nominee_id)
    if nominee is None:
        raise NotFound("推荐人选不存在。")
    return nominee


def update_nominee(session: Session, actor, nominee_id: int, values: Mapping[str, object], today: date,
                   now: datetime) -> EditOutcome:
    with transaction(session):
        nominee = _nominee_in_unit(session, nominee_id)
        election, eu = _lock(session, nominee.election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        row, errors = _check_one(session, actor, election, eu, values, today, now, nominee.id)
        if row is None:
            return EditOutcome(tuple(errors), nominee.id)
        before = {"name": nominee.name, "category": nominee.category}
        for key, value in _nominee_values(row, nominee.position, election.id, eu.id, now).items():
            if key not in ("created_at", "position", "step"):
                setattr(nominee, key, value)
        audit(session, actor, "nominations.update", nominee, now=now, summary=f"{eu.unit.name}修改推荐人选{row.name}",
              before=before, after={"name": row.name, "category": row.category})
    return EditOutcome((), nominee.id)


def delete_nominee(session: Session, actor, nominee_id: int, today: date, now: datetime) -> None:
    with transaction(session):
        nominee = _nominee_in_unit(session, nominee_id)
        election, eu = _lock(session, nominee.election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        audit(session, actor, "nominations.delete", nominee, now=now, summary=f"{eu.unit.name}删除推荐人选{nominee.name}",
              before={"name": nominee.name, "category": nominee.category})
        session.delete(nominee)


# ---------------------------------------------------------------------------------------------- submit / reopen


def submit_list(session: Session, actor, election_unit_id: int, today: date, now: datetime) -> list[Blocker]:
    """提交: only when the list passes check_unit_list; locks it. Returns the blockers (empty = submitted)."""
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        categories = list(session.scalars(select(Nominee.category).where(Nominee.election_unit_id == eu.id)))
        blockers = check_unit_list(categories, unit_allocation(election, eu), category_tree(election))
        if blockers:
            return blockers
        eu.status = "submitted"
        eu.submitted_at = now
        audit(session, actor, "nominations.submit", eu, now=now,
              summary=f"{eu.unit.name}提交推荐人选名单{len(categories)}名", after={"count": len(categories)})
    return []


def reopen_unit(session: Session, actor, election_unit_id: int, reason: str, today: date, now: datetime,
                until: date | None = None) -> None:
    """退回: the office puts a unit's list back to draft (reason required); UNTIL lets it edit past the due date."""
    require(can_manage_elections(actor), "只有选举办可以退回推荐单位的名单。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回理由。")
    if until is not None and until < today:
        raise ServiceError("允许修改的截止日期不能早于今天。")
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        if election.stage != Stage.nominate:
            raise ServiceError("只有在“推荐提名”阶段才能退回推荐单位的名单。")
        if eu.status == "exempted":
            raise ServiceError("该单位已免报，无需退回。")
        due = _nominate_due(session, election.id)
        if until is None and due is not None and today > due:
            raise ServiceError(f"推荐提名已于{due.isoformat()}截止，请填写允许该单位修改的截止日期。")
        before = {"status": eu.status, "reopened_until": eu.reopened_until}
        eu.status, eu.submitted_at = "draft", None
        eu.reopened_until, eu.reopen_reason = until, reason
        audit(session, actor, "nominations.reopen", eu, now=now,
              summary=f"退回{eu.unit.name}的推荐名单：{reason}" + (f"（可修改至{until.isoformat()}）" if until else ""),
              before=before, after={"status": "draft", "reopened_until": until, "reason": reason})


def save_statistics(session: Session, actor, election_unit_id: int, participating_orgs: int,
                    participating_members: int, summary_text: str, today: date, now: datetime) -> Participation:
    """推荐提名工作统计表 and 工作小结; the unit fills them (the office may correct them)."""
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        require(can_edit_unit_list(actor, eu.unit_id) or can_manage_elections(actor), "只能填写本单位的统计表。")
        if not can_manage_elections(actor):
            blockers = check_list_editable(election.stage, eu.status, _nominate_due(session, election.id),
                                           eu.reopened_until, today, submitted_lock=False)
            if blockers:
                raise ServiceError("；".join(b.message for b in blockers))
        unit = eu.unit
        problems = []
        for label, value, whole, whole_label in (("参加推荐的基层党组织数", participating_orgs, unit.grassroots_orgs, "基层党组织"),
                                                 ("参加推荐的党员数", participating_members, unit.members, "党员")):
            if value is None or value < 0:
                problems.append(f"请填写{label}（不小于0的整数）")
            elif whole and value > whole:
                problems.append(f"{label}{value}超过本单位{whole_label}总数{whole}，请核对")
        if problems:
            raise ServiceError("；".join(problems))
        before = {"orgs": eu.participating_orgs, "members": eu.participating_members}
        eu.participating_orgs, eu.participating_members = participating_orgs, participating_members
        eu.summary_text = (summary_text or "").strip() or None
        result = participation(election, eu)
        audit(session, actor, "nominations.statistics", eu, now=now,
              summary=f"{unit.name}填写推荐提名工作统计表：组织参与率{format_rate(result.org_rate)}，"
                      f"党员参与率{format_rate(result.member_rate)}",
              before=before, after={"orgs": participating_orgs, "members": participating_members})
    return result


def participation_target(election: Election) -> Fraction:
    return Fraction((election.settings or {}).get("participation_target", "1"))


def participation(election: Election, eu: ElectionUnit) -> Participation:
    return Participation(eu.unit.grassroots_orgs, eu.participating_orgs, eu.unit.members, eu.participating_members,
                         participation_target(election))


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
    if election.quota_rules:  # 来源: domain.md §3.2 — the age reference day is the setting, else the ballot due
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
    """(nominee, unit name) of the 推荐人选名册, in 姓氏笔画 order (domain.md §3.4, the election's padding setting)."""
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
