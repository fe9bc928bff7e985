"""The job queue: throughput and latency of background jobs, embedded and on Redis with one and two worker processes.

A throwaway PostgreSQL cluster (tests/pg.py) holds an election of 10 推荐单位 and their lists; a private redis-server
(tests/redis_server.py) is the queue. The job is the real 推荐人选汇总表 export (.xlsx, every nominee), queued as the
page queues it (a task row, then the message). For each set-up:
- a burst: JOBS jobs queued at once, the time until the last is done → jobs per second, and each job's latency
  (queued → done) at p50 and p95;
- an idle pickup: one job queued into an idle queue, the time until a worker has taken it up (median of 5).
Set-ups: the embedded default (dramatiq's in-process broker, 2 worker threads in the web process), Redis with one
`election worker` process (2 threads), Redis with two processes (2 threads each).

    .venv/bin/python bench/bench_jobs.py [--jobs 40]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _common import Row, info_row, percentile, print_table  # noqa: E402

JOBS = 40
UNITS = 10
PICKUPS = 5
SECRET = "jobs-bench-secret-key-0123456789"


def _seed(url: str) -> dict:
    from datetime import date

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from election.accounts.models import User
    from election.core.clock import utcnow
    from election.core.db import make_engine
    from election.nominations import services as nominations
    from tests.security import conftest as sec

    ids = sec.seed_nomination_race(url, UNITS)
    engine = make_engine(url)
    with Session(engine) as s:
        for unit in ids["units"]:
            data, _names = sec.nominee_workbook(unit["index"], 8)
            actor = s.scalar(select(User).where(User.username == unit["username"]))
            assert nominations.import_nominee_file(s, actor, unit["eu"], data, date(2026, 5, 6), utcnow()).ok
    engine.dispose()
    return ids


def _app(url: str, uploads: Path, queue_url: str = "", namespace: str = "bench"):
    from election import create_app

    return create_app({"DATABASE_URL": url, "UPLOAD_DIR": str(uploads), "QUEUE_URL": queue_url,
                       "QUEUE_NAMESPACE": namespace, "QUEUE_WORKER_THREADS": 2, "SECRET_KEY": SECRET})


def _queue_jobs(app, election_id: int, n: int) -> list[int]:
    from sqlalchemy import select

    from election.accounts.models import User
    from election.core.db import db
    from election.tasks import queue, runner

    ids = []
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.username == "race_office"))
        for _ in range(n):
            task_id = runner.create_task(db.session, owner, "nominees_export", "推荐人选汇总表",
                                         max_running=10**6, max_per_user=10**6).id
            queue.enqueue(app, task_id, queue.job("nominees_export", election_id=election_id, full_id_numbers=False))
            ids.append(task_id)
        db.session.rollback()
    return ids


def _wait_done(app, ids: list[int], *, started_only: bool = False, timeout: float = 300) -> list:
    from sqlalchemy import select

    from election.core.db import db
    from election.tasks.models import BackgroundTask

    want = ("running", "done") if started_only else ("done",)
    deadline = time.monotonic() + timeout
    with app.app_context():
        while time.monotonic() < deadline:
            rows = db.session.scalars(select(BackgroundTask).where(BackgroundTask.id.in_(ids))).all()
            db.session.rollback()
            if all(r.status in want for r in rows):
                return rows
            if any(r.status == "failed" for r in rows):
                raise RuntimeError(f"任务失败：{[r.message for r in rows if r.status == 'failed'][:1]}")
            time.sleep(0.01)
    raise RuntimeError("等待任务完成超时")


def _setup_rows(label: str, app, election_id: int, n: int) -> list[Row]:
    # warm up (imports, connections), then the burst
    _wait_done(app, _queue_jobs(app, election_id, 2))
    t0 = time.perf_counter()
    ids = _queue_jobs(app, election_id, n)
    rows = _wait_done(app, ids)
    wall = time.perf_counter() - t0
    latencies = [(r.finished_at - r.created_at).total_seconds() for r in rows]
    burst = info_row(f"{label}：{n}个导出任务同时排队，全部完成", wall,
                     note=f"{n / wall:.1f}个/秒；单个任务排队到完成 p50 {percentile(latencies, 50) * 1000:.0f} ms、"
                          f"p95 {percentile(latencies, 95) * 1000:.0f} ms")
    pickups = []
    for _ in range(PICKUPS):
        t = time.perf_counter()
        one = _queue_jobs(app, election_id, 1)
        _wait_done(app, one, started_only=True)
        pickups.append(time.perf_counter() - t)
        _wait_done(app, one)
    pickup = info_row(f"{label}：空闲时一个任务从排队到开始执行", statistics.median(pickups),
                      note=f"{PICKUPS}次的中位数")
    return [burst, pickup]


def _workers(url: str, queue_url: str, uploads: Path, namespace: str, processes: int) -> list[subprocess.Popen]:
    env = {**os.environ, "ELECTION_DATABASE_URL": url, "ELECTION_QUEUE_URL": queue_url,
           "ELECTION_QUEUE_NAMESPACE": namespace, "ELECTION_UPLOAD_DIR": str(uploads), "ELECTION_SECRET_KEY": SECRET}
    election = str(Path(sys.executable).parent / "election")
    return [subprocess.Popen([election, "worker", "--threads", "2"], cwd=str(ROOT), env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(processes)]


def measure(n: int = JOBS, url_base: str | None = None) -> list[Row]:
    from tests import pg
    from tests.redis_server import start_redis

    cluster = None
    if url_base is None:
        cluster, why = pg.start_cluster()
        if cluster is None:
            return [Row("后台任务队列", None, note=f"PostgreSQL 不可用：{why}")]
        url_base = cluster.url_base
    redis, why = start_redis()
    if redis is None:
        return [Row("后台任务队列", None, note=f"Redis 不可用：{why}")]
    rows: list[Row] = []
    try:
        url = pg.create_database(url_base, "bench_jobs")
        from election.core.db import make_engine
        from election.models import Base

        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        election_id = _seed(url)["election"]
        with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
            uploads = Path(tmp)
            from election.tasks.queue import stop_embedded

            embedded = _app(url, uploads)
            rows += _setup_rows("内嵌（Web进程内，2个线程）", embedded, election_id, n)
            stop_embedded(embedded)
            for processes in (1, 2):
                namespace = f"bench{processes}"
                app = _app(url, uploads, redis.url, namespace)
                procs = _workers(url, redis.url, uploads, namespace, processes)
                try:
                    rows += _setup_rows(f"Redis，{processes}个任务进程×2线程", app, election_id, n)
                finally:
                    for p in procs:
                        p.terminate()
                    for p in procs:
                        p.wait(timeout=60)
    finally:
        redis.stop()
        if cluster is not None:
            cluster.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=JOBS)
    args = ap.parse_args()
    t = time.perf_counter()
    rows = measure(args.jobs)
    print_table(rows, f"后台任务队列（PostgreSQL；导出{UNITS * 8}名推荐人选的汇总表）：用时 {time.perf_counter() - t:.0f} 秒")


if __name__ == "__main__":
    main()
