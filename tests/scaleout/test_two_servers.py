"""Two app servers (gunicorn, two workers each, on two ports) on one PostgreSQL database and one shared file store
(ELECTION_UPLOAD_DIR): 23 units upload and submit their lists, alternately through A and B, while the office
tries to advance the stage through both; a change made through A shows through B at once (the page cache's data
stamp); the office pressing advance through A and B at the same moment moves the stage once; two schedulers at the same moment run the day's reminders once (the lease); an export started through A
runs on one `election worker` fed by the shared queue, and B shows its progress and hands out its file."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.security import conftest as sec

UNITS = 23
pytestmark = pytest.mark.slow
STAGE_RE = re.compile(r'data-testid="stage">([^<]+)<')


@pytest.fixture(scope="module")
def two_servers(request, tmp_path_factory, redis_url):
    """One database, one upload folder, one secret key, one job queue (Redis); servers A and B."""
    tmp = tmp_path_factory.mktemp("two_servers")
    url = sec.fresh_database("postgresql", request, tmp, "election_two_servers")
    ids = sec.seed_nomination_race(url, UNITS)
    queue = {"ELECTION_QUEUE_URL": redis_url, "ELECTION_QUEUE_NAMESPACE": f"two-servers-{os.getpid()}"}
    servers = [sec.start_server(url, tmp, workers=2, env=queue) for _ in range(2)]
    yield servers, url, ids, tmp, queue
    for server in servers:
        server.stop()


def _unit_run(bases: list[str], unit: dict) -> dict:
    """Log in and upload through one server, submit through the other: the session needs no sticky server."""
    first, second = bases[unit["index"] % 2], bases[(unit["index"] + 1) % 2]
    data, names = sec.nominee_workbook(unit["index"], unit["rows"])
    s = sec.web_login(first, unit["username"])
    token = sec.csrf_of(s.get(f"{first}/units/{unit['eu']}", timeout=60).text)
    up = s.post(f"{first}/units/{unit['eu']}/upload", data={"csrf_token": token},
                files={"file": ("名单.xlsx", data, "application/octet-stream")}, allow_redirects=False, timeout=120)
    token = sec.csrf_of(s.get(f"{second}/units/{unit['eu']}", timeout=60).text)
    sub = s.post(f"{second}/units/{unit['eu']}/submit", data={"csrf_token": token}, allow_redirects=False,
                 timeout=120)
    return {"eu": unit["eu"], "names": names, "upload": up.status_code, "submit": sub.status_code}


def _advance(s, base: str, election_id: int) -> int:
    token = sec.csrf_of(s.get(f"{base}/elections/{election_id}", timeout=60).text)
    return s.post(f"{base}/elections/{election_id}/advance", data={"csrf_token": token}, allow_redirects=False,
                  timeout=120).status_code


def _office_run(base: str, election_id: int, stop: threading.Event, done: threading.Barrier) -> list[int]:
    """Keep trying to advance while the units work; once all are done, one more try at the same moment as the
    office on the other server."""
    s = sec.web_login(base, "race_office")
    statuses = []
    while not stop.is_set():
        statuses.append(_advance(s, base, election_id))
        time.sleep(0.05)
    done.wait(timeout=60)
    statuses.append(_advance(s, base, election_id))
    return statuses


def test_the_rush_and_the_advance_through_two_servers_lose_and_double_nothing(two_servers):
    from election.audit.models import AuditEntry
    from election.audit.services import verify_chain
    from election.core.db import make_engine
    from election.directory.models import ElectionUnit
    from election.elections.models import Election, StageChange
    from election.nominations.models import Nominee

    servers, url, ids, *_ = two_servers
    bases = [server.url for server in servers]
    stop, done = threading.Event(), threading.Barrier(2)
    with ThreadPoolExecutor(max_workers=UNITS + 2) as pool:
        offices = [pool.submit(_office_run, base, ids["election"], stop, done) for base in bases]
        results = [f.result(timeout=240) for f in [pool.submit(_unit_run, bases, u) for u in ids["units"]]]
        stop.set()
        office_statuses = [f.result(timeout=240) for f in offices]

    logs = "\n".join(server.log.read_text(errors="replace")[-1500:] for server in servers)
    assert all(r["upload"] == 302 and r["submit"] == 302 for r in results), f"{results}\n服务器日志：\n{logs}"
    assert all(code < 500 for codes in office_statuses for code in codes), f"{office_statuses}\n{logs}"
    engine = make_engine(url)
    with Session(engine) as s:
        for r in results:   # every list whole, whichever server took the upload and the submit
            stored = list(s.scalars(select(Nominee.name).where(Nominee.election_unit_id == r["eu"])
                                    .order_by(Nominee.position)))
            assert stored == r["names"], f"单位 {r['eu']} 的名单没有完整保存"
            assert s.get(ElectionUnit, r["eu"]).status == "submitted"
        dupes = s.execute(select(Nominee.id_number, func.count()).group_by(Nominee.id_number)
                          .having(func.count() > 1)).all()
        assert not dupes, f"身份证号重复：{dupes}"
        assert s.scalar(select(func.count()).select_from(Nominee)) == sum(len(r["names"]) for r in results)
        moves = list(s.scalars(select(StageChange).where(StageChange.election_id == ids["election"])))
        assert [(m.from_stage, m.to_stage) for m in moves] == [("nominate", "shortlist")]   # once, not twice
        assert moves[0].at >= max(s.scalars(select(ElectionUnit.submitted_at)
                                            .where(ElectionUnit.election_id == ids["election"])))
        assert s.get(Election, ids["election"]).stage == "shortlist"

        def count(action: str) -> int:
            return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))

        assert count("nominations.import") == UNITS
        assert count("election.advance") == 1
        assert verify_chain(s).ok       # one hash chain, written by four workers on two servers
    engine.dispose()


def test_a_change_through_one_server_shows_through_the_other_at_once(two_servers):
    from sqlalchemy import text

    from election.core.db import make_engine

    servers, url, ids, *_ = two_servers
    a, b = (server.url for server in servers)
    page = f"/elections/{ids['election']}"
    on_a, on_b = sec.web_login(a, "race_office"), sec.web_login(b, "race_office")

    on_b.get(b + page, timeout=60)             # the session now holds its CSRF token: B's answers set no cookie
    cookies = on_b.cookies.get_dict()

    def seen_on_b() -> set[tuple[str, bool]]:
        """(stage, renamed) over 8 requests sent at once: a sync worker busy with one cannot take the next, so both
        of B's workers answer (asked one after another, one worker may take them all and the other never render)."""
        import requests

        with ThreadPoolExecutor(max_workers=8) as pool:
            pages = list(pool.map(lambda _: requests.get(b + page, cookies=cookies, timeout=60).text, range(8)))
        return {(STAGE_RE.search(p).group(1), "两台服务器改名" in p) for p in pages}

    [(before, renamed)] = seen_on_b()          # rendered once per worker, then kept in its page cache
    assert not renamed
    # a change made outside the services (no audit entry, the stamp stays): B's workers keep serving their page —
    # so what B shows below comes from its cache, not from a fresh render
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE elections SET title = title || '（两台服务器改名）' WHERE id = :id"),
                     {"id": ids["election"]})
    engine.dispose()
    assert seen_on_b() == {(before, False)}
    token = sec.csrf_of(on_a.get(a + page, timeout=60).text)
    back = on_a.post(f"{a}{page}/return", data={"csrf_token": token, "target": "nominate",
                                              "reason": "两台服务器测试：退回重新报送"},
                     allow_redirects=False, timeout=60)
    assert back.status_code == 302
    after = STAGE_RE.search(on_a.get(a + page, timeout=60).text).group(1)
    assert after != before
    # the return through A appended an audit entry: the stamp moved, every worker of B renders anew at once
    assert seen_on_b() == {(after, True)}


