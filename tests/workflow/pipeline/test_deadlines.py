"""Deadline status, plan-vs-actual timeline, and the daily reminders (docs/rules.md §2, §3.5)."""
from __future__ import annotations

from datetime import date

import pytest

from workflow.common.calendar import WorkCalendar, YearOverride
from workflow.pipeline.deadlines import (
    ReminderKind,
    TimelineState,
    compute_deadline_status,
    compute_timeline,
    reminders_due,
)
from workflow.pipeline.facts import ElectionFacts, NoticeFacts, NoticeKind, StageHistoryEntry, UnitFacts
from workflow.pipeline.stages import PIPELINE, Stage

D = date.fromisoformat
CAL = WorkCalendar()


# ---------------------------------------------------------------------------------------------------
# compute_deadline_status
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("today", "due", "days", "wd", "overdue", "soon"), [
    ("2026-03-09", "2026-03-13", 4, 4, False, False),   # Mon → Fri: 4 working days left
    ("2026-03-10", "2026-03-13", 3, 3, False, True),    # exactly 3: due soon
    ("2026-03-13", "2026-03-13", 0, 0, False, True),    # due today
    ("2026-03-14", "2026-03-13", -1, 0, True, False),   # Saturday after a Friday due date: overdue
    ("2026-03-16", "2026-03-13", -3, -1, True, False),
    ("2026-09-30", "2026-10-09", 9, 2, False, True),    # 国庆 does not count
    ("2026-09-25", "2026-10-09", 14, 5, False, False),  # 9/28, 9/29, 9/30, 10/8, 10/9
])
def test_deadline_status_boundaries(today, due, days, wd, overdue, soon):
    s = compute_deadline_status(D(due), D(today), CAL)
    assert (s.days_left, s.working_days_left, s.overdue, s.due_soon) == (days, wd, overdue, soon)
    assert s.missing_year is None


def test_deadline_status_says_when_calendar_lacks_the_year():
    s = compute_deadline_status(D("2027-01-08"), D("2026-12-30"), CAL)
    assert s.working_days_left is None and s.missing_year == 2027
    assert not s.overdue and not s.due_soon
    assert s.days_left == 9
    assert "2027" in s.message and "节假日设置" in s.message


def test_deadline_status_overdue_known_even_without_calendar_data():
    s = compute_deadline_status(D("2026-12-31"), D("2027-01-05"), CAL)
    assert s.overdue and s.working_days_left is None and s.missing_year == 2027
    assert "已逾期5天" in s.message


def test_deadline_status_with_override_counts_into_2027():
    cal = WorkCalendar({2027: YearOverride(holidays={D("2027-01-01")})})
    s = compute_deadline_status(D("2027-01-05"), D("2026-12-31"), cal)
    assert s.working_days_left == 2 and s.due_soon   # 1/4, 1/5


@pytest.mark.parametrize(("today", "due", "text"), [
    ("2026-03-10", "2026-03-13", "还剩3个工作日（3天），截止日期为2026年3月13日"),
    ("2026-03-13", "2026-03-13", "今天（2026年3月13日）截止"),
    ("2026-03-16", "2026-03-13", "已逾期3天（1个工作日），截止日期为2026年3月13日"),
])
def test_deadline_status_message(today, due, text):
    assert compute_deadline_status(D(due), D(today), CAL).message == text


# ---------------------------------------------------------------------------------------------------
# Timeline (plan vs actual)
# ---------------------------------------------------------------------------------------------------
DUE = dict(zip(PIPELINE, [D(s) for s in ("2026-02-06", "2026-02-10", "2026-02-27", "2026-03-06", "2026-03-13",
                                         "2026-03-20", "2026-03-31", "2026-04-10", "2026-04-17")], strict=True))


def facts(stage: Stage, today: date, **kw) -> ElectionFacts:
    return ElectionFacts(election_id=3, title="区第十二次党代会代表选举", stage=stage, today=today, seats=16,
                         due_dates=DUE, **kw)


def h(src: Stage | None, dst: Stage, on: str, reason: str = "") -> StageHistoryEntry:
    return StageHistoryEntry(src, dst, D(on), reason)


