"""Plain data that services fill and the renderers turn into .docx.

Every class is a frozen dataclass of strings, integers and dates: no ORM rows, no Flask. Sequences passed
as lists are stored as tuples, so the objects stay immutable and hashable.

Documents meant for posting (公示 and the rosters that are posted) carry no ID-number field at all
(来源: docs/rules.md §3.5 "Never an ID number"); the renderers also scan their output and refuse an 18-character
resident ID that slipped into free text.

Names arrive already in 姓氏笔画 order (workflow.common.strokes, docs/rules.md §3.4); the renderers keep the order given.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import StrEnum


def _freeze(obj: object) -> None:
    """Turn list fields into tuples on a frozen dataclass (called from ``__post_init__``)."""
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, list):
            object.__setattr__(obj, f.name, tuple(tuple(v) if isinstance(v, list) else v for v in value))


class NoticeKind(StrEnum):
    """Which of the two 公示 (来源: docs/rules.md §2 stages 5 and 6)."""

    first = "first"    # 考察对象 in each person's own unit
    second = "second"  # 初步人选 region-wide and in the media

    @property
    def label(self) -> str:
        return {"first": "第一次公示（所在单位）", "second": "第二次公示（全区范围）"}[self.value]


@dataclass(frozen=True)
class PersonRow:
    """One person as printed in a 公示 table or a 名册 (来源: docs/rules.md §3.5 notice fields). No ID number."""

    name: str
    gender: str
    ethnicity: str
    birth_month: dt.date
    native_place: str
    education: str
    party_join: dt.date
    workplace_title: str
    category: str = ""   # 身份类别, e.g. "处级领导干部", "先进模范人物（工人）"


@dataclass(frozen=True)
class ContactOffice:
    """The office that receives comments during a 公示 (来源: docs/rules.md §3.5)."""

    name: str        # 受理单位, e.g. "区委组织部"
    phone: str       # 受理电话
    address: str     # 通信地址 (with 邮编 if wanted)
    mailbox: str     # 电子邮箱 or 意见箱


@dataclass(frozen=True)
class NoticeData:
    """A 公示 (first: per unit; second: region-wide). The caller computes the period on the calendar.

    ``intro`` is the opening text (paragraphs separated by blank lines or "\\n"); when empty a standard
    opening is written from ``election_title`` and ``issuing_body``. ``show_category`` prints the 身份类别
    column; ``None`` prints it when any person has a category.
    """

    kind: NoticeKind
    title: str
    election_title: str        # e.g. "出席中国共产党××市第十二次代表大会代表"
    issuing_body: str          # e.g. "中共××区委组织部"
    intro: str
    people: tuple[PersonRow, ...]
    period_start: dt.date
    period_end: dt.date
    office: ContactOffice
    signature: str
    date: dt.date
    working_days: int | None = 5          # printed as "（5个工作日）"; None prints no count
    show_category: bool | None = None
    pad_single_given_name: bool = False   # print "王　宁" for two-character names (docs/rules.md §3.4 setting)
    wording: str = ""                     # the election's 公示 template (election.documents.wording); "" = default

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True)
class RosterData:
    """A 名册: 推荐人选 / 考察对象 / 初步人选 / 预备人选 / 当选代表.

    ``columns`` and ``rows`` are plain text cells (build them with ``rosters.roster_from_people`` for the
    standard columns). ``note`` is printed under the title, e.g. "按姓氏笔画排序（单名不空格）".
    ``landscape`` None = landscape when a cell would wrap onto three lines on the portrait line. ``widths_mm`` None =
    sized by the text (gbt9704.fit_columns).
    ``for_posting`` True makes the renderer refuse any cell that looks like a resident ID number.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    subtitle: str = ""                  # e.g. "（共24名）" or the reporting unit
    signature: str = ""                 # optional 署名 under the table
    date: dt.date | None = None            # optional 成文日期 under the table
    landscape: bool | None = None
    widths_mm: tuple[float, ...] | None = None
    for_posting: bool = True

    def __post_init__(self) -> None:
        _freeze(self)


# 当选代表名册 is a roster like the others (来源: docs/rules.md §2 stage 8).
ElectedRosterData = RosterData


