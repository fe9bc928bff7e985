"""The JSON shape of ``election tally`` (docs/tally.md): read one round, check every field, count it.

Input::

    {"preset": "地方组织" | "基层组织", "seats": 16, "eligible": 308, "present": 300, "ballots_collected": 300,
     "candidates": ["…"], "ballots": [{"for": ["…"], "against": ["…"], "write_in": ["…"]}, …]}

or, instead of ``ballots``, ``"totals": {"valid": 297, "invalid": 3, "for": {"name": n}, "write_in": {"name": n}}``
(optionally ``"against": {"name": n}``). Optional settings: ``"quorum_rule": "at_least" | "more_than"`` (the
[待定] comparison of the quorum; default from the preset), ``"pad_single_given_name": true|false`` and
``"stroke_overrides": {"字": "笔顺"}`` (姓氏笔画 settings, docs/rules.md §3.4). The output is :meth:`workflow.tally.count.TallyResult.as_json`.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workflow.common.results import DomainError
from workflow.tally.count import TallyResult, tally_ballots, tally_totals
from workflow.tally.rules import Ballot, RoundSetup, Totals, get_preset

REQUIRED_KEYS = ("preset", "seats", "eligible", "present", "ballots_collected", "candidates")
OPTIONAL_KEYS = ("ballots", "totals", "quorum_rule", "pad_single_given_name", "stroke_overrides")
BALLOT_KEYS = frozenset(("for", "against", "write_in"))
TOTALS_KEYS = ("valid", "invalid", "for", "write_in", "against")
_FIELD_LABELS = {"preset": "选举规则", "seats": "应选名额", "eligible": "应到会人数", "present": "实到会人数",
                 "ballots_collected": "收回选票数", "candidates": "候选人名单"}


@dataclass(frozen=True)
class TallyRequest:
    """One round read from JSON: its setup and either the ballots or the totals."""

    setup: RoundSetup
    ballots: Sequence[Ballot] | None = None
    totals: Totals | None = None

    def tally(self) -> TallyResult:
        if self.ballots is not None:
            return tally_ballots(self.setup, self.ballots)
        assert self.totals is not None
        return tally_totals(self.setup, self.totals)


def run_tally_json(text: str | bytes) -> dict:
    """Read, check and count one round; return the output object. Raises DomainError with a Chinese message."""
    return parse_tally_json(text).tally().as_json()


def parse_tally_json(text: str | bytes) -> TallyRequest:
    """Parse the JSON text of one round (see module docstring). Raises DomainError naming the bad field."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("输入不是 UTF-8 编码的文本，请以 UTF-8 保存 JSON 文件。", "tally.input.encoding") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(f"输入不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}），请检查括号、引号和逗号。",
                          "tally.input.json") from None
    return parse_tally_request(data)


