"""Scheduled jobs: thin, idempotent, each calls one service.

Run in exactly one process: `election scheduler`. Per-worker schedulers or the debug reloader would run
every job twice (flask-apscheduler #51, #139); the jobs are idempotent anyway (dedup keys per day).
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Flask

log = logging.getLogger(__name__)
# the app of the one scheduler process (set by build_scheduler): a job stored by reference gets no arguments
_scheduler_app: Flask | None = None


def smtp_settings(app: Flask) -> dict | None:
    host = app.config.get("SMTP_HOST")
    if not host:
        return None
    return {"host": host, "port": app.config.get("SMTP_PORT", 25), "username": app.config.get("SMTP_USERNAME"),
            "password": app.config.get("SMTP_PASSWORD"), "sender": app.config.get("SMTP_SENDER", "noreply@localhost"),
            "starttls": bool(app.config.get("SMTP_STARTTLS", False))}


def daily_reminders(app: Flask | None = None, now: datetime | None = None):
    """The daily reminder run (stages due soon / overdue, units not submitted, notices ending)."""
    from election.core.clock import utcnow
    from election.core.db import db
    from election.notifications.services import run_daily_reminders

    app = app or _scheduler_app
    if app is None:
        raise RuntimeError("daily_reminders needs the app: call it with one, or from the scheduler build_scheduler made")
    now = now or utcnow()
    today = _local_date(now)
    from election.duties.jobs import run_duty_reminders
    from election.tasks import fail_stale_tasks

    with app.app_context():
        result = run_daily_reminders(db.session, today, now, smtp_settings(app))
        duties = run_duty_reminders(db.session, today, now)
        stale = fail_stale_tasks(db.session, now)
    log.info("daily reminders: %s created for %s elections, %s e-mailed; %s duty reminders; %s stale tasks failed",
             result.created, result.elections, result.emailed, duties.created, stale)
    return result


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
    return scheduler
