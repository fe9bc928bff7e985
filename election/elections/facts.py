"""Map ORM rows to the pure core's plain data (workflow.pipeline.facts, workflow.quotas.rules, workflow.pipeline.nomination)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election, ElectionDecision, StageDue
from election.nominations.models import Nominee
from workflow.pipeline.facts import (
    CandidateCounts,
    ElectionFacts,
    MarginSettings,
    MeetingFacts,
    PackageFacts,
    UnitFacts,
)
from workflow.pipeline.nomination import UnitAllocation, check_unit_list
from workflow.pipeline.ratios import parse_margin
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree
from workflow.quotas.checks import check_feasibility_blockers
from workflow.quotas.rules import Candidate, QuotaRule, parse_rules

STEP_ORDER = ("nominated", "shortlisted", "preliminary", "confirmed")
# the list whose quotas must stay reachable when leaving a stage (docs/rules.md §3.2: feasible = some outcome)
STEP_CHECKED_ON_LEAVING = {Stage.shortlist: "shortlisted", Stage.vet: "shortlisted",
                           Stage.preliminary: "preliminary", Stage.confirm: "confirmed"}
DECISION_STAGE = {"shortlist": Stage.shortlist, "preliminary": Stage.preliminary, "confirm": Stage.confirm}


def category_tree(election: Election) -> CategoryTree:
    return CategoryTree(election.categories or None)


def quota_rules(election: Election, tree: CategoryTree | None = None) -> list[QuotaRule]:
    return parse_rules(election.quota_rules or [], tree or category_tree(election))


def to_candidate(n) -> Candidate:
    """A Candidate from a Nominee or a light PERSON_COLUMNS row."""
    return Candidate(name=n.name, gender=n.gender, ethnicity=n.ethnicity, birth_date=n.birth_date,
                     category=n.category)


def unit_allocation(election: Election, eu: ElectionUnit) -> UnitAllocation:
    margin = parse_margin((election.settings or {}).get("margins", {}).get("unit_list", "1/2"))
    return UnitAllocation(quota=eu.quota, report_count=eu.report_count, breakdown=eu.breakdown or {}, margin=margin)


def reference_date(election: Election, today: date) -> date:
    """年龄计算基准日 (docs/rules.md §3.2): the setting, else the election-stage due date, else today."""
    if election.age_reference_date:
        return election.age_reference_date
    ballot_due = next((d.due_date for d in election.dues if d.stage == Stage.ballot), None)
    return ballot_due or today


PERSON_COLUMNS = (Nominee.id, Nominee.name, Nominee.step, Nominee.election_unit_id, Nominee.gender, Nominee.ethnicity,
                  Nominee.birth_date, Nominee.category)


def people_rows(session: Session, election_id: int) -> list:
    """Everyone still in the running, as light rows of PERSON_COLUMNS."""
    return session.execute(select(*PERSON_COLUMNS).where(Nominee.election_id == election_id,
                                                         Nominee.removed_reason.is_(None))
                           .order_by(Nominee.id)).all()


def build_facts(session: Session, election: Election, today: date) -> ElectionFacts:
    """One snapshot of everything the stage guards read; a fixed number of queries."""
    tree = category_tree(election)
    stage = Stage(election.stage)
    units = session.execute(select(ElectionUnit, Unit.name).join(Unit, Unit.id == ElectionUnit.unit_id)
                            .where(ElectionUnit.election_id == election.id).order_by(Unit.code)).all()
    accounts = dict(session.execute(select(User.unit_id, func.count()).where(User.unit_id.is_not(None),
                                                                            User.active.is_(True))
                                    .group_by(User.unit_id)).all())
    people = people_rows(session, election.id)
    cats: dict[int, list[str]] = defaultdict(list)
    for p in people:
        cats[p.election_unit_id].append(p.category)
    unit_facts = tuple(
        UnitFacts(unit_id=eu.unit_id, name=name, allocation=eu.quota, account_count=accounts.get(eu.unit_id, 0),
                  submitted=eu.status == "submitted", exemption_reason=eu.exemption_reason or "",
                  list_blockers=() if eu.status == "exempted" else
                  tuple(check_unit_list(cats.get(eu.id, []), unit_allocation(election, eu), tree)))
        for eu, name in units)
    decisions = {d.kind: d for d in session.scalars(select(ElectionDecision)
                                                    .where(ElectionDecision.election_id == election.id))}
    meetings = {DECISION_STAGE[k]: MeetingFacts(d.body, d.held_on, d.doc_number)
                for k, d in decisions.items() if k in DECISION_STAGE}
    reached = defaultdict(list)
    for p in people:
        for step in STEP_ORDER[:STEP_ORDER.index(p.step) + 1]:
            reached[step].append(p)
    submitted_units = {eu.id for eu, _ in units if eu.status == "submitted"}
    counts = CandidateCounts(nominated=sum(1 for p in people if p.election_unit_id in submitted_units),
                             shortlisted=len(reached["shortlisted"]), preliminary=len(reached["preliminary"]),
                             confirmed=len(reached["confirmed"]))
    settings = election.settings or {}
    margins = MarginSettings(preliminary_target=int(settings.get("preliminary_count") or 0),
                             ballot_margin=ballot_margin(settings))
    quota_blockers = {}
    step = STEP_CHECKED_ON_LEAVING.get(stage)
    if step and election.quota_rules:
        candidates = [to_candidate(p) for p in reached[step]]
        quota_blockers[stage] = tuple(check_feasibility_blockers(
            candidates, quota_rules(election, tree), reference_date(election, today), election.seats, tree))
    dues = session.scalars(select(StageDue).where(StageDue.election_id == election.id)).all()
    from election.vetting.facts import vetting_facts
    from election.voting.facts import voting_facts

    return ElectionFacts(
        election_id=election.id, title=election.title, stage=stage, today=today, seats=election.seats,
        due_dates={Stage(d.stage): d.due_date for d in dues}, units=unit_facts, meetings=meetings,
        higher_consent_recorded="higher_consent" in decisions, approval_recorded="approval" in decisions,
        counts=counts, margins=margins, quota_blockers=quota_blockers,
        upper_on_system=election.congress_id is not None, packages=package_facts(session, election),
        **vetting_facts(session, election), **voting_facts(session, election))


def package_facts(session: Session, election: Election) -> dict[str, PackageFacts]:
    """The latest package of each kind a child election reported up (docs/rules.md §8.2); none for an election
    whose upper committee is not on the system. One query."""
    if election.congress_id is None:
        return {}
    from election.levels.models import UpwardReport

    rows = session.execute(select(UpwardReport.kind, UpwardReport.status, UpwardReport.return_reason)
                           .where(UpwardReport.election_id == election.id).order_by(UpwardReport.attempt)).all()
    return {kind: PackageFacts(status, reason or "") for kind, status, reason in rows}  # the last attempt wins


def ballot_margin(settings: dict) -> Fraction:
    """The final ballot's margin as set in the 工作方案 (exact: "1/3" stays a third)."""
    return parse_margin(settings.get("margins", {}).get("final_ballot", "1/5"))
