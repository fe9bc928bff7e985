"""The audit page's read: filtered, newest first, a fixed number of statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.display import name_column
from election.audit.labels import OBJECT_LABELS
from election.audit.models import AuditEntry
from election.core.clock import LOCAL_TZ


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def audit_page(session: Session, *, object_type: str | None = None, object_id: str | None = None,
               actor: str | None = None, page: int = 1, per_page: int = 50, object_name: str | None = None,
               date_from: date | None = None, date_to: date | None = None) -> AuditPage:
    """OBJECT_NAME matches the object's name (or its number); DATE_FROM/DATE_TO are local (Asia/Shanghai) days."""
    query = select(AuditEntry)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if object_name:
        query = query.where(_named(object_name, object_type))
    if date_from:
        query = query.where(AuditEntry.at >= _utc_start(date_from))
    if date_to:
        query = query.where(AuditEntry.at < _utc_start(date_to + timedelta(days=1)))
    if actor:
        query = query.where(or_(AuditEntry.actor_name.contains(actor),
                                AuditEntry.actor_id.in_(select(User.id).where(User.username == actor))))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(page, pages)
    entries = session.scalars(query.order_by(AuditEntry.seq.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return AuditPage(list(entries), page, pages, total)


def _utc_start(day: date) -> datetime:
    """The stored (naive UTC) instant at which the local DAY begins."""
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


def _named(text: str, object_type: str | None):
    """Entries whose object is named like TEXT (or numbered TEXT): one subquery per kind of named object."""
    conditions = [AuditEntry.object_id == text.strip()] if text.strip().isdigit() else []
    for table in ([object_type] if object_type else list(OBJECT_LABELS)):
        column = name_column(table)
        if column is None:
            continue
        model = column.class_
        ids = select(func.cast(model.id, AuditEntry.object_id.type)).where(column.contains(text.strip()))
        conditions.append((AuditEntry.object_type == table) & AuditEntry.object_id.in_(ids))
    return or_(*conditions) if conditions else AuditEntry.id.is_(None)
