"""Who may do what between levels, and what a user reaches: the one place the levels pages, services and API ask.

- The upper committee's staff (上级组织部门) and the 管理员 set up the upper committee's election, its allocations
  and its own nominees, and decide on what a 选举单位 reported up — only for congresses of their own organisation.
- A 选举单位's 选举办 (and the 管理员) report their own election's packages up.
- Out of a user's part of the directory is "not found" (election.directory.scope); the helpers here add the
  congress a user may reach.
"""
from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from election.core.exceptions import NotFound
from election.core.permissions import can_manage_elections, has_role
from election.core.roles import Role
from election.directory.scope import org_scope
from election.levels.models import Congress

UPPER_STAFF = frozenset({Role.upper, Role.admin})


def can_manage_congress(user) -> bool:
    """Set up a congress, its allocations and nominees; decide on packages reported up to it."""
    return has_role(user, *UPPER_STAFF)


def can_view_congress(user) -> bool:
    """The upper committee's pages: its staff, the 管理员 and the 审计 (read only)."""
    return has_role(user, Role.upper, Role.admin, Role.auditor)


def can_report_up(user) -> bool:
    """A 选举单位's 选举办 submits its election's packages to the upper committee."""
    return can_manage_elections(user)


def congresses_in_scope(query: Select, user) -> Select:
    """Congresses whose upper committee lies in the user's part of the directory (all, for the whole installation)."""
    scope = org_scope(user)
    if scope is None:
        return query
    return query.where(Congress.organisation_id.in_(scope)) if scope else query.where(false())


def congress_or_404(session: Session, user, congress_id: int) -> Congress:
    congress = session.scalar(congresses_in_scope(select(Congress), user).where(Congress.id == congress_id))
    if congress is None:
        raise NotFound("未找到该上级选举，或它不属于您的组织。")
    return congress
