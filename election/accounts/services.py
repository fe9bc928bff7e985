"""Use cases about accounts: create a user, log in with lockout."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.core.clock import format_local
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.roles import Role
from election.directory.models import DelegateOffice, Unit

MIN_PASSWORD_LENGTH = 8


def create_user(session: Session, actor: User | None, *, username: str, password: str, role: Role | str,
                display_name: str = "", unit_id: int | None = None, office_id: int | None = None,
                now: datetime | None = None) -> User:
    role = Role(role)
    username = username.strip()
    if not username:
        raise ServiceError("用户名不能为空。")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"密码至少需要{MIN_PASSWORD_LENGTH}个字符。")
    if role is Role.unit and unit_id is None:
        raise ServiceError("推荐单位经办人必须指定所属推荐单位。")
    if role is Role.studio and office_id is None:
        raise ServiceError("党代表工作室工作人员必须指定所属工作室。")
    with transaction(session):
        if session.scalar(select(func.count()).select_from(User).where(User.username == username)):
            raise ServiceError(f"用户名“{username}”已存在，请换一个。")
        if unit_id is not None and session.get(Unit, unit_id) is None:
            raise ServiceError("所选推荐单位不存在。")
        if office_id is not None and session.get(DelegateOffice, office_id) is None:
            raise ServiceError("所选党代表工作室不存在。")
        user = User(username=username, display_name=display_name or username, role=role.value,
                    unit_id=unit_id if role is Role.unit else None,
                    office_id=office_id if role is Role.studio else None)
        user.set_password(password)
        session.add(user)
        session.flush()
        audit(session, actor, "user.create", user, summary=f"创建用户“{user.display_name}”（{role.label}）",
              after={"username": username, "role": role.value, "unit_id": user.unit_id,
                     "office_id": user.office_id}, now=now)
    return user


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def authenticate(session: Session, username: str, password: str, now: datetime, *, max_failures: int = 5,
                 lock_minutes: int = 15) -> LoginResult:
    """Check a password; five failures in a row lock the account for 15 minutes (issue 2), audited."""
    # the same words for an unknown user and a wrong password: no account enumeration
    bad = LoginResult(None, f"用户名或密码错误。连续错误{max_failures}次，账户将被锁定{lock_minutes}分钟。")
    with transaction(session):
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            return bad
        if user.locked_until and user.locked_until > now:
            return LoginResult(None, f"该账户因连续{max_failures}次密码错误已被锁定，请于{format_local(user.locked_until)}后再试，"
                                     "或联系管理员解锁。")
        if not user.active:
            return LoginResult(None, "该账户已停用，请联系管理员。")
        if not user.check_password(password):
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lock_minutes)
                user.failed_logins = 0
                audit(session, None, "user.locked", user, summary=f"用户“{user.display_name}”连续{max_failures}次密码错误，"
                      f"账户锁定{lock_minutes}分钟", after={"locked_until": user.locked_until}, now=now)
                return LoginResult(None, f"密码连续错误{max_failures}次，账户已锁定{lock_minutes}分钟。")
            return bad
        user.failed_logins = 0
        user.locked_until = None
        audit(session, user, "user.login", user, summary=f"“{user.display_name}”登录系统", now=now)
        return LoginResult(user)
