"""The job queue: background work runs in worker processes fed by dramatiq, not in threads of the web process.

A page queues a task (``runner.create_task``: the row, the limits, the audit entry) and then ``enqueue`` sends one
message, ``run_background_task(task_id, job, payload)``, naming a job of ``JOBS`` and its arguments as plain JSON;
an uploaded file travels as a file in the shared store (``UPLOAD_DIR/tasks/inputs``), never inside the message.

Where the messages go (docs/deploy.md §1.9):
- ``QUEUE_URL`` set (``redis://…`` or ``unix:///…/redis.sock``): Redis. Separate ``election worker`` processes, on any
  machine, take the work; a message is acknowledged only when its job has ended, so a job whose worker died is
  delivered again once the queue has missed the worker's heartbeat for ``QUEUE_HEARTBEAT_SECONDS``. It then runs once
  more from the start (every job is one transaction, or only reads) — at most ``MAX_ATTEMPTS`` times, then it is failed.
- unset (the embedded default, ``make demo``): dramatiq's in-process broker and a few worker threads in the same
  process, started at the first job. No server is needed; a restart loses the queued work, which the stale check marks
  failed (``runner.fail_stale_tasks``).
- ``TASKS_INLINE`` (tests): the job runs at once in the caller's thread.

Concurrency is bounded twice: admission (``runner.create_task``: per user and system-wide) and the worker threads
(``QUEUE_WORKER_THREADS`` per worker process).
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from pathlib import Path

from flask import Flask

from election.core.clock import utcnow
from election.core.db import db, transaction
from election.tasks import runner
from election.tasks.models import BackgroundTask, TaskStatus

log = logging.getLogger(__name__)

QUEUE_NAME = "election-tasks"
ACTOR_NAME = "run_background_task"
INPUT_DIR = "tasks/inputs"
MAX_ATTEMPTS = 2   # a job whose worker died runs once more, then it is failed
GAVE_UP = "任务处理进程多次中断，已停止；请重新发起，如仍失败请联系管理员。"
RETRYING = "处理进程中断，正在重新处理…"
TOO_LONG = "任务运行时间超过上限，已停止；请缩小范围后重新发起。"
UNAVAILABLE = "后台任务队列暂时不可用，任务未能开始，请稍后重试；如仍失败请联系管理员。"

# job name → "module:builder"; a builder takes the job's arguments and returns the work (runner.Work)
JOBS = {
    "registration_forms": "election.tasks.exports:registration_forms_work",
    "nominees_export": "election.tasks.exports:nominees_xlsx_work",
    "ranking_export": "election.tasks.bulk:ranking_xlsx_work",
    "delegate_import": "election.tasks.bulk:delegate_import_work",
    "nominee_import": "election.tasks.bulk:nominee_import_work",
}


class QueueUnavailable(RuntimeError):
    """The message could not be sent (Redis down): the task is failed at once with UNAVAILABLE."""


@dataclass(frozen=True)
class Job:
    """A job of JOBS and its arguments (ints, strings, bools, dates, datetimes, bytes)."""

    name: str
    kwargs: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.name not in JOBS:
            raise KeyError(f"unknown job {self.name!r}")


def job(name: str, **kwargs) -> Job:
    return Job(name, kwargs)


# --- arguments as JSON; bytes through the shared file store ------------------------------------------------------
def encode(app: Flask, task_id: int, kwargs: dict) -> dict:
    out = {}
    for key, value in kwargs.items():
        if isinstance(value, bytes):
            folder = Path(app.config["UPLOAD_DIR"]) / INPUT_DIR
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{task_id}-{secrets.token_hex(8)}.bin"
            (folder / name).write_bytes(value)
            out[key] = {"file": f"{INPUT_DIR}/{name}"}
        elif isinstance(value, datetime):
            out[key] = {"datetime": value.isoformat()}
        elif isinstance(value, date):
            out[key] = {"date": value.isoformat()}
        elif value is None or isinstance(value, bool | int | str):
            out[key] = value
        else:
            raise TypeError(f"job argument {key!r} of type {type(value).__name__} cannot be queued")
    return out


def decode(app: Flask, payload: dict) -> dict:
    out = {}
    for key, value in payload.items():
        if isinstance(value, dict) and "file" in value:
            out[key] = (Path(app.config["UPLOAD_DIR"]) / value["file"]).read_bytes()
        elif isinstance(value, dict) and "datetime" in value:
            out[key] = datetime.fromisoformat(value["datetime"])
        elif isinstance(value, dict) and "date" in value:
            out[key] = date.fromisoformat(value["date"])
        else:
            out[key] = value
    return out


def _remove_inputs(app: Flask, payload: dict) -> None:
    for value in payload.values():
        if isinstance(value, dict) and "file" in value:
            (Path(app.config["UPLOAD_DIR"]) / value["file"]).unlink(missing_ok=True)


def build_work(name: str, kwargs: dict) -> runner.Work:
    module, builder = JOBS[name].split(":")
    return getattr(import_module(module), builder)(**kwargs)


# --- the job as a worker runs it -----------------------------------------------------------------------------------
def _claim(session, task_id: int) -> bool:
    """Take the task up (one transaction, the row locked): False when it has ended meanwhile (a second delivery), or
    when it has been taken up MAX_ATTEMPTS times already (then it is failed)."""
    now = utcnow()
    with transaction(session):
        task = session.get(BackgroundTask, task_id, with_for_update=True, populate_existing=True)
        if task is None or not task.active:
            return False
        if task.attempts >= MAX_ATTEMPTS:
            task.status, task.message, task.finished_at = TaskStatus.failed.value, GAVE_UP, now
            return False
        task.message = RETRYING if task.attempts else "正在处理…"
        task.attempts += 1
        task.status, task.progress, task.heartbeat_at = TaskStatus.running.value, 0, now
    return True


def perform(app: Flask, task_id: int, name: str, payload: dict) -> None:
    """The body of the queue's one actor: claim the task, rebuild its work from the message, run it (with a heartbeat),
    and remove the uploaded input once the task has ended."""
    from flask import current_app, has_app_context

    if has_app_context() and current_app._get_current_object() is app:   # TASKS_INLINE: the caller's session
        _perform(app, task_id, name, payload, beating=False)
        return
    with app.app_context():
        _perform(app, task_id, name, payload, beating=True)


def _perform(app: Flask, task_id: int, name: str, payload: dict, *, beating: bool) -> None:
    from dramatiq.middleware.time_limit import TimeLimitExceeded

    session = db.session
    if not _claim(session, task_id):
        _end_inputs(app, session, task_id, payload)
        return
    try:
        work = build_work(name, decode(app, payload))
    except Exception:   # the message names what cannot be rebuilt (an input gone from the store): no retry helps
        log.exception("could not rebuild the job of task %s", task_id)
        session.rollback()
        runner.finish_failed(session, task_id, runner.INTERNAL_ERROR)
        _end_inputs(app, session, task_id, payload)
        return
    try:
        runner.run_task(app, task_id, work, beating=beating)
    except TimeLimitExceeded:
        session.rollback()
        runner.finish_failed(session, task_id, TOO_LONG)
    finally:
        _end_inputs(app, session, task_id, payload)


def _end_inputs(app: Flask, session, task_id: int, payload: dict) -> None:
    task = session.get(BackgroundTask, task_id, populate_existing=True)
    if task is None or task.finished:
        _remove_inputs(app, payload)


# --- the broker --------------------------------------------------------------------------------------------------
@dataclass
class QueueState:
    broker: object
    actor: object
    embedded: bool
    worker: object | None = None
    worker_pid: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def queue_state(app: Flask) -> QueueState:
    """The app's broker and actor, made once per process."""
    state = app.extensions.get("election_queue")
    if state is None:
        state = app.extensions.setdefault("election_queue", _make_state(app))
    return state


