"""Lenient roster dates (workflow.common.dates): every usual spelling in, PartialDate out, Chinese reasons."""
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.common.dates import PartialDate, anniversary, parse_partial_date
from workflow.common.results import DomainError


@pytest.mark.parametrize(("value", "expected"), [
    ("1975-03", PartialDate(1975, 3)),
    ("1975-3", PartialDate(1975, 3)),
    ("1975.3", PartialDate(1975, 3)),
    ("1975.03", PartialDate(1975, 3)),
    ("1975.10", PartialDate(1975, 10)),
    ("1975/3", PartialDate(1975, 3)),
    ("1975年3月", PartialDate(1975, 3)),
    ("1975年03月", PartialDate(1975, 3)),
    ("1975 年 3 月", PartialDate(1975, 3)),
    ("197503", PartialDate(1975, 3)),
    ("1975-03-02", PartialDate(1975, 3, 2)),
    ("1975年3月2日", PartialDate(1975, 3, 2)),
    ("1975/3/2", PartialDate(1975, 3, 2)),
    ("1975.3.2", PartialDate(1975, 3, 2)),
    ("19750302", PartialDate(1975, 3, 2)),
    ("1975-03-02 00:00:00", PartialDate(1975, 3, 2)),
    ("１９７５－０３", PartialDate(1975, 3)),
    ("１９７５年３月２日", PartialDate(1975, 3, 2)),
    ("  1975.03\u3000", PartialDate(1975, 3)),
    (197503, PartialDate(1975, 3)),
    (19750302, PartialDate(1975, 3, 2)),
    (1975.03, PartialDate(1975, 3)),
    (1975.3, PartialDate(1975, 3)),
    (1975.12, PartialDate(1975, 12)),
    (197503.0, PartialDate(1975, 3)),
])
def test_parse_accepts_usual_spellings(value, expected):
    assert parse_partial_date(value) == expected


def test_parse_excel_date_keeps_day_only_when_format_shows_it():
    assert parse_partial_date(datetime(1975, 3, 1)) == PartialDate(1975, 3, 1)
    assert parse_partial_date(datetime(1975, 3, 1), with_day=False) == PartialDate(1975, 3)
    assert parse_partial_date(date(1975, 3, 2)) == PartialDate(1975, 3, 2)


@pytest.mark.parametrize(("value", "code", "message"), [
    ("1975-13", "date.month", "日期“1975-13”的月份应为1～12，当前为13"),
    ("1975.0", "date.month", "日期“1975.0”的月份应为1～12，当前为0"),
    ("2019-02-29", "date.day", "日期“2019-02-29”不存在：2019年2月没有29日"),
    ("1975年4月31日", "date.day", "日期“1975年4月31日”不存在：1975年4月没有31日"),
    ("1875-03", "date.year", "日期“1875-03”的年份1875不合理，请写成1975-03或1975-03-02"),
    ("1975", "date.no_month", "日期“1975”只有年份，请补上月份，如1975-03"),
    ("1975年", "date.no_month", "日期“1975年”只有年份，请补上月份，如1975-03"),
    ("一九七五年三月", "date.format", "无法识别日期“一九七五年三月”，请写成1975-03或1975-03-02"),
    ("75.3", "date.format", "无法识别日期“75.3”，请写成1975-03或1975-03-02"),
    ("", "date.empty", "日期为空，请写成1975-03或1975-03-02"),
    (1975.1, "date.ambiguous", ("日期“1975.1”无法确定是1月还是10月（Excel会把1975.10存成1975.1），"
                               "请把单元格设为文本后写成1975-01或1975-10")),
])
def test_parse_rejects_impossible_dates_with_reason(value, code, message):
    with pytest.raises(DomainError) as caught:
        parse_partial_date(value)
    assert (caught.value.code, caught.value.message) == (code, message)


def test_parse_leap_day_accepted_in_leap_year():
    assert parse_partial_date("2020-02-29") == PartialDate(2020, 2, 29)


def test_partial_date_month_precision_spans_the_month():
    d = PartialDate(2024, 2)
    assert (d.first_day, d.last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    assert d.matches(date(2024, 2, 29)) and not d.matches(date(2024, 3, 1))
    assert PartialDate(2024, 2, 3).matches(date(2024, 2, 3)) and not PartialDate(2024, 2, 3).matches(date(2024, 2, 4))
    assert (str(d), d.dotted, d.has_day) == ("2024-02", "2024.02", False)
    assert (str(PartialDate(2024, 2, 3)), PartialDate(2024, 2, 3).dotted) == ("2024-02-03", "2024.02.03")


@pytest.mark.parametrize(("birth", "years", "expected"), [
    (date(1976, 2, 29), 18, date(1994, 3, 1)),  # common year: the day after 28 February
    (date(1976, 2, 29), 20, date(1996, 2, 29)),
    (date(1968, 5, 12), 18, date(1986, 5, 12)),
])
def test_anniversary_leap_day_moves_to_first_of_march(birth, years, expected):
    assert anniversary(birth, years) == expected


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}/{m}/{d}", "{y}{m:02d}{d:02d}", "{y}.{m}.{d}"]))
def test_parse_round_trips_any_real_date(day, pattern):
    text = pattern.format(y=day.year, m=day.month, d=day.day)
    assert parse_partial_date(text) == PartialDate(day.year, day.month, day.day)
