"""Reads of the packages (docs/rules.md §8.2): an election's packages for its 选举办, the upper committee's queue
(waiting first, with the child stage's due date and how long each has waited), one package for its decision page.
A fixed number of queries each."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.clock import to_local
from election.core.exceptions import NotFound
from election.elections.models import Election, StageDue
from election.levels.models import Congress, CongressUnit, UpwardReport, UpwardReportItem
from election.levels.services.reports import KINDS, WAITING, reaches, status_label
from workflow.common.calendar import WorkCalendar
from workflow.pipeline.stages import Stage

# 来源: docs/rules.md §8.2 [待定] — a package waits for the upper committee at most this many working days before
# its staff are reminded (and the queue marks it 待办超期)
UPPER_WAIT_WORKING_DAYS = 3


@dataclass(frozen=True)
class PackageRow:
    report: UpwardReport
    status: str                      # Chinese
    items: tuple[UpwardReportItem, ...] = ()


@dataclass(frozen=True)
class ElectionPackages:
    election: Election
    on_system: bool                  # the election has a congress on the system
    packages: tuple[PackageRow, ...]
    kind_now: str | None             # the kind the current stage reports, when it may be submitted now
    blocked: str                     # why not (waiting / approved), when the stage has a kind


def election_packages(session: Session, election: Election) -> ElectionPackages:
    reports = list(session.scalars(select(UpwardReport).where(UpwardReport.election_id == election.id)
                                   .order_by(UpwardReport.submitted_at.desc(), UpwardReport.id.desc())))
    items = defaultdict(list)
    if reports:
        for item in session.scalars(select(UpwardReportItem).where(
                UpwardReportItem.report_id.in_([r.id for r in reports])).order_by(UpwardReportItem.id)):
            items[item.report_id].append(item)
    rows = tuple(PackageRow(r, status_label(r), tuple(items[r.id])) for r in reports)
    kind = next((k for k, spec in KINDS.items() if spec.stage == election.stage), None)
    blocked = ""
    if kind is not None:
        last = next((r for r in reports if r.kind == kind), None)  # newest first
        if last is not None and last.status in WAITING:
            blocked = f"{KINDS[kind].label}已报送（第{last.attempt}次），正在等待上级组织部门决定。"
        elif last is not None and last.status == "approved":
            blocked = f"上级组织部门已{KINDS[kind].decision_word}{KINDS[kind].label}。"
    return ElectionPackages(election, election.congress_id is not None, rows,
                            kind if election.congress_id is not None and not blocked else None, blocked)


@dataclass(frozen=True)
class QueueRow:
    report: UpwardReport
    election: Election
    unit_name: str
    status: str
    due: date | None                 # the child stage's due date
    waited: int                      # working days since it was submitted (0 on the day)
    late: bool                       # waiting longer than UPPER_WAIT_WORKING_DAYS

    @property
    def waiting(self) -> bool:
        return self.report.status in WAITING


def congress_queue(session: Session, congress: Congress, today: date, calendar: WorkCalendar) -> list[QueueRow]:
    """Every package of the congress's 选举单位: waiting first (the longest waiting on top), then the decided."""
    rows = session.execute(select(UpwardReport, Election).join(Election, Election.id == UpwardReport.election_id)
                           .where(Election.congress_id == congress.id)).all()
    names = dict(session.execute(select(CongressUnit.election_id, CongressUnit.organisation_id)
                                 .where(CongressUnit.congress_id == congress.id)).all())
    from election.directory.models import Organisation

    org_names = dict(session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({*names.values(), *(e.organisation_id for _, e in rows if e.organisation_id)}))).all())
    dues = {(d.election_id, d.stage): d.due_date for d in session.scalars(select(StageDue).where(
        StageDue.election_id.in_({e.id for _, e in rows})))} if rows else {}
    out = []
    for report, election in rows:
        submitted = to_local(report.submitted_at).date()
        waiting = report.status in WAITING
        waited = calendar.working_days_between(submitted, today) if waiting and today >= submitted else 0
        unit = org_names.get(names.get(election.id) or election.organisation_id, "")
        out.append(QueueRow(report, election, unit, status_label(report),
                            dues.get((election.id, KINDS[report.kind].stage.value)), waited,
                            waiting and waited > UPPER_WAIT_WORKING_DAYS))
    out.sort(key=lambda r: (not r.waiting, -r.waited if r.waiting else 0, -(r.report.id)))
    return out


@dataclass(frozen=True)
class PackageView:
    report: UpwardReport
    election: Election
    congress: Congress
    status: str
    items: dict[str, UpwardReportItem]   # person key -> the upper committee's word on that person
    stage_label: str


def package_view(session: Session, user, report_id: int) -> PackageView:
    """One package for the upper committee's page, when its congress lies in the user's part (else not found)."""
    report = session.get(UpwardReport, report_id)
    election = session.get(Election, report.election_id) if report is not None else None
    congress = session.get(Congress, election.congress_id) if election is not None and election.congress_id else None
    if congress is None or not reaches(session, user, congress.organisation_id):
        raise NotFound("报送材料不存在，或不是报送给您单位的。")
    items = {i.person_key: i for i in session.scalars(select(UpwardReportItem)
                                                      .where(UpwardReportItem.report_id == report.id))}
    return PackageView(report, election, congress, status_label(report), items, Stage(election.stage).label)


def election_items(session: Session, report_id: int) -> list[UpwardReportItem]:
    return list(session.scalars(select(UpwardReportItem).where(UpwardReportItem.report_id == report_id)
                                .order_by(UpwardReportItem.id)))
