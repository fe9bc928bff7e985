"""The organisation directory (组织机构): one tree of the party organisations the office works with, and the
推荐单位 and 党代表工作室 the elections and the term duties refer to, each linked to its place in the tree."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.db import Base

ORG_CATEGORIES = ("党委", "党工委", "党组", "党总支", "党支部", "党代表工作室")  # workflow.directory.tree.CATEGORIES


class Organisation(Base):
    """A party organisation in the directory tree: the 选举单位 at the top (no 上级), its 推荐单位, their 基层党组织,
    and the 党代表工作室. Never deleted once anything refers to it: retired (撤销) instead, and kept in history."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("category IN (" + ", ".join(f"'{c}'" for c in ORG_CATEGORIES) + ")", name="category_known"),
        CheckConstraint("grassroots_orgs >= 0 AND members >= 0", name="counts_not_negative"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("(retired_at IS NULL) = (retire_reason IS NULL)", name="retired_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)      # 编码
    name: Mapped[str] = mapped_column(String(128))                  # 名称
    category: Mapped[str] = mapped_column(String(16))               # 类别
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)  # 上级
    grassroots_orgs: Mapped[int] = mapped_column(default=0)         # 基层党组织数
    members: Mapped[int] = mapped_column(default=0)                 # 党员数
    contact_person: Mapped[str] = mapped_column(String(64), default="")   # 联系人
    contact_phone: Mapped[str] = mapped_column(String(32), default="")    # 联系电话
    retired_at: Mapped[datetime | None]
    retire_reason: Mapped[str | None] = mapped_column(Text)

    parent = relationship("Organisation", remote_side="Organisation.id")

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class Unit(Base):
    """A 推荐单位 (党工委, 直属党委 …): an organisation that lasts across elections. Its directory entry
    (organisation) is the one place it is edited; units from before the directory have none."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), unique=True, index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="")  # 党工委 / 直属党委 …
    grassroots_orgs: Mapped[int] = mapped_column(default=0)  # 基层党组织数
    members: Mapped[int] = mapped_column(default=0)  # 党员数

    organisation = relationship("Organisation")


class ElectionUnit(Base):
    """A unit's part in one election: its allocation and the state of its nominee list."""

    __tablename__ = "election_units"
    __table_args__ = (
        UniqueConstraint("election_id", "unit_id"),
        CheckConstraint("quota >= 0 AND report_count >= 0", name="counts_not_negative"),
        # 提交 is recorded with its time; an exemption always carries a reason
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"),
        CheckConstraint("(status = 'exempted') = (exemption_reason IS NOT NULL)", name="exempted_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    quota: Mapped[int] = mapped_column(default=0)  # 推荐名额
    report_count: Mapped[int] = mapped_column(default=0)  # 应上报人数 (差额)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)  # {"局级领导干部": 6, …}
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted | exempted
    submitted_at: Mapped[datetime | None]
    exemption_reason: Mapped[str | None] = mapped_column(Text)
    participating_orgs: Mapped[int | None]  # 参加推荐的基层党组织数
    participating_members: Mapped[int | None]  # 参加推荐的党员数
    summary_text: Mapped[str | None] = mapped_column(Text)  # 工作小结
    # 退回 by the office: edits allowed again until reopened_until even after the stage's due date
    reopened_until: Mapped[date | None]
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    # the last refused attempt to nominate people another unit already has (shown to the office only)
    duplicate_conflicts: Mapped[list | None] = mapped_column(JSON)

    election = relationship("Election", back_populates="units")
    unit = relationship("Unit", lazy="joined")


class DelegateOffice(Base):
    """党代表工作室 (镇/村/社区/行业); delegates of several levels may share one."""

    __tablename__ = "delegate_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    level: Mapped[str] = mapped_column(String(16), default="镇")
    address: Mapped[str] = mapped_column(String(256), default="")

    organisation = relationship("Organisation")
