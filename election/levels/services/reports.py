"""Packages up, decisions down (docs/rules.md §8.2): a 选举单位's 选举办 reports its 初步人选 (for the upper
committee's 同意), its 预备人选 (初步审查, then 批复) and its result (收到); the upper committee decides, or returns
the list — whole, or person by person — with reasons.

Each function is one use case: one transaction, audited on both sides (the package, and the child election's own
history), its reminders written in the same transaction. An approval writes what the district's stage guard waits
for in the same transaction: the ElectionDecision (consent, 批复) or the result report.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from election.audit.services import audit, audit_many
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.directory.scope import subtree_ids
from election.elections.models import Election, ElectionDecision
from election.levels import scope
from election.levels.models import Congress, UpwardReport, UpwardReportItem
from election.levels.services import reports_notify as notify
from election.levels.services.reports_kinds import KINDS, KindSpec  # noqa: F401 - read from here too
from workflow.pipeline.stages import Stage

WAITING = ("submitted", "reviewed")
MAX_TEXT = 2000


def status_label(report: UpwardReport) -> str:
    spec = KINDS[report.kind]
    return {"submitted": "已报送，待" + ("初步审查" if report.kind == "approval" else spec.decision_word),
            "reviewed": "已初步审查，待批复", "approved": f"已{spec.decision_word}",
            "returned": "已退回"}[report.status]


def reaches(session: Session, actor, organisation_id: int | None) -> bool:
    """Whether ORGANISATION_ID lies in the actor's part of the directory (all, for a user without one)."""
    if actor.organisation_id is None:
        return True
    return organisation_id is not None and organisation_id in subtree_ids(session, actor.organisation_id)


# --------------------------------------------------------------------------------------------------- submit
def submit_report(session: Session, actor, election_id: int, kind: str, cover_note: str, unit_doc_number: str,
                  now: datetime) -> UpwardReport:
    """The 选举单位 reports the list of KIND up, with its documents, a cover note and its own 文号: the list is
    frozen as it stands. Refused at the wrong stage, with nothing decided yet, or while a package of the kind is
    waiting or approved; after a return it is the next attempt."""
    require(scope.can_report_up(actor))
    spec = KINDS.get(kind)
    if spec is None:
        raise ServiceError("报送类型只能是：consent（初步人选）、approval（预备人选）、result（选举结果）。")
    cover_note, unit_doc_number = (cover_note or "").strip(), (unit_doc_number or "").strip()
    if len(cover_note) > MAX_TEXT or len(unit_doc_number) > 64:
        raise ServiceError(f"报送说明不能超过{MAX_TEXT}字，文号不能超过64字。")
    if kind == "result" and not unit_doc_number:
        raise ServiceError("报送选举结果须填写本单位选举情况报告的文号。")
    with transaction(session):
        # the election's row locked: a second submit waits here, then sees the first one's package
        election = session.scalar(select(Election).where(Election.id == election_id).with_for_update(of=Election)
                                  .execution_options(populate_existing=True))
        if election is None or not reaches(session, actor, election.organisation_id):
            raise NotFound("选举不存在，或不属于您的单位。")
        if election.congress_id is None:
            raise ServiceError("本次选举的上级选举不在系统中，上级的同意、批复请在选举页面登记。")
        if election.stage != spec.stage:
            raise ServiceError(f"选举现处于“{Stage(election.stage).label}”阶段，{spec.label}只能在“{spec.stage.label}”"
                               "阶段报送。")
        last = _latest(session, election_id, kind)
        if last is not None and last.status in WAITING:
            raise Conflict(f"{spec.label}已经报送（第{last.attempt}次），正在等待上级组织部门"
                           f"{'批复' if last.status == 'reviewed' else '审查'}，不能重复报送。")
        if last is not None and last.status == "approved":
            raise Conflict(f"上级组织部门已{spec.decision_word}{spec.label}，无需再次报送。")
        from election.levels.services.reports_people import frozen_people

        people = frozen_people(session, election, kind)
        report = UpwardReport(election_id=election_id, kind=kind, attempt=(last.attempt + 1) if last else 1,
                              status="submitted", people=people, cover_note=cover_note, unit_doc_number=unit_doc_number,
                              documents=[{"key": k, "name": n} for k, n in spec.documents],
                              submitted_by_id=actor.id, submitted_at=now)
        session.add(report)
        try:
            session.flush()
        except IntegrityError:  # the same attempt reported at once elsewhere
            raise Conflict(f"{spec.label}刚刚已由他人报送，请刷新页面查看。") from None
        congress = session.get(Congress, election.congress_id)
        notify.package_submitted(session, election, congress, report, now)
        what = f"第{report.attempt}次报送{spec.label}{len(people)}名" + (f"（{unit_doc_number}）" if unit_doc_number else "")
        _audit_both(session, actor, "levels.report.submit", report, election, f"“{election.title}”{what}",
                    {"package_kind": kind, "attempt": report.attempt, "people": [p["name"] for p in people],
                     "doc_number": unit_doc_number}, now)
    return report


