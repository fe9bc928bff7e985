"""Roles and permission predicates: the one place that decides who may do what.

Pages use the predicates to show buttons; POST handlers and services use the same predicates to allow
the action, so the two never disagree.
"""
from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from flask import abort
from flask_login import current_user

from election.core.exceptions import PermissionDenied
from election.core.roles import Role

if TYPE_CHECKING:  # pragma: no cover
    from election.accounts.models import User


ELECTION_STAFF = frozenset({Role.admin, Role.office})
ELECTION_READERS = frozenset({Role.admin, Role.office, Role.inspector, Role.discipline, Role.teller, Role.auditor})


def has_role(user: User | None, *roles: Role) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role in roles)


def can_manage_elections(user: User | None) -> bool:
    return has_role(user, *ELECTION_STAFF)


def can_edit_wording(user: User | None) -> bool:
    """公文措辞: the 选举办 (and the 管理员, who may do everything) change an election's wording of its 公示 and
    情况报告; the same predicate shows the page's buttons and allows the POST."""
    return has_role(user, *ELECTION_STAFF)


def can_view_election(user: User | None) -> bool:
    """Election-wide pages (all units' data). A unit user sees only its own unit pages."""
    return has_role(user, *ELECTION_READERS)


# the roles whose work other systems feed or read in bulk: the 组织部 and the office (organisations, elections),
# a unit (its list from its own member records), a studio (activities and petitions from its ledger) and the
# 审计 (the audit log into its tools). A 代表, 考察组, 纪检 or 计票 person records their own judgment by hand (the two
# tellers' entries must be made by the two people), so the 工作台 header offers them no API令牌.
API_USERS = frozenset({Role.admin, Role.office, Role.unit, Role.studio, Role.auditor})


def can_use_api(user: User | None) -> bool:
    return has_role(user, *API_USERS)


def can_view_unit(user: User | None, unit_id: int) -> bool:
    if can_view_election(user):
        return True
    return has_role(user, Role.unit) and user.unit_id == unit_id


def can_edit_unit_list(user: User | None, unit_id: int) -> bool:
    return has_role(user, Role.unit) and user.unit_id == unit_id


def can_view_audit(user: User | None) -> bool:
    return has_role(user, Role.admin, Role.auditor)


def can_manage_users(user: User | None) -> bool:
    return has_role(user, Role.admin)


def can_open_duties(user: User | None) -> bool:
    """The term-duty area: staff and auditors see the offices' work, a delegate his or her own."""
    return has_role(user, Role.admin, Role.office, Role.studio, Role.delegate, Role.auditor)


def can_view_sessions(user: User | None) -> bool:
    """党代会年会 (the NAV entry): the 组织部, the 审计, the tellers and the delegates
    (= election.assembly.permissions.can_view_sessions)."""
    return has_role(user, Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)


def can_see_full_id_numbers(user: User | None) -> bool:
    """ID numbers are shown whole only to the 管理员 (our rule); everyone else sees them masked."""
    return has_role(user, Role.admin)


def require_role(*roles: Role):
    """View decorator: 403 unless the logged-in user has one of the roles (login_required comes first)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require(allowed: bool, message: str = "您没有执行此操作的权限。") -> None:
    """In services: stop with PermissionDenied (shown as 403) when a predicate says no."""
    if not allowed:
        raise PermissionDenied(message)


def can_manage_directory(user: User | None) -> bool:
    """组织机构: the 管理员 and the 选举办 add, edit, move, retire and import organisations."""
    return has_role(user, Role.admin, Role.office)


def can_view_directory(user: User | None) -> bool:
    return has_role(user, Role.admin, Role.office, Role.auditor)
