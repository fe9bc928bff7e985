"""用户管理 over the API (election.accounts.api): each operation's effect in the database and its one audit entry,
403 for every role but the 管理员, 422 naming the field, 404 for a missing user; a one-time password is usable
for one login that must first set a new password, and appears neither in the audit nor in any GET."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

from sqlalchemy import func, select

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.core.clock import utcnow
from tests.accounts.test_management import _accounts_sheet as sheet
from tests.accounts.test_management import directory  # noqa: F401  (fixture: the organisations the sheets name)
from tests.api.conformance import conforms
from tests.api.test_api import error_code

REFUSED = ["office", "unit", "inspector", "discipline", "teller", "auditor", "delegate", "studio"]
MISSING = 987654
NOW = datetime(2026, 12, 1, 2, 0)
NEW_PASSWORD = "Lan-tian-bai-yun-77"


def audits(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def audit_text(session) -> str:
    return json.dumps([[e.summary, e.before, e.after] for e in session.scalars(select(AuditEntry))],
                      ensure_ascii=False, default=str)


def fields(response) -> set[str]:
    return {d.get("field") for d in response.get_json()["error"]["details"]}




# ---------------------------------------------------------------------------------------------- reads
def test_list_filters_pages_and_hides_secrets(client, session, token_for, make_user, make_unit):
    _, headers = token_for("admin")
    unit = make_unit()
    clerk = make_user("unit", unit_id=unit.id)
    make_user("unit", unit_id=make_unit().id)
    make_user("office", active=False)
    listed = client.get("/api/v1/users?role=unit", headers=headers)
    conforms(listed, "list_users")
    body = listed.get_json()
    assert body["total"] == 2 and {u["role"] for u in body["items"]} == {"unit"}
    only = client.get(f"/api/v1/users?unit_id={unit.id}", headers=headers).get_json()
    assert [u["id"] for u in only["items"]] == [clerk.id] and only["items"][0]["unit_name"] == unit.name
    assert client.get("/api/v1/users?active=false", headers=headers).get_json()["total"] == 1
    paged = client.get("/api/v1/users?per_page=2&page=2", headers=headers).get_json()
    assert paged["page"] == 2 and paged["per_page"] == 2 and paged["total"] == 4 and len(paged["items"]) == 2
    text = client.get("/api/v1/users", headers=headers).get_data(as_text=True)
    assert '"password' not in text and "password_hash" not in text and clerk.password_hash not in text
    assert "session_version" not in text
    bad = client.get("/api/v1/users?role=boss", headers=headers)
    assert bad.status_code == 422 and fields(bad) == {"role"}


def test_get_one_user_and_404(client, session, token_for, make_user):
    _, headers = token_for("admin")
    clerk = make_user("office", display_name="李明", locked_until=utcnow() + timedelta(minutes=5))
    one = client.get(f"/api/v1/users/{clerk.id}", headers=headers)
    conforms(one, "get_user")
    body = one.get_json()
    assert body["display_name"] == "李明" and body["role_label"] == "选举办工作人员" and body["locked"] is True
    assert not any("password" in key for key in body if key != "must_change_password")
    missing = client.get(f"/api/v1/users/{MISSING}", headers=headers)
    assert missing.status_code == 404 and error_code(missing) == "not_found"


# ---------------------------------------------------------------------------------------------- create
def test_created_account_logs_in_once_with_its_one_time_password(client, session, token_for, make_unit):
    _, headers = token_for("admin")
    unit = make_unit()
    response = client.post("/api/v1/users", headers=headers,
                           json={"username": "cg01", "display_name": "王芳", "role": "unit", "unit_id": unit.id})
    assert response.status_code == 201, response.get_json()
    conforms(response, "create_user")
    body = response.get_json()
    password = body["slip"]["password"]
    assert body["slip"]["scope_name"] == unit.name and body["user"]["must_change_password"] is True
    created = session.scalar(select(User).where(User.username == "cg01"))
    assert created.unit_id == unit.id and created.must_change_password and password not in created.password_hash
    [entry] = audits(session, "user.create")
    assert entry.after["username"] == "cg01" and password not in audit_text(session)
    assert password not in client.get(f"/api/v1/users/{created.id}", headers=headers).get_data(as_text=True)
    assert password not in client.get("/api/v1/users", headers=headers).get_data(as_text=True)
    # the one login it opens leads to the page that replaces it; afterwards it is worth nothing
    login = client.post("/login", data={"username": "cg01", "password": password})
    assert login.headers["Location"].endswith("/account/password")
    assert client.get("/elections/").headers["Location"].endswith("/account/password")
    done = client.post("/account/password", data={"current": password, "new": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert done.status_code == 302
    client.post("/logout")
    again = client.post("/login", data={"username": "cg01", "password": password})
    assert again.status_code == 200 and "用户名或密码错误" in again.get_data(as_text=True)


def test_create_with_a_given_password_and_the_rules(client, session, token_for):
    _, headers = token_for("admin")
    given = client.post("/api/v1/users", headers=headers, json={"username": "xjb02", "display_name": "李明",
                                                                "role": "office", "password": NEW_PASSWORD})
    assert given.status_code == 201 and given.get_json()["slip"]["password"] == NEW_PASSWORD
    weak = client.post("/api/v1/users", headers=headers, json={"username": "xjb03", "display_name": "李明",
                                                               "role": "office", "password": "1234567890"})
    assert weak.status_code == 422 and "密码太弱" in weak.get_json()["error"]["message"]
    no_unit = client.post("/api/v1/users", headers=headers, json={"username": "cg02", "display_name": "王芳", "role": "unit"})
    assert no_unit.status_code == 422 and "所属推荐单位" in no_unit.get_json()["error"]["message"]
    no_office = client.post("/api/v1/users", headers=headers,
                            json={"username": "st02", "display_name": "赵静", "role": "studio", "office_id": MISSING})
    assert no_office.status_code == 422 and "党代表工作室不存在" in no_office.get_json()["error"]["message"]
    taken = client.post("/api/v1/users", headers=headers, json={"username": "xjb02", "display_name": "李", "role": "office"})
    assert taken.status_code == 422 and "已存在" in taken.get_json()["error"]["message"]
    bad = client.post("/api/v1/users", headers=headers, json={"username": "", "display_name": "某", "role": "boss"})
    assert bad.status_code == 422 and error_code(bad) == "validation_failed" and fields(bad) == {"username", "role"}
    assert "用户名" in bad.get_json()["error"]["details"][0]["message"] + bad.get_json()["error"]["details"][1]["message"]
    assert len(audits(session, "user.create")) == 1
    assert session.scalar(select(func.count()).select_from(User).where(User.username.in_(["xjb03", "cg02", "st02"]))) == 0


# ---------------------------------------------------------------------------------------------- bulk
def test_bulk_creates_all_with_slips(client, session, token_for, directory):  # noqa: F811
    _, headers = token_for("admin")
    data = sheet([("cg01", "王芳", "推荐单位经办人", "101"), ("cgs01", "赵静", "党代表工作室工作人员", "10199")])
    response = client.post("/api/v1/users/file", headers=headers, data={"file": (io.BytesIO(data), "账户.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    conforms(response, "bulk_create_users")
    body = response.get_json()
    assert body["count"] == 2 and [s["username"] for s in body["slips"]] == ["cg01", "cgs01"]
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(["cg01", "cgs01"])))}
    assert users["cg01"].unit.name == "城关街道党工委" and users["cgs01"].office.name == "城关街道党代表工作室"
    assert users["cg01"].check_password(body["slips"][0]["password"]) and users["cg01"].must_change_password
    assert len(audits(session, "user.bulk_create")) == 1
    assert not any(s["password"] in audit_text(session) for s in body["slips"])


def test_bulk_is_all_or_nothing_with_errors_by_row_and_column(client, session, token_for, directory, make_user):  # noqa: F811
    _, headers = token_for("admin")
    taken = make_user("office")
    post = lambda data: client.post("/api/v1/users/file", headers=headers, data={"file": (io.BytesIO(data), "a.xlsx")},
                                    content_type="multipart/form-data")
    parsed = post(sheet([("cg01", "王芳", "推荐单位经办人", "101"), ("x3", "", "组长", "101")]))
    assert parsed.status_code == 422 and error_code(parsed) == "row_errors"
    assert {(d["row"], d["column"]) for d in parsed.get_json()["error"]["details"]} == {(3, "姓名"), (3, "角色")}
    ruled = post(sheet([("cg01", "王芳", "推荐单位经办人", "101"), (taken.username, "重名", "推荐单位经办人", "101"),
                        ("x2", "某", "推荐单位经办人", "999")]))
    assert ruled.status_code == 422
    details = ruled.get_json()["error"]["details"]
    assert {(d["row"], d["column"]) for d in details} == {(3, "用户名"), (4, "所属编码")}
    assert any("找不到编码为“999”的推荐单位" in d["message"] for d in details)
    empty = post(sheet([]))
    assert empty.status_code == 422 and fields(empty) == {"file"}
    junk = post(b"not a workbook")
    assert junk.status_code == 422 and error_code(junk) == "file_refused"
    missing = client.post("/api/v1/users/file", headers=headers, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and fields(missing) == {"file"}
    assert session.scalar(select(User).where(User.username == "cg01")) is None
    assert audits(session, "user.bulk_create") == []


# ---------------------------------------------------------------------------------------------- one account
def test_edit_changes_only_what_is_sent(client, session, token_for, make_user, make_unit):
    admin, headers = token_for("admin")
    clerk = make_user("office", display_name="李明")
    url = f"/api/v1/users/{clerk.id}"
    renamed = client.patch(url, headers=headers, json={"display_name": "李明明"})
    assert renamed.status_code == 200 and renamed.get_json()["display_name"] == "李明明"
    conforms(renamed, "edit_user")
    assert renamed.get_json()["role"] == "office"
    [entry] = audits(session, "user.update")
    assert entry.after == {"display_name": "李明明"}
    unit = make_unit()
    moved = client.patch(url, headers=headers, json={"role": "unit", "unit_id": unit.id})
    assert moved.status_code == 200 and moved.get_json()["unit_id"] == unit.id
    session.refresh(clerk)
    assert clerk.role == "unit" and clerk.unit_id == unit.id and len(audits(session, "user.update")) == 2
    no_office = client.patch(url, headers=headers, json={"role": "studio"})
    assert no_office.status_code == 422 and "所属工作室" in no_office.get_json()["error"]["message"]
    blank = client.patch(url, headers=headers, json={"display_name": " "})
    assert blank.status_code == 422 and fields(blank) == {"display_name"}
    last_admin = client.patch(f"/api/v1/users/{admin.id}", headers=headers, json={"role": "office"})
    assert last_admin.status_code == 422 and "最后一个在用的管理员" in last_admin.get_json()["error"]["message"]
    assert client.patch(f"/api/v1/users/{MISSING}", headers=headers, json={}).status_code == 404
    assert len(audits(session, "user.update")) == 2


def test_disable_refuses_the_users_token_and_enable_restores_it(client, session, token_for):
    _, headers = token_for("admin")
    clerk, clerk_headers = token_for("office")
    assert client.get("/api/v1/elections", headers=clerk_headers).status_code == 200
    off = client.post(f"/api/v1/users/{clerk.id}/disable", headers=headers)
    assert off.status_code == 200 and off.get_json()["active"] is False
    conforms(off, "disable_user")
    assert len(audits(session, "user.disable")) == 1
    refused = client.get("/api/v1/elections", headers=clerk_headers)
    assert refused.status_code == 401 and "停用" in refused.get_json()["error"]["message"]
    twice = client.post(f"/api/v1/users/{clerk.id}/disable", headers=headers)
    assert twice.status_code == 422 and len(audits(session, "user.disable")) == 1
    on = client.post(f"/api/v1/users/{clerk.id}/enable", headers=headers)
    assert on.status_code == 200 and on.get_json()["active"] is True and len(audits(session, "user.enable")) == 1
    conforms(on, "enable_user")
    assert client.get("/api/v1/elections", headers=clerk_headers).status_code == 200
    assert client.post(f"/api/v1/users/{MISSING}/disable", headers=headers).status_code == 404
    assert client.post(f"/api/v1/users/{MISSING}/enable", headers=headers).status_code == 404


def test_reset_gives_a_one_time_password_shown_once(client, session, token_for, make_user):
    _, headers = token_for("admin")
    clerk = make_user("office", locked_until=utcnow() + timedelta(minutes=10), failed_logins=0)
    response = client.post(f"/api/v1/users/{clerk.id}/reset", headers=headers)
    assert response.status_code == 200
    conforms(response, "reset_password")
    body = response.get_json()
    password = body["slip"]["password"]
    assert body["user"]["must_change_password"] is True and body["user"]["locked"] is False
    session.refresh(clerk)
    assert clerk.check_password(password) and clerk.locked_until is None
    assert len(audits(session, "user.reset_password")) == 1 and password not in audit_text(session)
    assert password not in client.get(f"/api/v1/users/{clerk.id}", headers=headers).get_data(as_text=True)
    login = client.post("/login", data={"username": clerk.username, "password": password})
    assert login.headers["Location"].endswith("/account/password")
    assert client.post(f"/api/v1/users/{MISSING}/reset", headers=headers).status_code == 404


def test_unlock(client, session, token_for, make_user):
    _, headers = token_for("admin")
    clerk = make_user("office", locked_until=utcnow() + timedelta(minutes=10))
    response = client.post(f"/api/v1/users/{clerk.id}/unlock", headers=headers)
    assert response.status_code == 200 and response.get_json()["locked"] is False
    conforms(response, "unlock_user")
    session.refresh(clerk)
    assert clerk.locked_until is None and len(audits(session, "user.unlock")) == 1
    again = client.post(f"/api/v1/users/{clerk.id}/unlock", headers=headers)
    assert again.status_code == 422 and "没有被锁定" in again.get_json()["error"]["message"]
    assert client.post(f"/api/v1/users/{MISSING}/unlock", headers=headers).status_code == 404
    assert len(audits(session, "user.unlock")) == 1


# ---------------------------------------------------------------------------------------------- roles
def test_every_other_role_is_refused(client, session, token_for, make_user):
    clerk = make_user("office", locked_until=utcnow() + timedelta(minutes=10))
    calls = [("GET", "/api/v1/users", None), ("GET", f"/api/v1/users/{clerk.id}", None),
             ("POST", "/api/v1/users", {"username": "x1", "display_name": "某", "role": "office"}),
             ("PATCH", f"/api/v1/users/{clerk.id}", {"display_name": "改名"}),
             ("POST", f"/api/v1/users/{clerk.id}/disable", None), ("POST", f"/api/v1/users/{clerk.id}/enable", None),
             ("POST", f"/api/v1/users/{clerk.id}/reset", None), ("POST", f"/api/v1/users/{clerk.id}/unlock", None)]
    for role in REFUSED:
        _, headers = token_for(role)
        for method, url, body in calls:
            response = client.open(url, method=method, headers=headers, json=body)
            assert response.status_code == 403 and error_code(response) == "forbidden", (role, method, url)
        upload = client.post("/api/v1/users/file", headers=headers, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(sheet([("x2", "某", "推荐单位经办人", "101")])), "a.xlsx")})
        assert upload.status_code == 403, role
    session.refresh(clerk)
    assert clerk.display_name != "改名" and clerk.active and clerk.locked_until is not None
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("user.%"))) == 0
    assert session.scalar(select(User).where(User.username.in_(["x1", "x2"]))) is None
