"""One run per period across every scheduler process: a lease in the database (table scheduler_runs).

Every app server may run the scheduler; before a job does its work it claims (job, period) by inserting a row,
and the UNIQUE(job, period) constraint decides: the first insert wins, every other process gets an
IntegrityError and skips. The period is the local day (Asia/Shanghai) for the daily job and the interval slot
(local time floored to the interval) for the jobs that run every few minutes. When the work is done the row
records finished_at and an outcome ("ok: …" or "failed: …").

A failed run keeps its row (the failure is on record) but does not hold the period: the next claim for the same
period — the `election reminders` command, or another scheduler's next tick of an interval job — takes the row
over with a conditional UPDATE (only one taker wins) and runs again. The jobs are idempotent (dedup keys per
day), so a second attempt after a failure is safe, while a second run after a success is what the lease
prevents. A holder that died mid-run (no finished_at after STALE_AFTER) is taken over the same way.
"""
from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, insert, or_, update
from sqlalchemy.exc import IntegrityError

from election.core.clock import LOCAL_TZ
from election.notifications.models import SchedulerRun

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=1)      # a run unfinished this long lost its process: another may take it over
KEEP_INTERVAL_ROWS = timedelta(days=3)  # the daily job prunes the rows of interval jobs older than this


@dataclass(frozen=True)
class LeasedRun:
    """What became of one attempt: ran (this process did the work) or skipped (another process holds it)."""

    job: str
    period: str
    holder: str
    ran: bool
    result: Any = None


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _local(now_utc_naive: datetime) -> datetime:
    return now_utc_naive.replace(tzinfo=UTC).astimezone(LOCAL_TZ)


def day_period(now_utc_naive: datetime) -> str:
    """The local day: 2026-03-05 (a run at 23:59 and one at 00:00 local fall on two days)."""
    return _local(now_utc_naive).date().isoformat()


def slot_period(now_utc_naive: datetime, minutes: int) -> str:
    """The local interval slot: the minute of the day floored to the interval, 2026-03-05T08:05 for 5 minutes."""
    local = _local(now_utc_naive)
    minute_of_day = (local.hour * 60 + local.minute) // minutes * minutes
    return f"{local.date().isoformat()}T{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def claim(app: Flask, job: str, period: str, now: datetime, holder: str | None = None) -> bool:
    """Take the run of `job` for `period`; True when this process got it (committed before the work starts)."""
    from election.core.db import db

    holder = holder or holder_name()
    with app.app_context():
        session = db.session
        try:
            session.execute(insert(SchedulerRun).values(job=job, period=period, holder=holder, started_at=now,
                                                        outcome=""))
            session.commit()
            return True
        except IntegrityError:
            session.rollback()
        # the row exists: take it over only if its run failed or its holder died (one taker wins the UPDATE)
        taken = session.execute(
            update(SchedulerRun)
            .where(SchedulerRun.job == job, SchedulerRun.period == period,
                   or_(SchedulerRun.outcome.like("failed%"),
                       (SchedulerRun.finished_at.is_(None)) & (SchedulerRun.started_at < now - STALE_AFTER)))
            .values(holder=holder, started_at=now, finished_at=None, outcome="")
            .execution_options(synchronize_session=False)).rowcount
        session.commit()
        if taken:
            log.warning("scheduler lease %s %s: the earlier run failed or lost its process, run again", job, period)
        return bool(taken)


def finish(app: Flask, job: str, period: str, outcome: str, now: datetime) -> None:
    from election.core.db import db

    with app.app_context():
        db.session.execute(update(SchedulerRun).where(SchedulerRun.job == job, SchedulerRun.period == period)
                           .values(finished_at=now, outcome=outcome[:2000])
                           .execution_options(synchronize_session=False))
        db.session.commit()


def run_once(app: Flask, job: str, period: str, work: Callable[[], Any], now: datetime,
             describe: Callable[[Any], str] = repr) -> LeasedRun:
    """Claim, do the work, record the outcome; skip (ran=False) when another process holds the period.
    An exception in the work is recorded as the outcome and raised again."""
    holder = holder_name()
    if not claim(app, job, period, now, holder):
        log.info("scheduler lease %s %s held by another process: skipped", job, period)
        return LeasedRun(job, period, holder, ran=False)
    from election.core.clock import utcnow

    try:
        result = work()
    except Exception as exc:
        finish(app, job, period, f"failed: {type(exc).__name__}: {exc}", utcnow())
        raise
    finish(app, job, period, f"ok: {describe(result)}", utcnow())
    return LeasedRun(job, period, holder, ran=True, result=result)


def prune(session, now: datetime) -> int:
    """Delete the rows of interval jobs (their period has a time of day) older than KEEP_INTERVAL_ROWS; the daily
    rows stay (one a day). The caller commits."""
    return session.execute(delete(SchedulerRun)
                           .where(SchedulerRun.period.like("%T%"), SchedulerRun.started_at < now - KEEP_INTERVAL_ROWS)
                           .execution_options(synchronize_session=False)).rowcount
