"""The quorum of a session at its boundaries (docs/rules.md §7): exactly four fifths present, inclusive or not."""
from __future__ import annotations

from fractions import Fraction

import pytest

from workflow.assembly.quorum import PRESETS, QuorumRule, check_quorum, needed, quorum_blockers, roll_count
from workflow.common.results import DomainError

INCLUSIVE = QuorumRule(Fraction(4, 5), True)
EXCLUSIVE = QuorumRule(Fraction(4, 5), False)


@pytest.mark.parametrize(("roll", "inclusive", "exclusive"), [(40, 32, 33), (41, 33, 33), (5, 4, 5), (0, 0, 1)])
def test_the_fewest_present(roll, inclusive, exclusive):
    assert needed(roll, INCLUSIVE) == inclusive
    assert needed(roll, EXCLUSIVE) == exclusive


def test_exactly_four_fifths_of_40_holds_only_when_inclusive():
    assert check_quorum(40, 32, INCLUSIVE).met
    assert not check_quorum(40, 32, EXCLUSIVE).met
    assert check_quorum(40, 32, EXCLUSIVE).short == 1
    assert check_quorum(40, 33, EXCLUSIVE).met
    assert not check_quorum(40, 31, INCLUSIVE).met


def test_41_delegates_need_33_either_way():
    assert not check_quorum(41, 32, INCLUSIVE).met
    assert check_quorum(41, 33, INCLUSIVE).met and check_quorum(41, 33, EXCLUSIVE).met


def test_5_delegates():
    assert check_quorum(5, 4, INCLUSIVE).met
    assert not check_quorum(5, 4, EXCLUSIVE).met
    assert check_quorum(5, 5, EXCLUSIVE).met


def test_an_empty_roll_is_never_a_quorum():
    q = check_quorum(0, 0, INCLUSIVE)
    assert not q.met
    assert "没有在任代表" in quorum_blockers(q, INCLUSIVE)[0].message


def test_present_over_the_roll_or_negative_is_an_error():
    with pytest.raises(DomainError, match="实到人数（41）应在0到应到人数（40）之间"):
        check_quorum(40, 41, INCLUSIVE)
    with pytest.raises(DomainError):
        check_quorum(40, -1, INCLUSIVE)
    with pytest.raises(DomainError):
        needed(-1, INCLUSIVE)


def test_blocker_says_how_many_are_short():
    q = check_quorum(40, 30, INCLUSIVE)
    (b,) = quorum_blockers(q, INCLUSIVE)
    assert "应到40人，实到30人" in b.message and "至少32人" in b.message and "还差2人" in b.message
    assert quorum_blockers(check_quorum(40, 32, INCLUSIVE), INCLUSIVE) == []


def test_presets_default_inclusive_and_the_roll_counts_only_serving():
    assert all(r.share == Fraction(4, 5) and r.inclusive for r in PRESETS.values())
    assert PRESETS["township"].settled and not PRESETS["yantian"].settled
    assert roll_count(["serving", "terminated", "suspended", "serving"]) == 2
    assert INCLUSIVE.wording == "五分之四以上（含）"
    with pytest.raises(DomainError):
        QuorumRule(Fraction(0))
