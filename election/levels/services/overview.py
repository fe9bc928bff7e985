"""The upper committee's reads: every 选举单位 of a congress (stage, lateness, packages waiting, its own structure)
and the congress-wide structure from all of them (workflow.levels.congress), and the combined roster.

Reads only (no transaction, no audit). A fixed number of statements whatever the number of people: the child
elections with their due dates, then one query each for the people on their lists, the 上级提名人选, the elected
and the packages waiting — never one per person (tests/levels/test_overview_services.py counts them).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from election.calendar.services import load_calendar
from election.core.stage_labels import stage_label
from election.elections.facts import quota_rules, reference_date
from election.elections.models import Election
from election.levels.models import Congress, CongressUnit, UpwardReport
from election.levels.scope import congress_or_404, congresses_in_scope
from election.nominations.models import Nominee
from election.quotas.services import ComplianceReport, build_report
from election.voting.models import Delegate, HigherNominee, VotingResult
from workflow.common.results import DomainError
from workflow.common.strokes import sort_by_name
from workflow.levels.congress import CongressStructure, Pool, UnitInput, compute_congress_structure
from workflow.pipeline.deadlines import DeadlineStatus, compute_deadline_status
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree
from workflow.quotas.rules import Candidate, parse_rules

# which list stands for a 选举单位 at each stage (来源: docs/rules.md §8.3): none before the 考察对象, then the
# 考察对象, the 初步人选, the 预备人选; beside it the 上级提名人选 registered so far; the elected once the result is recorded
LIST_OF_STAGE = {Stage.shortlist: "shortlisted", Stage.vet: "shortlisted", Stage.preliminary: "preliminary",
                 Stage.confirm: "confirmed", Stage.ballot: "confirmed", Stage.report: "confirmed",
                 Stage.completed: "confirmed"}
LIST_LABELS = {"shortlisted": "考察对象", "preliminary": "初步人选", "confirmed": "预备人选", "elected": "选举结果",
               "none": "尚无名单"}
STEPS_FROM = {"shortlisted": ("shortlisted", "preliminary", "confirmed"), "preliminary": ("preliminary", "confirmed"),
              "confirmed": ("confirmed",)}
WAITING = ("submitted", "reviewed")  # packages the upper committee has still to decide
REPORT_KIND_LABELS = {"consent": "初步人选（征求同意）", "approval": "预备人选（审查批复）", "result": "选举结果（上报）"}
REPORT_STATUS_LABELS = {"submitted": "待审查", "reviewed": "已初步审查，待批复", "approved": "已同意", "returned": "已退回"}
UNKNOWN_BIRTH = dt.date(1900, 1, 1)  # an elected delegate recorded without a birth date counts as over any age limit


@dataclass(frozen=True)
class Waiting:
    report_id: int
    kind: str
    kind_label: str
    attempt: int
    status: str
    status_label: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class UnitRow:
    """One 选举单位 as the upper committee sees it."""

    congress_unit_id: int
    organisation_id: int
    name: str
    seats: int
    higher_seats: int
    election_id: int | None
    election_title: str
    stage: str | None
    stage_label: str
    due: dt.date | None
    deadline: DeadlineStatus | None
    standing: str               # none / shortlisted / preliminary / confirmed / elected
    listed: int                 # people on that list (the elected, for a result)
    higher_listed: int          # 上级提名人选 registered in its election
    waiting: tuple[Waiting, ...]
    own: ComplianceReport | None   # its own requirements on that list: as is, worst case, feasible

    @property
    def standing_label(self) -> str:
        return LIST_LABELS[self.standing]

    @property
    def days_late(self) -> int:
        return -self.deadline.days_left if self.deadline and self.deadline.overdue else 0


@dataclass(frozen=True)
class CongressOverview:
    congress: Congress
    today: dt.date
    reference: dt.date
    rows: tuple[UnitRow, ...]
    structure: CongressStructure | None   # None: the congress has no requirements
    rule_error: str = ""                  # a requirement that cannot be read (the set-up page says how to fix it)

    @property
    def seats_allocated(self) -> int:
        return sum(r.seats + r.higher_seats for r in self.rows)

    @property
    def late(self) -> tuple[UnitRow, ...]:
        return tuple(r for r in self.rows if r.days_late)

    @property
    def waiting(self) -> int:
        return sum(len(r.waiting) for r in self.rows)


@dataclass(frozen=True)
class RosterRow:
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date | None
    category: str
    workplace_title: str
    unit_name: str
    list_label: str            # 考察对象 / 初步人选 / 预备人选 / 上级提名人选 / 当选代表


@dataclass
class _Loaded:
    """Everything the overview reads, in a fixed number of statements."""

    units: list
    people: dict[int, list]
    higher: dict[int, list]
    elected: dict[int, list]
    results: set[int]
    waiting: dict[int, list]


def list_congresses(session: Session, actor) -> list[tuple[Congress, int, int]]:
    """The congresses in the user's part of the directory: each with how many 选举单位 it has and how many
    packages wait for the upper committee's decision."""
    counts = select(CongressUnit.congress_id, func.count().label("n")).group_by(CongressUnit.congress_id).subquery()
    waiting = (select(Election.congress_id, func.count().label("n")).join(UpwardReport, UpwardReport.election_id == Election.id)
               .where(UpwardReport.status.in_(WAITING)).group_by(Election.congress_id).subquery())
    query = congresses_in_scope(
        select(Congress, func.coalesce(counts.c.n, 0), func.coalesce(waiting.c.n, 0))
        .outerjoin(counts, counts.c.congress_id == Congress.id)
        .outerjoin(waiting, waiting.c.congress_id == Congress.id), actor)
    return [tuple(row) for row in session.execute(query.order_by(Congress.created_at.desc(), Congress.id.desc()))]


