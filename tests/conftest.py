"""Fixtures: the app on SQLite and on PostgreSQL, a rolled-back session per test, creators, login helper.

Database tests take the `app`/`session`/`client` fixtures and so run twice: [sqlite] and [postgresql].
PostgreSQL comes from ELECTION_TEST_PG_URL (a server URL without a database name) or from a throwaway
cluster started here. Where it cannot be had the PostgreSQL tests are skipped with the reason — except
when CI=true, where that is a failure.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from election import create_app
from election.core.db import make_engine
from tests import pg

pytest_plugins = ["tests.fixtures.api"]  # fixtures shared across areas (token_for)

IN_CI = os.environ.get("CI", "").lower() == "true"

# CI runs the property tests with a fixed seed so a landing never depends on luck; locally every run explores anew
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    _hypothesis_settings.load_profile("ci")
TEST_PASSWORD = "test-password-1"  # noqa: S105


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """scrypt is deliberately slow; the suite hashes hundreds of passwords, so it uses a cheap PBKDF2."""
    from election.accounts import models as users

    users.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    yield
    users.PASSWORD_HASH_METHOD = "scrypt"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true 时不允许跳过：{reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = os.environ.get("ELECTION_TEST_PG_URL")
    if url:
        yield url.rstrip("/")
        return
    cluster, why = pg.start_cluster()
    if cluster is None:
        unavailable(f"PostgreSQL 不可用，跳过 PostgreSQL 测试：{why}")
    try:
        yield cluster.url_base
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The job queue's real engine: a private redis-server for the run (tests/redis_server.py)."""
    from tests.redis_server import start_redis

    server, why = start_redis()
    if server is None:
        unavailable(f"Redis 不可用，跳过任务队列测试：{why}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    server = request.getfixturevalue("pg_server")
    return pg.create_database(server, "election_test")


@pytest.fixture(scope="session")
def engine(database_url):
    from election.models import Base

    eng = make_engine(database_url)
    # the schema from the models; tests/core/test_migrations.py proves the Alembic migrations build the same
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine):
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def session_factory(connection):
    # SQLAlchemy docs, "Joining a Session into an External Transaction": service commits become savepoints
    return scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))


@pytest.fixture
def app(engine, session_factory):
    application = create_app({"TESTING": True, "DATABASE_URL": engine.url.render_as_string(hide_password=False),
                              "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret-key-0123456789"})
    application.extensions["election_db"].session = session_factory
    with application.app_context():
        yield application


@pytest.fixture
def session(app, session_factory):
    return session_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db_kind(engine) -> str:
    return engine.dialect.name


# --- creators (Indico style: fixtures that return callables) ------------------------------------------------
_counter = itertools.count(1)


@pytest.fixture
def make_unit(session):
    from election.directory.models import Unit

    def make(name: str | None = None, **kw) -> Unit:
        n = next(_counter)
        unit = Unit(code=kw.pop("code", f"U{n:04d}"), name=name or f"测试单位{n}", kind=kw.pop("kind", "党工委"), **kw)
        session.add(unit)
        session.flush()
        return unit

    return make


@pytest.fixture
def make_user(session):
    from election.accounts.models import User

    def make(role: str = "admin", username: str | None = None, **kw) -> User:
        n = next(_counter)
        user = User(username=username or f"{role}{n}", display_name=kw.pop("display_name", f"{role}用户{n}"),
                    role=role, **kw)
        user.set_password(TEST_PASSWORD)
        session.add(user)
        session.flush()
        return user

    return make


@pytest.fixture
def make_election(session, make_unit):
    from election.directory.models import ElectionUnit
    from election.elections.models import Election

    def make(stage: str = "nominate", units: int = 2, seats: int = 16, **kw) -> Election:
        election = Election(title=kw.pop("title", f"测试选举{next(_counter)}"), seats=seats, stage=stage,
                            age_reference_date=kw.pop("age_reference_date", date(2019, 4, 10)), **kw)
        session.add(election)
        session.flush()
        for _ in range(units):
            session.add(ElectionUnit(election_id=election.id, unit_id=make_unit().id, quota=11, report_count=17))
        session.flush()
        return election

    return make


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(connection):
    """with count_queries() as q: … ; assert q.count <= budget — keeps pages free of N+1 queries."""

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                counter.statements.append(statement)

        event.listen(connection, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(connection, "before_cursor_execute", before)

    return counting


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = TEST_PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(make_user, auth):
    """login_as("unit", unit_id=…) -> the logged-in user."""

    def login(role: str = "admin", **kw):
        user = make_user(role, **kw)
        response = auth.login(user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


# --- the security figures (tests/security/conftest.py FIGURES), added up over pytest-xdist's processes -------------
def pytest_sessionfinish(session):
    """In a pytest-xdist worker: hand this process's figures to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        from tests.security import conftest as sec

        output["security_figures"] = dict(sec.FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.security import conftest as sec

    for key, value in getattr(node, "workeroutput", {}).get("security_figures", {}).items():
        sec.FIGURES[key] = max(sec.FIGURES[key], value) if key in sec.MAX_FIGURES else sec.FIGURES[key] + value


def pytest_terminal_summary(terminalreporter):
    """The security figures (routes × roles checked, bad inputs tried …), then say plainly where the tests ran:
    SQLite, PostgreSQL, Chromium."""
    import sys

    sec = sys.modules.get("tests.security.conftest")
    if sec is not None and any(sec.FIGURES.values()):
        terminalreporter.write_sep("=", "安全与可靠性测试数据")
        terminalreporter.write_line("；".join(f"{sec.FIGURE_LABELS[k]} {v}" for k, v in sec.FIGURES.items() if v))
    counts = {"sqlite": 0, "postgresql": 0, "chromium": 0}
    for report in terminalreporter.stats.get("passed", []):
        if report.when != "call":
            continue
        nodeid = report.nodeid
        if "[sqlite" in nodeid or "-sqlite" in nodeid:
            counts["sqlite"] += 1
        if "postgresql" in nodeid:
            counts["postgresql"] += 1
        if "/e2e/" in nodeid:
            counts["chromium"] += 1
    terminalreporter.write_sep("=", "运行环境")
    terminalreporter.write_line(f"SQLite 上通过 {counts['sqlite']} 项；PostgreSQL 上通过 {counts['postgresql']} 项；"
                                f"Chromium 浏览器测试通过 {counts['chromium']} 项")