def _latest(session: Session, election_id: int, kind: str) -> UpwardReport | None:
    return session.scalar(select(UpwardReport).where(UpwardReport.election_id == election_id, UpwardReport.kind == kind)
                          .order_by(UpwardReport.attempt.desc()).limit(1))


def _audit_both(session: Session, actor, action: str, report: UpwardReport, election: Election, summary: str,
                after: dict, now: datetime) -> None:
    """One entry on the package (the upper committee's side) and one in the child election's history."""
    audit_many(session, actor, action, [(report, summary, None, after), (election, summary, None, after)], now=now)


# --------------------------------------------------------------------------------------------------- decide
def _for_decision(session: Session, actor, report_id: int) -> tuple[UpwardReport, Election, Congress]:
    """The package locked for this decision, when the actor's upper committee is the one it was reported to."""
    require(scope.can_manage_congress(actor))
    report = session.scalar(select(UpwardReport).where(UpwardReport.id == report_id)
                            .with_for_update(of=UpwardReport).execution_options(populate_existing=True))
    election = session.get(Election, report.election_id) if report is not None else None
    congress = session.get(Congress, election.congress_id) if election is not None and election.congress_id else None
    if congress is None or not reaches(session, actor, congress.organisation_id):
        raise NotFound("报送材料不存在，或不是报送给您单位的。")
    return report, election, congress


def _need_waiting(report: UpwardReport) -> None:
    if report.status not in WAITING:
        spec = KINDS[report.kind]
        done = f"已{spec.decision_word}" if report.status == "approved" else "已退回"
        raise Conflict(f"这份{spec.label}（第{report.attempt}次报送）{done}，不能再作决定；请刷新页面查看。")


def review_report(session: Session, actor, report_id: int, note: str, now: datetime) -> UpwardReport:
    """初步审查 of the 预备人选 (approval packages only): passed, with a note; the 批复 comes next."""
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ServiceError(f"审查意见不能超过{MAX_TEXT}字。")
    with transaction(session):
        report, election, _congress = _for_decision(session, actor, report_id)
        if report.kind != "approval":
            raise ServiceError("只有预备人选需要初步审查；初步人选请直接同意，选举结果请直接确认收到。")
        _need_waiting(report)
        if report.status == "reviewed":
            raise Conflict("这份预备人选已经通过初步审查，请作出批复。")
        report.status, report.reviewed_by_id, report.reviewed_at, report.review_note = "reviewed", actor.id, now, note
        notify.package_decided(session, election, report, now)
        _audit_both(session, actor, "levels.report.review", report, election,
                    f"“{election.title}”预备人选（第{report.attempt}次报送）通过初步审查" + (f"：{note}" if note else ""),
                    {"status": "reviewed", "note": note}, now)
    return report


