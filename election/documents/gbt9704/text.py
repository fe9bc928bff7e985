"""How text is written on the page: dates in running text and in table cells, names with a padded slot,
the printed width of a string, and the resident ID numbers a posted document must not show.
"""
from __future__ import annotations

import datetime as dt
import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")


# ---------------------------------------------------------------------------------------------- dates
def format_date_cn(d: dt.date) -> str:
    """2026年3月1日 — Arabic numerals, no leading zeros (来源: GB/T 9704—2012 §7.3.5.3, docs/rules.md §4)."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_month_cn(d: dt.date) -> str:
    """1975年3月 — a month in running text."""
    return f"{d.year}年{d.month}月"


def format_month_table(d: dt.date | None) -> str:
    """1975.03 — a month in a table cell (the 年.月 form of cadre forms); empty for None."""
    return "" if d is None else f"{d.year}.{d.month:02d}"


def format_period_cn(start: dt.date, end: dt.date) -> str:
    """2026年3月2日至3月6日; the end keeps its year only when the period crosses a new year."""
    end_text = format_date_cn(end) if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{format_date_cn(start)}至{end_text}"


def format_name_cell(name: str, pad_single_given_name: bool = False) -> str:
    """王宁 → 王　宁 when the election prints two-character names with an empty slot (docs/rules.md §3.4)."""
    if pad_single_given_name and len(name) == 2:
        return f"{name[0]}\u3000{name[1]}"
    return name


def text_width_chars(text: str, narrow: float = 0.5) -> float:
    """Printed width in full-width characters: ASCII digits and letters count ``narrow`` (half in 仿宋_GB2312;
    tables pass 0.6 so a substitute font with wider digits does not wrap "2000.07")."""
    if text.isascii():
        return narrow * len(text)
    wide = sum(1 for ch in text if ch >= "\u2e80")
    return wide + narrow * (len(text) - wide)


def find_id_numbers(text: str) -> list[str]:
    """Every 18-character resident ID number pattern in ``text`` (来源: docs/rules.md §3.5)."""
    return _ID_NUMBER.findall(text)
