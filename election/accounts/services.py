"""Use cases about accounts: create a user, log in with lockout, log out (ending the user's other sessions)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from election.accounts.models import User
from election.accounts.passwords import password_problem
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.roles import Role
from election.directory.models import DelegateOffice, Organisation, Unit
from election.directory.scope import subtree_ids


def create_user(session: Session, actor: User | None, *, username: str, password: str, role: Role | str,
                display_name: str = "", unit_id: int | None = None, office_id: int | None = None,
                now: datetime | None = None, one_time: bool = False, check_strength: bool = True,
                organisation_id: int | None = None) -> User:
    """A new account. ``one_time``: the password was given to the user by someone else (the admin), so his first
    login must set his own. ``check_strength`` is off only for the demo's published password."""
    role = Role(role)
    username = username.strip()
    if not username:
        raise ServiceError("用户名不能为空。")
    if len(username) > 64:
        raise ServiceError("用户名不超过64个字符。")
    problem = password_problem(password, username, (display_name,)) if check_strength else ""
    if problem:
        raise ServiceError(problem + "。")
    if role is Role.unit and unit_id is None:
        raise ServiceError("推荐单位经办人必须指定所属推荐单位。")
    if role is Role.studio and office_id is None:
        raise ServiceError("党代表工作室工作人员必须指定所属工作室。")
    with transaction(session):
        if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
            raise ServiceError(f"用户名“{username}”已存在，请换一个。")
        check_scope_in_force(session, unit_id, office_id, "，不能再为它建账户")
        check_organisation(session, actor, role, organisation_id, unit_id if role is Role.unit else None,
                           office_id if role is Role.studio else None)
        user = User(username=username, display_name=display_name or username, role=role.value,
                    unit_id=unit_id if role is Role.unit else None,
                    office_id=office_id if role is Role.studio else None, must_change_password=one_time,
                    organisation_id=organisation_id)
        user.set_password(password)
        session.add(user)
        session.flush()
        audit(session, actor, "user.create", user, summary=f"创建用户“{user.display_name}”（{role.label}）",
              after={"username": username, "role": role.value, "unit_id": user.unit_id,
                     "office_id": user.office_id, "organisation_id": organisation_id}, now=now)
    return user


def check_scope_in_force(session: Session, unit_id: int | None, office_id: int | None, retired_note: str = "") -> None:
    """The 推荐单位 and the 党代表工作室 a user is given exist and are not retired in the directory."""
    for model, scope_id, what in ((Unit, unit_id, "推荐单位"), (DelegateOffice, office_id, "党代表工作室")):
        if scope_id is None:
            continue
        scope = session.get(model, scope_id)
        if scope is None:
            raise ServiceError(f"所选{what}不存在。")
        if scope.organisation is not None and scope.organisation.retired_at is not None:
            raise ServiceError(f"所选{what}“{scope.name}”已撤销{retired_note}。")


def actor_part(session: Session, actor) -> frozenset[int] | None:
    """The part of the directory a (limited) 管理员 manages accounts in; None: the whole installation."""
    organisation_id = getattr(actor, "organisation_id", None)
    return None if organisation_id is None else subtree_ids(session, organisation_id)


def check_organisation(session: Session, actor, role: Role, organisation_id: int | None,
                       unit_id: int | None = None, office_id: int | None = None) -> None:
    """所属组织 of an account: required for the 上级组织部门 (the upper committee it works for); it exists and is not
    retired; a 管理员 limited to a part of the directory gives accounts only inside it — the organisation and the
    推荐单位 or 党代表工作室 alike. 来源: docs/rules.md §8.4."""
    if role is Role.upper and organisation_id is None:
        raise ServiceError("上级组织部门的账户必须选择所属组织（其所在的上级党委），请选择后再保存。")
    # locked (FOR KEY SHARE) and read afresh: retiring it at the same moment waits for this account, or this
    # account sees it retired — never an account given to an organisation retired in between (PostgreSQL)
    org = session.scalar(select(Organisation).where(Organisation.id == organisation_id)
                         .with_for_update(read=True, key_share=True)
                         .execution_options(populate_existing=True)) if organisation_id is not None else None
    if organisation_id is not None and org is None:
        raise ServiceError("所选所属组织不存在，请重新选择。")
    if org is not None and org.retired_at is not None:
        raise ServiceError(f"所选所属组织“{org.name}”已撤销，请选择在用的组织。")
    part = actor_part(session, actor)
    if part is None:
        return
    own = session.get(Organisation, actor.organisation_id)
    if organisation_id is None or organisation_id not in part:
        raise ServiceError(f"您只能为“{own.name}”及其下属组织的人员建立或修改账户，请在所属组织中选择其中之一。")
    for model, scope_id, what in ((Unit, unit_id, "推荐单位"), (DelegateOffice, office_id, "党代表工作室")):
        scope = session.get(model, scope_id) if scope_id is not None else None
        if scope is not None and scope.organisation_id not in part:
            raise ServiceError(f"所选{what}“{scope.name}”不在“{own.name}”之下，请选择本单位的{what}。")


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def login_refused_message(max_failures: int = 5, lock_minutes: int = 15) -> str:
    """The one answer to every refused password: a wrong one, an unknown username, a locked account. The same words
    for all three, so that neither a first try nor the N-th tells whether the username exists."""
    return (f"用户名或密码错误，或账户已被锁定。连续{max_failures}次密码错误后，账户将被锁定{lock_minutes}分钟，"
            "请稍后再试或联系管理员解锁。")


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_check(password: str) -> None:
    """An unknown username or a locked account costs one password hash, as a real check does: the same timing path."""
    from election.accounts import models as user_models

    method = user_models.PASSWORD_HASH_METHOD
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("no-such-user-0a5b", method=method)
    check_password_hash(_DUMMY_HASHES[method], password)


