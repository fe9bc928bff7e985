"""群众诉求: registering a resident's petition at an office, its six steps (登记 → 接待 → 处理 → 回复 → 反馈 → 归档,
or 反馈 → 处理 again) checked by ``workflow.duties.petitions``, the 诉求解决 points a 反馈 earns the delegate, the
list, the overdue steps and the next steps a page offers."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.directory.models import DelegateOffice
from election.duties.models import ActivityRecord, Petition, TermDelegate
from election.duties.services.permissions import (
    _get,
    _named,
    can_staff_an_office,
    can_staff_office,
    can_view_duties,
    office_scope,
)
from workflow import duties as wd
from workflow.common import sources
from workflow.common.results import Blocker
from workflow.duties.petitions import (
    PetitionFacts,
    PetitionLimits,
    PetitionState,
    PetitionTimes,
    check_petition_transition,
    petition_overdue,
)

SOURCE = sources.PETITIONS


def _local_day(at: datetime | None) -> date | None:
    return to_local(at).date() if at else None


def petition_times(p: Petition) -> PetitionTimes:
    return PetitionTimes(p.id, PetitionState(p.state), _local_day(p.registered_at), _local_day(p.received_at),
                         _local_day(p.replied_at), _local_day(p.feedback_at))


def petition_facts(p: Petition, form: dict | None = None) -> PetitionFacts:
    f = form or {}
    return PetitionFacts(receiver=f.get("receiver", p.receiver), handler=f.get("handler", p.handler),
                         reply=f.get("reply", p.reply) or "", grade=f.get("grade", p.grade),
                         feedback_note=f.get("feedback_note", p.feedback_note) or "",
                         reason=f.get("reason", "") or "", archive_note=f.get("archive_note", p.archive_note) or "")


@dataclass(frozen=True)
class PetitionInput:
    resident_name: str
    content: str
    resident_phone: str = ""
    delegate_id: int | None = None
    office_id: int | None = None


def register_petition(session: Session, actor, data: PetitionInput, now: datetime) -> Petition:
    """登记 a resident's petition at an office."""
    problems = []
    if not data.resident_name.strip():
        problems.append("请填写群众姓名")
    if not data.content.strip():
        problems.append("请填写诉求内容")
    if problems:
        raise ServiceError("；".join(problems))
    require(can_staff_an_office(actor), "只能在本工作室登记群众诉求。")
    # the office and the delegate named in the form or the JSON body: out of the caller's scope they answer like a
    # missing id (a 工作室 that names another office is refused, never silently moved to its own)
    office_id = data.office_id if data.office_id is not None else office_scope(actor)
    with transaction(session):
        if office_id is None or session.get(DelegateOffice, office_id) is None \
                or not can_staff_office(actor, office_id):
            raise ServiceError("请选择受理诉求的党代表工作室。")
        if data.delegate_id is not None:
            d = _named(session, TermDelegate, data.delegate_id, "代表", lambda d: can_staff_office(actor, d.office_id))
            if d.office_id != office_id:  # the 组织部, naming a delegate of an office other than the chosen one
                raise ServiceError(f"代表{d.name}不属于受理的工作室，请选择该工作室的代表。")
        p = Petition(office_id=office_id, delegate_id=data.delegate_id, resident_name=data.resident_name.strip(),
                     resident_phone=data.resident_phone.strip(), content=data.content.strip(),
                     state=PetitionState.registered.value, registered_at=now, created_by_id=actor.id)
        session.add(p)
        audit(session, actor, "duties.petition.register", p, summary=f"登记群众诉求（{p.resident_name}）", now=now)
    return p


_STEP_TIME = {PetitionState.received: "received_at", PetitionState.processing: "processing_at",
              PetitionState.replied: "replied_at", PetitionState.feedback: "feedback_at",
              PetitionState.archived: "archived_at"}


def move_petition(session: Session, actor, petition_id: int, target: str, form: dict, now: datetime) -> list[Blocker]:
    """One step of the six (or 反馈 → 处理 again); the 反馈's satisfaction grade earns the delegate 诉求解决 points."""
    with transaction(session):
        p = _get(session, Petition, petition_id, "诉求")
        require(can_staff_office(actor, p.office_id), "只能办理本工作室的群众诉求。")
        try:
            target_state = PetitionState(target)
        except ValueError:
            return [Blocker("petition.transition.illegal", "目标步骤无效，请刷新页面后重试", SOURCE)]
        facts = petition_facts(p, form)
        blockers = check_petition_transition(p.state, target_state, facts)
        if blockers:
            return blockers
        before = p.state
        for name in ("receiver", "handler", "reply", "feedback_note", "archive_note"):
            if name in form and form[name] is not None:
                setattr(p, name, str(form[name]).strip())
        if target_state is PetitionState.feedback:
            p.grade = wd.normalize_grade(form.get("grade")) or None
        if target_state is PetitionState.processing and before == PetitionState.feedback:
            p.return_reason = (form.get("reason") or "").strip()
            p.feedback_at = None  # the matter is handled again; the next 反馈 is recorded afresh
            p.replied_at = None
        p.state = target_state.value
        setattr(p, _STEP_TIME[target_state], now)
        if target_state is PetitionState.feedback and p.delegate_id is not None and p.grade:
            day = _local_day(now)
            rec = session.scalar(select(ActivityRecord).where(ActivityRecord.petition_id == p.id))
            if rec is None:
                rec = ActivityRecord(delegate_id=p.delegate_id, type_code="resolve_petition", petition_id=p.id,
                                     description=f"群众诉求办理（{p.resident_name}）：{p.content[:100]}",
                                     created_by_id=actor.id, created_at=now)
                session.add(rec)
            rec.on, rec.grade, rec.status = day, p.grade, wd.ActivityStatus.verified.value
            rec.verified_by_id, rec.verified_at = actor.id, now
        audit(session, actor, "duties.petition.move", p,
              summary=f"群众诉求（{p.resident_name}）：{PetitionState(before).label} → {target_state.label}",
              before={"state": before}, after={"state": p.state, "grade": p.grade}, now=now)
    return []


def list_petitions(session: Session, actor, limit: int = 300) -> list[Petition]:
    require(can_view_duties(actor), "您没有查看群众诉求的权限。")
    q = select(Petition).order_by(Petition.registered_at.desc(), Petition.id.desc()).limit(limit)
    scope = office_scope(actor)
    if scope is not None:
        q = q.where(Petition.office_id == scope)
    return list(session.scalars(q).unique())


def overdue_of(petitions: Iterable[Petition], today: date, limits: PetitionLimits) -> dict[int, list]:
    return {p.id: petition_overdue(petition_times(p), today, limits) for p in petitions}


def enabled_moves(p: Petition) -> tuple[PetitionState, ...]:
    """Next steps offered as buttons (each with its own form fields; the POST runs the same check)."""
    from workflow.duties.petitions import next_states

    return () if p.state == PetitionState.archived else next_states(p.state)
