"""The JSON API: a small registry that routes, checks and documents every endpoint.

Each resource module declares its endpoints with :func:`endpoint`: method, path, roles, query parameters,
request body and response schema. The same declarations register the Flask routes, check the query and the
body before the view runs, refuse the wrong roles, and build the OpenAPI 3.1 document (``openapi.py``), so
the document cannot drift from the code. Views call the services (no rule is written twice) and return plain
data; errors are always ``{"error": {"code", "message", "details"}}``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from flask import Blueprint, Response, g, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.core.roles import Role
from workflow.common.text import hidden_message

# the resource modules, each registering its endpoints on import (add a module here to add a resource)
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
ALL_ROLES = tuple(Role)


# ---------------------------------------------------------------------------------------------- errors
class ApiError(Exception):
    """An error answer: HTTP status, stable code, Chinese message saying what to fix, details."""

    def __init__(self, status: int, code: str, message: str, details: Iterable[Any] = ()):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, list(details)


def error_body(code: str, message: str, details: Iterable[Any] = ()) -> dict:
    return {"error": {"code": code, "message": message, "details": list(details)}}


def not_found(what: str = "数据") -> ApiError:
    # the same answer for "missing" and "another unit's": existence never leaks
    return ApiError(404, "not_found", f"{what}不存在，或不属于您的单位。")


def validation(message: str, details: Iterable[Any] = ()) -> ApiError:
    return ApiError(422, "validation_failed", message, details)


# ---------------------------------------------------------------------------------------------- output
def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=_default)


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    response = Response(to_json(data), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def utc(value: datetime | None) -> str | None:
    return _default(value) if value is not None else None


# ---------------------------------------------------------------------------------------------- schemas
COMPONENTS: dict[str, dict] = {}


def component(name: str, schema: dict) -> dict:
    """Register a named schema once; returns its $ref."""
    COMPONENTS.setdefault(name, schema)
    return {"$ref": f"#/components/schemas/{name}"}


def S(description: str = "", **kw) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **kw}


def I(description: str = "", **kw) -> dict:
    return {"type": "integer", **({"description": description} if description else {}), **kw}


def B(description: str = "") -> dict:
    return {"type": "boolean", **({"description": description} if description else {})}


def DATE(description: str = "") -> dict:
    return S(description, format="date")


def DATETIME(description: str = "") -> dict:
    return S(description, format="date-time")


def nullable(schema: dict) -> dict:
    if "$ref" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def arr(items: dict, description: str = "", **kw) -> dict:
    return {"type": "array", "items": items, **({"description": description} if description else {}), **kw}


def obj(properties: Mapping[str, dict], required: Iterable[str] | None = None, *, description: str = "",
        extra: bool = False) -> dict:
    """An object schema; every property is required unless REQUIRED says otherwise; no others allowed."""
    schema: dict = {"type": "object", "properties": dict(properties),
                    "required": list(properties if required is None else required)}
    if not extra:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


ERROR = component("Error", obj({"error": obj({
    "code": S("稳定的错误代码，如 validation_failed、token_expired"),
    "message": S("中文说明：出了什么问题、如何修改"),
    "details": arr({}, "逐项说明，如逐行错误 {row, column, message} 或阻止原因 {code, message, source}"),
})}, description="所有错误的统一格式"))
BLOCKER = component("Blocker", obj({"code": S("稳定代码"), "message": S("中文：需要改正什么"),
                                     "source": S("规则来源")}, description="阻止操作的一条原因"))


def page_of(item: dict, name: str) -> dict:
    return component(f"{name}Page", obj({"items": arr(item), "page": I(minimum=1), "per_page": I(minimum=1),
                                         "total": I(minimum=0), "pages": I(minimum=1)},
                                        description="分页列表"))


# ---------------------------------------------------------------------------------------------- validation
_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list, "number": (int, float),
          "null": type(None)}
_TYPE_NAMES = {"string": "文本", "integer": "整数", "boolean": "true/false", "object": "对象", "array": "数组",
               "number": "数字", "null": "null"}


def _type_ok(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[kind])


def check_schema(schema: dict, value: Any, where: str = "") -> list[dict]:
    """Every way VALUE breaks SCHEMA (the subset this API uses), as {"field", "message"} in Chinese."""
    schema = resolve(schema)
    if "anyOf" in schema:
        if any(not check_schema(s, value, where) for s in schema["anyOf"]):
            return []
        return check_schema(schema["anyOf"][0], value, where)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_type_ok(value, k) for k in kinds):
            return [{"field": where,
                     "message": f"{_label(schema, where)}应为{'或'.join(_TYPE_NAMES[k] for k in kinds)}"}]
    problems: list[dict] = []

    def problem(text: str) -> None:  # the field's name is worked out only for a message actually given
        problems.append({"field": where, "message": text.format(label=_label(schema, where))})

    if "enum" in schema and value not in schema["enum"]:
        problem("{label}只能是：" + "、".join(map(str, schema["enum"])))
    if isinstance(value, str):
        if "minLength" in schema and len(value.strip()) < schema["minLength"]:
            problem("请填写{label}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problem(f"{{label}}不能超过{schema['maxLength']}个字")
    elif isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problem(f"{{label}}不能小于{schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problem(f"{{label}}不能大于{schema['maximum']}")
    elif isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                missing = _join(where, key)
                problems.append({"field": missing, "message": f"缺少{_label(resolve(props.get(key, {})), missing)}"})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                problems.extend(check_schema(props[key], item, _join(where, key)))
            elif isinstance(extra, dict):
                problems.extend(check_schema(extra, item, _join(where, key)))
            elif extra is False:
                problems.append({"field": _join(where, key), "message": f"不认识的字段“{_join(where, key)}”，请删除"})
    elif isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problem(f"{{label}}至少{schema['minItems']}项")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problem(f"{{label}}最多{schema['maxItems']}项")
        if "items" in schema:
            for i, item in enumerate(value):
                problems.extend(check_schema(schema["items"], item, f"{where}[{i}]"))
    return problems


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


_LABEL_END = re.compile(r"[：:（(，,；;。]| = ")


def _label(schema: dict, where: str) -> str:
    """How a message names a field: the Chinese name its schema gives, then the JSON key the caller sent, e.g.
    「文号（doc_number）」; a schema without a description is named by its key alone."""
    if not where:
        return "请求体"
    name = _LABEL_END.split(schema.get("description") or "", maxsplit=1)[0].strip()
    if not name or name.isascii() or len(name) > 24:
        return f"字段“{where}”"
    return f"{name}（{where}）"


# ---------------------------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Param:
    """A query parameter: name, schema (type, enum, minimum …) and a Chinese description."""

    name: str
    schema: dict
    description: str
    required: bool = False


MAX_ID = 2_147_483_647  # ids are 32-bit in both databases; a larger one is simply not found
PAGE_PARAMS = (Param("page", I(minimum=1, maximum=1_000_000, default=1), "页码，从1开始"),
               Param("per_page", I(minimum=1, maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE),
                     f"每页条数，不超过{MAX_PER_PAGE}"))


@dataclass
class Endpoint:
    method: str
    rule: str                    # Flask rule under /api/v1, e.g. /elections/<int:election_id>
    view: Callable
    summary: str
    tag: str
    response: dict | None        # schema of the success body (None: a file or HTML)
    status: int = 200
    roles: tuple[Role, ...] = ALL_ROLES
    query: tuple[Param, ...] = ()
    body: dict | None = None     # JSON body schema
    upload: bool = False         # multipart/form-data with a `file` (or the raw .xlsx body)
    auth: str = "bearer"         # bearer | basic | none
    description: str = ""
    errors: tuple[int, ...] = ()
    content_type: str = "application/json"
    operation_id: str = ""

    @property
    def path(self) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)

    @property
    def path_params(self) -> list[tuple[str, str]]:
        return re.findall(r"<(?:(\w+):)?(\w+)>", self.rule)


REGISTRY: list[Endpoint] = []


def endpoint(method: str, rule: str, *, summary: str, tag: str, response: dict | None, **kw):
    """Declare an API endpoint; the view receives the path arguments plus ``args`` (checked query) and, when a
    body is declared, ``body`` (checked JSON)."""

    def decorator(view: Callable) -> Callable:
        REGISTRY.append(Endpoint(method.upper(), rule, view, summary, tag, response,
                                 operation_id=kw.pop("operation_id", view.__name__), **kw))
        return view

    return decorator


def load_resources() -> list[Endpoint]:
    """Import every area's resource module (election.areas.API_MODULES): each registers its endpoints."""
    from election.areas import API_MODULES, import_all

    import_all(API_MODULES)
    return REGISTRY


