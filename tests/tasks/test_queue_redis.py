"""The job queue on its real engine: a private redis-server, `election worker` processes, a database on disk.

A page's process queues the job; a separate worker process runs it and writes progress, result and file where the
page reads them (the database, the shared UPLOAD_DIR). A worker killed with SIGKILL in the middle of a job — paused
by the crash hook after the import has flushed its rows and audit entry, before the commit — loses nothing and
doubles nothing: the queue delivers the job again once it has missed the worker's heartbeat, the next worker runs it
from the start, and the list is stored exactly once. A job whose worker dies twice is failed with a message. With
Redis unreachable a start is refused with a message and the task is failed at once.
"""
from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.core.clock import utcnow
from tests.security import conftest as sec

pytestmark = pytest.mark.slow
TODAY = date(2026, 5, 6)
_NUMBER = itertools.count(1)


class Workers:
    """`election worker` processes of one test (each in its own process group), killed at the end."""

    def __init__(self, env: dict, tmp_path: Path):
        self.env, self.tmp_path, self.procs = env, tmp_path, []

    def start(self, *, crash_at: str | None = None) -> subprocess.Popen:
        env = dict(self.env)
        if crash_at:   # the crash hook pauses the job before its commit and writes the marker
            env.update(ELECTION_TESTING_CRASH_HOOKS="1", ELECTION_TESTING_CRASH_AT=crash_at,
                       ELECTION_TESTING_CRASH_MARKER=str(self.marker))
            cmd = [sys.executable, "-c", "from election.core.testing_hooks import create_hooked_app;"
                   "from election.tasks.queue import run_worker; run_worker(create_hooked_app(), 1)"]
        else:
            cmd = [str(sec.VENV_BIN / "election"), "worker", "--threads", "1"]
        log = (self.tmp_path / f"worker-{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(cmd, cwd=str(sec.PROJECT_DIR), env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    @property
    def marker(self) -> Path:
        return self.tmp_path / "paused"

    def kill(self, proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=20)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)


@pytest.fixture
def queue_world(request, tmp_path, redis_url, pg_server):
    url = sec.fresh_database("postgresql", request, tmp_path, f"election_queue_{next(_NUMBER)}")
    ids = sec.seed_nomination_race(url, 1)
    uploads = tmp_path / "uploads"
    env = {**os.environ, "ELECTION_DATABASE_URL": url, "ELECTION_QUEUE_URL": redis_url,
           "ELECTION_QUEUE_NAMESPACE": f"test{os.getpid()}-{tmp_path.name}", "ELECTION_UPLOAD_DIR": str(uploads),
           "ELECTION_SECRET_KEY": "queue-tests-secret-key-0123456789",
           # a silent worker is given up after 2 s, and every queue command looks for given-up workers' jobs
           "ELECTION_QUEUE_HEARTBEAT_SECONDS": "2", "ELECTION_QUEUE_MAINTENANCE_CHANCE": "1000000"}
    from election import create_app

    app = create_app({"DATABASE_URL": url, "QUEUE_URL": redis_url, "UPLOAD_DIR": str(uploads),
                      "QUEUE_NAMESPACE": env["ELECTION_QUEUE_NAMESPACE"], "QUEUE_HEARTBEAT_SECONDS": 2,
                      "QUEUE_MAINTENANCE_CHANCE": 1_000_000, "TESTING": True})
    workers = Workers(env, tmp_path)
    yield app, url, ids, workers, uploads
    workers.stop_all()
    from election.tasks.queue import queue_state

    queue_state(app).broker.close()


def _queue_import(app, ids) -> tuple[int, list[str]]:
    """The unit's handler uploads a big list: a task and its job on the queue (as the page does it)."""
    from election.accounts.models import User
    from election.core.db import db
    from election.tasks import queue, runner

    unit = ids["units"][0]
    data, names = sec.nominee_workbook(unit["index"], 6)
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.username == unit["username"]))
        task_id = runner.create_task(db.session, owner, "nominee_import", "上传推荐人选名单").id
        queue.enqueue(app, task_id, queue.job("nominee_import", election_unit_id=unit["eu"], data=data, today=TODAY,
                                              now=utcnow()))
    return task_id, names


