"""`election quota check FILE`: JSON in, JSON out; bad input -> exit 2 with a Chinese message."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from election.cli import cli

CATEGORIES = {"基层一线": ["先进模范人物", "专业技术人员", "其他一线"], "先进模范人物": ["工人", "农民", "其他先进模范"],
              "领导干部": ["局级领导干部", "处级领导干部"]}
DOC = {
    "reference_date": "2019-04-10", "seats": 3, "categories": CATEGORIES,
    "rules": [{"code": "women", "where": {"gender": "女"}, "min": 1},
              {"code": "minority", "where": {"ethnicity_not": "汉族"}, "min": 1},
              {"code": "under50", "where": {"age_below": 50}, "min": 2},
              {"code": "frontline", "where": {"category_in": ["基层一线"]}, "min_share": "1/3"},
              {"code": "leaders", "where": {"category_in": ["领导干部"]}, "max": 1}],
    "candidates": [
        {"name": "马兰", "gender": "女", "ethnicity": "回族", "birth_date": "1975-03-02", "category": "工人"},
        {"name": "王强", "gender": "男", "ethnicity": "汉族", "birth_date": "1969-04-10", "category": "局级领导干部"},
        {"name": "李明", "gender": "男", "ethnicity": "汉族", "birth_date": "1969-04-11", "category": "处级领导干部"},
        {"name": "张静", "gender": "女", "ethnicity": "汉族", "birth_date": "1980-01-01", "category": "专业技术人员"},
    ],
}


def run(tmp_path: Path, doc) -> tuple[int, str, str]:
    path = tmp_path / "in.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["quota", "check", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_quota_check_outputs_the_documented_keys(tmp_path):
    code, out, _ = run(tmp_path, DOC)
    assert code == 0
    data = json.loads(out)
    assert {"as_is", "safe", "worst_case", "critical", "feasible", "conflicts"} <= set(data)
    assert [r["code"] for r in data["as_is"]] == ["women", "minority", "under50", "frontline", "leaders"]
    assert all({"code", "required", "actual", "ok"} <= set(r) for r in data["as_is"])
    assert all({"code", "worst", "ok"} <= set(r) for r in data["worst_case"])
    as_is = {r["code"]: r for r in data["as_is"]}
    # 王强 turns 50 on the reference date: not under 50; 李明 is 49 for one more day
    assert (as_is["under50"]["actual"], as_is["under50"]["required"], as_is["under50"]["ok"]) == (3, 2, True)
    assert (as_is["frontline"]["required"], as_is["frontline"]["actual"]) == (2, 2)  # 1/3 of 4 -> 2
    assert (as_is["leaders"]["required"], as_is["leaders"]["actual"], as_is["leaders"]["ok"]) == (1, 2, False)
    worst = {r["code"]: r for r in data["worst_case"]}
    assert (worst["minority"]["worst"], worst["minority"]["ok"]) == (0, False)
    assert (worst["leaders"]["worst"], worst["leaders"]["ok"]) == (2, False)
    assert data["safe"] is False
    assert data["critical"] == ["马兰", "张静"]
    assert data["feasible"] is True and data["conflicts"] == []
    assert "马兰" in out  # UTF-8, not \\u escapes


def test_quota_check_infeasible_lists_conflicts_and_suggestions(tmp_path):
    doc = copy.deepcopy(DOC)
    doc["candidates"][0]["ethnicity"] = "汉族"
    code, out, _ = run(tmp_path, doc)
    data = json.loads(out)
    assert code == 0 and data["feasible"] is False and data["conflicts"] == ["minority"]
    assert data["suggestions"][0]["count"] == 1 and "少数民族" in data["suggestions"][0]["message"]


def test_quota_check_reads_stdin():
    result = CliRunner().invoke(cli, ["quota", "check", "-"], input=json.dumps(DOC, ensure_ascii=False))
    assert result.exit_code == 0 and json.loads(result.stdout)["feasible"] is True


def _broken(path, value):
    doc = copy.deepcopy(DOC)
    *head, last = path
    target = doc
    for key in head:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize("doc, message", [
    (_broken(["candidates", 1, "category"], "工匠"), "第2名候选人（王强）的身份类别（category）“工匠”不存在"),
    (_broken(["candidates", 0, "birth_date"], "1975-02-30"), "第1名候选人（马兰）的出生日期（birth_date）"),
    (_broken(["candidates", 3, "gender"], KeyError), "第4名候选人（张静）缺少性别（gender）"),
    (_broken(["rules", 0, "where"], {"sex": "女"}), "未知的键“sex”"),
    (_broken(["rules", 0, "max"], 0), "最少人数（min）1 大于最多人数（max）0"),
    (_broken(["reference_date"], "2019-4-10"), "年龄计算基准日（reference_date）"),
    (_broken(["seats"], 0), "应选名额（seats）"),
    (_broken(["rules", 3, "min_share"], "1/x"), "最低比例（min_share）"),
    ("{not json", "不是有效的 JSON"),
    ("[]", "输入应为一个 JSON 对象"),
])
def test_quota_check_bad_input_exits_2_with_chinese_message(tmp_path, doc, message):
    code, out, err = run(tmp_path, doc)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_quota_check_unreadable_file_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["quota", "check", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "文件不存在" in result.stderr


def test_quota_check_real_subprocess(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(DOC, ensure_ascii=False), encoding="utf-8")
    exe = Path(sys.executable).with_name("election")
    proc = subprocess.run([str(exe), "quota", "check", str(path)], capture_output=True, timeout=60, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C"})
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout.decode("utf-8"))["critical"] == ["马兰", "张静"]
    bad = subprocess.run([str(exe), "quota", "check", str(tmp_path / "nope.json")], capture_output=True, timeout=60, check=False,
                         env={"PATH": "/usr/bin:/bin", "LANG": "C"})
    assert bad.returncode == 2 and "文件不存在" in bad.stderr.decode("utf-8")
