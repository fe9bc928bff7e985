"""考察 (vetting), the two 公示 and the complaints received during them (docs/rules.md §2 stages 4–6, §3.5, §5)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base


class Vetting(Base):
    """One 考察对象's vetting record: the "四必" and the rest of docs/rules.md §5, and the conclusion."""

    __tablename__ = "vettings"
    __table_args__ = (
        CheckConstraint("file_audit IS NULL OR file_audit IN ('passed', 'issues')", name="file_audit_known"),
        # 档案审核发现问题 always says what
        CheckConstraint("file_audit IS NULL OR file_audit = 'passed' OR length(file_audit_note) > 0",
                        name="file_audit_issue_explained"),
        # 纪检机关意见: the text, who recorded it and when go together
        CheckConstraint("(discipline_opinion IS NULL) = (discipline_by_id IS NULL) AND "
                        "(discipline_opinion IS NULL) = (discipline_at IS NULL)", name="discipline_has_author"),
        CheckConstraint("appraisal_count IS NULL OR appraisal_count >= 0", name="appraisal_not_negative"),
        CheckConstraint("interview_count IS NULL OR interview_count >= 0", name="interviews_not_negative"),
        CheckConstraint("conclusion IS NULL OR conclusion IN ('passed', 'unfit')", name="conclusion_known"),
        # 不宜 always carries its reason; no conclusion, no reason and no time
        CheckConstraint("conclusion <> 'unfit' OR length(conclusion_reason) > 0", name="unfit_has_reason"),
        CheckConstraint("conclusion IS NOT NULL OR conclusion_reason IS NULL", name="reason_only_with_conclusion"),
        CheckConstraint("(conclusion IS NULL) = (concluded_at IS NULL)", name="concluded_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominees.id", ondelete="CASCADE"), unique=True)
    file_audit: Mapped[str | None] = mapped_column(String(8))            # 档案审核（三龄两历一身份）
    file_audit_note: Mapped[str] = mapped_column(Text, default="")
    discipline_opinion: Mapped[str | None] = mapped_column(Text)         # 纪检机关意见
    discipline_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    discipline_at: Mapped[datetime | None]
    petition_check: Mapped[str | None] = mapped_column(Text)             # 信访举报核查
    personal_report_check: Mapped[str | None] = mapped_column(Text)      # 个人有关事项报告查核（领导干部）
    appraisal_count: Mapped[int | None]                                  # 民主测评 参加人数
    interview_count: Mapped[int | None]                                  # 个别谈话 人数
    integrity_received: Mapped[bool] = mapped_column(default=False)      # 廉洁自律情况说明 已收到
    from_enterprise: Mapped[bool] = mapped_column(default=False)         # 企业人员
    regulator_opinion: Mapped[str | None] = mapped_column(Text)          # 行政执法/行业监管部门意见
    conclusion: Mapped[str | None] = mapped_column(String(8))            # 通过 / 不宜
    conclusion_reason: Mapped[str | None] = mapped_column(Text)
    concluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    concluded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    nominee = relationship("Nominee")
    discipline_by = relationship("User", foreign_keys=[discipline_by_id])


class InspectorAssignment(Base):
    """A 考察组 member assigned to a 考察对象; members may edit only the people assigned to them."""

    __tablename__ = "inspector_assignments"
    __table_args__ = (UniqueConstraint("nominee_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominees.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])


class Notice(Base):
    """A 公示: first = in one unit (one per unit), second = region-wide for the 初步人选 (docs/rules.md §2, §3.5)."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint("kind IN ('first', 'second')", name="kind_known"),
        # the first 公示 runs in each person's unit; the second is region-wide
        CheckConstraint("(kind = 'first') = (election_unit_id IS NOT NULL)", name="first_has_unit"),
        UniqueConstraint("election_id", "kind", "election_unit_id"),
        Index("uq_notices_second_once", "election_id", unique=True,
              sqlite_where=text("kind = 'second'"), postgresql_where=text("kind = 'second'")),
        CheckConstraint("status IN ('draft', 'published', 'ended')", name="status_known"),
        CheckConstraint("period_end >= posted_on", name="period_after_posting"),
        CheckConstraint("working_days > 0", name="working_days_positive"),
        # 草稿 → 已发布 → 已结束, each step with its time
        CheckConstraint("(status = 'draft') = (published_at IS NULL)", name="published_has_time"),
        CheckConstraint("(status = 'ended') = (ended_at IS NOT NULL)", name="ended_has_time"),
        CheckConstraint("length(office_phone) > 0 AND length(office_address) > 0 AND length(office_mailbox) > 0",
                        name="office_contact_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    election_unit_id: Mapped[int | None] = mapped_column(ForeignKey("election_units.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    posted_on: Mapped[date]
    working_days: Mapped[int] = mapped_column(default=5)
    period_end: Mapped[date]                      # last working day, computed with the calendar
    office_name: Mapped[str] = mapped_column(String(128))
    office_phone: Mapped[str] = mapped_column(String(64))
    office_address: Mapped[str] = mapped_column(String(256))
    office_mailbox: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    backdate_reason: Mapped[str | None] = mapped_column(Text)  # 补登理由: why the 发布日期 lies back (docs/rules.md §3.5)
    people_ids: Mapped[list | None] = mapped_column(JSON)  # who was on the notice when it was published
    published_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    election_unit = relationship("ElectionUnit")


class Complaint(Base):
    """A 反映/举报 received during a 公示, against one person: registered, assigned, checked, concluded."""

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("channel IN ('phone', 'letter', 'visit', 'email', 'other')", name="channel_known"),
        CheckConstraint("status IN ('registered', 'assigned', 'checking', 'closed')", name="status_known"),
        CheckConstraint("conclusion IS NULL OR conclusion IN ('true', 'partly', 'false', 'unverifiable')",
                        name="conclusion_known"),
        # a conclusion exactly when closed, with its time and effect
        CheckConstraint("(status = 'closed') = (conclusion IS NOT NULL)", name="closed_has_conclusion"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_has_time"),
        CheckConstraint("status = 'registered' OR status = 'closed' OR assigned_to_id IS NOT NULL",
                        name="assigned_has_person"),
        CheckConstraint("length(content) > 0", name="content_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("nominees.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    received_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    real_name: Mapped[bool] = mapped_column(default=False)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default="registered")
    findings: Mapped[str] = mapped_column(Text, default="")   # 核查情况
    conclusion: Mapped[str | None] = mapped_column(String(16))
    effect: Mapped[str] = mapped_column(Text, default="")     # 处理意见 / effect on the person
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notice = relationship("Notice")
    nominee = relationship("Nominee")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])
