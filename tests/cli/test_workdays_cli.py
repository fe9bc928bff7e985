"""`election workdays START N` (docs/rules.md §3.5)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from election.cli import cli
from election.commands import workdays as workdays_module
from workflow.common.calendar import YearOverride

ELECTION = Path(sys.executable).with_name("election")
OVERRIDES_2027 = {"2027": {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03"], "workdays": []}}


def run(*args: str):
    return CliRunner().invoke(cli, ["workdays", *args])


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_workdays_example_from_issue():
    result = run("2026-09-28", "5")
    assert result.exit_code == 0
    assert result.stdout == "2026-09-28\n2026-09-29\n2026-09-30\n2026-10-08\n2026-10-09\n"


def test_workdays_start_on_holiday_begins_next_working_day():
    result = run("2026-02-15", "2")
    assert result.exit_code == 0
    assert result.stdout.split() == ["2026-02-24", "2026-02-25"]


def test_workdays_make_up_saturday_counts():
    assert run("2026-02-27", "2").stdout.split() == ["2026-02-27", "2026-02-28"]


def test_workdays_2027_without_data_exits_2_naming_the_year():
    result = run("2027-03-01", "5")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "2027年" in result.stderr and "节假日设置" in result.stderr


def test_workdays_crossing_into_2027_without_data_exits_2():
    result = run("2026-12-30", "3")
    assert result.exit_code == 2 and "2027年" in result.stderr and result.stdout == ""


def test_workdays_overrides_file_supplies_2027(tmp_path):
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps(OVERRIDES_2027), encoding="utf-8")
    result = run("2026-12-30", "3", "--overrides", str(path))
    assert result.exit_code == 0
    assert result.stdout.split() == ["2026-12-30", "2026-12-31", "2027-01-04"]


def test_workdays_overrides_file_wins_over_package(tmp_path):
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps({"2026": {"holidays": ["2026-10-08"], "workdays": []}}), encoding="utf-8")
    result = run("2026-10-07", "1", "--overrides", str(path))
    assert result.stdout.split() == ["2026-10-07"]  # the override replaces 2026: only 10/8 is off


@pytest.mark.parametrize("content", ["{broken", '{"2027": {"holidays": ["2027-13-01"]}}',
                                     '{"2027": {"workdays": ["2027-01-04"]}}'])
def test_workdays_bad_overrides_file_exits_2(tmp_path, content):
    path = tmp_path / "holidays.json"
    path.write_text(content, encoding="utf-8")
    result = run("2026-09-28", "5", "--overrides", str(path))
    assert result.exit_code == 2 and has_chinese(result.stderr) and "Traceback" not in result.output


def test_workdays_missing_overrides_file_exits_2(tmp_path):
    result = run("2026-09-28", "5", "--overrides", str(tmp_path / "none.json"))
    assert result.exit_code == 2 and "找不到" in result.stderr


def test_workdays_override_loader_hook_is_used(monkeypatch):
    monkeypatch.setattr(workdays_module, "OVERRIDE_LOADER",
                        lambda: {2027: YearOverride(holidays={date(2027, 1, 1)})})
    result = run("2026-12-31", "2")
    assert result.exit_code == 0 and result.stdout.split() == ["2026-12-31", "2027-01-04"]


def test_workdays_override_loader_failure_warns_and_uses_package(monkeypatch):
    def broken():
        raise RuntimeError("database unavailable")
    monkeypatch.setattr(workdays_module, "OVERRIDE_LOADER", broken)
    result = run("2026-09-28", "5")
    assert result.exit_code == 0 and result.stdout.split()[-1] == "2026-10-09"
    assert "未能读取" in result.stderr


@pytest.mark.parametrize("args", [
    ("2026-9-28", "5"), ("2026-02-30", "5"), ("20260928", "5"), ("yesterday", "5"),
    ("2026-09-28", "0"), ("2026-09-28", "-3"), ("2026-09-28", "five"), ("2026-09-28", "2.5"), ("2026-09-28", "５"),
    ("2026-09-28",), (),
])
def test_workdays_bad_input_exits_2_with_chinese_message(args):
    result = run(*args)
    assert result.exit_code == 2
    assert has_chinese(result.stderr) and result.stdout == ""
    assert "Traceback" not in result.output


def test_workdays_real_subprocess():
    ok = subprocess.run([str(ELECTION), "workdays", "2026-09-28", "5"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0
    assert ok.stdout.splitlines() == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]
    missing = subprocess.run([str(ELECTION), "workdays", "2027-01-04", "5"], capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode == 2 and "2027年" in missing.stderr and missing.stdout == ""
