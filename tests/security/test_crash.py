"""Crash: the server is killed with SIGKILL in the middle of an import and of a stage move.

Deterministic: the server runs ``election.core.testing_hooks:create_hooked_app()`` with ELECTION_TESTING_CRASH_HOOKS=1,
which pauses the worker right after the use case has flushed its changes and its audit row — inside the open
transaction, before the commit — and writes a marker file. The test then kills the whole server (master and
workers) with SIGKILL, restarts it, and checks that the data are exactly as before the interrupted request, that
`election audit verify` passes, and that the same action then succeeds normally (nothing left locked).
"""
from __future__ import annotations

import itertools
import os
import subprocess
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.core.clock import utcnow
from tests.security import conftest as sec

pytestmark = pytest.mark.slow
_DB_NUMBER = itertools.count(1)  # a database per test: a killed server's connections may linger a moment
TODAY = date(2026, 5, 6)


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_db(request, tmp_path):
    url = sec.fresh_database(request.param, request, tmp_path, f"election_crash_{next(_DB_NUMBER)}")
    ids = sec.seed_nomination_race(url, 2)
    return url, ids


def _snapshot(url: str, election_id: int) -> dict:
    from election.audit.models import AuditEntry
    from election.core.db import make_engine
    from election.directory.models import ElectionUnit
    from election.elections.models import Election, StageChange
    from election.nominations.models import Nominee

    engine = make_engine(url)
    with Session(engine) as s:
        snap = {
            "nominees": sorted(s.execute(select(Nominee.election_unit_id, Nominee.position, Nominee.name,
                                                Nominee.id_number)).all()),
            "units": sorted(s.execute(select(ElectionUnit.id, ElectionUnit.status)).all()),
            "stage": s.get(Election, election_id).stage,
            "version": s.get(Election, election_id).version,
            "moves": s.scalar(select(func.count()).select_from(StageChange)),
            # the use cases' entries (logins of the test's own sessions are audited too, and are not the point)
            "audit": s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.notlike("user.login%"))),
        }
    engine.dispose()
    return snap


def _import_and_submit(url: str, unit: dict, *, submit: bool) -> None:
    """Give a unit a stored list in-process (the state before the interrupted request)."""
    from election.accounts.models import User
    from election.core.db import make_engine
    from election.nominations import services as nominations

    data, _names = sec.nominee_workbook(unit["index"], unit["rows"])
    engine = make_engine(url)
    with Session(engine) as s:
        actor = s.scalar(select(User).where(User.username == unit["username"]))
        assert nominations.import_nominee_file(s, actor, unit["eu"], data, TODAY, utcnow()).ok
        if submit:
            assert nominations.submit_list(s, actor, unit["eu"], TODAY, utcnow()) == []
    engine.dispose()


def _audit_verify(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ELECTION_DATABASE_URL": url}
    return subprocess.run([str(sec.VENV_BIN / "election"), "audit", "verify"], capture_output=True, text=True,
                          env=env, timeout=120, cwd=str(sec.PROJECT_DIR), check=False)


def _crash_during(url: str, tmp_path, point: str, action) -> None:
    """Start a hooked server, run `action(base)` in a thread, SIGKILL the server once the hook has paused it."""
    marker = tmp_path / f"crash-{point}.marker"
    server = sec.start_server(url, tmp_path, workers=2, app_spec="election.core.testing_hooks:create_hooked_app()",
                              env={"ELECTION_TESTING_CRASH_HOOKS": "1", "ELECTION_TESTING_CRASH_AT": point,
                                   "ELECTION_TESTING_CRASH_MARKER": str(marker)})
    outcome: dict = {}

    def run():
        try:
            outcome["status"] = action(server.url)
        except Exception as exc:  # noqa: BLE001 - the connection dies with the server
            outcome["error"] = type(exc).__name__

    thread = threading.Thread(target=run, daemon=True)
    try:
        thread.start()
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert time.monotonic() < deadline, f"请求未到达崩溃点：{outcome}\n{server.log.read_text(errors='replace')[-2000:]}"
            assert thread.is_alive() or not outcome.get("status"), f"请求在崩溃点之前就结束了：{outcome}"
            time.sleep(0.05)
        server.kill()  # SIGKILL, mid-transaction
    finally:
        if server.process.poll() is None:
            server.kill()
    thread.join(timeout=30)
    assert "status" not in outcome, f"被中断的请求不应返回结果：{outcome}"
    sec.FIGURES["crashes_survived"] += 1


def test_crash_during_import_leaves_the_old_list(crash_db, tmp_path):
    url, ids = crash_db
    unit = ids["units"][0]
    _import_and_submit(url, unit, submit=False)  # the unit's current draft list
    before = _snapshot(url, ids["election"])
    new_list, new_names = sec.nominee_workbook(unit["index"] + 40, unit["rows"] + 2)

    def upload(base: str) -> int:
        s = sec.web_login(base, unit["username"])
        token = sec.csrf_of(s.get(f"{base}/units/{unit['eu']}", timeout=60).text)
        return s.post(f"{base}/units/{unit['eu']}/upload", data={"csrf_token": token},
                      files={"file": ("名单.xlsx", new_list)}, allow_redirects=False, timeout=300).status_code

    _crash_during(url, tmp_path, "nominations.import", upload)

    assert _snapshot(url, ids["election"]) == before, "强杀后数据与中断前不一致"
    verify = _audit_verify(url)
    assert verify.returncode == 0, verify.stderr
    server = sec.start_server(url, tmp_path, workers=2)  # restarted: the same upload now goes through
    try:
        assert upload(server.url) == 302
    finally:
        server.stop()
    after = _snapshot(url, ids["election"])
    stored = [n[2] for n in after["nominees"] if n[0] == unit["eu"]]
    assert sorted(stored) == sorted(new_names) and after["audit"] == before["audit"] + 1
    assert _audit_verify(url).returncode == 0


def test_crash_during_stage_move_leaves_the_stage(crash_db, tmp_path):
    url, ids = crash_db
    for unit in ids["units"]:
        _import_and_submit(url, unit, submit=True)  # every guard of 推荐 → 考察对象 holds
    before = _snapshot(url, ids["election"])
    assert before["stage"] == "nominate"

    def advance(base: str) -> int:
        s = sec.web_login(base, "race_office")
        token = sec.csrf_of(s.get(f"{base}/elections/{ids['election']}", timeout=60).text)
        return s.post(f"{base}/elections/{ids['election']}/advance", data={"csrf_token": token},
                      allow_redirects=False, timeout=300).status_code

    _crash_during(url, tmp_path, "election.advance", advance)

    assert _snapshot(url, ids["election"]) == before, "强杀后阶段或审计记录与中断前不一致"
    verify = _audit_verify(url)
    assert verify.returncode == 0, verify.stderr
    server = sec.start_server(url, tmp_path, workers=2)
    try:
        assert advance(server.url) == 302
    finally:
        server.stop()
    after = _snapshot(url, ids["election"])
    assert after["stage"] == "shortlist" and after["moves"] == before["moves"] + 1
    assert _audit_verify(url).returncode == 0
