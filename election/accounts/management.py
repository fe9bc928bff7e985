"""Managing accounts: the admin edits a user (name, role, unit or office), unlocks him, resets his password to a
one-time one, disables and enables him (never deletes: the audit names him), and creates the 经办人 of many units
and the staff of many 党代表工作室 at once; every user changes his own password. The last active admin can neither
lose the role nor be disabled. Each use case is one transaction with one audit entry; a password appears only in
what the use case returns, to be shown once, and is stored hashed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.accounts.passwords import one_time_password, password_problem
from election.accounts.services import actor_part, check_organisation, check_scope_in_force
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import can_manage_users, require
from election.core.roles import Role
from election.directory.models import DelegateOffice, Organisation, Unit

ADMIN_ONLY = "只有管理员可以管理用户。"


def _user(session: Session, user_id: int, actor: User | None = None) -> User:
    """The account, locked; one outside a limited 管理员's part of the directory is "not found"."""
    user = session.scalar(select(User).where(User.id == user_id).with_for_update(of=User, key_share=True))
    part = actor_part(session, actor) if actor is not None and user is not None and user.id != actor.id else None
    if user is None or (part is not None and user.organisation_id not in part):
        raise NotFound("找不到该用户。")
    return user


def _locked_admins(session: Session) -> list[int]:
    """The active admins, locked in id order before anything else, so two admins demoting or disabling each other
    at the same moment queue here and the second sees the first's change (PostgreSQL; SQLite has one writer).
    FOR NO KEY UPDATE: the audit entry's reference to a user (a KEY SHARE check) never waits on it, which would
    deadlock with the audit chain's lock."""
    return list(session.scalars(select(User.id).where(User.role == Role.admin.value, User.active.is_(True))
                                .order_by(User.id).with_for_update(key_share=True)))


def _keep_an_admin(user: User, admins: list[int], *, new_role: str, active: bool) -> None:
    """Refuse to leave the system without an active admin."""
    if user.role != Role.admin or not user.active or (new_role == Role.admin and active):
        return
    if admins == [user.id]:
        raise ServiceError("这是系统中最后一个在用的管理员账户，不能停用或改为其他角色；请先为其他人创建管理员账户。")


def _check_scope(session: Session, role: Role, unit_id: int | None, office_id: int | None) -> None:
    if role is Role.unit and unit_id is None:
        raise ServiceError("推荐单位经办人必须指定所属推荐单位。")
    if role is Role.studio and office_id is None:
        raise ServiceError("党代表工作室工作人员必须指定所属工作室。")
    check_scope_in_force(session, unit_id, office_id)


_KEEP = object()  # update_user: the account keeps its 所属组织


def update_user(session: Session, actor: User, user_id: int, *, display_name: str, role: Role | str,
                unit_id: int | None = None, office_id: int | None = None, now: datetime | None = None,
                organisation_id=_KEEP) -> User:
    require(can_manage_users(actor), ADMIN_ONLY)
    role = Role(role)
    display_name = (display_name or "").strip()
    if not display_name:
        raise ServiceError("请填写姓名。")
    unit_id = unit_id if role is Role.unit else None
    office_id = office_id if role is Role.studio else None
    with transaction(session):
        admins = _locked_admins(session)
        user = _user(session, user_id, actor)
        organisation_id = user.organisation_id if organisation_id is _KEEP else organisation_id
        _check_scope(session, role, unit_id, office_id)
        if user.id != actor.id or organisation_id != user.organisation_id:
            check_organisation(session, actor, role, organisation_id, unit_id, office_id)
        elif role is Role.upper and organisation_id is None:
            check_organisation(session, None, role, organisation_id)
        _keep_an_admin(user, admins, new_role=role.value, active=user.active)
        before = {"display_name": user.display_name, "role": user.role, "unit_id": user.unit_id,
                  "office_id": user.office_id, "organisation_id": user.organisation_id}
        after = {"display_name": display_name, "role": role.value, "unit_id": unit_id, "office_id": office_id,
                 "organisation_id": organisation_id}
        changed = {k: v for k, v in after.items() if before[k] != v}
        if not changed:
            return user
        user.display_name, user.role, user.unit_id, user.office_id = display_name, role.value, unit_id, office_id
        user.organisation_id = organisation_id
        if {"role", "unit_id", "office_id", "organisation_id"} & changed.keys():
            user.session_version += 1  # what he may see changed: his open sessions end
        audit(session, actor, "user.update", user, summary=f"修改用户“{user.display_name}”",
              before={k: before[k] for k in changed}, after=changed, now=now)
    return user