def test_the_office_on_both_servers_presses_advance_at_the_same_moment_one_advance(two_servers):
    """After the return above every list is still submitted, so the advance is allowed again: pressed through A and
    B at the same moment, it happens once; the other press is refused cleanly (no 5xx, the stage moved once)."""
    from election.core.db import make_engine
    from election.elections.models import Election, StageChange
    from election.elections.services import CONFLICT_MESSAGE

    servers, url, ids, *_ = two_servers
    bases = [server.url for server in servers]
    page = f"/elections/{ids['election']}"
    barrier = threading.Barrier(2)

    def press(base: str) -> tuple[int, str]:
        s = sec.web_login(base, "race_office")
        token = sec.csrf_of(s.get(base + page, timeout=60).text)
        barrier.wait(timeout=30)
        r = s.post(f"{base}{page}/advance", data={"csrf_token": token}, allow_redirects=True, timeout=60)
        return r.status_code, r.text

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(press, bases))
    assert all(code < 500 for code, _ in answers), [code for code, _ in answers]
    engine = make_engine(url)
    with Session(engine) as s:
        moves = list(s.scalars(select(StageChange).where(StageChange.election_id == ids["election"])
                               .order_by(StageChange.id)))
        assert [m.kind for m in moves] == ["advance", "return", "advance"]
        assert s.get(Election, ids["election"]).stage == "shortlist"
    engine.dispose()
    moved = [text for _code, text in answers if "已进入“确定考察对象”阶段" in text]
    assert len(moved) == 1
    [(code, text)] = [(code, text) for code, text in answers if text is not moved[0]]
    # the loser either collided in the same instant (the version check: 409 and why) or came just after (the
    # stage had moved on: its page, nothing done)
    assert (code == 409 and CONFLICT_MESSAGE in text) or (code == 200 and "已进入" not in text), (code, text[-500:])


