"""`election sort-names [FILE]`: print names in 姓氏笔画 order (来源: docs/rules.md §3.4)."""
from __future__ import annotations

import sys

import click

from workflow.common.results import DomainError
from workflow.common.strokes import sort_names, unknown_characters

_SEPARATOR = "、"


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def _read_names(path: str | None) -> list[str]:
    where = "标准输入" if path in (None, "-") else f"文件“{path}”"
    try:
        if path in (None, "-"):
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except FileNotFoundError:
        _fail(f"无法读取{where}：文件不存在。请检查路径。")
    except IsADirectoryError:
        _fail(f"无法读取{where}：这是一个目录，请指定姓名文件。")
    except PermissionError:
        _fail(f"无法读取{where}：没有读取权限。请检查文件权限。")
    except OSError as exc:
        _fail(f"无法读取{where}：{exc.strerror or exc}。请检查路径和读取权限。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{where}不是 UTF-8 编码（第 {exc.start + 1} 个字节无法识别）。请另存为 UTF-8 后重试。")
    lines = (line.strip().lstrip("\ufeff").strip() for line in text.splitlines())
    return [line for line in lines if line]


def _parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        char, sep, seq = value.partition("=")
        if not sep or len(char.strip()) != 1:
            _fail(f"--strokes “{value}”格式不对：应为“字=笔顺”，如 --strokes 达=134454")
        overrides[char.strip()] = seq.strip()
    return overrides


@click.command(name="sort-names", help="按姓氏笔画排序姓名（每行一个，UTF-8），从 FILE 或标准输入读取。")
@click.argument("file", required=False, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--pad-single-given-name", is_flag=True,
              help="单名在姓与名之间按空一格比较（田富排在田大利之前）。")
@click.option("--strokes", "stroke_overrides", multiple=True, metavar="字=笔顺",
              help="补录生僻字的笔顺，数字 1横 2竖 3撇 4点 5折，可重复，如 --strokes 𬌗=1523341251。")
def command(file: str | None, pad_single_given_name: bool, stroke_overrides: tuple[str, ...]) -> None:
    names = _read_names(file)
    overrides = _parse_overrides(stroke_overrides)
    try:
        ordered = sort_names(names, pad_single_given_name=pad_single_given_name, overrides=overrides)
    except DomainError as exc:
        _fail(exc.message)
    for name in ordered:
        click.echo(name)
    missing = unknown_characters(names, overrides)
    if missing:
        click.echo(
            f"以下字符缺少笔画数据，已排在同位置已知字符之后：{_SEPARATOR.join(missing)}。"
            "请核对用字，或用 --strokes 字=笔顺 补录后重新排序。",
            err=True,
        )
