"""A whole election through the JSON API under gunicorn (one worker, loopback): from the 工作方案 to the reported
result, at N = 300 and N = 3,000 nominees, on SQLite and on PostgreSQL (issue #20).

    .venv/bin/python bench/bench_api_flow.py [--sizes 300,3000] [--sqlite] [--database-url URL]

The client is the runnable example of docs/api.md, taken from the document itself (its ```python blocks), so the
bench and the document cannot part. Each size gets a fresh database (``election db upgrade``), a directory with
one 推荐单位 per 30 nominees, an account per role and per unit (made in-process: the API has no user creation), and a
fresh ``gunicorn -w 1``. Per step of the flow the table gives the client's wall time, the worker's CPU (utime +
stime from /proc/<pid>/stat; PostgreSQL's own CPU is not in it) and the number of HTTP calls.

Single-object calls — one election, one 考察对象, one unit's list, one unit's list uploaded and submitted, one 计票
entry — are timed at both sizes and their ratio N = 3,000 / N = 300 is checked against ≤ 1.3: the reads after both
flows, a fixed sample each, the two servers taking turns call by call (median); the writes as the flows made them
(the fastest of the first 15). The machine's load average is printed with each flow, and beside the worker's CPU the
client's (this process) and, on PostgreSQL, the database server's (the postmaster's children): wall times on a busy
shared machine are longer than the CPU the flow needs, which is the figure to compare between runs.
Targets: the flow (from 工作方案, tokens excluded) ≤ 3 s at N = 300 and ≤ 30 s at N = 3,000.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIR))

from _common import Row, fmt_seconds, print_table  # noqa: E402

DOC = ROOT / "docs" / "api.md"
PASSWORD = "flow-bench-password-1"  # noqa: S105 - a throwaway database's users
SECRET = "flow-bench-secret-key-0123456789"  # noqa: S105
PER_UNIT = 30
SAMPLE = 15  # single-object writes: the first 15 the flow made of each kind
SAMPLE_READS = 40  # single-object reads timed per kind and size
TARGETS = {300: 3.0, 3000: 30.0}  # the whole flow, seconds (issue #20)
RATIO_LIMIT = 1.3
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the document's example ------------------------------------------------------------------------------------
def example_source(path: Path = DOC) -> str:
    """The ```python blocks of docs/api.md, in order, as one program."""
    return "\n\n".join(re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M))


def load_example(path: Path = DOC) -> types.ModuleType:
    module = types.ModuleType("api_flow_example")
    module.__file__ = str(path)
    exec(compile(example_source(path), str(path), "exec"), module.__dict__)  # noqa: S102 - our own document
    return module


# --- the throwaway database, accounts and server ---------------------------------------------------------------
def prepare_database(url: str, units: int) -> dict:
    """Migrate URL (what ``election db upgrade`` runs), make the directory (the 选举单位 and UNITS 推荐单位) and an
    account per role and per unit; returns the example's ``accounts``."""
    from sqlalchemy import select

    from election import create_app
    from election.accounts import models as user_models
    from election.accounts.services import create_user
    from election.core.db import db
    from election.core.migrate import upgrade
    from election.directory.models import Unit
    from election.directory.services import import_organisations
    from workflow.directory.tree import OrgRecord

    upgrade(url)
    saved, user_models.PASSWORD_HASH_METHOD = user_models.PASSWORD_HASH_METHOD, "pbkdf2:sha256:1000"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    try:
        with app.app_context():
            session = db.session
            import_organisations(session, None, [OrgRecord("FLOW", "中共某区委员会", "党委", None, 100, 5000)] + [
                OrgRecord(f"F{k:03d}", f"第{k:03d}推荐单位党工委", "党工委", "FLOW", 10, 300) for k in range(1, units + 1)])
            accounts: dict = {"units": {}}
            for key, role in (("office", "office"), ("inspector", "inspector"), ("discipline", "discipline"),
                              ("teller1", "teller"), ("teller2", "teller")):
                user = create_user(session, None, username=f"flow_{key}", password=PASSWORD, role=role,
                                   display_name=f"示例{key}", check_strength=False)
                accounts[key] = (user.username, PASSWORD)
                if key == "inspector":
                    accounts["inspector_id"] = user.id
            for unit in session.scalars(select(Unit).order_by(Unit.code)):
                user = create_user(session, None, username=f"flow_{unit.code.lower()}", password=PASSWORD,
                                   role="unit", display_name=f"{unit.name}经办人", unit_id=unit.id,
                                   check_strength=False)
                accounts["units"][unit.code] = (user.username, PASSWORD)
            db.state.session.remove()
            db.engine.dispose()
    finally:
        user_models.PASSWORD_HASH_METHOD = saved
    return accounts


def worker_cpu(pid: int) -> float:
    """utime + stime of PID in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def database_cpu_probe(url: str):
    """A function giving the CPU seconds spent so far by the PostgreSQL server's processes (the postmaster's
    children: the app's backends among them), or None for SQLite (its work is in the worker's CPU already)."""
    if not url.startswith("postgresql"):
        return None
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    postmaster = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])

    def cpu() -> float:
        total = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == postmaster:
                    total += (int(fields[11]) + int(fields[12])) / CLK_TCK
        return total

    return cpu


@dataclass
class StepTimes:
    wall: dict = field(default_factory=dict)
    cpu: dict = field(default_factory=dict)
    client_cpu: float = 0.0    # the bench process (the example's client) over the flow, tokens included
    database_cpu: float | None = None  # PostgreSQL's processes over the flow (None: SQLite)
    calls: dict = field(default_factory=lambda: defaultdict(int))
    per_kind: dict = field(default_factory=lambda: defaultdict(list))


@dataclass
class SizeResult:
    n: int
    steps: StepTimes
    flow_seconds: float        # from 工作方案 to 已完成 (tokens excluded)
    flow_cpu: float
    calls: int
    single: dict               # kind -> median seconds
    stage: str
    candidates: int
    peak_mb: float | None
    load: tuple[float, float] = (0.0, 0.0)


@dataclass
class Flow:
    """One size's election done through its own gunicorn worker, which is still up (for the sampled calls)."""

    n: int
    server: object
    example: types.ModuleType
    base: str
    accounts: dict
    summary: dict
    times: StepTimes
    peak_mb: float | None
    load: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average as the flow began and ended


def run_flow(url: str, n: int, tmp: Path) -> Flow:
    """One whole election with N nominees on a fresh database at URL, through a fresh gunicorn worker (left
    running: the caller stops ``flow.server``)."""
    from bench_pages import Server, free_port

    example = load_example()
    env = dict(os.environ, ELECTION_DATABASE_URL=url, ELECTION_SECRET_KEY=SECRET, PYTHONPATH=str(ROOT),
               ELECTION_UPLOAD_DIR=str(tmp / "uploads"))
    accounts = prepare_database(url, max(1, n // PER_UNIT))
    port = free_port()
    log = tmp / f"gunicorn-{n}.log"
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-w", "1", "-b", f"127.0.0.1:{port}",
                             "--timeout", "300", "--error-logfile", str(log), "election.wsgi:app"],
                            env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = Server(f"api-{n}", port, proc, log)
    try:
        pid = _wait_for_worker(server, example)
        base = f"http://127.0.0.1:{port}"
        times = StepTimes()
        current = [None, 0.0, 0.0]  # step name, wall start, cpu start

        def close_step():
            if current[0] is not None:
                times.wall[current[0]] = time.perf_counter() - current[1]
                times.cpu[current[0]] = worker_cpu(pid) - current[2]

        def step(name):
            close_step()
            current[:] = [name, time.perf_counter(), worker_cpu(pid)]

        def observer(kind, seconds, status):
            times.calls[current[0]] += 1
            times.per_kind[kind].append(seconds)

        server.reset_peaks()
        load_before = os.getloadavg()[0]
        db_cpu = database_cpu_probe(url)
        db_before, client_before = db_cpu() if db_cpu else 0.0, time.process_time()
        summary = example.run_election(base, accounts, n, step=step, observer=observer)
        close_step()
        times.client_cpu = time.process_time() - client_before
        times.database_cpu = db_cpu() - db_before if db_cpu else None
        return Flow(n, server, example, base, accounts, summary, times, server.peak_mb(),
                    (load_before, os.getloadavg()[0]))
    except BaseException:
        server.stop()
        raise


def result_of(flow: Flow, single: dict) -> SizeResult:
    times = flow.times
    steps = [s for s in times.wall if s != "令牌"]
    return SizeResult(flow.n, times, sum(times.wall[s] for s in steps), sum(times.cpu[s] for s in steps),
                      sum(times.calls[s] for s in steps), single, flow.summary["stage"],
                      flow.summary["candidates"], flow.peak_mb, flow.load)


def run_size(url: str, n: int, tmp: Path) -> SizeResult:
    flow = run_flow(url, n, tmp)
    try:
        return result_of(flow, sample_single_calls([flow])[0])
    finally:
        flow.server.stop()


def _wait_for_worker(server, example) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"gunicorn 未能启动：\n{server.log.read_text()[-2000:]}")
        pids = server.worker_pids()
        if pids:
            try:
                example.Api(f"http://127.0.0.1:{server.port}").get("/openapi.json")
                return pids[0]
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn 60 秒内未就绪：\n{server.log.read_text()[-2000:]}")


# the single-object writes the flow makes (the example's call kind → the table's name)
WRITTEN_KINDS = {"PUT 一个单位的名单": "PUT /election-units/{id}/nominees（上传一个单位30人）",
                 "POST 提交一个单位的名单": "POST /election-units/{id}/submit（提交一个单位）",
                 "PUT 一次计票录入": "PUT /rounds/{id}/entries/{no}（一次计票录入）"}


def sample_single_calls(flows: list[Flow]) -> list[dict]:
    """Median seconds of single-object calls, per flow. Read calls are sampled now, SAMPLE each on fixed ids,
    the flows' servers taking turns call by call (a busy moment of the shared machine falls on every size alike);
    written ones are those the flows made (one unit's list uploaded and submitted, one 计票 entry): their best."""
    reads = []
    for flow in flows:
        api = flow.example.Api(flow.base)
        office = api.as_(flow.example.get_token(api, *flow.accounts["office"]))
        eid, shortlist = flow.summary["election_id"], flow.summary["shortlist"]
        people = (shortlist[:: max(1, len(shortlist) // SAMPLE_READS)] * SAMPLE_READS)[:SAMPLE_READS]
        units = (flow.summary["election_unit_ids"] * SAMPLE_READS)[:SAMPLE_READS]
        reads.append((office, {
            "GET /elections/{id}（一次选举）": [f"/elections/{eid}"] * SAMPLE_READS,
            "GET /examinations/{id}（一名考察对象）": [f"/examinations/{p}" for p in people],
            "GET /election-units/{id}（一个单位的名单状态）": [f"/election-units/{u}" for u in units],
            "GET /election-units/{id}/nominees（一个单位的名单）": [f"/election-units/{u}/nominees" for u in units],
        }))
    spent: list[dict] = [defaultdict(list) for _ in flows]
    for kind in reads[0][1]:
        for office, paths in reads:
            office.get(paths[kind][0])  # warm
        for i in range(SAMPLE_READS):
            for k, (office, paths) in enumerate(reads):
                if i < len(paths[kind]):
                    t0 = time.perf_counter()
                    office.get(paths[kind][i])
                    spent[k][kind].append(time.perf_counter() - t0)
    medians = [{kind: statistics.median(v) for kind, v in s.items()} for s in spent]
    for flow, m in zip(flows, medians):
        for kind, label in WRITTEN_KINDS.items():
            m[label] = min(flow.times.per_kind[kind][:SAMPLE])
    return medians


# --- the table --------------------------------------------------------------------------------------------------
def measure(url_for, label: str, sizes=(300, 3000)) -> list[Row]:
    """URL_FOR(n) gives a fresh empty database for size N (dropped and made again)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-flow-"))
    flows: list[Flow] = []
    try:
        for n in sizes:
            flows.append(run_flow(url_for(n), n, tmp))
        results = [result_of(f, single) for f, single in zip(flows, sample_single_calls(flows))]
    finally:
        for flow in flows:
            flow.server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows_of(results, label)


def rows_of(results: list[SizeResult], label: str) -> list[Row]:
    rows = []
    last = results[-1]
    for name in last.steps.wall:
        note = "；".join(f"N={r.n}：{fmt_seconds(r.steps.wall.get(name))}，CPU {fmt_seconds(r.steps.cpu.get(name))}，"
                        f"{r.steps.calls.get(name, 0)}次调用" for r in results)
        rows.append(Row(f"API流程·{name}（N={last.n:,}）［{label}］", last.steps.wall[name], peak_mb=last.peak_mb,
                        note=note))
    for r in results:
        target = TARGETS.get(r.n)
        cpu = f"服务器CPU {fmt_seconds(r.flow_cpu)}（连同令牌一步：客户端CPU {fmt_seconds(r.steps.client_cpu)}"
        if r.steps.database_cpu is not None:
            cpu += f"，数据库CPU {fmt_seconds(r.steps.database_cpu)}"
        note = (f"{cpu}），{r.calls}次调用，结果：{r.stage}；不含令牌"
                f"（{fmt_seconds(r.steps.wall.get('令牌'))}）；本机负载 {r.load[0]:.1f}→{r.load[1]:.1f}（{os.cpu_count()}核）")
        done = r.stage == "completed"
        if target is None:
            rows.append(Row(f"API全流程 N={r.n:,}［{label}］", r.flow_seconds, peak_mb=r.peak_mb, note=note))
        else:
            rows.append(Row(f"API全流程 N={r.n:,}［{label}］", r.flow_seconds, target=f"< {fmt_seconds(target)}",
                            met=done and r.flow_seconds <= target, peak_mb=r.peak_mb, note=note))
    if len(results) >= 2:
        small, big = results[0], results[-1]
        for kind, seconds in big.single.items():
            base = small.single[kind]
            how = "最快一次（流程中的调用）" if kind in WRITTEN_KINDS.values() else "中位数（两个规模轮流调用）"
            if "entries" in kind:  # the sheet names every candidate: its body grows with the ballot
                how += f"；请求体含全部候选人（{small.candidates}名 对 {big.candidates}名）"
            rows.append(Row(f"单对象调用 {kind}［{label}］", seconds, f"同一调用 N={small.n:,}", base,
                            f"≤ {RATIO_LIMIT:g}×", seconds <= RATIO_LIMIT * base,
                            note=f"{how}，N={big.n:,} 对 N={small.n:,}"))
    return rows


def sqlite_urls(root: Path | None = None):
    root = root or Path(tempfile.mkdtemp(prefix="bench-api-flow-db-"))
    return lambda n: f"sqlite:///{root}/flow-{n}.db"


def pg_urls(url_base: str):
    from tests import pg

    return lambda n: pg.create_database(url_base, f"bench_api_flow_{n}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="300,3000", help="逗号分隔的推荐人选人数")
    ap.add_argument("--sqlite", action="store_true", help="用临时 SQLite 文件（缺省：临时 PostgreSQL）")
    ap.add_argument("--database-url", help="已有 PostgreSQL 的地址前缀（postgresql+psycopg://user@host:port）")
    args = ap.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    if args.sqlite:
        print_table(measure(sqlite_urls(), "SQLite", sizes))
        return
    cluster = None
    base = args.database_url
    if base is None:
        from tests import pg

        cluster, why = pg.start_cluster()
        if cluster is None:
            sys.exit(f"无法启动临时 PostgreSQL：{why}")
        base = cluster.url_base
    try:
        print_table(measure(pg_urls(base), "PostgreSQL", sizes))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
