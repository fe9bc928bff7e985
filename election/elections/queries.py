"""Read-only views for the pages: each runs a fixed number of SQL statements, whatever the list length."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from election.core.stage_labels import stage_label
from election.directory.models import ElectionUnit, Unit
from election.directory.scope import elections_in_scope
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee


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


def elections_overview(session: Session, user=None) -> list[ElectionRow]:
    """Every election the user's part of the directory holds (all of them for a user of the whole installation)."""
    unit_counts = (select(ElectionUnit.election_id,
                          func.count().label("total"),
                          func.sum(case((ElectionUnit.status != "draft", 1), else_=0)).label("done"))
                   .group_by(ElectionUnit.election_id).subquery())
    nominee_counts = (select(Nominee.election_id, func.count().label("n"))
                      .group_by(Nominee.election_id).subquery())
    due = (select(StageDue.election_id, StageDue.due_date)
           .join(Election, Election.id == StageDue.election_id)
           .where(StageDue.stage == Election.stage).subquery())
    query = (select(Election, unit_counts.c.total, unit_counts.c.done, nominee_counts.c.n, due.c.due_date)
             .outerjoin(unit_counts, unit_counts.c.election_id == Election.id)
             .outerjoin(nominee_counts, nominee_counts.c.election_id == Election.id)
             .outerjoin(due, due.c.election_id == Election.id)
             .order_by(Election.id.desc()))
    rows = session.execute(elections_in_scope(query, user)).all()
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


def decisions(session: Session, election_id: int) -> dict:
    from election.elections.models import ElectionDecision

    return {d.kind: d for d in session.scalars(select(ElectionDecision)
                                               .where(ElectionDecision.election_id == election_id))}


def stage_changes(session: Session, election_id: int) -> list:
    from sqlalchemy.orm import joinedload

    from election.elections.models import StageChange

    return list(session.scalars(select(StageChange).options(joinedload(StageChange.actor))
                                .where(StageChange.election_id == election_id)
                                .order_by(StageChange.at.desc(), StageChange.id.desc())))
