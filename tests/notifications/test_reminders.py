from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from election.directory.models import ElectionUnit
from election.elections.models import StageDue
from election.notifications.models import Notification
from election.notifications.services import run_daily_reminders

NOW = datetime(2019, 2, 19, 0, 0)


@pytest.fixture
def nominating(session, make_election, make_user):
    election = make_election(stage="nominate", units=2)
    session.add(StageDue(election_id=election.id, stage="nominate", due_date=date(2019, 2, 21)))
    eus = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).all()
    office = make_user("office")
    unit_user = make_user("unit", unit_id=eus[0].unit_id)
    session.flush()
    return election, office, unit_user


def _count(session, **kw):
    q = select(func.count()).select_from(Notification)
    for k, v in kw.items():
        q = q.where(getattr(Notification, k) == v)
    return session.scalar(q)


def test_daily_run_creates_due_soon_and_unit_reminders_once(session, nominating):
    _election, office, unit_user = nominating
    first = run_daily_reminders(session, date(2019, 2, 19), NOW)
    assert first.created > 0
    assert _count(session, user_id=office.id, kind="stage_due_soon") == 1
    assert _count(session, user_id=unit_user.id, kind="unit_not_submitted") == 1
    assert _count(session, user_id=office.id, kind="unit_not_submitted") == 2
    again = run_daily_reminders(session, date(2019, 2, 19), NOW)
    assert again.created == 0
    link = session.scalar(select(Notification.link).where(Notification.user_id == unit_user.id))
    assert link.startswith("/units/")


def test_next_day_reminds_again_and_overdue_after_due(session, nominating):
    _election, office, _ = nominating
    run_daily_reminders(session, date(2019, 2, 19), NOW)
    run_daily_reminders(session, date(2019, 2, 22), NOW)
    assert _count(session, user_id=office.id, kind="stage_overdue") == 1


def test_no_reminder_far_from_due_date(session, nominating):
    _election, office, _ = nominating
    run_daily_reminders(session, date(2019, 2, 1), NOW)
    assert _count(session, user_id=office.id, kind="stage_due_soon") == 0


def test_bell_shows_unread_and_mark_read(client, session, nominating, auth):
    from tests.conftest import TEST_PASSWORD

    _, office, _ = nominating
    run_daily_reminders(session, date(2019, 2, 19), NOW)
    auth.login(office.username, TEST_PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert 'class="count"' in page
    assert "尚未报送推荐人选" in client.get("/notifications").get_data(as_text=True)
    client.post("/notifications/read")
    assert 'class="count"' not in client.get("/").get_data(as_text=True)


def test_reminders_sent_by_email_through_local_smtp(session, nominating):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    _, office, _ = nominating
    office.email = "office@example.invalid"
    session.flush()
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        result = run_daily_reminders(session, date(2019, 2, 19), NOW, {"host": "127.0.0.1", "port": port})
    finally:
        controller.stop()
    assert result.emailed == len(received) > 0
    assert all(m["To"] == "office@example.invalid" for m in received)
    from email.header import decode_header, make_header

    subjects = {str(make_header(decode_header(m["Subject"]))) for m in received}
    assert subjects == {"【代表选举与履职管理系统】阶段即将到期", "【代表选举与履职管理系统】推荐人选未报送"}
    assert run_daily_reminders(session, date(2019, 2, 19), NOW, {"host": "127.0.0.1", "port": port}).emailed == 0


def test_scheduler_stores_its_job_in_the_app_database(tmp_path):
    from election import create_app
    from election.notifications.jobs import build_scheduler

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.db'}", "REMINDER_TIME": "07:30"})
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("daily_reminders")
        assert job is not None and str(job.trigger).startswith("cron[") and "hour='7'" in str(job.trigger)
        assert str(job.trigger.timezone) == "Asia/Shanghai"
    finally:
        scheduler.shutdown(wait=False)
    from sqlalchemy import create_engine, inspect

    assert "apscheduler_jobs" in inspect(create_engine(f"sqlite:///{tmp_path / 'jobs.db'}")).get_table_names()
