"""用户管理 over the API, as the admin's pages do it: list and read accounts, create one (its one-time password in
the answer only, as the 账号通知单 shows it), create many from the sheet (all or nothing, errors by row and column),
edit a user's name, role and scope, disable, enable, reset the password (a new one-time one, shown once) and unlock.
Each write calls the same use case as the page (election.accounts.services / management): one transaction, one
audit entry. No answer carries a password hash, and a one-time password appears only in the answer that made it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from election.accounts import management
from election.accounts.models import User
from election.accounts.passwords import one_time_password
from election.accounts.readers import parse_accounts_sheet
from election.accounts.services import create_user as create_account
from election.api import (
    DATETIME,
    MAX_ID,
    PAGE_PARAMS,
    ApiError,
    B,
    I,
    Param,
    S,
    arr,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate,
    tag,
    uploaded_file,
    user,
    utc,
    validation,
)
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role
from election.core.xlsx import SheetRejected
from election.directory.scope import org_scope

TAG = tag("用户管理", "管理员管理账户：创建（一次性密码只显示一次）、批量创建、修改、停用、启用、重置密码、解锁")
ADMIN = (Role.admin,)  # = election.core.permissions.can_manage_users, as the pages (require_role(Role.admin))
ROLES = [r.value for r in Role]
SCOPE_ID = I("编号", minimum=1, maximum=MAX_ID)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


USER_EXAMPLE = {
    "id": 12, "username": "chengguan01", "display_name": "王芳", "role": "unit", "role_label": "推荐单位经办人",
    "unit_id": 3, "unit_name": "城关街道党工委", "office_id": None, "office_name": None, "organisation_id": 2,
    "organisation_name": "中共某区委员会", "active": True,
    "locked": False, "locked_until": None, "must_change_password": True, "created_at": "2026-02-10T01:30:00Z"}
SLIP_EXAMPLE = {"display_name": "王芳", "scope_name": "城关街道党工委", "role_label": "推荐单位经办人",
                "username": "chengguan01", "password": "k7Qm-Za3p-W9xe"}
USER = component("Account", _example(obj({
    "id": I(), "username": S("用户名"), "display_name": S("姓名"), "role": S("角色", enum=ROLES),
    "role_label": S("角色名称"), "unit_id": nullable(I("所属推荐单位编号（推荐单位经办人）")),
    "unit_name": nullable(S("所属推荐单位")), "office_id": nullable(I("所属党代表工作室编号（工作室工作人员）")),
    "office_name": nullable(S("所属党代表工作室")),
    "organisation_id": nullable(I("所属组织编号：账户工作的组织机构部分（本组织及其下属组织）；空为全系统")),
    "organisation_name": nullable(S("所属组织")), "active": B("是否启用（停用的账户不能登录，其令牌失效）"),
    "locked": B("是否因连续输错密码而被锁定"), "locked_until": nullable(DATETIME("锁定到（UTC）")),
    "must_change_password": B("持一次性密码：下次登录须先设置自己的密码"), "created_at": DATETIME(),
}, description="一个账户（不含密码及其散列）"), USER_EXAMPLE))
SLIP = component("AccountSlip", _example(obj({
    "display_name": S("姓名"), "scope_name": S("所属推荐单位或党代表工作室（其他角色为空）"), "role_label": S("角色名称"),
    "username": S("用户名"), "password": S("一次性密码：只在这一次回答中出现，首次登录须改为自己的密码"),
}, description="账号通知单：交给本人的用户名和一次性密码"), SLIP_EXAMPLE))
ISSUED = component("IssuedAccount", _example(obj({"user": USER, "slip": SLIP},
                                                 description="账户及其账号通知单（一次性密码只显示这一次）"),
                                             {"user": USER_EXAMPLE, "slip": SLIP_EXAMPLE}))
BULK = component("BulkAccounts", _example(obj({"count": I("创建的账户数", minimum=0), "slips": arr(SLIP, "账号通知单")}),
                                          {"count": 1, "slips": [SLIP_EXAMPLE]}))

CREATE_IN = _example(obj({
    "username": S("用户名", minLength=1, maxLength=64), "display_name": S("姓名", minLength=1, maxLength=64),
    "role": S("角色", enum=ROLES),
    "unit_id": nullable({**SCOPE_ID, "description": "所属推荐单位编号（推荐单位经办人必填）"}),
    "office_id": nullable({**SCOPE_ID, "description": "所属党代表工作室编号（工作室工作人员必填）"}),
    "organisation_id": nullable({**SCOPE_ID, "description": "所属组织编号（组织机构中的组织；上级组织部门必填；"
                                                          "空为全系统；只限本组织范围的管理员只能填其范围内的组织）"}),
    "password": S("初始密码（不填则由系统生成一次性密码）；至少10个字符，不能包含用户名，不能太弱", maxLength=128),
}, required=["username", "display_name", "role"], description="新账户；密码为一次性密码，本人首次登录须修改"),
    {"username": "chengguan01", "display_name": "王芳", "role": "unit", "unit_id": 3},
    {"username": "xuanjuban02", "display_name": "李明", "role": "office", "organisation_id": 2})
EDIT_IN = _example(obj({
    "display_name": S("姓名", minLength=1, maxLength=64), "role": S("角色", enum=ROLES),
    "unit_id": nullable({**SCOPE_ID, "description": "所属推荐单位编号（角色为推荐单位经办人时必填）"}),
    "office_id": nullable({**SCOPE_ID, "description": "所属党代表工作室编号（角色为工作室工作人员时必填）"}),
    "organisation_id": nullable({**SCOPE_ID, "description": "所属组织编号（组织机构中的组织；上级组织部门必填；"
                                                          "空为全系统；只限本组织范围的管理员只能填其范围内的组织）"}),
}, required=[], description="只改提交的字段，其余保持不变"),
    {"display_name": "王芳"}, {"role": "studio", "office_id": 2}, {"role": "upper", "organisation_id": 1})
LIST_QUERY = (Param("role", S(enum=ROLES), "按角色筛选"),
              Param("unit_id", I(minimum=1, maximum=MAX_ID), "按所属推荐单位筛选"),
              Param("office_id", I(minimum=1, maximum=MAX_ID), "按所属党代表工作室筛选"),
              Param("active", B(), "true = 只列启用的，false = 只列停用的"), *PAGE_PARAMS)


def user_json(u: User) -> dict:
    locked = u.locked_until is not None and u.locked_until > utcnow()
    return {"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
            "role_label": u.role_label, "unit_id": u.unit_id, "unit_name": u.unit.name if u.unit else None,
            "office_id": u.office_id, "office_name": u.office.name if u.office else None,
            "organisation_id": u.organisation_id, "organisation_name": u.organisation.name if u.organisation else None,
            "active": u.active,
            "locked": locked, "locked_until": utc(u.locked_until) if locked else None,
            "must_change_password": bool(u.must_change_password), "created_at": utc(u.created_at)}


def slip_json(slip: management.Slip) -> dict:
    return {"display_name": slip.display_name, "scope_name": slip.scope_name, "role_label": slip.role_label,
            "username": slip.username, "password": slip.password}


def _slip(u: User, password: str) -> dict:
    scope = u.unit.name if u.unit else (u.office.name if u.office else "")
    return slip_json(management.Slip(u.display_name, scope, u.role_label, u.username, password))


def _user_or_404(user_id: int) -> User:
    """The account; one outside a limited 管理员's part of the directory is not found, as on the pages."""
    found = db.session.get(User, user_id)
    part = org_scope(user())
    if found is None or (part is not None and found.id != user().id and found.organisation_id not in part):
        raise not_found("用户")
    return found


