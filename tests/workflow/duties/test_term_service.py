"""Requirements count only while the delegate serves: from the term's start, to its end or a status change
(docs/rules.md §6 “履职要求的起止”): boundary days of the half-period rule and of the deadline rule."""
from __future__ import annotations

from datetime import date as D

import pytest

from workflow import duties as wd
from workflow.duties.compliance import Service, check_requirements, owes, requirements_at_risk, service_of
from workflow.duties.periods import period_containing
from workflow.duties.presets import FENGXIAN, YANTIAN
from workflow.duties.rules import Activity


def _periods(statuses, code):
    return [(s.period.start, s.period.end) for s in statuses if s.code == code]


def test_term_starting_dec_4_owes_december_only():
    """The issue's case: no 1—11月, no 第四季度, no 年度 requirement; 12月 still owed (28 of 31 days)."""
    svc = service_of(D(2026, 12, 4), D(2031, 12, 3))
    st = check_requirements([], YANTIAN, "a", D(2026, 1, 1), D(2026, 12, 31), svc)
    assert _periods(st, "monthly_duty") == [(D(2026, 12, 1), D(2026, 12, 31))]
    assert _periods(st, "yearly_inspection") == []
    fx = check_requirements([], FENGXIAN, "a", D(2026, 1, 1), D(2026, 12, 31), svc)
    assert [s.code for s in fx] == []  # Q4 (28 of 92 days), summary (to 12月15日), record (28 of 365 days)
    # without a service every period is owed (the pure default)
    assert len(_periods(check_requirements([], YANTIAN, "a", D(2026, 1, 1), D(2026, 12, 31)), "monthly_duty")) == 12


@pytest.mark.parametrize("start,owed", [
    (D(2026, 3, 1), True),    # first day of the month
    (D(2026, 3, 16), True),   # 16 of 31 days
    (D(2026, 3, 17), False),  # 15 of 31 days
    (D(2026, 4, 16), True),   # 15 of 30 days: exactly half
    (D(2026, 4, 17), False),
    (D(2026, 2, 15), True),   # 14 of 28 days
    (D(2026, 2, 16), False),
])
def test_month_entered_partway_owed_when_half_served(start, owed):
    month = period_containing(start, "month")
    assert owes(month, Service(start, D(2031, 1, 1))) is owed


@pytest.mark.parametrize("start,owed", [
    (D(2026, 4, 1), True),    # first day of the quarter (91 days)
    (D(2026, 5, 16), True),   # 46 of 91 days
    (D(2026, 5, 17), False),  # 45 of 91 days
])
def test_quarter_entered_mid_quarter(start, owed):
    svc = Service(start, D(2031, 1, 1))
    st = check_requirements([], FENGXIAN, "a", D(2026, 4, 1), D(2026, 6, 30), svc)
    assert bool(_periods(st, "quarterly_office")) is owed


def test_yearly_requirement_with_due_date_judged_up_to_due_date():
    """个人履职总结 due 12月15日: the window is 1月1日—12月15日 (349 days): 6月24日 leaves 175 days, 6月25日 174."""
    for start, owed in ((D(2026, 1, 1), True), (D(2026, 6, 24), True), (D(2026, 6, 25), False)):
        st = check_requirements([], FENGXIAN, "a", D(2026, 1, 1), D(2026, 12, 31), Service(start, D(2031, 1, 1)))
        assert bool(_periods(st, "personal_summary")) is owed, start


@pytest.mark.parametrize("last,owed", [
    (D(2026, 6, 30), True),   # serves on the quarter's last day
    (D(2026, 6, 29), False),  # term ends the day before: the quarter is not owed
    (D(2026, 5, 15), False),  # ends mid-quarter
])
def test_term_ending_mid_period(last, owed):
    st = check_requirements([], FENGXIAN, "a", D(2026, 4, 1), D(2026, 6, 30), Service(D(2021, 7, 1), last))
    assert bool(_periods(st, "quarterly_office")) is owed


def test_status_change_mid_period_stops_requirements():
    """停止执行代表职务 decided 5月10日: Q1 owed, Q2 (and later) not; 4月 owed, 5月 not."""
    svc = service_of(D(2021, 7, 1), D(2026, 6, 30 + 0), "suspended", D(2026, 5, 10))
    assert svc.last == D(2026, 5, 9)
    fx = check_requirements([], FENGXIAN, "a", D(2026, 1, 1), D(2026, 12, 31), svc)
    assert _periods(fx, "quarterly_office") == [(D(2026, 1, 1), D(2026, 3, 31))]
    yt = check_requirements([], YANTIAN, "a", D(2026, 1, 1), D(2026, 12, 31), svc)
    assert _periods(yt, "monthly_duty")[-1] == (D(2026, 4, 1), D(2026, 4, 30))
    # decided on a period's last day: on that day he no longer serves, so that period is not owed
    on_last = service_of(D(2021, 7, 1), D(2031, 1, 1), "terminated", D(2026, 4, 30))
    assert not owes(period_containing(D(2026, 4, 1), "month"), on_last)
    assert owes(period_containing(D(2026, 3, 1), "month"), on_last)
    # a serving delegate's decision date (none) changes nothing
    assert service_of(D(2021, 7, 1), D(2031, 1, 1), "serving", None).last == D(2031, 1, 1)


def test_activities_before_the_term_do_not_matter_and_met_still_shows():
    svc = Service(D(2026, 12, 4), D(2031, 12, 3))
    acts = [Activity(1, "a", "duty_reception", D(2026, 12, 5), "verified", None, "lead")]
    st = check_requirements(acts, YANTIAN, "a", D(2026, 1, 1), D(2026, 12, 31), svc)
    assert [(s.period.start.month, s.met) for s in st] == [(12, True)]


def test_reminders_skip_periods_not_owed():
    services = {"new": Service(D(2026, 4, 20), D(2031, 4, 19)), "old": Service(D(2021, 4, 20), D(2026, 4, 19)),
                "full": Service(D(2021, 7, 1), D(2031, 7, 1))}
    risks = wd.requirements_at_risk(D(2026, 4, 20), [], YANTIAN, ["new", "old", "full", "unknown"],
                                    services=services)
    assert [(r.delegate_id, r.status.code) for r in risks] == [("full", "monthly_duty"), ("unknown", "monthly_duty")]
    # the same call without services: everyone reminded (unchanged behaviour)
    assert len(requirements_at_risk(D(2026, 4, 20), [], YANTIAN, ["new", "old"])) == 2