def _load(session: Session, congress: Congress) -> _Loaded:
    units = session.execute(
        select(CongressUnit, Election).outerjoin(Election, Election.id == CongressUnit.election_id)
        .options(selectinload(Election.dues))
        .where(CongressUnit.congress_id == congress.id)).unique().all()
    units.sort(key=lambda row: (row[0].organisation.code, row[0].id))
    ids = [e.id for _, e in units if e is not None]
    loaded = _Loaded(units, defaultdict(list), defaultdict(list), defaultdict(list), set(), defaultdict(list))
    if not ids:
        return loaded
    for row in session.execute(
            select(Nominee.election_id, Nominee.name, Nominee.gender, Nominee.ethnicity, Nominee.birth_date,
                   Nominee.category, Nominee.step, Nominee.workplace_title)
            .where(Nominee.election_id.in_(ids), Nominee.removed_reason.is_(None),
                   Nominee.step.in_(STEPS_FROM["shortlisted"])).order_by(Nominee.id)):
        loaded.people[row.election_id].append(row)
    for row in session.execute(
            select(HigherNominee.election_id, HigherNominee.name, HigherNominee.gender, HigherNominee.ethnicity,
                   HigherNominee.birth_date, HigherNominee.category, HigherNominee.workplace_title)
            .where(HigherNominee.election_id.in_(ids)).order_by(HigherNominee.id)):
        loaded.higher[row.election_id].append(row)
    # the elected, with what their nominee records hold where the delegate row left a field empty
    for row in session.execute(
            select(Delegate.election_id, Delegate.name,
                   func.coalesce(func.nullif(Delegate.gender, ""), Nominee.gender, HigherNominee.gender, "")
                   .label("gender"),
                   func.coalesce(func.nullif(Delegate.ethnicity, ""), Nominee.ethnicity, HigherNominee.ethnicity, "")
                   .label("ethnicity"),
                   func.coalesce(Delegate.birth_date, Nominee.birth_date, HigherNominee.birth_date).label("birth_date"),
                   func.coalesce(func.nullif(Delegate.category, ""), Nominee.category, HigherNominee.category, "")
                   .label("category"),
                   Delegate.unit.label("workplace_title"), Delegate.higher_nominee_id)
            .outerjoin(Nominee, Nominee.id == Delegate.nominee_id)
            .outerjoin(HigherNominee, HigherNominee.id == Delegate.higher_nominee_id)
            .where(Delegate.election_id.in_(ids)).order_by(Delegate.id)):
        loaded.elected[row.election_id].append(row)
    loaded.results = set(session.scalars(select(VotingResult.election_id).where(VotingResult.election_id.in_(ids))))
    for r in session.execute(select(UpwardReport.id, UpwardReport.election_id, UpwardReport.kind, UpwardReport.attempt,
                                    UpwardReport.status, UpwardReport.submitted_at)
                             .where(UpwardReport.election_id.in_(ids), UpwardReport.status.in_(WAITING))
                             .order_by(UpwardReport.submitted_at, UpwardReport.id)):
        loaded.waiting[r.election_id].append(Waiting(r.id, r.kind, REPORT_KIND_LABELS.get(r.kind, r.kind), r.attempt,
                                                     r.status, REPORT_STATUS_LABELS.get(r.status, r.status),
                                                     r.submitted_at))
    return loaded


