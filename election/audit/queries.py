"""The audit page's read: filtered, newest first, a fixed number of statements."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def audit_page(session: Session, *, object_type: str | None = None, object_id: str | None = None,
               actor: str | None = None, page: int = 1, per_page: int = 50) -> AuditPage:
    query = select(AuditEntry)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if actor:
        query = query.where(or_(AuditEntry.actor_name.contains(actor),
                                AuditEntry.actor_id.in_(select(User.id).where(User.username == actor))))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(page, pages)
    entries = session.scalars(query.order_by(AuditEntry.seq.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return AuditPage(list(entries), page, pages, total)
