"""API tokens: create (with username and password), list and revoke one's own tokens."""
from __future__ import annotations

from election.api import (
    DATETIME,
    PAGE_PARAMS,
    B,
    I,
    S,
    component,
    endpoint,
    nullable,
    obj,
    page_of,
    paginate_list,
    tag,
    user,
    utc,
)
from election.api import credentials as api_tokens
from election.api.models import ApiToken
from election.core.clock import utcnow
from election.core.db import db

TAG = tag("令牌", "个人 API 令牌：创建（用户名和密码）、查看、吊销")

TOKEN = component("Token", obj({
    "id": I(), "name": S("令牌名称"), "prefix": S("令牌开头几位，用于识别"), "role": S("令牌携带的角色"),
    "unit_id": nullable(I("推荐单位令牌的单位编号")), "created_at": DATETIME(), "expires_at": DATETIME("到期时间（UTC）"),
    "revoked_at": nullable(DATETIME()), "last_used_at": nullable(DATETIME()), "active": B("当前可用"),
}))
ISSUED = component("IssuedToken", obj({"token": S("令牌全文：只显示这一次，请立即保存"), "info": TOKEN}))
NEW_TOKEN = obj({"name": S("令牌名称", minLength=1, maxLength=api_tokens.NAME_MAX),
                 "days": I(f"有效期天数（默认{api_tokens.DEFAULT_DAYS}）", minimum=1, maximum=api_tokens.MAX_DAYS)},
                required=["name"])


def token_json(t: ApiToken) -> dict:
    return {"id": t.id, "name": t.name, "prefix": t.prefix, "role": t.role, "unit_id": t.unit_id,
            "created_at": utc(t.created_at), "expires_at": utc(t.expires_at), "revoked_at": utc(t.revoked_at),
            "last_used_at": utc(t.last_used_at), "active": t.active_at(utcnow())}


@endpoint("POST", "/tokens", summary="创建令牌（用户名和密码）", tag=TAG, response=ISSUED, status=201, body=NEW_TOKEN,
          auth="basic", description="以 HTTP Basic 提供用户名和密码（连续5次错误锁定15分钟，与登录相同）。"
                                    "返回的令牌全文只显示这一次。也可以在系统“个人设置 → API令牌”页面创建。")
def create_token(args, body):
    issued = api_tokens.create_token(db.session, user(), body["name"], body.get("days", api_tokens.DEFAULT_DAYS),
                                     utcnow())
    return {"token": issued.secret, "info": token_json(issued.token)}


@endpoint("GET", "/tokens", summary="我的令牌", tag=TAG, response=page_of(TOKEN, "Token"), query=PAGE_PARAMS)
def list_tokens(args):
    return paginate_list(api_tokens.tokens_of(db.session, user()), args).as_dict(token_json)


@endpoint("DELETE", "/tokens/<int:token_id>", summary="吊销令牌", tag=TAG, response=TOKEN, errors=(409,),
          description="只能吊销自己的令牌（管理员可吊销任何人的令牌）。可以吊销正在使用的这个令牌。")
def revoke_token(token_id: int, args):
    return token_json(api_tokens.revoke_token(db.session, user(), token_id, utcnow()))
