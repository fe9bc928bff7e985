"""Page throughput with one and with two app servers on this machine, as a ratio.

    .venv/bin/python bench/bench_scaleout.py [--seconds 16] [--clients 16] [--database-url URL]

The province election of bench/bench_pages.py (100 推荐单位, 2,000 nominees, 800 seats) in a throwaway PostgreSQL
cluster (tests/pg.py), or in ``--database-url``. A logged-in clerk (the office user) reads a fixed mix of pages —
事务总览, the election list, the election's page with its quota panel, one unit's list — with ``--clients``
concurrent clients (threads, a new connection per request as gunicorn's sync workers close each one; the clients
log in once, on the first server: the session cookie is good on every server that shares the secret key).
Set-ups, measured in 8 alternating slices so that a busy moment of the machine falls on each alike (the note gives
the ratio's range over the slices):
- one server, gunicorn -w 2 (the floor);
- two servers, gunicorn -w 2 each, on one database and one file store; the clients round-robin across them;
- one server, gunicorn -w 4: as many workers as the two servers together — on a machine whatever the servers'
  number, throughput follows the workers and the cores, and this row says how much of the gain is that.
Peak memory is the largest worker's (VmHWM). No target: the ratio reports what this machine does (its core count is printed); two servers on two machines
would each bring their own cores.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIR))

from _common import Row, info_row, percentile, postgres_database, print_table
from bench_pages import SECRET, Request, Server, fetch, free_port, load_province, login

CLIENTS = 16
ROUNDS = 8    # short alternating slices: the machine's other load falls on every set-up alike
WORKERS = 2   # per server


def start_server(name: str, env: dict, tmp: Path, workers: int) -> Server:
    port = free_port()
    log = tmp / f"{name}.log"
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers), "-b", f"127.0.0.1:{port}",
           "--no-control-socket", "--backlog", "256", "--timeout", "120", "--error-logfile", str(log),
           "election.wsgi:app"]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = Server(name, port, proc, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} 未能启动：\n{log.read_text()[-2000:]}")
        if len(server.worker_pids()) >= workers:
            try:
                fetch(port, Request("GET", "/login"), timeout=5)
                return server
            except OSError:
                pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} 60 秒内未就绪：\n{log.read_text()[-2000:]}")


def page_mix(province, auth: dict) -> list[tuple[str, Request]]:
    eid, eu = province.election_id, province.election_unit_id
    return [("事务总览", Request("GET", "/", None, auth)),
            ("选举列表", Request("GET", "/elections/", None, auth)),
            ("选举总览（含结构比例面板）", Request("GET", f"/elections/{eid}", None, auth)),
            (f"单位名单 /units/{eu}", Request("GET", f"/units/{eu}", None, auth))]


def run_mix(ports: list[int], mix: list[Request], seconds: float, clients: int) -> tuple[int, int, float, list[float]]:
    """``clients`` threads, client i on ports[i % len(ports)], each walking the mix from its own offset, back to
    back for ``seconds``: (requests, errors, wall seconds, latencies)."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    stop_at = time.perf_counter() + seconds

    def client(i: int) -> None:
        port, k = ports[i % len(ports)], i
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                ok = fetch(port, mix[k % len(mix)])[0] == 200
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - t)
                errors[0] += not ok
            k += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), errors[0], time.perf_counter() - t0, latencies


def measure(database_url: str | None = None, seconds: float = 16.0, clients: int = CLIENTS) -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    cluster = None
    servers: list[Server] = []
    try:
        database_url, cluster = postgres_database(database_url, "bench_scaleout")
        province = load_province(database_url)
        env = dict(os.environ, ELECTION_DATABASE_URL=database_url, ELECTION_SECRET_KEY=SECRET,
                   PYTHONPATH=str(ROOT), ELECTION_UPLOAD_DIR=str(tmp / "uploads"))
        one = start_server("one", env, tmp, WORKERS)
        a, b = start_server("a", env, tmp, WORKERS), start_server("b", env, tmp, WORKERS)
        wide = start_server("wide", env, tmp, 2 * WORKERS)
        servers += [one, a, b, wide]
        auth = login(one.port, province.username)
        pages = page_mix(province, auth)
        for name, req in pages:
            for server in servers:
                status, _h, body = fetch(server.port, req)
                if status != 200:
                    raise RuntimeError(f"{name} 在 {server.name} 上返回 HTTP {status}：{body[:200]!r}")
        mix = [req for _name, req in pages]
        setups = {"one": [one.port], "two": [a.port, b.port], "wide": [wide.port]}
        for ports in setups.values():   # warm every worker (its page cache, its connection pool)
            run_mix(ports, mix, 1.0, clients)
        for server in servers:
            server.reset_peaks()
        totals = {name: [0, 0, 0.0, []] for name in setups}
        per_round: dict[str, list[float]] = {name: [] for name in setups}
        for _ in range(ROUNDS):
            for name, ports in setups.items():
                n, err, wall, lat = run_mix(ports, mix, seconds / ROUNDS, clients)
                total = totals[name]
                total[0] += n
                total[1] += err
                total[2] += wall
                total[3] += lat
                per_round[name].append(n / wall)
        rps = {name: t[0] / t[2] for name, t in totals.items()}
        by_port = {server.port: server for server in servers}
        peaks = {name: max((by_port[p].peak_mb() or 0.0) for p in ports) or None for name, ports in setups.items()}

        def note(name: str) -> str:
            n, err, _wall, lat = totals[name]
            ratios = [mine / floor for mine, floor in zip(per_round[name], per_round["one"])]
            spread = f"（各轮 {min(ratios):.2f}～{max(ratios):.2f}）" if name != "one" else ""
            return (f"{rps[name]:.0f} 次/秒，为一台的 {rps[name] / rps['one']:.2f} 倍{spread}；"
                    f"p50 {percentile(lat, 50) * 1000:.0f} ms，p99 {percentile(lat, 99) * 1000:.0f} ms；{n}次"
                    + (f"，{err}次出错" if err else ""))

        mix_names = "、".join(name for name, _ in pages)
        floor = "一台服务器（2个worker）"
        return [
            info_row(f"页面吞吐：一台应用服务器 × 2个worker（{clients}个并发客户端）", 1 / rps["one"], peak_mb=peaks["one"],
                     note=note("one") + f"；页面组合：{mix_names}"),
            info_row("页面吞吐：两台应用服务器 × 各2个worker（客户端轮流分到两台）", 1 / rps["two"], floor, 1 / rps["one"],
                     peak_mb=peaks["two"], note=note("two") + f"；本机 {os.cpu_count()} 核，两台服务器共用这些核"),
            info_row("页面吞吐：一台应用服务器 × 4个worker（与两台合计相同）", 1 / rps["wide"], floor, 1 / rps["one"],
                     peak_mb=peaks["wide"], note=note("wide")),
        ]
    finally:
        for s in servers:
            s.stop()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=16.0, help="每种部署压测的总秒数（分8段交替）")
    ap.add_argument("--clients", type=int, default=CLIENTS, help="并发客户端数")
    ap.add_argument("--database-url", help="已有的空数据库（会删表重建）；缺省时启动临时 PostgreSQL")
    args = ap.parse_args()
    print(f"本机 {os.cpu_count()} 核；{args.clients} 个并发客户端，127.0.0.1；每种部署 {args.seconds:g} 秒", flush=True)
    print_table(measure(args.database_url, args.seconds, args.clients),
                "页面吞吐：一台与两台应用服务器（表中“用时”为每个请求的平均间隔 = 1/吞吐，比值 < 1 即更快）")


if __name__ == "__main__":
    main()
