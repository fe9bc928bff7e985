"""The page cache (election/core/page_cache.py): heavy pages served from memory while the data stamp holds,
and never stale — a service change, a new reminder, a new day, a flash message or another session all show."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask import g

from election.core.page_cache import LRU, PLACEHOLDER
from election.elections.services import abort_election
from election.notifications.models import Notification
from tests.conftest import TEST_PASSWORD

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def tokens(html: str) -> set[str]:
    return {a or b for a, b in TOKEN.findall(html)}


@pytest.fixture
def office_page(client, login_as, make_election):
    user = login_as("office")
    election = make_election(stage="plan", units=3)
    client.get("/help/")  # shows (and so clears) the welcome message: a page with a flash is never kept
    return user, election, f"/elections/{election.id}"


def test_second_request_is_served_from_the_cache_with_two_statements(client, office_page, count_queries):
    _, _, url = office_page
    first = client.get(url)
    assert first.status_code == 200
    with count_queries() as miss_again:
        client.get(url + "?x=1")  # another URL: rendered
    with count_queries() as hit:
        again = client.get(url)
    assert again.get_data(as_text=True) == first.get_data(as_text=True)
    # one statement: the stamp (newest audit hash + unread reminders), read with the user when Flask-Login loads
    # one (here the test's app context keeps the user between requests)
    assert hit.count == 1 and "audit_entries" in hit.statements[0] and "notifications" in hit.statements[0]
    assert miss_again.count > 5


def test_a_change_through_a_service_shows_at_once(client, session, office_page):
    user, election, url = office_page
    stage = re.compile(r'data-testid="stage">([^<]+)<')
    assert stage.search(client.get(url).get_data(as_text=True)).group(1) == "制定工作方案"
    client.get(url)  # now cached
    abort_election(session, election.id, user, "上级通知暂停", datetime(2026, 3, 1, 2), date(2026, 3, 1),
                   expected_version=election.version)
    assert stage.search(client.get(url).get_data(as_text=True)).group(1) == "已中止"


def test_a_new_reminder_without_an_audit_entry_still_updates_the_bell(client, session, office_page):
    user, _, url = office_page
    assert 'class="count"' not in client.get(url).get_data(as_text=True)
    session.add(Notification(user_id=user.id, kind="deadline", message="提醒", link="/", dedup_key="t1"))
    session.commit()
    assert '<span class="count">1</span>' in client.get(url).get_data(as_text=True)


def test_a_new_day_renders_again(client, office_page, monkeypatch, app):
    _, _, url = office_page
    client.get(url)
    cache = app.extensions["page_cache"]
    misses = cache.misses
    client.get(url)
    assert cache.misses == misses
    monkeypatch.setattr("election.core.page_cache.today_local", lambda: date(2099, 1, 1))
    client.get(url)
    assert cache.misses == misses + 1


def test_each_session_gets_its_own_csrf_token_from_a_cached_page(app, office_page, client):
    user, election, url = office_page
    other = app.test_client()
    assert other.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        mine = client.get(url).get_data(as_text=True)
        # each request has its own app context in production; the test's outer one keeps g between requests
        g.pop("csrf_token", None)
        other.get("/help/")  # the welcome message
        g.pop("csrf_token", None)
        theirs = other.get(url).get_data(as_text=True)  # the same user and data: served from the cache
        assert PLACEHOLDER not in mine and PLACEHOLDER not in theirs
        t_mine, t_theirs = tokens(mine), tokens(theirs)
        assert len(t_mine) == 1 and len(t_theirs) == 1 and t_mine != t_theirs
        panel = f"/elections/{election.id}/quota-panel"
        assert client.post(panel, data={"csrf_token": t_mine.pop(), "step": "nominated"}).status_code == 200
        assert other.post(panel, data={"csrf_token": t_theirs.pop(), "step": "nominated"}).status_code == 200
        assert client.post(panel, data={"csrf_token": "forged", "step": "nominated"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_page_with_a_pending_flash_is_not_kept(client, office_page, app):
    _, election, url = office_page
    client.get(url)
    with client.session_transaction() as s:
        s["_flashes"] = [("success", "已保存")]
    shown = client.get(url).get_data(as_text=True)
    assert "已保存" in shown
    assert "已保存" not in client.get(url).get_data(as_text=True)


def test_users_never_share_an_entry(client, auth, make_user, make_election):
    election = make_election(stage="plan", units=1)
    eu = election.units[0]
    unit_user = make_user("unit", unit_id=eu.unit_id)
    other_unit = make_user("unit", unit_id=make_election(units=1).units[0].unit_id)
    auth.login(unit_user.username)
    assert client.get(f"/units/{eu.id}").status_code == 200
    auth.logout()
    auth.login(other_unit.username)
    assert client.get(f"/units/{eu.id}").status_code == 404  # another unit's list: not from the first user's entry


def test_cache_off_and_lru_bound(app, client, office_page):
    _, _, url = office_page
    cache = LRU(2)
    for k in "abc":
        cache.put(k, k)
    assert cache.get("a") is None and cache.get("c") == "c"
    app.extensions["page_cache"] = None  # PAGE_CACHE_SIZE = 0
    assert client.get(url).status_code == 200


def test_the_user_loader_reads_the_stamp_in_the_same_statement(app, session, make_user, count_queries):
    from election.core.page_cache import load_user_with_stamp

    user = make_user("office")
    with app.test_request_context("/"):
        from flask import request

        with count_queries() as q:
            assert load_user_with_stamp(session, user.id) is user
        assert q.count == 1 and request.environ["election.page_stamp"][1] == 0
        assert load_user_with_stamp(session, 10**9) is None


def test_on_postgresql_the_loader_uses_one_autocommit_round_trip_and_no_session_transaction(engine, db_kind):
    """Against a real engine (not the tests' outer transaction): the user row and the stamp on an autocommit
    connection, the user merged into the request's session without a query, the session left without a
    transaction until the page needs one."""
    from sqlalchemy import delete, event
    from sqlalchemy.orm import Session

    from election.accounts.models import User
    from election.core.page_cache import load_user_with_stamp

    if db_kind != "postgresql":
        pytest.skip("SQLite reads through the session (no network round trips to save)")
    with Session(engine) as setup:
        user = User(username="stamp-loader", display_name="载入测试", role="office", password_hash="x")
        setup.add(user)
        setup.commit()
        uid = user.id
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with Session(engine) as session:
            loaded = load_user_with_stamp(session, uid)
            assert loaded is not None and loaded in session and loaded.username == "stamp-loader"
            assert engine.pool.checkedout() == 0  # the request's session holds no connection: no BEGIN, no ROLLBACK
            assert len(statements) == 1 and "audit_entries" in statements[0]
            assert session.get(User, uid) is loaded and len(statements) == 1  # from the identity map
            assert load_user_with_stamp(session, 10**9) is None
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        with Session(engine) as cleanup:
            cleanup.execute(delete(User).where(User.id == uid))
            cleanup.commit()