def unlock_user(session: Session, actor: User, user_id: int, now: datetime | None = None) -> User:
    require(can_manage_users(actor), ADMIN_ONLY)
    with transaction(session):
        user = _user(session, user_id, actor)
        if user.locked_until is None and not user.failed_logins:
            raise ServiceError(f"“{user.display_name}”没有被锁定。")
        user.locked_until, user.failed_logins = None, 0
        audit(session, actor, "user.unlock", user, summary=f"解锁用户“{user.display_name}”", now=now)
    return user


@dataclass(frozen=True)
class IssuedPassword:
    user: User
    password: str   # shown once; stored only as its hash


def reset_password(session: Session, actor: User, user_id: int, now: datetime | None = None) -> IssuedPassword:
    """A new one-time password (shown once); the user must set his own at the next login. Unlocks him too, and
    ends his open sessions."""
    require(can_manage_users(actor), ADMIN_ONLY)
    password = one_time_password()
    with transaction(session):
        user = _user(session, user_id, actor)
        user.set_password(password)
        user.must_change_password = True
        user.locked_until, user.failed_logins = None, 0
        user.session_version += 1
        audit(session, actor, "user.reset_password", user,
              summary=f"重置用户“{user.display_name}”的密码（一次性密码，首次登录须修改；同时解除锁定）", now=now)
    return IssuedPassword(user, password)


def set_active(session: Session, actor: User, user_id: int, active: bool, now: datetime | None = None) -> User:
    """停用 / 启用: a disabled user cannot log in and his sessions end; nothing of his is deleted."""
    require(can_manage_users(actor), ADMIN_ONLY)
    with transaction(session):
        admins = [] if active else _locked_admins(session)
        user = _user(session, user_id, actor)
        if user.active == active:
            raise ServiceError(f"“{user.display_name}”已经是{'启用' if active else '停用'}状态。")
        if not active:
            _keep_an_admin(user, admins, new_role=user.role, active=False)
            user.session_version += 1
        user.active = active
        audit(session, actor, "user.enable" if active else "user.disable", user,
              summary=f"{'启用' if active else '停用'}用户“{user.display_name}”", now=now)
    return user


def change_own_password(session: Session, user: User, current: str, new: str, now: datetime | None = None) -> User:
    """The user's own new password (the policy applies); his other sessions end, this one goes on (the caller
    logs him in again with the new session generation)."""
    with transaction(session):
        locked = _user(session, user.id)
        if not locked.check_password(current):
            raise ServiceError("当前密码不正确。")
        if new == current:
            raise ServiceError("新密码不能与当前密码相同。")
        problem = password_problem(new, locked.username, (locked.display_name,))
        if problem:
            raise ServiceError(problem + "。")
        locked.set_password(new)
        locked.must_change_password = False
        locked.session_version += 1
        audit(session, locked, "user.change_password", locked,
              summary=f"“{locked.display_name}”修改了自己的密码（其他会话已结束）", now=now)
    return locked


# ------------------------------------------------------------------------------------------------ bulk creation
@dataclass(frozen=True)
class BulkRow:
    """One account to make: the sheet's row, the username, the name, and the 推荐单位 or 党代表工作室 by 编码."""

    row: int
    username: str
    display_name: str
    role: Role
    scope_code: str
    organisation_code: str = ""   # 所属组织编码: the part of the directory the account works in ("" = 全系统)


@dataclass(frozen=True)
class Slip:
    """One 账号通知单: who, where, the username and the one-time password (shown once, then gone)."""

    display_name: str
    scope_name: str
    role_label: str
    username: str
    password: str