def test_two_schedulers_at_the_same_moment_run_the_day_once(two_servers):
    from election.core.clock import utcnow
    from election.core.db import make_engine
    from election.notifications.leases import day_period
    from election.notifications.models import SchedulerRun

    servers, url, _ids, tmp, _queue = two_servers
    env = {**os.environ, "ELECTION_DATABASE_URL": url, "ELECTION_SECRET_KEY": "security-tests-secret-key-0123456789",
           "ELECTION_UPLOAD_DIR": str(tmp / "uploads")}
    cli = [str(sec.VENV_BIN / "election"), "reminders"]
    # one `election reminders` per server's machine, started together
    procs = [subprocess.Popen(cli, env=env, cwd=str(sec.PROJECT_DIR), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in servers]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert sorted("已生成" in out for out in outputs) == [False, True], outputs
    assert any("已由其他进程执行" in out for out in outputs), outputs
    engine = make_engine(url)
    with Session(engine) as s:
        runs = list(s.scalars(select(SchedulerRun).where(SchedulerRun.job == "daily_reminders")))
    engine.dispose()
    assert [(r.period, r.outcome.startswith("ok: ")) for r in runs] == [(day_period(utcnow()), True)]


def test_an_export_started_through_one_server_is_watched_and_downloaded_through_the_other(two_servers):
    import io

    from openpyxl import load_workbook

    servers, url, ids, tmp, queue = two_servers
    a, b = (server.url for server in servers)
    env = {**os.environ, "ELECTION_DATABASE_URL": url, "ELECTION_SECRET_KEY": "security-tests-secret-key-0123456789",
           "ELECTION_UPLOAD_DIR": str(tmp / "uploads"), **queue}
    log = (tmp / "worker.log").open("wb")
    worker = subprocess.Popen([str(sec.VENV_BIN / "election"), "worker", "--threads", "1"], cwd=str(sec.PROJECT_DIR),
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        on_a, on_b = sec.web_login(a, "race_office"), sec.web_login(b, "race_office")
        token = sec.csrf_of(on_a.get(f"{a}/tasks/", timeout=60).text)
        started = on_a.post(f"{a}/tasks/nominees-export", data={"csrf_token": token, "election_id": ids["election"]},
                            allow_redirects=False, timeout=60)
        assert started.status_code == 302 and re.search(r"/tasks/\d+$", started.headers["Location"])
        task_path = started.headers["Location"].removeprefix(a)
        deadline, state = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            state = on_b.get(f"{b}{task_path}.json", timeout=30).json()
            if state["finished"]:
                break
            time.sleep(0.1)
        assert state["status"] == "done", f"{state}\n{(tmp / 'worker.log').read_text(errors='replace')[-2000:]}"
        got = on_b.get(b + state["download_url"], timeout=60)
        assert got.status_code == 200
        sheet = load_workbook(io.BytesIO(got.content), read_only=True).active
        names = {row[1] for row in sheet.iter_rows(values_only=True)}
        expected = {n for u in ids["units"] for n in sec.nominee_workbook(u["index"], u["rows"])[1]}
        assert expected <= names          # every nominee of the rush, written by the worker into the shared store
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
        log.close()
