"""The daily reminders of packages (docs/rules.md §8.2), for the daily run (election.notifications.services):

- a package waiting for the upper committee more than UPPER_WAIT_WORKING_DAYS working days after it was submitted:
  its staff, every day until they decide;
- a child election past the due date of a stage that reports up, with nothing of that kind submitted (or only a
  returned package): its 选举办, every day until it reports.

Plain rows out; the daily run skips what was already sent that day (every key ends with the day) and writes them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.clock import to_local
from election.elections.models import StageDue
from election.levels.models import Congress, UpwardReport
from election.levels.services import reports_notify as recipients
from election.levels.services.reports import KINDS, WAITING
from election.levels.services.reports_queries import UPPER_WAIT_WORKING_DAYS
from workflow.common.calendar import WorkCalendar
from workflow.common.dates import cn_date


@dataclass(frozen=True)
class PackageReminder:
    user_id: int
    election_id: int
    kind: str
    dedup_key: str
    message: str
    link: str


def package_reminders(session: Session, elections, today: date, calendar: WorkCalendar) -> list[PackageReminder]:
    children = {e.id: e for e in elections if e.congress_id is not None}
    if not children:
        return []
    reports = list(session.scalars(select(UpwardReport).where(UpwardReport.election_id.in_(list(children)))
                                   .order_by(UpwardReport.attempt)))
    latest = {(r.election_id, r.kind): r for r in reports}  # the last attempt wins
    congresses = {c.id: c for c in session.scalars(select(Congress).where(
        Congress.id.in_({e.congress_id for e in children.values()})))}
    out: list[PackageReminder] = []
    # 来源: docs/rules.md §8.2 — waiting more than the set number of working days reminds the upper committee
    for r in latest.values():
        if r.status not in WAITING:
            continue
        submitted = to_local(r.submitted_at).date()
        waited = calendar.working_days_between(submitted, today) if today >= submitted else 0
        if waited <= UPPER_WAIT_WORKING_DAYS:
            continue
        election = children[r.election_id]
        spec = KINDS[r.kind]
        message = (f"“{election.title}”{cn_date(submitted)}报送的{spec.label}（第{r.attempt}次）已等待{waited}个"
                   f"工作日，请尽快作出{'初步审查和批复' if r.kind == 'approval' else spec.decision_word}。")
        for uid in recipients.upper_staff(session, congresses[election.congress_id]):
            out.append(PackageReminder(uid, election.id, "package_waiting",
                                       f"package_waiting:{r.id}:{today.isoformat()}", message, f"/levels/reports/{r.id}"))
    # 来源: docs/rules.md §8.2 — past the stage's due date with nothing reported reminds the 选举单位
    stage_kind = {spec.stage.value: kind for kind, spec in KINDS.items()}
    dues = {(d.election_id, d.stage): d.due_date for d in session.scalars(
        select(StageDue).where(StageDue.election_id.in_(list(children))))}
    for election in children.values():
        kind = stage_kind.get(election.stage)
        due = dues.get((election.id, election.stage))
        if kind is None or due is None or today <= due:
            continue
        last = latest.get((election.id, kind))
        if last is not None and last.status != "returned":
            continue
        spec = KINDS[kind]
        message = (f"“{election.title}”的{spec.label}应于{cn_date(due)}前报送上级组织部门，"
                   f"{'被退回后' if last else ''}尚未报送，请在“上报上级”中报送。")
        for uid in recipients.unit_office(session, election):
            out.append(PackageReminder(uid, election.id, "package_not_submitted",
                                       f"package_not_submitted:{election.id}:{kind}:{today.isoformat()}", message,
                                       f"/levels/elections/{election.id}/reports"))
    return out
