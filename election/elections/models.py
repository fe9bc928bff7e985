from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base


class Election(Base):
    """One election (选举单位 electing its delegates), moving through the stages of docs/rules.md §2."""

    __tablename__ = "elections"
    __table_args__ = (
        CheckConstraint("seats > 0", name="seats_positive"),
        CheckConstraint("higher_nominated_seats >= 0", name="higher_seats_not_negative"),
        CheckConstraint("preset IN ('地方组织', '基层组织')", name="preset_known"),
        # 中止 always carries its reason
        CheckConstraint("(stage = 'aborted') = (abort_reason IS NOT NULL)", name="aborted_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(32), default="区")  # 选举层级
    electing_body: Mapped[str] = mapped_column(String(128), default="")  # 选举单位
    convening_body: Mapped[str] = mapped_column(String(128), default="")  # 召集/上级党委
    seats: Mapped[int]  # 应选名额 (不含上级提名)
    higher_nominated_seats: Mapped[int] = mapped_column(default=0)  # 上级党委提名名额, counted separately
    preset: Mapped[str] = mapped_column(String(8), default="地方组织")  # docs/rules.md §3.3
    age_reference_date: Mapped[date | None]  # 年龄计算基准日 (docs/rules.md §3.2)
    voters: Mapped[int | None]  # 应到会代表数
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # margins, name-order setting, office contact …
    categories: Mapped[dict] = mapped_column(JSON, default=dict)  # 身份类别 tree: parent -> children
    quota_rules: Mapped[list] = mapped_column(JSON, default=list)  # rule dicts (docs/quota-check.md format)
    stage: Mapped[str] = mapped_column(String(16), default="plan")
    abort_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the 选举单位 in the organisation directory that runs this election (None: an election from before levels,
    # seen only by users of the whole installation) and the upper committee's election it is part of, if any
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    congress_id: Mapped[int | None] = mapped_column(ForeignKey("congresses.id"), index=True)

    units = relationship("ElectionUnit", back_populates="election", order_by="ElectionUnit.id",
                         cascade="all, delete-orphan")
    dues = relationship("StageDue", order_by="StageDue.due_date", cascade="all, delete-orphan")

    # optimistic locking: two people advancing at once -> exactly one UPDATE matches
    __mapper_args__ = {"version_id_col": version}


class StageDue(Base):
    """The planned due date of one stage (the election's timeline)."""

    __tablename__ = "stage_dues"
    __table_args__ = (UniqueConstraint("election_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date]


class StageChange(Base):
    """Append-only stage history: who moved the election, when, from where to where and why."""

    __tablename__ = "stage_changes"
    __table_args__ = (
        CheckConstraint("kind IN ('advance', 'return', 'abort')", name="kind_known"),
        CheckConstraint("kind = 'advance' OR length(reason) > 0", name="return_abort_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    overdue_reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("User")


class ElectionDecision(Base):
    """A recorded decision the pipeline waits for: the deciding meeting of a step, the higher committee's
    consent to the 初步人选, the 批复 of the 预备人选 (docs/rules.md §2)."""

    __tablename__ = "election_decisions"
    __table_args__ = (
        UniqueConstraint("election_id", "kind"),
        CheckConstraint("kind IN ('shortlist', 'preliminary', 'confirm', 'higher_consent', 'approval')",
                        name="kind_known"),
        CheckConstraint("length(body) > 0 AND length(doc_number) > 0", name="body_and_number_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(String(128))  # 区委常委会 / 全委会 / 市委组织部 …
    held_on: Mapped[date]
    doc_number: Mapped[str] = mapped_column(String(64))  # 文号 or 会议纪要号
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
