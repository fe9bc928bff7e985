"""Frozen snapshots of an election, built by services from the database and read by the stage guards.

Plain data only: ints, strings, dates, tuples and mappings. ``election/elections/facts.py`` maps ORM rows
to these; the guards in :mod:`workflow.pipeline.stages` and the reminders in :mod:`workflow.pipeline.deadlines` never see
a database row. Beyond identity, stage and today, every field has a default so a test states only what it
is about.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from workflow.common.results import Blocker

if TYPE_CHECKING:  # facts are plain data; Stage is only a key type here
    from workflow.pipeline.stages import Stage


class NoticeKind(StrEnum):
    """The two 公示 of the pipeline (来源: docs/rules.md §2 stages 5 and 6)."""

    first = "first"    # 考察对象, in each person's unit, during 考察并第一次公示
    second = "second"  # 初步人选, region-wide and in the media, during 确定初步人选并第二次公示

    @property
    def label(self) -> str:
        return {"first": "第一次公示（考察对象）", "second": "第二次公示（初步人选）"}[self.value]


@dataclass(frozen=True)
class UnitFacts:
    """One 推荐单位 of the election."""

    unit_id: int
    name: str
    allocation: int = 0                       # 推荐名额 allocated in the 工作方案
    account_count: int = 0                    # active user accounts of the unit (工作部署)
    submitted: bool = False                   # the unit has submitted its nominee list
    exemption_reason: str = ""                # 免报: non-blank reason recorded by the office
    list_blockers: tuple[Blocker, ...] = ()   # results of the unit's own list checks (差额, 结构 …)

    @property
    def exempted(self) -> bool:
        return bool(self.exemption_reason.strip())


@dataclass(frozen=True)
class MeetingFacts:
    """The meeting that decided a step (区委常委会, 全委会 …), as recorded by the office."""

    body: str = ""                 # 会议名称/决定机关, e.g. "区委常委会"
    held_on: date | None = None    # meeting date
    doc_number: str = ""           # 文号 or 会议纪要号


@dataclass(frozen=True)
class NoticeFacts:
    """One 公示: posting date, last day of its period (computed by services with the calendar)."""

    posted_on: date | None = None
    period_end: date | None = None   # last working day of the period; the period is over the day after
    open_complaints: int = 0         # 受理后尚未办结的举报/反映


@dataclass(frozen=True)
class PersonFacts:
    """One person still in the running at the current step."""

    person_id: int
    name: str
    unit_name: str = ""
    vetting_done: bool = False          # 考察 concluded (docs/rules.md §5)
    discipline_opinion: bool = False    # 纪检机关意见 recorded (docs/rules.md §5, "纪检机关意见必听")


@dataclass(frozen=True)
class MarginSettings:
    """The election's 差额 settings for the later steps (来源: docs/rules.md §3.1; set in the 工作方案)."""

    preliminary_target: int = 0   # planned number of 初步人选 (seed: 21); 0 = not set
    ballot_margin: Fraction = Fraction(1, 5)  # final ballot: candidates ≥ seats × (1 + margin), rounded up (进一法)


@dataclass(frozen=True)
class CandidateCounts:
    """How many people each step currently holds (不含上级提名)."""

    nominated: int = 0     # 推荐人选
    shortlisted: int = 0   # 考察对象
    preliminary: int = 0   # 初步人选
    confirmed: int = 0     # 预备人选


@dataclass(frozen=True)
class PackageFacts:
    """Where a package reported up to the upper committee stands, when that committee decides in the system
    (来源: docs/rules.md §8.2): its latest attempt."""

    status: str = ""          # "" = not yet submitted; submitted | reviewed | approved | returned
    return_reason: str = ""   # the upper committee's reason, when returned


@dataclass(frozen=True)
class ElectionFacts:
    """Everything the stage guards and the reminders need to know about one election, on ``today``."""

    election_id: int
    title: str
    stage: Stage
    today: date
    seats: int = 0                                   # 应选名额, 不含上级提名
    higher_seats: int = 0                            # 上级提名名额 (their own seats on the ballot)
    higher_registered: int = 0                       # 上级提名人选 registered for those seats
    due_dates: Mapping[Stage, date] = field(default_factory=dict)        # one per pipeline stage
    units: tuple[UnitFacts, ...] = ()
    meetings: Mapping[Stage, MeetingFacts] = field(default_factory=dict)  # keyed by the stage it decides
    notices: Mapping[NoticeKind, NoticeFacts] = field(default_factory=dict)
    shortlisted_people: tuple[PersonFacts, ...] = ()   # 考察对象 still in the running
    preliminary_people: tuple[PersonFacts, ...] = ()   # 初步人选
    higher_consent_recorded: bool = False   # 上级党委（组织部门）同意初步人选
    approval_recorded: bool = False         # 上级对预备人选的批复
    result_recorded: bool = False           # 选举结果（计票结果）已录入
    result_reported: bool = False           # 选举情况报告、代表名册已上报
    # the upper committee decides in the system (a 选举单位's election under a congress): the consent, the 批复 and
    # the receipt of the result come from its packages, keyed by kind (consent | approval | result)
    upper_on_system: bool = False
    packages: Mapping[str, PackageFacts] = field(default_factory=dict)
    counts: CandidateCounts = field(default_factory=CandidateCounts)
    margins: MarginSettings = field(default_factory=MarginSettings)
    # Hook for the quota engine: blockers it found for leaving a stage; the guards pass them through.
    quota_blockers: Mapping[Stage, tuple[Blocker, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class StageHistoryEntry:
    """One recorded move (the append-only stage history), for the plan-vs-actual timeline."""

    from_stage: Stage | None   # None for the creation of the election (entering 制定工作方案)
    to_stage: Stage
    on: date
    reason: str = ""
