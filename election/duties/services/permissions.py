"""Who may do what in 代表任期履职: the ``can_*`` predicates that the pages (to show a button) and the use cases
(to allow the action) share, the office a 党代表工作室 user is limited to, a user's own delegate record, and the row
lookup every use case starts with (a missing row: ``NotFound`` in Chinese)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import has_role
from election.core.roles import Role
from election.duties.models import TermDelegate
from workflow.common.results import Blocker


def can_manage_rules(user) -> bool:
    """Rule sets are edited by the 管理员."""
    return has_role(user, Role.admin)


def can_manage_delegates(user) -> bool:
    """Delegate roll, status changes, 补选, model decisions: the 组织部 (管理员, 选举办)."""
    return has_role(user, Role.admin, Role.office)


def can_view_duties(user) -> bool:
    return has_role(user, Role.admin, Role.office, Role.studio, Role.auditor)


def can_staff_office(user, office_id: int | None) -> bool:
    """Verify activities, handle petitions, rate: the 组织部, or the office's own staff (scoped to office_id)."""
    if has_role(user, Role.admin, Role.office):
        return True
    return has_role(user, Role.studio) and office_id is not None and user.office_id == office_id


def can_staff_an_office(user) -> bool:
    """The page-level form of ``can_staff_office``: the 组织部, or a studio worker with an office; the 审计 only
    reads. Decides whether a page shows the forms that act on an office's records (rate, verify, move)."""
    return can_staff_office(user, getattr(user, "office_id", None))


def can_record_duties(user) -> bool:
    """Logs activities and registers 提案 at all: a 代表 (his or her own), the 组织部 and office staff; not the 审计.
    The page-level form of ``can_log_for``."""
    return has_role(user, Role.delegate) or can_staff_an_office(user)


def can_log_for(user, delegate: TermDelegate) -> bool:
    """A delegate logs his or her own activities; office staff log them for the delegates of their office."""
    if has_role(user, Role.delegate):
        return delegate.user_id == user.id
    return can_staff_office(user, delegate.office_id)


def can_read_record(user, delegate: TermDelegate) -> bool:
    """A delegate's 履职纪实表: the delegate, the staff of his or her office (the 组织部 included) and the 审计, who
    reads everything and acts on nothing."""
    return (can_staff_office(user, delegate.office_id) or delegate.user_id == getattr(user, "id", None)
            or has_role(user, Role.auditor))


def office_scope(user) -> int | None:
    """The office a studio user is limited to (None: all offices)."""
    return user.office_id if has_role(user, Role.studio) else None


def delegate_of_user(session: Session, user) -> TermDelegate | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(select(TermDelegate).where(TermDelegate.user_id == user.id))


def _get(session: Session, model, obj_id: int, what: str):
    obj = session.get(model, obj_id)
    if obj is None:
        raise NotFound(f"{what}不存在。")
    return obj


def _named(session: Session, model, obj_id: int | None, what: str, allowed) -> object:
    """A row a request names (a path id, or a form or JSON field) that must lie in the caller's scope: a missing id
    and one out of scope answer alike (the same ``NotFound``, no name, no existence oracle)."""
    obj = session.get(model, obj_id) if obj_id is not None else None
    if obj is None or not allowed(obj):
        raise NotFound(f"{what}不存在。")
    return obj


def _raise_blockers(blockers: Sequence[Blocker]) -> None:
    if blockers:
        raise ServiceError("；".join(b.message for b in blockers))
