"""差额 margins (docs/rules.md §3.1): extra candidates rounded up; "more than" is strict."""
from __future__ import annotations

from fractions import Fraction

import pytest

from workflow.common.results import DomainError
from workflow.pipeline.ratios import MarginStep, check_margin, check_step_margin, min_candidates, parse_margin


@pytest.mark.parametrize("seats, margin, need", [
    (16, Fraction(1, 5), 20),   # 3.2 extra -> 4
    (15, Fraction(1, 5), 18),   # exactly 3 extra
    (11, Fraction(1, 2), 17),   # 5.5 -> 6
    (10, Fraction(1, 2), 15),
    (21, Fraction(0), 21),
    (1, Fraction(1, 10), 2),    # 0.1 -> 1
])
def test_min_candidates_rounds_extra_up(seats, margin, need):
    assert min_candidates(seats, margin) == need


@pytest.mark.parametrize("have, blocked", [(20, False), (19, True), (21, False)])
def test_delegate_margin_exactly_twenty_percent_passes(have, blocked):
    blockers = check_margin(have, 16, Fraction(1, 5))
    assert bool(blockers) is blocked
    if blocked:
        assert blockers[0].code == "ratio.margin"
        assert "至少需要20名" in blockers[0].message and "还差1名" in blockers[0].message
        assert blockers[0].source == "地方组织选举工作条例（差额）"


@pytest.mark.parametrize("have, blocked", [(17, False), (16, True)])
def test_unit_list_fifty_percent_of_eleven(have, blocked):
    blockers = check_step_margin(MarginStep.unit_list, have, 11)
    assert bool(blockers) is blocked
    if blocked:
        assert blockers[0].code == "ratio.unit_list" and blockers[0].message.startswith("推荐人选16名")


@pytest.mark.parametrize("have, blocked", [(22, False), (21, True), (24, False)])
def test_vetting_must_be_more_than_preliminary(have, blocked):
    blockers = check_margin(have, 21, Fraction(0), strict=True, code="ratio.vetting", what="考察对象",
                            seats_what="初步人选")
    assert bool(blockers) is blocked
    if blocked:
        assert "应多于初步人选21名" in blockers[0].message


@pytest.mark.parametrize("have, blocked", [(13, False), (12, True)])
def test_strict_margin_exactly_at_ratio_fails(have, blocked):
    # more than 20% of 10: 2 extra is exactly 20% -> not enough; 3 extra passes
    assert bool(check_margin(have, 10, Fraction(1, 5), strict=True)) is blocked


def test_check_margin_accepts_a_list():
    assert check_margin(list(range(20)), 16, Fraction(1, 5)) == []


@pytest.mark.parametrize("text, value", [("20%", Fraction(1, 5)), ("1/5", Fraction(1, 5)), ("0.2", Fraction(1, 5)),
                                         ("50％", Fraction(1, 2)), ("150%", Fraction(3, 2))])
def test_parse_margin_exact(text, value):
    assert parse_margin(text) == value


@pytest.mark.parametrize("text", ["二成", "-10%", True, None])
def test_parse_margin_refuses_bad_input(text):
    with pytest.raises(DomainError):
        parse_margin(text)


def test_margin_steps_have_labels_and_defaults():
    assert MarginStep.delegates.label == "代表候选人" and MarginStep.delegates.default_margin == Fraction(1, 5)
    assert MarginStep.vetting.strict and not MarginStep.unit_list.strict
