"""`election sort-names [FILE] [--pad-single-given-name]` (docs/rules.md §3.4)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from election.cli import cli

EXPECTED = ["丁一", "于洋", "万里", "上官云", "马力", "王芳", "司马光", "乔丹", "刘伟", "李娜", "张伟", "陈静", "欧阳明"]
SHUFFLED = ["欧阳明", "刘伟", "万里", "陈静", "丁一", "司马光", "王芳", "上官云", "张伟", "于洋", "乔丹", "马力", "李娜"]
UNKNOWN = "\U000f0001"
ELECTION = Path(sys.executable).with_name("election")


def run(args, input=None):
    return CliRunner().invoke(cli, ["sort-names", *args], input=input)


def test_sort_names_stdin_prints_order_exit_0():
    result = run([], input="\n".join(SHUFFLED) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == EXPECTED
    assert result.stderr == ""


def test_sort_names_file_with_bom_blank_lines_and_spaces(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes(("\ufeff" + "\n".join(f"  {n} " for n in SHUFFLED) + "\n\n  \n").encode("utf-8"))
    result = run([str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == EXPECTED


def test_sort_names_crlf_and_separator_kept(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes("马力\r\n买买提·艾力\r\n丁一\r\n".encode())
    result = run([str(path)])
    assert result.stdout.splitlines() == ["丁一", "马力", "买买提·艾力"]


def test_sort_names_pad_single_given_name_flag():
    assert run([], input="田大利\n田富\n").stdout.splitlines() == ["田大利", "田富"]
    result = run(["--pad-single-given-name"], input="田大利\n田富\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["田富", "田大利"]


def test_sort_names_unknown_character_reported_on_stderr_exit_0():
    result = run([], input=f"{UNKNOWN}一\n丁一\nA王\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["丁一", "A王", f"{UNKNOWN}一"]  # unknowns by code point
    assert "以下字符缺少笔画数据，已排在同位置已知字符之后：" in result.stderr
    assert f"A、{UNKNOWN}" in result.stderr


def test_sort_names_stroke_override_option():
    result = run(["--strokes", f"{UNKNOWN}=1"], input=f"丁一\n{UNKNOWN}一\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{UNKNOWN}一", "丁一"]
    assert result.stderr == ""


def test_sort_names_bad_override_exit_2():
    result = run(["--strokes", "王=abc"], input="王一\n")
    assert result.exit_code == 2
    assert "笔顺" in result.stderr and "Traceback" not in result.output
    assert run(["--strokes", "王"], input="王一\n").exit_code == 2


def test_sort_names_missing_file_exit_2(tmp_path):
    result = run([str(tmp_path / "none.txt")])
    assert result.exit_code == 2
    assert "文件不存在" in result.stderr


def test_sort_names_directory_exit_2(tmp_path):
    result = run([str(tmp_path)])
    assert result.exit_code == 2
    assert "目录" in result.stderr


def test_sort_names_not_utf8_exit_2(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("王芳\n丁一\n".encode("gbk"))
    result = run([str(path)])
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr and "另存为" in result.stderr
    assert result.stdout == ""


def test_sort_names_empty_input_prints_nothing():
    result = run([], input="")
    assert result.exit_code == 0 and result.stdout == ""


def test_sort_names_real_subprocess_stdin_and_file(tmp_path):
    stdin = "\n".join([*SHUFFLED, f"{UNKNOWN}丹"]).encode("utf-8")
    proc = subprocess.run([str(ELECTION), "sort-names"], input=stdin, capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8").splitlines() == [*EXPECTED, f"{UNKNOWN}丹"]
    assert f"缺少笔画数据，已排在同位置已知字符之后：{UNKNOWN}" in proc.stderr.decode("utf-8")

    path = tmp_path / "names.txt"
    path.write_text("田大利\n田富\n", encoding="utf-8")
    proc = subprocess.run([str(ELECTION), "sort-names", "--pad-single-given-name", str(path)],
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8").splitlines() == ["田富", "田大利"]
    assert proc.stderr == b""
