"""What the print views show: read-only queries, scoped like the pages they print.

Lists of people come back in 姓氏笔画 order (来源: docs/rules.md §3.4, workflow.common.strokes); lists of things (petitions,
proposals) keep their page's order. Points and rankings are only *called* here (election.duties.services), never
computed again.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.directory.models import DelegateOffice
from election.duties import services as duty_svc
from election.duties.models import ActivityRecord, Proposal, TermDelegate
from election.duties.services.record_form import RecordForm, record_form
from workflow.common.strokes import sort_by_name

ACTIVITY_STATUS_LABELS = {"pending": "待核实", "verified": "已核实", "returned": "已退回"}


@dataclass(frozen=True)
class OfficeGroup:
    """The delegates of one 党代表工作室 (or of none), in 姓氏笔画 order."""

    office: str
    delegates: list[TermDelegate]


def delegates_by_office(session: Session, actor, office_id: int | None = None, *,
                        serving_only: bool = False) -> list[OfficeGroup]:
    """The delegate roll grouped by office (a studio: its own office only), names in 姓氏笔画 order."""
    scope = duty_svc.office_scope(actor)
    if scope is not None:
        office_id = scope
    q = select(TermDelegate)
    if office_id is not None:
        q = q.where(TermDelegate.office_id == office_id)
    if serving_only:
        q = q.where(TermDelegate.status == "serving")
    people = list(session.scalars(q.order_by(TermDelegate.id)).unique())
    offices = dict(session.execute(select(DelegateOffice.id, DelegateOffice.name).order_by(DelegateOffice.id)).all())
    groups: dict[int | None, list[TermDelegate]] = {}
    for d in people:
        groups.setdefault(d.office_id, []).append(d)
    order = [oid for oid in offices if oid in groups] + ([None] if None in groups else [])
    return [OfficeGroup(offices.get(oid, "未编入工作室"), sort_by_name(groups[oid], lambda d: d.name)) for oid in order]


@dataclass(frozen=True)
class DelegateActivities:
    delegate: TermDelegate
    activities: list[ActivityRecord]


def activities_by_delegate(session: Session, actor, first: date, last: date,
                           office_id: int | None = None) -> list[DelegateActivities]:
    """Every activity logged between FIRST and LAST, per delegate in 姓氏笔画 order, by date; one query."""
    scope = duty_svc.office_scope(actor)
    if scope is not None:
        office_id = scope
    q = (select(ActivityRecord).join(TermDelegate, TermDelegate.id == ActivityRecord.delegate_id)
         .where(ActivityRecord.on >= first, ActivityRecord.on <= last)
         .order_by(ActivityRecord.on, ActivityRecord.id))
    if office_id is not None:
        q = q.where(TermDelegate.office_id == office_id)
    per: dict[int, list[ActivityRecord]] = {}
    people: dict[int, TermDelegate] = {}
    for a in session.scalars(q).unique():
        per.setdefault(a.delegate_id, []).append(a)
        people[a.delegate_id] = a.delegate
    return [DelegateActivities(d, per[d.id]) for d in sort_by_name(people.values(), lambda d: d.name)]


def proposals_for(session: Session, actor, delegate: TermDelegate | None, limit: int = 300) -> list[Proposal]:
    """The proposals a user sees: a delegate's own, a studio's office, everyone's for the 组织部; newest first."""
    q = (select(Proposal).join(TermDelegate, TermDelegate.id == Proposal.lead_delegate_id)
         .order_by(Proposal.submitted_on.desc(), Proposal.id.desc()).limit(limit))
    scope = duty_svc.office_scope(actor)
    if delegate is not None:
        q = q.where(Proposal.lead_delegate_id == delegate.id)
    elif scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    return list(session.scalars(q).unique())


def duty_record(session: Session, actor, delegate_id: int, year: int) -> RecordForm:
    """The 履职纪实表 the .docx prints (services/record_form.py): the delegate's own, or one of an office the user
    staffs; anything else is 'not found'."""
    return record_form(session, actor, delegate_id, year)


def roll_order(people: Iterable[TermDelegate]) -> list[TermDelegate]:
    """The delegate roll's order: by level and office as before, names in 姓氏笔画 order within each."""
    return sorted(sort_by_name(people, lambda d: d.name),
                  key=lambda d: (d.level, d.office_id is None, d.office_id or 0))


def names_in_stroke_order(items: Iterable, key=lambda x: x) -> list:
    """Any records by a name, 姓氏笔画 order (for lists that carry no election settings)."""
    return sort_by_name(items, key)
