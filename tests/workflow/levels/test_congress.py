"""Congress-wide structure from every 选举单位 (docs/rules.md §8.3): sums as-is / worst / best at the exact bound,
who could make a shortfall up, and joint feasibility across 选举单位 and their own requirements."""
from __future__ import annotations

import datetime as dt

import pytest

from workflow.levels.congress import (
    UNALLOCATED,
    Pool,
    Status,
    UnitInput,
    compute_congress_structure,
)
from workflow.quotas.rules import Candidate, parse_rules

REF = dt.date(2019, 4, 10)
WOMEN = {"code": "women", "label": "女性", "where": {"gender": "女"}}
LEADERS = {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}}


def person(gender="男", category="其他一线", born=dt.date(1975, 1, 1), name="某人"):
    return Candidate(name, gender, "汉族", born, category)


def people(women=0, men=0, **kw):
    return tuple([person("女", **kw)] * women + [person("男", **kw)] * men)


def elected(key, women, men, name=None):
    """A 选举单位 with its result: as many elected as seats."""
    return UnitInput(key, name or key, "选举结果", (Pool(people(women, men), women + men),))


def listed(key, seats, women, men, rules=(), name=None):
    return UnitInput(key, name or key, "预备人选", (Pool(people(women, men), seats, tuple(rules)),))


def nothing(key, seats, rules=(), name=None):
    return UnitInput(key, name or key, "尚无名单", (Pool((), seats, tuple(rules)),))


def rules(*items):
    return parse_rules([dict(i) for i in items])


def women_at_least(**bound):
    return rules({**WOMEN, **bound})


def test_share_met_exactly_across_units_is_safe():
    # 30% of 10 seats = 3 exactly. A elected 1 woman; B elects 2 of (2 women, 1 man): at least 1 woman;
    # C elects 6 of (2 women, 5 men): at least 6 - 5 = 1. Worst case 1 + 1 + 1 = 3 = the bound: met.
    units = [elected("A", 1, 1), listed("B", 2, 2, 1), listed("C", 6, 2, 5)]
    s = compute_congress_structure(10, women_at_least(min_share="30%"), units, REF)
    (women,) = s.requirements
    assert (women.minimum, women.as_is, women.lowest, women.highest) == (3, 5, 3, 5)
    assert women.status is Status.safe and women.shortfall == 0 and women.could_make_up == ()
    assert s.joint.feasible and s.status is Status.safe


def test_one_below_the_bound_is_feasible_and_names_who_can_make_it_up():
    # As above but C lists 1 woman and 6 men: its worst case is 0, so the sum is 2 < 3: short by 1. Best: 1+2+1 = 4.
    # A (elected) cannot move; B can add 1 (1…2), C can add 1 (0…1).
    units = [elected("A", 1, 1), listed("B", 2, 2, 1), listed("C", 6, 1, 6)]
    (women,) = compute_congress_structure(10, women_at_least(min_share="30%"), units, REF).requirements
    assert (women.lowest, women.highest, women.status, women.shortfall, women.gap) == (2, 4, Status.feasible, 1, 0)
    assert [(u.key, u.room) for u in women.could_make_up] == [("B", 1), ("C", 1)]
    assert "还差1名" in women.message and "B（最多可增加1名）" in women.message


def test_unit_unable_to_contribute_is_not_named():
    # B lists only men: it cannot add a woman whatever the outcome, so only C is named.
    units = [elected("A", 1, 1), listed("B", 2, 0, 3), listed("C", 6, 2, 5)]
    (women,) = compute_congress_structure(10, women_at_least(min=4), units, REF).requirements
    # worst 1 + 0 + 1 = 2, best 1 + 0 + 2 = 3 < 4: out of reach by 1
    assert (women.lowest, women.highest, women.status, women.gap) == (2, 3, Status.infeasible, 1)
    assert [u.key for u in women.could_make_up] == ["C"]


@pytest.mark.parametrize(("women", "status"), [(228, Status.safe), (227, Status.infeasible)])
def test_thirty_percent_of_760_is_228_exactly(women, status):
    units = [elected("A", women, 760 - women)]
    s = compute_congress_structure(760, women_at_least(min_share="30%"), units, REF)
    (r,) = s.requirements
    assert r.minimum == 228 and r.status is status and r.gap == 228 - min(women, 228)
    assert s.joint.feasible is (status is Status.safe)


@pytest.mark.parametrize(("share", "need"), [("1/3", 4), ("0.3", 3), ("50%", 5)])
def test_share_rounds_up_for_a_minimum(share, need):
    units = [elected("A", need, 10 - need)]
    (r,) = compute_congress_structure(10, women_at_least(min_share=share), units, REF).requirements
    assert r.minimum == need and r.status is Status.safe
    (r,) = compute_congress_structure(10, women_at_least(min_share=share),
                                      [elected("A", need - 1, 11 - need)], REF).requirements
    assert r.status is Status.infeasible


def test_maximum_requirement_worst_case_is_the_most_elected():
    # 领导干部 at most 40% of 10 = 4 (floor). A elected 2 leaders of 4; B elects 3 of (3 leaders, 1 other):
    # 2…3 leaders; C 3 seats with no list: 0…3. Worst 2 + 3 + 3 = 8 > 4 by 4; best 2 + 2 + 0 = 4 = allowed: 可行.
    lead = person(category="局级领导干部")
    units = [UnitInput("A", "A", "选举结果", (Pool((lead, lead, person(), person()), 4),)),
             UnitInput("B", "B", "预备人选", (Pool((lead, lead, lead, person()), 3),)),
             nothing("C", 3)]
    (r,) = compute_congress_structure(10, rules({**LEADERS, "max_share": "40%"}), units, REF).requirements
    assert (r.maximum, r.lowest, r.highest, r.worst, r.best) == (4, 4, 8, 8, 4)
    assert r.status is Status.feasible and r.shortfall == 4 and r.gap == 0
    assert [(u.key, u.room) for u in r.could_make_up] == [("C", 3), ("B", 1)]
    assert "超出4名" in r.message and "最多可减少3名" in r.message