def parse_tally_request(data: object) -> TallyRequest:
    """Check a decoded JSON object of one round and build the request (docs/tally.md)."""
    if not isinstance(data, dict):
        raise DomainError("输入应为一个 JSON 对象（以 { 开头），包含 preset、seats、eligible、present、"
                          "ballots_collected、candidates 以及 ballots 或 totals。", "tally.input.not_object")
    problems: list[str] = []
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        problems.append("缺少字段：" + "、".join(f"{k}（{_FIELD_LABELS[k]}）" for k in missing) + "。")
    if "ballots" in data and "totals" in data:
        problems.append("ballots（逐张选票）和 totals（计票汇总）只能给出一种。")
    elif "ballots" not in data and "totals" not in data:
        problems.append("缺少字段：ballots（逐张选票）或 totals（计票汇总），请给出其中一种。")
    unknown = [k for k in data if k not in REQUIRED_KEYS and k not in OPTIONAL_KEYS]
    if unknown:
        problems.append(f"无法识别的字段：{'、'.join(map(str, unknown))}；允许的字段为 "
                        f"{'、'.join(REQUIRED_KEYS + OPTIONAL_KEYS)}。")
    if problems:
        raise DomainError("\n".join(problems), "tally.input.keys")

    if not isinstance(data["preset"], str):
        raise DomainError("preset（选举规则）应为“地方组织”或“基层组织”。", "tally.preset.unknown")
    quorum_rule = data.get("quorum_rule")
    preset = get_preset(data["preset"], quorum_rule=quorum_rule)
    for key in ("seats", "eligible", "present", "ballots_collected"):
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"{key}（{_FIELD_LABELS[key]}）应为不小于0的整数，现为 {json.dumps(value, ensure_ascii=False)}。")
    candidates = data["candidates"]
    if not isinstance(candidates, list) or not all(isinstance(n, str) for n in candidates):
        problems.append("candidates（候选人名单）应为姓名字符串的列表。")
    pad = data.get("pad_single_given_name", False)
    if not isinstance(pad, bool):
        problems.append("pad_single_given_name 应为 true 或 false。")
    overrides = data.get("stroke_overrides")
    if overrides is not None and not (isinstance(overrides, dict) and all(isinstance(v, str) for v in overrides.values())):
        problems.append('stroke_overrides 应为对象：{"字": "笔顺数字"}，例如 {"达": "134454"}。')
    if problems:
        raise DomainError("\n".join(problems), "tally.input.value")
    setup = RoundSetup(preset, data["seats"], data["eligible"], data["present"], data["ballots_collected"],
                       tuple(candidates), pad_single_given_name=pad, stroke_overrides=overrides)
    if "ballots" in data:
        ballots = _parse_ballots(data["ballots"])
        return TallyRequest(setup, ballots=ballots)
    return TallyRequest(setup, totals=_parse_totals(data["totals"]))


def _parse_ballots(raw: object) -> list[Ballot]:
    """Check the JSON shape of every ballot; names are checked against the candidates by check_ballots."""
    if not isinstance(raw, list):
        raise DomainError("ballots（逐张选票）应为列表，每张选票形如 {\"for\": [...], \"against\": [...], \"write_in\": [...]}。",
                          "tally.input.ballots")
    problems: list[str] = []
    for i, b in enumerate(raw, 1):
        if not isinstance(b, dict):
            problems.append(f"第{i}张选票应为对象，形如 {{\"for\": [...], \"against\": [...], \"write_in\": [...]}}。")
            continue
        extra = b.keys() - BALLOT_KEYS
        if extra:
            problems.append(f"第{i}张选票含有无法识别的字段：{'、'.join(sorted(extra))}（只允许 for、against、write_in）。")
        for key in BALLOT_KEYS & b.keys():
            names = b[key]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                problems.append(f"第{i}张选票的 {key} 应为姓名字符串的列表。")
        if len(problems) >= 20:
            break
    if problems:
        raise DomainError("选票格式有误：\n" + "\n".join(problems), "tally.input.ballots")
    return raw


def _parse_totals(raw: object) -> Totals:
    if not isinstance(raw, dict):
        raise DomainError("totals（计票汇总）应为对象：{\"valid\": n, \"invalid\": n, \"for\": {姓名: n}, \"write_in\": {姓名: n}}。",
                          "tally.input.totals")
    problems: list[str] = []
    missing = [k for k in ("valid", "invalid", "for") if k not in raw]
    if missing:
        problems.append(f"totals 缺少字段：{'、'.join(missing)}。")
    extra = [k for k in raw if k not in TOTALS_KEYS]
    if extra:
        problems.append(f"totals 含有无法识别的字段：{'、'.join(map(str, extra))}（只允许 {'、'.join(TOTALS_KEYS)}）。")
    for key in ("for", "write_in", "against"):
        if key in raw and not isinstance(raw[key], dict):
            problems.append(f"totals.{key} 应为对象：{{姓名: 票数}}。")
    for key in ("valid", "invalid"):
        if key in raw and (isinstance(raw[key], bool) or not isinstance(raw[key], int)):
            problems.append(f"totals.{key} 应为整数。")
    if problems:
        raise DomainError("\n".join(problems), "tally.input.totals")
    return Totals(valid=raw["valid"], invalid=raw["invalid"], for_votes=_counts(raw["for"]),
                  write_in=_counts(raw.get("write_in", {})), against=_counts(raw.get("against", {})))


def _counts(raw: Mapping) -> dict:
    return dict(raw)  # values are checked (whole numbers ≥ 0) by workflow.tally.count.check_totals