def resume_lines(text: str) -> tuple[str, ...]:
    """A stored 简历 (one period a line) as the form's lines: blank lines dropped, each line trimmed."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class RegistrationFormData:
    """The per-person 登记表 (代表候选人/预备人选/当选代表登记表) as in the seed forms (docs/rules.md §4).

    It goes upward to the higher committee, not on a notice board, and still carries no ID number.
    ``resume`` holds one line per period, e.g. "2001.09—2005.07  ××大学××专业学习" (``resume_lines`` splits a
    stored 简历); ``rewards`` may hold several lines. 出生地, 健康状况, 专业技术职务, 简历 and 奖惩情况 come from the
    nominee's list (the unit's template and form collect them).
    """

    title: str
    name: str
    gender: str
    ethnicity: str
    birth_month: dt.date
    native_place: str
    party_join: dt.date
    work_start: dt.date | None
    education: str                     # 学历学位, e.g. "大学本科 工学学士"
    workplace_title: str
    category: str
    age: int | None = None             # printed as "1975.03（50岁）" when given
    birthplace: str = ""
    health: str = ""
    professional_title: str = ""       # 专业技术职务
    school_major: str = ""             # 毕业院校系及专业
    recommending_unit: str = ""
    resume: tuple[str, ...] = ()
    rewards: str = ""                  # 奖惩情况
    annual_reviews: str = ""           # 近三年年度考核结果
    recommender_opinion: str = ""      # 推荐单位党组织意见
    committee_opinion: str = ""        # 选举单位党组织（区委）意见

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True)
class ReportStat:
    """One count in a report, optionally with its share of ``total`` (printed exactly, e.g. "8名，占38.1%")."""

    label: str
    count: int
    total: int | None = None


@dataclass(frozen=True)
class ReportSection:
    """A section under an "一、" heading; ``subsections`` are (（一）heading, paragraphs) pairs."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    subsections: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True)
class ReportData:
    """情况报告 to the higher committee (e.g. on the 预备人选), with the counts filled in by the service."""

    title: str
    addressee: str                      # 主送机关, e.g. "市委组织部"
    intro: tuple[str, ...]
    sections: tuple[ReportSection, ...]
    signature: str
    date: dt.date
    stats: tuple[ReportStat, ...] = ()
    stats_title: str = "结构情况"
    attachments: tuple[str, ...] = ()   # 附件 names, numbered when more than one

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True)
class BallotData:
    """A ballot paper (选票). Candidates are printed in the order given (the caller sorts by 姓氏笔画)."""

    title: str
    seats: int
    candidates: tuple[str, ...]
    write_in_lines: int
    seats_note: str = ""                # e.g. "，不含市委提名" → "（应选16名，不含市委提名）"
    instructions: tuple[str, ...] = ()  # empty = the standard 说明 (○ 赞成, × 不赞成 / 另选, 空白 弃权)
    columns: int = 6                    # candidates per row
    pad_single_given_name: bool = False
    label: str = "正式选举"             # printed under the title (a 预选 would say so)
    signatures: tuple[str, ...] = ("总监票人", "监票人")  # signature places at the foot, beside the 印章 box

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True)
class VoteRow:
    """One person's figures in a round (write-ins included, marked)."""

    name: str
    for_votes: int
    against: int = 0
    abstain: int = 0
    write_in: bool = False
    elected: bool = False


@dataclass(frozen=True)
class ResultRound:
    """One round of voting with its figures, kept for the 选举情况报告 (来源: docs/rules.md §3.3)."""

    label: str                  # e.g. "第一轮选举", "另行选举"
    eligible: int               # 应到会
    present: int                # 实到会
    ballots_issued: int
    ballots_collected: int
    valid: int
    invalid: int
    seats: int
    threshold: int              # for-votes needed to be elected
    votes: tuple[VoteRow, ...]  # in the order to print (by votes, the caller decides)
    explanation: str = ""

    def __post_init__(self) -> None:
        _freeze(self)


@dataclass(frozen=True)
class ResultReportData:
    """选举情况报告: rounds with their figures, the elected in 姓氏笔画 order, closing text."""

    title: str
    addressee: str
    intro: tuple[str, ...]
    rounds: tuple[ResultRound, ...]
    elected: tuple[str, ...]
    signature: str
    date: dt.date
    closing: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self)
