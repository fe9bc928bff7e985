"""Scheduled jobs: thin, idempotent, each calls one service.

Run by `election scheduler`, or `election serve --with-scheduler` (the demo and a single machine: the server and
the scheduler in one process). Every app server may run one: each job first claims its period in the database
(election.notifications.leases: the local day for the daily job, the interval slot for the others), so across
all servers a period runs once; the others skip. The jobs are idempotent anyway (dedup keys per day).

Three jobs: the daily reminders (stages due, units late, duties, petitions overdue); every few minutes the
e-mail of reminders not mailed yet — so an event's reminder (written by its use case) arrives by mail within
minutes, and a use case never waits for, or fails on, the mail server; and every minute the background tasks
whose worker stopped beating are marked failed (stale_tasks).
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Flask

from election.notifications import leases
from election.notifications.leases import LeasedRun

log = logging.getLogger(__name__)
# the app of the one scheduler process (set by build_scheduler): a job stored by reference gets no arguments
_scheduler_app: Flask | None = None


def smtp_settings(app: Flask) -> dict | None:
    host = app.config.get("SMTP_HOST")
    if not host:
        return None
    return {"host": host, "port": app.config.get("SMTP_PORT", 25), "username": app.config.get("SMTP_USERNAME"),
            "password": app.config.get("SMTP_PASSWORD"), "sender": app.config.get("SMTP_SENDER", "noreply@localhost"),
            "starttls": bool(app.config.get("SMTP_STARTTLS", False)), "base_url": app.config.get("BASE_URL")}


def daily_reminders(app: Flask | None = None, now: datetime | None = None, force: bool = False) -> LeasedRun:
    """The daily reminder run, once a local day across every scheduler (the lease); `force` runs it even when
    the day's run is done (the CLI's --force: the run is idempotent)."""
    from election.core.clock import utcnow

    app = app or _scheduler_app
    if app is None:
        raise RuntimeError("daily_reminders needs the app: call it with one, or from the scheduler build_scheduler made")
    now = now or utcnow()
    if force:
        return LeasedRun("daily_reminders", leases.day_period(now), leases.holder_name(), True, _daily_run(app, now))
    return leases.run_once(app, "daily_reminders", leases.day_period(now), lambda: _daily_run(app, now), now,
                           describe=lambda r: f"{r.created} reminders, {r.elections} elections, {r.emailed} mailed")


def _daily_run(app: Flask, now: datetime):
    """Stages due soon / overdue, units not submitted, notices ending, duties; old interval leases pruned."""
    from election.core.db import db
    from election.notifications.mail import send_pending_email
    from election.notifications.services import ReminderRun, run_daily_reminders

    today = _local_date(now)
    from election.duties.jobs import run_duty_reminders
    from election.tasks.runner import fail_stale_tasks
    from election.vetting.services import end_due_notices

    with app.app_context():
        ended = end_due_notices(db.session, today, now)  # first: a notice that ended today is not reminded of
        result = run_daily_reminders(db.session, today, now)
        duties = run_duty_reminders(db.session, today, now)
        stale = fail_stale_tasks(db.session, now)
        smtp = smtp_settings(app)
        emailed = send_pending_email(db.session, smtp, now) if smtp else 0
        leases.prune(db.session, now)
        db.session.commit()
    log.info("daily reminders: %s notices ended; %s created for %s elections; %s duty reminders; %s e-mailed; "
             "%s stale tasks failed", ended, result.created, result.elections, duties.created, emailed, stale)
    return ReminderRun(result.created + duties.created, result.elections, emailed)


def mail_reminders(app: Flask | None = None, now: datetime | None = None) -> int:
    """E-mail the reminders not mailed yet (nothing when SMTP is not configured)."""
    from election.core.clock import utcnow
    from election.core.db import db
    from election.notifications.mail import send_pending_email

    app = app or _scheduler_app
    if app is None:
        raise RuntimeError("mail_reminders needs the app: call it with one, or from the scheduler build_scheduler made")
    smtp = smtp_settings(app)
    if smtp is None:
        return 0
    now = now or utcnow()
    minutes = int(app.config.get("MAIL_INTERVAL_MINUTES", 5))

    def work() -> int:
        with app.app_context():
            return send_pending_email(db.session, smtp, now)

    run = leases.run_once(app, "mail_reminders", leases.slot_period(now, minutes), work, now)
    return run.result if run.ran else 0


def stale_tasks(app: Flask | None = None, now: datetime | None = None) -> int:
    """The minutely job of background tasks: a task whose worker is gone is marked failed, once a minute across
    schedulers."""
    from election.core.clock import utcnow
    from election.core.db import db
    from election.tasks.runner import fail_stale_tasks

    app = app or _scheduler_app
    if app is None:
        raise RuntimeError("stale_tasks needs the app: call it with one, or from the scheduler build_scheduler made")
    now = now or utcnow()

    def work() -> int:
        with app.app_context():
            return fail_stale_tasks(db.session, now)

    run = leases.run_once(app, "stale_tasks", leases.slot_period(now, 1), work, now)
    if run.ran and run.result:
        log.info("%s background tasks lost their worker and were marked failed", run.result)
    return run.result if run.ran else 0


def _local_date(now_utc_naive: datetime):
    from election.core.clock import LOCAL_TZ

    return now_utc_naive.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()


def build_scheduler(app: Flask, blocking: bool = True):
    """APScheduler 3 with its jobs stored in the app's database, Asia/Shanghai time."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    global _scheduler_app
    _scheduler_app = app
    cls = BlockingScheduler if blocking else BackgroundScheduler
    url = app.config["DATABASE_URL"]
    scheduler = cls(jobstores={"default": SQLAlchemyJobStore(url=url, tablename="apscheduler_jobs")},
                    timezone=app.config.get("TIMEZONE", "Asia/Shanghai"),
                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
    hour, minute = (int(x) for x in str(app.config.get("REMINDER_TIME", "08:00")).split(":"))
    scheduler.add_job("election.notifications.jobs:daily_reminders", "cron", hour=hour, minute=minute,
                      id="daily_reminders", replace_existing=True)
    scheduler.add_job("election.notifications.jobs:mail_reminders", "interval",
                      minutes=int(app.config.get("MAIL_INTERVAL_MINUTES", 5)), id="mail_reminders",
                      replace_existing=True)
    scheduler.add_job("election.notifications.jobs:stale_tasks", "interval", minutes=1, id="stale_tasks",
                      replace_existing=True)   # a task whose worker died is shown failed within minutes
    return scheduler


_in_process = None  # the scheduler `election serve --with-scheduler` started in this process


def start_in_process(app: Flask):
    """Start the background scheduler beside the web server, once per process (a second call returns the first);
    the server must run without the reloader, or the reloader's child would start another one."""
    global _in_process
    if _in_process is None:
        _in_process = build_scheduler(app, blocking=False)
        _in_process.start()
    return _in_process


def stop_in_process() -> None:
    global _in_process
    if _in_process is not None:
        _in_process.shutdown(wait=False)
        _in_process = None
