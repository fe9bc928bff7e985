"""The 工作台 of a 代表 and of a 党代表工作室: read from the duties area's own readers (my_standing and its
requirement check, pending_activities, list_petitions and the petition time limits), a fixed number of statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from election.duties import services as duties
from election.duties.models import ActivityRecord, Petition
from workflow.duties.compliance import RequirementStatus
from workflow.duties.petitions import PetitionLimits, PetitionState, petition_deadlines

SHOWN = 10     # the first items of a long queue; the full list is one link away


@dataclass(frozen=True)
class DelegateWork:
    delegate_name: str
    now: tuple[RequirementStatus, ...]       # requirements whose period contains today (this month, quarter …)
    returned: tuple[ActivityRecord, ...]     # activities sent back, to correct and log again
    pending: int                             # activities waiting for the studio's check
    total: int                               # points this year
    labels: dict[str, str]                   # activity type code → its name


def delegate_work(session: Session, user, today: date) -> DelegateWork | None:
    """None for a 代表 account not linked to a delegate in the 代表名册."""
    delegate = duties.delegate_of_user(session, user)
    if delegate is None:
        return None
    s = duties.my_standing(session, delegate, today.year, today)
    now = tuple(r for r in s.requirements if r.period.start <= today <= r.period.end)
    returned = tuple(a for a in s.activities if a.status == "returned")
    pending = sum(1 for a in s.activities if a.status == "pending")
    return DelegateWork(delegate.name, now, returned, pending, s.total, s.labels)


@dataclass(frozen=True)
class PetitionTask:
    petition: Petition
    step_label: str              # the step it waits for
    due: date | None
    days_left: int | None        # negative: overdue


@dataclass(frozen=True)
class PetitionStep:
    label: str
    items: tuple[PetitionTask, ...]


@dataclass(frozen=True)
class StudioWork:
    to_verify: tuple[ActivityRecord, ...]     # the first SHOWN of the queue
    to_verify_count: int
    steps: tuple[PetitionStep, ...]           # open petitions grouped by state, the most urgent first


# the step each state waits for, with its time limit (replied covers 处理 too; feedback has a limit only when set)
_WAITS_FOR = {PetitionState.registered: PetitionState.received, PetitionState.received: PetitionState.replied,
              PetitionState.processing: PetitionState.replied, PetitionState.replied: PetitionState.feedback,
              PetitionState.feedback: PetitionState.archived}


def studio_work(session: Session, user, today: date, limits: PetitionLimits) -> StudioWork:
    queue = duties.pending_activities(session, user)
    steps: dict[PetitionState, list[PetitionTask]] = {}
    for p in duties.list_petitions(session, user):
        state = PetitionState(p.state)
        if state == PetitionState.archived:
            continue
        wanted = _WAITS_FOR[state]
        due = petition_deadlines(duties.petition_times(p), limits).get(wanted)
        steps.setdefault(state, []).append(
            PetitionTask(p, wanted.label, due, (due - today).days if due else None))
    ordered = []
    for state in PetitionState:
        if state in steps:
            items = sorted(steps[state], key=lambda t: (t.due is None, t.due or today, t.petition.id))
            ordered.append(PetitionStep(state.label, tuple(items)))
    return StudioWork(tuple(queue[:SHOWN]), len(queue), tuple(ordered))
