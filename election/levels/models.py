"""Between levels (docs/rules.md §8): the upper committee's election and its 选举单位, the packages a 选举单位
reports up and the decisions that come down, and the upper committee's own nominees."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base

REPORT_KINDS = ("consent", "approval", "result")  # 初步人选（同意）· 预备人选（初步审查、批复）· 选举结果（上报）
REPORT_STATUSES = ("submitted", "reviewed", "approved", "returned")


def _known(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")", name=name)


class Congress(Base):
    """The upper committee's election (出席市第十二次党代会代表选举): the parent of its 选举单位' elections. It holds
    the congress's seats and its structure requirements over all of them, and the timeline the children follow."""

    __tablename__ = "congresses"
    __table_args__ = (CheckConstraint("seats > 0", name="seats_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)  # the upper committee
    seats: Mapped[int]                                         # 代表名额 of the whole congress (e.g. 760)
    age_reference_date: Mapped[date | None]                    # 年龄计算基准日 of the congress-wide requirements
    categories: Mapped[dict] = mapped_column(JSON, default=dict)   # 身份类别 tree the children receive
    quota_rules: Mapped[list] = mapped_column(JSON, default=list)  # requirements over all seats (quota-check format)
    timeline: Mapped[dict] = mapped_column(JSON, default=dict)     # stage -> "YYYY-MM-DD", the children's due dates
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    organisation = relationship("Organisation")
    units = relationship("CongressUnit", back_populates="congress", order_by="CongressUnit.id",
                         cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class CongressUnit(Base):
    """One 选举单位's allocation from the congress: its seats (不含上级提名), the 上级提名 seats assigned to it, its
    structure requirements; and the election in which it fills them, once that election exists."""

    __tablename__ = "congress_units"
    __table_args__ = (
        UniqueConstraint("congress_id", "organisation_id"),
        CheckConstraint("seats > 0 AND higher_seats >= 0", name="seats_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)  # the 选举单位
    election_id: Mapped[int | None] = mapped_column(ForeignKey("elections.id"), unique=True)
    seats: Mapped[int]
    higher_seats: Mapped[int] = mapped_column(default=0)
    quota_rules: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    congress = relationship("Congress", back_populates="units")
    organisation = relationship("Organisation", lazy="joined")
    election = relationship("Election")


class UpwardReport(Base):
    """A package a 选举单位 reports up — the list with its documents — and the upper committee's decision on it.

    consent: the 初步人选, for the upper committee's 同意 before the second 公示;
    approval: the 预备人选, 初步审查 (reviewed) then 批复 (approved, with its 文号);
    result: the election's result, received (approved) by the upper committee.
    A returned package stays as it was; the 选举单位 reports again as the next attempt."""

    __tablename__ = "upward_reports"
    __table_args__ = (
        UniqueConstraint("election_id", "kind", "attempt"),
        _known("kind", REPORT_KINDS, "kind_known"),
        _known("status", REPORT_STATUSES, "status_known"),
        CheckConstraint("(status = 'returned') = (return_reason IS NOT NULL)", name="returned_has_reason"),
        CheckConstraint("status <> 'approved' OR decided_at IS NOT NULL", name="approved_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int] = mapped_column(default=1)                  # 第几次报送
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    people: Mapped[list] = mapped_column(JSON, default=list)         # the list as submitted (frozen)
    documents: Mapped[list] = mapped_column(JSON, default=list)      # the documents the package carries
    cover_note: Mapped[str] = mapped_column(Text, default="")        # the 选举单位's 报送说明
    unit_doc_number: Mapped[str] = mapped_column(String(64), default="", server_default="")  # 选举单位's own 文号
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]                             # 初步审查
    review_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decided_on: Mapped[date | None]                                  # 批复/同意/收到 date (the decision's own date)
    doc_number: Mapped[str] = mapped_column(String(64), default="")  # 批复/同意 文号
    decision_note: Mapped[str] = mapped_column(Text, default="")
    return_reason: Mapped[str | None] = mapped_column(Text)

    items = relationship("UpwardReportItem", order_by="UpwardReportItem.id", cascade="all, delete-orphan")
    election = relationship("Election")


class UpwardReportItem(Base):
    """The upper committee's word on one person of a package, when it returns a list for some of them."""

    __tablename__ = "upward_report_items"
    __table_args__ = (
        UniqueConstraint("report_id", "person_key"),
        CheckConstraint("decision IN ('approved', 'returned')", name="decision_known"),
        CheckConstraint("decision = 'approved' OR length(reason) > 0", name="returned_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("upward_reports.id", ondelete="CASCADE"), index=True)
    person_key: Mapped[str] = mapped_column(String(32))  # "n<nominee id>" or "h<higher nominee id>"
    name: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")


class CongressNominee(Base):
    """A candidate the upper committee nominates itself (市委提名人选), assigned to one 选举单位: he or she stands on
    that 选举单位's ballot as its 上级提名人选 (the linked HigherNominee), and the result comes back from there."""

    __tablename__ = "congress_nominees"
    __table_args__ = (
        UniqueConstraint("congress_id", "name", "birth_date"),
        CheckConstraint("gender IN ('男', '女')", name="gender_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(16), default="汉族")
    birth_date: Mapped[date]
    category: Mapped[str] = mapped_column(String(32), default="")
    workplace_title: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    congress_unit_id: Mapped[int | None] = mapped_column(ForeignKey("congress_units.id"), index=True)
    higher_nominee_id: Mapped[int | None] = mapped_column(ForeignKey("higher_nominees.id", ondelete="SET NULL"),
                                                          unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    congress_unit = relationship("CongressUnit")
