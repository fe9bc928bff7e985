"""A role is shown only the forms it may use.

The demo is loaded and each demo account walks every page its role may open (tests/fixtures/demo_walk.py). Every
form that posts somewhere is collected, then submitted as the page rendered it (its hidden fields, the values
filled in, the options selected) by the same account. The walk fails when a submission is refused for lack of a
permission — a 403 page, or a refusal caught and shown as a message — or when it fails with a 500: a form a role
cannot use must not be on its page. A form whose use would end the walk's own session or start a background thread
(the table's ``probe_allowed=False``) is checked against the table only. Refusals for the data (a value missing, a stage passed, a deadline over) are
the form's business and are not counted.

The refusals are caught where they are raised (werkzeug's Forbidden, the services' PermissionDenied), so a view
that turns one into a flashed message is caught as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from election.accounts.models import User
from election.core import exceptions
from election.core.roles import Role
from seeds.demo import DEMO_PASSWORD, load_demo
from tests.fixtures.demo_walk import ACCOUNTS, DEMO_DAY, page_urls
from tests.security.authz_table import TABLE


@dataclass(frozen=True)
class ShownForm:
    page: str
    action: str
    fields: tuple[tuple[str, str], ...]
    multipart: bool

    @property
    def label(self) -> str:
        return f"{self.page} 上的表单 → {self.action}"


def links_on(page_url: str, html: str) -> set[str]:
    """The app's own pages a page links to (path and query), not anchors, mail or other sites."""
    tree = lxml.html.fromstring(html)
    found = set()
    for href in tree.xpath("//a/@href"):
        parts = urlsplit(urljoin(page_url, href))
        if parts.scheme in ("http", "https", "") and parts.netloc in ("", "localhost") and parts.path:
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _one_per_endpoint_and_problem(app, linked: dict[str, str], role: Role) -> list[tuple[str, str]]:
    """The links to check: every link whose target the table lets ROLE open, and of the others one per endpoint
    (twenty 纪实表 links refused for the same reason make one finding)."""
    out, refused = [], set()
    for link, page in sorted(linked.items()):
        endpoint = _endpoint(app, link.split("?")[0], "GET")
        route = TABLE.get(endpoint or "")
        if route is not None and (route.get is None or not route.get.allows(role, True)):
            if endpoint in refused:
                continue
            refused.add(endpoint)
        out.append((link, page))
    return out


def forms_on(page_url: str, html: str) -> list[ShownForm]:
    """The POST forms of a page, each with the values a click on its first button would send."""
    tree = lxml.html.fromstring(html)
    found = []
    for form in tree.xpath("//form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urljoin(page_url, form.get("action") or page_url)
        fields: list[tuple[str, str]] = []
        for el in form.xpath(".//input | .//select | .//textarea"):
            name = el.get("name")
            if not name or el.get("disabled") is not None:
                continue
            if el.tag == "select":
                options = el.xpath(".//option")
                chosen = [o for o in options if o.get("selected") is not None] or options[:1]
                fields += [(name, o.get("value", o.text_content()) or "") for o in chosen]
            elif el.tag == "textarea":
                fields.append((name, el.text_content()))
            else:
                kind = (el.get("type") or "text").lower()
                if kind in ("submit", "button", "reset", "image", "file"):
                    continue
                if kind in ("checkbox", "radio") and el.get("checked") is None:
                    continue
                fields.append((name, el.get("value", "on" if kind in ("checkbox", "radio") else "")))
        button = form.xpath(".//button[@name and (not(@type) or @type='submit')] | .//input[@type='submit'][@name]")
        if button:
            fields.append((button[0].get("name"), button[0].get("value", "")))
        found.append(ShownForm(page_url, urlsplit(action).path, tuple(fields),
                               (form.get("enctype") or "").lower() == "multipart/form-data"))
    return found


@pytest.fixture
def refusals(monkeypatch) -> list[str]:
    """Every permission refusal raised while the fixture lives, whether shown as 403 or caught by a view."""
    seen: list[str] = []
    forbidden_init = Forbidden.__init__
    denied_init = exceptions.PermissionDenied.__init__

    def on_forbidden(self, *args, **kwargs):
        seen.append("403")
        forbidden_init(self, *args, **kwargs)

    def on_denied(self, *args, **kwargs):
        denied_init(self, *args, **kwargs)
        seen.append(f"拒绝：{self.message}")

    monkeypatch.setattr(Forbidden, "__init__", on_forbidden)
    monkeypatch.setattr(exceptions.PermissionDenied, "__init__", on_denied)
    return seen


def _endpoint(app, path: str, method: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method=method)
    except Exception:  # noqa: BLE001 - a form posting nowhere is reported by the caller
        return None
    return endpoint


@pytest.mark.parametrize("role", list(ACCOUNTS), ids=[r.value for r in ACCOUNTS])
def test_every_form_shown_to_a_role_is_one_it_may_submit(app, session, client, refusals, role):
    app.config["TASKS_INLINE"] = True  # a form that starts background work runs it here, on the test's connection
    load_demo(session, today=DEMO_DAY)
    username = ACCOUNTS[role]
    user = session.scalar(select(User).where(User.username == username))
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    shown: dict[str, ShownForm] = {}
    linked: dict[str, str] = {}
    for _endpoint_name, url in page_urls(app, session, role, user):
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        for form in forms_on(url, html):
            shown.setdefault(form.action, form)  # one submission per target: each changes the demo
        for link in links_on(url, html):
            linked.setdefault(link, url)

    findings: list[str] = []
    for link, page in _one_per_endpoint_and_problem(app, linked, role):
        endpoint = _endpoint(app, link.split("?")[0], "GET")
        if endpoint is None or endpoint == "static":
            continue
        route = TABLE.get(endpoint)
        if route is None or route.get is None or not route.get.allows(role, True):
            findings.append(f"{page} 上的链接 {link}［{endpoint}］：权限表不允许{role.label}打开")
            continue
        refusals.clear()
        status = client.get(link).status_code
        if status >= 400 or refusals:
            findings.append(f"{page} 上的链接 {link}［{endpoint}］：打开失败（{status}）")
    assert shown or role in (Role.auditor,), f"{role.label}的页面上一个表单也没有，检查演示数据"
    for action, form in sorted(shown.items()):
        endpoint = _endpoint(app, action, "POST")
        if endpoint is None:
            findings.append(f"{form.label}：没有接收该表单的地址")
            continue
        route = TABLE.get(endpoint)
        if route is None or route.post is None or not route.post.allows(role, True):
            findings.append(f"{form.label}［{endpoint}］：权限表不允许{role.label}提交")
            continue
        if not route.post.probe_allowed:
            continue  # it would end the walk's session or start a background thread; the matrix checks its refusals
        refusals.clear()
        data = {}
        for name, value in form.fields:
            data.setdefault(name, []).append(value)
        response = client.post(action, data=data, content_type="multipart/form-data" if form.multipart else None)
        if response.status_code >= 500:
            findings.append(f"{form.label}［{endpoint}］：提交出错（{response.status_code}）")
        elif response.status_code == 403 or refusals:
            findings.append(f"{form.label}［{endpoint}］：提交被拒绝（{'；'.join(refusals) or '403'}）")
        if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
            client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert not findings, f"{role.label}（{username}）看到了不能使用的表单：\n" + "\n".join(findings)