def parse_query(params: Iterable[Param], source: Mapping[str, str]) -> dict:
    values: dict[str, Any] = {}
    problems: list[dict] = []
    for p in params:
        raw = source.get(p.name)
        schema = resolve(p.schema)
        if raw is not None and "\x00" in raw:
            problems.append({"field": p.name, "message": f"查询参数“{p.name}”含有不可见的控制字符，请删除"})
            continue
        if raw is None or raw == "":
            if p.required:
                problems.append({"field": p.name, "message": f"缺少查询参数“{p.name}”（{p.description}）"})
            values[p.name] = schema.get("default")
            continue
        value: Any = raw
        if schema.get("type") == "integer":
            if not re.fullmatch(r"-?\d{1,10}", raw.strip()):
                problems.append({"field": p.name, "message": f"查询参数“{p.name}”应为整数（{p.description}）"})
                continue
            value = int(raw)
        elif schema.get("type") == "boolean":
            if raw.lower() not in ("true", "false"):
                problems.append({"field": p.name, "message": f"查询参数“{p.name}”应为 true 或 false"})
                continue
            value = raw.lower() == "true"
        found = check_schema(schema, value, p.name)
        if found:
            problems.extend({"field": p.name, "message": f"查询参数{f['message']}"} for f in found)
            continue
        values[p.name] = value
    if problems:
        raise validation("查询参数有误，请按说明修改。", problems)
    return values


