"""The 民主评议/民主测评/信任投票 rules at their boundaries (docs/rules.md §7): ties, invalid ballots, thresholds
exactly met, confidence exactly half, rounding, the order of differences, settings that cannot be read."""
from __future__ import annotations

from fractions import Fraction

import pytest

from workflow.assembly.appraisal import (
    AppraisalRules,
    Figures,
    check_figures,
    compare_entries,
    default_rules,
    figures_from_json,
    figures_to_json,
    percent,
    results,
    rules_from_settings,
    rules_to_settings,
)
from workflow.common.results import DomainError

RATING = default_rules("rating")
CONFIDENCE = default_rules("confidence")
OBJECTS = [("1", "区委领导班子"), ("2", "张伟")]


def _codes(blockers):
    return [b.code for b in blockers]


def test_a_tie_in_grades_names_both_and_says_so():
    (r,) = results(RATING, ["1"], Figures(0, {"1": {"好": 10, "较好": 10, "一般": 2}}), 22)
    assert r.top_grades == ("好", "较好")
    assert r.verdict == "好、较好（票数相同）"
    (single,) = results(RATING, ["1"], Figures(0, {"1": {"好": 11, "较好": 10}}), 22)
    assert single.verdict == "好"


def test_all_ballots_invalid_is_allowed_and_leaves_no_valid_ballot():
    assert check_figures(RATING, OBJECTS, Figures(30, {}), 30, 30) == []
    (r, _) = results(RATING, ["1", "2"], Figures(30, {}), 30)
    assert r.valid == 0 and r.good_rate is None and r.verdict == "无有效票" and not r.flagged
    assert percent(r.good_rate) == "—"


def test_more_invalid_than_collected_or_negative_is_refused():
    (b,) = check_figures(RATING, OBJECTS, Figures(31, {}), 30, 30)
    assert b.code == "assembly.appraisal.invalid_range" and "无效票数（31）" in b.message
    assert _codes(check_figures(RATING, OBJECTS, Figures(-1, {}), 30, 30)) == ["assembly.appraisal.invalid_range"]


def test_more_collected_than_issued_must_be_redone():
    blockers = check_figures(RATING, OBJECTS, Figures(0, {}), 30, 31)
    assert _codes(blockers) == ["assembly.appraisal.collected_over_issued"]
    assert "应重新进行" in blockers[0].message
    assert check_figures(RATING, OBJECTS, Figures(0, {}), 30, 30) == []


def test_grades_sum_over_the_valid_ballots_not_the_collected():
    # 30 collected, 2 invalid: 28 valid; 28 graded is fine, 29 is refused naming the object
    ok = Figures(2, {"1": {"好": 20, "较好": 8}, "2": {"差": 28}})
    assert check_figures(RATING, OBJECTS, ok, 30, 30) == []
    over = Figures(2, {"1": {"好": 20, "较好": 9}})
    (b,) = check_figures(RATING, OBJECTS, over, 30, 30)
    assert b.code == "assembly.appraisal.over_valid"
    assert b.message.startswith("区委领导班子：") and "（29）超过有效票数（28）" in b.message


def test_unknown_grade_negative_and_unknown_object_are_refused():
    fig = Figures(0, {"1": {"优秀": 1}, "2": {"好": -1}, "9": {"好": 1}})
    codes = _codes(check_figures(RATING, OBJECTS, fig, 30, 30))
    assert set(codes) == {"assembly.appraisal.unknown_grade", "assembly.appraisal.negative",
                          "assembly.appraisal.unknown_object"}


def test_blanks_are_the_valid_ballots_without_a_grade_for_the_object():
    (r,) = results(RATING, ["1"], Figures(2, {"1": {"好": 20, "较好": 5}}), 30)
    assert r.valid == 28 and r.blank == 3
    assert r.good_rate == Fraction(25, 28)  # over the valid ballots, the blanks included
    assert dict(r.counts) == {"好": 20, "较好": 5, "一般": 0, "差": 0}
    (none,) = results(RATING, ["1"], Figures(0, {}), 10)
    assert none.blank == 10 and none.top_grades == () and none.verdict == "均未评定"


def test_poor_share_exactly_at_one_third_is_not_flagged_just_over_is():
    (at,) = results(RATING, ["1"], Figures(0, {"1": {"好": 20, "差": 10}}), 30)
    assert at.poor_share == Fraction(1, 3) and not at.flagged
    (over,) = results(RATING, ["1"], Figures(0, {"1": {"好": 19, "差": 11}}), 30)
    assert over.flagged
    # 1/3 of 31 valid ballots is 10.33…: 10 is under, 11 over
    (under,) = results(RATING, ["1"], Figures(0, {"1": {"差": 10}}), 31)
    assert not under.flagged


