"""A throwaway PostgreSQL cluster for the test run: initdb, pg_ctl start, stop at exit."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass


@dataclass
class Cluster:
    url_base: str
    stop: callable


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return os.path.dirname(found[0])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def client(name: str) -> str | None:
    """A PostgreSQL client program (psql, pg_dump) of the installed server, or on the PATH."""
    bindir = _bin_dir()
    if bindir and os.path.exists(os.path.join(bindir, name)):
        return os.path.join(bindir, name)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scratch(prefix: str):
    """A fresh folder for cluster data, and a runner for the server programs: as root both belong to the
    postgres user (PostgreSQL refuses to run as root)."""
    root = tempfile.mkdtemp(prefix=prefix)
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)

    def run(cmd: list[str]) -> subprocess.CompletedProcess:
        if as_root:
            cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(_quote(c) for c in cmd)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    return root, run


def start_cluster() -> tuple[Cluster | None, str]:
    """Start a cluster on a free loopback port; returns (cluster, "") or (None, why not)."""
    bindir = _bin_dir()
    if bindir is None:
        return None, "找不到 PostgreSQL（initdb），请运行 make test 自动安装，或设置 ELECTION_TEST_PG_URL"
    root, run = _scratch("election-pg-")
    data = os.path.join(root, "data")
    r = run([f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
    if r.returncode != 0:
        return None, f"initdb 失败：{r.stderr.strip()[:300]}"
    port = _free_port()
    # autovacuum off: a test's rows live only inside its own rolled-back transaction, so an ANALYZE between tests
    # would record empty tables and the planner would then scan and sort whole tables that a long test has filled
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " \
           f"-c full_page_writes=off -c max_connections=200 -c autovacuum=off"
    r = run([f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", os.path.join(root, "log"), "-w", "start"])
    if r.returncode != 0:
        return None, f"PostgreSQL 启动失败：{r.stderr.strip()[:300]}"

    def stop() -> None:
        run([f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)

    return Cluster(f"postgresql+psycopg://postgres@127.0.0.1:{port}", stop), ""


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def create_database(url_base: str, name: str) -> str:
    """A fresh database NAME on the server (dropped first if left over); under pytest-xdist each process gets its
    own (NAME_gw0, NAME_gw1 …), so processes sharing one server (ELECTION_TEST_PG_URL) never meet."""
    import psycopg

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        name = f"{name}_{worker}"

    dsn = url_base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url_base}/{name}"


@dataclass
class ReplicaPair:
    """A small primary of its own and a streaming replica of it (pg_basebackup), for tests/replica."""
    primary: str  # server URL bases, postgresql+psycopg://postgres@127.0.0.1:PORT
    replica: str
    replica_data: str
    replica_opts: str
    run: callable
    stop: callable

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        """pg_ctl on the replica: ("stop", "-m", "immediate") kills it, ("start",) brings it back."""
        extra = ["-o", self.replica_opts, "-l", os.path.join(os.path.dirname(self.replica_data), "rlog")] \
            if args[0] == "start" else []
        return self.run([f"{_bin_dir()}/pg_ctl", "-D", self.replica_data, *extra, "-w", *args])


def start_replica_pair() -> tuple[ReplicaPair | None, str]:
    """initdb a primary (wal_level=replica is the default; --auth=trust lets 127.0.0.1 replicate), start it,
    pg_basebackup -R a replica from it and start that on another port. Returns (pair, "") or (None, why not)."""
    bindir = _bin_dir()
    if bindir is None:
        return None, "找不到 PostgreSQL（initdb）"
    root, run = _scratch("election-replica-")
    primary, replica = os.path.join(root, "p"), os.path.join(root, "r")
    r = run([f"{bindir}/initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
    if r.returncode != 0:
        return None, f"initdb 失败：{r.stderr.strip()[:300]}"
    ports = _free_port(), _free_port()
    common = f"-k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60"
    r = run([f"{bindir}/pg_ctl", "-D", primary, "-o", f"-p {ports[0]} {common} -c wal_level=replica",
             "-l", os.path.join(root, "plog"), "-w", "start"])
    if r.returncode != 0:
        return None, f"主库启动失败：{r.stderr.strip()[:300]}"

    def stop() -> None:
        for data in (replica, primary):
            if os.path.exists(os.path.join(data, "postmaster.pid")):
                run([f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)

    r = run([f"{bindir}/pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-D", replica,
             "-R", "-X", "stream"])
    if r.returncode != 0:
        stop()
        return None, f"pg_basebackup 失败：{r.stderr.strip()[:300]}"
    base = "postgresql+psycopg://postgres@127.0.0.1:{}"
    pair = ReplicaPair(base.format(ports[0]), base.format(ports[1]), replica, f"-p {ports[1]} {common}", run, stop)
    r = pair.pg_ctl("start")
    if r.returncode != 0:
        stop()
        return None, f"副本启动失败：{r.stderr.strip()[:300]}"
    return pair, ""
