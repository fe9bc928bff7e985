"""In-app notifications (提醒), one row per user and reminder, e-mailed when SMTP is set."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from election.core.clock import utcnow
from election.core.db import Base


class Notification(Base):
    """An in-app reminder for one user; `dedup_key` makes the daily job idempotent."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "dedup_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class SchedulerRun(Base):
    """The lease of one scheduled run: whichever scheduler process inserts (job, period) first runs the job for that
    period; every other one, on any server, finds the row and skips (election.notifications.leases)."""

    __tablename__ = "scheduler_runs"
    __table_args__ = (UniqueConstraint("job", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))     # the local day (daily jobs) or the minute slot (interval jobs)
    holder: Mapped[str] = mapped_column(String(120))    # host:pid of the process that took the run
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(Text, default="")
