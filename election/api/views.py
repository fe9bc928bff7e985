"""The JSON API under /api/v1 and the token pages under /account/tokens.

The API authenticates by ``Authorization: Bearer <token>`` only: the session cookie is never read for it
(``g.api_user`` comes from the token; ``current_user`` is not used), and CSRF does not apply. The account pages
are ordinary logged-in pages with CSRF, on a second blueprint registered together with ``bp``.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.exceptions import NotFound as HTTPNotFound
from werkzeug.routing import Map, Rule
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from election.api import ApiError, error_body, json_response, register_routes
from election.api import credentials as api_tokens
from election.api.openapi import STATUS_TEXT, build_document, describe, type_name
from election.core.clock import utcnow
from election.core.db import db
from election.core.exceptions import Conflict, NotFound, PermissionDenied, ServiceError
from election.core.extensions import csrf
from election.core.forms import ConfirmForm, Form
from workflow.common.results import DomainError

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
account_bp = Blueprint("account", __name__, url_prefix="/account")
csrf.exempt(bp)
bp.record_once(lambda state: state.app.register_blueprint(account_bp))

PUBLIC_ENDPOINTS = {"api.openapi_json", "api.docs", "api.unknown"}
BASIC_ENDPOINTS = {"api.create_token"}


# ---------------------------------------------------------------------------------------------- authentication
def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message)


@bp.before_request
def _authenticate():
    g.api_user = None
    g.api_token = None
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint in BASIC_ENDPOINTS or request.endpoint is None:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.strip().partition(" ")
    if not header.strip():
        raise _unauthorized("token_missing", "缺少API令牌。请在请求头中加入 Authorization: Bearer <令牌>；"
                                             "令牌在系统“个人设置 → API令牌”页面创建。登录会话不能用于API。")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _unauthorized("token_invalid", "认证方式不正确，请使用 Authorization: Bearer <令牌>。")
    now = utcnow()
    check = api_tokens.check_token(db.session, secret.strip(), now)
    if not check.ok:
        raise _unauthorized(check.code, check.message)
    api_tokens.record_use(db.session, check.token, now)
    g.api_user, g.api_token = check.user, check.token
    return


# ---------------------------------------------------------------------------------------------- errors as JSON
def _with_auth_header(response, status: int):
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    db.session.rollback()
    return _with_auth_header(json_response(error_body(exc.code, exc.message, exc.details), exc.status), exc.status)


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    db.session.rollback()
    if isinstance(exc, NotFound):
        status, code = 404, "not_found"
    elif isinstance(exc, PermissionDenied):
        status, code = 403, "forbidden"
    elif isinstance(exc, Conflict):
        status, code = 409, "conflict"
    else:  # a rule of the service refused the input or the state: say what to fix
        status, code = 422, "rule_violation"
    message = exc.message
    details = [{"message": part} for part in message.split("；")] if "；" in message else []
    return json_response(error_body(code, message, details), status)


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    db.session.rollback()
    return json_response(error_body(f"rule_violation.{exc.code}", exc.message), 422)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    status = exc.code or 500
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(status, "http_error")
    message = {404: "接口或数据不存在，请核对地址（接口说明见 /api/v1/docs）。",
               405: "该接口不支持此请求方式，请核对接口说明（/api/v1/docs）。",
               413: "上传的内容过大（不超过5MB），请精简后重试。"}.get(status) or STATUS_TEXT.get(status, "请求有误。")
    headers = {"Allow": ", ".join(exc.valid_methods)} if isinstance(exc, MethodNotAllowed) and exc.valid_methods else {}
    return json_response(error_body(code, message), status, headers)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    try:
        db.session.rollback()
    except Exception:  # pragma: no cover - the original error matters more
        log.exception("rollback failed")
    log.exception("unhandled API error on %s %s", request.method, request.path)
    return json_response(error_body("internal_error", "系统内部错误，已记录，操作没有生效。请稍后重试或联系管理员。"), 500)


# ---------------------------------------------------------------------------------------------- the document
@bp.get("/openapi.json")
def openapi_json():
    return json_response(build_document(request.script_root + bp.url_prefix))


@bp.get("/docs")
def docs():
    document = build_document(request.script_root + bp.url_prefix)
    operations = [(path, method.upper(), op) for path, item in document["paths"].items() for method, op in item.items()]
    return render_template("api/docs.html", document=document, operations=operations, describe=describe,
                           type_name=type_name)


register_routes(bp)


@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything: str):
    """Anything else under /api/v1: 405 when the path exists with other methods, else 404 (as JSON)."""
    own = current_app.extensions.get("api_rules")
    if own is None:
        own = Map([Rule(r.rule, endpoint=r.endpoint, methods=r.methods) for r in current_app.url_map.iter_rules()
                   if r.endpoint.startswith("api.") and r.endpoint != "api.unknown"])
        current_app.extensions["api_rules"] = own
    own.bind("localhost").match(request.path, method=request.method)  # raises MethodNotAllowed / NotFound
    raise HTTPNotFound()


# ---------------------------------------------------------------------------------------------- token pages
class TokenForm(Form):
    name = StringField("令牌名称", validators=[DataRequired("请填写令牌名称，便于日后识别"),
                                          Length(max=api_tokens.NAME_MAX, message="令牌名称不能超过64个字")])
    days = IntegerField("有效期（天）", default=api_tokens.DEFAULT_DAYS,
                        validators=[DataRequired("请填写有效期天数"),
                                    NumberRange(1, api_tokens.MAX_DAYS, f"有效期应为1至{api_tokens.MAX_DAYS}天")])


def _tokens_page(form: TokenForm, issued=None, status: int = 200):
    tokens = api_tokens.tokens_of(db.session, current_user)
    return render_template("api/tokens.html", form=form, tokens=tokens, issued=issued, now=utcnow(),
                           revoke_form=ConfirmForm()), status


@account_bp.get("/tokens")
@login_required
def tokens():
    return _tokens_page(TokenForm())


@account_bp.post("/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, status=422)
    try:
        issued = api_tokens.create_token(db.session, current_user, form.name.data, form.days.data, utcnow())
    except ServiceError as exc:
        form.name.errors = [*form.name.errors, exc.message]
        return _tokens_page(form, status=422)
    # the secret is rendered once, in this response only (never flashed: the session cookie is only signed)
    return _tokens_page(TokenForm(formdata=None), issued=issued)


@account_bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    from flask import flash, redirect, url_for

    try:
        token = api_tokens.revoke_token(db.session, current_user, token_id, utcnow())
    except Conflict as exc:
        flash(exc.message, "warning")
    else:
        flash(f"已吊销令牌“{token.name}”，使用它的程序将无法再访问系统。", "success")
    return redirect(url_for("account.tokens"))
