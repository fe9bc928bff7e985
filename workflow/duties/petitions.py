"""群众诉求: six steps 登记 → 接待 → 处理 → 回复 → 反馈 → 归档, time limits, overdue, satisfaction → points.

A hand-written transition table whose guards collect every blocking reason. One return edge:
反馈 → 处理 when the resident is not satisfied and the matter is handled again. Time limits are settings
(default: take up within 3 days of 登记, answer within 7 days of 登记) counted in calendar days by default,
since working-day data may be missing for a year; working days need a calendar passed in.
来源: docs/rules.md §6 印台 (six steps), 盐田 (诉求解决 scored by satisfaction); the limits are product settings.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from workflow.common import sources
from workflow.common.results import Blocker, DomainError
from workflow.duties.periods import cn_date
from workflow.duties.rules import Activity, ActivityStatus, Role, SatisfactionGrade, normalize_grade

SOURCE = sources.PETITIONS


class PetitionState(StrEnum):
    registered = "registered"
    received = "received"
    processing = "processing"
    replied = "replied"
    feedback = "feedback"
    archived = "archived"

    @property
    def label(self) -> str:
        return {
            "registered": "登记",
            "received": "接待",
            "processing": "处理",
            "replied": "回复",
            "feedback": "反馈",
            "archived": "归档",
        }[self.value]


@dataclass(frozen=True)
class PetitionFacts:
    """What the guards look at; the service fills it from the petition row and the form being submitted."""

    receiver: str | None = None  # 接待人
    handler: str | None = None  # 承办单位或承办人
    reply: str = ""  # 回复内容
    grade: str | None = None  # 群众满意度 (code or label of SatisfactionGrade)
    feedback_note: str = ""  # why there is no grade (e.g. 多次回访无法联系)
    reason: str = ""  # reason for handling again (反馈 → 处理)
    archive_note: str = ""  # needed to archive an unsatisfied matter


Guard = Callable[[PetitionFacts], list[Blocker]]


def _need_receiver(f: PetitionFacts) -> list[Blocker]:
    if not (f.receiver or "").strip():
        return [Blocker("petition.receiver.missing", "请填写接待人后再进入“接待”", SOURCE)]
    return []


def _need_handler(f: PetitionFacts) -> list[Blocker]:
    if not (f.handler or "").strip():
        return [Blocker("petition.handler.missing", "请填写承办单位或承办人后再进入“处理”", SOURCE)]
    return []


def _need_reply(f: PetitionFacts) -> list[Blocker]:
    if not f.reply.strip():
        return [Blocker("petition.reply.missing", "请填写答复群众的内容后再进入“回复”", SOURCE)]
    return []


def _need_feedback(f: PetitionFacts) -> list[Blocker]:
    if f.grade is None or not str(f.grade).strip():
        if f.feedback_note.strip():
            return []
        return [Blocker("petition.grade.missing",
                        "请填写群众满意度（非常满意、基本满意或不满意）；无法回访的，请说明原因", SOURCE)]
    try:
        SatisfactionGrade(normalize_grade(f.grade))
    except ValueError:
        return [Blocker("petition.grade.invalid",
                        f"满意度“{f.grade}”无效，请选择非常满意、基本满意或不满意", SOURCE)]
    return []


def _need_archive_note(f: PetitionFacts) -> list[Blocker]:
    if normalize_grade(f.grade) == SatisfactionGrade.unsatisfied and not f.archive_note.strip():
        return [Blocker("petition.archive.note_missing",
                        "群众不满意的诉求归档前，请说明原因及已做的解释工作，或退回“处理”重新办理", SOURCE)]
    return []


def _need_reason(f: PetitionFacts) -> list[Blocker]:
    if not f.reason.strip():
        return [Blocker("petition.reason.missing", "退回“处理”重新办理，请填写理由", SOURCE)]
    return []


@dataclass(frozen=True)
class PetitionTransition:
    source: PetitionState
    target: PetitionState
    guards: tuple[Guard, ...] = ()
    is_return: bool = False


S = PetitionState
TRANSITIONS: tuple[PetitionTransition, ...] = (
    PetitionTransition(S.registered, S.received, (_need_receiver,)),
    PetitionTransition(S.received, S.processing, (_need_handler,)),
    PetitionTransition(S.processing, S.replied, (_need_reply,)),
    PetitionTransition(S.replied, S.feedback, (_need_feedback,)),
    PetitionTransition(S.feedback, S.archived, (_need_archive_note,)),
    PetitionTransition(S.feedback, S.processing, (_need_reason,), is_return=True),
)
_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def next_states(state: PetitionState | str) -> tuple[PetitionState, ...]:
    state = PetitionState(state)
    return tuple(t.target for t in TRANSITIONS if t.source == state)


def check_petition_transition(state: PetitionState | str, target: PetitionState | str,
                              facts: PetitionFacts = PetitionFacts()) -> list[Blocker]:
    """Every reason the move ``state`` → ``target`` cannot happen now (empty: allowed)."""
    state, target = PetitionState(state), PetitionState(target)
    if state == PetitionState.archived:
        return [Blocker("petition.final", "诉求已归档，不能再变更；如需重新办理，请新登记一条诉求", SOURCE)]
    t = _BY_PAIR.get((state, target))
    if t is None:
        allowed = "或".join(f"“{s.label}”" for s in next_states(state))
        return [Blocker("petition.transition.illegal",
                        f"不能从“{state.label}”直接进入“{target.label}”，下一步应为{allowed}", SOURCE)]
    return [b for g in t.guards for b in g(facts)]


def enabled_petition_transitions(state: PetitionState | str, facts: PetitionFacts) -> tuple[PetitionState, ...]:
    """The moves allowed now (drives the buttons; the POST runs the same check)."""
    return tuple(t for t in next_states(state) if not check_petition_transition(state, t, facts))


# --------------------------------------------------------------------------------------------------------------
# Time limits
# --------------------------------------------------------------------------------------------------------------
class DayKind(StrEnum):
    calendar = "calendar"
    working = "working"

    @property
    def label(self) -> str:
        return {"calendar": "自然日", "working": "工作日"}[self.value]


@dataclass(frozen=True)
class PetitionLimits:
    """Time limits, each counted from the day after its starting day (登记 on 5月1日 + 3 days → due 5月4日).

    ``answer_from``: "registered" (default: 7 days from 登记, the promise made to the resident) or "received".
    ``feedback_days``: optional limit for the 回访 after the reply.
    """

    take_up_days: int = 3
    answer_days: int = 7
    feedback_days: int | None = None
    day_kind: DayKind = DayKind.calendar
    answer_from: str = "registered"

    def __post_init__(self) -> None:
        object.__setattr__(self, "day_kind", DayKind(self.day_kind))
        for name in ("take_up_days", "answer_days", "feedback_days"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise DomainError("诉求办理时限应为不小于0的整数天数", code="petition.limits.invalid")
        if self.answer_from not in ("registered", "received"):
            raise DomainError("回复时限只能从登记日或接待日起算", code="petition.limits.invalid")


@dataclass(frozen=True)
class PetitionTimes:
    """The dates of a petition's steps (None: not reached yet)."""

    id: Any
    state: PetitionState
    registered_on: date
    received_on: date | None = None
    replied_on: date | None = None
    feedback_on: date | None = None


