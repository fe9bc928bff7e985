"""Background tasks: the row, the limits, running a piece of work with progress, the stale check.

The page never hangs: the view creates a ``BackgroundTask`` row (queued) and hands its job to the queue
(``election.tasks.queue``), then redirects to the status page, which polls ``/tasks/<id>.json``. A worker runs the
work here with its own database session. A work function takes ``(session, task_id, report_progress)`` and returns
``(bytes, filename)`` or ``(bytes, filename, message)`` (the message shown when done, e.g. how many rows an import
stored), or a ``Rejected`` when it read its input to the end and refused it (nothing saved; the file lists the errors,
row by row); ``report_progress(percent, message)`` writes the progress into the row and commits, so a work function
should read what it needs, then report. Results are stored under ``UPLOAD_DIR/tasks/`` (the shared file store); a
failure is recorded with its Chinese message.

Bounded: a user has at most MAX_PER_USER tasks queued or running and the system MAX_RUNNING (``TASKS_MAX_RUNNING`` in
the config); the next start is refused with a Chinese message before anything is written. A working task shows it is
alive: every progress write stamps ``heartbeat_at`` and a companion thread of the worker beats every HEARTBEAT_EVERY
seconds while the work runs. A running task with no beat for HEARTBEAT_TIMEOUT, or a task queued for QUEUED_TIMEOUT
without a worker taking it, has lost its worker: the status page, its JSON and the task list mark it failed when they
read it, and the scheduler's minutely job (``election.notifications.jobs.stale_tasks``) does so for everyone. (With the Redis queue a job
whose worker died is delivered again well before that and runs once more: ``election.tasks.queue``.)
"""
from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.clock import utcnow
from election.core.db import db, transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.tasks.models import BackgroundTask, TaskStatus
from workflow.common.results import DomainError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rejected:
    """The outcome of work that refused its input: the file of errors, its name, what the page says."""

    data: bytes
    filename: str
    message: str


ReportProgress = Callable[..., None]
Work = Callable[[Session, int, ReportProgress], tuple[bytes, str] | tuple[bytes, str, str] | Rejected]
TASK_DIR = "tasks"
HEARTBEAT_EVERY = 10  # seconds between two beats of a working task
HEARTBEAT_TIMEOUT = timedelta(minutes=1)  # six beats missed: the worker is gone
QUEUED_TIMEOUT = timedelta(minutes=30)  # queued this long and no worker took it: none is running
MAX_PER_USER = 2  # tasks queued or running per user
MAX_RUNNING = 6  # … and in the whole system (each may hold a workbook in memory); TASKS_MAX_RUNNING overrides
INTERRUPTED = "任务因服务重启而中断，请重新发起。"
INTERNAL_ERROR = "处理时发生内部错误，请稍后重试；如仍失败请联系管理员。"
ACTIVE = (TaskStatus.queued.value, TaskStatus.running.value)


class TaskLimitReached(Conflict):
    """A start refused because the user or the system has as many tasks in hand as allowed."""

    status = 429


def _stale(now: datetime):
    """Running without a beat for HEARTBEAT_TIMEOUT, or queued for QUEUED_TIMEOUT: its worker is gone."""
    beat = func.coalesce(BackgroundTask.heartbeat_at, BackgroundTask.created_at)
    return or_(and_(BackgroundTask.status == TaskStatus.running.value, beat < now - HEARTBEAT_TIMEOUT),
               and_(BackgroundTask.status == TaskStatus.queued.value, BackgroundTask.created_at < now - QUEUED_TIMEOUT))


def _alive(now: datetime):
    """Queued or running, and not stale."""
    return and_(BackgroundTask.status.in_(ACTIVE), ~_stale(now))


def create_task(session: Session, owner, kind: str, title: str, now: datetime | None = None, *,
                max_running: int = MAX_RUNNING, max_per_user: int = MAX_PER_USER) -> BackgroundTask:
    """Queue a task for OWNER (one transaction + one audit entry); ``TaskLimitReached`` when OWNER already has
    MAX_PER_USER live tasks or the system MAX_RUNNING (a task whose worker died does not count)."""
    from election.accounts.models import User

    now = now or utcnow()
    with transaction(session):
        # one start at a time per user (PostgreSQL: the second waits here, then counts the first)
        session.execute(select(User.id).where(User.id == owner.id).with_for_update())
        mine = session.scalar(select(func.count()).select_from(BackgroundTask)
                              .where(_alive(now), BackgroundTask.owner_id == owner.id)) or 0
        if mine >= max_per_user:
            raise TaskLimitReached(f"您已有{mine}个任务在处理中，请等待完成后再发起。")
        overall = session.scalar(select(func.count()).select_from(BackgroundTask).where(_alive(now))) or 0
        if overall >= max_running:
            raise TaskLimitReached(f"系统正在处理{overall}个后台任务，已达上限，请过几分钟再发起。")
        task = BackgroundTask(kind=kind, title=title, owner_id=owner.id, status=TaskStatus.queued.value,
                              progress=0, message="已排队，等待开始", created_at=now, heartbeat_at=now)
        session.add(task)
        session.flush()
        audit(session, owner, "task.start", task, summary=f"开始后台任务“{title}”", now=now)
    return task


