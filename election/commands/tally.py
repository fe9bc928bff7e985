"""`election tally FILE`: count one round of a ballot from JSON and print the result as JSON (来源: docs/rules.md §3.3).

FILE is a path or ``-`` for standard input; the format is in docs/tally.md and ``workflow.tally.io``. The rules
are those of docs/rules.md §3.3 (``workflow.tally.count``). Works without a database. Bad input → exit status 2
with a Chinese message on stderr.
"""
from __future__ import annotations

import json
import sys

import click
from workflow.tally.io import run_tally_json

from workflow.common.results import DomainError


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@click.command("tally", help="按选举规则计算一轮选举的结果：读入 JSON（FILE 为文件路径，- 表示标准输入），输出 JSON。"
                             "格式见 docs/tally.md。")
@click.argument("file", required=False, metavar="FILE")
def command(file: str | None) -> None:
    if file is None:
        _fail("用法：election tally FILE（FILE 为一轮选举的 JSON 文件，- 表示从标准输入读取）。")
    try:
        with click.open_file(file, "rb") as f:  # "-" is standard input
            data = f.read()
    except OSError as exc:
        _fail(f"无法读取文件 {file}：{exc.strerror or exc}。请检查路径。")
    try:
        result = run_tally_json(data)
    except DomainError as exc:
        _fail(f"输入有误：{exc.message}")
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
