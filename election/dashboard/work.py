"""Each role's own work on its 工作台: read-only lists built with a fixed number of statements, whatever their size.

考察组: my 考察对象 and what each still needs (the vetting area's own check_vetting_complete). 纪检: people still
without a 纪检机关意见 and the 反映 交给我核查. 监票计票人员: the open rounds and whose entry is still missing. 代表: the
requirements of this month and quarter (the duties area's my_standing). 工作室: activities to verify and the 群众诉求 by
step with the days left (the duties area's readers). Nothing here decides a rule; it only reads.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee
from election.vetting.models import Complaint, InspectorAssignment, Notice, Vetting
from election.vetting.services import STEP_ORDER, ComplaintStatus, check_vetting_complete, is_leader
from election.voting.models import BallotRound, TellerEntry
from workflow.pipeline.stages import Stage

RUNNING = tuple(s.value for s in Stage if not s.is_final)
VETTED_STEPS = STEP_ORDER[STEP_ORDER.index("shortlisted"):]


# ----------------------------------------------------------------------------------------------- 考察 and 纪检
@dataclass(frozen=True)
class PersonTask:
    nominee_id: int
    name: str
    unit_name: str
    election_title: str
    needs: tuple[str, ...]      # what is still missing, in the words of check_vetting_complete
    conclusion: str | None      # "passed" / "unfit" once concluded


@dataclass(frozen=True)
class ComplaintTask:
    complaint_id: int
    nominee_name: str
    election_title: str
    status_label: str
    received_on: date


def _people(session: Session, *where) -> list[tuple[Nominee, Vetting | None, Election, str]]:
    query = (select(Nominee, Vetting, Election, Unit.name)
             .join(Election, Election.id == Nominee.election_id)
             .join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
             .join(Unit, Unit.id == ElectionUnit.unit_id)
             .outerjoin(Vetting, Vetting.nominee_id == Nominee.id)
             .where(Election.stage.in_(RUNNING), Nominee.step.in_(VETTED_STEPS), Nominee.removed_reason.is_(None),
                    *where)
             .order_by(Election.id, Nominee.name, Nominee.id))
    return [tuple(r) for r in session.execute(query)]


def _complaints_of(session: Session, user_id: int) -> list[ComplaintTask]:
    rows = session.execute(select(Complaint, Nominee.name, Election.title)
                           .join(Nominee, Nominee.id == Complaint.nominee_id)
                           .join(Notice, Notice.id == Complaint.notice_id)
                           .join(Election, Election.id == Notice.election_id)
                           .where(Complaint.assigned_to_id == user_id, Complaint.status != "closed")
                           .order_by(Complaint.received_on, Complaint.id))
    return [ComplaintTask(c.id, name, title, ComplaintStatus(c.status).label, c.received_on) for c, name, title in rows]


@dataclass(frozen=True)
class InspectorWork:
    people: tuple[PersonTask, ...]
    complaints: tuple[ComplaintTask, ...]

    @property
    def open_people(self) -> int:
        return sum(1 for p in self.people if p.conclusion is None)


def inspector_work(session: Session, user_id: int) -> InspectorWork:
    """The 考察对象 assigned to this 考察组 member in running elections, each with what it still needs; two queries."""
    assigned = select(InspectorAssignment.nominee_id).where(InspectorAssignment.user_id == user_id)
    people = []
    for n, v, election, unit_name in _people(session, Nominee.id.in_(assigned)):
        needs = () if v is not None and v.conclusion else tuple(
            b.message for b in check_vetting_complete(v or Vetting(), is_leader(election, n.category)))
        people.append(PersonTask(n.id, n.name, unit_name, election.title, needs, v.conclusion if v else None))
    return InspectorWork(tuple(people), tuple(_complaints_of(session, user_id)))


@dataclass(frozen=True)
class DisciplineWork:
    opinions: tuple[PersonTask, ...]     # 考察对象 with no 纪检机关意见 yet
    complaints: tuple[ComplaintTask, ...]


def _in_part(scope: frozenset[int] | None) -> tuple:
    """Elections of the user's part of the directory (election.directory.scope); no condition for the whole."""
    return () if scope is None else (Election.organisation_id.in_(scope),)


def discipline_work(session: Session, user_id: int, scope: frozenset[int] | None = None) -> DisciplineWork:
    """People of running elections still without a 纪检机关意见, and the 反映 assigned to this user; two queries."""
    waiting = [PersonTask(n.id, n.name, unit_name, election.title, ("尚未录入纪检机关意见",), None)
               for n, v, election, unit_name in _people(session, *_in_part(scope))
               if (v is None or v.discipline_opinion is None) and not (v is not None and v.conclusion == "unfit")]
    return DisciplineWork(tuple(waiting), tuple(_complaints_of(session, user_id)))


# ----------------------------------------------------------------------------------------------- 计票
@dataclass(frozen=True)
class EntrySlot:
    entry_no: int
    teller: str | None         # who entered it, None: not yet
    mine: bool


@dataclass(frozen=True)
class RoundTask:
    round_id: int
    election_id: int
    election_title: str
    round_no: int
    count_mode: str
    slots: tuple[EntrySlot, EntrySlot]

    @property
    def my_entry(self) -> EntrySlot | None:
        return next((s for s in self.slots if s.mine), None)

    @property
    def free_entry(self) -> EntrySlot | None:
        """The entry this teller can still make (none when both are taken by others)."""
        return next((s for s in self.slots if s.teller is None), None)


@dataclass(frozen=True)
class MeetingDay:
    election_id: int
    election_title: str
    stage_label: str
    ballot_due: date | None


@dataclass(frozen=True)
class TellerWork:
    rounds: tuple[RoundTask, ...]
    meetings: tuple[MeetingDay, ...]     # elections heading for or at the 选举大会, with its date


def teller_work(session: Session, user_id: int, scope: frozenset[int] | None = None) -> TellerWork:
    """Open rounds of running elections with both entries' state, and the coming 选举大会 dates; three queries."""
    rounds = session.execute(select(BallotRound, Election.title).join(Election, Election.id == BallotRound.election_id)
                             .where(BallotRound.status == "open", Election.stage.in_(RUNNING), *_in_part(scope))
                             .order_by(Election.id, BallotRound.round_no)).all()
    entries: dict[int, dict[int, TellerEntry]] = defaultdict(dict)
    if rounds:
        for e in session.scalars(select(TellerEntry).where(TellerEntry.round_id.in_([r.id for r, _ in rounds]))):
            entries[e.round_id][e.entry_no] = e
    tasks = []
    for rnd, title in rounds:
        slots = tuple(EntrySlot(no, e.teller.display_name if e else None, bool(e and e.teller_id == user_id))
                      for no in (1, 2) for e in [entries[rnd.id].get(no)])
        tasks.append(RoundTask(rnd.id, rnd.election_id, title, rnd.round_no, rnd.count_mode, slots))
    near = (Stage.confirm.value, Stage.ballot.value)
    meetings = session.execute(select(Election.id, Election.title, Election.stage, StageDue.due_date)
                               .outerjoin(StageDue, (StageDue.election_id == Election.id)
                                          & (StageDue.stage == Stage.ballot.value))
                               .where(Election.stage.in_(near), *_in_part(scope)).order_by(Election.id)).all()
    return TellerWork(tuple(tasks), tuple(MeetingDay(i, t, Stage(s).label, d) for i, t, s, d in meetings))
