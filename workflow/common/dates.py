"""Lenient reading of the dates people type into rosters: 1975-03, 1975.3, 1975年3月2日, 19750302 …

A roster date often has only a year and a month (出生年月, 入党时间), so the result is a
``PartialDate`` whose ``day`` may be ``None``. Impossible dates are refused with a Chinese reason that
says how to write the date instead. Pure: no Excel here; readers pass Excel's ``date``/``datetime``
values in and say whether the cell's format showed a day.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from workflow.common.results import DomainError

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
FORMAT_HINT = "请写成1975-03或1975-03-02"


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the month (``day`` is ``None``) or to the day."""

    year: int
    month: int
    day: int | None = None

    @classmethod
    def of(cls, value: date, *, with_day: bool = True) -> PartialDate:
        return cls(value.year, value.month, value.day if with_day else None)

    @property
    def has_day(self) -> bool:
        return self.day is not None

    @property
    def first_day(self) -> date:
        """The earliest date it can mean."""
        return date(self.year, self.month, self.day or 1)

    @property
    def last_day(self) -> date:
        """The latest date it can mean."""
        return date(self.year, self.month, self.day or calendar.monthrange(self.year, self.month)[1])

    def matches(self, value: date) -> bool:
        """True when ``value`` falls within it (same month, and same day when a day is known)."""
        return (value.year, value.month) == (self.year, self.month) and self.day in (None, value.day)

    @property
    def dotted(self) -> str:
        """Roster style: 1975.03 or 1975.03.02."""
        return f"{self.year}.{self.month:02d}" + (f".{self.day:02d}" if self.day else "")

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


_SEP = r"\s*[-./年]\s*"
_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_PATTERNS = (
    re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})\s*[-./月]\s*(\d{{1,2}})\s*日?{_TIME}"),
    re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})\s*月?(?:份)?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})(\d{2})"),
)
_YEAR_ONLY = re.compile(r"(\d{4})\s*年?")


def cn_date(d: date) -> str:
    """2026年3月1日 — the date as a clerk writes it, Arabic numerals without leading zeros (docs/rules.md §4)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _build(text: str, y: int, m: int, d: int | None) -> PartialDate:
    if not EARLIEST_YEAR <= y <= LATEST_YEAR:
        raise DomainError(f"日期“{text}”的年份{y}不合理，{FORMAT_HINT}", "date.year")
    if not 1 <= m <= 12:
        raise DomainError(f"日期“{text}”的月份应为1～12，当前为{m}", "date.month")
    if d is not None and not 1 <= d <= calendar.monthrange(y, m)[1]:
        raise DomainError(f"日期“{text}”不存在：{y}年{m}月没有{d}日", "date.day")
    return PartialDate(y, m, d)


def parse_partial_date(value: object, *, with_day: bool = True) -> PartialDate:
    """Read a date typed in any of the usual ways; raise ``DomainError`` (Chinese) when it is not one.

    ``value`` may be text, a ``date``/``datetime`` (an Excel date cell: ``with_day=False`` when the cell
    format shows no day), or a number typed into a General cell (197503, 1975.03).
    """
    if isinstance(value, datetime | date):
        return PartialDate.of(value, with_day=with_day)
    if isinstance(value, bool):
        raise DomainError(f"无法识别日期“{value}”，{FORMAT_HINT}", "date.format")
    if isinstance(value, float):
        text = repr(value)
        if text.endswith(".0"):
            text = text[:-2]
        elif re.fullmatch(r"\d{4}\.1", text):
            # 1975.10 typed into a General cell is stored as 1975.1: January or October?
            raise DomainError(
                f"日期“{text}”无法确定是1月还是10月（Excel会把1975.10存成1975.1），"
                "请把单元格设为文本后写成1975-01或1975-10", "date.ambiguous")
    else:
        text = str(value)
    return _parse_text(text.strip())


@lru_cache(maxsize=4096)
def _parse_text(raw: str) -> PartialDate:
    s = unicodedata.normalize("NFKC", raw).strip()
    if not s:
        raise DomainError(f"日期为空，{FORMAT_HINT}", "date.empty")
    for pattern in _PATTERNS:
        match = pattern.fullmatch(s)
        if match:
            parts = [int(g) for g in match.groups()]
            return _build(raw, parts[0], parts[1], parts[2] if len(parts) == 3 else None)
    if _YEAR_ONLY.fullmatch(s):
        raise DomainError(f"日期“{raw}”只有年份，请补上月份，如1975-03", "date.no_month")
    raise DomainError(f"无法识别日期“{raw}”，{FORMAT_HINT}", "date.format")


def anniversary(birth: date, years: int) -> date:
    """The day someone born on ``birth`` turns ``years`` old; 29 February → 1 March in common years."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)