def approve_report(session: Session, actor, report_id: int, decided_on: date, doc_number: str, note: str,
                   now: datetime, *, today: date | None = None) -> UpwardReport:
    """同意 the 初步人选, 批复 the reviewed 预备人选 (文号 and date), or 收到 the result (date). In the same transaction
    the child election gets what its stage guard waits for: the recorded consent or 批复 (决定机关 = the upper
    committee, its 文号 and date), or the result marked reported (on the day it was submitted, under the
    选举单位's own 文号)."""
    doc_number, note = (doc_number or "").strip(), (note or "").strip()
    if len(doc_number) > 64 or len(note) > MAX_TEXT:
        raise ServiceError(f"文号不能超过64字，说明不能超过{MAX_TEXT}字。")
    today = today or to_local(now).date()
    with transaction(session):
        report, election, congress = _for_decision(session, actor, report_id)
        spec = KINDS[report.kind]
        _need_waiting(report)
        if report.kind == "approval" and report.status != "reviewed":
            raise ServiceError("预备人选须先经初步审查，再作批复。")
        if spec.decision_kind and not doc_number:
            raise ServiceError(f"请填写{spec.decision_word}的文号。")
        submitted_on = to_local(report.submitted_at).date()
        if decided_on > today or decided_on < submitted_on:
            raise ServiceError(f"{spec.decision_word}日期应在报送日期{submitted_on.isoformat()}和今天"
                               f"{today.isoformat()}之间，请核对。")
        report.status, report.decided_by_id, report.decided_at, report.decided_on = "approved", actor.id, now, decided_on
        report.doc_number, report.decision_note = doc_number, note
        body = congress.organisation.name if congress.organisation is not None else "上级组织部门"
        audit(session, actor, "levels.report.approve", report,
              summary=f"{spec.decision_word}“{election.title}”的{spec.label}（第{report.attempt}次报送）"
                      + (f"，{doc_number}" if doc_number else "") + f"，{decided_on.isoformat()}",
              after={"status": "approved", "doc_number": doc_number, "on": decided_on, "summary": note}, now=now)
        if spec.decision_kind:  # the child's own history: the recorded decision, as the stage guard reads it
            from election.elections.services import write_decision

            write_decision(session, actor, election, spec.decision_kind, body, decided_on, doc_number, now,
                           note=f"上级组织部门在系统中{spec.decision_word}（第{report.attempt}次报送）")
        else:
            from election.voting.services.results import write_result_report

            write_result_report(session, actor, election.id, submitted_on, report.unit_doc_number, now)
        notify.package_decided(session, election, report, now)
    return report


def return_report(session: Session, actor, report_id: int, reason: str, people: Mapping[str, str],
                  now: datetime) -> UpwardReport:
    """Return the list with a reason for the whole of it, or person by person (PEOPLE: person key -> reason; the
    others are marked approved). The package stays as it was; the 选举单位 reports again as the next attempt."""
    reason = (reason or "").strip()
    people = {k: (v or "").strip() for k, v in (people or {}).items()}
    if not reason and not people:
        raise ServiceError("退回须填写理由：整份名单的退回理由，或逐人勾选并填写理由。")
    if missing := [k for k, v in people.items() if not v]:
        raise ServiceError(f"逐人退回的人员须各自填写理由（缺{len(missing)}人）。")
    if len(reason) > MAX_TEXT or any(len(v) > MAX_TEXT for v in people.values()):
        raise ServiceError(f"退回理由不能超过{MAX_TEXT}字。")
    with transaction(session):
        report, election, _congress = _for_decision(session, actor, report_id)
        spec = KINDS[report.kind]
        _need_waiting(report)
        names = {p["key"]: p["name"] for p in report.people}
        if unknown := [k for k in people if k not in names]:
            raise ServiceError(f"{len(unknown)}名人员不在这份报送名单中，请刷新页面后重新勾选。")
        if people:
            session.add_all(UpwardReportItem(report_id=report.id, person_key=key, name=name,
                                             decision="returned" if key in people else "approved",
                                             reason=people.get(key, ""))
                            for key, name in names.items())
            listed = "；".join(f"{names[k]}（{v}）" for k, v in people.items())
            reason = f"{reason}；" if reason else ""
            reason = f"{reason}未通过{len(people)}人：{listed}"
        report.status, report.return_reason = "returned", reason
        report.decided_by_id, report.decided_at = actor.id, now
        notify.package_decided(session, election, report, now)
        _audit_both(session, actor, "levels.report.return", report, election,
                    f"退回“{election.title}”的{spec.label}（第{report.attempt}次报送）：{reason}",
                    {"status": "returned", "reason": reason, "people": sorted(names[k] for k in people)}, now)
    return report


def decision_recorded(session: Session, election_id: int, kind: str) -> ElectionDecision | None:
    return session.scalar(select(ElectionDecision).where(ElectionDecision.election_id == election_id,
                                                         ElectionDecision.kind == kind))
