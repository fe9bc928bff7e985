"""Duty rule sets, points, rankings, requirements and the 模范履职党代表 cap (docs/rules.md §6)."""
from __future__ import annotations

import random
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow import duties
from workflow.common.results import DomainError
from workflow.duties import check_model_nominations, max_model_delegates
from workflow.duties.compliance import check_requirements, requirements_at_risk
from workflow.duties.periods import PeriodKind
from workflow.duties.points import compute_points
from workflow.duties.presets import FENGXIAN, PRESETS, YANTIAN, YINTAI
from workflow.duties.ranking import rank_delegates
from workflow.duties.rules import Activity, ActivityType, DutyRuleSet, Requirement, RuleBook

D = date


def act(i, did, code, on, status="verified", grade=None, role="lead"):
    return Activity(i, did, code, on, status, grade, role)


def points_of(activities, rules=YANTIAN, year=2026, did="a"):
    result = compute_points(activities, rules, year)
    return result[did].total if did in result else 0


# ------------------------------------------------------------------------------------------------------------
# Presets
# ------------------------------------------------------------------------------------------------------------
YANTIAN_POINTS = {
    "duty_reception": ("值班接访", 5),
    "proxy_petition": ("代理诉求", 5),
    "publicity": ("宣传", 3),
    "community_activity": ("社区活动", 5),
    "inspection": ("视察调研", 10),
    "motion": ("提议", 3),
    "lead_proposal": ("领衔提案", 10),
    "co_proposal": ("联署提案", 3),
    "inquiry": ("询问质询", 5),
    "written_opinion": ("书面意见", 10),
    "volunteering": ("公益志愿", 5),
    "mentoring": ("传帮带", 5),
    "emergency": ("抢险救灾/急难险重", 20),
}


@pytest.mark.parametrize("code,expected", sorted(YANTIAN_POINTS.items()))
def test_points_yantian_each_type_as_in_seed(code, expected):
    label, pts = expected
    assert YANTIAN.type(code).label == label
    assert points_of([act(1, "a", code, D(2026, 5, 1))]) == pts


def test_presets_yantian_has_every_seed_type_and_rules():
    assert set(PRESETS) == {"yantian", "fengxian", "yintai"}
    assert {t.code for t in YANTIAN.activity_types} == set(YANTIAN_POINTS) | {"resolve_petition"}
    assert YANTIAN.version_from == D(2013, 1, 1)
    assert YANTIAN.publication == PeriodKind.quarter
    assert YANTIAN.scoring_year_start == (1, 1)
    assert YANTIAN.ranked_within == ("office",)
    reqs = {r.code: (r.min_count, r.period, r.types) for r in YANTIAN.requirements}
    assert reqs == {"monthly_duty": (1, PeriodKind.month, ("duty_reception",)),
                    "yearly_inspection": (1, PeriodKind.year, ("inspection",))}
    assert YANTIAN.type("co_proposal").yearly_cap == 9
    assert YANTIAN.type("co_proposal").points_text == "每项3分，每年最多9分"


def test_presets_fengxian_and_yintai_mark_their_default_points_pending():
    for rs in (FENGXIAN, YINTAI):
        assert any("待定" in n for n in rs.notes)
        assert any(t.note == "待定" for t in rs.activity_types)
    assert FENGXIAN.version_from == D(2022, 1, 1) and YINTAI.version_from == D(2015, 1, 1)
    assert FENGXIAN.annual_review.model_share == Fraction(1, 4)
    assert [p.rated_by for p in FENGXIAN.annual_review.parts] == ["组织部/镇党委", "工作室所在镇党委",
                                                                  "工作室所在镇党委", "代表所在单位"]
    four = {r.code for r in YINTAI.requirements if r.period == PeriodKind.month}
    assert four == {"monthly_visit", "monthly_opinion", "monthly_reception"}


# ------------------------------------------------------------------------------------------------------------
# Points: caps, grades, status, year bounds
# ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n,expected", [(1, 3), (2, 6), (3, 9), (4, 9), (7, 9)])
def test_points_co_proposal_cap_at_nine(n, expected):
    acts = [act(i, "a", "co_proposal", D(2026, 1 + i, 1)) for i in range(n)]
    assert points_of(acts) == expected
    dp = compute_points(acts, YANTIAN, 2026)["a"]
    assert dp.by_type["co_proposal"] == (n, expected)
    assert len(dp.capped) == max(0, n - 3)


