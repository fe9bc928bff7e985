"""Accounts managed from the pages: the password policy, one-time passwords that must be replaced, a logout or a
password change ending the user's other sessions on the server, reset (which unlocks), disable and enable, the last
admin kept, many accounts at once with their 账号通知单."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from election.accounts import management
from election.accounts.models import User
from election.accounts.passwords import one_time_password, password_problem
from election.accounts.services import authenticate, create_user
from election.audit.models import AuditEntry
from election.core.exceptions import ServiceError
from election.directory.models import Organisation
from election.directory.services import import_organisations
from tests.conftest import TEST_PASSWORD
from workflow.directory.tree import STUDIO, OrgRecord

NOW = datetime(2026, 12, 1, 2, 0)
STRONG = "Qiu-shui-43-Chang-tian"


@pytest.mark.parametrize("password, reason", [
    ("Ab3$efghi", "至少需要10个字符"),
    ("wangfang-2026-x", "不能是用户名"),
    ("1234567890", "密码太弱"),
    ("password123", "密码太弱：这是很常见的密码"),
    ("qwertyuiop", "密码太弱"),
])
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    assert reason in password_problem(password, "wangfang", ("王芳",))


def test_a_strong_password_and_a_one_time_one_pass():
    assert password_problem(STRONG, "wangfang") == ""
    otp = one_time_password()
    assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", otp) and password_problem(otp, "用户") == ""


def test_create_user_applies_the_policy(session):
    with pytest.raises(ServiceError, match="密码太弱"):
        create_user(session, None, username="clerk", password="1234567890", role="office")


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_admin_made_account_must_set_its_own_password_first(app, client, session, login_as, auth):
    login_as("admin")
    created = client.post("/admin/users", data={"username": "newclerk", "display_name": "新同志", "password": STRONG,
                                                "role": "office", "unit_id": "0", "office_id": "0"})
    assert created.status_code == 302
    auth.logout()
    response = _login(client, "newclerk", STRONG)
    assert response.headers["Location"].endswith("/account/password")
    assert client.get("/elections/").headers["Location"].endswith("/account/password")
    weak = client.post("/account/password", data={"current": STRONG, "new": "newclerk-123", "again": "newclerk-123"})
    assert weak.status_code == 422 and "不能是用户名" in weak.get_data(as_text=True)
    done = client.post("/account/password", data={"current": STRONG, "new": "Lan-tian-bai-yun-77",
                                                  "again": "Lan-tian-bai-yun-77"})
    assert done.status_code == 302 and client.get("/elections/").status_code == 200


def _fresh(app, call):
    """One request in its own application context, as in a real server (flask-login keeps the user on ``g``)."""
    with app.app_context():
        return call()


def test_a_password_change_ends_the_other_sessions_not_this_one(app, session, make_user):
    user = make_user("office")
    here, there = app.test_client(), app.test_client()
    assert _fresh(app, lambda: _login(here, user.username, TEST_PASSWORD)).status_code == 302
    assert _fresh(app, lambda: _login(there, user.username, TEST_PASSWORD)).status_code == 302
    assert _fresh(app, lambda: there.get("/elections/")).status_code == 200
    changed = _fresh(app, lambda: here.post("/account/password",
                                            data={"current": TEST_PASSWORD, "new": STRONG, "again": STRONG}))
    assert changed.status_code == 302
    assert _fresh(app, lambda: here.get("/elections/")).status_code == 200
    assert "/login" in _fresh(app, lambda: there.get("/elections/")).headers["Location"]


def test_a_logout_ends_every_session_of_the_user(app, session, make_user):
    user = make_user("office")
    here, there = app.test_client(), app.test_client()
    _fresh(app, lambda: _login(here, user.username, TEST_PASSWORD))
    _fresh(app, lambda: _login(there, user.username, TEST_PASSWORD))
    _fresh(app, lambda: here.post("/logout"))
    # the other browser's cookie is still there, but the server no longer accepts it
    assert "/login" in _fresh(app, lambda: there.get("/elections/")).headers["Location"]
    assert _fresh(app, lambda: _login(there, user.username, TEST_PASSWORD)).status_code == 302


def test_reset_unlocks_and_gives_a_one_time_password_shown_once(client, session, login_as, make_user):
    admin = login_as("admin")
    clerk = make_user("office")
    clerk.locked_until = NOW + timedelta(days=1)
    session.flush()
    page = client.post(f"/admin/users/{clerk.id}/reset").get_data(as_text=True)
    otp = re.search(r'data-testid="slip-password"><strong>([^<]+)</strong>', page).group(1)
    assert clerk.locked_until is None and clerk.must_change_password and clerk.check_password(otp)
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "user.reset_password" and otp not in str(entry.after) + entry.summary
    assert authenticate(session, clerk.username, otp, datetime(2026, 12, 1)).ok
    assert otp not in client.get(f"/admin/users/{clerk.id}").get_data(as_text=True)
    assert admin.role == "admin"


def test_disable_and_enable(client, session, login_as, make_user):
    login_as("admin")
    clerk = make_user("office")
    client.post(f"/admin/users/{clerk.id}/disable")
    assert not clerk.active
    assert authenticate(session, clerk.username, TEST_PASSWORD, NOW).message == "该账户已停用，请联系管理员。"
    client.post(f"/admin/users/{clerk.id}/enable")
    assert clerk.active and authenticate(session, clerk.username, TEST_PASSWORD, NOW).ok


def test_the_last_active_admin_is_kept(session, make_user):
    admin = make_user("admin")
    session.commit()  # a refused use case rolls its session back: keep the user made here
    with pytest.raises(ServiceError, match="最后一个在用的管理员"):
        management.set_active(session, admin, admin.id, False, NOW)
    with pytest.raises(ServiceError, match="最后一个在用的管理员"):
        management.update_user(session, admin, admin.id, display_name="甲", role="office", now=NOW)
    second = make_user("admin")
    session.commit()
    management.update_user(session, admin, admin.id, display_name="甲", role="office", now=NOW)
    assert admin.role == "office"
    with pytest.raises(ServiceError, match="最后一个在用的管理员"):
        management.set_active(session, second, second.id, False, NOW)


def test_a_role_change_moves_the_scope_and_ends_sessions(session, make_user, make_unit):
    admin = make_user("admin")
    clerk = make_user("office")
    unit = make_unit()
    before = clerk.session_version
    management.update_user(session, admin, clerk.id, display_name="李经办", role="unit", unit_id=unit.id, now=NOW)
    assert (clerk.role, clerk.unit_id, clerk.session_version) == ("unit", unit.id, before + 1)
    with pytest.raises(ServiceError, match="必须指定所属推荐单位"):
        management.update_user(session, admin, clerk.id, display_name="李经办", role="unit", now=NOW)


def _accounts_sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["用户名", "姓名", "角色", "所属编码"])
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def directory(session, make_user):
    import_organisations(session, make_user("office"), [
        OrgRecord("100", "中共某区委员会", "党委"), OrgRecord("101", "城关街道党工委", "党工委", "100"),
        OrgRecord("10199", "城关街道党代表工作室", STUDIO, "101")], NOW)


def test_bulk_creation_prints_one_slip_per_person(client, session, login_as, directory):
    login_as("admin")
    data = _accounts_sheet([("cg01", "王芳", "推荐单位经办人", "101"), ("cgs01", "赵静", "党代表工作室工作人员", "10199")])
    page = client.post("/admin/users/bulk", data={"file": (io.BytesIO(data), "账户.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert page.count('data-testid="slip"') == 2 and "城关街道党工委" in page and "/login" in page
    passwords = re.findall(r'data-testid="slip-password"><strong>([^<]+)</strong>', page)
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(["cg01", "cgs01"])))}
    assert users["cg01"].unit.name == "城关街道党工委" and users["cgs01"].office.name == "城关街道党代表工作室"
    assert users["cg01"].check_password(passwords[0]) and users["cg01"].must_change_password
    assert passwords[0] not in users["cg01"].password_hash


def test_bulk_creation_is_all_or_nothing_with_reasons_by_row(client, session, login_as, directory, make_user):
    login_as("admin")
    taken = make_user("office")
    data = _accounts_sheet([("cg01", "王芳", "推荐单位经办人", "101"), (taken.username, "重名", "推荐单位经办人", "101"),
                            ("x2", "某", "推荐单位经办人", "999"), ("x3", "", "组长", "101")])
    response = client.post("/admin/users/bulk", data={"file": (io.BytesIO(data), "a.xlsx")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第5行“姓名”" in page and "第5行“角色”" in page
    assert session.scalar(select(User).where(User.username == "cg01")) is None
    data = _accounts_sheet([("cg01", "王芳", "推荐单位经办人", "101"), (taken.username, "重名", "推荐单位经办人", "101"),
                            ("x2", "某", "推荐单位经办人", "999")])
    page = client.post("/admin/users/bulk", data={"file": (io.BytesIO(data), "a.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert f"第3行：用户名“{taken.username}”已存在" in page and "第4行：找不到编码为“999”的推荐单位" in page
    assert session.scalar(select(User).where(User.username == "cg01")) is None


def test_only_the_admin_manages_users(client, login_as, make_user):
    login_as("office")
    other = make_user("teller")
    assert client.post(f"/admin/users/{other.id}/reset").status_code == 403
    assert client.get("/admin/users/bulk").status_code == 403


def test_retired_organisation_refuses_bulk_accounts(client, session, login_as, directory):
    login_as("admin")
    org = session.scalar(select(Organisation).where(Organisation.code == "10199"))
    org.retired_at, org.retire_reason = NOW, "撤并"
    session.flush()
    data = _accounts_sheet([("cgs01", "赵静", "党代表工作室工作人员", "10199")])
    page = client.post("/admin/users/bulk", data={"file": (io.BytesIO(data), "a.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "党代表工作室“城关街道党代表工作室”已撤销" in page


def test_first_run_makes_the_first_admin_then_is_gone(client, session):
    login = client.get("/login").get_data(as_text=True)
    assert "进行系统初始化" in login
    weak = client.post("/setup", data={"username": "zzb", "display_name": "组织部", "new": "1234567890",
                                       "again": "1234567890"})
    assert weak.status_code == 422 and "密码太弱" in weak.get_data(as_text=True)
    made = client.post("/setup", data={"username": "zzb", "display_name": "组织部", "new": STRONG, "again": STRONG})
    assert made.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "系统初始化" in page and "请先录入最上级的选举单位" in page
    assert client.get("/setup").status_code == 404
    admin = session.scalar(select(User).where(User.username == "zzb"))
    assert admin.role == "admin" and not admin.must_change_password
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "user.first_admin"


def test_first_run_is_closed_when_an_admin_exists(client, make_user):
    make_user("admin")
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data={"username": "x", "display_name": "x", "new": STRONG,
                                       "again": STRONG}).status_code == 404
    assert "进行系统初始化" not in client.get("/login").get_data(as_text=True)


def test_a_one_time_password_cannot_make_an_api_token(client, session, make_user):
    import base64

    user = make_user("office", must_change_password=True)
    basic = base64.b64encode(f"{user.username}:{TEST_PASSWORD}".encode()).decode()
    response = client.post("/api/v1/tokens", headers={"Authorization": f"Basic {basic}"},
                           json={"name": "同步脚本", "days": 30})
    assert response.status_code == 403 and "一次性密码" in response.get_json()["error"]["message"]
    user.must_change_password = False
    session.flush()
    assert client.post("/api/v1/tokens", headers={"Authorization": f"Basic {basic}"},
                       json={"name": "同步脚本", "days": 30}).status_code in (200, 201)
