"""`election workdays START N`: the N working days of a period starting on START, one ISO date per line.

START counts when it is a working day; otherwise the period starts on the next working day, so the last line
is the period's final day (来源: docs/rules.md §3.5). Works without a database: the calendar comes from
the ``chinese-calendar`` package, ``--overrides FILE`` and, when the app has set it, ``OVERRIDE_LOADER``
(the admin's 节假日设置 table). Bad input or a year without data → exit status 2, Chinese message on stderr.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from datetime import date

import click

from workflow.common.calendar import CalendarMissing, WorkCalendar, YearOverride, parse_overrides_json
from workflow.common.results import DomainError

# Set by the app to read the admin's override table from the database; None → package data (+ --overrides).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

OVERRIDE_LOADER: Callable[[], Mapping[int, YearOverride]] | None = None


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def _load_overrides(path: str | None) -> dict[int, YearOverride]:
    overrides: dict[int, YearOverride] = {}
    if OVERRIDE_LOADER is not None:
        try:
            overrides.update(OVERRIDE_LOADER())
        except Exception as exc:  # the database may be absent: say so and go on with the other sources
            click.echo(f"提示：未能读取系统中的节假日设置（{exc}），本次只使用内置节假日数据和 --overrides 文件。",
                       err=True)
    if path is not None:
        try:
            with open(path, "rb") as f:
                text = f.read()
        except FileNotFoundError:
            _fail(f"找不到节假日设置文件 {path}，请检查路径。")
        except OSError as exc:
            _fail(f"无法读取节假日设置文件 {path}（{exc.strerror}），请检查文件权限。")
        try:
            overrides.update(parse_overrides_json(text))  # the file given on the command line wins
        except DomainError as exc:
            _fail(f"节假日设置文件 {path} 有误：{exc.message}")
    return overrides


@click.command("workdays", context_settings={"ignore_unknown_options": True},  # "-3" reaches our own check
               help="列出从 START（YYYY-MM-DD）开始的 N 个工作日，每行一个日期；"
                    "START 不是工作日时从其后第一个工作日算起。")
@click.argument("start", required=False, metavar="START")
@click.argument("n", required=False, metavar="N")
@click.option("--overrides", "overrides_path", metavar="FILE", default=None,
              help='节假日设置 JSON 文件：{"2027": {"holidays": ["2027-01-01", …], "workdays": ["2027-02-07", …]}}，'
                   "优先于内置数据。")
def command(start: str | None, n: str | None, overrides_path: str | None) -> None:
    if start is None or n is None:
        _fail("用法：election workdays START N（例如 election workdays 2026-09-28 5）。请给出开始日期和工作日天数。")
    try:
        if not _ISO_DATE.fullmatch(start):
            raise ValueError(start)
        start_date = date.fromisoformat(start)
    except ValueError:
        _fail(f"开始日期“{start}”无效，请按 YYYY-MM-DD 格式填写，例如 2026-09-28。")
    if not (n.isascii() and n.isdigit()) or int(n) < 1:
        _fail(f"工作日天数“{n}”无效，请填写正整数，例如 5。")
    count = int(n)
    try:
        calendar = WorkCalendar(_load_overrides(overrides_path))
        days = calendar.working_days(start_date, count)
    except CalendarMissing as exc:
        _fail(exc.message)
    except DomainError as exc:
        _fail(exc.message)
    click.echo("\n".join(d.isoformat() for d in days))