@dataclass(frozen=True)
class OverdueItem:
    petition_id: Any
    step: PetitionState  # the step that is (or was) late
    deadline: date
    done_on: date | None  # None: still not done
    days_over: int
    day_kind: DayKind

    @property
    def message(self) -> str:
        step, unit, over = self.step.label, self.day_kind.label, self.days_over
        if self.done_on is None:
            return f"诉求“{step}”应于{cn_date(self.deadline)}前完成，已超期{over}个{unit}，请尽快办理"
        return f"诉求“{step}”于{cn_date(self.done_on)}完成，超过时限{cn_date(self.deadline)}共{over}个{unit}"


def _add(start: date, n: int, kind: DayKind, is_workday: Callable[[date], bool] | None) -> date:
    if kind == DayKind.calendar:
        return start + timedelta(days=n)
    assert is_workday is not None
    d, left = start, n
    while left > 0:  # the n-th working day after ``start``
        d += timedelta(days=1)
        if is_workday(d):
            left -= 1
    return d


def _between(deadline: date, later: date, kind: DayKind, is_workday: Callable[[date], bool] | None) -> int:
    """Days in (deadline, later]: calendar days, or working days among them."""
    if kind == DayKind.calendar:
        return (later - deadline).days
    assert is_workday is not None
    n, d = 0, deadline
    while d < later:
        d += timedelta(days=1)
        if is_workday(d):
            n += 1
    return n


