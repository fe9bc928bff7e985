"""ELECTION_DATABASE_REPLICA_URL on a real streaming replica: GET pages read the replica and writes the primary,
a locking read never leaves the primary, the page shown after saving reads the primary until the replica has
replayed the save (while other users go on reading the paused replica), a lagging or dead replica sends reads
to the primary — no error page — and they come back when it recovers.

Which engine ran a statement is counted with SQLAlchemy's ``before_cursor_execute`` on each engine (the
replica's own health query and the primary's WAL-position query are left out)."""
from __future__ import annotations

import itertools
import time

import psycopg
import pytest
from sqlalchemy import event, select

from election import create_app
from election.core.replica import HEALTH_SQL, MARKER, parse_lsn
from tests.security.conftest import SERVER_PASSWORD

pytestmark = pytest.mark.slow
_codes = itertools.count(1)
DEADLINE = 15  # seconds any awaited change may take (they take well under one)


class Probe:
    """An app on primary + replica, with its statements counted per engine."""

    def __init__(self, urls: tuple[str, str], **config):
        self.app = create_app({"TESTING": True, "DATABASE_URL": urls[0], "DATABASE_REPLICA_URL": urls[1],
                               "WTF_CSRF_ENABLED": False, "SECRET_KEY": "replica-test-key-0123456789",
                               "DATABASE_REPLICA_CHECK_SECONDS": 0, "DATABASE_REPLICA_RETRY_SECONDS": 0,
                               **config})
        state = self.app.extensions["election_db"]
        self.counts = {"primary": 0, "replica": 0}
        for name, engine in (("primary", state.engine), ("replica", state.replica)):
            event.listen(engine, "before_cursor_execute", self._counter(name))

    def _counter(self, name: str):
        def count(_conn, _cursor, statement, *_args):
            if statement != HEALTH_SQL and "pg_current_wal_lsn" not in statement:
                self.counts[name] += 1
        return count

    def client(self, username: str):
        client = self.app.test_client()
        r = client.post("/login", data={"username": username, "password": SERVER_PASSWORD})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
        return client

    def get(self, client, url: str = "/directory/", **kw):
        """(response, statements on the primary, statements on the replica) of one GET."""
        before = dict(self.counts)
        response = client.get(url, **kw)
        return response, self.counts["primary"] - before["primary"], self.counts["replica"] - before["replica"]

    def until_replica(self, client, url: str = "/directory/", want: str | None = None, **kw):
        """GET until the page is read from the replica alone (and shows WANT): the user's last write replayed."""
        deadline = time.monotonic() + DEADLINE
        while True:
            response, on_primary, on_replica = self.get(client, url, **kw)
            assert response.status_code == 200
            page = response.get_data(as_text=True)
            if on_replica and not on_primary and (want is None or want in page):
                return page
            assert time.monotonic() < deadline, f"{url} 未回到副本读取"
            time.sleep(0.05)


def add_org(client, code: str):
    """The clerk saves a new organisation under the seeded 选举单位 through the real form."""
    return client.post("/directory/new", data={"code": code, "name": f"副本测试{code}党工委", "category": "党工委",
                                               "parent_code": "TOP", "grassroots_orgs": "0", "members": "0"})


def on_replica(urls, sql: str):
    with psycopg.connect(urls[1].replace("+psycopg", ""), autocommit=True) as conn:
        return conn.execute(sql).fetchone()


@pytest.fixture(scope="module")
def probe(replica_urls):
    return Probe(replica_urls, DATABASE_REPLICA_MAX_LAG=3600)


def test_get_pages_read_the_replica_and_writes_the_primary(probe, replica_urls):
    clerk = probe.client("clerk")
    probe.until_replica(clerk)  # after the login's write, once the replica has replayed it
    code = f"R{next(_codes):04d}"
    before = dict(probe.counts)
    saved = add_org(clerk, code)
    assert saved.status_code == 302
    assert probe.counts["replica"] == before["replica"] and probe.counts["primary"] > before["primary"]
    with clerk.session_transaction() as cookie:
        assert parse_lsn(cookie[MARKER]) is not None  # the write left the primary's WAL position
    assert code in probe.until_replica(clerk, want=code)
    with clerk.session_transaction() as cookie:
        assert MARKER not in cookie  # replayed: the marker is dropped
    # the replica really is read-only: a write there fails, so nothing that writes could have gone there
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction, match="read-only transaction"):
        on_replica(replica_urls, "INSERT INTO organisations (code) VALUES ('X')")


def test_a_locking_read_and_what_follows_it_use_the_primary(probe):
    from election.accounts.models import User
    from election.core.db import db

    with probe.app.test_request_context("/directory/"):
        probe.app.preprocess_request()
        before = dict(probe.counts)
        db.session.execute(select(User.id).limit(1)).all()
        assert probe.counts["replica"] == before["replica"] + 1
        locked = db.session.execute(select(User.username).where(User.username == "clerk").with_for_update())
        assert locked.scalar_one() == "clerk"  # on the replica FOR UPDATE fails ("read-only transaction")
        db.session.execute(select(User.id).limit(1)).all()
        assert probe.counts["replica"] == before["replica"] + 1 and probe.counts["primary"] == before["primary"] + 2
        db.session.rollback()
    with probe.app.app_context():  # outside a request (CLI, scheduler, workers): the primary only
        before = dict(probe.counts)
        db.session.execute(select(User.id).limit(1)).all()
        assert probe.counts == {"primary": before["primary"] + 1, "replica": before["replica"]}
        db.state.session.remove()


