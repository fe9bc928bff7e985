"""The embedded default (no ELECTION_QUEUE_URL, as `make demo` runs): the job goes through dramatiq's in-process
broker to worker threads of the same process, started with the first job — no server to run — and the page's
request returns before the work is done. The number of worker threads bounds how many jobs run at once."""
from __future__ import annotations

import threading
import time

from sqlalchemy import select

from election import create_app
from election.core.db import db
from election.models import Base
from election.tasks import queue, runner
from election.tasks.models import BackgroundTask


def _app(tmp_path, **config):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.db'}", "UPLOAD_DIR": str(tmp_path / "up"),
                      "TESTING": True, **config})
    Base.metadata.create_all(app.extensions["election_db"].engine)
    return app


def _owner(app):
    from election.accounts.models import User

    with app.app_context():
        user = User(username="embedded_clerk", display_name="选举办", role="office", password_hash="x")
        db.session.add(user)
        db.session.commit()
        return user.id


def test_jobs_run_in_worker_threads_of_the_process_bounded_by_their_number(tmp_path, monkeypatch):
    app = _app(tmp_path, QUEUE_WORKER_THREADS=1)
    owner_id = _owner(app)
    gate = threading.Event()
    running_at_once, now_running = [], [0]
    lock = threading.Lock()

    def slow_builder(label: str):
        def work(session, task_id, report):
            with lock:
                now_running[0] += 1
                running_at_once.append(now_running[0])
            gate.wait(30)
            report(50, "一半")
            with lock:
                now_running[0] -= 1
            return label.encode(), f"{label}.txt"
        return work

    monkeypatch.setattr(queue, "build_work", lambda name, kwargs: slow_builder(kwargs["label"]))
    ids = []
    with app.test_request_context():
        from election.accounts.models import User

        owner = db.session.get(User, owner_id)
        for label in ("甲", "乙"):
            task_id = runner.create_task(db.session, owner, "nominees_export", label, max_per_user=5).id
            queue.enqueue(app, task_id, queue.job("nominees_export", label=label))   # returns at once
            ids.append(task_id)
        state = queue.queue_state(app)
        assert state.embedded and state.worker is not None          # started with the first job, in this process

        def statuses():
            db.session.expire_all()
            seen = [db.session.get(BackgroundTask, i).status for i in ids]
            db.session.rollback()   # SQLite: do not hold the database while the workers write
            return seen

        deadline = time.monotonic() + 30
        while statuses() != ["running", "queued"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert statuses() == ["running", "queued"]                  # one thread: the second waits its turn
        gate.set()
        while statuses() != ["done", "done"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert statuses() == ["done", "done"]
        assert max(running_at_once) == 1
        rows = db.session.scalars(select(BackgroundTask).order_by(BackgroundTask.id)).all()
        db.session.rollback()
        assert [runner.result_file(app, t).read_bytes() for t in rows] == ["甲".encode(), "乙".encode()]
    queue.stop_embedded(app)


def test_a_job_whose_input_is_gone_fails_at_once_instead_of_being_retried(app, session, make_user, tmp_path):
    from pathlib import Path

    from election.core.clock import utcnow

    app.config["UPLOAD_DIR"] = str(tmp_path)
    owner = make_user("office")
    task_id = runner.create_task(session, owner, "delegate_import", "导入代表名册").id
    payload = queue.encode(app, task_id, {"data": b"PK-not-read", "now": utcnow()})
    (Path(tmp_path) / payload["data"]["file"]).unlink()       # the shared store lost the upload
    queue.perform(app, task_id, "delegate_import", payload)   # as a worker takes the message
    session.expire_all()
    task = session.get(BackgroundTask, task_id)
    assert (task.status, task.message, task.attempts) == ("failed", runner.INTERNAL_ERROR, 1)
    queue.perform(app, task_id, "delegate_import", payload)   # a second delivery finds it ended: nothing happens
    session.expire_all()
    assert session.get(BackgroundTask, task_id).attempts == 1
