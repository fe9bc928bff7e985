"""Rules of the election meeting: quorum, validity, threshold, ranking, ties, rounds (来源: docs/rules.md §3.3)."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.common.results import DomainError
from workflow.common.strokes import sort_names
from workflow.tally.checks import check_ballots, check_totals
from workflow.tally.count import tally_ballots, tally_totals
from workflow.tally.rounds import ReductionBasis, plan_additional_round, start_election
from workflow.tally.rules import (
    GRASSROOTS,
    LOCAL,
    Difference,
    MajorityBase,
    NextStep,
    QuorumRule,
    RoundKind,
    RoundSetup,
    Totals,
    TotalsField,
    compare_teller_entries,
    get_preset,
    threshold_for,
)

NAMES = ("王芳", "李娜", "张伟", "刘伟", "陈静", "马力", "丁一", "于洋")


def make_setup(*, preset=LOCAL, seats=3, eligible=10, present=None, collected=None, candidates=NAMES[:5],
               round_no=1, kind=RoundKind.regular) -> RoundSetup:
    present = eligible if present is None else present
    collected = present if collected is None else collected
    return RoundSetup(preset, seats, eligible, present, collected, tuple(candidates), round_no=round_no, kind=kind)


def totals_for(setup: RoundSetup, for_votes: dict, *, write_in=None, invalid=0, against=None) -> Totals:
    return Totals(valid=setup.ballots_collected - invalid, invalid=invalid, for_votes=for_votes,
                  write_in=write_in or {}, against=against or {})


# ------------------------------------------------------------------ presets, threshold


def test_threshold_is_floor_half_plus_one():
    assert [threshold_for(b) for b in (0, 1, 2, 3, 4, 307, 308)] == [1, 1, 2, 2, 3, 154, 155]


@pytest.mark.parametrize(("votes", "elected"), [(154, False), (155, True)])
def test_majority_exactly_half_of_eligible_is_not_elected(votes, elected):
    setup = make_setup(seats=1, eligible=308, present=300, candidates=NAMES[:2])
    result = tally_totals(setup, totals_for(setup, {"王芳": votes, "李娜": 100}))
    assert result.threshold == 155 and result.base == 308
    assert (result.elected == ("王芳",)) is elected
    assert result.next is (NextStep.done if elected else NextStep.additional_round)


@pytest.mark.parametrize(("votes", "elected"), [(150, False), (151, True)])
def test_majority_grassroots_exactly_half_of_present_is_not_elected(votes, elected):
    setup = make_setup(preset=GRASSROOTS, seats=1, eligible=308, present=300, candidates=NAMES[:2])
    result = tally_totals(setup, totals_for(setup, {"王芳": votes, "李娜": 10}))
    assert result.threshold == 151 and result.base == 300
    assert bool(result.elected) is elected


def test_majority_base_eligible_for_local_present_for_grassroots():
    # 100 应到会, 80 实到会: 45 for-votes exceed half of 实到会 (40) but not half of 应到会 (50).
    local = make_setup(preset=LOCAL, seats=1, eligible=100, present=80, candidates=NAMES[:2])
    grass = make_setup(preset=GRASSROOTS, seats=1, eligible=100, present=80, candidates=NAMES[:2])
    votes = {"王芳": 45, "李娜": 30}
    r_local, r_grass = tally_totals(local, totals_for(local, votes)), tally_totals(grass, totals_for(grass, votes))
    assert (r_local.threshold, r_local.elected, r_local.next) == (51, (), NextStep.additional_round)
    assert (r_grass.threshold, r_grass.elected, r_grass.next) == (41, ("王芳",), NextStep.done)
    assert LOCAL.majority_base is MajorityBase.eligible and GRASSROOTS.majority_base is MajorityBase.present


@pytest.mark.parametrize(("eligible", "present", "met"), [
    (308, 155, True), (308, 154, False),  # exactly half is not a quorum
    (307, 154, True), (307, 153, False),
])
def test_quorum_local_more_than_half(eligible, present, met):
    assert LOCAL.quorum_met(eligible, present) is met
    setup = make_setup(seats=1, eligible=eligible, present=present, candidates=NAMES[:2])
    result = tally_totals(setup, totals_for(setup, {"王芳": present, "李娜": 0}))
    assert result.quorum_met is met
    assert result.next is (NextStep.done if met else NextStep.no_quorum)


@pytest.mark.parametrize(("eligible", "present", "met"), [
    (100, 80, True), (100, 79, False),  # exactly 4/5 is a quorum under the default ≥
    (101, 81, True), (101, 80, False),  # 4/5 of 101 = 80.8
])
def test_quorum_grassroots_at_least_four_fifths(eligible, present, met):
    assert GRASSROOTS.quorum_rule is QuorumRule.at_least
    setup = make_setup(preset=GRASSROOTS, seats=1, eligible=eligible, present=present, candidates=NAMES[:2])
    result = tally_totals(setup, totals_for(setup, {"王芳": present, "李娜": 0}))
    assert result.quorum_met is met
    assert result.next is (NextStep.done if met else NextStep.no_quorum)


@pytest.mark.parametrize(("present", "met"), [(80, False), (81, True)])
def test_quorum_grassroots_more_than_setting(present, met):
    preset = get_preset("基层组织", quorum_rule="more_than")
    assert preset.quorum_rule is QuorumRule.more_than and preset.majority_base is MajorityBase.present
    setup = make_setup(preset=preset, seats=1, eligible=100, present=present, candidates=NAMES[:2])
    assert tally_totals(setup, totals_for(setup, {"王芳": present, "李娜": 0})).quorum_met is met


def test_preset_unknown_name_or_rule_raises_chinese_message():
    with pytest.raises(DomainError, match="未知的选举规则"):
        get_preset("村委会")
    with pytest.raises(DomainError, match="at_least"):
        get_preset("基层组织", quorum_rule=">=")
    assert get_preset("地方组织") is LOCAL


# ------------------------------------------------------------------ round validity, quorum


@pytest.mark.parametrize(("collected", "valid"), [(300, True), (301, False)])
def test_round_collected_equal_to_present_is_valid_one_more_is_void(collected, valid):
    setup = make_setup(seats=2, eligible=308, present=300, collected=collected, candidates=NAMES[:3])
    result = tally_totals(setup, Totals(valid=collected, invalid=0, for_votes={"王芳": 200, "李娜": 180}))
    assert result.round_valid is valid
    if valid:
        assert result.elected == tuple(sort_names(["王芳", "李娜"])) and result.next is NextStep.done
    else:  # nothing counted; every collected ballot is void; the threshold is still stated
        assert result.next is NextStep.void_round and result.quorum_met
        assert (result.valid_ballots, result.invalid_ballots, dict(result.votes)) == (0, 301, {})
        assert (result.elected, result.tied, result.unfilled_seats, result.threshold) == ((), (), 2, 155)
        assert "多于实到会人数300人" in result.explanation and "重新投票" in result.explanation


def test_round_void_with_ballots_counts_nothing():
    setup = make_setup(seats=1, eligible=5, present=3, collected=4, candidates=NAMES[:2])
    result = tally_ballots(setup, [{"for": ["王芳"]}] * 4)
    assert (result.round_valid, result.next, result.invalid_ballots) == (False, NextStep.void_round, 4)


def test_round_without_quorum_is_not_counted_even_when_also_void():
    setup = make_setup(seats=2, eligible=308, present=154, collected=160, candidates=NAMES[:3])
    result = tally_totals(setup, Totals(valid=0, invalid=0))  # totals not even checked
    assert (result.quorum_met, result.round_valid, result.next) == (False, False, NextStep.no_quorum)
    assert (result.elected, result.unfilled_seats, result.threshold) == ((), 2, 155)
    assert "须至少155人" in result.explanation and "不足法定人数" in result.explanation


@pytest.mark.parametrize(("overrides", "message"), [
    ({"seats": 0}, "应选名额不能小于1"),
    ({"present": -1, "collected": 0}, "实到会人数不能小于0"),
    ({"present": 11}, "实到会人数（11）多于应到会人数（10）"),
    ({"candidates": ("王芳", "王芳")}, "重复出现：王芳"),
    ({"candidates": ()}, "候选人名单为空"),
])
def test_setup_bad_figures_raise(overrides, message):
    setup = make_setup(**{"seats": 1, "eligible": 10, "candidates": NAMES[:2], **overrides})
    with pytest.raises(DomainError, match=re.escape(message)):
        tally_totals(setup, Totals(valid=10, invalid=0, for_votes={}))


# ------------------------------------------------------------------ ballot validity


def test_ballot_with_exactly_seats_valid_one_more_by_write_in_void():
    setup = make_setup(seats=2, eligible=5, present=5, collected=5, candidates=NAMES[:3])
    ballots = [
        {"for": ["王芳", "李娜"]},  # exactly the seats: valid
        {"for": ["王芳"], "write_in": ["赵敏"]},  # one + one write-in = seats: valid
        {"for": ["王芳", "李娜"], "write_in": ["赵敏"]},  # seats + a write-in: void
        {"for": ["王芳"], "against": ["李娜", "张伟"]},
        {},  # all abstain: valid
    ]
    result = tally_ballots(setup, ballots)
    assert (result.valid_ballots, result.invalid_ballots) == (4, 1)
    assert dict(result.votes) == {"王芳": 3, "李娜": 1, "赵敏": 1, "张伟": 0}  # the void ballot counts for nobody
    assert result.against == {"王芳": 0, "李娜": 1, "张伟": 1}
    assert result.abstain("张伟") == 3 and result.abstain("李娜") == 2
    assert result.elected == ("王芳",) and result.threshold == 3
    assert "无效票1张（所选人数多于应选名额2名的选票无效）" in result.explanation


def test_ballot_all_abstain_is_valid():
    setup = make_setup(seats=2, eligible=3, present=3, collected=3, candidates=NAMES[:3])
    result = tally_ballots(setup, [{}, {"for": [], "against": [], "write_in": []}, {"for": ["王芳", "李娜"]}])
    assert (result.valid_ballots, result.invalid_ballots) == (3, 0)
    assert result.elected == () and result.next is NextStep.additional_round


def test_ballot_write_in_of_listed_candidate_counts_for_that_candidate():
    setup = make_setup(seats=1, eligible=3, present=3, collected=3, candidates=NAMES[:2])
    result = tally_ballots(setup, [{"for": ["王芳"]}, {"against": ["李娜"], "write_in": ["王芳"]}, {"for": ["李娜"]}])
    assert dict(result.votes) == {"王芳": 2, "李娜": 1} and result.elected == ("王芳",)


def test_ballot_written_in_person_can_be_elected():
    setup = make_setup(seats=1, eligible=3, present=3, collected=3, candidates=NAMES[:2])
    ballots = [{"against": ["王芳"], "write_in": ["赵敏"]}] * 2 + [{"for": ["王芳"]}]
    result = tally_ballots(setup, ballots)
    assert result.elected == ("赵敏",) and result.votes["赵敏"] == 2


@pytest.mark.parametrize(("ballot", "message"), [
    ({"for": ["王芳"], "against": ["王芳"]}, "第2张选票：“王芳”同时出现在赞成和不赞成中"),
    ({"for": ["王芳", "王芳"]}, "第2张选票：“王芳”在赞成中重复出现"),
    ({"against": ["王芳"], "write_in": ["王芳"]}, "同时出现在不赞成和另选他人中"),
    ({"for": ["赵敏"]}, "第2张选票：赞成的“赵敏”不在候选人名单中"),
    ({"against": ["赵敏"]}, "第2张选票：不赞成的“赵敏”不在候选人名单中"),
    ({"write_in": [""]}, "第2张选票：另选他人的姓名“”无效"),
    ({"for": ["王芳", "李娜", "张伟"], "write_in": ["赵敏"], "against": ["赵敏"]}, "第2张选票"),  # void, still checked
])
def test_ballot_entry_errors_raise_naming_the_ballot(ballot, message):
    setup = make_setup(seats=2, eligible=3, present=3, collected=3, candidates=NAMES[:3])
    ballots = [{"for": ["王芳"]}, ballot, {}]
    assert check_ballots(setup, ballots)
    with pytest.raises(DomainError, match=message):
        tally_ballots(setup, ballots)


def test_ballot_void_ballot_with_unknown_name_is_an_entry_error():
    setup = make_setup(seats=1, eligible=2, present=2, collected=2, candidates=NAMES[:2])
    with pytest.raises(DomainError, match="“赵敏”不在候选人名单中"):
        tally_ballots(setup, [{"for": ["王芳", "赵敏"]}, {}])


def test_ballot_count_must_match_collected():
    setup = make_setup(seats=1, eligible=3, present=3, collected=3, candidates=NAMES[:2])
    with pytest.raises(DomainError, match="录入的选票有2张，与收回选票3张不符"):
        tally_ballots(setup, [{}, {}])


def test_check_ballots_lists_every_problem():
    setup = make_setup(seats=2, eligible=3, present=3, collected=3, candidates=NAMES[:3])
    blockers = check_ballots(setup, [{"for": ["赵敏"]}, {"for": ["王芳"], "against": ["王芳"]}, {"write_in": [" 钱"]}])
    assert {b.code for b in blockers} == {"tally.ballot.unknown_for", "tally.ballot.name_repeated",
                                         "tally.ballot.write_in_name"}
    assert all(b.source == "地方组织选举工作条例、基层组织选举工作条例（选举大会）" for b in blockers)


# ------------------------------------------------------------------ ranking and ties


def test_rank_more_passers_than_seats_take_vote_order():
    setup = make_setup(seats=2, eligible=100, candidates=NAMES[:4])
    result = tally_totals(setup, totals_for(setup, {"王芳": 70, "李娜": 60, "张伟": 55, "刘伟": 10}))
    assert result.threshold == 51 and result.passed == ("王芳", "李娜", "张伟")
    assert set(result.elected) == {"王芳", "李娜"} and result.next is NextStep.done and result.unfilled_seats == 0
    assert "多于应选名额2名，按得票多少取前2名" in result.explanation


def test_rank_tie_for_last_seat_revotes_among_tied_only():
    setup = make_setup(seats=3, eligible=100, candidates=NAMES[:5])
    result = tally_totals(setup, totals_for(setup, {"王芳": 70, "李娜": 60, "张伟": 55, "刘伟": 55, "陈静": 3}))
    assert set(result.elected) == {"王芳", "李娜"}  # the certain seats stay elected
    assert set(result.tied) == {"张伟", "刘伟"} and result.tied == tuple(sort_names(["张伟", "刘伟"]))
    assert (result.unfilled_seats, result.next) == (1, NextStep.revote_tie)
    assert "各得55票" in result.explanation and "再次投票，选出1名" in result.explanation


def test_rank_tie_for_every_seat_elects_nobody_yet():
    setup = make_setup(seats=2, eligible=100, candidates=NAMES[:4])
    result = tally_totals(setup, totals_for(setup, {"王芳": 60, "李娜": 60, "张伟": 60, "刘伟": 10}))
    assert (result.elected, set(result.tied), result.unfilled_seats) == ((), {"王芳", "李娜", "张伟"}, 2)


@pytest.mark.parametrize("votes", [
    {"王芳": 65, "李娜": 65, "张伟": 60, "刘伟": 52, "陈静": 52},  # ties above and below the cutoff, all passing
    {"王芳": 70, "李娜": 60, "张伟": 55, "刘伟": 30, "陈静": 30},  # a tie below the threshold
])
def test_rank_tie_that_does_not_straddle_the_cutoff_does_not_matter(votes):
    setup = make_setup(seats=3, eligible=100, candidates=NAMES[:5])
    result = tally_totals(setup, totals_for(setup, votes))
    assert result.next is NextStep.done and result.tied == () and len(result.elected) == 3


def test_rank_tie_at_the_seat_count_but_below_threshold_is_an_additional_round():
    setup = make_setup(seats=2, eligible=10, candidates=NAMES[:4])
    result = tally_totals(setup, totals_for(setup, {"王芳": 9, "李娜": 5, "张伟": 5, "刘伟": 1}))
    assert (result.elected, result.tied, result.unfilled_seats) == (("王芳",), (), 1)
    assert result.next is NextStep.additional_round  # never a seat below the bar


def test_rank_fewer_pass_than_seats_leaves_seats_unfilled():
    setup = make_setup(seats=3, eligible=10, candidates=NAMES[:5])
    result = tally_totals(setup, totals_for(setup, {"王芳": 6, "李娜": 5, "张伟": 4, "刘伟": 4, "陈静": 1}))
    assert (result.elected, result.unfilled_seats, result.next) == (("王芳",), 2, NextStep.additional_round)
    text = result.explanation
    assert "至少6票" in text and "王芳6票" in text and "李娜5票（差1票）" in text and "尚缺2名" in text
    assert "另行选举" in text and "减少名额" in text


def test_rank_votes_ordered_by_count_then_strokes():
    setup = make_setup(seats=2, eligible=100, candidates=NAMES[:4])
    result = tally_totals(setup, totals_for(setup, {"王芳": 30, "李娜": 60, "张伟": 30, "刘伟": 30}))
    assert list(result.votes) == ["李娜", *sort_names(["王芳", "张伟", "刘伟"])]


def test_rank_elected_in_stroke_order():
    # Expected order (reference test list, docs/rules.md §3.4): 丁一, 于洋, 万里, 上官云, 马力, 王芳, 司马光, 乔丹, 刘伟, 李娜, 张伟, 陈静, 欧阳明
    names = ["欧阳明", "陈静", "张伟", "李娜", "刘伟", "乔丹", "司马光", "王芳", "马力", "上官云", "万里", "于洋", "丁一"]
    setup = make_setup(seats=13, eligible=20, candidates=names)
    result = tally_totals(setup, totals_for(setup, {n: 20 - i % 5 for i, n in enumerate(names)}))
    assert result.next is NextStep.done
    assert result.elected == ("丁一", "于洋", "万里", "上官云", "马力", "王芳", "司马光", "乔丹", "刘伟", "李娜", "张伟",
                              "陈静", "欧阳明")


# ------------------------------------------------------------------ totals, double entry


def test_totals_write_in_merges_into_votes():
    setup = make_setup(seats=2, eligible=10, candidates=NAMES[:3])
    result = tally_totals(setup, totals_for(setup, {"王芳": 7, "李娜": 3}, write_in={"赵敏": 6, "王芳": 1}, invalid=1))
    assert dict(result.votes) == {"王芳": 8, "赵敏": 6, "李娜": 3, "张伟": 0}
    assert set(result.elected) == {"王芳", "赵敏"} and result.valid_ballots == 9


@pytest.mark.parametrize(("totals", "code"), [
    (Totals(valid=9, invalid=0, for_votes={}), "tally.totals.ballots_mismatch"),
    (Totals(valid=10, invalid=0, for_votes={"赵敏": 1}), "tally.totals.unknown_for"),
    (Totals(valid=10, invalid=0, for_votes={"王芳": -1}), "tally.totals.not_count"),
    (Totals(valid=10, invalid=0, for_votes={"王芳": 11}), "tally.totals.above_valid"),
    (Totals(valid=10, invalid=0, for_votes={"王芳": 6}, against={"王芳": 5}), "tally.totals.above_valid"),
    (Totals(valid=10, invalid=0, for_votes={"王芳": 10, "李娜": 10}, write_in={"赵敏": 1}),
     "tally.totals.too_many_votes"),
    (Totals(valid=10, invalid=0, for_votes={}, write_in={"": 1}), "tally.totals.write_in_name"),
])
def test_totals_bad_figures_are_blockers(totals, code):
    setup = make_setup(seats=2, eligible=10, candidates=NAMES[:3])
    assert code in {b.code for b in check_totals(setup, totals)}
    with pytest.raises(DomainError):
        tally_totals(setup, totals)


def test_teller_entries_equal_have_no_difference():
    a = Totals(valid=297, invalid=3, for_votes={"王芳": 200, "李娜": 0}, write_in={"赵敏": 2})
    b = Totals(valid=297, invalid=3, for_votes={"王芳": 200}, write_in={"赵敏": 2})  # a missing figure is 0
    assert compare_teller_entries(a, b) == []


def test_teller_entries_every_difference_is_listed():
    a = Totals(valid=297, invalid=3, for_votes={"王芳": 200, "李娜": 150}, write_in={"赵敏": 2}, against={"王芳": 5})
    b = Totals(valid=296, invalid=4, for_votes={"王芳": 201, "李娜": 150}, write_in={"赵明": 2}, against={"王芳": 5})
    diffs = compare_teller_entries(a, b)
    assert diffs == [
        Difference(TotalsField.valid, None, 297, 296),
        Difference(TotalsField.invalid, None, 3, 4),
        Difference(TotalsField.for_votes, "王芳", 200, 201),
        Difference(TotalsField.write_in, "赵敏", 2, 0),
        Difference(TotalsField.write_in, "赵明", 0, 2),
    ]
    assert diffs[2].message == "王芳的赞成票：第一次录入200，第二次录入201，请核对选票后改正。"
    assert diffs[0].message.startswith("有效票：第一次录入297")


# ------------------------------------------------------------------ several rounds


def test_rounds_tie_then_revote_among_tied_then_done():
    election = start_election(LOCAL, 3, NAMES[:5])
    setup = election.next_round(eligible=100, present=100, ballots_collected=100)
    r1 = tally_totals(setup, totals_for(setup, {"王芳": 70, "李娜": 60, "张伟": 55, "刘伟": 55, "陈静": 3}))
    election = election.record(r1)
    assert election.next is NextStep.revote_tie and election.empty_seats == 1
    setup2 = election.next_round(eligible=100, present=90, ballots_collected=90)
    assert (setup2.round_no, setup2.kind, setup2.seats, set(setup2.candidates)) == (
        2, RoundKind.revote_tie, 1, {"张伟", "刘伟"})
    r2 = tally_ballots(setup2, [{"for": ["张伟"]}] * 60 + [{"for": ["刘伟"]}] * 30)
    election = election.record(r2)
    assert election.finished and election.pending is None
    assert election.elected == tuple(sort_names(["王芳", "李娜", "张伟"]))
    assert [len(r.elected) for r in election.results] == [2, 1]
    with pytest.raises(DomainError, match="已完成"):
        election.next_round(eligible=10, present=10, ballots_collected=10)


def test_rounds_two_additional_rounds_in_a_row():
    election = start_election(LOCAL, 3, NAMES[:6])
    s1 = election.next_round(eligible=10, present=10, ballots_collected=10)
    election = election.record(tally_totals(s1, totals_for(s1, {
        "王芳": 6, "李娜": 5, "张伟": 4, "刘伟": 3, "陈静": 2, "马力": 1})))
    assert (election.next, election.empty_seats, election.pending) == (NextStep.additional_round, 2, None)
    with pytest.raises(DomainError, match="请先确定另行选举的候选人"):
        election.next_round(eligible=10, present=10, ballots_collected=10)

    election = election.plan_additional_round(3)
    s2 = election.next_round(eligible=10, present=10, ballots_collected=10)
    assert (s2.round_no, s2.kind, s2.seats, s2.candidates) == (2, RoundKind.additional, 2, ("李娜", "张伟", "刘伟"))
    election = election.record(tally_totals(s2, totals_for(s2, {"李娜": 7, "张伟": 5, "刘伟": 4})))
    assert (election.next, election.empty_seats) == (NextStep.additional_round, 1)

    election = election.plan_additional_round(2)
    s3 = election.next_round(eligible=10, present=10, ballots_collected=10)
    assert (s3.round_no, s3.seats, s3.candidates) == (3, 1, ("张伟", "刘伟"))
    election = election.record(tally_totals(s3, totals_for(s3, {"张伟": 6, "刘伟": 4})))
    assert election.finished
    assert election.elected == tuple(sort_names(["王芳", "李娜", "张伟"]))
    assert [r.setup.seats for r in election.results] == [3, 2, 1]  # each round's seats = the still-empty seats
    text = election.explanation
    assert "第1轮" in text and "第2轮（另行选举" in text and "第3轮（另行选举" in text and "选举完成，当选3名" in text


def test_rounds_void_round_is_held_again_with_the_same_candidates():
    election = start_election(LOCAL, 2, NAMES[:3])
    s1 = election.next_round(eligible=10, present=8, ballots_collected=9)
    election = election.record(tally_totals(s1, Totals(valid=9, invalid=0)))
    assert election.next is NextStep.void_round
    s2 = election.next_round(eligible=10, present=8, ballots_collected=8)
    assert (s2.round_no, s2.kind, s2.seats, s2.candidates) == (2, RoundKind.repeat, 2, NAMES[:3])


def test_rounds_reduce_seats_instead_of_additional_round():
    election = start_election(LOCAL, 16, [f"{s}{g}" for s, g in zip("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "一二三四五六七八九十" * 2)])
    s1 = election.next_round(eligible=308, present=300, ballots_collected=300)
    votes = {n: (200 if i < 15 else 100) for i, n in enumerate(s1.candidates)}
    election = election.record(tally_totals(s1, totals_for(s1, votes)))
    assert (election.empty_seats, election.next) == (1, NextStep.additional_round)
    with pytest.raises(DomainError, match="1到1名"):
        election.reduce_seats(2, ReductionBasis.presidium)
    election = election.reduce_seats(1, ReductionBasis.presidium, "接近应选名额")
    assert election.finished and election.seats_now == 15 and len(election.elected) == 15
    assert "大会主席团决定，减少应选名额1名（接近应选名额）" in election.explanation


def test_rounds_record_rejects_a_round_that_is_not_the_pending_one():
    election = start_election(LOCAL, 2, NAMES[:3])
    wrong = make_setup(seats=1, eligible=10, candidates=NAMES[:3])
    with pytest.raises(DomainError, match="与应进行的下一轮不符"):
        election.record(tally_totals(wrong, totals_for(wrong, {"王芳": 9})))


def test_plan_additional_round_includes_ties_at_the_cutoff():
    setup = make_setup(seats=3, eligible=10, candidates=NAMES[:6])
    result = tally_totals(setup, totals_for(setup, {"王芳": 6, "李娜": 5, "张伟": 4, "刘伟": 4, "陈静": 4, "马力": 1}))
    plan = plan_additional_round(result, 3)
    assert plan.seats == 2 and plan.candidates[:1] == ("李娜",) and set(plan.candidates) == {"李娜", "张伟", "刘伟", "陈静"}
    assert set(plan.tied_at_cutoff) == {"张伟", "刘伟", "陈静"}
    assert "并列于第3位" in plan.explanation and "增至4名" in plan.explanation
    plan2 = plan_additional_round(result, 2)
    assert plan2.candidates[0] == "李娜" and set(plan2.candidates) == set(plan.candidates)  # tie at place 2: all
    assert plan2.candidates[1:] == tuple(sort_names(["张伟", "刘伟", "陈静"]))  # equal votes in 姓氏笔画 order
    plan4 = plan_additional_round(result, 4)
    assert plan4.candidates == plan2.candidates and plan4.tied_at_cutoff == ()


def test_plan_additional_round_bad_requests():
    setup = make_setup(seats=3, eligible=10, candidates=NAMES[:4])
    short = tally_totals(setup, totals_for(setup, {"王芳": 6, "李娜": 5, "张伟": 4, "刘伟": 1}))
    with pytest.raises(DomainError, match="不能少于待选名额2名"):
        plan_additional_round(short, 1)
    done = tally_totals(setup, totals_for(setup, {"王芳": 6, "李娜": 6, "张伟": 6, "刘伟": 1}))
    with pytest.raises(DomainError, match="不需要另行选举"):
        plan_additional_round(done, 3)
    tiny = make_setup(seats=2, eligible=10, candidates=NAMES[:2])
    lone = tally_totals(tiny, totals_for(tiny, {"王芳": 6, "李娜": 1}))
    assert plan_additional_round(lone, 1).candidates == ("李娜",)
    tiny3 = make_setup(seats=3, eligible=10, candidates=NAMES[:3])
    two_elected = tally_totals(tiny3, totals_for(tiny3, {"王芳": 6, "李娜": 6, "张伟": 1}))
    with pytest.raises(DomainError, match="未当选的候选人只有1名，少于待选名额2名"):
        plan_additional_round(two_elected, 2, seats=2)


# ------------------------------------------------------------------ properties


ballot_strategy = st.fixed_dictionaries({}, optional={
    "for": st.lists(st.sampled_from(NAMES[:6]), max_size=5, unique=True),
    "write_in": st.lists(st.sampled_from(("赵敏", "钱多")), max_size=2, unique=True),
})


@settings(max_examples=150, deadline=None)
@given(ballots=st.lists(ballot_strategy, min_size=1, max_size=30), seats=st.integers(1, 4))
def test_property_tally_agrees_with_a_naive_count(ballots, seats):
    n = len(ballots)
    setup = make_setup(seats=seats, eligible=n, present=n, collected=n, candidates=NAMES[:6])
    result = tally_ballots(setup, ballots)
    valid = [b for b in ballots if len(b.get("for", [])) + len(b.get("write_in", [])) <= seats]
    naive = Counter(name for b in valid for name in (*b.get("for", []), *b.get("write_in", [])))
    assert {k: v for k, v in result.votes.items() if v} == dict(naive)
    assert result.valid_ballots == len(valid) and result.invalid_ballots == n - len(valid)
    assert len(result.elected) + result.unfilled_seats == seats
    assert all(result.votes[e] >= result.threshold for e in result.elected)  # never a seat below the bar
    assert all(result.votes[t] >= result.threshold for t in result.tied)
    assert not set(result.elected) & set(result.tied)
    if result.tied:
        assert len(result.tied) > result.unfilled_seats and len({result.votes[t] for t in result.tied}) == 1
        assert all(result.votes[e] > result.votes[result.tied[0]] for e in result.elected)
    losers = [name for name in result.votes if name not in result.elected and name not in result.tied]
    if result.elected and losers:
        assert min(result.votes[e] for e in result.elected) > max(result.votes[x] for x in losers)


@settings(max_examples=100, deadline=None)
@given(ballots=st.lists(ballot_strategy, min_size=1, max_size=30), seats=st.integers(1, 4))
def test_property_checked_ballots_count_the_same(ballots, seats):
    n = len(ballots)
    setup = make_setup(seats=seats, eligible=n, present=n, collected=n, candidates=NAMES[:6])
    assert tally_ballots(setup, ballots, checked=True) == tally_ballots(setup, ballots)


def test_checked_ballots_still_catch_unknown_names():
    setup = make_setup(seats=1, eligible=2, present=2, collected=2, candidates=NAMES[:2])
    with pytest.raises(DomainError, match="“赵敏”不在候选人名单中"):
        tally_ballots(setup, [{"against": ["赵敏"]}, {}], checked=True)


@pytest.mark.parametrize(("pad", "order"), [(False, ("田大利", "田富")), (True, ("田富", "田大利"))])
def test_rank_elected_order_follows_the_padding_setting(pad, order):
    setup = RoundSetup(LOCAL, 2, 10, 10, 10, ("田富", "田大利", "王芳"), pad_single_given_name=pad)
    result = tally_totals(setup, totals_for(setup, {"田富": 8, "田大利": 7, "王芳": 2}))
    assert result.elected == order


def test_rounds_no_quorum_round_is_held_again():
    election = start_election(GRASSROOTS, 1, NAMES[:2])
    s1 = election.next_round(eligible=100, present=79, ballots_collected=0)
    election = election.record(tally_ballots(s1, []))
    assert election.next is NextStep.no_quorum and election.empty_seats == 1
    s2 = election.next_round(eligible=100, present=80, ballots_collected=80)
    assert (s2.round_no, s2.kind, s2.seats) == (2, RoundKind.repeat, 1)
    election = election.record(tally_ballots(s2, [{"for": ["王芳"]}] * 41 + [{}] * 39))
    assert election.finished and election.elected == ("王芳",)  # 41 > 80/2: 基层组织 counts 实到会


def test_rounds_partial_reduction_then_additional_round():
    election = start_election(LOCAL, 3, NAMES[:6])
    s1 = election.next_round(eligible=10, present=10, ballots_collected=10)
    election = election.record(tally_totals(s1, totals_for(s1, {"王芳": 6, "李娜": 5, "张伟": 4, "刘伟": 3})))
    election = election.reduce_seats(1, ReductionBasis.voters_consent)
    assert (election.seats_now, election.empty_seats, election.pending) == (2, 1, None)
    election = election.plan_additional_round(2)
    with pytest.raises(DomainError, match="只有在当选人数少于应选名额"):
        election.reduce_seats(1, ReductionBasis.presidium)  # the plan is made: vote first
    s2 = election.next_round(eligible=10, present=10, ballots_collected=10)
    assert (s2.seats, s2.candidates) == (1, ("李娜", "张伟"))
    election = election.record(tally_totals(s2, totals_for(s2, {"李娜": 6, "张伟": 4})))
    assert election.finished and set(election.elected) == {"王芳", "李娜"}
    assert "经过半数选举人同意，减少应选名额1名" in election.explanation


# ------------------------------------------------------------------ write-ins compared as normalised names


@pytest.mark.parametrize("written", ["王\u200b芳", "王 芳", "王　芳", "王芳\ufeff"])
def test_write_in_that_looks_like_a_candidate_counts_for_that_candidate(written):
    setup = make_setup(seats=1, eligible=3, present=3, collected=3, candidates=NAMES[:2])
    result = tally_ballots(setup, [{"for": ["王芳"]}, {"against": ["李娜"], "write_in": [written]}, {"for": ["李娜"]}])
    assert dict(result.votes) == {"王芳": 2, "李娜": 1} and result.elected == ("王芳",)
    totals = tally_totals(setup, totals_for(setup, {"王芳": 1, "李娜": 1}, write_in={written: 1}))
    assert dict(totals.votes) == {"王芳": 2, "李娜": 1}


def test_written_in_spellings_of_one_new_person_are_added_up():
    setup = make_setup(seats=1, eligible=3, present=3, collected=3, candidates=NAMES[:2])
    ballots = [{"against": ["王芳"], "write_in": ["赵敏"]}, {"against": ["王芳"], "write_in": ["赵 敏"]},
               {"for": ["王芳"]}]
    result = tally_ballots(setup, ballots)
    assert result.votes["赵敏"] == 2 and "赵 敏" not in result.votes and result.elected == ("赵敏",)


def test_a_candidate_also_written_in_with_a_hidden_space_is_a_repeat():
    setup = make_setup(seats=2, eligible=3, present=3, collected=3, candidates=NAMES[:3])
    ballots = [{"for": ["王芳"]}, {"for": ["王芳"], "write_in": ["王\u200b芳"]}, {}]
    assert [b.code for b in check_ballots(setup, ballots)] == ["tally.ballot.name_repeated"]
    with pytest.raises(DomainError, match="第2张选票：“王芳”同时出现在赞成和另选他人中"):
        tally_ballots(setup, ballots)
