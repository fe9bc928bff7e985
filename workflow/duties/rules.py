"""Duty rule sets as data: activity types, their points, frequency requirements, periods, versions.

A rule set (``DutyRuleSet``) is one version of a local scheme (盐田, 凤县, 印台 …); a ``RuleBook`` holds the
versions of one scheme and says which is in force on a day. Points of an activity always come from the version
in force on the activity's date, so a change in the middle of a year never alters earlier activities' points.
来源: docs/rules.md §6 (each change makes a new version with its own 生效日期); past scores never change silently.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple

from workflow.common import sources
from workflow.common.results import Blocker, DomainError
from workflow.duties.periods import Period, PeriodKind, YearStart, _check_year_start, cn_date, scoring_year

SOURCE = sources.DUTY_SCHEMES


# --------------------------------------------------------------------------------------------------------------
# Enums
# --------------------------------------------------------------------------------------------------------------
class ActivityStatus(StrEnum):
    """An activity waits as 待核实 until office staff verify it or return it; only verified ones count."""

    pending = "pending"
    verified = "verified"
    returned = "returned"

    @property
    def label(self) -> str:
        return {"pending": "待核实", "verified": "已核实", "returned": "已退回"}[self.value]


class Role(StrEnum):
    """A delegate's role in a joint activity (提案: 领衔 / 联署)."""

    lead = "lead"
    co_signer = "co_signer"

    @property
    def label(self) -> str:
        return {"lead": "领衔", "co_signer": "联署"}[self.value]


class SatisfactionGrade(StrEnum):
    """The resident's satisfaction at 反馈; 诉求解决 scores by it (来源: docs/rules.md §6 盐田)."""

    very_satisfied = "very_satisfied"
    satisfied = "satisfied"
    unsatisfied = "unsatisfied"

    @property
    def label(self) -> str:
        return {"very_satisfied": "非常满意", "satisfied": "基本满意", "unsatisfied": "不满意"}[self.value]


_GRADE_BY_LABEL = {g.label: g.value for g in SatisfactionGrade}


def normalize_grade(grade: str | None) -> str | None:
    """A grade given by its Chinese label (非常满意) or its code (very_satisfied) → the code; others unchanged."""
    if grade is None:
        return None
    grade = str(grade).strip()
    return _GRADE_BY_LABEL.get(grade, grade)


def grade_label(grade: str) -> str:
    try:
        return SatisfactionGrade(grade).label
    except ValueError:
        return grade


# --------------------------------------------------------------------------------------------------------------
# Rule-set pieces
# --------------------------------------------------------------------------------------------------------------
def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


@dataclass(frozen=True)
class ActivityType:
    """A kind of duty activity and its points.

    ``points`` is either a fixed int, or a grade → points mapping (e.g. {"非常满意": 6, "基本满意": 5}; grades may be
    given by label or code and are stored as codes; an unlisted grade scores 0). ``yearly_cap`` limits the sum of
    this type's points per delegate per scoring year (e.g. 联署提案 3 each, at most 9). ``co_signer_code`` names
    the type an activity of this type is scored as when the delegate's role is 联署 (领衔提案 → 联署提案).
    """

    code: str
    label: str
    points: int | tuple[tuple[str, int], ...] = 0
    yearly_cap: int | None = None
    group: str = ""
    co_signer_code: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        pts = self.points
        if isinstance(pts, Mapping):
            pts = tuple((normalize_grade(k), v) for k, v in pts.items())
        elif isinstance(pts, (list, tuple)):
            pts = tuple((normalize_grade(k), v) for k, v in pts)
        object.__setattr__(self, "points", pts)
        values = [pts] if _is_int(pts) else [v for _, v in pts] if isinstance(pts, tuple) else [pts]
        if not all(_is_int(v) and v >= 0 for v in values):
            raise DomainError(f"活动类型“{self.label}”的分值应为不小于0的整数", code="duties.type.points_invalid")
        if isinstance(pts, tuple) and not pts:
            raise DomainError(f"活动类型“{self.label}”按满意度计分，但没有填写任何等级的分值",
                              code="duties.type.grades_empty")
        if self.yearly_cap is not None and not (_is_int(self.yearly_cap) and self.yearly_cap >= 0):
            raise DomainError(f"活动类型“{self.label}”的年度上限应为不小于0的整数", code="duties.type.cap_invalid")
        if not self.code or not self.label:
            raise DomainError("活动类型须填写代码和名称", code="duties.type.code_missing")

    @property
    def graded(self) -> bool:
        return isinstance(self.points, tuple)

    @property
    def grades(self) -> dict[str, int]:
        return dict(self.points) if isinstance(self.points, tuple) else {}

    def points_for(self, grade: str | None = None) -> int:
        """Points of one activity before any yearly cap."""
        if isinstance(self.points, tuple):
            return dict(self.points).get(normalize_grade(grade), 0)  # type: ignore[arg-type]
        return self.points

    @property
    def points_text(self) -> str:
        """How this type scores, in Chinese (for the rule-set page)."""
        if isinstance(self.points, tuple):
            text = "，".join(f"{grade_label(g)}{p}分" for g, p in self.points)
        else:
            text = f"{self.points}分"
        if self.yearly_cap is not None:
            text = f"每项{text}，每年最多{self.yearly_cap}分"
        return text


