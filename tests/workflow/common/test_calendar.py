"""Working-day calendar at its boundaries (docs/rules.md §3.5)."""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.common.calendar import (
    CalendarMissing,
    WorkCalendar,
    YearOverride,
    check_year_override,
    parse_overrides_json,
)
from workflow.common.results import DomainError

D = date.fromisoformat
CAL = WorkCalendar()

# A plausible 2027 for tests only (not an official notice): 元旦 1/1–3, 春节 2/6–12 with 2/14 (Sun) on.
OVERRIDE_2027 = {2027: YearOverride(
    holidays={D("2027-01-01"), D("2027-01-02"), D("2027-01-03")} | {D("2027-02-06") + timedelta(i) for i in range(7)},
    workdays={D("2027-02-14")},
)}


@pytest.mark.parametrize(("day", "working"), [
    ("2026-03-06", True),    # Friday
    ("2026-03-07", False),   # Saturday
    ("2026-03-08", False),   # Sunday
    ("2026-03-09", True),    # Monday
    ("2026-01-01", False),   # 元旦
    ("2026-01-04", True),    # Sunday, 元旦 make-up day
    ("2026-02-14", True),    # Saturday, 春节 make-up day
    ("2026-02-16", False),   # 春节 Monday
    ("2026-02-23", False),   # 春节 last day, a Monday
    ("2026-02-24", True),
    ("2026-02-28", True),    # Saturday, 春节 make-up day
    ("2026-05-09", True),    # Saturday, 劳动节 make-up day
    ("2026-09-20", True),    # Sunday, 国庆 make-up day
    ("2026-10-01", False),   # 国庆
    ("2026-10-07", False),
    ("2026-10-08", True),
    ("2026-10-10", True),    # Saturday, 国庆 make-up day
    ("2026-10-11", False),   # Sunday after it
])
def test_working_day_weekends_holidays_and_make_up_days(day, working):
    assert CAL.is_working_day(D(day)) is working


def test_working_days_national_day_2026_example_from_issue():
    expected = ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]
    assert CAL.working_days(D("2026-09-28"), 5) == [D(s) for s in expected]


def test_period_end_notice_posted_before_national_day_ends_on_make_up_saturday():
    # 9/29, 9/30, 10/8, 10/9, 10/10 (调休 Saturday counts)
    assert CAL.period_end(D("2026-09-29"), 5) == D("2026-10-10")
    assert CAL.period_end(D("2026-09-29"), 4) == D("2026-10-09")


def test_working_days_spring_festival_2026_make_up_saturdays_count():
    assert CAL.working_days(D("2026-02-13"), 5) == [D("2026-02-13"), D("2026-02-14"), D("2026-02-24"),
                                                    D("2026-02-25"), D("2026-02-26")]
    assert CAL.period_end(D("2026-02-24"), 5) == D("2026-02-28")


@pytest.mark.parametrize(("start", "first"), [
    ("2026-10-01", "2026-10-08"),   # holiday → next working day
    ("2026-03-07", "2026-03-09"),   # Saturday → Monday
    ("2026-10-10", "2026-10-10"),   # 调休 Saturday is itself a working day
    ("2026-03-09", "2026-03-09"),   # a working day counts
])
def test_working_days_period_starts_on_start_or_next_working_day(start, first):
    assert CAL.working_days(D(start), 1) == [D(first)]
    assert CAL.next_working_day(D(start)) == D(first)


def test_working_days_count_must_be_positive():
    with pytest.raises(DomainError):
        CAL.working_days(D("2026-03-09"), 0)


def test_year_boundary_without_data_raises_naming_2027():
    assert CAL.working_days(D("2026-12-30"), 2) == [D("2026-12-30"), D("2026-12-31")]
    with pytest.raises(CalendarMissing) as info:
        CAL.working_days(D("2026-12-30"), 3)
    assert info.value.year == 2027
    assert info.value.code == "calendar.missing"
    assert "2027年" in info.value.message and "系统管理 → 节假日设置" in info.value.message


def test_year_boundary_with_override_crosses_into_2027():
    cal = WorkCalendar(OVERRIDE_2027)
    # 2027-01-01 Fri holiday, 1/2–1/3 weekend/holiday → Monday 1/4
    assert cal.working_days(D("2026-12-30"), 4) == [D("2026-12-30"), D("2026-12-31"), D("2027-01-04"),
                                                    D("2027-01-05")]
    assert cal.working_days_between(D("2026-12-31"), D("2027-01-04")) == 1
    assert cal.add_working_days(D("2027-01-04"), -1) == D("2026-12-31")
    assert cal.is_working_day(D("2027-02-14"))        # Sunday make-up day
    assert not cal.is_working_day(D("2027-02-08"))    # Monday in 春节


@pytest.mark.parametrize("day", ["2027-03-01", "2003-06-02", "2030-10-08"])
def test_year_without_data_raises_never_guesses(day):
    with pytest.raises(CalendarMissing) as info:
        CAL.is_working_day(D(day))
    assert info.value.year == D(day).year
    assert isinstance(info.value, DomainError)
    assert not CAL.has_year(D(day).year)


def test_override_wins_over_package():
    # the admin moved the 10/10 make-up day away and added 10/8 as a holiday
    cal = WorkCalendar({2026: YearOverride(
        holidays={D("2026-10-01") + timedelta(i) for i in range(8)}, workdays={D("2026-09-20")})})
    assert not cal.is_working_day(D("2026-10-08"))
    assert not cal.is_working_day(D("2026-10-10"))
    assert cal.is_working_day(D("2026-02-16"))  # the override replaces the whole year: 春节 not entered
    assert cal.working_days(D("2026-09-28"), 5)[-1] == D("2026-10-12")
    assert cal.source_of(2026) == "override" and CAL.source_of(2026) == "package" and CAL.source_of(2027) == "missing"


