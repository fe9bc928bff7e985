"""Boundary tables for the structural quota engine (docs/rules.md §3.2)."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from workflow.quotas.categories import DEFAULT_CATEGORIES, CategoryTree
from workflow.quotas.checks import (
    SEATS_CONFLICT,
    check_as_is,
    check_feasibility_blockers,
    check_list_blockers,
    check_safety_blockers,
    compute_feasibility,
    compute_safety,
)
from workflow.quotas.rules import (
    Candidate,
    Predicate,
    QuotaRule,
    age_on,
    parse_candidates,
    parse_rules,
    parse_share,
)

from workflow.common.results import DomainError

REF = dt.date(2019, 4, 10)


def person(name="甲", gender="男", ethnicity="汉族", birth=dt.date(1980, 1, 1), category="其他一线"):
    return Candidate(name, gender, ethnicity, birth, category, {})


def women(count, total, **kw):
    return ([person(f"女{i}", gender="女", **kw) for i in range(count)]
            + [person(f"男{i}", **kw) for i in range(total - count)])


WOMEN_MIN_7 = QuotaRule("women", "女性", Predicate(gender="女"), min=7)


# ---- categories

def test_categories_default_tree_rolls_up():
    tree = CategoryTree()
    assert tree.contains("基层一线", "工人")
    assert tree.contains("先进模范人物", "工人")
    assert tree.contains("工人", "工人")
    assert not tree.contains("工人", "先进模范人物")
    assert not tree.contains("基层一线", "局级领导干部")
    assert tree.expand("领导干部") == {"领导干部", "局级领导干部", "处级领导干部"}
    assert "其他" in tree.leaves() and "其他" in tree.roots()
    assert set(tree.leaves()) == {"工人", "农民", "其他先进模范", "专业技术人员", "其他一线", "局级领导干部",
                                  "处级领导干部", "其他"}
    assert set(DEFAULT_CATEGORIES) == {"基层一线", "先进模范人物", "领导干部", "其他"}


def test_categories_unknown_node_is_a_domain_error():
    with pytest.raises(DomainError, match="未知的身份类别“工匠”"):
        CategoryTree().expand("工匠")


def test_categories_two_parents_and_cycles_are_refused():
    with pytest.raises(DomainError, match="同时属于"):
        CategoryTree({"甲": ["乙"], "丙": ["乙"]})
    with pytest.raises(DomainError, match="循环"):
        CategoryTree({"甲": ["乙"], "乙": ["甲"]})


# ---- shares, ages, predicates

@pytest.mark.parametrize("text, value", [("1/3", Fraction(1, 3)), ("50%", Fraction(1, 2)), ("0.5", Fraction(1, 2)),
                                         ("33.3%", Fraction(333, 1000)), ("7/16", Fraction(7, 16)),
                                         (" 20 ％ ", Fraction(1, 5)), ("1", Fraction(1))])
def test_share_parses_exactly(text, value):
    assert parse_share(text) == value


@pytest.mark.parametrize("text", ["abc", "150%", "4/3", "-1/3", "1/0", ""])
def test_share_refuses_bad_text(text):
    with pytest.raises(DomainError):
        parse_share(text)


@pytest.mark.parametrize("birth, age", [
    (dt.date(1969, 4, 10), 50),   # the 50th birthday itself completes the year
    (dt.date(1969, 4, 11), 49),   # the day before the birthday
    (dt.date(1969, 4, 9), 50),
    (dt.date(1969, 12, 31), 49),
])
def test_age_on_birthday_and_day_before(birth, age):
    assert age_on(birth, REF) == age


def test_age_leap_day_birthday_completes_on_first_of_march():
    born = dt.date(1972, 2, 29)
    assert age_on(born, dt.date(2019, 2, 28)) == 46
    assert age_on(born, dt.date(2019, 3, 1)) == 47


@pytest.mark.parametrize("birth, below_50, at_most_49", [
    (dt.date(1969, 4, 10), False, False),  # 50 on the day: not under 50
    (dt.date(1969, 4, 11), True, True),    # still 49
])
def test_age_below_on_the_birthday(birth, below_50, at_most_49):
    p = person(birth=birth)
    assert Predicate(age_below=50).matches(p, REF) is below_50
    assert Predicate(age_at_most=49).matches(p, REF) is at_most_49


@pytest.mark.parametrize("node, category, hit", [
    ("基层一线", "工人", True), ("先进模范人物", "工人", True), ("工人", "工人", True),
    ("工人", "先进模范人物", False), ("先进模范人物", "专业技术人员", False), ("领导干部", "处级领导干部", True),
    ("基层一线", "其他", False),
])
def test_category_leaf_versus_parent(node, category, hit):
    assert Predicate(category_in=(node,)).matches(person(category=category), REF) is hit


def test_predicate_keys_are_anded():
    pred = Predicate(gender="女", ethnicity_not="汉族", age_below=50, attribute=(("非公企业", True),))
    p = Candidate("甲", "女", "回族", dt.date(1980, 1, 1), "工人", {"非公企业": True})
    assert pred.matches(p, REF)
    assert not pred.matches(Candidate("乙", "女", "汉族", dt.date(1980, 1, 1), "工人", {"非公企业": True}), REF)
    assert not pred.matches(Candidate("丙", "女", "回族", dt.date(1980, 1, 1), "工人", {}), REF)


# ---- 1. as is

@pytest.mark.parametrize("count, ok", [(7, True), (6, False), (8, True)])
def test_women_min_count_exactly_at_limit_passes(count, ok):
    [res] = check_as_is(women(count, 16), [WOMEN_MIN_7], REF)
    assert (res.actual, res.required, res.ok) == (count, 7, ok)


@pytest.mark.parametrize("n, count, required, ok", [
    (16, 6, 6, True),    # 1/3 of 16 = 5.33 -> 6
    (16, 5, 6, False),
    (15, 5, 5, True),    # exactly a third
    (15, 4, 5, False),
])
def test_share_min_rounds_up(n, count, required, ok):
    rule = QuotaRule("third", "女性", Predicate(gender="女"), min_share=Fraction(1, 3))
    [res] = check_as_is(women(count, n), [rule], REF)
    assert (res.required, res.ok) == (required, ok)


@pytest.mark.parametrize("n, count, allowed, ok", [
    (16, 10, 10, True),   # 2/3 of 16 = 10.67 -> at most 10
    (16, 11, 10, False),
    (15, 10, 10, True),   # exactly two thirds
])
def test_share_max_rounds_down(n, count, allowed, ok):
    rule = QuotaRule("cap", "女性", Predicate(gender="女"), max_share=Fraction(2, 3))
    [res] = check_as_is(women(count, n), [rule], REF)
    assert (res.maximum, res.required, res.ok) == (allowed, allowed, ok)


@pytest.mark.parametrize("pct, n, count, ok", [("50%", 16, 8, True), ("50%", 16, 7, False), ("50%", 15, 8, True),
                                              ("50%", 15, 7, False)])
def test_share_percentage_exactly_half_passes(pct, n, count, ok):
    [rule] = parse_rules([{"code": "women", "where": {"gender": "女"}, "min_share": pct}])
    assert check_as_is(women(count, n), [rule], REF)[0].ok is ok


@pytest.mark.parametrize("leaders, ok", [(9, True), (10, False)])
def test_leaders_max_count_at_limit_passes(leaders, ok):
    rule = QuotaRule("leaders", "领导干部", Predicate(category_in=("领导干部",)), max=9)
    cands = [person(f"L{i}", category="处级领导干部") for i in range(leaders)] + [person(f"W{i}") for i in range(6)]
    assert check_as_is(cands, [rule], REF)[0].ok is ok


def test_list_blockers_name_what_to_fix():
    [b] = check_list_blockers(women(3, 16), [WOMEN_MIN_7], REF)
    assert b.code == "quota.women.below_min"
    assert b.message.startswith("女性3名，至少需要7名")
    assert "还差4名" in b.message and b.source == "选举工作方案（结构要求）"
    rule = QuotaRule("leaders", "领导干部", Predicate(category_in=("领导干部",)), max=1)
    [b] = check_list_blockers([person("甲", category="局级领导干部"), person("乙", category="处级领导干部")], [rule], REF)
    assert b.code == "quota.leaders.above_max" and "最多1名" in b.message


# ---- 2. safe

def test_safety_worst_case_for_min_rule():
    # 16 seats from 20: 4 can lose; 10 women -> at worst 6 elected
    result = compute_safety(women(10, 20), [WOMEN_MIN_7], REF, 16)
    [w] = result.worst_case
    assert (w.worst, w.lowest, w.highest, w.could_lose, w.ok) == (6, 6, 10, 4, False)
    assert not result.safe
    # leaving out any woman allows an outcome with 6; leaving out a man leaves 10 women for 16 of 19 -> 7
    assert result.critical == tuple(f"女{i}" for i in range(10))


def test_safety_one_more_woman_is_safe_and_nobody_critical():
    result = compute_safety(women(11, 20), [WOMEN_MIN_7], REF, 16)
    assert result.worst_case[0].worst == 7 and result.safe and result.critical == ()


def test_safety_critical_only_those_whose_absence_can_break():
    # 3 seats from 4: one minority person; leaving her out breaks the minimum, leaving out others does not
    rule = QuotaRule("minority", "少数民族", Predicate(ethnicity_not="汉族"), min=1)
    cands = [person("马兰", ethnicity="回族"), person("甲"), person("乙"), person("丙")]
    result = compute_safety(cands, [rule], REF, 3)
    assert result.critical == ("马兰",) and not result.safe


def test_safety_max_rule_worst_is_largest():
    rule = QuotaRule("leaders", "领导干部", Predicate(category_in=("领导干部",)), max=9)
    cands = [person(f"L{i}", category="局级领导干部") for i in range(10)] + [person(f"W{i}") for i in range(10)]
    [w] = compute_safety(cands, [rule], REF, 16).worst_case
    assert (w.worst, w.ok) == (10, False)
    [w] = compute_safety(cands[1:], [rule], REF, 16).worst_case
    assert (w.worst, w.ok) == (9, True)


def test_safety_share_taken_of_seats():
    rule = QuotaRule("third", "基层一线", Predicate(category_in=("基层一线",)), min_share=Fraction(1, 3))
    cands = [person(f"F{i}") for i in range(10)] + [person(f"X{i}", category="其他") for i in range(10)]
    [w] = compute_safety(cands, [rule], REF, 16).worst_case
    assert (w.minimum, w.worst, w.ok) == (6, 6, True)  # 1/3 of 16 -> 6; at worst 16 - 10 others = 6


def test_safety_n_equals_k_nobody_can_be_left_out():
    result = compute_safety(women(7, 16), [WOMEN_MIN_7], REF, 16)
    assert result.safe and result.critical == ()
    result = compute_safety(women(6, 16), [WOMEN_MIN_7], REF, 16)
    assert not result.safe and result.critical == ()


def test_safety_fewer_candidates_than_seats_is_never_safe():
    result = compute_safety(women(10, 12), [WOMEN_MIN_7], REF, 16)
    assert not result.safe and not result.enough_candidates
    codes = [b.code for b in check_safety_blockers(women(10, 12), [WOMEN_MIN_7], REF, 16)]
    assert codes == ["quota.seats.too_few_candidates"]


def test_safety_blocker_says_how_many_could_be_lost():
    [b] = check_safety_blockers(women(10, 20), [WOMEN_MIN_7], REF, 16)
    assert b.code == "quota.women.unsafe" and "只当选6名" in b.message and "可能落选4名" in b.message


# ---- 3. feasible

def test_feasibility_overlapping_rules_need_the_same_people():
    # 3 seats: need 2 women and 2 minority; only one minority woman -> 2 minority men would push women out
    rules = [QuotaRule("women", "女性", Predicate(gender="女"), min=2),
             QuotaRule("minority", "少数民族", Predicate(ethnicity_not="汉族"), min=2)]
    cands = [person("马兰", "女", "回族"), person("张静", "女"), person("马强", "男", "回族"), person("甲")]
    assert compute_feasibility(cands, rules, REF, 3).feasible
    result = compute_feasibility(cands, rules, REF, 2)
    assert not result.feasible and result.conflicts == ("women", "minority")
    assert result.to_add == 1
    [s] = result.suggestions
    assert s.matches == ("women", "minority") and "女性、少数民族" in s.message


def test_feasibility_single_rule_conflict_is_reported_alone():
    rules = [QuotaRule("minority", "少数民族", Predicate(ethnicity_not="汉族"), min=1), WOMEN_MIN_7]
    result = compute_feasibility(women(8, 20), rules, REF, 16)
    assert not result.feasible and result.conflicts == ("minority",)
    assert result.to_add == 1 and result.suggestions[0].matches[0] == "minority"


def test_feasibility_fewer_candidates_than_seats():
    result = compute_feasibility(women(8, 12), [WOMEN_MIN_7], REF, 16)
    assert not result.feasible and result.conflicts == (SEATS_CONFLICT,)
    assert result.to_add == 4 and "增加4名" in result.message


def test_feasibility_contradictory_rules_say_so():
    rules = [QuotaRule("women", "女性", Predicate(gender="女"), min=10),
             QuotaRule("men", "男性", Predicate(gender="男"), min=10)]
    result = compute_feasibility(women(10, 20), rules, REF, 16)
    assert not result.feasible and result.suggestions == () and "互相矛盾" in result.message
    [b] = check_feasibility_blockers(women(10, 20), rules, REF, 16)
    assert b.code == "quota.infeasible"


def test_feasibility_example_outcome_meets_every_rule():
    rules = [WOMEN_MIN_7, QuotaRule("leaders", "领导干部", Predicate(category_in=("领导干部",)), max=9)]
    cands = [person(f"L{i}", category="局级领导干部") for i in range(12)] + women(7, 10)
    result = compute_feasibility(cands, rules, REF, 16)
    assert result.feasible and len(result.example) == 16
    chosen = [cands[i] for i in result.example]
    assert sum(c.gender == "女" for c in chosen) >= 7
    assert sum(c.category == "局级领导干部" for c in chosen) <= 9


# ---- readers

def test_parse_rules_refuses_min_above_max_and_unknown_keys():
    with pytest.raises(DomainError, match="最少人数（min）5 大于最多人数（max）3"):
        parse_rules([{"code": "w", "where": {"gender": "女"}, "min": 5, "max": 3}])
    with pytest.raises(DomainError, match="未知的键“age_under”"):
        parse_rules([{"code": "y", "where": {"age_under": 50}, "min": 1}])
    with pytest.raises(DomainError, match="“工匠”不存在"):
        parse_rules([{"code": "c", "where": {"category_in": ["工匠"]}, "min": 1}])
    with pytest.raises(DomainError, match="没有上下限"):
        parse_rules([{"code": "c", "where": {"gender": "女"}}])


def test_parse_rules_default_label_describes_predicate():
    [r] = parse_rules([{"code": "under50", "where": {"age_below": 50}, "min": 9}])
    assert r.label == "50岁以下" and r.min == 9


@pytest.mark.parametrize("field, value, message", [
    ("birth_date", "1975-13-02", "第1名候选人（马兰）的出生日期（birth_date）“1975-13-02”不是有效日期"),
    ("birth_date", "1975/03/02", "出生日期（birth_date）"),
    ("category", "工匠", "第1名候选人（马兰）的身份类别（category）“工匠”不存在"),
    ("gender", "F", "性别（gender）"),
    ("ethnicity", "回", "民族（ethnicity）"),
])
def test_parse_candidates_names_the_candidate_and_field(field, value, message):
    row = {"name": "马兰", "gender": "女", "ethnicity": "回族", "birth_date": "1975-03-02", "category": "工人"}
    row[field] = value
    with pytest.raises(DomainError, match=message.replace("（", "\\（").replace("）", "\\）")):
        parse_candidates([row])


def test_parse_candidates_missing_field():
    with pytest.raises(DomainError, match="第2名候选人（张静）缺少出生日期（birth_date）"):
        parse_candidates([{"name": "马兰", "gender": "女", "ethnicity": "回族", "birth_date": "1975-03-02",
                           "category": "工人"},
                          {"name": "张静", "gender": "女", "ethnicity": "汉族", "category": "工人"}])


def test_parse_candidates_birth_after_reference_date():
    with pytest.raises(DomainError, match="晚于年龄计算基准日"):
        parse_candidates([{"name": "甲", "gender": "男", "ethnicity": "汉族", "birth_date": "2020-01-01",
                           "category": "工人"}], reference_date=REF)
