"""`election org import FILE` and `election org export FILE`: the organisation directory as a sheet
(编码 | 名称 | 类别 | 上级编码 | 基层党组织数 | 党员数 | 联系人 | 联系电话).

import: all or nothing; exits 0 and prints how many organisations were added, updated and unchanged; on any error
exits 2, prints every Chinese message (with its row and column) and writes nothing.
export: writes the same format, parents before children and siblings by 编码."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("org", help="组织机构")
def org_group() -> None:
    pass


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(2)


@org_group.command("import", help="从 .xlsx 导入组织机构（按编码更新已有组织，从不删除；有错误则全部不导入）")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_command(file: str) -> None:
    from election.core.clock import utcnow
    from election.core.db import db
    from election.core.exceptions import ServiceError
    from election.core.xlsx import SheetRejected
    from election.directory.readers import parse_directory_sheet, tree_errors
    from election.directory.services import DirectoryRejected, import_organisations

    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        _fail([f"无法读取文件“{file}”：{exc.strerror or exc}"])
    try:
        sheet = parse_directory_sheet(data)
    except SheetRejected as exc:
        _fail([exc.message])
    errors = sheet.errors
    if not errors:
        try:
            result = import_organisations(db.session, None, sheet.records, utcnow(), sheet.rows)
        except DirectoryRejected as exc:
            errors = tree_errors(exc.problems, sheet.rows)
        except ServiceError as exc:
            _fail([exc.message])
        else:
            click.echo(f"组织机构已导入：新增{result.added}个，更新{result.updated}个，未变{result.unchanged}个。")
            return
    _fail([f"{'第' + str(e.row) + '行' if e.row else '已有组织'}「{e.column}」：{e.message}" for e in errors]
          + [f"共{len(errors)}处错误，未导入任何组织。"])


@org_group.command("export", help="把组织机构导出为 .xlsx（与导入的格式相同）")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(file: str) -> None:
    from election.core.db import db
    from election.directory.queries import all_records
    from election.directory.readers import write_directory_sheet

    records = list(all_records(db.session).values())
    try:
        Path(file).write_bytes(write_directory_sheet(records))
    except OSError as exc:
        _fail([f"无法写入文件“{file}”：{exc.strerror or exc}"])
    click.echo(f"已导出{len(records)}个组织到“{file}”。")
