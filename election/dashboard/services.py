"""What the dashboards show: read-only views built with a fixed number of queries per election.

The office sees, for every running election, the stage on a plan-vs-actual timeline with today marked and
the working days left, the units submitted / not, each quota against its limit (as the list stands and in
the worst election outcome) and the open items. A unit sees its one task and its deadline. The numbers
come from the same pure rules the stage guards use (workflow.pipeline.deadlines, workflow.quotas.checks).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.calendar.services import load_calendar
from election.core import charts
from election.dashboard.blockers import BlockerGroup, group_blockers
from election.elections import queries
from election.elections.facts import build_facts, quota_rules
from election.elections.models import Election, StageChange
from election.nominations.queries import unit_tasks
from election.quotas.services import ComplianceReport, compliance_report
from workflow.common.calendar import WorkCalendar
from workflow.pipeline.deadlines import DeadlineStatus, TimelineRow, compute_deadline_status, compute_timeline
from workflow.pipeline.facts import StageHistoryEntry
from workflow.pipeline.stages import Stage
from workflow.pipeline.transitions import check_transition

FINAL_STAGES = tuple(s.value for s in Stage if s.is_final)


@dataclass(frozen=True)
class UnitProgress:
    submitted: int
    draft: int
    exempted: int
    not_submitted_names: tuple[str, ...]   # in the units' code order

    @property
    def total(self) -> int:
        return self.submitted + self.draft + self.exempted


@dataclass(frozen=True)
class OpenItem:
    kind: str          # stage_overdue / units_late / complaints_open / quota
    message: str       # Chinese, says what to do
    overdue: bool = False


@dataclass(frozen=True)
class QuotaLine:
    label: str
    bound: str
    actual: int
    actual_ok: bool
    worst: int
    worst_ok: bool
    minimum: int | None      # for the list as it stands
    maximum: int | None


@dataclass(frozen=True)
class ElectionPanel:
    election_id: int
    title: str
    stage: Stage
    timeline: tuple[TimelineRow, ...]
    deadline: DeadlineStatus | None
    units: UnitProgress
    report: ComplianceReport | None
    quotas: tuple[QuotaLine, ...]
    open_items: tuple[OpenItem, ...]
    timeline_svg: Markup
    units_svg: Markup
    quota_svg: Markup | None
    next_stage: Stage | None = None                  # where the stage table leads next
    blockers: tuple[BlockerGroup, ...] = ()          # what stops it, one line per kind


@dataclass(frozen=True)
class OfficeDashboard:
    today: date
    panels: tuple[ElectionPanel, ...]
    overview: list          # queries.ElectionRow for every election (running or not)

    @property
    def running(self) -> list:
        return [row for row in self.overview if row.stage not in FINAL_STAGES]


def _history(session: Session, election_ids: list[int], to_day) -> dict[int, list[StageHistoryEntry]]:
    out: dict[int, list[StageHistoryEntry]] = {i: [] for i in election_ids}
    if not election_ids:
        return out
    rows = session.scalars(select(StageChange).where(StageChange.election_id.in_(election_ids))
                           .order_by(StageChange.at, StageChange.id))
    for c in rows:
        out[c.election_id].append(StageHistoryEntry(Stage(c.from_stage) if c.from_stage else None,
                                                    Stage(c.to_stage), to_day(c.at), c.reason))
    return out


def _open_complaints(session: Session, election_ids: list[int]) -> dict[int, int]:
    """Complaints not yet closed, per election (the 考察/公示 area; zero when that area is not installed)."""
    try:
        from election.vetting.models import Complaint, Notice
    except ImportError:  # pragma: no cover - area not installed
        return {}
    if not election_ids:
        return {}
    rows = session.execute(select(Notice.election_id, func.count()).join(Complaint, Complaint.notice_id == Notice.id)
                           .where(Notice.election_id.in_(election_ids), Complaint.status != "closed")
                           .group_by(Notice.election_id)).all()
    return dict(rows)


def _quota_lines(election: Election, report: ComplianceReport | None) -> tuple[QuotaLine, ...]:
    if report is None:
        return ()
    rules = {r.code: r for r in quota_rules(election)}
    lines = []
    for row in report.rows:
        rule = rules.get(row.code)
        low = rule.required_min(report.candidates) if rule else None
        high = rule.allowed_max(report.candidates) if rule else None
        lines.append(QuotaLine(row.label, row.bound, row.actual, row.as_is_ok, row.worst, row.worst_ok, low, high))
    return tuple(lines)


def _unit_progress(facts) -> UnitProgress:
    submitted = sum(1 for u in facts.units if u.submitted)
    exempted = sum(1 for u in facts.units if not u.submitted and u.exempted)
    missing = tuple(u.name for u in facts.units if not u.submitted and not u.exempted)
    return UnitProgress(submitted, len(missing), exempted, missing)


def _open_items(stage: Stage, deadline: DeadlineStatus | None, units: UnitProgress, complaints: int,
                report: ComplianceReport | None) -> tuple[OpenItem, ...]:
    items = []
    if deadline is not None and deadline.overdue:
        items.append(OpenItem("stage_overdue", f"“{stage.label}”阶段{deadline.message}，请尽快完成或调整时间安排。", True))
    if stage is Stage.nominate and units.draft:
        late = deadline is not None and deadline.overdue
        items.append(OpenItem("units_late", f"还有{units.draft}个单位未提交推荐名单：{'、'.join(units.not_submitted_names[:10])}"
                              f"{'等' if units.draft > 10 else ''}，请督促报送。", late))
    if complaints:
        items.append(OpenItem("complaints_open", f"有{complaints}件公示期间的反映尚未办结，请在考察页面处理。"))
    if report is not None and not report.all_ok:
        items.append(OpenItem("quota", f"{report.step_label}名单的结构比例有不符合要求的项目，请查看结构比例面板。"))
    return tuple(items)


def _panel(session: Session, election: Election, today: date, calendar: WorkCalendar,
           history: list[StageHistoryEntry], complaints: int) -> ElectionPanel:
    facts = build_facts(session, election, today)
    timeline = tuple(compute_timeline(facts, history, calendar))
    due = facts.due_dates.get(facts.stage)
    deadline = compute_deadline_status(due, today, calendar) if due else None
    units = _unit_progress(facts)
    report = compliance_report(session, election, today)
    quotas = _quota_lines(election, report)
    steps = [charts.TimelineStep(r.stage.label, r.due, r.finished_on, r.state.value, r.late_days) for r in timeline]
    timeline_svg = charts.render_stage_timeline(steps, today, f"{election.title}：阶段进度（计划与实际）")
    units_svg = charts.render_stacked_bar(
        [charts.Part("已提交", units.submitted, charts.OK), charts.Part("未提交", units.draft, charts.BAD),
         charts.Part("免报", units.exempted, charts.NEUTRAL)], f"推荐单位报送情况：共{units.total}个单位")
    quota_svg = None
    if quotas:
        bars = [charts.QuotaBar(q.label, q.actual, q.worst, q.minimum, q.maximum, report.candidates, q.actual_ok,
                                q.worst_ok) for q in quotas]
        quota_svg = Markup(charts.render_quota_bars(bars, f"{report.step_label}结构比例（现有与最不利选举结果）"))
    decision = check_transition(facts)
    return ElectionPanel(election.id, election.title, facts.stage, timeline, deadline, units, report, quotas,
                         _open_items(facts.stage, deadline, units, complaints, report),
                         Markup(timeline_svg), Markup(units_svg), quota_svg, decision.target,
                         tuple(group_blockers(decision.blockers)))


def office_dashboard(session: Session, today: date, to_day, election_id: int | None = None,
                     user=None) -> OfficeDashboard:
    """The panel of one running election (ELECTION_ID, else the newest) beside the table of all elections,
    so the page costs the same number of queries however many elections there are. ``to_day`` maps a
    stored UTC time to the local day."""
    overview = queries.elections_overview(session, user)
    running_rows = [row for row in overview if row.stage not in FINAL_STAGES]
    chosen = next((row.id for row in running_rows if row.id == election_id), None) \
        or (running_rows[0].id if running_rows else None)
    running = [session.get(Election, chosen)] if chosen is not None else []
    ids = [e.id for e in running]
    calendar = load_calendar(session)
    history = _history(session, ids, to_day)
    complaints = _open_complaints(session, ids)
    panels = tuple(_panel(session, e, today, calendar, history[e.id], complaints.get(e.id, 0)) for e in running)
    return OfficeDashboard(today, panels, overview)


@dataclass(frozen=True)
class UnitDashboard:
    tasks: list                       # nominations.queries.UnitTask
    current: object | None            # the one task to do now (a draft list of a running election), if any
    deadline: DeadlineStatus | None


def unit_dashboard(session: Session, unit_id: int, today: date) -> UnitDashboard:
    tasks = unit_tasks(session, unit_id)
    running = [t for t in tasks if t.stage not in FINAL_STAGES]
    drafts = [t for t in running if t.status == "draft"]
    current = (drafts or running or [None])[0]
    deadline = None
    if current is not None and current.status == "draft" and current.due is not None:
        deadline = compute_deadline_status(current.due, today, load_calendar(session))
    return UnitDashboard(tasks, current, deadline)
