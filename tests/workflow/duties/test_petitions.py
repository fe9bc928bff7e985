"""群众诉求 state machine, time limits and satisfaction → points (docs/rules.md §6 印台, 盐田)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from workflow.common.results import DomainError
from workflow.duties.petitions import (
    TRANSITIONS,
    DayKind,
    PetitionFacts,
    PetitionLimits,
    PetitionState,
    PetitionTimes,
    check_petition_transition,
    enabled_petition_transitions,
    next_states,
    petition_deadlines,
    petition_overdue,
    petition_points_activity,
)
from workflow.duties.points import compute_points
from workflow.duties.presets import YANTIAN

S = PetitionState
D = date
FULL = PetitionFacts(receiver="张伟", handler="街道办", reply="已协调修复路灯", grade="非常满意")


def codes(blockers):
    return [b.code for b in blockers]


def test_petition_states_have_chinese_labels_in_order():
    assert [s.label for s in S] == ["登记", "接待", "处理", "回复", "反馈", "归档"]


def test_petition_table_walks_the_six_steps_once_to_archived():
    state, seen = S.registered, [S.registered]
    while state != S.archived:
        forward = [t.target for t in TRANSITIONS if t.source == state and not t.is_return]
        assert len(forward) == 1
        assert check_petition_transition(state, forward[0], FULL) == []
        state = forward[0]
        seen.append(state)
    assert seen == list(S)
    assert next_states(S.archived) == ()


@pytest.mark.parametrize("state,target", [(S.registered, S.replied), (S.registered, S.archived),
                                          (S.received, S.feedback), (S.processing, S.registered),
                                          (S.replied, S.replied)])
def test_petition_illegal_jump_is_refused_naming_the_next_step(state, target):
    blockers = check_petition_transition(state, target, FULL)
    assert codes(blockers) == ["petition.transition.illegal"]


def test_petition_illegal_jump_message():
    [b] = check_petition_transition(S.registered, S.replied, FULL)
    assert b.message == "不能从“登记”直接进入“回复”，下一步应为“接待”"


def test_petition_archived_is_final():
    assert codes(check_petition_transition(S.archived, S.processing, FULL)) == ["petition.final"]


@pytest.mark.parametrize("state,target,facts,code", [
    (S.registered, S.received, PetitionFacts(receiver="  "), "petition.receiver.missing"),
    (S.received, S.processing, PetitionFacts(), "petition.handler.missing"),
    (S.processing, S.replied, PetitionFacts(reply=""), "petition.reply.missing"),
    (S.replied, S.feedback, PetitionFacts(), "petition.grade.missing"),
    (S.replied, S.feedback, PetitionFacts(grade="还行"), "petition.grade.invalid"),
    (S.feedback, S.archived, PetitionFacts(grade="不满意"), "petition.archive.note_missing"),
    (S.feedback, S.processing, PetitionFacts(grade="不满意"), "petition.reason.missing"),
])
def test_petition_guards_say_what_is_missing(state, target, facts, code):
    assert codes(check_petition_transition(state, target, facts)) == [code]


def test_petition_feedback_without_grade_needs_a_note():
    assert check_petition_transition(S.replied, S.feedback, PetitionFacts(feedback_note="三次回访无法联系")) == []


def test_petition_unsatisfied_may_archive_with_note_or_go_back_with_reason():
    facts = PetitionFacts(grade="unsatisfied", archive_note="已解释政策", reason="群众不满意，重新协调")
    assert set(enabled_petition_transitions(S.feedback, facts)) == {S.archived, S.processing}
    assert enabled_petition_transitions(S.feedback, PetitionFacts(grade="unsatisfied")) == ()


# ------------------------------------------------------------------------------------------------------------
# Time limits
# ------------------------------------------------------------------------------------------------------------
REG = D(2026, 5, 6)  # a Wednesday


def times(**kw):
    return PetitionTimes(1, kw.pop("state", S.registered), REG, **kw)


def test_petition_default_deadlines_are_3_and_7_calendar_days_from_registration():
    dl = petition_deadlines(times(), PetitionLimits())
    assert dl == {S.received: D(2026, 5, 9), S.replied: D(2026, 5, 13)}


@pytest.mark.parametrize("today,overdue", [(D(2026, 5, 9), []), (D(2026, 5, 10), [1]), (D(2026, 5, 12), [3])])
def test_petition_take_up_overdue_exactly_at_limit_vs_one_day_over(today, overdue):
    items = petition_overdue(times(), today, PetitionLimits())
    assert [i.days_over for i in items if i.step == S.received] == overdue


def test_petition_take_up_done_on_the_limit_is_on_time_one_day_late_is_reported():
    assert petition_overdue(times(received_on=D(2026, 5, 9)), D(2026, 5, 9), PetitionLimits()) == []
    [item] = petition_overdue(times(received_on=D(2026, 5, 10)), D(2026, 5, 10), PetitionLimits())
    assert (item.step, item.done_on, item.days_over) == (S.received, D(2026, 5, 10), 1)
    assert item.message == "诉求“接待”于2026年5月10日完成，超过时限2026年5月9日共1个自然日"


@pytest.mark.parametrize("today,days", [(D(2026, 5, 13), None), (D(2026, 5, 14), 1)])
def test_petition_answer_overdue_at_seven_days(today, days):
    items = petition_overdue(times(received_on=D(2026, 5, 7)), today, PetitionLimits())
    got = [i.days_over for i in items if i.step == S.replied]
    assert got == ([] if days is None else [days])
    if days:
        assert items[0].message == "诉求“回复”应于2026年5月13日前完成，已超期1个自然日，请尽快办理"


def test_petition_answer_counted_from_reception_when_set():
    limits = PetitionLimits(answer_from="received")
    assert petition_deadlines(times(received_on=D(2026, 5, 8)), limits)[S.replied] == D(2026, 5, 15)
    assert petition_deadlines(times(), limits)[S.replied] == D(2026, 5, 16)  # not yet received: 3 + 7


def test_petition_feedback_limit_only_when_set_and_replied():
    limits = PetitionLimits(feedback_days=5)
    assert S.feedback not in petition_deadlines(times(), limits)
    t = times(received_on=REG, replied_on=D(2026, 5, 8))
    assert petition_deadlines(t, limits)[S.feedback] == D(2026, 5, 13)
    assert [i.step for i in petition_overdue(t, D(2026, 5, 14), limits)] == [S.feedback]


def _weekdays(d: date) -> bool:
    return d.weekday() < 5 and d != D(2026, 5, 11)  # pretend Monday 5月11日 is a holiday


def test_petition_working_day_limits_skip_weekend_and_holidays():
    limits = PetitionLimits(day_kind="working")
    # Wed 5/6 + 3 working days: Thu 7, Fri 8, (weekend, holiday Mon 11) Tue 12
    assert petition_deadlines(times(), limits, _weekdays)[S.received] == D(2026, 5, 12)
    assert petition_overdue(times(), D(2026, 5, 12), limits, _weekdays) == []
    [item] = [i for i in petition_overdue(times(), D(2026, 5, 13), limits, _weekdays) if i.step == S.received]
    assert item.days_over == 1 and item.day_kind == DayKind.working


def test_petition_working_days_without_calendar_is_a_clear_error():
    with pytest.raises(DomainError) as e:
        petition_overdue(times(), D(2026, 5, 13), PetitionLimits(day_kind="working"))
    assert "节假日数据" in e.value.message


@pytest.mark.parametrize("kw", [{"take_up_days": -1}, {"answer_days": 1.5}, {"answer_from": "later"},
                                {"day_kind": "lunar"}])
def test_petition_limits_refuse_bad_settings(kw):
    with pytest.raises((DomainError, ValueError)):
        PetitionLimits(**kw)


# ------------------------------------------------------------------------------------------------------------
# Satisfaction → points
# ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("grade,points", [("非常满意", 6), ("基本满意", 5), ("不满意", 0)])
def test_petition_feedback_grade_feeds_yantian_points(grade, points):
    a = petition_points_activity(42, "d1", grade, D(2026, 5, 20))
    assert a.id == "petition:42" and a.type_code == "resolve_petition"
    assert compute_points([a], YANTIAN, 2026)["d1"].total == points


def test_petition_feedback_without_grade_earns_no_activity():
    assert petition_points_activity(42, "d1", None, D(2026, 5, 20)) is None
    with pytest.raises(DomainError):
        petition_points_activity(42, "d1", "还行", D(2026, 5, 20))


def test_petition_overdue_is_stable_over_a_month_of_days():
    # Each day after the limit adds exactly one day over; never before it.
    for n in range(30):
        today = REG + timedelta(days=n)
        items = [i for i in petition_overdue(times(), today, PetitionLimits()) if i.step == S.received]
        assert [i.days_over for i in items] == ([n - 3] if n > 3 else [])
