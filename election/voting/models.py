"""预备人选, the ballot and its rounds, the tellers' double entry, the elected delegates.

Every round is kept with its figures (append-only once closed); the current state of the election's voting is
replayed from the closed rounds and the recorded plans by ``workflow.tally.rounds.ElectionRounds``.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.core.clock import utcnow
from election.core.db import Base


class ConfirmMeeting(Base):
    """The 全委会 that fixed the 预备人选 by 圈选: attendance, then either the chosen list or votes per person
    with the selection rule of the meeting (来源: docs/rules.md §2 stage 7)."""

    __tablename__ = "confirm_meetings"
    __table_args__ = (
        UniqueConstraint("election_id"),
        CheckConstraint("mode IN ('list', 'votes')", name="mode_known"),
        CheckConstraint("members > 0 AND attendance >= 0 AND attendance <= members", name="attendance_in_range"),
        # votes per person always come with the rule that turns them into the chosen list
        CheckConstraint("mode = 'list' OR (votes IS NOT NULL AND max_chosen IS NOT NULL)", name="votes_have_rule"),
        CheckConstraint("max_chosen IS NULL OR max_chosen > 0", name="max_chosen_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(String(128), default="全委会")
    held_on: Mapped[date]
    members: Mapped[int]  # 应到会委员
    attendance: Mapped[int]  # 实到会委员
    mode: Mapped[str] = mapped_column(String(8))
    votes: Mapped[dict | None] = mapped_column(JSON)  # {nominee_id: for-votes} in votes mode
    max_chosen: Mapped[int | None]  # votes mode: at most this many, most votes first, each > half of attendance
    chosen: Mapped[list] = mapped_column(JSON, default=list)  # nominee ids
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class HigherNominee(Base):
    """A candidate nominated by the higher committee (上级提名); joins the ballot, own seats counted separately."""

    __tablename__ = "higher_nominees"
    __table_args__ = (
        UniqueConstraint("election_id", "name"),
        CheckConstraint("gender IN ('男', '女')", name="gender_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(16), default="汉族")
    birth_date: Mapped[date]
    category: Mapped[str] = mapped_column(String(32), default="")
    workplace_title: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BallotRound(Base):
    """One round of voting at the meeting, with every figure; closed rounds are never changed."""

    __tablename__ = "ballot_rounds"
    __table_args__ = (
        UniqueConstraint("election_id", "round_no"),
        CheckConstraint("round_no > 0 AND seats > 0", name="numbers_positive"),
        CheckConstraint("kind IN ('regular', 'repeat', 'revote', 'additional')", name="kind_known"),
        CheckConstraint("count_mode IN ('totals', 'ballots')", name="count_mode_known"),
        CheckConstraint("status IN ('open', 'confirmed', 'closed')", name="status_known"),
        CheckConstraint("eligible > 0 AND present >= 0 AND present <= eligible", name="present_in_range"),
        CheckConstraint("ballots_issued >= 0 AND ballots_collected >= 0", name="ballots_not_negative"),
        # the agreed totals exist once confirmed; the result exactly when closed
        CheckConstraint("status = 'open' OR confirmed_totals IS NOT NULL", name="confirmed_has_totals"),
        CheckConstraint("(status = 'closed') = (result IS NOT NULL)", name="closed_has_result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    round_no: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12), default="regular")
    seats: Mapped[int]
    eligible: Mapped[int]  # 应到会
    present: Mapped[int]  # 实到会
    ballots_issued: Mapped[int]
    ballots_collected: Mapped[int]
    candidates: Mapped[list] = mapped_column(JSON)  # names, 姓氏笔画 order
    count_mode: Mapped[str] = mapped_column(String(8), default="totals")
    status: Mapped[str] = mapped_column(String(10), default="open")
    confirmed_totals: Mapped[dict | None] = mapped_column(JSON)  # {"valid", "invalid", "for", "against", "write_in"}
    result: Mapped[dict | None] = mapped_column(JSON)  # election tally output + against, passed, base, kind
    explanation: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    entries = relationship("TellerEntry", order_by="TellerEntry.entry_no", cascade="all, delete-orphan")


class TellerEntry(Base):
    """One teller's independent entry of a round's totals (entry 1 or 2)."""

    __tablename__ = "teller_entries"
    __table_args__ = (
        UniqueConstraint("round_id", "entry_no"),
        CheckConstraint("entry_no IN (1, 2)", name="entry_no_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("ballot_rounds.id", ondelete="CASCADE"), index=True)
    entry_no: Mapped[int]
    teller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    totals: Mapped[dict] = mapped_column(JSON)
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    teller = relationship("User", lazy="joined")


class BallotPaper(Base):
    """One ballot as marked, entered ballot by ballot (small meetings); ``void`` is decided by the rules."""

    __tablename__ = "ballot_papers"
    __table_args__ = (UniqueConstraint("round_id", "seq"), CheckConstraint("seq > 0", name="seq_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("ballot_rounds.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    for_names: Mapped[list] = mapped_column(JSON, default=list)
    against_names: Mapped[list] = mapped_column(JSON, default=list)
    write_in_names: Mapped[list] = mapped_column(JSON, default=list)
    void: Mapped[bool] = mapped_column(default=False)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class Scrutineer(Base):
    """A 监票人 or 计票人 of the meeting (or of one round); never a candidate (our rule)."""

    __tablename__ = "scrutineers"
    __table_args__ = (CheckConstraint("duty IN ('scrutineer', 'counter')", name="duty_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("ballot_rounds.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    duty: Mapped[str] = mapped_column(String(12), default="scrutineer")


class RoundPlan(Base):
    """A recorded decision between rounds: the candidates of a 另行选举, or a reduction of the seats."""

    __tablename__ = "round_plans"
    __table_args__ = (
        CheckConstraint("kind IN ('additional', 'reduce')", name="kind_known"),
        CheckConstraint("kind = 'additional' OR (seats_removed > 0 AND basis IN ('voters_consent', 'presidium'))",
                        name="reduction_has_basis"),
        CheckConstraint("kind = 'reduce' OR candidates_count > 0", name="additional_has_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    after_round_no: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    candidates_count: Mapped[int | None]
    seats_removed: Mapped[int | None]
    basis: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingResult(Base):
    """The final result of the election's ballot, and its report upward (选举情况报告, 代表名册)."""

    __tablename__ = "voting_results"
    __table_args__ = (
        UniqueConstraint("election_id"),
        CheckConstraint("(reported_on IS NULL) = (report_doc_number IS NULL)", name="report_has_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    elected: Mapped[list] = mapped_column(JSON)  # names, 姓氏笔画 order
    quota_warnings: Mapped[list] = mapped_column(JSON, default=list)  # messages of broken quotas
    explanation: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    reported_on: Mapped[date | None]
    report_doc_number: Mapped[str | None] = mapped_column(String(64))


class Delegate(Base):
    """An elected delegate (代表): the record the term-duty module works with. Keep ``delegates`` with columns
    id, name, election_id stable (election/duties/models.py references them)."""

    __tablename__ = "delegates"
    __table_args__ = (UniqueConstraint("election_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("elections.id", ondelete="CASCADE"), index=True)
    nominee_id: Mapped[int | None] = mapped_column(ForeignKey("nominees.id", ondelete="SET NULL"))
    higher_nominee_id: Mapped[int | None] = mapped_column(ForeignKey("higher_nominees.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(2), default="")
    ethnicity: Mapped[str] = mapped_column(String(16), default="")
    birth_date: Mapped[date | None]
    category: Mapped[str] = mapped_column(String(32), default="")
    unit: Mapped[str] = mapped_column(String(200), default="")  # 工作单位及职务
    votes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
