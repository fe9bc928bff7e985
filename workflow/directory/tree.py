"""The organisation tree: the 选举单位 at the top, its 推荐单位 (党工委, 直属党委 …), their 基层党组织 (党委, 党总支,
党支部), and the 党代表工作室 where they sit. Plain records in; every problem of the tree out, each naming the
organisation's 编码 and the column to fix; the order of an export; what an import adds, changes or leaves.

Rules of the tree (来源: docs/rules.md §1 选举单位、推荐单位; §6 党代表工作室):
* 编码 is unique; every 上级编码 names an organisation of the tree; only the top has no 上级编码, and there is one top;
* no organisation is its own ancestor (no cycle);
* a 党代表工作室 has no organisations under it;
* 类别 is one of CATEGORIES; counts are whole numbers, never negative.
The 推荐单位 of an election are the organisations directly under its 选举单位, 党代表工作室 aside: the top, or — when
an upper committee at the top runs an election over several 选举单位 — each organisation directly under it
(election.directory.queries.electing_bodies; docs/rules.md §8.4).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

STUDIO = "党代表工作室"
CATEGORIES = ("党委", "党工委", "党组", "党总支", "党支部", STUDIO)
COLUMNS = ("编码", "名称", "类别", "上级编码", "基层党组织数", "党员数", "联系人", "联系电话")


@dataclass(frozen=True)
class OrgRecord:
    """One organisation as the directory sheet has it (a row of 编码 | 名称 | 类别 | 上级编码 | … | 联系电话)."""

    code: str
    name: str
    category: str
    parent_code: str | None = None
    grassroots_orgs: int = 0
    members: int = 0
    contact_person: str = ""
    contact_phone: str = ""

    def values(self) -> tuple:
        """The row in COLUMNS order (上级编码 empty for the top)."""
        return (self.code, self.name, self.category, self.parent_code or "", self.grassroots_orgs, self.members,
                self.contact_person, self.contact_phone)


@dataclass(frozen=True)
class TreeProblem:
    code: str      # the organisation whose row holds the problem
    column: str    # one of COLUMNS
    message: str   # Chinese: what to fix


def check_tree(records: Sequence[OrgRecord]) -> list[TreeProblem]:
    """Every problem of the tree the records make, in the records' order; [] when it is a valid tree."""
    problems: list[TreeProblem] = []
    by_code: dict[str, OrgRecord] = {}
    for r in records:
        if r.code in by_code:
            problems.append(TreeProblem(r.code, "编码", f"编码“{r.code}”重复：每个组织只能有一个编码"))
        else:
            by_code[r.code] = r
    tops = [r for r in by_code.values() if not r.parent_code]
    if len(tops) > 1:
        names = "、".join(f"{t.name}（{t.code}）" for t in tops)
        for t in tops[1:]:
            problems.append(TreeProblem(t.code, "上级编码", f"上级编码为空的只能是最上级的选举单位，现有{len(tops)}个：{names}；"
                                                          "请为其余组织填写上级编码"))
    for r in records:
        if r.category not in CATEGORIES:
            problems.append(TreeProblem(r.code, "类别", f"类别“{r.category}”不在可选范围内，应为{'、'.join(CATEGORIES)}之一"))
        if r.parent_code and r.parent_code not in by_code:
            problems.append(TreeProblem(r.code, "上级编码", f"上级编码“{r.parent_code}”找不到对应的组织"))
        parent = by_code.get(r.parent_code or "")
        if parent is not None and parent.category == STUDIO:
            problems.append(TreeProblem(r.code, "上级编码",
                                        f"上级“{parent.name}”是党代表工作室，党代表工作室下不能再设组织"))
        for column, value in (("基层党组织数", r.grassroots_orgs), ("党员数", r.members)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(TreeProblem(r.code, column, f"{column}应为0或正整数"))
    problems.extend(_cycles(by_code))
    return problems


def _cycles(by_code: Mapping[str, OrgRecord]) -> list[TreeProblem]:
    """One problem per cycle, on its first member by 编码."""
    problems: list[TreeProblem] = []
    done: set[str] = set()
    for start in sorted(by_code):
        path: list[str] = []
        code: str | None = start
        while code and code in by_code and code not in done and code not in path:
            path.append(code)
            code = by_code[code].parent_code
        if code in path:
            loop = path[path.index(code):]
            first = min(loop)
            chain = " → ".join(by_code[c].name for c in loop + [loop[0]])
            problems.append(TreeProblem(first, "上级编码", f"上级关系形成了循环：{chain}；请改正其中一个的上级编码"))
        done.update(path)
    return problems


def export_order(records: Iterable[OrgRecord]) -> list[OrgRecord]:
    """Parents before their children, siblings by 编码 (a depth-first walk from the top); organisations whose
    上级 is missing come last, by 编码, so nothing is ever dropped."""
    records = list(records)
    children: dict[str | None, list[OrgRecord]] = {}
    codes = {r.code for r in records}
    for r in records:
        parent = r.parent_code if r.parent_code in codes else None
        children.setdefault(parent, []).append(r)
    out: list[OrgRecord] = []
    seen: set[str] = set()
    stack = sorted(children.get(None, []), key=lambda r: r.code, reverse=True)
    while stack:
        r = stack.pop()
        if r.code in seen:
            continue
        seen.add(r.code)
        out.append(r)
        stack.extend(sorted(children.get(r.code, []), key=lambda c: c.code, reverse=True))
    out.extend(sorted((r for r in records if r.code not in seen), key=lambda r: r.code))
    return out


@dataclass(frozen=True)
class ImportPlan:
    added: tuple[OrgRecord, ...]
    updated: tuple[tuple[OrgRecord, OrgRecord], ...]   # (before, after)
    unchanged: tuple[OrgRecord, ...]


def plan_import(existing: Mapping[str, OrgRecord], incoming: Sequence[OrgRecord]) -> ImportPlan:
    """What an import does: organisations are matched by 编码; nothing is ever deleted."""
    added, updated, unchanged = [], [], []
    for r in incoming:
        before = existing.get(r.code)
        if before is None:
            added.append(r)
        elif before == r:
            unchanged.append(r)
        else:
            updated.append((before, r))
    return ImportPlan(tuple(added), tuple(updated), tuple(unchanged))


def merged(existing: Mapping[str, OrgRecord], incoming: Sequence[OrgRecord]) -> list[OrgRecord]:
    """The tree after an import: the existing organisations with the incoming ones put over them by 编码."""
    by_code = dict(existing)
    order = list(existing)
    for r in incoming:
        if r.code not in by_code:
            order.append(r.code)
        by_code[r.code] = r
    return [by_code[c] for c in order]


def changed_fields(before: OrgRecord, after: OrgRecord) -> dict[str, tuple]:
    """{field: (old, new)} for the audit."""
    return {f.name: (getattr(before, f.name), getattr(after, f.name)) for f in fields(OrgRecord)
            if getattr(before, f.name) != getattr(after, f.name)}