def test_points_cap_cuts_the_latest_activity_whatever_the_input_order():
    acts = [act(10 + i, "a", "co_proposal", D(2026, 3, 1) + timedelta(days=i)) for i in range(4)]
    for seed in range(5):
        shuffled = acts[:]
        random.Random(seed).shuffle(shuffled)
        dp = compute_points(shuffled, YANTIAN, 2026)["a"]
        assert [(c.activity_id, c.counted) for c in dp.capped] == [(13, 0)]
    assert dp.capped[0].message == "2026年3月4日的联署提案已达每年9分上限，本项计0分（原3分）"


def test_points_cap_same_day_cut_by_activity_id():
    acts = [act(i, "a", "co_proposal", D(2026, 3, 1)) for i in (4, 2, 3, 1)]
    dp = compute_points(acts, YANTIAN, 2026)["a"]
    assert [c.activity_id for c in dp.capped] == [4]


def test_points_cap_is_per_delegate_and_per_year():
    acts = [act(i, "a", "co_proposal", D(2026, 2, i)) for i in range(1, 5)]
    acts += [act(10 + i, "b", "co_proposal", D(2026, 2, i)) for i in range(1, 3)]
    acts += [act(20 + i, "a", "co_proposal", D(2027, 2, i)) for i in range(1, 3)]
    p26 = compute_points(acts, YANTIAN, 2026)
    assert (p26["a"].total, p26["b"].total) == (9, 6)
    assert compute_points(acts, YANTIAN, 2027)["a"].total == 6


def test_points_lead_proposal_co_signer_scores_as_co_proposal_under_the_cap():
    acts = [act(1, "a", "lead_proposal", D(2026, 1, 5))]
    acts += [act(1 + i, "b", "lead_proposal", D(2026, 1, 5 + i), role="co_signer") for i in range(4)]
    p = compute_points(acts, YANTIAN, 2026)
    assert p["a"].total == 10
    assert p["b"].total == 9 and p["b"].by_type["co_proposal"].count == 4


@pytest.mark.parametrize("grade,expected", [("非常满意", 6), ("very_satisfied", 6), ("基本满意", 5),
                                            ("satisfied", 5), ("不满意", 0)])
def test_points_resolve_petition_by_satisfaction_grade(grade, expected):
    assert points_of([act(1, "a", "resolve_petition", D(2026, 6, 1), grade=grade)]) == expected


def test_points_graded_type_without_grade_is_unscored_and_explained():
    dp = compute_points([act(1, "a", "resolve_petition", D(2026, 6, 1))], YANTIAN, 2026)["a"]
    assert dp.total == 0 and dp.unscored[0].activity_id == 1
    assert "尚未填写满意度" in dp.unscored[0].reason


@pytest.mark.parametrize("status,expected", [("verified", 5), ("pending", 0), ("returned", 0)])
def test_points_only_verified_activities_score(status, expected):
    assert points_of([act(1, "a", "duty_reception", D(2026, 6, 1), status=status)]) == expected


def test_points_scoring_year_bounds_dec31_vs_jan1():
    acts = [act(1, "a", "duty_reception", D(2025, 12, 31)), act(2, "a", "duty_reception", D(2026, 1, 1)),
            act(3, "a", "duty_reception", D(2026, 12, 31)), act(4, "a", "duty_reception", D(2027, 1, 1))]
    assert points_of(acts, year=2026) == 10
    assert points_of(acts, year=2025) == 5


def test_points_unknown_type_is_unscored_with_reason():
    dp = compute_points([act(1, "a", "karaoke", D(2026, 6, 1))], YANTIAN, 2026)["a"]
    assert dp.total == 0 and "没有活动类型“karaoke”" in dp.unscored[0].reason


def test_points_accept_plain_tuples_like_database_rows():
    rows = [(1, 7, "inspection", D(2026, 3, 3), "verified", None, "lead")]
    assert compute_points(rows, YANTIAN, 2026)[7].total == 10


def test_points_explain_lists_types_caps_and_total():
    acts = [act(i, "a", "co_proposal", D(2026, 2, i)) for i in range(1, 5)] + [act(9, "a", "inspection", D(2026, 3, 1))]
    lines = duties.explain(compute_points(acts, YANTIAN, 2026)["a"], YANTIAN)
    assert "联署提案：4项，计9分" in lines and "视察调研：1项，计10分" in lines
    assert lines[-1] == "合计19分"


