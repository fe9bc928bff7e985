"""Concurrency under a real server: gunicorn with 4 workers on PostgreSQL and 2 on SQLite (WAL, busy
timeout). 23 units upload and submit their lists at once while the office keeps trying to advance the stage.

Afterwards: every submitted list is stored whole (exactly the rows of its file), nothing is duplicated, the
advance happened exactly once and only after every unit had submitted (its guard), and the audit chain holds.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.security import conftest as sec

UNITS = 23
pytestmark = pytest.mark.slow


@pytest.fixture(params=[("postgresql", 4), ("sqlite", 2)], ids=["postgresql-4workers", "sqlite-2workers"])
def race_server(request, tmp_path):
    kind, workers = request.param
    url = sec.fresh_database(kind, request, tmp_path, "election_race")
    ids = sec.seed_nomination_race(url, UNITS)
    server = sec.start_server(url, tmp_path, workers=workers)
    yield server, url, ids
    server.stop()


def _unit_run(base: str, unit: dict, submit: bool = True) -> dict:
    data, names = sec.nominee_workbook(unit["index"], unit["rows"])
    s = sec.web_login(base, unit["username"])
    page = s.get(f"{base}/units/{unit['eu']}", timeout=60)
    assert page.status_code == 200, page.status_code
    token = sec.csrf_of(page.text)
    up = s.post(f"{base}/units/{unit['eu']}/upload", data={"csrf_token": token},
                files={"file": ("名单.xlsx", data, "application/octet-stream")}, allow_redirects=False, timeout=120)
    if not submit:
        return {"eu": unit["eu"], "names": names, "upload": up.status_code, "submit": None, "requests": 4}
    sub = s.post(f"{base}/units/{unit['eu']}/submit", data={"csrf_token": token}, allow_redirects=False, timeout=120)
    return {"eu": unit["eu"], "names": names, "upload": up.status_code, "submit": sub.status_code, "requests": 5}


def _office_run(base: str, election_id: int, stop: threading.Event) -> dict:
    s = sec.web_login(base, "race_office")
    statuses = []
    while True:
        page = s.get(f"{base}/elections/{election_id}", timeout=60)
        token = sec.csrf_of(page.text)
        r = s.post(f"{base}/elections/{election_id}/advance", data={"csrf_token": token}, allow_redirects=False,
                   timeout=120)
        statuses.append(r.status_code)
        if stop.is_set() and len(statuses) >= 3:
            break
        time.sleep(0.05)
    # two last tries once everybody is done: the advance must then happen (once) — the guards hold
    for _ in range(2):
        token = sec.csrf_of(s.get(f"{base}/elections/{election_id}", timeout=60).text)
        statuses.append(s.post(f"{base}/elections/{election_id}/advance", data={"csrf_token": token},
                               allow_redirects=False, timeout=120).status_code)
    return {"statuses": statuses, "requests": 2 + 2 * len(statuses)}


@pytest.mark.parametrize("holdout", [False, True], ids=["all-submit", "one-unit-late"])
def test_concurrent_units_submit_while_office_advances(race_server, holdout):
    """holdout: the last unit uploads but does not submit — then the advance must never happen."""
    from election.audit.models import AuditEntry
    from election.audit.services import verify_chain
    from election.core.db import make_engine
    from election.directory.models import ElectionUnit
    from election.elections.models import Election, StageChange
    from election.nominations.models import Nominee

    server, url, ids = race_server
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=UNITS + 1) as pool:
        office = pool.submit(_office_run, server.url, ids["election"], stop)
        late = ids["units"][-1]["eu"] if holdout else None
        units = [pool.submit(_unit_run, server.url, u, u["eu"] != late) for u in ids["units"]]
        results = [f.result(timeout=240) for f in units]
        stop.set()
        office_result = office.result(timeout=240)
    sec.FIGURES["concurrent_requests"] += sum(r["requests"] for r in results) + office_result["requests"]

    log_tail = server.log.read_text(errors="replace")[-3000:]
    assert all(r["upload"] == 302 and r["submit"] in (302, None) for r in results), f"{results}\n服务器日志：\n{log_tail}"
    assert all(s < 500 for s in office_result["statuses"]), f"{office_result}\n服务器日志：\n{log_tail}"

    full_ids = [row.id_number for row in _all_nominees(url)]
    assert full_ids and not [i for i in full_ids if i in server.log.read_text(errors="replace")], "服务器日志中有身份证号"

    engine = make_engine(url)
    with Session(engine) as s:
        for r in results:
            stored = list(s.scalars(select(Nominee.name).where(Nominee.election_unit_id == r["eu"])
                                    .order_by(Nominee.position)))
            assert stored == r["names"], f"单位 {r['eu']} 的名单没有完整保存"
            assert s.get(ElectionUnit, r["eu"]).status == ("draft" if r["eu"] == late else "submitted")
        dupes = s.execute(select(Nominee.id_number, func.count()).group_by(Nominee.id_number)
                          .having(func.count() > 1)).all()
        assert not dupes, f"身份证号重复：{dupes}"
        assert s.scalar(select(func.count()).select_from(Nominee)) == sum(len(r["names"]) for r in results)
        moves = list(s.scalars(select(StageChange).where(StageChange.election_id == ids["election"])))
        if holdout:  # a guard does not hold: however often the office tries, the stage stays
            assert moves == [] and s.get(Election, ids["election"]).stage == "nominate"
            assert verify_chain(s).ok
            engine.dispose()
            return
        assert len(moves) == 1 and moves[0].from_stage == "nominate" and moves[0].to_stage == "shortlist"
        last_submit = max(s.scalars(select(ElectionUnit.submitted_at)
                                    .where(ElectionUnit.election_id == ids["election"])))
        assert moves[0].at >= last_submit, "推进发生在所有单位提交之前：阶段守卫未生效"
        assert s.get(Election, ids["election"]).stage == "shortlist"
        imports = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "nominations.import"))
        assert imports == UNITS
        assert verify_chain(s).ok
    engine.dispose()


def _all_nominees(url: str):
    from election.core.db import make_engine
    from election.nominations.models import Nominee

    engine = make_engine(url)
    with Session(engine) as s:
        rows = s.execute(select(Nominee.id_number)).all()
    engine.dispose()
    return rows
