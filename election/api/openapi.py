"""The OpenAPI 3.1 document, built from the endpoint registry (so it is always the code's own description)."""
from __future__ import annotations

from copy import deepcopy

from election.api import (
    COMPONENTS,
    ERROR,
    MAX_ID,
    REGISTRY,
    TAGS,
    Endpoint,
    load_resources,
    resolve,
    roles_text,
)

TITLE = "代表选举与履职管理系统 API"
VERSION = "1.0.0"

STATUS_TEXT = {400: "请求体不是有效的 JSON", 401: "缺少令牌，或令牌无效、过期、已吊销",
               403: "角色无权使用此接口", 404: "不存在，或属于其他单位", 409: "数据已被他人修改或状态冲突",
               413: "上传的内容过大", 422: "数据校验未通过（details 中逐项说明）"}
INTRO = (
    "以个人 API 令牌认证：在系统“个人设置 → API令牌”页面创建（令牌只显示一次），请求时加请求头 "
    "`Authorization: Bearer <令牌>`。登录会话的 Cookie 不能用于 API，API 也不需要 CSRF 令牌。"
    "令牌带有创建时账户的角色和单位范围：推荐单位经办人的令牌只能访问本单位的数据。\n\n"
    "列表接口支持 `page` 和 `per_page`（不超过100）分页。所有错误都以 "
    "`{\"error\": {\"code\": \"…\", \"message\": \"中文说明\", \"details\": […]}}` 返回。")


def _parameters(ep: Endpoint) -> list[dict]:
    params = []
    for converter, name in ep.path_params:
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema, "description": "编号"})
    for p in ep.query:
        params.append({"name": p.name, "in": "query", "required": p.required, "schema": deepcopy(p.schema),
                       "description": p.description})
    return params


def _error_statuses(ep: Endpoint) -> list[int]:
    statuses = set(ep.errors)
    if ep.auth != "none":
        statuses.add(401)
    if ep.auth == "bearer":
        statuses.add(403)
    if ep.path_params:
        statuses.add(404)
    if ep.query or ep.body is not None or ep.upload:
        statuses.add(422)
    if ep.body is not None:
        statuses.add(400)
    return sorted(statuses)


def _operation(ep: Endpoint) -> dict:
    description = ep.description
    if ep.auth == "bearer":
        description = (description + "\n\n" if description else "") + roles_text(ep.roles)
    op: dict = {"operationId": ep.operation_id, "summary": ep.summary, "tags": [ep.tag],
                "description": description, "parameters": _parameters(ep), "responses": {}}
    if ep.auth == "basic":
        op["security"] = [{"basic": []}]
    elif ep.auth == "none":
        op["security"] = []
    if ep.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": deepcopy(ep.body)}}}
    if ep.upload:
        file_schema = {"type": "object", "properties": {"file": {"type": "string", "contentMediaType":
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}, "required": ["file"]}
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": file_schema}}}
    success: dict = {"description": "成功"}
    if ep.response is not None:
        success["content"] = {ep.content_type: {"schema": deepcopy(ep.response)}}
    elif ep.content_type != "application/json":
        success["content"] = {ep.content_type: {"schema": {"type": "string"}}}
    op["responses"][str(ep.status)] = success
    for status in _error_statuses(ep):
        op["responses"][str(status)] = {"description": STATUS_TEXT.get(status, "错误"),
                                        "content": {"application/json": {"schema": ERROR}}}
    return op


def build_document(server_url: str = "/api/v1") -> dict:
    load_resources()
    paths: dict[str, dict] = {}
    for ep in REGISTRY:
        paths.setdefault(ep.path, {})[ep.method.lower()] = _operation(ep)
    used_tags = []
    for ep in REGISTRY:
        if ep.tag not in used_tags:
            used_tags.append(ep.tag)
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION, "description": INTRO},
        "servers": [{"url": server_url}],
        "tags": [{"name": t, "description": TAGS.get(t, "")} for t in used_tags],
        "paths": paths,
        "components": {
            "schemas": deepcopy(COMPONENTS),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "个人 API 令牌（以 dxt_ 开头）"},
                "basic": {"type": "http", "scheme": "basic", "description": "用户名和密码，仅用于创建令牌"},
            },
        },
        "security": [{"bearer": []}],
    }


# ---------------------------------------------------------------------------------------------- the HTML page
def describe(schema: dict, depth: int = 0) -> list[tuple[int, str, str, str]]:
    """Flatten a schema into (depth, field, type, description) rows for the human-readable page."""
    rows: list[tuple[int, str, str, str]] = []
    schema = resolve(schema)
    if "anyOf" in schema:
        schema = resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if schema.get("type") == "array":
        return describe(schema.get("items", {}), depth)
    for name, prop in schema.get("properties", {}).items():
        resolved = resolve(prop)
        if "anyOf" in resolved:
            resolved = resolve(next(s for s in resolved["anyOf"] if s.get("type") != "null"))
        rows.append((depth, name, type_name(prop), resolved.get("description", "")))
        if depth < 3 and (resolved.get("type") == "object" or
                          (resolved.get("type") == "array" and resolve(resolved.get("items", {})).get("properties"))):
            rows.extend(describe(resolved, depth + 1))
    return rows


def type_name(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_name(s) for s in schema["anyOf"])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if schema.get("type") == "array":
        return f"array<{type_name(schema.get('items', {}))}>"
    if "enum" in schema:
        return f"{kind}（{' / '.join(map(str, schema['enum']))}）"
    if "format" in schema:
        return f"{kind}（{schema['format']}）"
    return kind
