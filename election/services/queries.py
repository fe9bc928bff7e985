"""Read-only views for the pages: each runs a fixed number of SQL statements, whatever the list length."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from election.models import AuditEntry, Election, ElectionUnit, Nominee, StageDue, Unit, User
from election.permissions import Role, can_view_election
from election.stage_labels import stage_label


@dataclass(frozen=True)
class ElectionRow:
    id: int
    title: str
    stage: str
    stage_label: str
    seats: int
    units_total: int
    units_submitted: int
    nominees: int
    next_due: date | None


def elections_overview(session: Session) -> list[ElectionRow]:
    unit_counts = (select(ElectionUnit.election_id,
                          func.count().label("total"),
                          func.sum(case((ElectionUnit.status != "draft", 1), else_=0)).label("done"))
                   .group_by(ElectionUnit.election_id).subquery())
    nominee_counts = (select(Nominee.election_id, func.count().label("n"))
                      .group_by(Nominee.election_id).subquery())
    due = (select(StageDue.election_id, StageDue.due_date)
           .join(Election, Election.id == StageDue.election_id)
           .where(StageDue.stage == Election.stage).subquery())
    rows = session.execute(
        select(Election, unit_counts.c.total, unit_counts.c.done, nominee_counts.c.n, due.c.due_date)
        .outerjoin(unit_counts, unit_counts.c.election_id == Election.id)
        .outerjoin(nominee_counts, nominee_counts.c.election_id == Election.id)
        .outerjoin(due, due.c.election_id == Election.id)
        .order_by(Election.id.desc())).all()
    return [ElectionRow(e.id, e.title, e.stage, stage_label(e.stage), e.seats, total or 0, int(done or 0), n or 0, d)
            for e, total, done, n, d in rows]


@dataclass(frozen=True)
class UnitRow:
    election_unit_id: int
    unit_name: str
    unit_kind: str
    quota: int
    report_count: int
    status: str
    nominees: int


@dataclass(frozen=True)
class ElectionDetail:
    election: Election
    stage_label: str
    units: list[UnitRow]
    dues: list[StageDue] = field(default_factory=list)


def election_detail(session: Session, election_id: int) -> ElectionDetail | None:
    election = session.get(Election, election_id)
    if election is None:
        return None
    counts = (select(Nominee.election_unit_id, func.count().label("n"))
              .where(Nominee.election_id == election_id).group_by(Nominee.election_unit_id).subquery())
    rows = session.execute(
        select(ElectionUnit.id, Unit.name, Unit.kind, ElectionUnit.quota, ElectionUnit.report_count,
               ElectionUnit.status, counts.c.n)
        .join(Unit, Unit.id == ElectionUnit.unit_id)
        .outerjoin(counts, counts.c.election_unit_id == ElectionUnit.id)
        .where(ElectionUnit.election_id == election_id).order_by(Unit.code)).all()
    dues = session.scalars(select(StageDue).where(StageDue.election_id == election_id)
                           .order_by(StageDue.due_date)).all()
    return ElectionDetail(election, stage_label(election.stage),
                          [UnitRow(i, name, kind, q, r, s, n or 0) for i, name, kind, q, r, s, n in rows], list(dues))


@dataclass(frozen=True)
class UnitTask:
    election_unit_id: int
    election_title: str
    stage: str
    stage_label: str
    status: str
    quota: int
    report_count: int
    nominees: int
    due: date | None


def unit_tasks(session: Session, unit_id: int) -> list[UnitTask]:
    counts = (select(Nominee.election_unit_id, func.count().label("n")).group_by(Nominee.election_unit_id).subquery())
    due = (select(StageDue.election_id, StageDue.due_date).where(StageDue.stage == "nominate").subquery())
    rows = session.execute(
        select(ElectionUnit, Election.title, Election.stage, counts.c.n, due.c.due_date)
        .join(Election, Election.id == ElectionUnit.election_id)
        .outerjoin(counts, counts.c.election_unit_id == ElectionUnit.id)
        .outerjoin(due, due.c.election_id == Election.id)
        .where(ElectionUnit.unit_id == unit_id).order_by(Election.id.desc())).all()
    return [UnitTask(eu.id, title, stage, stage_label(stage), eu.status, eu.quota, eu.report_count, n or 0, d)
            for eu, title, stage, n, d in rows]


@dataclass(frozen=True)
class UnitListView:
    election_unit: ElectionUnit
    election: Election
    nominees: list[Nominee]


def scoped_election_units(user: User):
    """ElectionUnit rows this user may see: all for election readers, only its own unit for a unit user."""
    query = select(ElectionUnit)
    if can_view_election(user):
        return query
    if user.role == Role.unit and user.unit_id is not None:
        return query.where(ElectionUnit.unit_id == user.unit_id)
    return query.where(ElectionUnit.id.is_(None))


def unit_list(session: Session, election_unit_id: int, user: User) -> UnitListView | None:
    eu = session.scalar(scoped_election_units(user).where(ElectionUnit.id == election_unit_id))
    if eu is None:
        return None
    nominees = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)
                               .order_by(Nominee.position, Nominee.id)).all()
    return UnitListView(eu, eu.election, list(nominees))


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def audit_page(session: Session, *, object_type: str | None = None, object_id: str | None = None,
               actor: str | None = None, page: int = 1, per_page: int = 50) -> AuditPage:
    query = select(AuditEntry)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if actor:
        query = query.where(or_(AuditEntry.actor_name.contains(actor),
                                AuditEntry.actor_id.in_(select(User.id).where(User.username == actor))))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(page, pages)
    entries = session.scalars(query.order_by(AuditEntry.seq.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return AuditPage(list(entries), page, pages, total)


def decisions(session: Session, election_id: int) -> dict:
    from election.models import ElectionDecision

    return {d.kind: d for d in session.scalars(select(ElectionDecision)
                                               .where(ElectionDecision.election_id == election_id))}


def stage_changes(session: Session, election_id: int) -> list:
    from sqlalchemy.orm import joinedload

    from election.models import StageChange

    return list(session.scalars(select(StageChange).options(joinedload(StageChange.actor))
                                .where(StageChange.election_id == election_id)
                                .order_by(StageChange.at.desc(), StageChange.id.desc())))