HISTORY = [
    h(None, Stage.plan, "2026-02-02"),
    h(Stage.plan, Stage.deploy, "2026-02-06"),
    h(Stage.deploy, Stage.nominate, "2026-02-12"),          # due 2/10 (Tue): 2 working days late
    h(Stage.nominate, Stage.shortlist, "2026-02-26"),
    h(Stage.shortlist, Stage.nominate, "2026-03-02", "第三党工委名单有误"),   # 退回
    h(Stage.nominate, Stage.shortlist, "2026-03-04"),
]


def test_timeline_plan_vs_actual_with_a_return():
    rows = compute_timeline(facts(Stage.shortlist, D("2026-03-05")), HISTORY, CAL)
    assert [r.stage for r in rows] == list(PIPELINE)
    by = {r.stage: r for r in rows}
    assert (by[Stage.plan].state, by[Stage.plan].finished_on, by[Stage.plan].late_days) == \
        (TimelineState.done, D("2026-02-06"), 0)
    deploy = by[Stage.deploy]
    assert (deploy.started_on, deploy.finished_on, deploy.late_days, deploy.late_working_days) == \
        (D("2026-02-06"), D("2026-02-12"), 2, 2)
    nominate = by[Stage.nominate]
    assert (nominate.state, nominate.started_on, nominate.finished_on, nominate.returns) == \
        (TimelineState.done, D("2026-03-02"), D("2026-03-04"), 1)
    shortlist = by[Stage.shortlist]
    assert (shortlist.state, shortlist.started_on, shortlist.finished_on) == \
        (TimelineState.current, D("2026-03-04"), None)
    assert shortlist.status.working_days_left == 1 and shortlist.status.due_soon
    assert all(by[s].state is TimelineState.pending and by[s].started_on is None for s in PIPELINE[4:])


def test_timeline_return_reopens_later_stages():
    history = [*HISTORY[:4], h(Stage.shortlist, Stage.vet, "2026-03-06"),
               h(Stage.vet, Stage.deploy, "2026-03-09", "重新部署")]
    by = {r.stage: r for r in compute_timeline(facts(Stage.deploy, D("2026-03-10")), history, CAL)}
    assert by[Stage.deploy].state is TimelineState.current and by[Stage.deploy].started_on == D("2026-03-09")
    assert all(by[s].state is TimelineState.pending and by[s].started_on is None
               for s in (Stage.nominate, Stage.shortlist, Stage.vet))
    assert by[Stage.plan].state is TimelineState.done


def test_timeline_aborted_marks_the_stage_it_stopped_in():
    history = [*HISTORY, h(Stage.shortlist, Stage.aborted, "2026-03-05", "上级通知暂停")]
    by = {r.stage: r for r in compute_timeline(facts(Stage.aborted, D("2026-03-06")), history, CAL)}
    assert by[Stage.shortlist].state is TimelineState.aborted and by[Stage.shortlist].status is None
    assert by[Stage.vet].state is TimelineState.pending


def test_timeline_completed_all_done():
    history = [h(None, Stage.plan, "2026-02-02")] + [
        h(s, t, "2026-04-10") for s, t in zip(PIPELINE, (*PIPELINE[1:], Stage.completed), strict=True)]
    rows = compute_timeline(facts(Stage.completed, D("2026-04-20")), history, CAL)
    assert all(r.state is TimelineState.done for r in rows)
    assert rows[-1].late_days == 0 and rows[0].late_days == 63


def test_timeline_late_working_days_unknown_without_calendar():
    due = {**DUE, Stage.plan: D("2026-12-31")}
    history = [h(None, Stage.plan, "2026-12-01"), h(Stage.plan, Stage.deploy, "2027-01-05")]
    rows = compute_timeline(ElectionFacts(3, "选举", Stage.deploy, D("2027-01-05"), due_dates=due), history, CAL)
    assert rows[0].late_days == 5 and rows[0].late_working_days is None


# ---------------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------------
UNITS = (UnitFacts(1, "第一党工委", allocation=11, submitted=True),
         UnitFacts(2, "第二党工委", allocation=11),
         UnitFacts(3, "第三党工委", allocation=11, exemption_reason="无符合条件人选"),
         UnitFacts(4, "机关直属党委", allocation=11))


