"""The official working-day calendar (公示 periods, deadlines, reminders).

Rules (来源: docs/rules.md §3.5):

* Saturdays and Sundays are off, statutory holidays are off, 调休 make-up days (a Saturday or Sunday
  declared a working day) are on.
* Data for a year comes from an override entered by the admin (系统管理 → 节假日设置) when there is one,
  otherwise from the ``chinese-calendar`` package (2004–2026 in version 1.11). An override replaces the
  package's data for its whole year.
* A date in a year with neither raises :class:`CalendarMissing` naming the year. The calendar never
  guesses "Monday to Friday" for an official period.

Counting conventions, one for the whole product:

* ``working_days(start, n)``: the N working days of a period that starts on START. START counts when it
  is a working day; otherwise the period starts on the next working day. ``period_end`` is the last of them.
  Example: 5 working days from 2026-09-28 are 09-28, 09-29, 09-30, 10-08, 10-09 (国庆).
* ``working_days_between(a, b)``: the number of working days d with a < d <= b (a excluded, b included);
  ``-working_days_between(b, a)`` when b < a, 0 when a == b. It is additive:
  ``between(a, b) + between(b, c) == between(a, c)``.
* ``add_working_days(d, n)``: n > 0 → the n-th working day after d (d itself never counts; from a
  working day this equals ``chinese_calendar.find_workday(n, d)``, which from a day off counts one more);
  n < 0 → the |n|-th working day before d; n == 0 → d when it is a working day, otherwise the next one.
* ``working_days_left(today, due)`` = ``working_days_between(today, due)``: due today → 0, due on the next
  working day → 1, overdue → negative.
"""
from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from workflow.common import sources
from workflow.common.results import Blocker, DomainError

SOURCE = sources.WORKING_DAYS
SETTINGS_PLACE = "系统管理 → 节假日设置"


class CalendarMissing(DomainError):
    """No holiday data for ``year``: neither the package nor an admin override covers it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"缺少{year}年的法定节假日数据，无法按工作日计算期限。"
            f"请管理员在“{SETTINGS_PLACE}”中录入{year}年的法定节假日和调休上班日后再试。",
            code="calendar.missing",
        )


@dataclass(frozen=True)
class YearOverride:
    """One year's holidays and 调休 make-up working days as entered by the admin.

    ``holidays``: days off (weekdays or weekend days inside a holiday; weekend days are off anyway).
    ``workdays``: Saturdays/Sundays that are working days (调休上班).
    Lists, sets or tuples are accepted and stored as frozensets.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))


def check_year_override(year: int, override: YearOverride) -> list[Blocker]:
    """Every problem in one year's override (for the admin form; the calendar raises on the same)."""
    # 来源: docs/rules.md §3.5 (调休 make-up days are Saturdays/Sundays)
    blockers: list[Blocker] = []
    for d in sorted(override.holidays | override.workdays):
        if d.year != year:
            blockers.append(Blocker("calendar.override.wrong_year",
                                    f"{d.isoformat()} 不属于{year}年，请录入到{d.year}年的节假日设置中", SOURCE))
    for d in sorted(override.holidays & override.workdays):
        blockers.append(Blocker("calendar.override.both",
                                f"{d.isoformat()} 同时被录入为节假日和调休上班日，请只保留一种", SOURCE))
    for d in sorted(override.workdays - override.holidays):
        if d.weekday() < 5:
            blockers.append(Blocker("calendar.override.workday_not_weekend",
                                    f"调休上班日 {d.isoformat()} 不是周六或周日，周一至周五本来就是工作日，请核对日期",
                                    SOURCE))
    return blockers


def parse_overrides_json(text: str | bytes) -> dict[int, YearOverride]:
    """Read ``{"2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}}``.

    Raises DomainError (Chinese, naming the entry) on anything malformed.
    """
    try:
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError(f"节假日设置文件不是有效的 JSON：{exc}", code="calendar.override.json") from None
    if not isinstance(raw, dict):
        raise DomainError('节假日设置文件应为 {"2027": {"holidays": [...], "workdays": [...]}} 的形式',
                          code="calendar.override.json")
    result: dict[int, YearOverride] = {}
    for key, entry in raw.items():
        try:
            year = int(key)
        except (TypeError, ValueError):
            raise DomainError(f"节假日设置中的年份“{key}”不是四位数字年份", code="calendar.override.json") from None
        if not isinstance(entry, dict) or set(entry) - {"holidays", "workdays"}:
            raise DomainError(f"{year}年的节假日设置只能包含 holidays（节假日）和 workdays（调休上班日）两个日期列表",
                              code="calendar.override.json")
        lists = {}
        for name, what in (("holidays", "节假日"), ("workdays", "调休上班日")):
            values = entry.get(name, [])
            if not isinstance(values, list):
                raise DomainError(f"{year}年的{what}（{name}）应为日期列表", code="calendar.override.json")
            lists[name] = [_parse_iso(v, f"{year}年的{what}") for v in values]
        override = YearOverride(holidays=lists["holidays"], workdays=lists["workdays"])
        problems = check_year_override(year, override)
        if problems:
            raise DomainError("；".join(b.message for b in problems), code=problems[0].code)
        result[year] = override
    return result