@dataclass(frozen=True)
class Requirement:
    """At least ``min_count`` verified activities of ``types`` (or of any type in ``group``) per ``period``.

    ``due`` (month, day) ends a yearly requirement early: e.g. 个人履职总结 by 12月15日 (来源: docs/rules.md §6 凤县).
    """

    code: str
    label: str
    min_count: int
    period: PeriodKind
    types: tuple[str, ...] = ()
    group: str = ""
    due: tuple[int, int] | None = None
    source: str = SOURCE

    def __post_init__(self) -> None:
        object.__setattr__(self, "period", PeriodKind(self.period))
        object.__setattr__(self, "types", tuple(self.types))
        if bool(self.types) == bool(self.group):
            raise DomainError(f"履职要求“{self.label}”须且只能指定活动类型或活动类别之一",
                              code="duties.requirement.scope_invalid")
        if not (_is_int(self.min_count) and self.min_count >= 1):
            raise DomainError(f"履职要求“{self.label}”的最少次数应为正整数", code="duties.requirement.count_invalid")
        if self.due is not None:
            if self.period is not PeriodKind.year:
                raise DomainError(f"履职要求“{self.label}”的截止日期只能用于按年的要求",
                                  code="duties.requirement.due_not_yearly")
            month, day = self.due
            try:
                date(2023, month, day)  # a day that exists every year (no 2月29日)
            except ValueError:
                raise DomainError(f"履职要求“{self.label}”的截止日期{month}月{day}日不存在，请重新填写",
                                  code="duties.requirement.due_invalid") from None

    @property
    def text(self) -> str:
        what = f"{self.period.label}至少{self.min_count}次"
        if self.due:
            what += f"（{self.due[0]}月{self.due[1]}日前）"
        return f"{self.label}：{what}"


@dataclass(frozen=True)
class ReviewPart:
    """One part of the 履职纪实表 and the body that rates it (来源: docs/rules.md §6 凤县)."""

    code: str
    label: str
    rated_by: str


@dataclass(frozen=True)
class AnnualReview:
    """凤县 annual review timeline: summary by mid-December, record by 31 December, nominations mid-January."""

    summary_due: tuple[int, int] = (12, 15)
    record_due: tuple[int, int] = (12, 31)
    parts: tuple[ReviewPart, ...] = ()
    model_share: Fraction = Fraction(1, 4)  # 模范履职党代表 at most 25% of a unit's delegates, rounded down
    nominations_due: tuple[int, int] = (1, 15)  # of the following year; "mid-January"


PUBLICATION_KINDS = (PeriodKind.month, PeriodKind.quarter, PeriodKind.half_year)