# ------------------------------------------------------------------------------------------------------------
# Versions
# ------------------------------------------------------------------------------------------------------------
JULY_1 = D(2026, 7, 1)


def _yantian_v2(version_from=JULY_1):
    types = tuple(ActivityType(t.code, t.label, 8, group=t.group) if t.code == "duty_reception" else
                  ActivityType(t.code, t.label, 4, yearly_cap=12, group=t.group) if t.code == "co_proposal" else t
                  for t in YANTIAN.activity_types)
    return YANTIAN.revise(version_from, activity_types=types)


def test_rulebook_mid_year_change_leaves_earlier_points_unchanged():
    before = [act(1, "a", "duty_reception", D(2026, 6, 30))]
    after = [act(2, "a", "duty_reception", D(2026, 7, 1))]
    book1 = RuleBook.of(YANTIAN)
    book2 = book1.with_version(_yantian_v2())
    assert points_of(before, book1) == points_of(before, book2) == 5
    assert points_of(before + after, book2) == 5 + 8
    dp = compute_points(before + after, book2, 2026)["a"]
    assert dp.by_type["duty_reception"] == (2, 13)


def test_rulebook_in_force_picks_latest_version_on_or_before_the_day():
    book = RuleBook((_yantian_v2(), YANTIAN))  # order given does not matter
    assert book.in_force(D(2026, 6, 30)) is YANTIAN
    assert book.in_force(D(2026, 7, 1)).version_from == D(2026, 7, 1)
    with pytest.raises(DomainError) as e:
        book.in_force(D(2012, 12, 31))
    assert "尚无生效的履职规则" in e.value.message


def test_rulebook_activity_before_first_version_is_unscored():
    dp = compute_points([act(1, "a", "inspection", D(2012, 5, 1))], YANTIAN, 2012)["a"]
    assert dp.total == 0 and dp.unscored


def test_rulebook_cap_changed_mid_year_counts_each_item_under_its_own_cap():
    book = RuleBook((YANTIAN, _yantian_v2()))
    acts = [act(i, "a", "co_proposal", D(2026, 2, i)) for i in range(1, 4)]  # 3 × 3 = 9 under cap 9
    acts += [act(10, "a", "co_proposal", D(2026, 8, 1))]  # 4 points, cap now 12 → 3 counted
    acts += [act(11, "a", "co_proposal", D(2026, 8, 2))]  # nothing left
    dp = compute_points(acts, book, 2026)["a"]
    assert dp.total == 12
    assert [(c.activity_id, c.points, c.counted, c.cap) for c in dp.capped] == [(10, 4, 3, 12), (11, 4, 0, 12)]


def test_rulebook_refuses_mixed_codes_same_date_and_changed_year_start():
    with pytest.raises(DomainError):
        RuleBook((YANTIAN, FENGXIAN))
    with pytest.raises(DomainError):
        RuleBook((YANTIAN, YANTIAN.revise(YANTIAN.version_from, name="x")))
    with pytest.raises(DomainError):
        RuleBook((YANTIAN, YANTIAN.revise(D(2026, 1, 1), scoring_year_start=(12, 1))))


def test_check_new_version_refuses_a_backdated_version():
    book = RuleBook.of(YANTIAN)
    today = D(2026, 5, 20)
    assert duties.check_new_version(book, _yantian_v2(D(2026, 5, 20)), today) == []
    codes = [b.code for b in duties.check_new_version(book, _yantian_v2(D(2026, 5, 19)), today)]
    assert codes == ["duties.version.backdated"]


def test_ruleset_validation_collects_every_problem():
    bad = (ActivityType("x", "甲", 1), ActivityType("x", "乙", 2), ActivityType("y", "丙", 2, co_signer_code="z"))
    reqs = (Requirement("r", "要求", 1, "month", types=("nope",)), Requirement("r", "要求", 1, "month", group="G"))
    assert [b.code for b in duties.check_ruleset(bad, reqs)] == [
        "duties.type.duplicate", "duties.type.co_signer_unknown", "duties.requirement.type_unknown",
        "duties.requirement.duplicate", "duties.requirement.group_unknown"]
    with pytest.raises(DomainError) as e:
        DutyRuleSet("t", "测试", D(2026, 1, 1), bad, requirements=reqs[:1])
    assert "重复" in e.value.message and "不存在的活动类型" in e.value.message


