"""党代会年会 (docs/rules.md §7): the congress's yearly session with its agenda, 列席 guests, materials, sign-in
and quorum, discussion groups and their minutes; the 民主评议/民主测评/信任投票 entered by two tellers; the
resolutions and the follow-up of what was raised; and, between sessions, 列席 of the committee's meetings and
询问/质询 of departments.

No ballot is linked to a delegate: an appraisal stores only the tellers' totals per object and grade.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base

SESSION_STATUSES = ("preparing", "notified", "open", "held")  # 筹备中 · 已通知 · 会议进行中 · 已召开
AGENDA_KINDS = ("report", "proposals", "election", "appraisal", "confidence", "followup", "other")
APPRAISAL_KINDS = ("appraisal", "rating", "confidence")  # 民主评议 · 民主测评 · 信任投票
APPRAISAL_STATUSES = ("draft", "open", "confirmed", "published")
FOLLOWUP_SOURCES = ("appraisal", "resolution", "proposal", "other")
FOLLOWUP_STATUSES = ("open", "in_progress", "done")
SITIN_KINDS = ("plenary", "standing", "other")  # 全委会 · 常委会 · 其他会议
INQUIRY_KINDS = ("inquiry", "interpellation")  # 询问 · 质询
FILING_STATES = ("pending", "filed", "not_filed", "suggestion")  # 待审查 · 立案 · 不立案 · 转为建议


def _known(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")", name=name)


class AssemblySession(Base):
    """One session of the congress during its term (第N次会议), of the committee whose congress it is."""

    __tablename__ = "assembly_sessions"
    __table_args__ = (
        UniqueConstraint("congress", "meeting_no"),
        _known("status", SESSION_STATUSES, "status_known"),
        CheckConstraint("meeting_no > 0", name="meeting_no_positive"),
        CheckConstraint("closes_on >= opens_on", name="dates_ordered"),
        CheckConstraint("notice_days >= 0", name="notice_days_not_negative"),
        CheckConstraint("quorum_num > 0 AND quorum_den > 0 AND quorum_num <= quorum_den", name="quorum_fraction"),
        # a session recorded as held carries who recorded it and the roll and attendance it was held with
        CheckConstraint("(status = 'held') = (held_at IS NOT NULL)", name="held_has_time"),
        CheckConstraint("held_at IS NULL OR (roll_count IS NOT NULL AND present_count IS NOT NULL)",
                        name="held_has_count"),
        CheckConstraint("proposals_close_on IS NULL OR proposals_open_on IS NULL "
                        "OR proposals_close_on >= proposals_open_on", name="window_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    congress: Mapped[str] = mapped_column(String(128))  # as on the delegates' roll: 区第十二次党代会
    meeting_no: Mapped[int]  # 第N次会议
    title: Mapped[str] = mapped_column(String(200))  # 中国共产党某区第十二次代表大会第五次会议
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="preparing")
    notice_days: Mapped[int] = mapped_column(default=7)  # the notice goes out N days before the session
    notified_at: Mapped[datetime | None]
    quorum_preset: Mapped[str] = mapped_column(String(16), default="township")
    quorum_num: Mapped[int] = mapped_column(default=4)
    quorum_den: Mapped[int] = mapped_column(default=5)
    quorum_inclusive: Mapped[bool] = mapped_column(default=True)  # "以上" includes exactly the fraction
    self_sign_in: Mapped[bool] = mapped_column(default=False)  # delegates may sign themselves in
    proposals_open_on: Mapped[date | None]
    proposals_close_on: Mapped[date | None]
    opened_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    roll_count: Mapped[int | None]  # 应到 when recorded as held (vacated seats excluded)
    present_count: Mapped[int | None]  # 实到
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation = relationship("Organisation")
    agenda = relationship("AgendaItem", order_by="AgendaItem.seq", cascade="all, delete-orphan",
                          back_populates="session")
    guests = relationship("SessionGuest", order_by="SessionGuest.id", cascade="all, delete-orphan")
    materials = relationship("SessionMaterial", order_by="SessionMaterial.id", cascade="all, delete-orphan")


class AgendaItem(Base):
    """One item of the agenda (议程), in order."""

    __tablename__ = "assembly_agenda_items"
    __table_args__ = (UniqueConstraint("session_id", "seq"), _known("kind", AGENDA_KINDS, "kind_known"),
                      CheckConstraint("seq > 0", name="seq_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12), default="other")
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")

    session = relationship("AssemblySession", back_populates="agenda")


class SessionGuest(Base):
    """A non-delegate who 列席 the session by the committee's decision."""

    __tablename__ = "assembly_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    workplace: Mapped[str] = mapped_column(String(200), default="")  # 工作单位及职务
    reason: Mapped[str] = mapped_column(String(200), default="")  # 列席理由