@dataclass(frozen=True)
class DutyRuleSet:
    """One version of a local duty scheme, in force from ``version_from``."""

    code: str
    name: str
    version_from: date
    activity_types: tuple[ActivityType, ...]
    requirements: tuple[Requirement, ...] = ()
    scoring_year_start: YearStart = (1, 1)
    publication: PeriodKind = PeriodKind.quarter
    ranked_within: tuple[str, ...] = ("office",)  # "office", "level": the groups a ranking is published for
    annual_review: AnnualReview | None = None
    notes: tuple[str, ...] = ()  # 待定 decisions and other remarks, shown to the 管理员
    source: str = SOURCE

    def __post_init__(self) -> None:
        object.__setattr__(self, "activity_types", tuple(self.activity_types))
        object.__setattr__(self, "requirements", tuple(self.requirements))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "scoring_year_start", tuple(self.scoring_year_start))
        _check_year_start(self.scoring_year_start)
        pub = PeriodKind(self.publication)
        if pub not in PUBLICATION_KINDS:
            raise DomainError("公布周期只能是每月、每季度或每半年", code="duties.publication.invalid")
        object.__setattr__(self, "publication", pub)
        blockers = check_ruleset(self.activity_types, self.requirements)
        if blockers:
            raise DomainError("；".join(b.message for b in blockers), code=blockers[0].code)

    @cached_property
    def types_by_code(self) -> dict[str, ActivityType]:
        return {t.code: t for t in self.activity_types}

    def type(self, code: str) -> ActivityType | None:
        return self.types_by_code.get(code)

    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.group for t in self.activity_types if t.group))

    def types_in(self, requirement: Requirement) -> frozenset[str]:
        if requirement.types:
            return frozenset(requirement.types)
        return frozenset(t.code for t in self.activity_types if t.group == requirement.group)

    def scored_code(self, type_code: str, role: str | None) -> str | None:
        """The type an activity is scored and counted as (联署 of a 领衔提案 → 联署提案); None if unknown."""
        t = self.types_by_code.get(type_code)
        if t is None:
            return None
        if role == Role.co_signer and t.co_signer_code:
            return t.co_signer_code
        return type_code

    def revise(self, version_from: date, **changes: Any) -> DutyRuleSet:
        """A new version of this rule set, in force from ``version_from``."""
        return replace(self, version_from=version_from, **changes)


def check_ruleset(activity_types: Iterable[ActivityType], requirements: Iterable[Requirement] = ()) -> list[Blocker]:
    """Everything wrong with a rule set's types and requirements as the 管理员 edited them (all reasons)."""
    activity_types, requirements = tuple(activity_types), tuple(requirements)
    out: list[Blocker] = []
    seen: set[str] = set()
    for t in activity_types:
        if t.code in seen:
            out.append(Blocker("duties.type.duplicate", f"活动类型代码“{t.code}”重复，请改为不同的代码", SOURCE))
        seen.add(t.code)
    for t in activity_types:
        if t.co_signer_code is not None and t.co_signer_code not in seen:
            out.append(Blocker("duties.type.co_signer_unknown",
                               f"活动类型“{t.label}”的联署计分类型“{t.co_signer_code}”不存在，请先添加该类型", SOURCE))
    groups = {t.group for t in activity_types if t.group}
    codes = set()
    for r in requirements:
        if r.code in codes:
            out.append(Blocker("duties.requirement.duplicate", f"履职要求代码“{r.code}”重复，请改为不同的代码", SOURCE))
        codes.add(r.code)
        for c in r.types:
            if c not in seen:
                out.append(Blocker("duties.requirement.type_unknown",
                                   f"履职要求“{r.label}”引用了不存在的活动类型“{c}”", SOURCE))
        if r.group and r.group not in groups:
            out.append(Blocker("duties.requirement.group_unknown",
                               f"履职要求“{r.label}”引用了不存在的活动类别“{r.group}”", SOURCE))
    return out