def petition_deadlines(petition: PetitionTimes, limits: PetitionLimits,
                       is_workday: Callable[[date], bool] | None = None) -> dict[PetitionState, date]:
    """Due date of each limited step (接待, 回复, and 反馈 when a limit is set and the reply is known)."""
    if limits.day_kind == DayKind.working and is_workday is None:
        raise DomainError("按工作日计算诉求时限需要节假日数据：请先录入本年度节假日，或改为按自然日计算",
                          code="petition.limits.no_calendar")
    k = limits.day_kind
    out = {PetitionState.received: _add(petition.registered_on, limits.take_up_days, k, is_workday)}
    if limits.answer_from == "received":
        base = petition.received_on or out[PetitionState.received]
    else:
        base = petition.registered_on
    out[PetitionState.replied] = _add(base, limits.answer_days, k, is_workday)
    if limits.feedback_days is not None and petition.replied_on is not None:
        out[PetitionState.feedback] = _add(petition.replied_on, limits.feedback_days, k, is_workday)
    return out


def petition_overdue(petition: PetitionTimes, today: date, limits: PetitionLimits = PetitionLimits(),
                     is_workday: Callable[[date], bool] | None = None) -> list[OverdueItem]:
    """Steps late now (not done and today is past the due date) or done late. Done on the due date is on time;
    still open on the due date is not yet overdue."""
    done = {
        PetitionState.received: petition.received_on,
        PetitionState.replied: petition.replied_on,
        PetitionState.feedback: petition.feedback_on,
    }
    out = []
    for step, deadline in petition_deadlines(petition, limits, is_workday).items():
        done_on = done[step]
        end = done_on if done_on is not None else today
        if end > deadline:
            days = _between(deadline, end, limits.day_kind, is_workday)
            if days > 0:
                out.append(OverdueItem(petition.id, step, deadline, done_on, days, limits.day_kind))
    return out


# --------------------------------------------------------------------------------------------------------------
# Satisfaction → points
# --------------------------------------------------------------------------------------------------------------
def petition_points_activity(petition_id: Any, delegate_id: Any, grade: str | None, on: date,
                             type_code: str = "resolve_petition",
                             status: str = ActivityStatus.verified) -> Activity | None:
    """The 诉求解决 activity the 反馈 earns the delegate who handled the petition (scored by grade under the rule
    set in force on ``on``: 盐田 非常满意 6, 基本满意 5). None without a grade. 来源: docs/rules.md §6 盐田."""
    g = normalize_grade(grade)
    if g is None:
        return None
    try:
        SatisfactionGrade(g)
    except ValueError:
        raise DomainError(f"满意度“{grade}”无效，请选择非常满意、基本满意或不满意",
                          code="petition.grade.invalid") from None
    return Activity(f"petition:{petition_id}", delegate_id, type_code, on, str(status), g, str(Role.lead))
