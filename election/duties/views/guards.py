"""Who may open a duties page and act on it: the guards the routes start with (duty staff, a duty user, those who
act on duty records, the 组织部), out of scope answering exactly like a missing id (404), and how a refused use
case is shown (403 and 404 raised, anything else flashed)."""
from __future__ import annotations

from flask import abort, flash
from flask_login import current_user

from election.core.exceptions import NotFound, PermissionDenied, ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.duties import services as svc


def _fail(exc: ServiceError) -> None:
    if isinstance(exc, (PermissionDenied, NotFound)):
        raise exc
    flash(exc.message, "danger")


def _require_staff() -> None:
    require(svc.can_view_duties(current_user), "您没有访问履职管理的权限。")


def _require_duty_user() -> None:
    """Staff of the duty area, or a delegate acting on his or her own records."""
    require(svc.can_view_duties(current_user) or has_role(current_user, Role.delegate), "您没有访问履职管理的权限。")


def _require_duty_writer(*extra: Role) -> None:
    """Those who act on duty records: the 组织部 and office staff (and EXTRA roles); the 审计 only reads."""
    require(svc.can_staff_an_office(current_user) or has_role(current_user, *extra), "您只能查看，不能办理此事项。")


def _require_managers() -> None:
    require(svc.can_manage_delegates(current_user), "只有组织部工作人员可以办理此事项。")


def _in_scope(obj, allowed) -> None:
    """Out of the user's office/own records answers exactly like a missing id: 404, no existence oracle."""
    if obj is None or not allowed(obj):
        abort(404)