@pytest.mark.parametrize("kwargs", [{"points": -1}, {"points": 1.5}, {"points": True}, {"points": {}},
                                    {"points": 3, "yearly_cap": -1}])
def test_activity_type_refuses_bad_points(kwargs):
    with pytest.raises(DomainError):
        ActivityType("x", "甲", **kwargs)


def test_ruleset_refuses_year_publication_and_late_year_start():
    with pytest.raises(DomainError):
        YANTIAN.revise(YANTIAN.version_from, publication="year")
    with pytest.raises(DomainError):
        YANTIAN.revise(YANTIAN.version_from, scoring_year_start=(2, 29))


# ------------------------------------------------------------------------------------------------------------
# Publication and periods
# ------------------------------------------------------------------------------------------------------------
def test_publication_quarter_two_counts_up_to_june_30():
    acts = [act(1, "a", "inspection", D(2026, 3, 31)), act(2, "a", "inspection", D(2026, 4, 1)),
            act(3, "a", "inspection", D(2026, 6, 30)), act(4, "a", "inspection", D(2026, 7, 1))]
    q1 = duties.compute_published_points(acts, YANTIAN, 2026, 1)
    q2 = duties.compute_published_points(acts, YANTIAN, 2026, 2)
    assert q1.period.label == "2026年第1季度" and q1.points["a"].total == 10
    assert q2.period.end == D(2026, 6, 30) and q2.points["a"].total == 30
    with pytest.raises(DomainError):
        duties.compute_published_points(acts, YANTIAN, 2026, 5)


def test_publication_periods_per_cycle():
    assert len(duties.publication_periods(2026, "month")) == 12
    halves = duties.publication_periods(2026, "half_year")
    assert [(p.start, p.end, p.label) for p in halves] == [
        (D(2026, 1, 1), D(2026, 6, 30), "2026年上半年"), (D(2026, 7, 1), D(2026, 12, 31), "2026年下半年")]


@pytest.mark.parametrize("day,kind,start,end", [
    (D(2026, 3, 31), "quarter", D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 4, 1), "quarter", D(2026, 4, 1), D(2026, 6, 30)),
    (D(2024, 2, 29), "month", D(2024, 2, 1), D(2024, 2, 29)),
    (D(2026, 12, 31), "half_year", D(2026, 7, 1), D(2026, 12, 31)),
])
def test_period_containing_boundaries(day, kind, start, end):
    p = duties.period_containing(day, kind)
    assert (p.start, p.end) == (start, end)


def test_period_scoring_year_starting_december_first():
    ys = (12, 1)
    assert duties.scoring_year_of(D(2026, 11, 30), ys) == 2025
    assert duties.scoring_year_of(D(2026, 12, 1), ys) == 2026
    q = duties.period_containing(D(2027, 2, 28), "quarter", ys)
    assert (q.start, q.end, q.year, q.index) == (D(2026, 12, 1), D(2027, 2, 28), 2026, 1)
    assert "2026积分年度第1季度" in q.label


# ------------------------------------------------------------------------------------------------------------
# Requirements
# ------------------------------------------------------------------------------------------------------------
def _status(statuses, code, start):
    return next(s for s in statuses if s.code == code and s.period.start == start)


def test_requirements_duty_on_march_31_meets_march_not_april():
    acts = [act(1, "a", "duty_reception", D(2026, 3, 31))]
    st_ = check_requirements(acts, YANTIAN, "a", D(2026, 3, 1), D(2026, 4, 30))
    assert _status(st_, "monthly_duty", D(2026, 3, 1)).met
    april = _status(st_, "monthly_duty", D(2026, 4, 1))
    assert not april.met and april.missing == 1
    assert april.message == "2026年4月到挂点社区工作室值班（半天）：已完成0次，还需1次，请在2026年4月30日前完成"


@pytest.mark.parametrize("day,q1,q2", [(D(2026, 3, 31), True, False), (D(2026, 4, 1), False, True)])
def test_requirements_fengxian_quarter_boundary_3_31_vs_4_1(day, q1, q2):
    st_ = check_requirements([act(1, "a", "office_activity", day)], FENGXIAN, "a", D(2026, 1, 1), D(2026, 6, 30))
    assert _status(st_, "quarterly_office", D(2026, 1, 1)).met is q1
    assert _status(st_, "quarterly_office", D(2026, 4, 1)).met is q2


