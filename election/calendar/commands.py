"""`election holidays import FILE [--dry-run]`: read the State Council's yearly holiday notice (UTF-8 text) and
store the year's days off and 调休 working days. Prints one line per day in date order (``2027-01-01 放假`` /
``2027-02-07 上班``) and exits 0; a text it cannot read exits 2 with the Chinese reasons on stderr, storing nothing."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("holidays", help="法定节假日")
def holidays_group() -> None:
    pass


@holidays_group.command("import", help="读取国务院办公厅节假日安排通知（UTF-8 文本，- 为标准输入）并保存该年的放假与调休上班日")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="只显示识别结果，不保存")
@with_appcontext
def import_command(file, dry_run: bool) -> None:
    from election.calendar.services import import_holiday_notice, read_holiday_notice
    from election.core.clock import utcnow
    from election.core.db import db
    from election.core.exceptions import ServiceError

    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        click.echo("文件不是 UTF-8 文本：请把通知另存为 UTF-8 编码的文本文件后再导入", err=True)
        sys.exit(2)
    try:
        notice = read_holiday_notice(text) if dry_run else import_holiday_notice(db.session, None, text, utcnow())
    except ServiceError as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    for line in notice.lines():
        click.echo(line)
    if not dry_run:
        click.echo(f"已保存{notice.year}年的节假日设置，该年工作日以此为准。", err=True)
