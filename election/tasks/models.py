"""Background tasks: long work (bulk 登记表, exports, big imports) with progress and a result file."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base


class TaskStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    rejected = "rejected"  # the work ran to its end and refused the input: nothing saved, a file says why
    failed = "failed"

    @property
    def label(self) -> str:
        return {"queued": "排队中", "running": "正在处理", "done": "已完成", "rejected": "有错误，未保存",
                "failed": "失败"}[self.value]

    @property
    def has_file(self) -> bool:
        return self in (TaskStatus.done, TaskStatus.rejected)


class BackgroundTask(Base):
    """One piece of long work started by a user; only its owner may see it and download the result."""

    __tablename__ = "background_tasks"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'rejected', 'failed')", name="status_known"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_in_range"),
        # a finished task has its finish time; a task that ran to its end (done, or rejected its input) has its
        # file (the result, or the list of errors) and is at 100%
        CheckConstraint("(status IN ('done', 'rejected', 'failed')) = (finished_at IS NOT NULL)",
                        name="finished_has_time"),
        CheckConstraint("(status IN ('done', 'rejected')) = (result_path IS NOT NULL)", name="done_has_file"),
        CheckConstraint("status NOT IN ('done', 'rejected') OR progress = 100", name="done_is_complete"),
        CheckConstraint("(result_path IS NULL) = (download_name IS NULL)", name="file_has_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200), default="")      # Chinese, shown on the status page
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(8), default=TaskStatus.queued.value)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    result_path: Mapped[str | None] = mapped_column(String(500))       # relative to UPLOAD_DIR
    download_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # the working thread's last sign of life (every progress write, and a beat every HEARTBEAT_EVERY seconds): a
    # queued or running task without one for HEARTBEAT_TIMEOUT lost its worker (election.tasks.runner)
    heartbeat_at: Mapped[datetime | None]
    # how many times a worker took the job up: a job whose worker died is delivered again by the queue and run once
    # more (election.tasks.runner.MAX_ATTEMPTS), then marked failed
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")

    owner = relationship("User")

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label

    @property
    def active(self) -> bool:
        return self.status in (TaskStatus.queued, TaskStatus.running)

    @property
    def finished(self) -> bool:
        return self.status in (TaskStatus.done, TaskStatus.rejected, TaskStatus.failed)

    @property
    def has_file(self) -> bool:
        return TaskStatus(self.status).has_file
