"""Who may do what at a session of the congress, and which sessions a user reaches: the one place the pages, the
use cases and the API ask.

- The 组织部 (管理员, 选举办) prepares the session, signs delegates in, reviews 提案 for 立案, sets up and publishes
  appraisals, records resolutions and follow-up, invites delegates to 列席 and registers 询问/质询.
- 监票计票人员 enter an appraisal's figures, two of them independently; they or the 组织部 confirm agreed entries.
- A 代表 reads the sessions of his own congress (notice, agenda, materials), signs himself in where the session
  allows it, and submits 提案 in the window.
- The 审计 reads everything and acts on nothing.
- A session belongs to the committee (organisation) whose congress it is: out of a user's part of the directory
  is "not found" (election.directory.scope), as for an election.
"""
from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession
from election.core.exceptions import NotFound
from election.core.permissions import has_role
from election.core.roles import Role
from election.directory.scope import org_scope
from election.duties.services.permissions import delegate_of_user


def can_manage_sessions(user) -> bool:
    return has_role(user, Role.admin, Role.office)


def can_view_sessions(user) -> bool:
    """The session pages: the 组织部, the 审计, the tellers (to count) and the delegates (their own congress)."""
    return has_role(user, Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)


def can_enter_appraisal(user) -> bool:
    return has_role(user, Role.teller)


def can_confirm_appraisal(user) -> bool:
    return has_role(user, Role.teller, Role.admin, Role.office)


def sessions_in_scope(query: Select, user, session: Session | None = None) -> Select:
    """Sessions in the user's part of the directory; a 代表 sees the sessions of his own congress."""
    if has_role(user, Role.delegate) and session is not None:
        me = delegate_of_user(session, user)
        return query.where(AssemblySession.congress == me.congress) if me else query.where(false())
    scope = org_scope(user)
    if scope is None:
        return query
    return query.where(AssemblySession.organisation_id.in_(scope)) if scope else query.where(false())


def session_or_404(session: Session, user, session_id: int, *, lock: bool = False) -> AssemblySession:
    query = sessions_in_scope(select(AssemblySession), user, session).where(AssemblySession.id == session_id)
    if lock:
        query = query.with_for_update(of=AssemblySession)
    found = session.scalar(query)
    if found is None:
        raise NotFound("未找到该次会议，或它不属于您的组织。")
    return found
