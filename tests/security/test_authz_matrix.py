"""Authorisation matrix: every route of the app (and of the API, if installed) × every role, with
objects of the user's own unit/office and of another, checked against the one declared table in authz_table.py.

- allowed: no 401/403/404/405 and no 5xx; a GET answers 200 or a redirect that is not the login page;
- denied: 403 or 404 (anonymous: a redirect to the login page), and the page leaks nothing — no seeded name,
  ID number or unit name; for a unit/studio/delegate user it is the very same page as for an id that does not
  exist (no existence oracle; election readers such as 考察组 may know which ids exist, not what is behind them);
- pages a unit/studio/delegate user may open never show another unit's people;
- enumerating ids (1 … beyond the last) as a unit user or an inspector finds nothing but their own objects.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import url_for

from election.core.config import PROJECT_DIR
from election.core.roles import Role
from tests.security import conftest as sec
from tests.security.authz_table import ARG_LITERALS, ARG_OBJECTS, OWNERS, TABLE, Access, Route

ROLES: list[Role | None] = [None, *Role]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
LIMITED_ROLES = {Role.unit, Role.studio, Role.delegate}  # never see election-wide data of other units
_DYNAMIC = [re.compile(p) for p in (r'name="csrf_token"[^>]*>', r'nonce="[^"]*"', r'content="[^"]*"\s+name="csrf',
                                    r'name="csrf-token"[^>]*>')]


def _normalise(body: str) -> str:
    for p in _DYNAMIC:
        body = p.sub("", body)
    return body


def _endpoints(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        found.setdefault(rule.endpoint, set()).update(set(rule.methods or ()) & set(METHODS))
    return found


def _arguments(app, endpoint: str) -> set[str]:
    return {a for rule in app.url_map.iter_rules(endpoint) for a in rule.arguments}


@dataclass(frozen=True)
class Probe:
    role: Role | None
    endpoint: str
    method: str
    variant: str  # own | other | missing | plain
    url: str
    owns: bool


def _object_kind(app, endpoint: str) -> str | None:
    """The kind of the route's main object: the first id argument, in ARG_OBJECTS order."""
    args = _arguments(app, endpoint)
    return next((kind for arg, kind in ARG_OBJECTS.items() if arg in args), None)


def _owns(world: sec.World, role: Role | None, kind: str | None, variant: str) -> bool:
    if kind is None or role is None or variant != "own":
        return False
    if kind in world.own_by_role:
        return role in world.own_by_role[kind]
    return role in OWNERS.get(kind, frozenset())


def _object_id(world: sec.World, role: Role | None, kind: str, variant: str) -> int:
    if variant == "missing":
        return sec.MISSING_ID
    if variant == "own" and kind in world.own_by_role and role in world.own_by_role[kind]:
        return world.own_by_role[kind][role]
    pool = world.own if variant in ("own", "plain") else world.other
    if kind not in pool:
        pytest.fail(f"测试数据中没有“{kind}”对象：请在 tests/security/conftest.py 的 seed_world 中补充", pytrace=False)
    return pool[kind]


def build_url(app, world: sec.World, role: Role | None, endpoint: str, variant: str, **override) -> str:
    route = TABLE[endpoint]
    values: dict[str, object] = {}
    for arg in sorted(_arguments(app, endpoint)):
        if arg in override:
            values[arg] = override[arg]
        elif arg in route.args:
            values[arg] = route.args[arg]
        elif arg in ARG_OBJECTS:
            values[arg] = _object_id(world, role, ARG_OBJECTS[arg], variant)
        elif arg in ARG_LITERALS:
            values[arg] = ARG_LITERALS[arg]
        else:
            pytest.fail(f"路由 {endpoint} 的参数“{arg}”不知如何构造：请在 authz_table.py 的 ARG_OBJECTS/ARG_LITERALS "
                        f"或该路由的 args 中声明", pytrace=False)
    with app.test_request_context():
        return url_for(endpoint, **values)


def _form_data(route: Route, world: sec.World, variant: str) -> dict[str, object]:
    pool = world.own if variant in ("own", "plain") else world.other
    data: dict[str, object] = {}
    for k, v in route.data.items():
        if isinstance(v, str) and v.startswith("@"):  # a file to upload, path relative to the project
            data[k] = (io.BytesIO((PROJECT_DIR / v[1:]).read_bytes()), Path(v[1:]).name)
        else:
            data[k] = str(v).format(**pool)
    return data


