"""The organisation tree's rules (workflow.directory.tree): one top, known parents, no cycle, no children under a
党代表工作室, known categories, whole non-negative counts; export order; what an import does."""
from __future__ import annotations

import pytest

from workflow.directory.tree import (
    STUDIO,
    OrgRecord,
    changed_fields,
    check_tree,
    export_order,
    merged,
    plan_import,
)

TOP = OrgRecord("100", "中共某区委员会", "党委")
GW1 = OrgRecord("101", "城关街道党工委", "党工委", "100", 12, 340)
GW2 = OrgRecord("102", "东城街道党工委", "党工委", "100", 9, 210)
BRANCH = OrgRecord("10101", "城关街道第一社区党支部", "党支部", "101", 0, 45, "王芳", "0917-1234567")
STUDIO_1 = OrgRecord("10199", "城关街道党代表工作室", STUDIO, "101")
TREE = [TOP, GW1, GW2, BRANCH, STUDIO_1]


def _codes(problems):
    return [(p.code, p.column) for p in problems]


def test_a_valid_tree_has_no_problem():
    assert check_tree(TREE) == []


def test_duplicate_code():
    problems = check_tree([*TREE, OrgRecord("102", "重复", "党委", "100")])
    assert _codes(problems) == [("102", "编码")] and "编码“102”重复" in problems[0].message


def test_unknown_parent():
    problems = check_tree([*TREE, OrgRecord("103", "西城街道党工委", "党工委", "999")])
    assert _codes(problems) == [("103", "上级编码")] and "“999”找不到" in problems[0].message


def test_only_one_top():
    problems = check_tree([*TREE, OrgRecord("200", "另一个区委", "党委")])
    assert _codes(problems) == [("200", "上级编码")] and "现有2个" in problems[0].message


def test_cycle_is_named_once():
    loop = [TOP, OrgRecord("A", "甲", "党委", "B"), OrgRecord("B", "乙", "党委", "C"), OrgRecord("C", "丙", "党委", "A")]
    problems = check_tree(loop)
    assert _codes(problems) == [("A", "上级编码")]
    assert problems[0].message.startswith("上级关系形成了循环：甲 → 丙 → 乙 → 甲") or "循环" in problems[0].message


def test_self_parent_is_a_cycle():
    assert _codes(check_tree([TOP, OrgRecord("A", "甲", "党委", "A")])) == [("A", "上级编码")]


def test_studio_with_children():
    problems = check_tree([*TREE, OrgRecord("1019901", "工作室下的支部", "党支部", "10199")])
    assert _codes(problems) == [("1019901", "上级编码")] and "党代表工作室下不能再设组织" in problems[0].message


@pytest.mark.parametrize("value", [-1, 1.5, True, "3"])
def test_counts_are_whole_and_not_negative(value):
    problems = check_tree([TOP, OrgRecord("101", "甲", "党工委", "100", grassroots_orgs=value)])
    assert _codes(problems) == [("101", "基层党组织数")]


def test_zero_counts_pass():
    assert check_tree([TOP, OrgRecord("101", "甲", "党工委", "100", 0, 0)]) == []


def test_unknown_category():
    problems = check_tree([TOP, OrgRecord("101", "甲", "党小组", "100")])
    assert _codes(problems) == [("101", "类别")] and "党委、党工委、党组、党总支、党支部、党代表工作室" in problems[0].message


def test_export_order_parents_first_siblings_by_code():
    shuffled = [BRANCH, STUDIO_1, GW2, TOP, GW1]
    assert [r.code for r in export_order(shuffled)] == ["100", "101", "10101", "10199", "102"]


def test_export_keeps_an_orphan_at_the_end():
    orphan = OrgRecord("900", "上级已不存在", "党支部", "899")
    assert [r.code for r in export_order([orphan, *TREE])][-1] == "900"


def test_plan_import_matches_by_code_and_never_deletes():
    existing = {r.code: r for r in TREE}
    renamed = OrgRecord("102", "东城街道党工委（新）", "党工委", "100", 9, 210)
    new = OrgRecord("103", "西城街道党工委", "党工委", "100")
    plan = plan_import(existing, [TOP, renamed, new])
    assert [r.code for r in plan.added] == ["103"]
    assert [(b.name, a.name) for b, a in plan.updated] == [("东城街道党工委", "东城街道党工委（新）")]
    assert [r.code for r in plan.unchanged] == ["100"]
    assert [r.code for r in merged(existing, [renamed, new])] == ["100", "101", "102", "10101", "10199", "103"]
    assert changed_fields(GW2, renamed) == {"name": ("东城街道党工委", "东城街道党工委（新）")}


def test_the_same_import_twice_changes_nothing():
    existing = {r.code: r for r in TREE}
    plan = plan_import(existing, TREE)
    assert plan.added == () and plan.updated == () and len(plan.unchanged) == len(TREE)