def test_good_rate_exactly_at_a_share():
    (r,) = results(RATING, ["1"], Figures(0, {"1": {"好": 10, "较好": 5, "一般": 15}}), 30)
    assert r.good_rate == Fraction(1, 2) and percent(r.good_rate) == "50.0%"


def test_confidence_exactly_half_is_not_passed_one_more_is():
    (half,) = results(CONFIDENCE, ["1"], Figures(0, {"1": {"信任": 10, "不信任": 8, "弃权": 2}}), 20)
    assert half.passed is False and half.verdict == "未获得信任"
    (more,) = results(CONFIDENCE, ["1"], Figures(0, {"1": {"信任": 11, "不信任": 9}}), 20)
    assert more.passed is True and more.verdict == "获得信任"
    (none,) = results(CONFIDENCE, ["1"], Figures(20, {}), 20)
    assert none.passed is False and none.verdict == "无有效票"
    assert results(RATING, ["1"], Figures(0, {}), 1)[0].passed is None


@pytest.mark.parametrize(("share", "text"), [
    (Fraction(1, 3), "33.3%"), (Fraction(2, 3), "66.7%"), (Fraction(1, 16), "6.3%"), (Fraction(1, 2000), "0.1%"),
    (Fraction(1, 2001), "0.0%"), (Fraction(1), "100.0%"), (Fraction(0), "0.0%"), (Fraction(5, 8), "62.5%"),
    (Fraction(2, 2000 * 3), "0.0%"), (Fraction(999, 1000), "99.9%"), (Fraction(19995, 20000), "100.0%"),
])
def test_percent_rounds_half_up_to_one_decimal(share, text):
    assert percent(share) == text


def test_compare_lists_invalid_first_then_objects_in_ballot_order_grade_by_grade():
    a = Figures(1, {"1": {"好": 5, "差": 1}, "2": {"好": 3}})
    b = Figures(2, {"1": {"好": 4, "差": 2}, "2": {"较好": 3}})
    diffs = compare_entries(RATING, ["2", "1"], a, b)
    assert [(d.object_key, d.grade, d.first, d.second) for d in diffs] == [
        (None, None, 1, 2), ("2", "好", 3, 0), ("2", "较好", 0, 3), ("1", "好", 5, 4), ("1", "差", 1, 2)]
    assert compare_entries(RATING, ["1", "2"], a, a) == []


def test_rules_from_settings_keeps_defaults_and_reads_fractions():
    rules = rules_from_settings("rating", ["好", "较好", "一般", "差"], {"poor_threshold": "0.5", "flag_label": "不满意"})
    assert rules.poor_threshold == Fraction(1, 2) and rules.flag_label == "不满意" and rules.good == ("好", "较好")
    assert rules_from_settings("rating", ["好", "较好", "一般", "差"], rules_to_settings(rules)) == rules
    custom = rules_from_settings("rating", ["优秀", "称职", "不称职"], {})
    assert custom.good == () and custom.poor is None
    assert rules_from_settings("confidence", [], {}).grades == ("信任", "不信任", "弃权")


@pytest.mark.parametrize(("grades", "settings", "message"), [
    (["好", "差"], {"poor_threshold": "三分之一"}, "无法识别"),
    (["好", "差"], {"poor_threshold": "1/0"}, "无法识别"),
    (["好", "差"], {"poor_threshold": "1"}, "0到1之间"),
    (["好", "差"], {"pass_share": "-0.1"}, "0到1之间"),
    (["好", "差"], {"poor": "很差"}, "计入差评率的等次"),
    (["好", "差"], {"good": ["优"]}, "计入好评率的等次"),
    (["好", "好"], {}, "不能重复"),
    (["好"], {}, "至少设两个等次"),
    (["好", " "], {}, "不能为空"),
])
def test_rules_from_settings_refuses_what_cannot_be_used(grades, settings, message):
    with pytest.raises(DomainError, match=message):
        rules_from_settings("rating", grades, settings)


def test_unknown_kind_and_figures_that_are_not_numbers():
    with pytest.raises(DomainError, match="测评类型"):
        AppraisalRules("vote", ("好", "差"))
    with pytest.raises(DomainError, match="整数"):
        figures_from_json({"invalid": "两", "objects": {}})
    fig = figures_from_json({"invalid": "1", "objects": {"1": {"好": "3"}}})
    assert fig == Figures(1, {"1": {"好": 3}}) and figures_to_json(fig) == {"invalid": 1, "objects": {"1": {"好": 3}}}