def _standing(election: Election | None, loaded: _Loaded) -> str:
    if election is None:
        return "none"
    if election.id in loaded.results:
        return "elected"
    try:
        stage = Stage(election.stage)
    except ValueError:
        return "none"
    return LIST_OF_STAGE.get(stage, "none")


def _list_people(election: Election, standing: str, loaded: _Loaded) -> list:
    if standing in STEPS_FROM:
        return [p for p in loaded.people[election.id] if p.step in STEPS_FROM[standing]]
    return []


def to_candidate(row) -> Candidate:
    return Candidate(row.name, row.gender or "", row.ethnicity or "", row.birth_date or UNKNOWN_BIRTH,
                     row.category or "")


def _own_rules(cu: CongressUnit, election: Election | None, tree: CategoryTree):
    """The 选举单位's own requirements: its election's, else what the congress allotted it."""
    if election is not None:
        return tuple(quota_rules(election))
    return tuple(parse_rules(cu.quota_rules or [], tree))


def _unit_input(cu: CongressUnit, election: Election | None, standing: str, loaded: _Loaded, tree: CategoryTree,
                today: dt.date) -> UnitInput:
    name = cu.organisation.name
    if standing == "elected":
        people = tuple(to_candidate(p) for p in loaded.elected[election.id])
        pools = [Pool(people, len(people))]
        vacant = cu.seats + cu.higher_seats - len(people)
        if vacant > 0:  # seats the election left empty: 未定 until filled (另行选举, 补选)
            pools.append(Pool((), vacant))
        return UnitInput(str(cu.id), name, LIST_LABELS[standing], tuple(pools))
    try:
        own = _own_rules(cu, election, tree)
    except DomainError:
        own = ()  # shown as the unit's own problem on its election's pages; the congress counts it without them
    ref = reference_date(election, today) if election is not None else None
    listed = tuple(to_candidate(p) for p in _list_people(election, standing, loaded)) if election else ()
    pools = [Pool(listed, cu.seats, own, ref)]
    if cu.higher_seats:
        # the 上级提名人选 registered so far, whatever the stage (the rest of its seats 未定)
        higher = tuple(to_candidate(p) for p in loaded.higher[election.id]) if election is not None else ()
        pools.append(Pool(higher, cu.higher_seats))
    return UnitInput(str(cu.id), name, LIST_LABELS[standing], tuple(pools))


