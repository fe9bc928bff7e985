"""Two admins disable each other at the same moment, several times over, against gunicorn with 4 workers on
PostgreSQL (and 2 on SQLite): the system always keeps one active admin — the admins are locked before the check."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.security import conftest as sec

pytestmark = pytest.mark.slow
ROUNDS = 4


@pytest.fixture(params=[("postgresql", 4), ("sqlite", 2)], ids=["postgresql-4workers", "sqlite-2workers"])
def admins_server(request, tmp_path):
    from election.accounts.models import User
    from election.core.db import make_engine

    kind, workers = request.param
    url = sec.fresh_database(kind, request, tmp_path, "election_admins")
    engine = make_engine(url)
    with Session(engine) as s:
        for name in ("admin_a", "admin_b"):
            s.add(User(username=name, display_name=name, role="admin", password_hash=sec.cheap_hash()))
        s.commit()
        ids = dict(s.execute(select(User.username, User.id)).all())
    engine.dispose()
    server = sec.start_server(url, tmp_path, workers=workers)
    yield server, url, ids
    server.stop()


def _ready(base: str, actor: str, target_id: int):
    """A logged-in session of ACTOR on TARGET's page, with the form's token: the request is then fired at once."""
    s = sec.web_login(base, actor)
    token = sec.csrf_of(s.get(f"{base}/admin/users/{target_id}", timeout=60).text)
    return s, token, target_id


def _disable(base: str, ready) -> int:
    s, token, target_id = ready
    return s.post(f"{base}/admin/users/{target_id}/disable", data={"csrf_token": token}, allow_redirects=False,
                  timeout=120).status_code


def test_two_admins_disabling_each_other_leave_one(admins_server):
    from election.accounts.models import User
    from election.core.db import make_engine

    server, url, ids = admins_server
    engine = make_engine(url)
    for _ in range(ROUNDS):
        sessions = [_ready(server.url, actor, target)
                    for actor, target in [("admin_a", ids["admin_b"]), ("admin_b", ids["admin_a"])] * 2]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda ready: _disable(server.url, ready), sessions))
        assert all(status in (302, 303) for status in results), results
        with Session(engine) as s:
            active = s.scalar(select(func.count()).select_from(User).where(User.role == "admin",
                                                                           User.active.is_(True)))
            assert active == 1, "exactly one admin must stay active"
            s.execute(User.__table__.update().values(active=True))  # both active again for the next round
            s.commit()
    sec.FIGURES["concurrent_requests"] += ROUNDS * 4
    engine.dispose()


@pytest.fixture(params=[("postgresql", 4), ("sqlite", 2)], ids=["postgresql-4workers", "sqlite-2workers"])
def empty_server(request, tmp_path):
    kind, workers = request.param
    url = sec.fresh_database(kind, request, tmp_path, "election_first_run")
    server = sec.start_server(url, tmp_path, workers=workers)
    yield server, url
    server.stop()


def test_the_first_run_page_sent_at_once_makes_one_admin(empty_server):
    import requests

    from election.accounts.models import User
    from election.core.db import make_engine

    server, url = empty_server
    ready = []
    for n in range(6):
        s = requests.Session()
        ready.append((s, sec.csrf_of(s.get(f"{server.url}/setup", timeout=60).text), n))

    def send(item):
        s, token, n = item
        return s.post(f"{server.url}/setup", data={"csrf_token": token, "username": f"first{n}",
                                                   "display_name": f"管理员{n}", "new": "Qiu-shui-43-Chang-tian",
                                                   "again": "Qiu-shui-43-Chang-tian"},
                      allow_redirects=False, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(send, ready))
    assert results.count(302) == 1 and all(r in (302, 404, 422) for r in results), results
    engine = make_engine(url)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(User).where(User.role == "admin")) == 1
    engine.dispose()
    sec.FIGURES["concurrent_requests"] += len(results)