def kinds(reminders) -> list[tuple[ReminderKind, int | None]]:
    return [(r.kind, r.unit_id) for r in reminders]


def test_reminders_nominate_due_soon_and_units_not_submitted():
    today = D("2026-02-24")   # due 2/27 (Fri): 3 working days left
    rs = reminders_due(facts(Stage.nominate, today, units=UNITS), CAL, today)
    assert kinds(rs) == [(ReminderKind.stage_due_soon, None), (ReminderKind.unit_not_submitted, 2),
                         (ReminderKind.unit_not_submitted, 4)]
    assert "第二党工委" in rs[1].message and "2026年2月27日" in rs[1].message
    assert rs[0].dedup_key == "election:3:nominate:stage_due_soon:2026-02-24"
    assert rs[1].dedup_key == "election:3:nominate:unit_not_submitted:unit:2:2026-02-24"


def test_reminders_same_day_same_keys_next_day_new_keys():
    f = facts(Stage.nominate, D("2026-02-24"), units=UNITS)
    first = reminders_due(f, CAL, D("2026-02-24"))
    again = reminders_due(f, CAL, D("2026-02-24"))
    assert [r.dedup_key for r in first] == [r.dedup_key for r in again]
    assert len({r.dedup_key for r in first}) == len(first)
    tomorrow = reminders_due(f, CAL, D("2026-02-25"))
    assert not {r.dedup_key for r in first} & {r.dedup_key for r in tomorrow}


@pytest.mark.parametrize(("today", "expected"), [
    ("2026-02-23", []),                                  # 4 working days left: nothing yet
    ("2026-02-24", [ReminderKind.stage_due_soon]),
    ("2026-02-27", [ReminderKind.stage_due_soon]),       # due today
    ("2026-02-28", [ReminderKind.stage_overdue]),        # Saturday (调休 working day) after the due date
])
def test_reminders_stage_due_boundaries(today, expected):
    rs = reminders_due(facts(Stage.nominate, D(today)), CAL, D(today))
    assert [r.kind for r in rs] == expected


def test_reminders_overdue_says_override_needed():
    (r,) = reminders_due(facts(Stage.deploy, D("2026-02-12")), CAL, D("2026-02-12"))
    assert r.kind is ReminderKind.stage_overdue and "逾期说明" in r.message


@pytest.mark.parametrize(("today", "expected"), [
    ("2026-03-05", []),                                  # 2 working days before the end
    ("2026-03-06", [ReminderKind.notice_ending]),        # last working day but one
    ("2026-03-09", [ReminderKind.notice_ending]),        # last day (Monday)
    ("2026-03-10", [ReminderKind.notice_ended]),
])
def test_reminders_notice_period_ending(today, expected):
    notice = {NoticeKind.first: NoticeFacts(D("2026-03-03"), D("2026-03-09"), open_complaints=1)}
    due = {**DUE, Stage.vet: D("2026-03-31")}
    f = ElectionFacts(3, "选举", Stage.vet, D(today), due_dates=due, notices=notice)
    rs = reminders_due(f, CAL, D(today))
    assert [r.kind for r in rs] == expected
    if expected == [ReminderKind.notice_ended]:
        assert "1件反映未办结" in rs[0].message


def test_reminders_calendar_missing_reported_not_guessed():
    due = {**DUE, Stage.ballot: D("2027-01-06")}
    f = ElectionFacts(3, "选举", Stage.ballot, D("2026-12-31"), due_dates=due)
    (r,) = reminders_due(f, CAL, D("2026-12-31"))
    assert r.kind is ReminderKind.calendar_missing and "2027" in r.message
    assert r.dedup_key == "election:3:ballot:calendar_missing:2027:2026-12-31"


@pytest.mark.parametrize("stage", [Stage.completed, Stage.aborted])
def test_reminders_none_for_final_stages(stage):
    assert reminders_due(facts(stage, D("2026-06-01"), units=UNITS), CAL, D("2026-06-01")) == []
