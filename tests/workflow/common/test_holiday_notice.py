"""Reading the State Council's holiday notice (workflow.common.holiday_notice): the published notices of 2021–2026
give exactly the working days of the chinese-calendar package for those years; every malformed text is refused
with a message naming the item."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from workflow.common.holiday_notice import NoticeError, parse_holiday_notice

NOTICES = Path(__file__).resolve().parents[2] / "data" / "holiday_notices"


def _notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def _is_workday(d: date, off: set[date], on: set[date]) -> bool:
    return d in on or (d.weekday() < 5 and d not in off)


@pytest.mark.parametrize("year", range(2021, 2027))
def test_published_notice_gives_the_calendar_packages_working_days(year):
    days = parse_holiday_notice(_notice(year))
    assert days.year == year
    off, on = set(days.holidays), set(days.workdays)
    d = date(year, 1, 1)
    differing = []
    while d.year == year:
        if _is_workday(d, off, on) != chinese_calendar.is_workday(d):
            differing.append(d)
        d += timedelta(days=1)
    assert differing == []
    assert all(d.weekday() >= 5 for d in on)  # 调休上班 days are Saturdays and Sundays


def test_lines_one_per_day_in_date_order():
    lines = parse_holiday_notice(_notice(2026)).lines()
    assert lines[:4] == ["2026-01-01 放假", "2026-01-02 放假", "2026-01-03 放假", "2026-01-04 上班"]
    assert "2026-02-14 上班" in lines and "2026-02-23 放假" in lines and lines[-1] == "2026-10-10 上班"
    assert lines == sorted(lines)
    assert len(lines) == 33 + 6


def test_range_across_the_new_year_and_days_of_the_year_before():
    days = parse_holiday_notice(_notice(2023))
    assert days.holidays[:3] == (date(2022, 12, 31), date(2023, 1, 1), date(2023, 1, 2))
    off, on = days.in_year()
    assert date(2022, 12, 31) not in off and date(2023, 1, 2) in off


def test_an_encouragement_is_no_day_off():
    days = parse_holiday_notice(_notice(2024))
    assert date(2024, 2, 9) not in days.holidays  # 鼓励……安排职工在除夕（2月9日）休息
    assert date(2024, 1, 1) in days.holidays and date(2024, 2, 18) in days.workdays


def test_range_end_without_month_and_with_its_own_month():
    days = parse_holiday_notice("2025年部分节假日安排\n五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。")
    assert days.holidays == (date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2))


def test_bu_xiu_is_a_day_off():
    days = parse_holiday_notice("一、纪念日：9月3日放假，9月4日（星期五）补休，9月6日（星期日）上班。", year=2015)
    assert days.holidays == (date(2015, 9, 3), date(2015, 9, 4)) and days.workdays == (date(2015, 9, 6),)


def test_full_width_digits_and_punctuation():
    days = parse_holiday_notice("一、元旦：１月１日（周三）放假１天，不调休。", year=2025)
    assert days.holidays == (date(2025, 1, 1),)


def test_stated_weekday_contradicting_its_date_is_refused_naming_the_item():
    text = _notice(2026).replace("2月28日（周六）上班", "2月28日（周日）上班")
    with pytest.raises(NoticeError) as err:
        parse_holiday_notice(text)
    assert err.value.problems == ["第二项“春节”：2月28日是星期六，通知写的是“周日”，请核对日期和星期"]


def test_weekday_of_a_range_end_is_checked_too():
    with pytest.raises(NoticeError, match="第三项“清明节”：4月6日是星期一"):
        parse_holiday_notice("三、清明节：4月4日（周六）至6日（周日）放假，共3天。", year=2026)


def test_text_with_no_arrangement_is_refused():
    with pytest.raises(NoticeError, match="没有读到任何放假或上班安排"):
        parse_holiday_notice("国务院办公厅关于2027年部分节假日安排的通知\n各省、自治区、直辖市人民政府：")


def test_text_without_a_year_is_refused_unless_given():
    with pytest.raises(NoticeError, match="没有找到年份"):
        parse_holiday_notice("一、元旦：1月1日放假。")
    assert parse_holiday_notice("一、元旦：1月1日放假。", year=2027).holidays == (date(2027, 1, 1),)


def test_a_date_neither_off_nor_on_is_refused():
    with pytest.raises(NoticeError, match="第一项“元旦”：看不出1月4日是放假还是上班"):
        parse_holiday_notice("一、元旦：1月1日放假。1月4日（周日）。", year=2026)


def test_same_day_off_and_on_is_refused():
    with pytest.raises(NoticeError, match="1月4日既写了放假又写了上班"):
        parse_holiday_notice("一、元旦：1月1日至4日放假。二、补班：1月4日（周日）上班。", year=2026)


@pytest.mark.parametrize("text, message", [
    ("一、春节：2月30日放假。", "2027年2月30日不是有效日期"),
    ("一、春节：2月10日至2月3日放假。", "2月3日早于2月10日"),
])
def test_impossible_dates_are_refused(text, message):
    with pytest.raises(NoticeError, match=message):
        parse_holiday_notice(text, year=2027)


def test_the_signature_date_arranges_nothing():
    days = parse_holiday_notice(_notice(2021))
    assert date(2020, 11, 25) not in days.holidays + days.workdays
