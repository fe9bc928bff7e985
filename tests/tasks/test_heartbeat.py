"""Background work is bounded (per user and overall) and a task whose worker died is shown failed within minutes:
running with no heartbeat for runner.HEARTBEAT_TIMEOUT, or queued for runner.QUEUED_TIMEOUT with no worker taking it
→ 失败 with "任务因服务重启而中断，请重新发起。", from the status page, its JSON, the task list and the scheduler's minutely
job; a task that still beats stays running, a task waiting in the queue stays queued."""
from __future__ import annotations

from datetime import timedelta

import pytest

from election.core.clock import utcnow
from election.tasks import runner
from election.tasks.models import BackgroundTask

INTERRUPTED = "任务因服务重启而中断，请重新发起。"


def _running(session, owner, beat_ago: timedelta, title: str = "正在处理的任务") -> BackgroundTask:
    task = runner.create_task(session, owner, "demo", title)
    task.status = "running"
    task.heartbeat_at = utcnow() - beat_ago
    session.commit()
    return task


def test_a_task_without_heartbeat_shows_failed_on_its_status_json(client, session, login_as):
    owner = login_as("office")
    dead = _running(session, owner, timedelta(minutes=5))
    live = _running(session, owner, timedelta(seconds=20), "还在处理的任务")
    body = client.get(f"/tasks/{dead.id}.json").get_json()
    assert (body["status"], body["status_label"], body["message"], body["finished"]) == \
        ("failed", "失败", INTERRUPTED, True)
    body = client.get(f"/tasks/{live.id}.json").get_json()
    assert (body["status"], body["finished"]) == ("running", False)


def test_the_status_page_and_the_list_show_it_failed(client, session, login_as):
    owner = login_as("office")
    dead = _running(session, owner, timedelta(minutes=4))
    html = client.get("/tasks/").get_data(as_text=True)
    assert "失败" in html
    session.expire_all()
    assert session.get(BackgroundTask, dead.id).status == "failed"
    assert INTERRUPTED in client.get(f"/tasks/{dead.id}").get_data(as_text=True)


def test_the_timeout_boundary(session, make_user):
    owner = make_user("office")
    task = _running(session, owner, timedelta(0))
    beat = task.heartbeat_at
    assert runner.get_task(session, owner, task.id, now=beat + runner.HEARTBEAT_TIMEOUT).status == "running"
    failed = runner.get_task(session, owner, task.id, now=beat + runner.HEARTBEAT_TIMEOUT + timedelta(seconds=1))
    assert (failed.status, failed.message) == ("failed", INTERRUPTED) and failed.finished_at is not None
    assert runner.HEARTBEAT_TIMEOUT <= timedelta(minutes=5)


def test_a_queued_task_waits_its_turn_then_fails_when_no_worker_takes_it(session, make_user):
    owner = make_user("office")
    created = utcnow() - timedelta(minutes=10)
    task = runner.create_task(session, owner, "demo", "没开始的任务", now=created)
    assert runner.fail_stale_tasks(session, utcnow()) == 0          # waiting behind other jobs is no death
    assert runner.fail_stale_tasks(session, created + runner.QUEUED_TIMEOUT) == 0
    assert runner.fail_stale_tasks(session, created + runner.QUEUED_TIMEOUT + timedelta(seconds=1)) == 1
    session.expire_all()
    assert session.get(BackgroundTask, task.id).status == "failed"


def test_the_minutely_job_fails_dead_tasks_only(app, session, make_user):
    from election.notifications.jobs import stale_tasks

    owner = make_user("office")
    dead = _running(session, owner, timedelta(minutes=3, seconds=30)).id
    live = _running(session, owner, timedelta(seconds=30), "还在处理的任务").id
    now = utcnow()
    assert stale_tasks(app, now) == 1
    assert runner.fail_stale_tasks(session, now) == 0          # idempotent: a second look finds none
    session.expire_all()
    assert session.get(BackgroundTask, dead).status == "failed"
    assert session.get(BackgroundTask, live).status == "running"


def test_the_scheduler_runs_the_stale_job_every_minute(tmp_path):
    from election import create_app
    from election.notifications.jobs import build_scheduler

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.db'}"})
    scheduler = build_scheduler(app, blocking=False)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("stale_tasks")
        assert job is not None and job.trigger.interval == timedelta(minutes=1)
    finally:
        scheduler.shutdown(wait=False)


def test_progress_writes_stamp_the_heartbeat(app, session, make_user, tmp_path):
    app.config.update(TASKS_INLINE=True, UPLOAD_DIR=str(tmp_path))
    owner = make_user("office")
    task = runner.create_task(session, owner, "demo", "演示任务", now=utcnow() - timedelta(hours=1))
    beats = []

    def work(s, task_id, report):
        report(50, "一半")
        beats.append(s.get(BackgroundTask, task_id).heartbeat_at)
        return b"x", "x.txt"

    runner.run_task(app, task.id, work)
    assert beats[0] > utcnow() - timedelta(minutes=1)


def test_at_most_two_live_tasks_per_user(session, make_user):
    owner = make_user("office")
    _running(session, owner, timedelta(seconds=10))
    runner.create_task(session, owner, "demo", "第二个")
    with pytest.raises(runner.TaskLimitReached) as refused:
        runner.create_task(session, owner, "demo", "第三个")
    assert refused.value.message == "您已有2个任务在处理中，请等待完成后再发起。"
    make_user("office", username="other_clerk")          # someone else may still start
    runner.create_task(session, make_user("office", username="third_clerk"), "demo", "别人的任务")


def test_a_dead_task_does_not_count_against_the_limit(session, make_user):
    owner = make_user("office")
    _running(session, owner, timedelta(minutes=10))
    _running(session, owner, timedelta(minutes=10))
    runner.create_task(session, owner, "demo", "新任务")     # the two dead ones are not counted


def test_the_system_wide_limit(session, make_user):
    runner.create_task(session, make_user("office"), "demo", "甲的任务")
    with pytest.raises(runner.TaskLimitReached) as refused:
        runner.create_task(session, make_user("office"), "demo", "乙的任务", max_running=1)
    assert "已达上限" in refused.value.message


def test_the_page_refuses_a_third_start_with_the_message(client, session, login_as, make_election):
    owner = login_as("office")
    election = make_election()
    _running(session, owner, timedelta(seconds=10))
    _running(session, owner, timedelta(seconds=10))
    before = session.query(BackgroundTask).count()
    response = client.post("/tasks/nominees-export", data={"election_id": election.id}, follow_redirects=True)
    assert "您已有2个任务在处理中，请等待完成后再发起。" in response.get_data(as_text=True)
    assert session.query(BackgroundTask).count() == before