def test_requirements_yearly_inspection_dec_31_vs_jan_1():
    acts = [act(1, "a", "inspection", D(2026, 12, 31)), act(2, "b", "inspection", D(2027, 1, 1))]
    for did, met in (("a", True), ("b", False)):
        st_ = check_requirements(acts, YANTIAN, did, D(2026, 1, 1), D(2026, 12, 31))
        assert _status(st_, "yearly_inspection", D(2026, 1, 1)).met is met


def test_requirements_fengxian_summary_due_dec_15():
    for day, met in ((D(2026, 12, 15), True), (D(2026, 12, 16), False)):
        st_ = check_requirements([act(1, "a", "personal_summary", day)], FENGXIAN, "a", D(2026, 1, 1), D(2026, 12, 31))
        summary = _status(st_, "personal_summary", D(2026, 1, 1))
        assert summary.period.end == D(2026, 12, 15) and summary.met is met


def test_requirements_count_only_verified_and_report_pending():
    acts = [act(1, "a", "duty_reception", D(2026, 5, 3), status="pending"),
            act(2, "a", "duty_reception", D(2026, 5, 4), status="returned")]
    s = _status(check_requirements(acts, YANTIAN, "a", D(2026, 5, 1), D(2026, 5, 31)), "monthly_duty", D(2026, 5, 1))
    assert (s.done, s.pending, s.met) == (0, 1, False)
    assert "另有1次待核实" in s.message


def test_requirements_yintai_four_per_month_and_half_year_report():
    acts = [act(1, "a", "visit_masses", D(2026, 1, 2)), act(2, "a", "public_opinion", D(2026, 1, 3)),
            act(3, "a", "office_reception", D(2026, 1, 31)), act(4, "a", "half_year_report", D(2026, 6, 30))]
    st_ = check_requirements(acts, YINTAI, "a", D(2026, 1, 1), D(2026, 2, 28))
    jan = {s.code: s.met for s in st_ if s.period.start == D(2026, 1, 1) and s.period.kind == PeriodKind.month}
    assert jan == {"monthly_visit": True, "monthly_opinion": True, "monthly_reception": True}
    assert not any(s.met for s in st_ if s.period.start == D(2026, 2, 1))
    assert _status(st_, "half_year_report", D(2026, 1, 1)).met
    assert not _status(st_, "poor_household", D(2026, 1, 1)).met


def test_requirements_by_group():
    rs = DutyRuleSet("g", "分组", D(2026, 1, 1),
                     (ActivityType("a1", "甲", 1, group="G"), ActivityType("a2", "乙", 1, group="G"),
                      ActivityType("b1", "丙", 1, group="H")),
                     requirements=(Requirement("gq", "G类活动", 2, "quarter", group="G"),))
    acts = [act(1, "x", "a1", D(2026, 1, 5)), act(2, "x", "b1", D(2026, 2, 5)), act(3, "x", "a2", D(2026, 3, 5))]
    assert check_requirements(acts, rs, "x", D(2026, 1, 1), D(2026, 3, 31))[0].met
    assert not check_requirements(acts[:2], rs, "x", D(2026, 1, 1), D(2026, 3, 31))[0].met


@pytest.mark.parametrize("today,expected", [
    (D(2026, 4, 15), []),  # 15 days before 4月30日
    (D(2026, 4, 16), [14]),  # exactly 14 days before
    (D(2026, 4, 30), [0]),  # last day
    (D(2026, 5, 1), []),  # a new month: 30 days left
])
def test_requirements_at_risk_within_14_days_of_period_end(today, expected):
    risks = requirements_at_risk(today, [], YANTIAN, ["a"])
    assert [r.days_left for r in risks if r.status.code == "monthly_duty"] == expected


def test_requirements_at_risk_skips_met_and_other_delegates():
    acts = [act(1, "a", "duty_reception", D(2026, 4, 2)), act(2, "c", "duty_reception", D(2026, 4, 2))]
    risks = requirements_at_risk(D(2026, 4, 20), acts, YANTIAN, ["a", "b"])
    assert [(r.delegate_id, r.status.code) for r in risks] == [("b", "monthly_duty")]
    assert risks[0].message.endswith("本期10天后结束")


def test_requirements_at_risk_due_date_and_year_end():
    risks = requirements_at_risk(D(2026, 12, 1), [], FENGXIAN, ["a"])
    assert [(r.status.code, r.days_left) for r in risks] == [("personal_summary", 14)]
    risks = requirements_at_risk(D(2026, 12, 17), [], FENGXIAN, ["a"])
    assert {r.status.code for r in risks} == {"quarterly_office", "duty_record"}  # summary's due date passed


