"""Reminders of events someone must act on, written in the same transaction as the event's use case.

Each use case calls one function here in one line (no commit, no audit of its own: the use case's audit entry
covers it). `notify` is idempotent: (user_id, dedup_key) is unique, and a key already there is skipped, so
repeating an event (or a retried request) gives nobody a second reminder. E-mail goes out afterwards, from the
scheduler's mail job (election.notifications.jobs), never inside the request's transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.roles import Role
from election.directory.scope import reach_test
from election.elections.models import StageDue
from election.notifications.models import Notification
from workflow.duties.periods import cn_date
from workflow.pipeline.stages import Stage


def notify(session: Session, user_ids: Iterable[int | None], kind: str, message: str, link: str, *,
           dedup_key: str, now: datetime, election_id: int | None = None) -> int:
    """Add one reminder for each of USER_IDS that has none with DEDUP_KEY yet; returns how many were added.
    Runs inside the caller's transaction."""
    wanted = sorted({uid for uid in user_ids if uid is not None})
    if not wanted:
        return 0
    have = set(session.scalars(select(Notification.user_id).where(Notification.dedup_key == dedup_key,
                                                                  Notification.user_id.in_(wanted))))
    new = [Notification(user_id=uid, election_id=election_id, kind=kind, dedup_key=dedup_key, message=message,
                        link=link, created_at=now) for uid in wanted if uid not in have]
    session.add_all(new)
    return len(new)


def inspector_assigned(session: Session, election, nominee, inspector_id: int, now: datetime) -> int:
    """The office assigned a 考察对象 to a 考察组 member: he is told whom, and by when the 考察 stage is due."""
    due = session.scalar(select(StageDue.due_date).where(StageDue.election_id == election.id,
                                                         StageDue.stage == Stage.vet.value))
    when = f"请在{cn_date(due)}前" if due is not None else "请及时"
    where = f"（{nominee.workplace_title}）" if nominee.workplace_title else ""
    message = (f"“{election.title}”：选举办已将考察对象{nominee.name}{where}分配给您考察，"
               f"{when}完成考察并登记考察材料。")
    return notify(session, [inspector_id], "inspector_assigned", message, f"/vetting/people/{nominee.id}",
                  dedup_key=f"inspector_assigned:{nominee.id}", now=now, election_id=election.id)


def inspector_assigned_many(session: Session, election, nominees, inspector_id: int, now: datetime) -> int:
    """``inspector_assigned`` for several 考察对象 at once (one reminder each, the same words), in three queries."""
    if not nominees:
        return 0
    due = session.scalar(select(StageDue.due_date).where(StageDue.election_id == election.id,
                                                         StageDue.stage == Stage.vet.value))
    when = f"请在{cn_date(due)}前" if due is not None else "请及时"
    keys = {f"inspector_assigned:{n.id}": n for n in nominees}
    have = set(session.scalars(select(Notification.dedup_key).where(Notification.user_id == inspector_id,
                                                                    Notification.dedup_key.in_(list(keys)))))
    new = []
    for key, nominee in keys.items():
        if key in have:
            continue
        where = f"（{nominee.workplace_title}）" if nominee.workplace_title else ""
        new.append(Notification(user_id=inspector_id, election_id=election.id, kind="inspector_assigned",
                                dedup_key=key, link=f"/vetting/people/{nominee.id}", created_at=now,
                                message=f"“{election.title}”：选举办已将考察对象{nominee.name}{where}分配给您考察，"
                                        f"{when}完成考察并登记考察材料。"))
    session.add_all(new)
    return len(new)


def round_opened(session: Session, election, rnd, now: datetime) -> int:
    """A voting round was opened: every active 监票计票人员 is asked to enter the count. A round closed at once
    (void: no quorum, too many ballots) asks nobody to count."""
    if rnd.status != "open":
        return 0
    reaches = reach_test(session)  # the tellers of the election's own 选举单位 (or of the whole installation)
    tellers = [uid for uid, org in session.execute(select(User.id, User.organisation_id)
                                                   .where(User.role == Role.teller.value, User.active.is_(True)))
               if reaches(org, election.organisation_id)]
    message = (f"“{election.title}”第{rnd.round_no}轮投票已开始（应选{rnd.seats}名，收回选票"
               f"{rnd.ballots_collected}张），请两名监票计票人员分别录入计票结果。")
    return notify(session, tellers, "round_opened", message, f"/voting/rounds/{rnd.id}",
                  dedup_key=f"round_opened:{rnd.id}", now=now, election_id=election.id)


def activity_returned(session: Session, record, now: datetime) -> int:
    """The 工作室 returned a logged activity: the delegate is told which one and why (a verified one: nothing)."""
    if record.status != "returned":
        return 0
    delegate = record.delegate
    what = record.description.strip().splitlines()[0][:30] if record.description.strip() else "履职活动"
    message = (f"您登记的{cn_date(record.on)}履职活动“{what}”被工作室退回：{record.return_reason}。"
               "请按退回理由补充或更正后重新登记。")
    return notify(session, [delegate.user_id], "activity_returned", message, "/duties/me",
                  dedup_key=f"activity_returned:{record.id}", now=now)


def complaint_assigned(session: Session, complaint, now: datetime) -> int:
    """A complaint received during a 公示 was given to someone to check: he is told about whom, and that the check
    is due by the end of the 公示 period (an open complaint holds the election back)."""
    notice, nominee = complaint.notice, complaint.nominee
    message = (f"公示期间收到关于{nominee.name}的反映（{cn_date(complaint.received_on)}收到），已交您核查，"
               f"请在{cn_date(notice.period_end)}公示期满前登记核查情况。")
    return notify(session, [complaint.assigned_to_id], "complaint_assigned", message,
                  f"/vetting/complaints/{complaint.id}", dedup_key=f"complaint_assigned:{complaint.id}", now=now,
                  election_id=notice.election_id)
