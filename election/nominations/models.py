from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base


class Nominee(Base):
    """A person on a unit's nominee list (推荐人选) in one election."""

    __tablename__ = "nominees"
    __table_args__ = (
        # one person per unit list; the same person in two units is found by the service
        UniqueConstraint("election_unit_id", "id_number"),
        CheckConstraint("gender IN ('男', '女')", name="gender_known"),
        # how far the person has come: 推荐人选 → 考察对象 → 初步人选 → 预备人选; removal keeps its reason
        CheckConstraint("step IN ('nominated', 'shortlisted', 'preliminary', 'confirmed')", name="step_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    election_unit_id: Mapped[int] = mapped_column(ForeignKey("election_units.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # row order in the unit's list
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    birth_date: Mapped[date]
    native_place: Mapped[str] = mapped_column(String(64), default="")
    education: Mapped[str] = mapped_column(String(32), default="")
    party_join_date: Mapped[date | None]
    work_start_date: Mapped[date | None]
    workplace_title: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(32))
    remark: Mapped[str] = mapped_column(Text, default="")
    # printed on the 登记表 (election.documents.forms); optional, "" when not given (older lists)
    birthplace: Mapped[str] = mapped_column(String(64), default="", server_default="")
    health: Mapped[str] = mapped_column(String(32), default="", server_default="")
    professional_title: Mapped[str] = mapped_column(String(64), default="", server_default="")
    resume: Mapped[str] = mapped_column(Text, default="", server_default="")  # one period a line
    rewards: Mapped[str] = mapped_column(Text, default="", server_default="")
    step: Mapped[str] = mapped_column(String(16), default="nominated")
    removed_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    election_unit = relationship("ElectionUnit")