def authenticate(session: Session, username: str, password: str, now: datetime, *, max_failures: int = 5,
                 lock_minutes: int = 15) -> LoginResult:
    """Check a password; five failures in a row lock the account for 15 minutes (our setting), audited.

    The user's row is locked (SELECT … FOR UPDATE) before the lock and the counter are read, so requests sent at
    once for one username are checked one after the other: exactly ``max_failures`` passwords are tried before
    the lockout, however many arrive together (issue 19). A locked account's password is not checked at all."""
    bad = LoginResult(None, login_refused_message(max_failures, lock_minutes))
    with transaction(session):
        user = session.scalar(select(User).where(User.username == username.strip())
                              .with_for_update(of=User, key_share=True).execution_options(populate_existing=True))
        if user is None or (user.locked_until and user.locked_until > now):
            _dummy_check(password)
            return bad
        if not user.check_password(password):
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lock_minutes)
                user.failed_logins = 0
                audit(session, None, "user.locked", user, summary=f"用户“{user.display_name}”连续{max_failures}次密码错误，"
                      f"账户锁定{lock_minutes}分钟", after={"locked_until": user.locked_until}, now=now)
            return bad
        # only who knows the password learns that the account is disabled or its unit retired
        if not user.active:
            return LoginResult(None, "该账户已停用，请联系管理员。")
        retired = _retired_scope(user)
        if retired:
            return LoginResult(None, f"该账户所属的{retired}已撤销，不能再登录。如仍需工作，请联系管理员调整账户。")
        user.failed_logins = 0
        user.locked_until = None
        audit(session, user, "user.login", user, summary=f"“{user.display_name}”登录系统", now=now)
        return LoginResult(user)


def _retired_scope(user: User) -> str:
    """"推荐单位“X”" / "党代表工作室“X”" when the user's unit or office is retired in the directory, else ""."""
    for what, scope in (("推荐单位", user.unit), ("党代表工作室", user.office)):
        org = getattr(scope, "organisation", None)
        if org is not None and org.retired_at is not None:
            return f"{what}“{scope.name}”"
    return ""


def log_out(session: Session, user: User, now: datetime | None = None) -> None:
    """End every session of the user, this one and any other browser's (the session generation moves on)."""
    with transaction(session):
        locked = session.scalar(select(User).where(User.id == user.id).with_for_update(of=User, key_share=True))
        locked.session_version += 1
        audit(session, locked, "user.logout", locked, summary=f"“{locked.display_name}”退出登录（其所有会话结束）",
              now=now)


FIRST_RUN_LOCK = 0x5E7A9  # one first admin, even when the first-run page is sent twice at once (PostgreSQL)


def has_admin(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User).where(User.role == Role.admin.value)))


def create_first_admin(session: Session, *, username: str, display_name: str, password: str,
                       now: datetime | None = None) -> User:
    """系统初始化: the first admin of an empty system, from the first-run page; refused once any admin exists."""
    username, display_name = username.strip(), display_name.strip()
    if not username or len(username) > 64:
        raise ServiceError("请填写用户名（不超过64个字符）。")
    problem = password_problem(password, username, (display_name,))
    if problem:
        raise ServiceError(problem + "。")
    with transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FIRST_RUN_LOCK})
        if has_admin(session):
            raise ServiceError("系统已有管理员，初始化页面已关闭；请用管理员账户登录。")
        user = User(username=username, display_name=display_name or username, role=Role.admin.value)
        user.set_password(password)
        session.add(user)
        session.flush()
        audit(session, user, "user.first_admin", user, summary=f"系统初始化：创建第一个管理员“{user.display_name}”",
              after={"username": username}, now=now)
    return user
