"""Read-only views of a unit's task and list: a fixed number of SQL statements, whatever the list length."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.permissions import can_view_election
from election.core.roles import Role
from election.core.stage_labels import stage_label
from election.directory.models import ElectionUnit
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee


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
