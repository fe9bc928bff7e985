"""Sessions end on the server (issue 19): a session cookie copied before a logout, a password change, an admin's
reset, a deactivation or a change of role is replayed afterwards and gets the login page (and 401 from the API)."""
from __future__ import annotations

import pytest

from election.accounts import management
from election.accounts.models import User
from election.core.clock import utcnow
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "Ganlan-Shu-2026-qiuye"  # noqa: S105 - passes the policy


def _cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "the login set no session cookie"
    return cookie.value


def _replay(app, value: str):
    """A different browser holding the copied cookie: the dashboard and the API. Each request in an app context of
    its own, as in a worker: the tests' shared app context would keep flask-login's user of an earlier request in g."""
    other = app.test_client()
    other.set_cookie("session", value)
    with app.app_context():
        page = other.get("/")
    with app.app_context():
        api = other.get("/api/v1/elections")
    return page, api


def _assert_ended(app, value: str):
    page, api = _replay(app, value)
    assert page.status_code == 302 and "/login" in page.headers["Location"], page.status_code
    assert api.status_code == 401, api.status_code


@pytest.fixture
def logged_in(app, client, make_user, auth, session):
    """An office clerk logged in; his cookie works from another browser before anything happens."""
    user = make_user("office")
    session.commit()
    assert auth.login(user.username).status_code == 302
    value = _cookie(client)
    page, _api = _replay(app, value)
    assert page.status_code == 200
    return user, value


def test_replayed_cookie_after_logout_gets_the_login_page(app, auth, logged_in):
    _user, value = logged_in
    assert auth.logout().status_code == 302
    _assert_ended(app, value)


def test_replayed_cookie_after_own_password_change_gets_the_login_page(app, client, logged_in):
    _user, value = logged_in
    response = client.post("/account/password", data={"current": TEST_PASSWORD, "new": NEW_PASSWORD,
                                                       "again": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    _assert_ended(app, value)
    assert client.get("/").status_code == 200  # the browser that changed it goes on, with the new generation


@pytest.mark.parametrize("action", ["reset", "disable", "role"])
def test_replayed_cookie_after_an_admin_acts_gets_the_login_page(app, session, make_user, logged_in, action):
    user, value = logged_in
    admin = make_user("admin")
    session.commit()
    if action == "reset":
        management.reset_password(session, admin, user.id, utcnow())
    elif action == "disable":
        management.set_active(session, admin, user.id, False, utcnow())
    else:
        management.update_user(session, admin, user.id, display_name=user.display_name, role="auditor",
                               unit_id=None, office_id=None, now=utcnow())
    assert session.get(User, user.id).session_version > 0
    _assert_ended(app, value)


def test_a_forged_generation_is_refused(app, logged_in):
    """The generation is inside the signed cookie: it cannot be edited without the secret key."""
    _user, value = logged_in
    _assert_ended(app, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
