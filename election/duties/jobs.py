"""Daily duty reminders: requirements still unmet two weeks before their period ends, overdue petitions.

Idempotent: every dedup key ends with the day, and (user_id, dedup_key) is unique, so a second run the same day
creates nothing. One transaction, one audit entry when something was created.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.core.db import transaction
from election.core.roles import Role
from election.duties.models import Petition, TermDelegate
from election.duties.services import (
    DEFAULT_RULESET,
    fetch_activity_tuples,
    load_assignments,
    load_rulebooks,
    overdue_of,
)
from election.notifications.models import Notification
from workflow import duties as wd
from workflow.duties.petitions import PetitionLimits, PetitionState

DEFAULT_LIMITS = PetitionLimits()  # product setting: take up in 3 days, answer in 7


@dataclass(frozen=True)
class DutyReminderRun:
    created: int
    at_risk: int
    overdue_petitions: int


def run_duty_reminders(session: Session, today: date, now: datetime,
                       limits: PetitionLimits = DEFAULT_LIMITS) -> DutyReminderRun:
    """Notify delegates (and their office's staff) of requirements at risk; staff of overdue petitions."""
    suffix = today.isoformat()
    with transaction(session):
        books = load_rulebooks(session)
        assignments = load_assignments(session)
        people = session.execute(select(TermDelegate.id, TermDelegate.name, TermDelegate.office_id,
                                        TermDelegate.level, TermDelegate.user_id, TermDelegate.term_start,
                                        TermDelegate.term_end)
                                 .where(TermDelegate.status == "serving")).all()
        staff: dict[int, list[int]] = {}
        for uid, oid in session.execute(select(User.id, User.office_id).where(
                User.role == Role.studio.value, User.active.is_(True))):
            staff.setdefault(oid, []).append(uid)
        existing = set(session.execute(select(Notification.user_id, Notification.dedup_key)
                                       .where(Notification.dedup_key.endswith(suffix))).all())
        new: list[Notification] = []

        def notify(user_id: int, kind: str, key: str, message: str, link: str) -> None:
            key = f"{key}:{suffix}"
            if (user_id, key) in existing:
                return
            existing.add((user_id, key))
            new.append(Notification(user_id=user_id, kind=kind, dedup_key=key, message=message, link=link,
                                    created_at=now))

        by_code: dict[str, list] = {}
        for p in people:
            by_code.setdefault(assignments.code_for(p.office_id, p.level), []).append(p)
        # activities that can count for any current period: the last 13 months are enough for yearly periods
        rows = fetch_activity_tuples(session, today - timedelta(days=400), today, statuses=("verified", "pending"))
        at_risk = 0
        for code, members in by_code.items():
            book = books.get(code) or books[DEFAULT_RULESET]
            if book.index_in_force(today) < 0:
                continue
            info = {p.id: p for p in members}
            # only periods owed within the term (docs/rules.md §6 履职要求的起止); all these delegates serve
            services = {p.id: wd.service_of(p.term_start, p.term_end) for p in members}
            for r in wd.requirements_at_risk(today, rows, book.in_force(today), list(info), services=services):
                at_risk += 1
                p = info[r.delegate_id]
                key = f"duty:{r.status.code}:{p.id}:{r.status.period.end.isoformat()}"
                if p.user_id is not None:
                    notify(p.user_id, "duty_requirement", key, r.message, "/duties/me")
                for uid in staff.get(p.office_id, ()):
                    notify(uid, "duty_requirement", key, f"代表{p.name}：{r.message}", "/duties/verify")
        open_petitions = list(session.scalars(select(Petition).where(Petition.state != PetitionState.archived.value))
                              .unique())
        overdue = {pid: items for pid, items in overdue_of(open_petitions, today, limits).items()
                   if any(i.done_on is None for i in items)}
        users_of = {p.id: p.user_id for p in people}
        for pet in open_petitions:
            for item in overdue.get(pet.id, ()):
                if item.done_on is not None:
                    continue
                key = f"petition:{pet.id}:{item.step.value}"
                msg = f"群众诉求（{pet.resident_name}）：{item.message}"
                for uid in staff.get(pet.office_id, ()):
                    notify(uid, "petition_overdue", key, msg, f"/duties/petitions/{pet.id}")
                if pet.delegate_id is not None and users_of.get(pet.delegate_id):
                    notify(users_of[pet.delegate_id], "petition_overdue", key, msg, f"/duties/petitions/{pet.id}")
        session.add_all(new)
        if new:
            audit(session, None, "duties.reminders.daily", object_type="notifications", object_id=suffix,
                  summary=f"{suffix}履职提醒：生成{len(new)}条站内提醒", after={"count": len(new)}, now=now)
    return DutyReminderRun(len(new), at_risk, len(overdue))
