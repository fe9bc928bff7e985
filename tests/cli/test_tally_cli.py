"""`election tally FILE` (rules of docs/rules.md §3.3; format in docs/tally.md)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from election.cli import cli

ELECTION = Path(sys.executable).with_name("election")
OUTPUT_KEYS = ["round_valid", "quorum_met", "threshold", "valid_ballots", "invalid_ballots", "votes", "elected",
               "tied", "unfilled_seats", "next", "explanation"]
SIXTEEN_SEATS = ["王芳", "李娜", "张伟", "刘伟", "陈静", "马力", "丁一", "于洋", "万里", "上官云", "司马光", "乔丹",
                 "欧阳明", "赵敏", "钱多", "孙立", "周红", "吴刚", "郑爽", "冯雪"]


def ballots_round(**overrides) -> dict:
    data = {
        "preset": "地方组织", "seats": 2, "eligible": 5, "present": 5, "ballots_collected": 5,
        "candidates": ["王芳", "李娜", "张伟"],
        "ballots": [
            {"for": ["王芳", "李娜"]},
            {"for": ["王芳"], "write_in": ["赵敏"]},
            {"for": ["王芳", "李娜"], "write_in": ["赵敏"]},  # 3 for-votes for 2 seats: void
            {"for": ["王芳", "李娜"], "against": ["张伟"]},
            {},  # all abstain: valid
        ],
    }
    data.update(overrides)
    return data


def totals_round(**overrides) -> dict:
    """The sample's figures (docs/rules.md §2): 16 seats, 308 应到会, 300 实到会, 297 valid + 3 invalid; a tie for
    the 16th seat."""
    votes = {name: 290 - 5 * i for i, name in enumerate(SIXTEEN_SEATS[:15])}  # 290 … 220
    votes.update({"孙立": 180, "周红": 180, "吴刚": 150, "郑爽": 100})
    data = {"preset": "地方组织", "seats": 16, "eligible": 308, "present": 300, "ballots_collected": 300,
            "candidates": SIXTEEN_SEATS,
            "totals": {"valid": 297, "invalid": 3, "for": votes, "write_in": {"冯雪": 0, "何平": 12}}}
    data.update(overrides)
    return data


def run_json(data, *, as_text: str | None = None):
    text = as_text if as_text is not None else json.dumps(data, ensure_ascii=False)
    return CliRunner().invoke(cli, ["tally", "-"], input=text.encode("utf-8"))


def test_tally_cli_ballots_prints_the_result_as_json(tmp_path):
    path = tmp_path / "round.json"
    path.write_text(json.dumps(ballots_round(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["tally", str(path)])
    assert result.exit_code == 0, result.output
    assert "王芳" in result.stdout  # ensure_ascii=False: names are printed as they are
    out = json.loads(result.stdout)
    assert list(out) == OUTPUT_KEYS
    assert {k: v for k, v in out.items() if k != "explanation"} == {
        "round_valid": True, "quorum_met": True, "threshold": 3, "valid_ballots": 4, "invalid_ballots": 1,
        "votes": {"王芳": 3, "李娜": 2, "赵敏": 1, "张伟": 0}, "elected": ["王芳"], "tied": [], "unfilled_seats": 1,
        "next": "additional_round",
    }
    assert "超过应到会人数5人一半的赞成票，即至少3票" in out["explanation"] and "尚缺1名" in out["explanation"]


def test_tally_cli_totals_tie_for_the_last_seat():
    result = run_json(totals_round())
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["threshold"], out["valid_ballots"], out["invalid_ballots"]) == (155, 297, 3)
    assert out["next"] == "revote_tie" and sorted(out["tied"]) == sorted(["孙立", "周红"])
    assert len(out["elected"]) == 15 and out["unfilled_seats"] == 1
    assert out["votes"]["何平"] == 12 and "冯雪" in out["votes"]  # write-ins merged into votes
    assert list(out["votes"])[:2] == ["王芳", "李娜"]
    assert "各得180票" in out["explanation"]


def test_tally_cli_grassroots_quorum_rule_setting():
    base = totals_round(preset="基层组织", eligible=375, present=300)  # 4/5 of 375 = 300 exactly
    assert json.loads(run_json(base).stdout)["quorum_met"] is True
    strict = json.loads(run_json({**base, "quorum_rule": "more_than"}).stdout)
    assert (strict["quorum_met"], strict["next"], strict["elected"]) == (False, "no_quorum", [])
    assert (strict["valid_ballots"], strict["invalid_ballots"], strict["unfilled_seats"]) == (0, 300, 16)
    assert strict["threshold"] == 151  # stated even though nothing is counted: > ½ of 实到会 300


def test_tally_cli_void_round_when_more_ballots_than_voters():
    out = json.loads(run_json(totals_round(ballots_collected=301)).stdout)
    assert (out["round_valid"], out["quorum_met"], out["next"]) == (False, True, "void_round")
    assert (out["votes"], out["elected"], out["unfilled_seats"], out["threshold"]) == ({}, [], 16, 155)


def test_tally_cli_done_when_seats_are_filled():
    data = totals_round()
    data["totals"]["for"]["周红"] = 170
    out = json.loads(run_json(data).stdout)
    assert out["next"] == "done" and out["tied"] == [] and out["unfilled_seats"] == 0 and "孙立" in out["elected"]


@pytest.mark.parametrize(("data", "message"), [
    (ballots_round(preset="村委会"), "未知的选举规则“村委会”"),
    (ballots_round(seats=-1), "seats（应选名额）应为不小于0的整数"),
    (ballots_round(present=6, ballots_collected=5), "实到会人数（6）多于应到会人数（5）"),
    (ballots_round(ballots=[{"for": ["赵敏"]}, {}, {}, {}, {}]), "第1张选票：赞成的“赵敏”不在候选人名单中"),
    (ballots_round(ballots=[{}, {"for": ["王芳"], "against": ["王芳"]}, {}, {}, {}]),
     "第2张选票：“王芳”同时出现在赞成和不赞成中"),
    (ballots_round(ballots=[{}, {}, {}, {}]), "录入的选票有4张，与收回选票5张不符"),
    (ballots_round(ballots=[{"for": "王芳"}, {}, {}, {}, {}]), "第1张选票的 for 应为姓名字符串的列表"),
    (ballots_round(ballots=[{"yes": ["王芳"]}, {}, {}, {}, {}]), "无法识别的字段：yes"),
    ({k: v for k, v in ballots_round().items() if k != "eligible"}, "缺少字段：eligible（应到会人数）"),
    ({k: v for k, v in ballots_round().items() if k != "ballots"}, "ballots（逐张选票）或 totals（计票汇总）"),
    (ballots_round(totals={"valid": 5, "invalid": 0, "for": {}}), "只能给出一种"),
    (ballots_round(seat=2), "无法识别的字段：seat"),
    (totals_round(totals={"valid": 297, "invalid": 2, "for": {}}), "不等于收回选票300张"),
    (totals_round(totals={"valid": 297, "invalid": 3, "for": {"张三": 1}}), "“张三”不在候选人名单中"),
    (totals_round(totals={"valid": 297, "invalid": 3, "for": {"王芳": -1}}), "应为不小于0的整数"),
    ([1, 2], "输入应为一个 JSON 对象"),
])
def test_tally_cli_bad_input_exits_2_with_a_chinese_message(data, message):
    result = run_json(data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.output


def test_tally_cli_invalid_json_exits_2():
    result = run_json(None, as_text='{"preset": "地方组织",')
    assert result.exit_code == 2 and "输入不是有效的 JSON" in result.stderr


def test_tally_cli_missing_file_or_argument_exits_2(tmp_path):
    missing = CliRunner().invoke(cli, ["tally", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "无法读取文件" in missing.stderr
    bare = CliRunner().invoke(cli, ["tally"])
    assert bare.exit_code == 2 and "用法：election tally FILE" in bare.stderr


def test_tally_cli_real_subprocess(tmp_path):
    path = tmp_path / "round.json"
    path.write_text(json.dumps(totals_round(), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([str(ELECTION), "tally", str(path)], capture_output=True, text=True, encoding="utf-8",
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["next"] == "revote_tie"
    bad = subprocess.run([str(ELECTION), "tally", "-"], input="{", capture_output=True, text=True, encoding="utf-8",
                         timeout=60, check=False)
    assert bad.returncode == 2 and "输入不是有效的 JSON" in bad.stderr and "Traceback" not in bad.stderr


def test_tally_cli_stroke_settings():
    data = ballots_round(candidates=["田富", "田大利", "王芳"], seats=2,
                         ballots=[{"for": ["田富", "田大利"]}] * 3 + [{}] * 2, pad_single_given_name=True)
    assert json.loads(run_json(data).stdout)["elected"] == ["田富", "田大利"]
    bad = run_json({**data, "stroke_overrides": {"田": "x"}})
    assert bad.exit_code == 2 and "笔顺" in bad.stderr
