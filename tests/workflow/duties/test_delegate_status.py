"""Delegate status changes (docs/rules.md §6; 任期制暂行条例 2008 第二十五–二十八条)."""
from __future__ import annotations

from datetime import date

import pytest

from workflow.duties.delegate_status import (
    SUSPENSION_REASONS,
    TERMINATION_REASONS,
    DecisionRecord,
    DelegateStatus,
    StatusReason,
    can_perform_duties,
    check_status_change,
    vacancy_opens,
)

DOC = DecisionRecord("中共某区委", "区委〔2026〕12号", date(2026, 5, 1))
S = DelegateStatus


def codes(blockers):
    return [b.code for b in blockers]


def test_status_labels_and_reasons():
    assert [s.label for s in S] == ["在任", "资格终止", "停止执行代表职务"]
    assert {r.label for r in TERMINATION_REASONS} == {"受留党察看以上处分", "停止党籍", "丧失中华人民共和国国籍",
                                                      "辞去代表职务被接受", "死亡"}
    assert SUSPENSION_REASONS == (StatusReason.transferred_out,)


@pytest.mark.parametrize("reason", list(TERMINATION_REASONS))
def test_status_terminate_for_each_reason_with_decision(reason):
    assert check_status_change(S.serving, S.terminated, reason, DOC) == []


def test_status_suspend_when_transferred_out():
    assert check_status_change("serving", "suspended", "transferred_out", DOC) == []


def test_status_suspended_delegate_may_still_be_terminated():
    assert check_status_change(S.suspended, S.terminated, StatusReason.deceased, DOC) == []


def test_status_change_needs_a_decision_record():
    assert codes(check_status_change(S.serving, S.terminated, StatusReason.deceased, None)) == [
        "delegate.status.decision_missing"]
    incomplete = DecisionRecord(" ", "", None)
    assert codes(check_status_change(S.serving, S.terminated, StatusReason.deceased, incomplete)) == [
        "delegate.status.decision_issuer_missing", "delegate.status.decision_no_missing",
        "delegate.status.decision_date_missing"]


def test_status_decision_dated_in_the_future_is_refused():
    assert check_status_change(S.serving, S.terminated, "deceased", DOC, today=date(2026, 5, 1)) == []
    assert codes(check_status_change(S.serving, S.terminated, "deceased", DOC, today=date(2026, 4, 30))) == [
        "delegate.status.decision_in_future"]


def test_status_terminated_is_final():
    for target in S:
        assert codes(check_status_change(S.terminated, target, StatusReason.deceased, DOC)) == ["delegate.status.final"]


def test_status_reason_must_match_target():
    [b] = check_status_change(S.serving, S.terminated, StatusReason.transferred_out, DOC)
    assert b.code == "delegate.status.reason_mismatch"
    assert "“调离本地区”对应“停止执行代表职务”" in b.message
    assert codes(check_status_change(S.serving, S.suspended, StatusReason.deceased, DOC)) == [
        "delegate.status.reason_mismatch"]


def test_status_reason_missing_or_unknown_collects_every_problem():
    assert codes(check_status_change(S.serving, S.terminated, None, None)) == [
        "delegate.status.reason_missing", "delegate.status.decision_missing"]
    assert codes(check_status_change(S.serving, S.terminated, "bored", DOC)) == ["delegate.status.reason_invalid"]


def test_status_unchanged_and_no_restore_from_suspended():
    assert "delegate.status.unchanged" in codes(check_status_change(S.serving, S.serving, None, DOC))
    assert codes(check_status_change(S.suspended, S.serving, None, DOC)) == ["delegate.status.no_restore"]


@pytest.mark.parametrize("status,vacant,duties", [(S.serving, False, True), (S.suspended, False, False),
                                                  (S.terminated, True, False)])
def test_status_vacancy_opens_only_when_terminated(status, vacant, duties):
    assert vacancy_opens(status) is vacant
    assert can_perform_duties(status) is duties