def _make_state(app: Flask) -> QueueState:
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker
    from dramatiq.brokers.stub import StubBroker

    url = app.config.get("QUEUE_URL") or ""
    if url:
        broker = RedisBroker(url=url, namespace=app.config.get("QUEUE_NAMESPACE", "election"),
                             heartbeat_timeout=int(float(app.config.get("QUEUE_HEARTBEAT_SECONDS", 15)) * 1000),
                             maintenance_chance=int(app.config.get("QUEUE_MAINTENANCE_CHANCE", 100_000)))
    else:
        broker = StubBroker()

    def run_background_task(task_id: int, name: str, payload: dict) -> None:
        perform(app, task_id, name, payload)

    # the work's own errors end the task (runner.run_task); what reaches dramatiq is the database or the store
    # failing before or after the work (busy, restarting): tried again a few times, a little later each time
    actor = dramatiq.actor(run_background_task, broker=broker, actor_name=ACTOR_NAME, queue_name=QUEUE_NAME,
                           max_retries=3, min_backoff=1000, max_backoff=30_000,
                           time_limit=int(app.config.get("QUEUE_TIME_LIMIT_MINUTES", 60)) * 60_000)
    return QueueState(broker, actor, embedded=not url)


def enqueue(app: Flask, task_id: int, the_job: Job) -> None:
    """Send the task's job to the queue (``QueueUnavailable`` when that fails: the task is then failed at once)."""
    payload = encode(app, task_id, the_job.kwargs)
    if app.config.get("TASKS_INLINE"):
        perform(app, task_id, the_job.name, payload)
        return
    state = queue_state(app)
    try:
        if state.embedded:
            _embedded_worker(app, state)
        state.actor.send(task_id, the_job.name, payload)
    except Exception as exc:
        log.exception("could not queue task %s", task_id)
        _remove_inputs(app, payload)
        runner.finish_failed(db.session, task_id, UNAVAILABLE)
        raise QueueUnavailable(UNAVAILABLE) from exc


