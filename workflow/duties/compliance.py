"""Frequency requirements (≥ N activities of a type or group per month / quarter / half-year / year).

Only verified activities meet a requirement; pending ones (待核实) are counted apart so a reminder can say so.
A delegate owes a period only while serving (``Service``, ``owes``): from the term's start, to its end or a status
change (docs/rules.md §6 “履职要求的起止”).
A period runs from its first to its last day inclusive (an activity on 3月31日 belongs to the first quarter,
one on 4月1日 to the second). A yearly requirement with a due date (凤县 个人履职总结 by 12月15日) ends then.
来源: docs/rules.md §6. Product setting: a reminder when a requirement is still unmet two weeks before the period ends.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from workflow.duties.periods import Period, cn_date, period_containing, periods_overlapping
from workflow.duties.rules import Activity, ActivityStatus, DutyRuleSet, Requirement

_VERIFIED = str(ActivityStatus.verified)
_PENDING = str(ActivityStatus.pending)

AT_RISK_DAYS = 14  # product setting: remind two weeks before the period ends


@dataclass(frozen=True)
class RequirementStatus:
    code: str
    label: str
    period: Period  # for a requirement with a due date, ``period.end`` is the due date
    needed: int
    done: int
    met: bool
    pending: int = 0  # waiting for verification; not counted in ``done``

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.done)

    @property
    def message(self) -> str:
        if self.met:
            return f"{self.period.label}{self.label}：已完成{self.done}次（要求至少{self.needed}次）"
        text = (f"{self.period.label}{self.label}：已完成{self.done}次，还需{self.missing}次，"
                f"请在{cn_date(self.period.end)}前完成")
        if self.pending:
            text += f"（另有{self.pending}次待核实）"
        return text


@dataclass(frozen=True)
class Service:
    """The days a delegate serves, both ends inclusive: from the term's start to its end, or to the day before a
    status change (资格终止 / 停止执行代表职务) took effect. ``last`` None = no end known."""

    first: date
    last: date | None = None


def service_of(term_start: date, term_end: date | None, status: str = "serving",
               status_decided_on: date | None = None) -> Service:
    """A term delegate's service: a decision dated D ends it on D - 1 (on D he no longer serves)."""
    last = term_end
    if status != "serving" and status_decided_on is not None:
        stop = status_decided_on - timedelta(days=1)
        last = stop if last is None else min(last, stop)
    return Service(term_start, last)


def owes(window: Period, service: Service | None) -> bool:
    """Whether a delegate owes a requirement over ``window`` (a period, cut at its due date).

    来源: docs/rules.md §6 “履职要求的起止” — owed only when (1) he still serves on the window's last day (the
    deadline: a term ending or a status change before it frees him of that period), and (2) he served at least half
    of the window (a term starting in its second half is not held to it: a 12月4日 start owes no 第四季度 and no
    年度总结, but owes 12月; a start on the 16th of a 31-day month still owes that month, one on the 17th does not).
    None = no service known: every period is owed (pure callers, older tests).
    """
    if service is None:
        return True
    if service.last is not None and service.last < window.end:
        return False
    first = max(window.start, service.first)
    if first > window.end:
        return False
    served = (window.end - first).days + 1
    length = (window.end - window.start).days + 1
    return 2 * served >= length


def _requirement_period(req: Requirement, p: Period) -> Period:
    """The period a requirement is judged over: the period itself, or up to its due date."""
    if req.due is None:
        return p
    month, day = req.due
    due = date(p.start.year, month, day)
    if due < p.start:  # scoring year not starting on 1月1日: the due date falls in the next calendar year
        due = date(p.start.year + 1, month, day)
    return Period(p.start, min(due, p.end), p.kind, p.year, p.index, p.aligned)


def _windows(rs: DutyRuleSet, start: date, end: date) -> list[tuple[Requirement, Period, frozenset[str]]]:
    out = []
    for req in rs.requirements:
        types = rs.types_in(req)
        for p in periods_overlapping(start, end, req.period, rs.scoring_year_start):
            out.append((req, _requirement_period(req, p), types))
    return out