class BulkRejected(ServiceError):
    """The sheet's rows that cannot become accounts: ``problems`` as (row, column, message); the message joins
    them with "；" as every ServiceError listing several reasons does."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__("；".join(text for _, _, text in problems))
        self.problems = problems


def bulk_create(session: Session, actor: User, rows: Sequence[BulkRow], now: datetime | None = None) -> list[Slip]:
    """All or nothing: every row becomes an account with a one-time password, or none does and the reasons come
    back by row (BulkRejected). Scopes are found by the directory's 编码 (the 推荐单位's, or the 党代表工作室's)."""
    require(can_manage_users(actor), ADMIN_ONLY)
    problems: list[tuple[int, str, str]] = []
    with transaction(session):
        units = {u.organisation.code if u.organisation else u.code: u for u in session.scalars(select(Unit))}
        offices = {o.organisation.code: o for o in session.scalars(select(DelegateOffice)) if o.organisation}
        orgs = {o.code: o for o in session.scalars(select(Organisation).where(
            Organisation.code.in_([r.organisation_code for r in rows if r.organisation_code])))}
        part = actor_part(session, actor)
        taken = set(session.scalars(select(User.username).where(User.username.in_([r.username for r in rows]))))
        seen: dict[str, int] = {}
        slips: list[Slip] = []
        for r in rows:
            scope = (units if r.role is Role.unit else offices).get(r.scope_code)
            what = "推荐单位" if r.role is Role.unit else "党代表工作室"
            if r.username in taken:
                problems.append((r.row, "用户名", f"第{r.row}行：用户名“{r.username}”已存在"))
            elif r.username in seen:
                problems.append((r.row, "用户名", f"第{r.row}行：用户名“{r.username}”与第{seen[r.username]}行重复"))
            seen.setdefault(r.username, r.row)
            if scope is None:
                problems.append((r.row, "所属编码", f"第{r.row}行：找不到编码为“{r.scope_code}”的{what}（请先在组织机构中录入）"))
            elif scope.organisation is not None and scope.organisation.retired_at is not None:
                problems.append((r.row, "所属编码", f"第{r.row}行：{what}“{scope.name}”已撤销"))
            elif part is not None and scope.organisation_id not in part:
                problems.append((r.row, "所属编码", f"第{r.row}行：{what}“{scope.name}”不在您负责的组织范围内"))
            org = orgs.get(r.organisation_code)
            problems.extend(_organisation_problems(r, org, part))
            if problems:
                continue
            password = one_time_password()
            user = User(username=r.username, display_name=r.display_name, role=r.role.value,
                        unit_id=scope.id if r.role is Role.unit else None,
                        office_id=scope.id if r.role is Role.studio else None, must_change_password=True,
                        organisation_id=org.id if org is not None else None)
            user.set_password(password)
            session.add(user)
            slips.append(Slip(r.display_name, scope.name, r.role.label, r.username, password))
        if problems:
            raise BulkRejected(problems)
        session.flush()
        audit(session, actor, "user.bulk_create", object_type="users", object_id="",
              summary=f"批量创建账户{len(slips)}个（一次性密码，首次登录须修改）",
              after={"usernames": [s.username for s in slips]}, now=now)
    return slips


def _organisation_problems(r: BulkRow, org: Organisation | None,
                           part: frozenset[int] | None) -> list[tuple[int, str, str]]:
    """The row's 所属组织编码: an organisation of the directory, in force, inside a limited 管理员's part (where it
    may not be left empty). 来源: docs/rules.md §8.4."""
    column = "所属组织编码"
    if r.organisation_code and org is None:
        return [(r.row, column, f"第{r.row}行：找不到编码为“{r.organisation_code}”的组织（请先在组织机构中录入）")]
    if org is not None and org.retired_at is not None:
        return [(r.row, column, f"第{r.row}行：所属组织“{org.name}”已撤销")]
    if part is not None and (org is None or org.id not in part):
        return [(r.row, column, f"第{r.row}行：所属组织应为您负责的组织或其下属组织，请填写其编码")]
    return []


def count_active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.role == Role.admin.value,
                                                                      User.active.is_(True))) or 0
