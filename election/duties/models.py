"""代表任期履职: delegates in their term, duty rule sets, activities, petitions, proposals, review.

CHECK constraints tie fields to state (Indico style): a status other than 在任 carries its decision record, a
returned activity its reason, a reviewed activity its reviewer and time, a decided nomination its decider.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base

LEVELS = ("市", "区", "镇")
GROUP_ROLES = ("组长", "副组长")


class TermDelegate(Base):
    """A delegate serving a congress term (from an election in the product, or imported)."""

    __tablename__ = "term_delegates"
    __table_args__ = (
        CheckConstraint("level IN ('市', '区', '镇')", name="level_known"),
        CheckConstraint("gender IN ('男', '女')", name="gender_known"),
        CheckConstraint("group_role IS NULL OR group_role IN ('组长', '副组长')", name="group_role_known"),
        CheckConstraint("group_role IS NULL OR length(group_name) > 0", name="group_role_has_group"),
        CheckConstraint("status IN ('serving', 'terminated', 'suspended')", name="status_known"),
        # 来源: docs/rules.md §6 — a status change needs the committee's decision (reason, issuer, 文号, date)
        CheckConstraint("(status = 'serving') = (status_reason IS NULL)", name="status_has_reason"),
        CheckConstraint("(status_reason IS NULL) = (status_doc_no IS NULL) AND (status_reason IS NULL) = "
                        "(status_decided_on IS NULL) AND (status_reason IS NULL) = (status_issuer IS NULL)",
                        name="status_has_decision"),
        # a 补选 fills only a vacant seat (资格终止)
        CheckConstraint("by_election_id IS NULL OR status = 'terminated'", name="by_election_needs_vacancy"),
        CheckConstraint("term_end >= term_start", name="term_ordered"),
        UniqueConstraint("name", "congress", "electing_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date | None]
    ethnicity: Mapped[str] = mapped_column(String(32), default="")
    level: Mapped[str] = mapped_column(String(2))  # 市 / 区 / 镇
    congress: Mapped[str] = mapped_column(String(128))  # 区第十二次党代会
    term_start: Mapped[date]
    term_end: Mapped[date]
    electing_unit: Mapped[str] = mapped_column(String(128), default="")  # 选举单位 (as written)
    electing_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    workplace: Mapped[str] = mapped_column(String(200), default="")  # 工作单位及职务
    native_place: Mapped[str] = mapped_column(String(64), default="")  # 籍贯
    party_join_date: Mapped[date | None]  # 入党时间 (month precision: the 1st)
    work_start_date: Mapped[date | None]  # 参加工作时间 (month precision: the 1st)
    education: Mapped[str] = mapped_column(String(32), default="")  # 学历
    category: Mapped[str] = mapped_column(String(32), default="")  # 身份类别 (as the election counted it)
    phone: Mapped[str] = mapped_column(String(32), default="")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("delegate_offices.id"), index=True)
    group_name: Mapped[str] = mapped_column(String(64), default="")  # 代表小组
    group_role: Mapped[str | None] = mapped_column(String(8))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    # voting.delegates.id when elected in the product (no FK on purpose); one term delegate per elected person
    source_delegate_id: Mapped[int | None] = mapped_column(index=True, unique=True)
    status: Mapped[str] = mapped_column(String(16), default="serving")
    status_reason: Mapped[str | None] = mapped_column(String(32))
    status_issuer: Mapped[str | None] = mapped_column(String(128))
    status_doc_no: Mapped[str | None] = mapped_column(String(64))
    status_decided_on: Mapped[date | None]
    by_election_id: Mapped[int | None] = mapped_column(ForeignKey("elections.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    office = relationship("DelegateOffice", lazy="joined")


class DelegateStatusChange(Base):
    """Append-only history of status changes, each with the committee's decision record."""

    __tablename__ = "delegate_status_changes"
    __table_args__ = (
        CheckConstraint("to_status IN ('terminated', 'suspended')", name="to_status_known"),
        CheckConstraint("length(reason) > 0 AND length(issuer) > 0 AND length(doc_no) > 0", name="decision_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    issuer: Mapped[str] = mapped_column(String(128))
    doc_no: Mapped[str] = mapped_column(String(64))
    decided_on: Mapped[date]
    filed_upward_to: Mapped[str] = mapped_column(String(128), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DutyRuleSetVersion(Base):
    """One version of a rule set, stored as JSON; in force from ``version_from`` (past scores never change)."""

    __tablename__ = "duty_ruleset_versions"
    __table_args__ = (UniqueConstraint("code", "version_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(64))
    version_from: Mapped[date]
    data: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfficeRuleAssignment(Base):
    """Which rule set applies to an office, or to a level (市/区/镇) when the office has none."""

    __tablename__ = "duty_rule_assignments"
    __table_args__ = (
        CheckConstraint("(office_id IS NULL) <> (level IS NULL)", name="office_or_level"),
        UniqueConstraint("office_id"),
        UniqueConstraint("level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("delegate_offices.id", ondelete="CASCADE"))
    level: Mapped[str | None] = mapped_column(String(2))
    ruleset_code: Mapped[str] = mapped_column(String(32))


class ActivityRecord(Base):
    """A logged duty activity; waits as 待核实 until office staff verify or return it."""

    __tablename__ = "duty_activities"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'verified', 'returned')", name="status_known"),
        CheckConstraint("role IN ('lead', 'co_signer')", name="role_known"),
        CheckConstraint("(status = 'returned') = (return_reason IS NOT NULL)", name="returned_has_reason"),
        CheckConstraint("(status = 'pending') = (verified_at IS NULL)", name="reviewed_has_time"),
        Index("ix_duty_activities_on_delegate", "on", "delegate_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id", ondelete="CASCADE"), index=True)
    type_code: Mapped[str] = mapped_column(String(32))
    on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[str] = mapped_column(String(500), default="")  # 参与人员 / 服务对象
    status: Mapped[str] = mapped_column(String(16), default="pending")
    return_reason: Mapped[str | None] = mapped_column(Text)
    grade: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16), default="lead")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("duty_petitions.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("duty_proposals.id", ondelete="CASCADE"))

    delegate = relationship("TermDelegate", lazy="joined")
    attachments = relationship("ActivityAttachment", order_by="ActivityAttachment.id", cascade="all, delete-orphan")


class ActivityAttachment(Base):
    """A photo or file of an activity, stored under UPLOAD_DIR with a random name."""

    __tablename__ = "duty_attachments"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("duty_activities.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]


PETITION_STATES = ("registered", "received", "processing", "replied", "feedback", "archived")


class Petition(Base):
    """群众诉求, six steps 登记 → 接待 → 处理 → 回复 → 反馈 → 归档 (workflow.duties.petitions)."""

    __tablename__ = "duty_petitions"
    __table_args__ = (
        CheckConstraint("state IN ('registered', 'received', 'processing', 'replied', 'feedback', 'archived')",
                        name="state_known"),
        CheckConstraint("state = 'registered' OR received_at IS NOT NULL", name="received_has_time"),
        CheckConstraint("state IN ('registered', 'received') OR processing_at IS NOT NULL",
                        name="processing_has_time"),
        CheckConstraint("state NOT IN ('replied', 'feedback', 'archived') OR replied_at IS NOT NULL",
                        name="replied_has_time"),
        CheckConstraint("state NOT IN ('feedback', 'archived') OR feedback_at IS NOT NULL", name="feedback_has_time"),
        CheckConstraint("(state = 'archived') = (archived_at IS NOT NULL)", name="archived_has_time"),
        CheckConstraint("grade IS NULL OR grade IN ('very_satisfied', 'satisfied', 'unsatisfied')",
                        name="grade_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("delegate_offices.id"), index=True)
    delegate_id: Mapped[int | None] = mapped_column(ForeignKey("term_delegates.id"), index=True)  # 代理/办理代表
    resident_name: Mapped[str] = mapped_column(String(64))
    resident_phone: Mapped[str] = mapped_column(String(32), default="")
    content: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="registered")
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]
    processing_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    feedback_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    receiver: Mapped[str] = mapped_column(String(64), default="")
    handler: Mapped[str] = mapped_column(String(128), default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[str | None] = mapped_column(String(16))
    feedback_note: Mapped[str] = mapped_column(Text, default="")
    archive_note: Mapped[str] = mapped_column(Text, default="")
    return_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    delegate = relationship("TermDelegate", lazy="joined")


class Proposal(Base):
    """提案/提议: lead delegate and co-signers; 案由、案据、方案; handling unit, its reply, the assessment."""

    __tablename__ = "duty_proposals"
    __table_args__ = (
        CheckConstraint("kind IN ('proposal', 'motion')", name="kind_known"),
        CheckConstraint("assessment IS NULL OR assessment IN ('very_satisfied', 'satisfied', 'unsatisfied')",
                        name="assessment_known"),
        CheckConstraint("assessment IS NULL OR replied_on IS NOT NULL", name="assessed_after_reply"),
        CheckConstraint("(replied_on IS NULL) = (length(reply) = 0)", name="reply_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="proposal")  # 提案 / 提议
    lead_delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))  # 案由
    grounds: Mapped[str] = mapped_column(Text)  # 案据
    solution: Mapped[str] = mapped_column(Text)  # 方案
    submitted_on: Mapped[date]
    handling_unit: Mapped[str] = mapped_column(String(128), default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_on: Mapped[date | None]
    assessment: Mapped[str | None] = mapped_column(String(16))
    # at a session of the congress (年会): its 立案 review (待审查/立案/不立案/转为建议, a reason for the last two),
    # and the deadline given to the 承办单位; between sessions all of these stay empty
    session_id: Mapped[int | None] = mapped_column(ForeignKey("assembly_sessions.id"), index=True)
    filing: Mapped[str | None] = mapped_column(String(12))
    filing_reason: Mapped[str] = mapped_column(Text, default="")
    filed_at: Mapped[datetime | None]
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reply_due_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lead = relationship("TermDelegate", lazy="joined")
    cosigners = relationship("ProposalCosigner", cascade="all, delete-orphan")


class ProposalCosigner(Base):
    __tablename__ = "duty_proposal_cosigners"
    __table_args__ = (UniqueConstraint("proposal_id", "delegate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("duty_proposals.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id"), index=True)


class AnnualSummary(Base):
    """个人履职总结 (凤县: by mid-December)."""

    __tablename__ = "duty_annual_summaries"
    __table_args__ = (UniqueConstraint("delegate_id", "year"), CheckConstraint("length(text) > 0", name="text_given"))

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


RATINGS = ("优秀", "良好", "合格", "不合格")


class ReviewRating(Base):
    """One part of the 履职纪实表, rated by its body (凤县: 组织部/镇党委, 镇党委, 所在单位)."""

    __tablename__ = "duty_review_ratings"
    __table_args__ = (
        UniqueConstraint("delegate_id", "year", "part_code"),
        CheckConstraint("rating IN ('优秀', '良好', '合格', '不合格')", name="rating_known"),
        CheckConstraint("length(rated_by_body) > 0", name="body_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    part_code: Mapped[str] = mapped_column(String(32))
    rating: Mapped[str] = mapped_column(String(8))
    rated_by_body: Mapped[str] = mapped_column(String(128))
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModelNomination(Base):
    """模范履职党代表: a unit proposes (≤ 25%, rounded down), the 组织部 decides."""

    __tablename__ = "duty_model_nominations"
    __table_args__ = (
        UniqueConstraint("year", "delegate_id"),
        CheckConstraint("decision IN ('pending', 'approved', 'rejected')", name="decision_known"),
        CheckConstraint("(decision = 'pending') = (decided_at IS NULL)", name="decided_has_time"),
        CheckConstraint("(decision = 'pending') = (decided_by_id IS NULL)", name="decided_has_decider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id", ondelete="CASCADE"), index=True)
    unit_name: Mapped[str] = mapped_column(String(128))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    delegate = relationship("TermDelegate", lazy="joined")