def test_calendar_agrees_with_package_every_day_2004_to_2026():
    d = D("2004-01-01")
    while d.year < 2027:
        assert CAL.is_working_day(d) is chinese_calendar.is_workday(d), d
        d += timedelta(1)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("2026-03-09", "2026-03-09", 0),
    ("2026-03-09", "2026-03-10", 1),
    ("2026-03-06", "2026-03-09", 1),    # Fri → Mon: only Monday counts
    ("2026-03-07", "2026-03-08", 0),    # Sat → Sun
    ("2026-09-30", "2026-10-08", 1),    # across 国庆
    ("2026-09-30", "2026-10-10", 3),    # 10/8, 10/9, 10/10
    ("2026-10-08", "2026-09-30", -1),   # reversed: negative
    ("2025-12-31", "2026-01-05", 2),    # 1/4 (Sun, make-up) and 1/5
])
def test_working_days_between_boundaries(a, b, expected):
    assert CAL.working_days_between(D(a), D(b)) == expected


@pytest.mark.parametrize(("today", "due", "left"), [
    ("2026-10-09", "2026-10-09", 0),    # due today
    ("2026-10-08", "2026-10-09", 1),
    ("2026-09-30", "2026-10-09", 2),    # the holiday does not count
    ("2026-10-12", "2026-10-09", -2),   # overdue: 10/10 and 10/12 passed
])
def test_working_days_left(today, due, left):
    assert CAL.working_days_left(D(today), D(due)) == left


@pytest.mark.parametrize(("start", "n", "expected"), [
    ("2026-09-28", 5, "2026-10-10"),   # the 5th working day *after* 9/28 (as chinese_calendar.find_workday)
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-10-01", 0, "2026-10-08"),   # 0: the day itself or the next working day
    ("2026-10-08", 0, "2026-10-08"),
    ("2026-10-08", -1, "2026-09-30"),
    ("2026-01-05", -2, "2025-12-31"),  # 1/4 (make-up Sunday), then back over 元旦 into 2025
])
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(D(start), n) == D(expected)


days_2025_2026 = st.dates(min_value=D("2025-01-01"), max_value=D("2026-10-31"))


@settings(max_examples=150, deadline=None)
@given(days_2025_2026, st.integers(min_value=1, max_value=20))
def test_add_working_days_matches_package_and_period_end(d, n):
    # the package agrees from a working day; from a day off it first moves to the next working day
    assert CAL.add_working_days(d, n) == chinese_calendar.find_workday(n if CAL.is_working_day(d) else n - 1, d)
    expected_end = CAL.add_working_days(d, n - 1 if CAL.is_working_day(d) else n)
    assert CAL.period_end(d, n) == expected_end
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@settings(max_examples=150, deadline=None)
@given(days_2025_2026, days_2025_2026, days_2025_2026)
def test_working_days_between_is_additive_and_antisymmetric(a, b, c):
    between = CAL.working_days_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(a, b) == -between(b, a)
    lo, hi = min(a, b), max(a, b)
    brute = sum(CAL.is_working_day(lo + timedelta(i)) for i in range(1, (hi - lo).days + 1))
    assert abs(between(a, b)) == brute


@settings(max_examples=100, deadline=None)
@given(days_2025_2026, st.integers(min_value=1, max_value=30))
def test_add_working_days_negative_undoes_positive(d, n):
    # back n from the n-th working day after d lands on d itself, or on the last working day before it
    expected = d if CAL.is_working_day(d) else CAL.add_working_days(d, -1)
    assert CAL.add_working_days(CAL.add_working_days(d, n), -n) == expected


@pytest.mark.parametrize(("override", "code"), [
    (YearOverride(holidays={D("2028-01-01")}), "calendar.override.wrong_year"),
    (YearOverride(holidays={D("2027-02-14")}, workdays={D("2027-02-14")}), "calendar.override.both"),
    (YearOverride(workdays={D("2027-02-15")}), "calendar.override.workday_not_weekend"),   # a Monday
])
def test_override_invalid_is_refused(override, code):
    assert [b.code for b in check_year_override(2027, override)] == [code]
    with pytest.raises(DomainError) as info:
        WorkCalendar({2027: override})
    assert info.value.code == code


def test_override_empty_year_is_weekdays_entered_by_admin():
    # an admin who enters a year with no holidays has decided it; the calendar then follows weekdays
    cal = WorkCalendar({2027: YearOverride()})
    assert cal.is_working_day(D("2027-01-01")) and not cal.is_working_day(D("2027-01-02"))


def test_parse_overrides_json_reads_years():
    parsed = parse_overrides_json('{"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-02-14"]}}')
    assert parsed == {2027: YearOverride(holidays={D("2027-01-01")}, workdays={D("2027-02-14")})}


@pytest.mark.parametrize("text", [
    "not json",
    "[]",
    '{"abc": {}}',
    '{"2027": {"holiday": []}}',
    '{"2027": {"holidays": "2027-01-01"}}',
    '{"2027": {"holidays": ["2027/01/01"]}}',
    '{"2027": {"holidays": ["2026-01-01"]}}',
])
def test_parse_overrides_json_bad_input_raises_chinese(text):
    with pytest.raises(DomainError) as info:
        parse_overrides_json(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