def _fresh(user_id: int) -> dict:
    db.session.expire_all()
    return user_json(_user_or_404(user_id))


# ---------------------------------------------------------------------------------------------- reads
@endpoint("GET", "/users", summary="账户列表", tag=TAG, response=page_of(USER, "Account"), roles=ADMIN,
          query=LIST_QUERY, description="与“用户管理”页面相同的账户，按角色、用户名排列；可按角色、所属推荐单位、"
                                        "所属党代表工作室、是否启用筛选。不含密码及其散列。")
def list_users(args):
    query = select(User).options(joinedload(User.organisation)).order_by(User.role, User.username, User.id)
    part = org_scope(user())
    if part is not None:  # a 管理员 limited to a part of the directory: its accounts only
        query = query.where(User.organisation_id.in_(part))
    if args.get("role"):
        query = query.where(User.role == args["role"])
    if args.get("unit_id"):
        query = query.where(User.unit_id == args["unit_id"])
    if args.get("office_id"):
        query = query.where(User.office_id == args["office_id"])
    if args.get("active") is not None:
        query = query.where(User.active.is_(args["active"]))
    return paginate(db.session, query, args).as_dict(user_json)


@endpoint("GET", "/users/<int:user_id>", summary="一个账户", tag=TAG, response=USER, roles=ADMIN,
          description="账户的姓名、角色、所属单位、启用和锁定状态；不含密码及其散列，也不含任何一次性密码。")
def get_user(user_id: int, args):
    return user_json(_user_or_404(user_id))


# ---------------------------------------------------------------------------------------------- creating
@endpoint("POST", "/users", summary="创建账户（返回一次性密码）", tag=TAG, response=ISSUED, status=201, roles=ADMIN,
          body=CREATE_IN, description="与“用户管理”页面的“创建用户”同一用例：用户名不能重复；推荐单位经办人须指定所属"
                                      "推荐单位，工作室工作人员须指定所属党代表工作室（均须未撤销）。密码为一次性密码"
                                      "（不填则由系统生成），本人首次登录须改为自己的密码；它只出现在这一次回答的"
                                      "账号通知单（slip）中，不记入审计，以后也无法再查到。记一条审计记录。")
def create_user(args, body):
    password = body.get("password") or one_time_password()
    created = create_account(db.session, user(), username=body["username"], password=password, role=body["role"],
                             display_name=body["display_name"].strip(), unit_id=body.get("unit_id"),
                             office_id=body.get("office_id"), now=utcnow(), one_time=True,
                             organisation_id=body.get("organisation_id"))
    return {"user": user_json(created), "slip": _slip(created, password)}


