"""Who hears of a package (docs/rules.md §8.2), in the use case's own transaction (election.notifications.events):

- a package reported up: the upper committee's staff — active 上级组织部门 users whose part of the directory holds
  the congress's organisation (a user without one: the whole installation);
- a decision on it (初步审查, 同意/批复/收到, 退回): the 选举单位's 选举办 — active 选举办 users whose organisation is
  the election's own or one above it up to the 选举单位 the congress allocated seats to (never the upper committee's
  own staff); where the 选举单位 has no such user, the 选举办 users of the whole installation (no organisation).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.roles import Role
from election.directory.models import Organisation
from election.directory.scope import subtree_ids
from election.levels.services.reports_kinds import KINDS
from election.notifications.events import notify


def upper_staff(session: Session, congress) -> list[int]:
    rows = session.execute(select(User.id, User.organisation_id).where(User.role == Role.upper.value,
                                                                       User.active.is_(True))).all()
    parts: dict[int, frozenset[int]] = {}
    out = []
    for uid, org in rows:
        if org is not None and org not in parts:
            parts[org] = subtree_ids(session, org)
        if org is None or congress.organisation_id in parts[org]:
            out.append(uid)
    return out


def unit_office(session: Session, election) -> list[int]:
    """The 选举办 of the election's 选举单位: its organisation and those above it up to the 选举单位."""
    from election.levels.models import CongressUnit

    top = session.scalar(select(CongressUnit.organisation_id).where(CongressUnit.election_id == election.id))
    path, org_id = [], election.organisation_id
    while org_id is not None and org_id not in path:
        path.append(org_id)
        if org_id == top or top is None:
            break
        org_id = session.scalar(select(Organisation.parent_id).where(Organisation.id == org_id))
    office = select(User.id).where(User.role == Role.office.value, User.active.is_(True))
    users = list(session.scalars(office.where(User.organisation_id.in_(path)))) if path else []
    return users or list(session.scalars(office.where(User.organisation_id.is_(None))))


def package_submitted(session: Session, election, congress, report, now: datetime) -> int:
    spec = KINDS[report.kind]
    message = (f"“{election.title}”报送了{spec.label}（第{report.attempt}次，{len(report.people)}名），"
               f"请审查后作出{'初步审查和批复' if report.kind == 'approval' else spec.decision_word}。")
    return notify(session, upper_staff(session, congress), "package_submitted", message,
                  f"/levels/reports/{report.id}", dedup_key=f"package_submitted:{report.id}", now=now,
                  election_id=election.id)


def package_decided(session: Session, election, report, now: datetime) -> int:
    spec = KINDS[report.kind]
    if report.status == "returned":
        what = f"被上级组织部门退回：{report.return_reason}。请按意见调整后重新报送。"
    elif report.status == "reviewed":
        what = "已通过上级组织部门初步审查，等待批复。"
    else:
        what = f"上级组织部门已{spec.decision_word}" + (f"（{report.doc_number}）" if report.doc_number else "") + "。"
    message = f"“{election.title}”第{report.attempt}次报送的{spec.label}{what}"
    return notify(session, unit_office(session, election), "package_decided", message,
                  f"/levels/elections/{election.id}/reports", dedup_key=f"package_{report.status}:{report.id}",
                  now=now, election_id=election.id)