@dataclass(frozen=True)
class RuleBook:
    """All versions of one rule set; ``in_force(day)`` is the latest version with version_from ≤ day."""

    versions: tuple[DutyRuleSet, ...]
    _froms: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        versions = tuple(sorted(self.versions, key=lambda v: v.version_from))
        if not versions:
            raise DomainError("规则集至少需要一个版本", code="duties.rulebook.empty")
        if len({v.code for v in versions}) != 1:
            raise DomainError("同一规则集的各版本代码应相同", code="duties.rulebook.mixed_codes")
        froms = tuple(v.version_from for v in versions)
        if len(set(froms)) != len(froms):
            raise DomainError("同一规则集有两个版本的生效日期相同，请修改其中一个的生效日期",
                              code="duties.rulebook.same_date")
        if len({v.scoring_year_start for v in versions}) != 1:
            # The scoring year's bounds must not depend on which version one asks.
            raise DomainError("同一规则集的各版本须使用相同的积分年度起点", code="duties.rulebook.year_start_changed")
        object.__setattr__(self, "versions", versions)
        object.__setattr__(self, "_froms", froms)

    @classmethod
    def of(cls, rules: DutyRuleSet | RuleBook | Iterable[DutyRuleSet]) -> RuleBook:
        if isinstance(rules, RuleBook):
            return rules
        if isinstance(rules, DutyRuleSet):
            return cls((rules,))
        return cls(tuple(rules))

    @property
    def code(self) -> str:
        return self.versions[0].code

    @property
    def year_start(self) -> YearStart:
        return self.versions[0].scoring_year_start

    def index_in_force(self, on: date) -> int:
        """Index into ``versions`` of the version in force on ``on``; -1 before the first version."""
        lo, hi = 0, len(self._froms)
        while lo < hi:  # bisect_right
            mid = (lo + hi) // 2
            if on < self._froms[mid]:
                hi = mid
            else:
                lo = mid + 1
        return lo - 1

    def in_force(self, on: date) -> DutyRuleSet:
        i = self.index_in_force(on)
        if i < 0:
            raise DomainError(f"{cn_date(on)}尚无生效的履职规则（最早版本自{cn_date(self._froms[0])}起施行）",
                              code="duties.rulebook.not_in_force")
        return self.versions[i]

    def scoring_year(self, year: int) -> Period:
        return scoring_year(year, self.year_start)

    def with_version(self, version: DutyRuleSet) -> RuleBook:
        return RuleBook(self.versions + (version,))


def check_new_version(book: RuleBook, version: DutyRuleSet, today: date) -> list[Blocker]:
    """A new version may not start before today: that would silently change points already earned.

    来源: docs/rules.md §6 (each change makes a new version with its own 生效日期).
    """
    out = check_ruleset(version.activity_types, version.requirements)
    if version.code != book.code:
        out.append(Blocker("duties.rulebook.mixed_codes", f"新版本代码“{version.code}”与规则集“{book.code}”不一致",
                           SOURCE))
    if version.version_from < today:
        out.append(Blocker("duties.version.backdated",
                           f"新版本的生效日期{cn_date(version.version_from)}早于今天，会改变已登记活动的积分；"
                           f"请改为{cn_date(today)}或以后", SOURCE))
    if any(v.version_from == version.version_from for v in book.versions):
        out.append(Blocker("duties.rulebook.same_date",
                           f"{cn_date(version.version_from)}已有一个版本生效，请选择其他生效日期", SOURCE))
    if version.scoring_year_start != book.year_start:
        out.append(Blocker("duties.rulebook.year_start_changed", "新版本不能改变积分年度起点", SOURCE))
    return out


# --------------------------------------------------------------------------------------------------------------
# Activities (input)
# --------------------------------------------------------------------------------------------------------------
class Activity(NamedTuple):
    """One logged duty activity.

    A NamedTuple rather than a dataclass on purpose: scoring a year of a district (10⁶ rows) unpacks plain tuples,
    and a database row with the same seven columns in this order can be passed as is.
    """

    id: Any
    delegate_id: Any
    type_code: str
    on: date
    status: str  # ActivityStatus value; only "verified" scores
    grade: str | None = None
    role: str = Role.lead