def test_maximum_exactly_at_the_bound_is_safe():
    lead = person(category="处级领导干部")
    units = [UnitInput("A", "A", "选举结果", ((Pool((lead,) * 9 + (person(),) * 7, 16)),))]
    (r,) = compute_congress_structure(16, rules({**LEADERS, "max": 9}), units, REF).requirements
    assert r.status is Status.safe and r.highest == 9
    units = [UnitInput("A", "A", "选举结果", ((Pool((lead,) * 10 + (person(),) * 6, 16)),))]
    (r,) = compute_congress_structure(16, rules({**LEADERS, "max": 9}), units, REF).requirements
    assert r.status is Status.infeasible and r.gap == 1


def test_unit_with_no_list_counts_zero_to_its_seats():
    # B has no list yet: 0…5 women. Worst 1 + 0 = 1 < 3, best 1 + 5 = 6: 可行, B can add 5.
    units = [elected("A", 1, 4), nothing("B", 5)]
    s = compute_congress_structure(10, women_at_least(min=3), units, REF)
    (r,) = s.requirements
    assert (r.as_is, r.lowest, r.highest, r.status) == (1, 1, 6, Status.feasible)
    assert [(u.key, u.open, u.room) for u in r.could_make_up] == [("B", 5, 5)]
    assert s.joint.feasible and s.status is Status.feasible


def test_unallocated_seats_count_as_undetermined():
    s = compute_congress_structure(10, women_at_least(min=3), [elected("A", 1, 4)], REF)
    (r,) = s.requirements
    assert s.allocated == 5 and (r.lowest, r.highest) == (1, 6)
    assert r.shares[-1].key == UNALLOCATED and s.notes and "余下5名" in s.notes[0]


def test_jointly_infeasible_congress_names_the_conflict():
    # A elects 2 of (2 women who are not leaders, 2 men who are leaders); B elected 2 men, not leaders.
    # Women ≥ 2 needs A's two women; leaders ≥ 2 needs A's two leaders: each alone reachable, not both.
    lead = person("男", "局级领导干部")
    woman = person("女")
    units = [UnitInput("A", "甲区", "预备人选", (Pool((woman, woman, lead, lead), 2),)), elected("B", 0, 2)]
    s = compute_congress_structure(4, rules({**WOMEN, "min": 2}, {**LEADERS, "min": 2}), units, REF)
    assert [r.status for r in s.requirements] == [Status.feasible, Status.feasible]
    assert not s.joint.feasible and s.joint.conflicts == ("women", "leaders")
    assert "女性、领导干部" in s.joint.message and s.status is Status.infeasible


def test_jointly_feasible_when_one_woman_leader_exists():
    lead = person("男", "局级领导干部")
    units = [UnitInput("A", "甲区", "预备人选", (Pool((person("女", "局级领导干部"), person("女"), lead, lead), 2),)),
             elected("B", 0, 2)]
    s = compute_congress_structure(4, rules({**WOMEN, "min": 1}, {**LEADERS, "min": 2}), units, REF)
    assert s.joint.feasible


def test_units_own_requirements_bind_the_joint_outcome():
    # B has no list: alone it could give 0…2 women, but its own plan allows at most 1 woman of its 2 seats,
    # and A's result has none: the congress's women ≥ 2 is reachable on its own sums, not with B's own rule.
    own = rules({**WOMEN, "max": 1})
    units = [elected("A", 0, 2), nothing("B", 2, own)]
    s = compute_congress_structure(4, women_at_least(min=2), units, REF)
    assert s.requirements[0].status is Status.feasible
    assert not s.joint.feasible and s.joint.conflicts == ("women",)
    units = [elected("A", 1, 1), nothing("B", 2, own)]
    assert compute_congress_structure(4, women_at_least(min=2), units, REF).joint.feasible


def test_unit_whose_own_requirements_cannot_be_met_is_named():
    own = rules({**WOMEN, "min": 1})
    units = [elected("A", 1, 1), listed("B", 2, 0, 3, own, name="乙区")]
    s = compute_congress_structure(4, women_at_least(min=1), units, REF)
    assert not s.joint.feasible and s.joint.units == ("B",) and "乙区" in s.joint.message


def test_requirement_out_of_reach_alone_is_the_joint_reason():
    units = [elected("A", 0, 2), listed("B", 2, 1, 3)]
    s = compute_congress_structure(4, women_at_least(min=2), units, REF)
    assert s.requirements[0].status is Status.infeasible
    assert s.joint.conflicts == ("women",) and "单独也无法达到" in s.joint.message


def test_short_list_counts_everyone_and_leaves_the_rest_open():
    # 3 seats, a list of 2 women: both elected, the third seat 未定 (0…1 more).
    units = [listed("A", 3, 2, 0)]
    (r,) = compute_congress_structure(3, women_at_least(min=3), units, REF).requirements
    assert (r.lowest, r.highest, r.shares[0].open) == (2, 3, 1)


def test_higher_nominee_pool_counts_beside_the_units_own():
    # A 选举单位 with its own 2 seats (2 of 3: 1 woman) and 1 上级提名 seat (1 of 1 woman): women 1…2.
    unit = UnitInput("A", "甲区", "预备人选", (Pool(people(1, 2), 2), Pool(people(1, 0), 1)))
    (r,) = compute_congress_structure(3, women_at_least(min=2), [unit], REF).requirements
    assert (r.lowest, r.highest, r.status) == (1, 2, Status.feasible)
