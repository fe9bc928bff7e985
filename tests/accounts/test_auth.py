from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from election.accounts.models import User
from election.accounts.services import authenticate, login_refused_message
from election.audit.models import AuditEntry
from election.core.clock import utcnow
from tests.conftest import TEST_PASSWORD


def test_login_page_is_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "用户名" in page and "密码" in page and 'lang="zh-CN"' in page


def test_login_success_lands_on_dashboard_and_is_audited(client, auth, make_user, session):
    user = make_user("office")
    response = auth.login(user.username)
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert "工作台" in client.get("/").get_data(as_text=True)
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(user.id))).all()
    assert "user.login" in actions


def _flash(page: str) -> str:
    return " ".join(re.findall(r'class="flash flash-[^"]*">([^<]*)<', page)) or page


def test_login_wrong_password_same_message_as_unknown_user(auth, make_user):
    user = make_user("office")
    wrong = auth.login(user.username, "nope-nope").get_data(as_text=True)
    unknown = auth.login("no-such-user", "nope-nope").get_data(as_text=True)
    assert "用户名或密码错误" in wrong and "用户名或密码错误" in unknown
    assert _flash(wrong) == _flash(unknown) == login_refused_message()


def test_the_lockout_does_not_tell_whether_a_username_exists(auth, make_user, session):
    """Issue 19: the sixth try on a real account (now locked) reads exactly as the sixth on an unknown name."""
    user = make_user("office")
    known = [_flash(auth.login(user.username, "wrong-password").get_data(as_text=True)) for _ in range(6)]
    unknown = [_flash(auth.login("no-such-user-x", "wrong-password").get_data(as_text=True)) for _ in range(6)]
    assert known == unknown == [login_refused_message()] * 6
    session.refresh(user)
    assert user.locked_until is not None
    # the right password while locked: the same words again (its check would tell the guess was right)
    assert _flash(auth.login(user.username).get_data(as_text=True)) == login_refused_message()


def test_an_unknown_username_costs_one_password_hash_as_a_known_one(session, make_user, monkeypatch):
    """The same timing path: one hash check for an unknown name, a locked account and a wrong password."""
    from election.accounts import services

    checks = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: checks.append(h) or real(h, p))
    assert not authenticate(session, "no-such-user-y", "wrong-password", utcnow()).ok
    user = make_user("office")
    assert not authenticate(session, user.username, "wrong-password", utcnow()).ok  # the user's own hash
    user.locked_until = utcnow() + timedelta(minutes=5)
    session.commit()
    assert not authenticate(session, user.username, TEST_PASSWORD, utcnow()).ok
    assert len(checks) == 2 and checks[0] == checks[1] != user.password_hash  # the dummy hash, twice


def test_login_locks_after_five_failures_for_fifteen_minutes(auth, make_user, session):
    user = make_user("office")
    for _ in range(4):
        auth.login(user.username, "wrong-password")
    session.refresh(user)
    assert user.locked_until is None and user.failed_logins == 4
    page = auth.login(user.username, "wrong-password").get_data(as_text=True)
    assert "锁定15分钟" in page
    session.refresh(user)
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)
    # even the right password is refused while locked
    response = auth.login(user.username, TEST_PASSWORD)
    assert response.status_code == 200 and _flash(response.get_data(as_text=True)) == login_refused_message()
    locked = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.locked")).all()
    assert [e.object_id for e in locked] == [str(user.id)]


def test_login_allowed_again_after_lock_expires(auth, make_user, session):
    user = make_user("office")
    user.locked_until = utcnow() - timedelta(seconds=1)
    session.flush()
    assert auth.login(user.username).status_code == 302


def test_logout_requires_post(client, login_as):
    login_as("office")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_open_redirect_refused(auth, make_user, client):
    user = make_user("office")
    response = client.post("/login?next=https://evil.example/", data={"username": user.username,
                                                                       "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_passwords_are_hashed(make_user, session):
    user = make_user("office")
    stored = session.scalar(select(User.password_hash).where(User.id == user.id))
    assert TEST_PASSWORD not in stored and stored.startswith("pbkdf2:")
    assert user.check_password(TEST_PASSWORD) and not user.check_password(TEST_PASSWORD + "x")


def test_production_hashing_is_scrypt(monkeypatch):
    from election.accounts import models as users

    monkeypatch.setattr(users, "PASSWORD_HASH_METHOD", "scrypt")
    user = User(username="x", display_name="x", role="office")
    user.set_password(TEST_PASSWORD)
    assert user.password_hash.startswith("scrypt:") and user.check_password(TEST_PASSWORD)


def test_session_cookie_flags(client, make_user):
    user = make_user("office")
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