def read_json(schema: dict) -> Any:
    data = request.get_data(cache=True)
    if not data.strip():
        raise ApiError(400, "bad_json", "请求体为空，请以 JSON 格式提交（Content-Type: application/json）。")
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_json", "请求体不是有效的 JSON（UTF-8 编码），请检查引号、逗号和括号。") from None
    problems = check_schema(schema, body) + _nul_problems(body)
    if problems:
        raise validation("提交的数据有误，请按逐项说明修改。", problems)
    return body


def _nul_problems(value: Any, where: str = "") -> list[dict]:
    """Text with a NUL character (PostgreSQL cannot store it), an invisible direction control or a zero-width
    character (workflow.common.text): name the field instead of storing what does not read as it looks."""
    if isinstance(value, str):
        if "\x00" in value:
            return [{"field": where, "message": f"{where or '请求体'}含有不可见的控制字符，请删除"}]
        hidden = hidden_message(where or "请求体", value)
        return [{"field": where, "message": hidden}] if hidden else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            field = _join(where, key.replace("\x00", ""))
            found += _nul_problems(key, field) + _nul_problems(item, field)
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nul_problems(item, f"{where}[{i}]")]
    return []


def uploaded_file(what: str) -> bytes:
    """The .xlsx of an upload operation: the multipart ``file`` field, or the raw request body; none is a 422
    saying how to send WHAT (e.g. 名单文件)."""
    upload = request.files.get("file")
    data = upload.read() if upload is not None else (b"" if request.mimetype.startswith("multipart/") else request.get_data())
    if not data:
        raise validation(f"请上传{what}：multipart/form-data 的 file 字段，或以 .xlsx 内容作请求体。",
                         [{"field": "file", "message": "缺少文件"}])
    return data