def _task(url: str, task_id: int):
    from election.core.db import make_engine
    from election.nominations.models import Nominee
    from election.tasks.models import BackgroundTask

    engine = make_engine(url)
    with Session(engine) as s:
        t = s.get(BackgroundTask, task_id)
        row = {"status": t.status, "attempts": t.attempts, "message": t.message, "progress": t.progress,
               "result_path": t.result_path,
               "nominees": s.scalar(select(func.count()).select_from(Nominee))}
    engine.dispose()
    return row


def _wait(predicate, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"等待超时：{what}")


def test_a_worker_process_runs_the_job_and_leaves_the_file_in_the_shared_store(queue_world):
    app, url, ids, workers, uploads = queue_world
    task_id, names = _queue_import(app, ids)
    assert _task(url, task_id)["status"] == "queued"          # nothing runs in the page's process
    inputs = list((uploads / "tasks" / "inputs").iterdir())
    assert len(inputs) == 1                                   # the upload travels as a file, not in the message
    workers.start()
    done = _wait(lambda: (t := _task(url, task_id))["status"] == "done" and t, "任务完成")
    assert (done["attempts"], done["progress"], done["nominees"]) == (1, 100, len(names))
    assert (uploads / done["result_path"]).is_file()
    assert not inputs[0].exists()                             # the input is removed once the task has ended


def test_a_worker_killed_mid_job_is_delivered_again_and_the_list_stored_once(queue_world):
    app, url, ids, workers, uploads = queue_world
    task_id, names = _queue_import(app, ids)
    first = workers.start(crash_at="nominations.import")
    _wait(workers.marker.exists, "第一个任务进程在提交前暂停")
    workers.start()           # a second worker, idle, beside the busy one
    # a long job of a live worker is not taken from it: three heartbeat timeouts pass, the job stays where it is
    time.sleep(3 * 2)
    running = _task(url, task_id)
    assert (running["status"], running["attempts"], running["nominees"]) == ("running", 1, 0)
    workers.kill(first)                                       # SIGKILL mid-job: nothing committed
    done = _wait(lambda: (t := _task(url, task_id))["status"] == "done" and t, "重新投递后任务完成")
    assert (done["attempts"], done["nominees"]) == (2, len(names))   # run once more, stored exactly once
    assert (uploads / done["result_path"]).is_file()


def test_a_job_whose_worker_dies_twice_is_failed_with_a_message(queue_world):
    from election.tasks.queue import GAVE_UP

    app, url, ids, workers, uploads = queue_world
    task_id, _names = _queue_import(app, ids)
    for attempt in (1, 2):
        workers.marker.unlink(missing_ok=True)
        proc = workers.start(crash_at="nominations.import")
        _wait(workers.marker.exists, f"第{attempt}次执行在提交前暂停")
        workers.kill(proc)
    workers.start()
    failed = _wait(lambda: (t := _task(url, task_id))["status"] == "failed" and t, "任务判为失败")
    assert (failed["message"], failed["attempts"], failed["nominees"]) == (GAVE_UP, 2, 0)
    _wait(lambda: not any((uploads / "tasks" / "inputs").iterdir()), "输入文件被清理")


def test_redis_unreachable_refuses_the_start_and_fails_the_task(client, session, login_as, make_election, app,
                                                                 tmp_path):
    from election.tasks.models import BackgroundTask
    from election.tasks.queue import UNAVAILABLE

    app.config.update(QUEUE_URL=f"unix://{tmp_path / 'no-such.sock'}", UPLOAD_DIR=str(tmp_path))
    login_as("office")
    election = make_election()
    session.commit()
    response = client.post("/tasks/nominees-export", data={"election_id": election.id}, follow_redirects=True)
    assert UNAVAILABLE in response.get_data(as_text=True)
    session.expire_all()
    task = session.scalars(select(BackgroundTask).order_by(BackgroundTask.id.desc())).first()
    assert (task.status, task.message) == ("failed", UNAVAILABLE) and task.finished_at is not None