# ------------------------------------------------------------------------------------------------------------
# Rankings
# ------------------------------------------------------------------------------------------------------------
def test_rank_ties_use_competition_ranking():
    rows = rank_delegates({"a": 30, "b": 20, "c": 20, "d": 10}, {k: "o1" for k in "abcd"})["o1"]
    assert [(r.delegate_id, r.rank, r.tied) for r in rows] == [("a", 1, False), ("b", 2, True), ("c", 2, True),
                                                               ("d", 4, False)]
    assert rows[1].rank_text == "第2名（并列）"


def test_rank_tie_order_by_name_key_then_id():
    names = {3: "丁一", 1: "王芳", 2: "丁一"}
    rows = rank_delegates({1: 5, 2: 5, 3: 5, 4: 5}, {1: "o", 2: "o", 3: "o", 4: "o"}, names)["o"]
    assert [r.delegate_id for r in rows] == [2, 3, 1, 4]
    assert {r.rank for r in rows} == {1}


def test_rank_within_each_office_and_zero_for_no_points():
    ranking = rank_delegates({"a": 5, "b": 7, "x": 99}, {"a": "东", "b": "西", "c": "东"})
    assert list(ranking) == ["东", "西"]
    assert [(r.delegate_id, r.points, r.rank) for r in ranking["东"]] == [("a", 5, 1), ("c", 0, 2)]
    assert all(r.delegate_id != "x" for rows in ranking.values() for r in rows)
    assert duties.standing_of(ranking, "c")[1:] == (ranking["东"][1], 2)
    assert duties.standing_of(ranking, "x") is None


def test_rank_from_computed_points_end_to_end():
    acts = [act(1, "a", "inspection", D(2026, 2, 1)), act(2, "b", "written_opinion", D(2026, 2, 2)),
            act(3, "c", "duty_reception", D(2026, 2, 3))]
    ranking = rank_delegates(duties.totals(compute_points(acts, YANTIAN, 2026)), {"a": 1, "b": 1, "c": 1})
    assert [(r.delegate_id, r.rank) for r in ranking[1]] == [("a", 1), ("b", 1), ("c", 3)]


# ------------------------------------------------------------------------------------------------------------
# 模范履职党代表 cap (docs/rules.md §6 凤县)
# ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n,cap", [(0, 0), (3, 0), (4, 1), (7, 1), (8, 2), (10, 2), (11, 2), (12, 3), (100, 25)])
def test_model_delegates_cap_is_25_percent_rounded_down(n, cap):
    assert max_model_delegates(n) == cap


def test_model_nominations_at_cap_pass_one_more_blocked():
    assert check_model_nominations(10, 2) == []
    [b] = check_model_nominations(10, 3)
    assert b.code == "duties.model.over_cap"
    assert b.message == "推荐模范履职党代表3名，超过本单位代表10名的25%（向下取整最多2名），请减少1名"
    assert [b.code for b in check_model_nominations(3, 1)] == ["duties.model.over_cap"]
    assert check_model_nominations(3, 0) == []


@pytest.mark.parametrize("n,k", [(-1, 0), (10, -1)])
def test_model_nominations_refuse_negative_counts(n, k):
    with pytest.raises(DomainError):
        check_model_nominations(n, k)


# ------------------------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------------------------
_CODES = sorted(YANTIAN_POINTS) + ["resolve_petition"]
_activity = st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(_CODES),
                      st.dates(D(2025, 12, 25), D(2027, 1, 5)), st.sampled_from(["verified", "pending"]),
                      st.sampled_from([None, "非常满意", "基本满意", "不满意"]), st.sampled_from(["lead", "co_signer"]))


def _naive_total(acts, did):
    """Reference: the seed's table, cap 9 on co-proposals."""
    plain, co = 0, 0
    for a in acts:
        if a.delegate_id != did or a.status != "verified" or a.on.year != 2026:
            continue
        code = "co_proposal" if a.type_code == "lead_proposal" and a.role == "co_signer" else a.type_code
        if code == "co_proposal":
            co += 3
        elif code == "resolve_petition":
            plain += {"非常满意": 6, "基本满意": 5}.get(a.grade, 0)
        else:
            plain += YANTIAN_POINTS[code][1]
    return plain + min(co, 9)


