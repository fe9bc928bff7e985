"""Personal API tokens: create and revoke (audited), and check a presented token.

The secret is returned once, by ``create_token``; only its SHA-256 is stored (a lookup by hash needs no
constant-time compare: an attacker learns nothing from the timing of a hash index). A token carries the role
and unit of its user at creation; it stops working when it expires, is revoked, or the user is deactivated or
changes role or unit.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.api.models import ApiToken
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role

TOKEN_PREFIX = "dxt_"          # 代表选举 token: easy to spot in logs and secret scanners
PREFIX_LENGTH = 12             # what the lists show: "dxt_" + 8 characters of the secret
MAX_DAYS = 365                 # tokens expire: a year at most (our setting), the user renews
DEFAULT_DAYS = 90
NAME_MAX = 64
USE_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most once a minute per token


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def validate_token_input(name: str, days: int | None) -> list[str]:
    """Every problem with a new token's name and lifetime, in Chinese (empty when fine)."""
    problems = []
    name = (name or "").strip()
    if not name:
        problems.append("请填写令牌名称（例如“党员管理信息系统同步”），便于日后识别和吊销")
    elif len(name) > NAME_MAX:
        problems.append(f"令牌名称不能超过{NAME_MAX}个字")
    if days is None or isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        problems.append(f"有效期应为1至{MAX_DAYS}天之间的整数")
    return problems


def create_token(session: Session, actor: User, name: str, days: int | None, now: datetime) -> IssuedToken:
    """A new token for ACTOR itself, valid DAYS days; the secret is in the result and nowhere else."""
    require(actor is not None and getattr(actor, "is_authenticated", False) and actor.active, "请先登录。")
    problems = validate_token_input(name, days)
    if problems:
        raise ServiceError("；".join(problems))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(session):
        token = ApiToken(user_id=actor.id, name=name.strip(), token_hash=hash_secret(secret),
                         prefix=secret[:PREFIX_LENGTH], role=actor.role,
                         unit_id=actor.unit_id if actor.role == Role.unit else None,
                         created_at=now, expires_at=now + timedelta(days=days))
        session.add(token)
        session.flush()
        audit(session, actor, "api_token.create", token, now=now,
              summary=f"“{actor.display_name}”创建API令牌“{token.name}”（{token.prefix}…，有效期{days}天）",
              after={"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at, "role": token.role})
    return IssuedToken(token, secret)


def revoke_token(session: Session, actor: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of ACTOR's tokens (the 管理员 may revoke anyone's). Another user's token is "not found"."""
    with transaction(session):
        token = session.get(ApiToken, token_id)
        if token is None or (token.user_id != getattr(actor, "id", None) and not has_role(actor, Role.admin)):
            raise NotFound("令牌不存在。")
        if token.revoked_at is not None:
            raise Conflict("该令牌已被吊销，无需重复操作。")
        token.revoked_at = now
        audit(session, actor, "api_token.revoke", token, now=now,
              summary=f"吊销API令牌“{token.name}”（{token.prefix}…，属于“{token.user.display_name}”）",
              before={"revoked_at": None}, after={"revoked_at": now})
    return token


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of presenting a token: the user, or a stable error code and what to do."""

    user: User | None
    token: ApiToken | None = None
    code: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


INVALID = TokenCheck(None, None, "token_invalid", "API令牌无效。请在“个人设置 → API令牌”中创建新令牌，并以 Authorization: Bearer <令牌> 发送。")


def check_token(session: Session, secret: str, now: datetime) -> TokenCheck:
    """Who presents SECRET, or why it is refused (expired, revoked, user changed). Reads only."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return INVALID
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None:
        return INVALID
    if token.revoked_at is not None:
        return TokenCheck(None, token, "token_revoked", "该API令牌已被吊销，请创建新令牌。")
    if now >= token.expires_at:
        return TokenCheck(None, token, "token_expired", "该API令牌已过期，请创建新令牌。")
    user = token.user
    if not user.active:
        return TokenCheck(None, token, "token_invalid", "令牌所属账户已停用，请联系管理员。")
    if user.role != token.role or (token.role == Role.unit and user.unit_id != token.unit_id):
        return TokenCheck(None, token, "token_invalid", "令牌所属账户的角色或单位已变更，原令牌失效，请重新创建令牌。")
    return TokenCheck(user, token)


def record_use(session: Session, token: ApiToken, now: datetime) -> None:
    """Remember when the token was last used (at most one write a minute; not audited: it changes no data)."""
    if token.last_used_at is not None and now - token.last_used_at < USE_RESOLUTION:
        return
    with transaction(session):
        session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                        .execution_options(synchronize_session=False))
