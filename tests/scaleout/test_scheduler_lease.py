"""The scheduler's lease on PostgreSQL with real commits: however many schedulers start the daily job at the same
moment, one runs it for the local day; the next day runs again; a failed run is on record and may be run again
that day; a holder that died is taken over; the interval jobs hold their slot the same way; two real APScheduler
schedulers sharing the job table both fire a due job, and the lease lets one of them run it."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.notifications import leases
from election.notifications.jobs import daily_reminders, stale_tasks
from election.notifications.models import Notification, SchedulerRun
from tests.security import conftest as sec

LOCAL_DAY = date(2026, 3, 5)


def utc_of_local(day: date, hour: int = 8, minute: int = 0) -> datetime:
    """Naive UTC of a local (Asia/Shanghai, UTC+8) time."""
    return datetime(day.year, day.month, day.day, hour, minute) - timedelta(hours=8)


@pytest.fixture(scope="module")
def lease_app(request, tmp_path_factory):
    from election import create_app
    from election.core.db import make_engine
    from election.elections.models import StageDue

    tmp = tmp_path_factory.mktemp("lease")
    url = sec.fresh_database("postgresql", request, tmp, "election_lease")
    ids = sec.seed_nomination_race(url, 3)
    engine = make_engine(url)
    with Session(engine) as s:  # due in a few days from every day the tests use: reminders to create
        s.add(StageDue(election_id=ids["election"], stage="nominate", due_date=LOCAL_DAY + timedelta(days=30)))
        s.commit()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "lease-tests-secret-key-0123456789",
                      "UPLOAD_DIR": str(tmp / "uploads"), "SMTP_HOST": ""})
    yield app, engine
    app.extensions["election_db"].engine.dispose()
    engine.dispose()


def _runs(engine, job: str) -> list[SchedulerRun]:
    with Session(engine) as s:
        return list(s.scalars(select(SchedulerRun).where(SchedulerRun.job == job).order_by(SchedulerRun.period)))


def _notes(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Notification))


def _at_once(n: int, call):
    """n threads start `call` at the same moment (a barrier)."""
    barrier = threading.Barrier(n)

    def one():
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return [f.result(timeout=120) for f in [pool.submit(one) for _ in range(n)]]


def test_six_schedulers_at_once_run_the_day_once_and_the_next_day_again(lease_app):
    app, engine = lease_app
    now = utc_of_local(LOCAL_DAY)
    before = _notes(engine)
    runs = _at_once(6, lambda: daily_reminders(app, now))
    ran = [r for r in runs if r.ran]
    assert len(ran) == 1 and all(r.period == "2026-03-05" for r in runs)
    created = ran[0].result.created
    assert created > 0 and _notes(engine) - before == created      # reminders created once
    [row] = [r for r in _runs(engine, "daily_reminders") if r.period == "2026-03-05"]
    assert row.holder == ran[0].holder and row.finished_at is not None and row.outcome.startswith("ok: ")
    assert not daily_reminders(app, now + timedelta(hours=3)).ran  # later the same local day: still done

    next_day = _at_once(6, lambda: daily_reminders(app, now + timedelta(days=1)))
    assert [r.period for r in next_day if r.ran] == ["2026-03-06"]


def test_a_minute_before_and_at_local_midnight_are_two_days(lease_app):
    app, _ = lease_app
    last_minute = utc_of_local(date(2026, 3, 10), 23, 59)          # 15:59 UTC
    midnight = utc_of_local(date(2026, 3, 11), 0, 0)               # 16:00 UTC, the same UTC day
    assert last_minute.date() == midnight.date()
    assert leases.day_period(last_minute) == "2026-03-10" and leases.day_period(midnight) == "2026-03-11"
    assert daily_reminders(app, last_minute).ran and daily_reminders(app, midnight).ran
    assert not daily_reminders(app, midnight + timedelta(hours=23, minutes=59)).ran


def test_a_failed_run_is_recorded_and_one_retry_takes_the_day(lease_app, monkeypatch):
    from election.notifications import services

    app, engine = lease_app
    now = utc_of_local(date(2026, 3, 15))

    def broken(*_a, **_k):
        raise RuntimeError("数据库暂时不可用")

    with monkeypatch.context() as m:
        m.setattr(services, "run_daily_reminders", broken)
        with pytest.raises(RuntimeError):
            daily_reminders(app, now)
    [row] = [r for r in _runs(engine, "daily_reminders") if r.period == "2026-03-15"]
    assert row.outcome.startswith("failed: RuntimeError") and row.finished_at is not None
    # the failure does not hold the day: of four schedulers retrying at once, one runs it
    retries = _at_once(4, lambda: daily_reminders(app, now + timedelta(minutes=5)))
    assert sum(r.ran for r in retries) == 1
    [row] = [r for r in _runs(engine, "daily_reminders") if r.period == "2026-03-15"]
    assert row.outcome.startswith("ok: ")
    assert not daily_reminders(app, now + timedelta(minutes=10)).ran   # done now: no third run


def test_a_holder_that_died_is_taken_over_but_a_running_one_is_not(lease_app):
    app, engine = lease_app
    now = utc_of_local(date(2026, 3, 20))
    assert leases.claim(app, "probe", "2026-03-20", now - timedelta(minutes=10), holder="host-a:1")
    assert not leases.claim(app, "probe", "2026-03-20", now, holder="host-b:2")     # still running
    assert leases.claim(app, "probe", "2026-03-21", now - leases.STALE_AFTER - timedelta(minutes=1), "host-a:1")
    assert leases.claim(app, "probe", "2026-03-21", now, holder="host-b:2")         # its holder died
    assert [r.holder for r in _runs(engine, "probe")] == ["host-a:1", "host-b:2"]


def test_interval_jobs_hold_their_slot_and_the_daily_run_prunes_old_slots(lease_app):
    app, engine = lease_app
    assert leases.slot_period(utc_of_local(date(2026, 3, 25), 8, 7), 5) == "2026-03-25T08:05"
    assert leases.slot_period(utc_of_local(date(2026, 3, 25), 0, 4), 5) == "2026-03-25T00:00"
    at = utc_of_local(date(2026, 3, 25), 8, 7)
    _at_once(4, lambda: stale_tasks(app, at))
    _at_once(2, lambda: stale_tasks(app, at + timedelta(seconds=50)))   # 08:07:50: the same minute slot
    stale_tasks(app, at + timedelta(minutes=1))
    assert [r.period for r in _runs(engine, "stale_tasks")] == ["2026-03-25T08:07", "2026-03-25T08:08"]
    daily_reminders(app, at + timedelta(days=3, hours=1))                # more than three days on
    assert _runs(engine, "stale_tasks") == []
    assert {r.period for r in _runs(engine, "daily_reminders")} >= {"2026-03-05", "2026-03-28"}


def test_the_reminders_command_says_when_the_day_is_done_and_force_runs_it(lease_app):
    app, _ = lease_app
    runner = app.test_cli_runner()
    daily_reminders(app)   # today, by the real clock
    out = runner.invoke(args=["reminders"])
    assert out.exit_code == 0 and "已由其他进程执行，本次跳过" in out.output
    forced = runner.invoke(args=["reminders", "--force"])
    assert forced.exit_code == 0 and "已生成" in forced.output


def test_two_real_schedulers_on_one_database_run_a_due_job_once(lease_app, monkeypatch):
    """Two APScheduler schedulers (as on two servers) share the job table; the job falls due for both at once:
    APScheduler does not coordinate them, the lease does — one run for the minute, the other (if it fired) skipped."""
    import time as clock
    from zoneinfo import ZoneInfo

    from apscheduler.events import EVENT_JOB_EXECUTED

    from election import create_app
    from election.notifications import jobs

    app, engine = lease_app
    monkeypatch.setattr(jobs, "_scheduler_app", None)
    other = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": app.config["SECRET_KEY"],
                        "UPLOAD_DIR": app.config["UPLOAD_DIR"]})
    schedulers = [jobs.build_scheduler(a, blocking=False) for a in (app, other)]
    fired: list[str] = []
    try:
        for scheduler in schedulers:
            scheduler.add_listener(lambda event: fired.append(event.job_id), mask=EVENT_JOB_EXECUTED)
            scheduler.start()
        due = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=1)
        schedulers[0].modify_job("stale_tasks", next_run_time=due)
        for scheduler in schedulers:
            scheduler.wakeup()
        deadline = clock.monotonic() + 30
        while clock.monotonic() < deadline and not [r for r in _runs(engine, "stale_tasks") if r.finished_at]:
            clock.sleep(0.1)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
        other.extensions["election_db"].engine.dispose()
    runs = _runs(engine, "stale_tasks")
    assert len(runs) == 1 and runs[0].outcome == "ok: 0" and "stale_tasks" in fired
