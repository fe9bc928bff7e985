"""Read the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) into days off and
working days, for a year the bundled calendar does not know yet.

The notice has a stable form, one numbered item per holiday:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    四、劳动节：5月1日放假，与周末连休。

Every date or range in a clause that says 放假 (or 补休) is a day off, every date in a clause that says 上班 is a
working day; a range's end may leave out its month or year (3日 = the start's month). A weekday stated beside a
date (周四, 星期日) must be that date's weekday. A sentence that only encourages (鼓励 … 休息) arranges nothing.
Problems come back as Chinese messages naming the item, never as a guess. 来源: docs/rules.md §3.5.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

HOLIDAY = "放假"
WORKDAY = "上班"
_WEEKDAYS = "一二三四五六日"
_NUMERALS = "一二三四五六七八九十"

_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日"
_END = r"(?:(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日"
_NOTE = r"(?:\((?P<{p}note>[^()]*)\))?"
_SPAN = re.compile(_DATE.format(p="s") + _NOTE.format(p="s") + r"(?:(?:至|到|-|~)" + _END + _NOTE.format(p="e") + ")?")
_ITEM = re.compile(rf"(?:^|(?<=[。\n]))[ \t]*(?P<num>[{_NUMERALS}]+)、[ \t]*(?P<name>[^:\n]{{1,16}}):")
_YEAR = re.compile(r"(\d{4})年(?:部分)?节假日")
_SIGNATURE = re.compile(r"(?:\d{4}年\d{1,2}月\d{1,2}日)?")
_STATED_WEEKDAY = re.compile(r"(?:星期|周|礼拜)([一二三四五六日天])")


class NoticeError(ValueError):
    """The text cannot be read as a holiday notice; ``problems`` lists every reason, in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class NoticeDays:
    """The arrangement a notice states: its year, the days off and the working days, each in date order."""

    year: int
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]

    def lines(self) -> list[str]:
        """One line per day in date order: ``2027-01-01 放假`` / ``2027-02-06 上班``."""
        days = [(d, HOLIDAY) for d in self.holidays] + [(d, WORKDAY) for d in self.workdays]
        return [f"{d.isoformat()} {kind}" for d, kind in sorted(days)]

    def in_year(self) -> tuple[frozenset[date], frozenset[date]]:
        """(days off, working days) within the notice's year: a day of the year before (元旦 beginning on
        12月31日) belongs to that year's arrangement, not this one's."""
        return (frozenset(d for d in self.holidays if d.year == self.year),
                frozenset(d for d in self.workdays if d.year == self.year))


def _weekday_name(d: date) -> str:
    return "星期" + _WEEKDAYS[d.weekday()]


def _check_weekday(d: date, note: str | None, where: str, problems: list[str]) -> None:
    stated = _STATED_WEEKDAY.search(note or "")
    if not stated:
        return
    wanted = _WEEKDAYS.index("日" if stated.group(1) == "天" else stated.group(1))
    if d.weekday() != wanted:
        problems.append(f"{where}：{d.month}月{d.day}日是{_weekday_name(d)}，通知写的是“{stated.group(0)}”，"
                        "请核对日期和星期")


def _date(y: int, m: int, d: int, where: str, problems: list[str]) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        problems.append(f"{where}：{y}年{m}月{d}日不是有效日期")
        return None


def _spans(clause: str, year: int, where: str, problems: list[str]) -> list[date]:
    days: list[date] = []
    for m in _SPAN.finditer(clause):
        sy = int(m["sy"]) if m["sy"] else year
        start = _date(sy, int(m["sm"]), int(m["sd"]), where, problems)
        if start is None:
            continue
        _check_weekday(start, m["snote"], where, problems)
        if m["ed"] is None:
            days.append(start)
            continue
        em = int(m["em"]) if m["em"] else start.month
        ey = int(m["ey"]) if m["ey"] else (start.year + 1 if em < start.month else start.year)
        end = _date(ey, em, int(m["ed"]), where, problems)
        if end is None:
            continue
        _check_weekday(end, m["enote"], where, problems)
        if end < start:
            problems.append(f"{where}：{end.month}月{end.day}日早于{start.month}月{start.day}日，请核对起止日期")
            continue
        if (end - start).days > 40:
            problems.append(f"{where}：{start.month}月{start.day}日至{end.month}月{end.day}日超过40天，不像一个假期，请核对")
            continue
        days.extend(start + timedelta(days=i) for i in range((end - start).days + 1))
    return days


def _items(text: str) -> list[tuple[str, str]]:
    """(where, body) for every numbered item; the whole text as one item when it has no numbering."""
    heads = list(_ITEM.finditer(text))
    if not heads:
        return [("通知", text)]
    out = []
    for i, head in enumerate(heads):
        body = text[head.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        out.append((f"第{head['num']}项“{head['name'].strip()}”", body))
    return out


def parse_holiday_notice(text: str, year: int | None = None) -> NoticeDays:
    """The days a notice arranges. ``year`` is read from the notice's title (…关于2027年部分节假日安排…) unless
    given. Raises :class:`NoticeError` with every problem found; nothing is guessed."""
    text = unicodedata.normalize("NFKC", text or "").replace("\r\n", "\n")
    if year is None:
        found = _YEAR.search(text)
        if not found:
            raise NoticeError(["没有找到年份：请粘贴通知全文，包括标题“国务院办公厅关于××××年部分节假日安排的通知”"])
        year = int(found.group(1))
    problems: list[str] = []
    off: dict[date, str] = {}
    on: dict[date, str] = {}
    for where, body in _items(text):
        for sentence in re.split(r"[。\n]", body):
            if "鼓励" in sentence:  # an encouragement (e.g. 除夕休息) arranges no day
                continue
            if _SIGNATURE.fullmatch(sentence.replace("国务院办公厅", "").strip()):  # the signer and its date
                continue
            pending: list[date] = []
            for clause in re.split(r"[,;]", sentence):
                days = _spans(clause, year, where, problems)
                if WORKDAY in clause:
                    target = on
                elif HOLIDAY in clause or "补休" in clause:
                    target = off
                else:
                    pending.extend(days)
                    continue
                for d in (*pending, *days):
                    target.setdefault(d, where)
                pending = []
            if pending:
                listed = "、".join(f"{d.month}月{d.day}日" for d in pending)
                problems.append(f"{where}：看不出{listed}是放假还是上班（句中应有“放假”或“上班”）")
    for d in sorted(set(off) & set(on)):
        problems.append(f"{off[d]}和{on[d]}：{d.month}月{d.day}日既写了放假又写了上班")
    if not off and not on and not problems:
        problems.append("没有读到任何放假或上班安排：应为国务院办公厅节假日安排通知的正文，"
                        "如“一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。”")
    if problems:
        raise NoticeError(problems)
    return NoticeDays(year, tuple(sorted(off)), tuple(sorted(on)))
