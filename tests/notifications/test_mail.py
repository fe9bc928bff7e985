"""Reminders by e-mail, through a real SMTP server the test starts (aiosmtpd on a free local port): the delivered
message read back as a mail client would — the Chinese subject, the deadline, the absolute link — and the
scheduler that sends them, started beside the web server by `election serve --with-scheduler` only."""
from __future__ import annotations

import email
import socket
from datetime import date, datetime
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from election.directory.models import ElectionUnit
from election.elections.models import StageDue
from election.nominations.models import Nominee
from election.notifications.jobs import mail_reminders
from election.notifications.mail import send_pending_email
from election.notifications.models import Notification
from election.vetting import services as vet_svc
from workflow.common.idcard import make_id

NOW = datetime(2026, 3, 2, 1, 0)
BASE = "https://xuanju.example.cn/"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1; yields (port, the parsed messages it received)."""
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    received: list[email.message.EmailMessage] = []

    class Collect:
        async def handle_DATA(self, server, session, envelope):
            received.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                     policy=default_policy))
            return "250 OK"

    with socket.socket() as probe:  # port=0 fails: the controller connects to its own port to check it is up
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_mod.Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


@pytest.fixture
def assigned(session, make_election, make_user):
    """王芳 assigned to an inspector who has an address; the 考察 stage due 2026-03-10."""
    election = make_election(stage="vet", units=1, title="某区出席市第十二次党代会代表选举")
    session.add(StageDue(election_id=election.id, stage="vet", due_date=date(2026, 3, 10)))
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    wang = Nominee(election_id=election.id, election_unit_id=eu.id, position=1, name="王芳", gender="女",
                   ethnicity="汉族", id_number=make_id("110105", date(1975, 3, 1), 1, False),
                   birth_date=date(1975, 3, 1), native_place="北京", education="大学", party_join_date=date(1995, 7, 1),
                   work_start_date=date(1992, 7, 1), workplace_title="城关街道党工委委员", category="其他一线",
                   step="shortlisted")
    session.add(wang)
    office = make_user("office", email="office@example.invalid")
    inspector = make_user("inspector", display_name="考察组 李明", email="liming@example.invalid")
    session.commit()
    vet_svc.assign_inspector(session, office, wang.id, inspector.id, NOW)
    return wang, inspector


def test_event_reminder_arrives_with_chinese_subject_deadline_and_absolute_link(session, assigned, smtp_server):
    wang, inspector = assigned
    port, received = smtp_server
    smtp = {"host": "127.0.0.1", "port": port, "sender": "xuanju@example.invalid", "base_url": BASE}
    assert send_pending_email(session, smtp, NOW) == 1
    [msg] = received
    assert msg["Subject"] == "【代表选举与履职管理系统】考察任务"
    assert msg["To"] == "liming@example.invalid" and msg["From"] == "xuanju@example.invalid"
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith("考察组 李明：")
    assert "王芳" in body and "2026年3月10日" in body
    assert f"https://xuanju.example.cn/vetting/people/{wang.id}" in body
    note = session.scalar(select(Notification).where(Notification.user_id == inspector.id))
    assert note.emailed_at == NOW
    assert send_pending_email(session, smtp, NOW) == 0 and len(received) == 1  # mailed once


def test_the_scheduler_mail_job_sends_with_the_configured_address(app, session, assigned, smtp_server):
    port, received = smtp_server
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, BASE_URL="https://xuanju.example.cn")
    assert mail_reminders(app, NOW) == 1
    assert "https://xuanju.example.cn/vetting/people/" in received[0].get_body(("plain",)).get_content()
    app.config.update(SMTP_HOST="")
    assert mail_reminders(app, NOW) == 0  # no mail server configured: nothing to do


def test_old_reminders_and_users_without_address_are_not_mailed(session, assigned, make_user, smtp_server):
    from election.notifications.events import notify

    port, received = smtp_server
    nobody = make_user("office")  # no address
    notify(session, [nobody.id], "stage_due_soon", "消息", "/", dedup_key="x", now=NOW)
    session.commit()
    later = datetime(2026, 3, 9, 1, 0)  # a week on: the inspector's reminder is too old to mail now
    assert send_pending_email(session, {"host": "127.0.0.1", "port": port}, later) == 0 and received == []


# --- the scheduler beside the web server ----------------------------------------------------------------------
def _serve(tmp_path, monkeypatch, *args):
    import werkzeug.serving

    from election import create_app
    from election.notifications import jobs

    seen = {}

    def fake_run_simple(host, port, application, **kw):
        scheduler = jobs._in_process
        seen["kw"] = kw
        seen["running"] = bool(scheduler and scheduler.running)
        seen["jobs"] = sorted(j.id for j in scheduler.get_jobs()) if scheduler else []

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"})
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5999", *args])
    assert result.exit_code == 0, result.output
    assert jobs._in_process is None  # stopped when the server stops
    return seen, result.output


def test_serve_with_scheduler_runs_the_jobs_in_the_same_process(tmp_path, monkeypatch):
    seen, output = _serve(tmp_path, monkeypatch, "--with-scheduler")
    assert seen["running"] and seen["jobs"] == ["daily_reminders", "mail_reminders", "stale_tasks"]
    assert seen["kw"]["use_reloader"] is False  # a reloader would start a second scheduler
    assert "定时任务已在本进程中启动" in output


def test_serve_without_the_flag_starts_no_scheduler(tmp_path, monkeypatch):
    seen, output = _serve(tmp_path, monkeypatch)
    assert not seen["running"] and seen["jobs"] == [] and "定时任务" not in output


def test_the_in_process_scheduler_starts_once(tmp_path):
    from election import create_app
    from election.notifications.jobs import start_in_process, stop_in_process

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'once.db'}"})
    try:
        assert start_in_process(app) is start_in_process(app)
    finally:
        stop_in_process()


def test_the_daily_job_creates_election_and_duty_reminders_then_mails_them(app, session, make_election, make_user,
                                                                          smtp_server):
    from election.notifications.jobs import daily_reminders

    port, received = smtp_server
    election = make_election(stage="nominate", units=1)
    session.add(StageDue(election_id=election.id, stage="nominate", due_date=date(2019, 2, 21)))
    make_user("office", email="office@example.invalid")
    session.commit()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    run = daily_reminders(app, datetime(2019, 2, 19, 0, 0)).result
    assert run.created == 2 and run.emailed == 2 == len(received)  # stage due soon + the unit not submitted
    assert all("http://127.0.0.1:5000/elections/" in m.get_body(("plain",)).get_content() for m in received)
    assert not daily_reminders(app, datetime(2019, 2, 19, 0, 0)).ran  # the day's lease is taken
    assert daily_reminders(app, datetime(2019, 2, 19, 0, 0), force=True).result.created == 0  # idempotent


def test_two_mail_runs_at_once_mail_each_reminder_once_on_postgresql(request, tmp_path):
    """The mail job and a hand-run `election reminders` at the same moment: each reminder is claimed by one run
    (row locks the other skips), so nobody gets the same mail twice."""
    import asyncio
    import threading

    from sqlalchemy.orm import Session

    from election.accounts.models import User
    from election.core.db import make_engine
    from tests.security.conftest import fresh_database

    controller_mod = pytest.importorskip("aiosmtpd.controller")
    url = fresh_database("postgresql", request, tmp_path, "election_mail_race")
    engine = make_engine(url)
    with Session(engine) as s:
        users = [User(username=f"u{i}", display_name=f"用户{i}", role="office", password_hash="x",
                      email=f"u{i}@example.invalid") for i in range(6)]
        s.add_all(users)
        s.flush()
        s.add_all(Notification(user_id=u.id, kind="stage_due_soon", dedup_key="k", message="消息", link="/",
                               created_at=NOW) for u in users)
        s.commit()
    received: list[str] = []

    class Slow:  # slow enough that the two runs overlap
        async def handle_DATA(self, server, session, envelope):
            await asyncio.sleep(0.05)
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_mod.Controller(Slow(), hostname="127.0.0.1", port=port)
    controller.start()
    start = threading.Barrier(2)
    counts: list[int] = []

    def run():
        with Session(engine) as s:
            start.wait()
            counts.append(send_pending_email(s, {"host": "127.0.0.1", "port": port}, NOW))

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        controller.stop()
        engine.dispose()
    assert sorted(received) == sorted(f"u{i}@example.invalid" for i in range(6))
    assert sum(counts) == 6
