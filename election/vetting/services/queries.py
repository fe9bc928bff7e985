"""What the vetting pages read: the board of every 考察对象 with their record, 考察组 and open 反映 (a 考察组 member
sees only their own people), one row of it (``vetting_row``: the pages and calls on one person, which read only that
person's rows), the notices with their complaint counts, and the complaints of a notice; each in a fixed number of
queries.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.permissions import has_role
from election.core.roles import Role
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting.models import Complaint, InspectorAssignment, Notice, Vetting
from election.vetting.services.enums import Conclusion
from election.vetting.services.people import LEADER_ROOT, STEP_ORDER, people_at
from workflow.quotas.categories import CategoryTree


@dataclass(frozen=True)
class PersonRowView:
    nominee: Nominee
    unit_name: str
    vetting: Vetting | None
    inspectors: tuple[str, ...]
    inspector_ids: tuple[int, ...]
    open_complaints: int
    leader: bool

    @property
    def status_label(self) -> str:
        if self.nominee.removed_reason:
            return "已移出"
        if self.vetting is None or self.vetting.conclusion is None:
            return "考察中"
        return Conclusion(self.vetting.conclusion).label


def vetting_board(session: Session, election: Election, user) -> list[PersonRowView]:
    """Every 考察对象 (removed ones too, with reason) with vetting, inspectors and open complaints; four queries.
    A 考察组 member sees only the people assigned to them."""
    rows = people_at(session, election, "shortlisted", include_removed=True)
    ids = [n.id for n, _ in rows]
    vettings = {v.nominee_id: v for v in session.scalars(select(Vetting).where(Vetting.election_id == election.id))}
    assigned: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for nid, uid, uname in session.execute(select(InspectorAssignment.nominee_id, User.id, User.display_name)
                                           .join(User, User.id == InspectorAssignment.user_id)
                                           .where(InspectorAssignment.election_id == election.id)
                                           .order_by(InspectorAssignment.id)):
        assigned[nid].append((uid, uname))
    open_counts = dict(session.execute(select(Complaint.nominee_id, func.count())
                                       .join(Notice, Notice.id == Complaint.notice_id)
                                       .where(Notice.election_id == election.id, Complaint.status != "closed")
                                       .group_by(Complaint.nominee_id)).all()) if ids else {}
    leaders = _leaders(election)
    out = []
    for n, unit_name in rows:
        row = _row(user, n, unit_name, vettings.get(n.id), assigned.get(n.id, []), open_counts.get(n.id, 0), leaders)
        if row is not None:
            out.append(row)
    return out


def vetting_row(session: Session, election: Election, nominee_id: int, user) -> PersonRowView | None:
    """The one row of ``vetting_board`` for NOMINEE_ID (None where the board would not show it to USER); four
    queries whatever the election's size — the person's own rows only, never the whole board."""
    found = session.execute(select(Nominee, Unit.name).join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
                            .join(Unit, Unit.id == ElectionUnit.unit_id)
                            .where(Nominee.id == nominee_id, Nominee.election_id == election.id,
                                   Nominee.step.in_(STEP_ORDER[STEP_ORDER.index("shortlisted"):]))).first()
    if found is None:
        return None
    nominee, unit_name = found
    vetting = session.scalar(select(Vetting).where(Vetting.election_id == election.id,
                                                   Vetting.nominee_id == nominee_id))
    who = [(uid, uname) for uid, uname in session.execute(
        select(User.id, User.display_name).join(InspectorAssignment, InspectorAssignment.user_id == User.id)
        .where(InspectorAssignment.election_id == election.id, InspectorAssignment.nominee_id == nominee_id)
        .order_by(InspectorAssignment.id))]
    open_count = session.scalar(select(func.count()).select_from(Complaint)
                                .join(Notice, Notice.id == Complaint.notice_id)
                                .where(Notice.election_id == election.id, Complaint.nominee_id == nominee_id,
                                       Complaint.status != "closed"))
    return _row(user, nominee, unit_name, vetting, who, open_count or 0, _leaders(election))


def _leaders(election: Election) -> frozenset[str]:
    tree = CategoryTree(election.categories or None)
    return tree.expand(LEADER_ROOT) if LEADER_ROOT in tree else frozenset()


def _row(user, n: Nominee, unit_name: str, vetting: Vetting | None, who: list[tuple[int, str]], open_complaints: int,
         leaders: frozenset[str]) -> PersonRowView | None:
    """A board row; None for a 考察组 member not assigned to the person."""
    if has_role(user, Role.inspector) and user.id not in {uid for uid, _ in who}:
        return None
    return PersonRowView(n, unit_name, vetting, tuple(u for _, u in who), tuple(u for u, _ in who), open_complaints,
                         n.category in leaders)


@dataclass(frozen=True)
class NoticeView:
    notice: Notice
    unit_name: str
    open_complaints: int
    total_complaints: int


def notices_overview(session: Session, election_id: int) -> list[NoticeView]:
    """All notices of an election with complaint counts; two queries."""
    return _notice_views(session, Notice.election_id == election_id)


def notice_view(session: Session, notice_id: int) -> NoticeView | None:
    """One notice as ``notices_overview`` shows it, reading only its own rows (two queries at any size)."""
    views = _notice_views(session, Notice.id == notice_id)
    return views[0] if views else None


def _notice_views(session: Session, which) -> list[NoticeView]:
    rows = session.execute(select(Notice, Unit.name).outerjoin(ElectionUnit, ElectionUnit.id == Notice.election_unit_id)
                           .outerjoin(Unit, Unit.id == ElectionUnit.unit_id)
                           .where(which).order_by(Notice.kind, Unit.code)).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for nid, status, n in session.execute(select(Complaint.notice_id, Complaint.status, func.count())
                                          .join(Notice, Notice.id == Complaint.notice_id)
                                          .where(which)
                                          .group_by(Complaint.notice_id, Complaint.status)):
        counts[nid][1] += n
        if status != "closed":
            counts[nid][0] += n
    return [NoticeView(notice, unit_name or "全区", counts[notice.id][0], counts[notice.id][1])
            for notice, unit_name in rows]


def complaints_query(notice_id: int):
    """A notice's complaints in the order they came, each with its person and handler: a query, so that a caller
    wanting one page reads only that page (the API's list)."""
    from sqlalchemy.orm import joinedload

    return (select(Complaint).options(joinedload(Complaint.nominee), joinedload(Complaint.assigned_to))
            .where(Complaint.notice_id == notice_id).order_by(Complaint.id))


def complaints_of(session: Session, notice_id: int) -> list[Complaint]:
    return list(session.scalars(complaints_query(notice_id)))