def get_task(session: Session, actor, task_id: int, now: datetime | None = None) -> BackgroundTask:
    """The task if ACTOR owns it (a task whose worker died is marked failed first); anyone else is told it does not
    exist (owner-only)."""
    task = session.get(BackgroundTask, task_id)
    if task is None or actor is None or task.owner_id != getattr(actor, "id", None):
        raise NotFound("找不到该后台任务，或它不属于您。")
    if task.active and _fail_stale(session, now or utcnow(), BackgroundTask.id == task.id):
        session.refresh(task)
    return task


def recent_tasks(session: Session, owner_id: int, limit: int = 20, now: datetime | None = None) -> list[BackgroundTask]:
    _fail_stale(session, now or utcnow(), BackgroundTask.owner_id == owner_id)
    return list(session.scalars(select(BackgroundTask).where(BackgroundTask.owner_id == owner_id)
                                .order_by(BackgroundTask.id.desc()).limit(limit)))


def result_file(app: Flask, task: BackgroundTask) -> Path:
    if not task.has_file or not task.result_path:
        raise NotFound("任务尚未完成，暂无可下载的文件。")
    path = Path(app.config["UPLOAD_DIR"]) / task.result_path
    if not path.is_file():
        raise NotFound("结果文件已不存在，请重新生成。")
    return path


def _run_beating(app: Flask, task_id: int, work: Work) -> None:
    """_run, with a companion thread stamping the heartbeat while it works."""
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(app, task_id, stop), name=f"task-{task_id}-beat", daemon=True)
    beat.start()
    try:
        _run(app, task_id, work)
    finally:
        stop.set()


def _beat(app: Flask, task_id: int, stop: threading.Event) -> None:
    with app.app_context():   # its own session
        session = db.session
        while not stop.wait(HEARTBEAT_EVERY):
            try:
                session.execute(update(BackgroundTask)
                                .where(BackgroundTask.id == task_id, BackgroundTask.status.in_(ACTIVE))
                                .values(heartbeat_at=utcnow()))
                session.commit()
            except Exception:  # a busy database: the next beat tries again
                session.rollback()
                log.warning("could not record the heartbeat of task %s", task_id, exc_info=True)


def _set(session: Session, task_id: int, **values) -> None:
    session.execute(update(BackgroundTask).where(BackgroundTask.id == task_id)
                    .values(heartbeat_at=utcnow(), **values))
    session.commit()


def run_task(app: Flask, task_id: int, work: Work, *, beating: bool = False) -> None:
    """Run WORK for the task: running → progress … → done (file saved) or failed (message kept). A worker runs it
    BEATING (a companion thread stamps the heartbeat); inline runs (tests) keep the caller's app context."""
    from flask import current_app, has_app_context

    body = _run_beating if beating else _run
    if has_app_context() and current_app._get_current_object() is app:
        body(app, task_id, work)
        return
    with app.app_context():
        body(app, task_id, work)


def finish_failed(session: Session, task_id: int, message: str) -> None:
    """Record that the task failed with MESSAGE (when it has not ended already)."""
    session.execute(update(BackgroundTask)
                    .where(BackgroundTask.id == task_id, BackgroundTask.status.in_(ACTIVE))
                    .values(status=TaskStatus.failed.value, message=message, finished_at=utcnow()))
    session.commit()


def _run(app: Flask, task_id: int, work: Work) -> None:
    session = db.session
    last = {"percent": -1}

    def report_progress(percent: int, message: str = "") -> None:
        pct = max(0, min(99, int(percent)))    # 100 is written together with the file
        if pct == last["percent"] and not message:
            return
        last["percent"] = pct
        values = {"progress": pct}
        if message:
            values["message"] = message
        _set(session, task_id, **values)

    try:
        _set(session, task_id, status=TaskStatus.running.value)
        outcome = work(session, task_id, report_progress)
        if isinstance(outcome, Rejected):
            status, (data, filename, message) = TaskStatus.rejected, (outcome.data, outcome.filename, outcome.message)
        else:
            data, filename, *note = outcome
            status, message = TaskStatus.done, note[0] if note else "已完成，可以下载。"
        relative = _save(app, task_id, data, filename)
        _set(session, task_id, status=status.value, progress=100, message=message, result_path=relative,
             download_name=filename, finished_at=utcnow())
    except Exception as exc:
        session.rollback()
        if isinstance(exc, ServiceError | DomainError):
            message = exc.message if isinstance(exc, ServiceError) else str(exc)
        else:
            log.exception("background task %s failed", task_id)
            message = INTERNAL_ERROR
        try:
            _set(session, task_id, status=TaskStatus.failed.value, message=message, finished_at=utcnow())
        except Exception:
            session.rollback()
            log.exception("could not record the failure of task %s", task_id)


def _save(app: Flask, task_id: int, data: bytes, filename: str) -> str:
    folder = Path(app.config["UPLOAD_DIR"]) / TASK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(filename).suffix.lower()[:10] if Path(filename).suffix.isascii() else ""
    name = f"{task_id}-{secrets.token_hex(8)}{suffix}"
    (folder / name).write_bytes(data)
    return f"{TASK_DIR}/{name}"


def fail_stale_tasks(session: Session, now: datetime) -> int:
    """Tasks left queued/running by a stopped process (no heartbeat for HEARTBEAT_TIMEOUT): mark them failed so nobody
    waits forever. Idempotent; the scheduler runs it every minute."""
    return _fail_stale(session, now)


def _fail_stale(session: Session, now: datetime, *where) -> int:
    with transaction(session):
        result = session.execute(
            update(BackgroundTask).where(_stale(now), *where)
            .values(status=TaskStatus.failed.value, message=INTERRUPTED, finished_at=now))
    return result.rowcount or 0
