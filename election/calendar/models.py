"""The admin's holiday table: the days that differ from the bundled calendar (工作日历)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from election.core.db import Base


class CalendarDay(Base):
    """An admin-entered holiday or 调休 working day; it overrides the chinese-calendar package for its year.
    A year is overridden as a whole as soon as one of its days is entered."""

    __tablename__ = "calendar_days"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(64), default="")
