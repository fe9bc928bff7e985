"""`election quota check FILE`: the structural quota engine on a JSON file (docs/quota-check.md).

Pure: no database. Bad input exits with status 2 and a Chinese message on stderr naming what to fix.
"""
from __future__ import annotations

import json
import sys
from typing import Any

import click
from workflow.quotas.categories import CategoryTree
from workflow.quotas.checks import check_as_is, check_list_blockers, compute_feasibility, compute_safety
from workflow.quotas.rules import parse_candidates, parse_date, parse_rules, seats_ok

from workflow.common.results import DomainError

TOP_KEYS = ("reference_date", "seats", "categories", "rules", "candidates")


def _read(path: str) -> Any:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except FileNotFoundError:
        raise DomainError(f"无法读取文件“{path}”：文件不存在") from None
    except IsADirectoryError:
        raise DomainError(f"无法读取文件“{path}”：这是一个目录") from None
    except PermissionError:
        raise DomainError(f"无法读取文件“{path}”：没有读取权限") from None
    except OSError as exc:
        raise DomainError(f"无法读取文件“{path}”：{exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(f"文件“{path}”不是 UTF-8 编码的文本，请另存为 UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(f"文件“{path}”不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有误（{exc.msg}）") from None


def run_check(doc: Any) -> dict[str, Any]:
    """Answer the three questions for one input document (raises DomainError on bad input)."""
    if not isinstance(doc, dict):
        raise DomainError("输入应为一个 JSON 对象，包含 reference_date、seats、rules、candidates")
    unknown = [k for k in doc if k not in TOP_KEYS]
    if unknown:
        raise DomainError(f"输入中有未知的字段“{unknown[0]}”，可用：{'、'.join(TOP_KEYS)}")
    for key, label in (("reference_date", "年龄计算基准日"), ("seats", "应选名额"), ("rules", "结构要求"),
                       ("candidates", "候选人")):
        if key not in doc:
            raise DomainError(f"输入缺少{label}（{key}）")
    ref = parse_date(doc["reference_date"], "年龄计算基准日（reference_date）")
    seats = seats_ok(doc["seats"])
    tree = CategoryTree(doc.get("categories"))
    rules = parse_rules(doc["rules"], tree)
    candidates = parse_candidates(doc["candidates"], tree, reference_date=ref)

    as_is = check_as_is(candidates, rules, ref)
    safety = compute_safety(candidates, rules, ref, seats)
    feasibility = compute_feasibility(candidates, rules, ref, seats, tree)
    return {
        "reference_date": ref.isoformat(),
        "seats": seats,
        "candidates": len(candidates),
        "as_is": [{"code": r.code, "required": r.required, "actual": r.actual, "ok": r.ok,
                   "label": r.label, "min": r.minimum, "max": r.maximum} for r in as_is],
        "safe": safety.safe,
        "worst_case": [{"code": w.code, "worst": w.worst, "ok": w.ok, "label": w.label, "min": w.minimum,
                        "max": w.maximum, "lowest": w.lowest, "highest": w.highest, "matching": w.matching,
                        "could_lose": w.could_lose} for w in safety.worst_case],
        "critical": list(safety.critical),
        "feasible": feasibility.feasible,
        "conflicts": list(feasibility.conflicts),
        "suggestions": [{"count": s.count, "matches": list(s.matches), "message": s.message}
                        for s in feasibility.suggestions],
        "example": [candidates[i].name for i in feasibility.example],
        "blockers": [{"code": b.code, "message": b.message, "source": b.source}
                     for b in check_list_blockers(candidates, rules, ref)],
    }


@click.group("quota", help="结构要求（性别、民族、年龄、身份类别等）检查")
def command() -> None:
    pass


@command.command("check", help="读取 JSON 文件（- 表示标准输入），输出现名单、最坏情况与可行性的 JSON 结果")
@click.argument("file", metavar="FILE")
def check(file: str) -> None:
    try:
        result = run_check(_read(file))
    except DomainError as exc:
        click.echo(f"错误：{exc.message}".encode(), err=True)
        sys.exit(2)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2).encode())  # UTF-8 whatever the locale