def _count(activities: Iterable[Activity | tuple], rs: DutyRuleSet, wanted: set[Any] | None,
           windows: list[tuple[Requirement, Period, frozenset[str]]]) -> dict[tuple[Any, int], list[int]]:
    """(delegate, window index) → [done, pending] in one pass over the activities."""
    if not windows:
        return {}
    lo = min(p.start for _, p, _ in windows)
    hi = max(p.end for _, p, _ in windows)
    counts: dict[tuple[Any, int], list[int]] = {}
    for _aid, did, code, on, status, _grade, role in activities:
        if (wanted is not None and did not in wanted) or on < lo or on > hi:
            continue
        if status == _VERIFIED:
            slot = 0
        elif status == _PENDING:
            slot = 1
        else:
            continue
        scored = rs.scored_code(code, role)
        for i, (_req, p, types) in enumerate(windows):
            if (code in types or scored in types) and p.start <= on <= p.end:
                c = counts.get((did, i))
                if c is None:
                    c = counts[(did, i)] = [0, 0]
                c[slot] += 1
    return counts


def _status(req: Requirement, p: Period, done: int, pending: int) -> RequirementStatus:
    return RequirementStatus(req.code, req.label, p, req.min_count, done, done >= req.min_count, pending)


def check_requirements(
    activities: Iterable[Activity | tuple],
    ruleset: DutyRuleSet,
    delegate_id: Any,
    period_start: date,
    period_end: date,
    service: Service | None = None,
) -> list[RequirementStatus]:
    """Each requirement in each of its periods that overlaps [period_start, period_end] and that the delegate owes
    (``owes``: his ``service``; None = every period), met or not.

    A period only partly inside the range is still judged over its whole length (a month is a month). Ordered by
    period end, then by the rule set's order of requirements. Returns statuses, not blockers: a missed duty does
    not block an action, it is reported and reminded.
    """
    windows = [w for w in _windows(ruleset, period_start, period_end) if owes(w[1], service)]
    counts = _count(activities, ruleset, {delegate_id}, windows)
    out = []
    for i, (req, p, _types) in enumerate(windows):
        done, pending = counts.get((delegate_id, i), (0, 0))
        out.append(_status(req, p, done, pending))
    order = {r.code: n for n, r in enumerate(ruleset.requirements)}
    out.sort(key=lambda s: (s.period.end, order[s.code]))
    return out


@dataclass(frozen=True)
class AtRisk:
    """A requirement still unmet close to the end of its period (for the daily reminder job)."""

    delegate_id: Any
    status: RequirementStatus
    days_left: int  # 0 = the period ends today

    @property
    def message(self) -> str:
        when = "今天" if self.days_left == 0 else f"{self.days_left}天后"
        return f"{self.status.message}。本期{when}结束"


def requirements_at_risk(
    today: date,
    activities: Iterable[Activity | tuple],
    ruleset: DutyRuleSet,
    delegate_ids: Iterable[Hashable],
    warn_days: int = AT_RISK_DAYS,
    services: Mapping[Any, Service] | None = None,
) -> list[AtRisk]:
    """Requirements of the current periods that are still unmet and end within ``warn_days`` days of ``today``.

    A period ending exactly ``warn_days`` days after today is included; one ending a day later is not; a period
    that ended yesterday is no longer "at risk" (it is missed and shows in check_requirements). One pass over
    ``activities``; ordered by delegate (in the order given), then period end. ``services`` (delegate → Service)
    leaves out the periods a delegate does not owe (``owes``); a delegate missing from it owes every period.
    """
    windows = []
    for req, p, types in _windows(ruleset, today, today):
        left = (p.end - today).days  # a due date may already have passed within the current year
        if 0 <= left <= warn_days:
            windows.append((req, p, types))
    ids = list(dict.fromkeys(delegate_ids))
    counts = _count(activities, ruleset, set(ids), windows)
    out = []
    for did in ids:
        rows = []
        service = services.get(did) if services is not None else None
        for i, (req, p, _types) in enumerate(windows):
            done, pending = counts.get((did, i), (0, 0))
            if done < req.min_count and owes(p, service):
                rows.append(AtRisk(did, _status(req, p, done, pending), (p.end - today).days))
        rows.sort(key=lambda r: r.status.period.end)
        out.extend(rows)
    return out


def current_period(today: date, requirement: Requirement, ruleset: DutyRuleSet) -> Period:
    """The period of ``requirement`` that contains ``today`` (due date applied)."""
    return _requirement_period(requirement, period_containing(today, requirement.period, ruleset.scoring_year_start))
