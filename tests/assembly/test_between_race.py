"""Two managers at once (two sessions on two connections, started together): recording the same delegate's 列席
attendance twice gives one activity record; inviting the same delegate twice gives one invitee row, the second
told. The meeting's row lock serialises them on PostgreSQL; SQLite's write lock does anyway."""
from __future__ import annotations

import threading
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.assembly.models import SitInInvitee, SitInMeeting
from election.assembly.services import between as svc
from election.audit.models import AuditEntry
from election.core.db import transaction
from election.core.exceptions import Conflict
from election.directory.models import DelegateOffice
from election.duties.models import ActivityRecord, OfficeRuleAssignment, TermDelegate

NOW = datetime(2026, 12, 20, 2, 0)


def _seed(engine) -> dict:
    tag = f"race-{engine.dialect.name}"
    with Session(engine) as s, transaction(s):
        actor = User(username=f"sitin-{tag}", display_name="竞态选举办", role="admin", password_hash="x")
        office = DelegateOffice(name=f"列席竞态工作室{tag}", level="县")
        s.add_all([actor, office])
        s.flush()
        s.add(OfficeRuleAssignment(office_id=office.id, ruleset_code="fengxian"))  # 凤县: 参加县委活动 scores
        people = [TermDelegate(name=n, gender="男", congress=f"列席竞态党代会{tag}", level="区", office_id=office.id,
                               term_start=date(2022, 1, 1), term_end=date(2027, 1, 1)) for n in ("甲代表", "乙代表")]
        meeting = SitInMeeting(congress=f"列席竞态党代会{tag}", kind="standing", title="竞态常委会", held_on=date(2026, 12, 10))
        s.add_all([*people, meeting])
        s.flush()
        s.add(SitInInvitee(meeting_id=meeting.id, delegate_id=people[0].id))
        return {"actor": actor.id, "office": office.id, "meeting": meeting.id, "d0": people[0].id, "d1": people[1].id}


def _cleanup(engine, ids: dict) -> None:
    with Session(engine) as s, transaction(s):
        s.execute(delete(SitInInvitee).where(SitInInvitee.meeting_id == ids["meeting"]))
        s.execute(delete(ActivityRecord).where(ActivityRecord.delegate_id.in_([ids["d0"], ids["d1"]])))
        s.execute(delete(SitInMeeting).where(SitInMeeting.id == ids["meeting"]))
        s.execute(delete(TermDelegate).where(TermDelegate.id.in_([ids["d0"], ids["d1"]])))
        s.execute(delete(OfficeRuleAssignment).where(OfficeRuleAssignment.office_id == ids["office"]))
        s.execute(delete(DelegateOffice).where(DelegateOffice.id == ids["office"]))
        s.execute(delete(AuditEntry).where(AuditEntry.actor_id == ids["actor"]))
        s.execute(delete(User).where(User.id == ids["actor"]))


def _run(engine, actor_id: int, action) -> list:
    """ACTION(session, actor) run by two threads started together; "ok" or "conflict" for each."""
    results: list = []
    barrier = threading.Barrier(2)

    def racer():
        with Session(engine) as s:
            barrier.wait()  # both start together; on SQLite the second waits for the write lock
            try:
                action(s, s.get(User, actor_id))
                results.append("ok")
            except Conflict:
                results.append("conflict")

    threads = [threading.Thread(target=racer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(results)


def test_recording_attendance_twice_at_once_credits_one_activity(engine):
    ids = _seed(engine)
    try:
        results = _run(engine, ids["actor"], lambda s, actor: svc.record_sitin_attendance(
            s, actor, ids["meeting"], ids["d0"], True, "", NOW))
        assert results == ["ok", "ok"]
        with Session(engine) as s:
            records = s.scalars(select(ActivityRecord).where(ActivityRecord.delegate_id == ids["d0"])).all()
            assert [r.type_code for r in records] == ["county_activity"]
            inv = s.scalar(select(SitInInvitee).where(SitInInvitee.meeting_id == ids["meeting"]))
            assert inv.attended is True and inv.activity_id == records[0].id
    finally:
        _cleanup(engine, ids)


def test_inviting_the_same_delegate_twice_at_once_makes_one_row(engine):
    ids = _seed(engine)
    try:
        results = _run(engine, ids["actor"], lambda s, actor: svc.invite_delegates(
            s, actor, ids["meeting"], [ids["d1"]], NOW))
        assert results == ["conflict", "ok"]
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(SitInInvitee).where(
                SitInInvitee.meeting_id == ids["meeting"], SitInInvitee.delegate_id == ids["d1"])) == 1
    finally:
        _cleanup(engine, ids)
