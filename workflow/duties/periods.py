"""Scoring periods: the scoring year (which may start on another day than 1月1日) cut into months, quarters,
half-years; a date's period; dates written the Chinese way (来源: docs/rules.md §4, §6)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from workflow.common.dates import cn_date
from workflow.common.results import DomainError


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half_year = "half_year"
    year = "year"

    @property
    def label(self) -> str:
        return {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}[self.value]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[self.value]


# --------------------------------------------------------------------------------------------------------------
# Periods (aligned to the scoring year's start; with the default 1月1日 they are calendar months/quarters/…)
# --------------------------------------------------------------------------------------------------------------
LATE_ENTRY_LAST_MONTH = 1  # the previous year's records are taken through January: its 年度考评 runs to 次年1月中旬


def entry_date_problem(on: date, today: date, what: str = "提出日期") -> str | None:
    """Why a duty record dated ON cannot be entered TODAY, or None: not after today, and not in a year already
    reviewed — the previous year is open through January only, while its 年度考评 is being done (docs/rules.md §6
    凤县: 次年1月中旬推荐模范履职党代表; the cut-off month is this system's default)."""
    if on > today:
        return f"{what}{cn_date(on)}晚于今天，请核对"
    first_open_year = today.year - 1 if today.month <= LATE_ENTRY_LAST_MONTH else today.year
    if on.year < first_open_year:
        return (f"{what}{cn_date(on)}所在年度的履职考评已结束，不能再登记；"
                f"上一年度的记录请在次年{LATE_ENTRY_LAST_MONTH}月底前登记")
    return None


def _add_months(d: date, months: int) -> date:
    # Only used with day ≤ 28 (DutyRuleSet refuses a later scoring-year start day), so no clamping is needed.
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, d.day)


YearStart = tuple[int, int]


def _check_year_start(year_start: YearStart) -> None:
    month, day = year_start
    if not (1 <= month <= 12 and 1 <= day <= 28):
        raise DomainError("积分年度起点应为某月1日至28日之间的一天（如1月1日）", code="duties.year_start.invalid")


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range [start, end] of a kind, the ``index``-th (from 1) in scoring year ``year``."""

    start: date
    end: date
    kind: PeriodKind
    year: int
    index: int
    aligned: bool = True  # scoring year starts on 1月1日, so calendar names apply

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def label(self) -> str:
        if not self.aligned:
            names = {"month": "月", "quarter": "季度", "half_year": "半年", "year": ""}
            if self.kind is PeriodKind.year:
                return f"{self.year}积分年度（{cn_date(self.start)}至{cn_date(self.end)}）"
            return f"{self.year}积分年度第{self.index}{names[self.kind]}（{cn_date(self.start)}至{cn_date(self.end)}）"
        if self.kind is PeriodKind.month:
            return f"{self.year}年{self.start.month}月"
        if self.kind is PeriodKind.quarter:
            return f"{self.year}年第{self.index}季度"
        if self.kind is PeriodKind.half_year:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年度"

    def days_left(self, today: date) -> int:
        return (self.end - today).days


def scoring_year(year: int, year_start: YearStart = (1, 1)) -> Period:
    """Scoring year ``year`` starts on ``year_start`` (month, day) of calendar year ``year``."""
    _check_year_start(year_start)
    start = date(year, *year_start)
    return Period(start, _add_months(start, 12) - timedelta(days=1), PeriodKind.year, year, 1, year_start == (1, 1))


def scoring_year_of(d: date, year_start: YearStart = (1, 1)) -> int:
    _check_year_start(year_start)
    return d.year if (d.month, d.day) >= year_start else d.year - 1


def periods_of_year(year: int, kind: PeriodKind | str, year_start: YearStart = (1, 1)) -> tuple[Period, ...]:
    kind = PeriodKind(kind)
    ys = scoring_year(year, year_start)
    size = kind.months
    return tuple(
        Period(_add_months(ys.start, i * size), _add_months(ys.start, (i + 1) * size) - timedelta(days=1),
               kind, year, i + 1, ys.aligned)
        for i in range(12 // size)
    )


def period_containing(d: date, kind: PeriodKind | str, year_start: YearStart = (1, 1)) -> Period:
    kind = PeriodKind(kind)
    year = scoring_year_of(d, year_start)
    months = (d.year - year) * 12 + d.month - year_start[0] - (1 if d.day < year_start[1] else 0)
    return periods_of_year(year, kind, year_start)[months // kind.months]


def periods_overlapping(start: date, end: date, kind: PeriodKind | str,
                        year_start: YearStart = (1, 1)) -> tuple[Period, ...]:
    """Every period of ``kind`` that shares at least one day with [start, end], in date order."""
    if end < start:
        raise DomainError(f"期间结束日{cn_date(end)}早于开始日{cn_date(start)}，请检查日期",
                          code="duties.period.reversed")
    out: list[Period] = []
    p = period_containing(start, kind, year_start)
    while p.start <= end:
        out.append(p)
        p = period_containing(p.end + timedelta(days=1), kind, year_start)
    return tuple(out)