def _parse_iso(value: object, what: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DomainError(f"{what}中的“{value}”不是 YYYY-MM-DD 格式的日期", code="calendar.override.json")


@dataclass(frozen=True)
class _Year:
    """One year's working days as sorted ordinals plus a set (for bisect and membership)."""

    ordinals: tuple[int, ...]
    members: frozenset[int]


def _build_year(year: int, holidays: Iterable[date], workdays: Iterable[date]) -> _Year:
    off = {d.toordinal() for d in holidays}
    on = {d.toordinal() for d in workdays}
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    # date.fromordinal(o).weekday() == (o - 1) % 7 (0001-01-01 was a Monday); Mon–Fri are 0–4
    ordinals = tuple(o for o in range(first, last + 1)
                     if o in on or (o not in off and (o - 1) % 7 < 5))
    return _Year(ordinals, frozenset(ordinals))


@cache
def _package_year(year: int) -> _Year | None:
    """The package's working days of ``year``, or None when the package has no data for it."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:  # outside the package's years (2027+ for version 1.11)
        return None
    # the package's public tables (chinese_calendar.holidays / .workdays: date → name) under the same rule
    # as its is_workday(): make-up day, or Monday–Friday and not a holiday
    return _build_year(year, (d for d in chinese_calendar.holidays if d.year == year),
                       (d for d in chinese_calendar.workdays if d.year == year))


class WorkCalendar:
    """Working days from admin overrides (first) and the ``chinese-calendar`` package.

    Construct one per request/job with the admin's table; the package's years are cached process-wide and
    each override year once per instance. Raises :class:`CalendarMissing` for a year with no data and
    DomainError for an override that fails :func:`check_year_override`.
    """

    def __init__(self, overrides: Mapping[int, YearOverride] | None = None):
        self._overrides: dict[int, YearOverride] = dict(overrides or {})
        problems = [b for y, o in sorted(self._overrides.items()) for b in check_year_override(y, o)]
        if problems:
            raise DomainError("节假日设置有误：" + "；".join(b.message for b in problems), code=problems[0].code)
        self._years: dict[int, _Year] = {}

    # -- data per year ---------------------------------------------------------------------------
    def has_year(self, year: int) -> bool:
        """Whether working days of ``year`` are known (override or package)."""
        return year in self._overrides or _package_year(year) is not None

    def source_of(self, year: int) -> str:
        """Where ``year``'s data comes from: "override", "package" or "missing"."""
        if year in self._overrides:
            return "override"
        return "package" if _package_year(year) is not None else "missing"

    def _year(self, year: int) -> _Year:
        data = self._years.get(year)
        if data is None:
            override = self._overrides.get(year)
            if override is not None:  # 来源: docs/rules.md §3.5 — the admin's table takes precedence for its whole year
                data = _build_year(year, override.holidays, override.workdays)
            else:
                data = _package_year(year)
                if data is None:
                    raise CalendarMissing(year)
            self._years[year] = data
        return data

    def _count_upto(self, d: date) -> int:
        """Working days from 1 January of d's year up to and including d."""
        return bisect.bisect_right(self._year(d.year).ordinals, d.toordinal())

    # -- queries ---------------------------------------------------------------------------------
    def is_working_day(self, d: date) -> bool:
        return d.toordinal() in self._year(d.year).members

    def working_days(self, start: date, n: int) -> list[date]:
        """The N working days of a period starting on START (START counts when it is a working day)."""
        if n < 1:
            raise DomainError(f"工作日天数应为正整数，收到 {n}", code="calendar.bad_count")
        result: list[date] = []
        year = start.year
        ordinal = start.toordinal()
        while True:
            ordinals = self._year(year).ordinals
            i = bisect.bisect_left(ordinals, ordinal)
            result.extend(date.fromordinal(o) for o in ordinals[i:i + n - len(result)])
            if len(result) == n:
                return result
            year += 1
            if year > 9999:
                raise DomainError("期限超出可计算的日期范围", code="calendar.out_of_range")
            ordinal = date(year, 1, 1).toordinal()

    def period_end(self, start: date, n: int) -> date:
        """The last day of an N-working-day period starting on START (e.g. a 5-day 公示)."""
        return self.working_days(start, n)[-1]

    def next_working_day(self, d: date) -> date:
        """D when it is a working day, otherwise the first working day after it."""
        return self.working_days(d, 1)[0]

    def add_working_days(self, d: date, n: int) -> date:
        """n > 0: the n-th working day after d; n < 0: the |n|-th before d; 0: d or the next working day."""
        if n == 0:
            return self.next_working_day(d)
        if n > 0:
            return self.working_days(d + timedelta(1), n)[-1]
        remaining = -n
        year = d.year
        ordinal = d.toordinal()
        while True:
            ordinals = self._year(year).ordinals
            i = bisect.bisect_left(ordinals, ordinal)  # working days strictly before `ordinal`: ordinals[:i]
            if i >= remaining:
                return date.fromordinal(ordinals[i - remaining])
            remaining -= i
            year -= 1
            if year < 1:
                raise DomainError("期限超出可计算的日期范围", code="calendar.out_of_range")
            ordinal = date(year, 12, 31).toordinal() + 1

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative (−between(b, a)) when b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        if a.year == b.year:
            return self._count_upto(b) - self._count_upto(a)
        total = len(self._year(a.year).ordinals) - self._count_upto(a)
        for year in range(a.year + 1, b.year):
            total += len(self._year(year).ordinals)
        return total + self._count_upto(b)

    def working_days_left(self, today: date, due: date) -> int:
        """Working days left until DUE: 0 on the due day, negative once overdue (between(today, due))."""
        return self.working_days_between(today, due)