class SessionMaterial(Base):
    """A document distributed to the delegates before the session, stored under UPLOAD_DIR with a random name."""

    __tablename__ = "assembly_materials"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    distributed_at: Mapped[datetime | None]  # sent to the delegates (with the notice or after it)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(Base):
    """A delegate's sign-in (present) or leave of absence (with reason); a delegate not listed is absent."""

    __tablename__ = "assembly_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "delegate_id"),
        _known("status", ("present", "leave"), "status_known"),
        CheckConstraint("status = 'present' OR length(reason) > 0", name="leave_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="present")
    reason: Mapped[str] = mapped_column(String(200), default="")  # 请假理由
    by_self: Mapped[bool] = mapped_column(default=False)  # signed in by the delegate himself
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    delegate = relationship("TermDelegate", lazy="joined")


class SessionGroup(Base):
    """A 代表团 or 代表小组 for the group discussion (分团讨论), with its minutes."""

    __tablename__ = "assembly_groups"
    __table_args__ = (UniqueConstraint("session_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    convener_id: Mapped[int | None] = mapped_column(ForeignKey("term_delegates.id"))  # 召集人
    minutes: Mapped[str] = mapped_column(Text, default="")  # 讨论纪要
    minutes_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    minutes_at: Mapped[datetime | None]

    members = relationship("GroupMember", cascade="all, delete-orphan", back_populates="group")
    convener = relationship("TermDelegate")


class GroupMember(Base):
    """A delegate in one group of a session (one group per delegate per session)."""

    __tablename__ = "assembly_group_members"
    __table_args__ = (UniqueConstraint("session_id", "delegate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("assembly_groups.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id"), index=True)

    group = relationship("SessionGroup", back_populates="members")
    delegate = relationship("TermDelegate", lazy="joined")


class Appraisal(Base):
    """A 民主评议 / 民主测评 (grades per object) or a 信任投票 (信任/不信任/弃权) at the session, counted from paper
    ballots by two tellers; only the agreed totals are kept, never a ballot's voter."""

    __tablename__ = "assembly_appraisals"
    __table_args__ = (
        _known("kind", APPRAISAL_KINDS, "kind_known"),
        _known("status", APPRAISAL_STATUSES, "status_known"),
        CheckConstraint("ballots_issued >= 0 AND ballots_collected >= 0", name="ballots_not_negative"),
        CheckConstraint("status IN ('draft', 'open') OR confirmed IS NOT NULL", name="confirmed_has_totals"),
        CheckConstraint("(status = 'published') = (published_at IS NOT NULL)", name="published_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="rating")
    title: Mapped[str] = mapped_column(String(200))
    grades: Mapped[list] = mapped_column(JSON)  # ["好", "较好", "一般", "差"] or ["信任", "不信任", "弃权"]
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # good grades, poor grade, 不称职 threshold …
    status: Mapped[str] = mapped_column(String(10), default="draft")
    ballots_issued: Mapped[int] = mapped_column(default=0)
    ballots_collected: Mapped[int] = mapped_column(default=0)
    confirmed: Mapped[dict | None] = mapped_column(JSON)  # the agreed figures (see workflow.assembly.appraisal)
    opened_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session = relationship("AssemblySession")
    objects = relationship("AppraisalObject", order_by="AppraisalObject.seq", cascade="all, delete-orphan")
    entries = relationship("AppraisalEntry", order_by="AppraisalEntry.entry_no", cascade="all, delete-orphan")


class AppraisalObject(Base):
    """A unit (党委、纪委 …) or a person (with post) appraised, in ballot order."""

    __tablename__ = "assembly_appraisal_objects"
    __table_args__ = (UniqueConstraint("appraisal_id", "seq"), UniqueConstraint("appraisal_id", "name"),
                      _known("kind", ("unit", "person"), "kind_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("assembly_appraisals.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8), default="unit")
    name: Mapped[str] = mapped_column(String(128))
    post: Mapped[str] = mapped_column(String(128), default="")  # 职务 of a person


class AppraisalEntry(Base):
    """One teller's independent entry of an appraisal's figures (entry 1 or 2)."""

    __tablename__ = "assembly_appraisal_entries"
    __table_args__ = (UniqueConstraint("appraisal_id", "entry_no"),
                      CheckConstraint("entry_no IN (1, 2)", name="entry_no_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("assembly_appraisals.id", ondelete="CASCADE"), index=True)
    entry_no: Mapped[int]
    teller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    figures: Mapped[dict] = mapped_column(JSON)  # {"invalid": n, "objects": {"<object id>": {"好": n, …}}}
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    teller = relationship("User", lazy="joined")


class Resolution(Base):
    """A resolution (决议) adopted at the session; its implementation is reported at the next one."""

    __tablename__ = "assembly_resolutions"
    __table_args__ = (CheckConstraint("(implementation_reported_on IS NULL) = (length(implementation) = 0)",
                                      name="report_has_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    adopted_on: Mapped[date]
    implementation: Mapped[str] = mapped_column(Text, default="")  # 落实情况报告
    implementation_reported_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUp(Base):
    """A problem raised at a session (by the 民主评议, a resolution, a 提案 …) with its owner, deadline and status;
    the next session's agenda lists the open and finished ones (整改情况)."""

    __tablename__ = "assembly_followups"
    __table_args__ = (
        _known("source", FOLLOWUP_SOURCES, "source_known"),
        _known("status", FOLLOWUP_STATUSES, "status_known"),
        CheckConstraint("(status = 'done') = (done_on IS NOT NULL)", name="done_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("assembly_sessions.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(12), default="appraisal")
    appraisal_object_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_appraisal_objects.id", ondelete="SET NULL"))
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("assembly_resolutions.id", ondelete="SET NULL"))
    problem: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(128))  # 责任单位
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="open")
    progress: Mapped[str] = mapped_column(Text, default="")  # 整改措施与进展
    done_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SitInMeeting(Base):
    """Between sessions: a meeting of the committee (全委会、常委会 …) that delegates are invited to 列席."""

    __tablename__ = "assembly_sitins"
    __table_args__ = (_known("kind", SITIN_KINDS, "kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    congress: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(12), default="plenary")
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invitees = relationship("SitInInvitee", cascade="all, delete-orphan", back_populates="meeting")


class SitInInvitee(Base):
    """A delegate invited to 列席 a meeting; ``attended`` is recorded after it (None: not yet recorded). Attending
    credits the activity the delegate's rule set scores for it, if any (``activity_id``)."""

    __tablename__ = "assembly_sitin_invitees"
    __table_args__ = (UniqueConstraint("meeting_id", "delegate_id"),
                      CheckConstraint("attended IS NULL OR attended OR length(leave_reason) > 0",
                                      name="absence_has_reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("assembly_sitins.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id"), index=True)
    attended: Mapped[bool | None]
    leave_reason: Mapped[str] = mapped_column(String(200), default="")
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("duty_activities.id", ondelete="SET NULL"))

    meeting = relationship("SitInMeeting", back_populates="invitees")
    delegate = relationship("TermDelegate", lazy="joined")


class Inquiry(Base):
    """询问 or 质询 of a department by a delegate, with a deadline for the reply."""

    __tablename__ = "assembly_inquiries"
    __table_args__ = (
        _known("kind", INQUIRY_KINDS, "kind_known"),
        CheckConstraint("due_on >= submitted_on", name="due_after_submitted"),
        CheckConstraint("(replied_on IS NULL) = (length(reply) = 0)", name="reply_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="inquiry")
    delegate_id: Mapped[int] = mapped_column(ForeignKey("term_delegates.id"), index=True)
    department: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[date]
    due_on: Mapped[date]
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_on: Mapped[date | None]
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("duty_activities.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    delegate = relationship("TermDelegate", lazy="joined")