def _send(client, isolated, method: str, url: str, data: dict, *, token: str | None = None, json=None):
    def go():
        with client.session_transaction() as cookie_session:  # flashes of an earlier request are not this page's
            cookie_session.pop("_flashes", None)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if json is not None:
            r = client.open(url, method=method, json=json, headers=headers)
        else:
            r = client.open(url, method=method, data=data, headers=headers)
        return r.status_code, r.headers.get("Location", ""), r.get_data(as_text=True) if r.mimetype.startswith(
            ("text/", "application/json")) else ""

    return isolated(go)


def _api_auth(world: sec.World, role: Role | None, endpoint: str, route: Route, variant: str) -> dict:
    """API routes authenticate with the role's token, never with the session cookie."""
    if not endpoint.startswith("api."):
        return {}
    pool = world.own if variant in ("own", "plain", "missing") else world.other
    json = _fill(route.json, pool) if route.json is not None else None
    return {"token": world.tokens.get(role) if role else None, "json": json}


def _fill(value, pool):
    if isinstance(value, str):
        return value.format(**pool)
    if isinstance(value, dict):
        return {k: _fill(v, pool) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, pool) for v in value]
    return value


def _is_login_redirect(status: int, location: str) -> bool:
    return status in (301, 302, 303) and "/login" in location


def _check(probe: Probe, access: Access | None, status: int, location: str, body: str, world) -> list[str]:
    allowed = access is not None and probe.variant != "missing" and (
        TABLE[probe.endpoint].public or access.allows(probe.role, probe.owns))
    who = probe.role.value if probe.role else "anonymous"
    where = f"{who:<10} {probe.method:<4} {probe.endpoint} [{probe.variant}] {probe.url} -> {status}"
    problems = []
    if status >= 500:
        return [f"{where}: 服务器错误"]
    if allowed:
        if access is not None and not access.probe_allowed:
            return []
        if status in (401, 403, 404, 405) or _is_login_redirect(status, location):
            problems.append(f"{where}: 应当允许，却被拒绝")
        elif probe.method == "GET" and status not in (200, 301, 302, 303):
            problems.append(f"{where}: 应当允许的 GET 未返回 200 或跳转")
        if probe.role in LIMITED_ROLES:
            leaked = [s for s in world.other_secrets if s in body]
            if leaked:
                problems.append(f"{where}: 页面泄露了其他单位的数据 {leaked}")
    else:
        if probe.role is None and not TABLE[probe.endpoint].public:
            if not (_is_login_redirect(status, location) or status in (401, 403)):
                problems.append(f"{where}: 未登录访问应跳转到登录页")
        elif status not in (403, 404):
            problems.append(f"{where}: 应当拒绝（403/404）")
        leaked = [s for s in world.all_secrets if s in body]
        if leaked:
            problems.append(f"{where}: 拒绝页面泄露了 {leaked}")
    return problems


# ------------------------------------------------------------------------------------------------ the table itself
def test_authz_table_declares_every_route(app):
    missing = sorted(set(_endpoints(app)) - set(TABLE))
    assert not missing, ("以下路由没有在 tests/security/authz_table.py 的 TABLE 中声明访问权限，请补充：\n  "
                         + "\n  ".join(missing))


def test_authz_table_methods_match_routes(app):
    wrong = []
    for endpoint, methods in _endpoints(app).items():
        route = TABLE.get(endpoint)
        if route is None:
            continue
        declared = {m for m in METHODS if route.access(m) is not None}
        if declared != methods:
            wrong.append(f"{endpoint}: 路由提供 {sorted(methods)}，表中声明 {sorted(declared)}")
    assert not wrong, "\n".join(wrong)


