"""The demo is loaded with the day's reminders, so the 提醒 is not empty on the first login; a second load adds
none."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from election.accounts.models import User
from election.notifications.models import Notification
from seeds.demo import SUBMITTED, load_demo

DAY = date(2026, 12, 4)  # a Friday: the demo's 推荐提名 is due a few working days later


def _kinds(session, username: str) -> list[str]:
    return list(session.scalars(select(Notification.kind).join(User, User.id == Notification.user_id)
                                .where(User.username == username)))


def test_demo_office_and_late_units_find_their_reminders(session):
    assert load_demo(session, today=DAY) is True
    office = _kinds(session, "office")
    assert office.count("unit_not_submitted") == 23 - len(SUBMITTED) == 14
    assert _kinds(session, "unit03") == ["unit_not_submitted"]  # GW03: a short draft, not handed in
    assert _kinds(session, "unit01") == []  # GW01 has handed its list in
    total = session.scalar(select(func.count()).select_from(Notification))
    assert load_demo(session, today=DAY) is False
    assert session.scalar(select(func.count()).select_from(Notification)) == total
