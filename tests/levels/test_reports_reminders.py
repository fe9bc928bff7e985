"""The daily reminders of packages (docs/rules.md §8.2): the upper committee after more than 3 working days of
waiting, the 选举单位 once a stage's due date has passed with nothing reported; each once a day."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from election.elections.models import StageDue
from election.levels.services import reports as svc
from election.notifications.models import Notification
from election.notifications.services import run_daily_reminders

SUBMITTED = datetime(2026, 3, 23, 2, 0)  # Monday 10:00 in 北京


def _kinds(session, user) -> list[str]:
    return sorted(session.scalars(select(Notification.kind).where(Notification.user_id == user.id,
                                                                  Notification.kind.like("package%"))))


def test_waiting_more_than_three_working_days_reminds_the_upper_committee(session, levels_world):
    w = levels_world
    svc.submit_report(session, w.office, w.preliminary.id, "consent", "", "", SUBMITTED)
    # Thursday: 3 working days waited — not yet; Friday: 4 — reminded, once that day; not the other city
    run_daily_reminders(session, date(2026, 3, 26), datetime(2026, 3, 26, 0, 0))
    assert _kinds(session, w.upper) == ["package_submitted"]
    run_daily_reminders(session, date(2026, 3, 27), datetime(2026, 3, 27, 0, 0))
    run_daily_reminders(session, date(2026, 3, 27), datetime(2026, 3, 27, 1, 0))
    assert _kinds(session, w.upper) == ["package_submitted", "package_waiting"]
    assert _kinds(session, w.other_upper) == []


def test_a_stage_past_its_due_date_with_nothing_reported_reminds_the_district(session, levels_world):
    w = levels_world
    session.add(StageDue(election_id=w.confirm.id, stage="confirm", due_date=date(2026, 3, 31)))
    session.commit()
    run_daily_reminders(session, date(2026, 3, 31), datetime(2026, 3, 31, 0, 0))  # the due day itself: not yet
    assert _kinds(session, w.office_b) == []
    run_daily_reminders(session, date(2026, 4, 1), datetime(2026, 4, 1, 0, 0))
    assert _kinds(session, w.office_b) == ["package_not_submitted"] and _kinds(session, w.office) == []
    svc.submit_report(session, w.office_b, w.confirm.id, "approval", "", "", datetime(2026, 4, 1, 2, 0))
    run_daily_reminders(session, date(2026, 4, 2), datetime(2026, 4, 2, 0, 0))
    assert _kinds(session, w.office_b) == ["package_not_submitted"]  # reported: no more