def test_the_saver_sees_his_save_while_others_read_the_paused_replica(probe, replica_urls):
    clerk, reader = probe.client("clerk"), probe.client("reader")
    probe.until_replica(clerk)
    probe.until_replica(reader)
    code = f"R{next(_codes):04d}"
    on_replica(replica_urls, "SELECT pg_wal_replay_pause()")
    try:
        saved = add_org(clerk, code)
        assert saved.status_code == 302
        shown, on_primary, read_replica = probe.get(clerk, saved.headers["Location"])
        assert code in shown.get_data(as_text=True) and on_primary and not read_replica
        other, on_primary, read_replica = probe.get(reader)
        assert code not in other.get_data(as_text=True) and read_replica and not on_primary
        assert code in probe.get(clerk)[0].get_data(as_text=True)  # and on every page until replayed
    finally:
        on_replica(replica_urls, "SELECT pg_wal_replay_resume()")
    assert code in probe.until_replica(reader, want=code)
    assert code in probe.until_replica(clerk, want=code)


def test_a_lagging_replica_sends_reads_to_the_primary(replica_urls):
    probe = Probe(replica_urls, DATABASE_REPLICA_MAX_LAG=0.5)
    clerk, reader = probe.client("clerk"), probe.client("reader")
    probe.until_replica(reader)
    code = f"R{next(_codes):04d}"
    on_replica(replica_urls, "SELECT pg_wal_replay_pause()")
    try:
        assert add_org(clerk, code).status_code == 302  # not yet replayed: the replica now falls behind
        deadline = time.monotonic() + DEADLINE
        while True:  # the lag grows past the bound: the reader is sent to the primary and sees the new row
            page, on_primary, read_replica = probe.get(reader)
            assert page.status_code == 200
            if on_primary and not read_replica:
                break
            assert code not in page.get_data(as_text=True) and time.monotonic() < deadline
            time.sleep(0.1)
        assert code in page.get_data(as_text=True)
        assert probe.app.extensions["election_replica"].current().lag > 0.5
    finally:
        on_replica(replica_urls, "SELECT pg_wal_replay_resume()")
    assert code in probe.until_replica(reader, want=code)


def test_a_dead_replica_sends_reads_to_the_primary_until_it_is_back(probe, replica_pair, replica_urls):
    # a second app that checked the replica once and will not look again for an hour: its first request after
    # the crash finds the replica dead at connect (the ping) and is served by the primary
    patient = Probe(replica_urls, DATABASE_REPLICA_MAX_LAG=3600, DATABASE_REPLICA_CHECK_SECONDS=3600,
                    DATABASE_REPLICA_RETRY_SECONDS=3600)
    reader, late = probe.client("reader"), patient.client("reader")
    probe.until_replica(reader)
    patient.until_replica(late)
    code = f"R{next(_codes):04d}"
    assert replica_pair.pg_ctl("stop", "-m", "immediate").returncode == 0
    try:
        assert add_org(probe.client("clerk"), code).status_code == 302
        for app, client in ((probe, reader), (patient, late), (probe, reader), (patient, late)):
            page, on_primary, read_replica = app.get(client)
            assert page.status_code == 200 and on_primary and not read_replica
            assert code in page.get_data(as_text=True)
        assert not patient.app.extensions["election_replica"].current().ok
    finally:
        assert replica_pair.pg_ctl("start").returncode == 0
    assert code in probe.until_replica(reader, want=code)  # checked on every request here: back at once
    page, on_primary, read_replica = patient.get(late)  # the patient app waits out its retry pause
    assert page.status_code == 200 and on_primary and not read_replica



def test_api_reads_the_replica_and_a_client_keeping_its_cookie_reads_its_writes(probe, replica_urls):
    from sqlalchemy.orm import Session as OrmSession

    from election.accounts.models import User
    from election.api import credentials
    from election.core.clock import utcnow
    from election.core.db import make_engine

    engine = make_engine(replica_urls[0])
    with OrmSession(engine) as s:
        clerk = s.scalar(select(User).where(User.username == "clerk"))
        headers = {"Authorization": f"Bearer {credentials.create_token(s, clerk, '副本测试', 30, utcnow()).secret}"}
    engine.dispose()
    keeper, forgetful = probe.app.test_client(), probe.app.test_client()  # forgetful: sends no cookie back
    probe.until_replica(keeper, "/api/v1/organisations", headers=headers)  # a token's first use writes its 最近使用 time
    code = f"R{next(_codes):04d}"
    on_replica(replica_urls, "SELECT pg_wal_replay_pause()")
    try:
        made = keeper.post("/api/v1/organisations", headers=headers, json={
            "code": code, "name": f"接口测试{code}", "category": "党工委", "parent_code": "TOP"})
        assert made.status_code == 201
        with keeper.session_transaction() as cookie:
            assert parse_lsn(cookie[MARKER]) is not None
        url = f"/api/v1/organisations/{made.json['id']}"
        shown, on_primary, read_replica = probe.get(keeper, url, headers=headers)  # the cookie holds the write's WAL position
        assert shown.status_code == 200 and on_primary and not read_replica
        missing, on_primary, read_replica = probe.get(forgetful, url, headers=headers)
        assert missing.status_code == 404 and read_replica and not on_primary
    finally:
        on_replica(replica_urls, "SELECT pg_wal_replay_resume()")