def _worker(state: QueueState, threads: int):
    import dramatiq

    worker = dramatiq.Worker(state.broker, queues={QUEUE_NAME}, worker_threads=threads, worker_timeout=1000)
    worker.queue_prefetch = threads   # take no more than it can start: an idle worker elsewhere gets the rest
    return worker


def _embedded_worker(app: Flask, state: QueueState) -> None:
    """The embedded default: worker threads in this process, started with its first job (again after a fork)."""
    with state.lock:
        if state.worker is None or state.worker_pid != os.getpid():
            state.worker = _worker(state, int(app.config.get("QUEUE_WORKER_THREADS", 2)))
            state.worker.start()
            state.worker_pid = os.getpid()


def stop_embedded(app: Flask) -> None:
    state = app.extensions.get("election_queue")
    if state is not None and state.worker is not None and state.worker_pid == os.getpid():
        state.worker.stop(timeout=5000)
        state.worker = None


def run_worker(app: Flask, threads: int, stop: threading.Event | None = None) -> None:
    """`election worker`: take jobs from the Redis queue with THREADS threads until SIGTERM/SIGINT (or STOP), then
    finish the jobs in hand (their messages are acknowledged only then)."""
    state = queue_state(app)
    if state.embedded:
        raise RuntimeError("未设置 ELECTION_QUEUE_URL：后台任务在 Web 进程内执行，无需单独的任务进程。")
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    worker = _worker(state, threads)
    worker.start()
    log.info("worker started: %s threads on queue %s", threads, QUEUE_NAME)
    try:
        while not stop.wait(1):
            pass
    finally:
        worker.stop(timeout=int(app.config.get("QUEUE_STOP_SECONDS", 30)) * 1000)
        state.broker.close()