def _deadline(election: Election | None, congress: Congress, today: dt.date, calendar):
    """The due date of the election's current stage (its own timeline, else the congress's) and where today
    stands against it, working-day aware (workflow.pipeline.deadlines)."""
    if election is None or Stage(election.stage).is_final:
        return None, None
    due = next((d.due_date for d in election.dues if d.stage == election.stage), None)
    if due is None and (congress.timeline or {}).get(election.stage):
        try:
            due = dt.date.fromisoformat(congress.timeline[election.stage])
        except (TypeError, ValueError):
            due = None
    return due, (compute_deadline_status(due, today, calendar) if due else None)


def _own_report(election: Election | None, standing: str, loaded: _Loaded, today: dt.date) -> ComplianceReport | None:
    if election is None or standing == "none" or not election.quota_rules:
        return None
    if standing == "elected":
        people = [p for p in loaded.elected[election.id] if p.higher_nominee_id is None]
        people = [SimpleNamespace(name=p.name, gender=p.gender, ethnicity=p.ethnicity,
                                  birth_date=p.birth_date or UNKNOWN_BIRTH, category=p.category) for p in people]
        step = "confirmed"
    else:
        people, step = _list_people(election, standing, loaded), standing
    try:
        return build_report(election, people, step, today)
    except DomainError:
        return None


def congress_overview(session: Session, actor, congress_id: int, today: dt.date) -> CongressOverview:
    """Per 选举单位 and congress-wide: what the upper committee's overview page and API show."""
    congress = congress_or_404(session, actor, congress_id)
    loaded = _load(session, congress)
    calendar = load_calendar(session)
    tree = CategoryTree(congress.categories or None)
    rows, inputs = [], []
    for cu, election in loaded.units:
        standing = _standing(election, loaded)
        due, deadline = _deadline(election, congress, today, calendar)
        listed = (len(loaded.elected[election.id]) if standing == "elected"
                  else len(_list_people(election, standing, loaded))) if election else 0
        rows.append(UnitRow(
            cu.id, cu.organisation_id, cu.organisation.name, cu.seats, cu.higher_seats,
            election.id if election else None, election.title if election else "",
            election.stage if election else None, stage_label(election.stage) if election else "尚未建立选举",
            due, deadline, standing, listed, len(loaded.higher[election.id]) if election else 0,
            tuple(loaded.waiting[election.id]) if election else (), _own_report(election, standing, loaded, today)))
        inputs.append(_unit_input(cu, election, standing, loaded, tree, today))
    reference = congress.age_reference_date or today
    structure, error = None, ""
    try:
        rules = parse_rules(congress.quota_rules or [], tree)
    except DomainError as exc:
        rules, error = [], exc.message
    if rules:
        structure = compute_congress_structure(congress.seats, rules, inputs, reference, tree)
    return CongressOverview(congress, today, reference, tuple(rows), structure, error)


def congress_roster(session: Session, actor, congress_id: int) -> tuple[Congress, list[RosterRow]]:
    """Everyone on the 选举单位' current lists (the elected, once a result is recorded), in 姓氏笔画 order."""
    congress = congress_or_404(session, actor, congress_id)
    loaded = _load(session, congress)
    rows: list[RosterRow] = []
    for cu, election in loaded.units:
        standing = _standing(election, loaded)
        name = cu.organisation.name
        if standing == "elected":
            rows += [RosterRow(p.name, p.gender, p.ethnicity, p.birth_date, p.category, p.workplace_title or "", name,
                               "当选代表（上级提名）" if p.higher_nominee_id else "当选代表")
                     for p in loaded.elected[election.id]]
        elif standing != "none":
            rows += [RosterRow(p.name, p.gender, p.ethnicity, p.birth_date, p.category, p.workplace_title or "", name,
                               LIST_LABELS[standing]) for p in _list_people(election, standing, loaded)]
            if standing == "confirmed":
                rows += [RosterRow(p.name, p.gender, p.ethnicity, p.birth_date, p.category, p.workplace_title or "",
                                   name, "上级提名人选") for p in loaded.higher[election.id]]
    return congress, sort_by_name(rows, key=lambda r: r.name)