def parse_date(text: str, field: str, label: str) -> date:
    """An ISO date (2026-03-31) from a JSON body; anything else is a 422 naming the field."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": field, "message": f"{label}应为有效日期，格式如 2026-03-31，现为“{text[:40]}”"}]) from None


def run(ep: Endpoint, kwargs: dict) -> Response:
    from election.directory.scope import path_in_scope

    user = g.get("api_user")
    if ep.auth == "bearer" and (user is None or user.role not in ep.roles):
        raise ApiError(403, "forbidden", "您的角色无权使用此接口。" + _roles_text(ep.roles))
    if any(isinstance(v, int) and not 0 < v <= MAX_ID for v in kwargs.values()):
        raise not_found()
    if user is not None and not path_in_scope(user, kwargs):  # another 选举单位's object: not found
        raise not_found()
    if ep.auth == "basic":
        g.api_user = _basic_user()
    args = parse_query(ep.query, request.args)
    call = dict(kwargs, args=args)
    if ep.body is not None:
        call["body"] = read_json(ep.body)
    result = ep.view(**call)
    if isinstance(result, Response):
        return result
    return json_response(result, ep.status)


def _basic_user():
    """HTTP Basic (username and password), only where declared (creating a token); same lockout as the login."""
    from election.accounts.services import authenticate
    from election.core.clock import utcnow
    from election.core.db import db

    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username or auth.password is None:
        raise ApiError(401, "credentials_missing", "创建令牌须提供用户名和密码（HTTP Basic，例如 curl -u 用户名:密码）。")
    result = authenticate(db.session, auth.username, auth.password, utcnow())
    if not result.ok:
        raise ApiError(401, "credentials_invalid", result.message)
    if result.user.must_change_password:  # a one-time password opens nothing but the page that replaces it
        raise ApiError(403, "password_change_required", "这是一次性密码：请先登录系统设置您自己的新密码，再创建令牌。")
    return result.user


def _roles_text(roles: Iterable[Role]) -> str:
    return f"可使用的角色：{'、'.join(Role(r).label for r in roles)}。"


def roles_text(roles: Iterable[Role]) -> str:
    return _roles_text(roles)


def register_routes(bp: Blueprint) -> None:
    for ep in load_resources():
        def view(_ep=ep, **kwargs):
            return run(_ep, kwargs)

        bp.add_url_rule(ep.rule, endpoint=ep.operation_id, view_func=view, methods=[ep.method])


def user():
    """The API caller (set from the bearer token; never from the session cookie)."""
    return g.api_user


# ---------------------------------------------------------------------------------------------- lists
@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    def as_dict(self, convert: Callable[[Any], dict]) -> dict:
        pages = max((self.total + self.per_page - 1) // self.per_page, 1)
        return {"items": [convert(x) for x in self.items], "page": self.page, "per_page": self.per_page,
                "total": self.total, "pages": pages}


def paginate(session: Session, query, args: Mapping[str, Any], *, scalars: bool = True) -> Page:
    """One COUNT and one page of rows (two queries, whatever the size)."""
    page, per_page = args.get("page") or 1, args.get("per_page") or DEFAULT_PER_PAGE
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    limited = query.offset((page - 1) * per_page).limit(per_page)
    rows = list(session.scalars(limited)) if scalars else list(session.execute(limited).all())
    return Page(rows, page, per_page, total)


def paginate_list(items: list, args: Mapping[str, Any]) -> Page:
    page, per_page = args.get("page") or 1, args.get("per_page") or DEFAULT_PER_PAGE
    return Page(items[(page - 1) * per_page: page * per_page], page, per_page, len(items))


def blockers(items: Iterable) -> list[dict]:
    return [{"code": b.code, "message": b.message, "source": b.source} for b in items]


TAGS: dict[str, str] = {}


def tag(name: str, description: str) -> str:
    TAGS.setdefault(name, description)
    return name
