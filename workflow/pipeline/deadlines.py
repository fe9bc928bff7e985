"""Deadlines in working days, the plan-vs-actual timeline, and which reminders a daily job should create.

来源: docs/rules.md §2 (each stage has a deadline), §3.5 (working days).
Pure: the calendar is passed in, ``today`` is a parameter, nothing is written anywhere. When the calendar
has no data for a year that a count needs, the result says so (``missing_year``) instead of guessing.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workflow.common.calendar import CalendarMissing, WorkCalendar
from workflow.common.dates import cn_date
from workflow.pipeline.facts import ElectionFacts, StageHistoryEntry
from workflow.pipeline.guards import NOTICE_OF_STAGE
from workflow.pipeline.stages import PIPELINE, Stage

DUE_SOON_WORKING_DAYS = 3   # product setting: stages due within 3 working days
NOTICE_ENDING_WORKING_DAYS = 1  # remind on the period's last working day and the one before it


# ---------------------------------------------------------------------------------------------------
# One deadline
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeadlineStatus:
    """Where today stands against a due date.

    days_left          calendar days (due − today); negative once overdue
    working_days_left  working days d with today < d <= due (0 on the due day); None when the calendar has
                       no data for ``missing_year``
    overdue            today is after the due date (by the calendar, so it is always known)
    due_soon           not overdue and at most 3 working days left (False when working days are unknown)
    """

    due: date
    today: date
    days_left: int
    working_days_left: int | None
    overdue: bool
    due_soon: bool
    missing_year: int | None = None
    missing_message: str = ""

    @property
    def message(self) -> str:
        """Chinese summary for the page, e.g. "还剩3个工作日（3天），截止日期为2026年10月9日"."""
        due = cn_date(self.due)
        if self.overdue:
            late = f"已逾期{-self.days_left}天"
            if self.working_days_left is not None and self.working_days_left < 0:
                late += f"（{-self.working_days_left}个工作日）"
            return f"{late}，截止日期为{due}"
        if self.working_days_left is None:
            return f"截止日期为{due}（还剩{self.days_left}天）；{self.missing_message}"
        if self.days_left == 0:
            return f"今天（{due}）截止"
        return f"还剩{self.working_days_left}个工作日（{self.days_left}天），截止日期为{due}"


def compute_deadline_status(stage_due: date, today: date, calendar: WorkCalendar) -> DeadlineStatus:
    """Days and working days left until STAGE_DUE, overdue and due-soon flags."""
    days_left = (stage_due - today).days
    overdue = today > stage_due
    try:
        wd_left: int | None = calendar.working_days_left(today, stage_due)
    except CalendarMissing as exc:
        return DeadlineStatus(stage_due, today, days_left, None, overdue, False, exc.year, exc.message)
    due_soon = not overdue and wd_left <= DUE_SOON_WORKING_DAYS
    return DeadlineStatus(stage_due, today, days_left, wd_left, overdue, due_soon)


# ---------------------------------------------------------------------------------------------------
# Plan vs actual
# ---------------------------------------------------------------------------------------------------
class TimelineState(StrEnum):
    done = "done"
    current = "current"
    pending = "pending"
    aborted = "aborted"   # the stage the election was in when it was 中止

    @property
    def label(self) -> str:
        return {"done": "已完成", "current": "进行中", "pending": "未开始", "aborted": "已中止"}[self.value]


@dataclass(frozen=True)
class TimelineRow:
    """One pipeline stage on the timeline page.

    started_on   the last time the election entered the stage (after any 退回)
    finished_on  the forward move out of it (cleared again by a 退回 to it or an earlier stage)
    late_days / late_working_days  how late the stage finished (0 = on time); None when not finished, no due
                 date, or (working days only) the calendar lacks the year
    status       the deadline status of the current stage; None for others
    returns      how many times the election was sent back to this stage
    """

    stage: Stage
    due: date | None
    started_on: date | None
    finished_on: date | None
    state: TimelineState
    late_days: int | None = None
    late_working_days: int | None = None
    status: DeadlineStatus | None = None
    returns: int = 0


def compute_timeline(facts: ElectionFacts, history: Iterable[StageHistoryEntry],
                     calendar: WorkCalendar) -> list[TimelineRow]:
    """Plan vs actual for every pipeline stage, replaying HISTORY (entries in the order they happened)."""
    started: dict[Stage, date] = {}
    finished: dict[Stage, date] = {}
    returns: dict[Stage, int] = {}
    aborted_in: Stage | None = None
    for e in history:
        src, dst = e.from_stage, e.to_stage
        if dst is Stage.aborted:
            aborted_in = src
            continue
        if src is not None and dst.order is not None and src.order is not None:
            if dst.order > src.order:          # forward
                finished[src] = e.on
            else:                              # 退回: everything from the target on is open again
                returns[dst] = returns.get(dst, 0) + 1
                for s in PIPELINE[dst.order:]:
                    finished.pop(s, None)
                    if s is not dst:
                        started.pop(s, None)
        if dst is not Stage.completed:
            started[dst] = e.on

    rows = []
    for stage in PIPELINE:
        due = facts.due_dates.get(stage)
        done_on = finished.get(stage)
        if stage is aborted_in and facts.stage is Stage.aborted:
            state = TimelineState.aborted
        elif done_on is not None:
            state = TimelineState.done
        elif stage is facts.stage:
            state = TimelineState.current
        else:
            state = TimelineState.pending
        late_days = late_wd = None
        if done_on is not None and due is not None:
            late_days = max(0, (done_on - due).days)
            try:
                late_wd = max(0, calendar.working_days_between(due, done_on))
            except CalendarMissing:
                late_wd = None
        status = None
        if state is TimelineState.current and due is not None:
            status = compute_deadline_status(due, facts.today, calendar)
        rows.append(TimelineRow(stage, due, started.get(stage), done_on, state, late_days, late_wd, status,
                                returns.get(stage, 0)))
    return rows


# ---------------------------------------------------------------------------------------------------
# Reminders for the daily job
# ---------------------------------------------------------------------------------------------------
class ReminderKind(StrEnum):
    stage_due_soon = "stage_due_soon"
    stage_overdue = "stage_overdue"
    unit_not_submitted = "unit_not_submitted"
    notice_ending = "notice_ending"
    notice_ended = "notice_ended"
    calendar_missing = "calendar_missing"

    @property
    def label(self) -> str:
        return {"stage_due_soon": "阶段即将到期", "stage_overdue": "阶段已逾期", "unit_not_submitted": "推荐人选未报送",
                "notice_ending": "公示即将期满", "notice_ended": "公示已期满",
                "calendar_missing": "缺少节假日数据"}[self.value]


@dataclass(frozen=True)
class Reminder:
    """One in-app notification the daily job should create (unless one with ``dedup_key`` exists).

    unit_id None → for the election's working group (the office); otherwise for that unit's accounts.
    The key holds the date, so a second run the same day creates nothing new and the next day reminds again.
    """

    kind: ReminderKind
    dedup_key: str
    message: str
    election_id: int
    stage: Stage
    unit_id: int | None = None


def reminders_due(facts: ElectionFacts, calendar: WorkCalendar, today: date) -> list[Reminder]:
    """The reminders for one election on TODAY: stage due soon / overdue, units not submitted, notices ending."""
    if facts.stage.is_final:
        return []
    day = today.isoformat()
    stage = facts.stage
    base = f"election:{facts.election_id}:{stage.value}"
    title = f"“{facts.title}”"
    reminders: list[Reminder] = []
    missing: dict[int, str] = {}

    def add(kind: ReminderKind, message: str, extra: str = "", unit_id: int | None = None) -> None:
        key = f"{base}:{kind.value}{':' + extra if extra else ''}:{day}"
        reminders.append(Reminder(kind, key, message, facts.election_id, stage, unit_id))

    due = facts.due_dates.get(stage)
    if due is not None:
        status = compute_deadline_status(due, today, calendar)
        if status.missing_year is not None:
            missing[status.missing_year] = status.missing_message
        if status.overdue:
            add(ReminderKind.stage_overdue,
                f"{title}的“{stage.label}”阶段已于{cn_date(due)}到期，{status.message}。"
                "请尽快完成；进入下一阶段时须填写逾期说明。")
        elif status.due_soon:
            add(ReminderKind.stage_due_soon, f"{title}的“{stage.label}”阶段{status.message}，请抓紧推进。")

    if stage is Stage.nominate:
        # 来源: docs/rules.md §2 stage 3 (units that have not submitted)
        for u in facts.units:
            if not u.submitted and not u.exempted:
                deadline = f"，截止日期为{cn_date(due)}" if due is not None else ""
                add(ReminderKind.unit_not_submitted,
                    f"{title}：推荐单位“{u.name}”尚未报送推荐人选{deadline}，请尽快提交。",
                    extra=f"unit:{u.unit_id}", unit_id=u.unit_id)

    kind = NOTICE_OF_STAGE.get(stage)
    notice = facts.notices.get(kind) if kind is not None else None
    if kind is not None and notice is not None and notice.posted_on is not None and notice.period_end is not None:
        end = notice.period_end
        if today > end:
            pending = f"尚有{notice.open_complaints}件反映未办结，请办结后" if notice.open_complaints else "请"
            add(ReminderKind.notice_ended,
                f"{title}的{kind.label}已于{cn_date(end)}期满，{pending}进入下一阶段。", extra=kind.value)
        else:
            try:
                left = calendar.working_days_between(today, end)
            except CalendarMissing as exc:
                missing[exc.year] = exc.message
            else:
                if left <= NOTICE_ENDING_WORKING_DAYS:
                    when = "今天" if today == end else cn_date(end)
                    add(ReminderKind.notice_ending,
                        f"{title}的{kind.label}将于{when}期满，请及时汇总和办结反映情况。", extra=kind.value)

    for year, message in sorted(missing.items()):
        add(ReminderKind.calendar_missing, f"{title}：{message}", extra=str(year))
    return reminders