# ------------------------------------------------------------------------------------------------ the matrix
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_authz_matrix_role(role, app, world, role_clients, isolated):
    client = role_clients[role]
    problems: list[str] = []
    checked = 0
    for endpoint, methods in sorted(_endpoints(app).items()):
        route = TABLE.get(endpoint)
        if route is None:
            continue  # reported by test_authz_table_declares_every_route
        kind = _object_kind(app, endpoint)
        variants = ("own", "other") if kind else ("plain",)
        if kind and kind not in world.own:
            variants = ("missing",)  # nothing of this kind seeded: at least nobody gets a page for a made-up id
        for method in METHODS:
            if method not in methods:
                continue
            access = route.access(method)
            denied_pages: dict[str, tuple[int, str]] = {}
            for variant in variants:
                owns = _owns(world, role, kind, variant)
                url = build_url(app, world, role, endpoint, variant)
                probe = Probe(role, endpoint, method, variant, url, owns)
                if access is not None and not access.probe_allowed and access.allows(role, owns):
                    continue
                status, location, body = _send(client, isolated, method, url, _form_data(route, world, variant),
                                               **_api_auth(world, role, endpoint, route, variant))
                checked += 1
                problems += _check(probe, access, status, location, body, world)
                if status in (403, 404):
                    denied_pages[variant] = (status, _normalise(body))
            if kind and "other" in denied_pages and role in LIMITED_ROLES:
                # the other unit's object must look exactly like one that does not exist
                url = build_url(app, world, role, endpoint, "missing")
                status, _loc, body = _send(client, isolated, method, url, _form_data(route, world, "other"),
                                           **_api_auth(world, role, endpoint, route, "other"))
                checked += 1
                if (status, _normalise(body)) != denied_pages["other"]:
                    problems.append(f"{role.value:<10} {method:<4} {endpoint}: 别人的对象（{denied_pages['other'][0]}）与不存在"
                                    f"的编号（{status}）返回不同，可据此探知编号是否存在")
    sec.FIGURES["authz_checks"] += checked
    pairs = sum(len(m) for e, m in _endpoints(app).items() if e in TABLE)
    sec.FIGURES["route_methods"] = max(sec.FIGURES.get("route_methods", 0), pairs)
    sec.FIGURES["roles"] = len(ROLES)
    assert not problems, f"{len(problems)} 项不符合声明的权限表：\n" + "\n".join(problems)


@pytest.mark.parametrize("role", [Role.unit, Role.inspector, Role.studio], ids=lambda r: r.value)
def test_authz_enumerating_ids_finds_nothing(role, app, world, role_clients, isolated, session):
    """Every id around this world's objects (and the first ids), on every GET route that takes one id: only the
    user's own objects."""
    client = role_clients[role]
    problems: list[str] = []
    checked = 0
    for endpoint, methods in sorted(_endpoints(app).items()):
        route = TABLE.get(endpoint)
        kind = _object_kind(app, endpoint)
        if route is None or kind is None or kind not in world.own or "GET" not in methods or route.get is None:
            continue
        id_args = [a for a in _arguments(app, endpoint) if a in ARG_OBJECTS]
        if len(id_args) != 1:
            continue
        if role in route.get.roles and role not in route.get.limited:
            continue  # the role may read every object of this kind (an election reader): nothing to enumerate
        own_id = _object_id(world, role, kind, "own") if _owns(world, role, kind, "own") else None
        ids = [world.own[kind], *([world.other[kind]] if kind in world.other else []),
               *world.own_by_role.get(kind, {}).values()]
        # every id of this world's objects of the kind, three on either side, and the very first ids; ids between
        # were rows of earlier tests, rolled back (on PostgreSQL the sequences move on: from 1 they run to thousands)
        candidates = sorted({1, 2, 3, *range(max(1, min(ids) - 3), max(ids) + 4)})
        for candidate in candidates:
            url = build_url(app, world, role, endpoint, "other", **{id_args[0]: candidate})
            status, _loc, body = _send(client, isolated, "GET", url, {}, **_api_auth(world, role, endpoint, route, "own"))
            checked += 1
            mine = candidate == own_id
            if status >= 500:
                problems.append(f"{endpoint} #{candidate}: {status}")
            elif not route.get.allows(role, mine) and status not in (403, 404):
                problems.append(f"{endpoint} #{candidate}: 非本人/本单位对象却返回 {status}")
            leaked = [s for s in world.other_secrets if s in body]
            if leaked and not mine:
                problems.append(f"{endpoint} #{candidate}: 泄露 {leaked}")
    sec.FIGURES["authz_checks"] += checked
    assert not problems, "\n".join(problems)


def test_api_ignores_the_session_cookie(app, world, role_clients, isolated):
    """A logged-in browser session without a token gets 401 from every token-protected API route."""
    if not any(e.startswith("api.") for e in _endpoints(app)):
        pytest.skip("API 未安装")
    client = role_clients[Role.admin]
    problems = []
    for endpoint, methods in sorted(_endpoints(app).items()):
        route = TABLE.get(endpoint)
        if not endpoint.startswith("api.") or route is None or route.public:
            continue
        for method in sorted(methods):
            url = build_url(app, world, Role.admin, endpoint, "own")
            status, _loc, _body = _send(client, isolated, method, url, {})
            sec.FIGURES["authz_checks"] += 1
            if status != 401:
                problems.append(f"{method} {url}: 仅凭登录会话得到 {status}（应为401）")
    assert not problems, "\n".join(problems)
