"""A small background-task facility: long work runs in a thread of the web process.

The page never hangs: the view creates a ``BackgroundTask`` row (queued), starts the work here and redirects
to the status page, which polls ``/tasks/<id>.json``. The thread has its own application context and so its
own database session (the scoped session is per thread). A work function takes
``(session, task_id, report_progress)`` and returns ``(bytes, filename)`` or ``(bytes, filename, message)``
(the message shown when done, e.g. how many rows an import stored), or a ``Rejected`` when it read its input to
the end and refused it (nothing saved; the file lists the errors, row by row); ``report_progress(percent, message)``
writes the progress into the row and commits, so a work function should read what it needs, then report.
Results are stored under ``UPLOAD_DIR/tasks/``; a failure is recorded with its Chinese message.

Threads suit this deployment (one machine, a few clerks, minutes of work at most). A task whose process
stops mid-way stays "running"; ``fail_stale_tasks`` marks such rows failed at start-up or from a job.
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
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.clock import utcnow
from election.core.db import db, transaction
from election.core.exceptions import NotFound, ServiceError
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
STALE_AFTER = timedelta(hours=2)


def create_task(session: Session, owner, kind: str, title: str, now: datetime | None = None) -> BackgroundTask:
    """Queue a task for OWNER (one transaction + one audit entry)."""
    with transaction(session):
        task = BackgroundTask(kind=kind, title=title, owner_id=owner.id, status=TaskStatus.queued.value,
                              progress=0, message="已排队，等待开始", created_at=now or utcnow())
        session.add(task)
        session.flush()
        audit(session, owner, "task.start", task, summary=f"开始后台任务“{title}”", now=now)
    return task


def get_task(session: Session, actor, task_id: int) -> BackgroundTask:
    """The task if ACTOR owns it; anyone else is told it does not exist (owner-only)."""
    task = session.get(BackgroundTask, task_id)
    if task is None or actor is None or task.owner_id != getattr(actor, "id", None):
        raise NotFound("找不到该后台任务，或它不属于您。")
    return task


def recent_tasks(session: Session, owner_id: int, limit: int = 20) -> list[BackgroundTask]:
    return list(session.scalars(select(BackgroundTask).where(BackgroundTask.owner_id == owner_id)
                                .order_by(BackgroundTask.id.desc()).limit(limit)))


def result_file(app: Flask, task: BackgroundTask) -> Path:
    if not task.has_file or not task.result_path:
        raise NotFound("任务尚未完成，暂无可下载的文件。")
    path = Path(app.config["UPLOAD_DIR"]) / task.result_path
    if not path.is_file():
        raise NotFound("结果文件已不存在，请重新生成。")
    return path


def start_task(app: Flask, task_id: int, work: Work) -> threading.Thread | None:
    """Run WORK for the task in a daemon thread (``TASKS_INLINE`` runs it at once, in this thread)."""
    if app.config.get("TASKS_INLINE"):
        run_task(app, task_id, work)
        return None
    thread = threading.Thread(target=run_task, args=(app, task_id, work), name=f"task-{task_id}", daemon=True)
    thread.start()
    return thread


def _set(session: Session, task_id: int, **values) -> None:
    session.execute(update(BackgroundTask).where(BackgroundTask.id == task_id).values(**values))
    session.commit()


def run_task(app: Flask, task_id: int, work: Work) -> None:
    """The thread's body: running → progress … → done (file saved) or failed (message kept)."""
    from flask import current_app, has_app_context

    if has_app_context() and current_app._get_current_object() is app:   # TASKS_INLINE: keep the caller's
        _run(app, task_id, work)
        return
    with app.app_context():
        _run(app, task_id, work)


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
        _set(session, task_id, status=TaskStatus.running.value, message="正在处理…")
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
            message = "处理时发生内部错误，请稍后重试；如仍失败请联系管理员。"
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
    """Tasks left queued/running by a stopped process: mark them failed so nobody waits forever."""
    with transaction(session):
        result = session.execute(
            update(BackgroundTask)
            .where(BackgroundTask.status.in_((TaskStatus.queued.value, TaskStatus.running.value)),
                   BackgroundTask.created_at < now - STALE_AFTER)
            .values(status=TaskStatus.failed.value, message="任务因服务重启而中断，请重新发起。", finished_at=now))
    return result.rowcount or 0