@settings(max_examples=150, deadline=None)
@given(st.lists(_activity, max_size=40), st.randoms(use_true_random=False))
def test_points_property_matches_reference_and_ignores_order(rows, rnd):
    acts = [Activity(i, *r) for i, r in enumerate(rows)]
    result = compute_points(acts, YANTIAN, 2026)
    shuffled = acts[:]
    rnd.shuffle(shuffled)
    assert compute_points(shuffled, YANTIAN, 2026) == result
    for did in "abc":
        total = result[did].total if did in result else 0
        assert total == _naive_total(acts, did)
        if did in result:
            assert total == sum(tp.points for tp in result[did].by_type.values())


def _reference_points(acts, book, did, year=2026):
    """Reference with the version in force on each activity's date; caps in (date, id) order."""
    total, used = 0, {}
    for a in sorted(acts, key=lambda a: (a.on, a.id)):
        if a.delegate_id != did or a.status != "verified" or a.on.year != year:
            continue
        rs = book.in_force(a.on)
        code = rs.scored_code(a.type_code, a.role)
        t = rs.type(code)
        if t.graded and a.grade is None:
            continue
        pts = t.points_for(a.grade)
        if t.yearly_cap is not None:
            pts = min(pts, max(0, t.yearly_cap - used.get(code, 0)))
            used[code] = used.get(code, 0) + pts
        total += pts
    return total


@settings(max_examples=100, deadline=None)
@given(st.lists(_activity, max_size=40))
def test_points_property_two_versions_match_reference(rows):
    book = RuleBook((YANTIAN, _yantian_v2()))
    acts = [Activity(i, *r) for i, r in enumerate(rows)]
    result = compute_points(acts, book, 2026)
    for did in "abc":
        assert (result[did].total if did in result else 0) == _reference_points(acts, book, did)


def test_points_table_is_a_read_only_mapping_with_totals():
    acts = [act(1, "a", "inspection", D(2026, 2, 1)), act(2, "b", "resolve_petition", D(2026, 2, 1), grade="不满意")]
    table = compute_points(acts, YANTIAN, 2026)
    assert len(table) == 2 and set(table) == {"a", "b"} and "c" not in table
    assert table.totals == duties.totals(table) == {"a": 10, "b": 0}
    assert table["b"].by_type == {"resolve_petition": (1, 0)}
    with pytest.raises(KeyError):
        table["c"]


def test_points_until_cuts_the_year():
    acts = [act(1, "a", "inspection", D(2026, 5, 31)), act(2, "a", "inspection", D(2026, 6, 1))]
    assert compute_points(acts, YANTIAN, 2026, until=D(2026, 5, 31))["a"].total == 10


def test_points_cap_order_with_mixed_id_kinds_is_deterministic():
    acts = [act("petition:9", "a", "co_proposal", D(2026, 3, 1))] + [act(i, "a", "co_proposal", D(2026, 3, 1))
                                                                      for i in (3, 2, 1)]
    dp = compute_points(acts, YANTIAN, 2026)["a"]
    assert [c.activity_id for c in dp.capped] == ["petition:9"]


@pytest.mark.parametrize("kw", [{"due": (2, 29)}, {"due": (12, 15), "period": "month"}, {"min_count": 0},
                                {"types": ("a",), "group": "G"}])
def test_requirement_refuses_bad_definitions(kw):
    args = {"code": "r", "label": "要求", "min_count": 1, "period": "year", "types": ("a",)} | kw
    with pytest.raises(DomainError):
        Requirement(**args)


@pytest.mark.parametrize(("on", "today", "problem"), [
    (date(2026, 11, 23), date(2026, 11, 23), None),                     # today itself
    (date(2026, 11, 24), date(2026, 11, 23), "晚于今天"),               # one day ahead
    (date(2025, 12, 31), date(2026, 1, 31), None),                      # last year, on the last day of January
    (date(2025, 12, 31), date(2026, 2, 1), "履职考评已结束"),           # last year, the day after
    (date(2025, 1, 1), date(2026, 1, 15), None),                        # the whole previous year is open in January
    (date(2024, 12, 31), date(2026, 1, 15), "履职考评已结束"),          # two years back never
    (date(2026, 1, 1), date(2026, 12, 31), None),                       # this year, on its last day
])
def test_entry_date_problem_at_its_boundaries(on, today, problem):
    found = duties.entry_date_problem(on, today)
    assert (found is None) if problem is None else (problem in found)