@endpoint("POST", "/users/file", summary="批量创建账户（.xlsx，返回账号通知单）", tag=TAG, response=BULK, status=201,
          roles=ADMIN, upload=True, errors=(413,),
          description="与“批量创建账户”页面同一用例：上传账户表（表头：用户名、姓名、角色、所属编码，可加第五列"
                      "所属组织编码；角色为推荐单位经办人或党代表工作室工作人员；所属编码、所属组织编码为组织机构中的"
                      "编码；模板可在该页面下载），"
                      "multipart/form-data 的 file 字段，或以 .xlsx 内容作请求体。全部成功或全部不建：有任何错误则"
                      "details 中逐行列出（row 为表中的行号，column 为列名）。每个账户的一次性密码只出现在这一次"
                      "回答的账号通知单中。记一条审计记录。")
def bulk_create_users(args):
    data = uploaded_file("账户表")
    try:
        rows, errors = parse_accounts_sheet(data)
    except SheetRejected as exc:
        raise ApiError(422, "file_refused", exc.message) from None
    details = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    if not rows and not details:
        raise validation("账户表中没有任何账户，请按模板填写后重新上传。", [{"field": "file", "message": "没有数据行"}])
    if not details:
        try:
            slips = management.bulk_create(db.session, user(), rows, utcnow())
        except management.BulkRejected as exc:
            details = [{"row": row, "column": column, "message": text} for row, column, text in exc.problems]
        else:
            return {"count": len(slips), "slips": [slip_json(s) for s in slips]}
    raise ApiError(422, "row_errors", f"账户表有{len(details)}处错误，未创建任何账户。请按逐行说明改正后重新上传。", details)


# ---------------------------------------------------------------------------------------------- one account
@endpoint("PATCH", "/users/<int:user_id>", summary="修改账户（姓名、角色、所属单位）", tag=TAG, response=USER,
          roles=ADMIN, body=EDIT_IN,
          description="与修改用户页面同一用例：只改提交的字段，其余保持不变。推荐单位经办人须有所属推荐单位，工作室"
                      "工作人员须有所属党代表工作室（均须未撤销）；系统中最后一个在用的管理员不能改为其他角色。"
                      "角色或所属单位改变时，此人所有登录会话结束，原有令牌失效。有改动时记一条审计记录。")
def edit_user(user_id: int, args, body):
    target = _user_or_404(user_id)
    role = body.get("role", target.role)
    management.update_user(db.session, user(), target.id, display_name=body.get("display_name", target.display_name),
                           role=role, unit_id=body.get("unit_id", target.unit_id),
                           office_id=body.get("office_id", target.office_id), now=utcnow(),
                           organisation_id=body.get("organisation_id", target.organisation_id))
    return _fresh(target.id)


@endpoint("POST", "/users/<int:user_id>/disable", summary="停用账户", tag=TAG, response=USER, roles=ADMIN, errors=(422,),
          description="与修改用户页面的“停用”同一用例：停用后不能登录，所有登录会话结束，令牌失效；不删除任何记录。"
                      "系统中最后一个在用的管理员不能停用；已停用的再停用返回422。记一条审计记录。")
def disable_user(user_id: int, args):
    management.set_active(db.session, user(), _user_or_404(user_id).id, False, utcnow())
    return _fresh(user_id)


@endpoint("POST", "/users/<int:user_id>/enable", summary="启用账户", tag=TAG, response=USER, roles=ADMIN, errors=(422,),
          description="与修改用户页面的“启用”同一用例；已启用的再启用返回422。记一条审计记录。")
def enable_user(user_id: int, args):
    management.set_active(db.session, user(), _user_or_404(user_id).id, True, utcnow())
    return _fresh(user_id)


@endpoint("POST", "/users/<int:user_id>/reset", summary="重置密码（返回新的一次性密码）", tag=TAG,
          response=ISSUED, roles=ADMIN,
          description="与修改用户页面的“重置密码”同一用例：生成新的一次性密码（同时解除锁定，此人所有登录会话结束），"
                      "本人下次登录须改为自己的密码。新密码只出现在这一次回答的账号通知单（slip）中，不记入审计。"
                      "记一条审计记录。")
def reset_password(user_id: int, args):
    issued = management.reset_password(db.session, user(), _user_or_404(user_id).id, utcnow())
    return {"user": user_json(issued.user), "slip": _slip(issued.user, issued.password)}


@endpoint("POST", "/users/<int:user_id>/unlock", summary="解锁账户", tag=TAG, response=USER, roles=ADMIN, errors=(422,),
          description="与修改用户页面的“解锁”同一用例：清除连续输错密码造成的锁定；没有被锁定的返回422。记一条审计记录。")
def unlock_user(user_id: int, args):
    management.unlock_user(db.session, user(), _user_or_404(user_id).id, utcnow())
    return _fresh(user_id)
