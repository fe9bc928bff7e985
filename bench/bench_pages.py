"""The main pages under gunicorn (4 workers) and 16 concurrent clients on loopback, vs a bare Flask route.

    .venv/bin/python bench/bench_pages.py [--seconds 6] [--max-requests 3000] [--database-url URL] [--sqlite]

Loads a province-sized election (100 推荐单位, 2,000 nominees, 800 seats; all lists submitted) into a
throwaway PostgreSQL cluster (tests/pg.py) — or into ``--database-url`` — starts the app with
``gunicorn -w 4`` and, beside it, a bare Flask app with the same 4 workers whose one route renders a page of
the same HTML size (Jinja, no database, no login). A bounded load client (16 threads, http.client, a new
connection per request as gunicorn's sync workers close each one) logs in once over HTTP with the form and
CSRF token, then requests each page for ``--seconds`` or ``--max-requests``, whichever comes first.
Target: each page's throughput at least 50% of the bare route's. p50/p99 latency are reported.
The ranking page (term duties) is measured when its blueprint and a loader for its data exist.

The bare app is a factory, ``gunicorn --chdir bench 'bench_pages:make_bare_app()'``; keep this module's
top-level imports to the standard library so that the bare workers load nothing else.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from _common import Row, percentile, postgres_database, print_table  # noqa: E402

WORKERS = 4
CLIENTS = 16
ROUNDS = 3  # alternating slices of ours and the floor per page
TARGET_SHARE = 0.5  # throughput ≥ 50% of the bare route
PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway cluster's user
SECRET = "bench-secret-key-0123456789abcdef"  # noqa: S105

# --- the province: deterministic synthetic data --------------------------------------------------------------
UNITS = 100
NOMINEES_PER_UNIT = 20  # 2,000 nominees
SEATS = 800
SEED = 20260410
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅海燕文斌志晓东"
# 身份类别 per list of 20: 6 局级 + 3 处级 + 11 基层一线 (工人, 农民, 其他先进模范, 专业技术人员, 其他一线)
CATEGORY_MIX = (["局级领导干部"] * 6 + ["处级领导干部"] * 3 + ["工人"] * 2 + ["农民"] * 2 + ["其他先进模范"]
                + ["专业技术人员"] * 4 + ["其他一线"] * 2)
ETHNICITIES = ["汉族"] * 17 + ["回族", "蒙古族", "藏族"]
REFERENCE = date(2026, 6, 30)
PROVINCE_RULES = [  # 800 seats: shares of the standard structure (docs/rules.md §3.2)
    {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}, "max_share": "9/16"},
    {"code": "frontline", "label": "基层一线", "where": {"category_in": ["基层一线"]}, "min_share": "1/3"},
    {"code": "models", "label": "先进模范人物", "where": {"category_in": ["先进模范人物"]}, "min_share": "3/16"},
    {"code": "workers", "label": "工人", "where": {"category_in": ["工人"]}, "min_share": "1/16"},
    {"code": "professionals", "label": "专业技术人员", "where": {"category_in": ["专业技术人员"]}, "min_share": "1/8"},
    {"code": "women", "label": "女性", "where": {"gender": "女"}, "min_share": "7/16"},
    {"code": "minority", "label": "少数民族", "where": {"ethnicity_not": "汉族"}, "min_share": "1/16"},
    {"code": "under50", "label": "50岁以下", "where": {"age_below": 50}, "min_share": "9/16"},
]
TIMELINE = {"plan": 0, "deploy": 10, "nominate": 30, "shortlist": 45, "vet": 60, "preliminary": 75, "confirm": 90,
            "ballot": 100, "report": 110}


@dataclass(frozen=True)
class Province:
    url: str
    election_id: int
    election_unit_id: int      # one unit's list (20 people)
    nominee_ids: tuple[int, ...]
    username: str
    load_seconds: float


def province_rows(rng: random.Random) -> list[dict]:
    """2,000 nominee rows (without ids): 20 per unit, ~45% women, ~15% minorities, ages 30–60."""
    from workflow.common.idcard import make_id

    rows = []
    for u in range(UNITS):
        for p in range(NOMINEES_PER_UNIT):
            i = u * NOMINEES_PER_UNIT + p
            female = rng.random() < 0.45
            birth = date(1966 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
            rows.append({
                "unit": u, "position": p + 1,
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else ""),
                "gender": "女" if female else "男", "ethnicity": rng.choice(ETHNICITIES),
                "id_number": make_id(f"{110101 + u:06d}", birth, i % 500, not female), "birth_date": birth,
                "native_place": "某省某市", "education": rng.choice(["大学本科", "研究生", "大专"]),
                "party_join_date": birth.replace(year=birth.year + 24), "work_start_date": birth.replace(year=birth.year + 22),
                "workplace_title": f"第{u + 1:03d}推荐单位所属某单位职务{p + 1}", "category": CATEGORY_MIX[p],
            })
    return rows


def load_province(url: str) -> Province:
    """Create the schema and load the province election (idempotent per database: drop and create)."""
    from sqlalchemy import insert, select

    from election.accounts import models as users_model
    from election.accounts.models import User
    from election.core.db import make_engine
    from election.directory.models import ElectionUnit, Unit
    from election.elections.models import Election, StageDue
    from election.models import Base
    from election.nominations.models import Nominee

    t0 = time.perf_counter()
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    rng = random.Random(SEED)
    people = province_rows(rng)
    start = date(2026, 3, 1)
    with engine.begin() as conn:
        conn.execute(insert(Unit), [{"code": f"P{u + 1:03d}", "name": f"第{u + 1:03d}推荐单位党工委", "kind": "党工委",
                                     "grassroots_orgs": 120 + u, "members": 3000 + 17 * u} for u in range(UNITS)])
        unit_ids = conn.scalars(select(Unit.id).order_by(Unit.code)).all()
        election_id = conn.execute(insert(Election).returning(Election.id), [{
            "title": "出席省第十三次党代会代表选举（基准测试）", "level": "省", "electing_body": "某省",
            "convening_body": "省委", "seats": SEATS, "higher_nominated_seats": 0, "preset": "地方组织",
            "age_reference_date": REFERENCE, "settings": {"margins": {"unit_list": "1/2"}}, "categories": {},
            "quota_rules": PROVINCE_RULES, "stage": "nominate", "version": 1, "created_at": datetime(2026, 3, 1),
        }]).scalar_one()
        conn.execute(insert(StageDue), [{"election_id": election_id, "stage": s, "due_date": start + timedelta(days=d)}
                                        for s, d in TIMELINE.items()])
        conn.execute(insert(ElectionUnit), [{
            "election_id": election_id, "unit_id": uid, "quota": SEATS // UNITS, "report_count": NOMINEES_PER_UNIT,
            "breakdown": {"局级领导干部": 6, "处级领导干部": 3, "基层一线": 11}, "status": "submitted",
            "submitted_at": datetime(2026, 3, 25, 8, 30), "participating_orgs": 100, "participating_members": 2500,
        } for uid in unit_ids])
        eu_ids = conn.scalars(select(ElectionUnit.id).where(ElectionUnit.election_id == election_id)
                              .order_by(ElectionUnit.id)).all()
        conn.execute(insert(Nominee), [dict({k: v for k, v in p.items() if k != "unit"}, election_id=election_id,
                                            election_unit_id=eu_ids[p["unit"]], remark="", step="nominated",
                                            created_at=datetime(2026, 3, 20)) for p in people])
        nominee_ids = conn.scalars(select(Nominee.id).where(Nominee.election_id == election_id)
                                   .order_by(Nominee.id)).all()
        from werkzeug.security import generate_password_hash

        conn.execute(insert(User), [{"username": "bench_office", "display_name": "省委组织部办公室",
                                     "role": "office", "active": True, "failed_logins": 0,
                                     "password_hash": generate_password_hash(PASSWORD, users_model.PASSWORD_HASH_METHOD),
                                     "created_at": datetime(2026, 3, 1)}])
    engine.dispose()
    return Province(url, election_id, eu_ids[0], tuple(nominee_ids), "bench_office", time.perf_counter() - t0)


# --- the bare floor app ------------------------------------------------------------------------------------
BARE_TEMPLATE = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head>"
                 "<body><table>{% for row in rows %}<tr><td>{{ row }}</td></tr>{% endfor %}</table></body></html>")


def make_bare_app():
    """A bare Flask app: /bare/<size> renders (Jinja) a page of ``size`` bytes of UTF-8 HTML — the least a
    Flask page of that size costs on the same server."""
    from flask import Flask, render_template_string

    app = Flask("bare")
    cache: dict[int, list[str]] = {}

    def rows_for(size: int) -> list[str]:
        if size not in cache:
            base = len(render_template_string(BARE_TEMPLATE, title="基准", rows=[]).encode())
            per_row = len("<tr><td></td></tr>") + 60  # 20 CJK characters = 60 bytes of UTF-8
            n, rest = divmod(max(size - base, 0), per_row)
            cache[size] = ["代表选举与履职管理系统基准测试页面行"[:20].ljust(20, "行")] * n + (["x" * max(rest - 18, 0)] if rest >= 18 else [])
        return cache[size]

    @app.get("/bare/<int:size>")
    def bare(size: int):
        return render_template_string(BARE_TEMPLATE, title="基准", rows=rows_for(size))

    return app


# --- servers -----------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen
    log: Path

    def worker_pids(self) -> list[int]:
        try:
            out = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
            return [int(p) for p in out]
        except OSError:
            return []

    def reset_peaks(self) -> None:
        for pid in self.worker_pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass

    def peak_mb(self) -> float | None:
        peaks = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return max(peaks) if peaks else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_gunicorn(name: str, app: str, env: dict, tmp: Path, chdir: Path | None = None) -> Server:
    port = free_port()
    log = tmp / f"{name}.log"
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
           "--no-control-socket", "--backlog", "256", "--timeout", "120", "--error-logfile", str(log)]
    if chdir:
        cmd += ["--chdir", str(chdir)]
    proc = subprocess.Popen(cmd + [app], env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = Server(name, port, proc, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} 未能启动：\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                if len(server.worker_pids()) >= WORKERS:
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} 60 秒内未就绪：\n{log.read_text()[-2000:]}")


# --- the client --------------------------------------------------------------------------------------------
@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


def fetch(port: int, req: Request, timeout: float = 60) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(req.method, req.path, body=req.body, headers=req.headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def login(port: int, username: str) -> dict:
    """Log in with the form (GET /login for the CSRF token, POST it): returns headers with the session cookie."""
    status, headers, body = fetch(port, Request("GET", "/login"))
    cookie = headers.get("set-cookie", "").split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"csrf_token": token, "username": username, "password": PASSWORD}).encode()
    status, headers, body = fetch(port, Request("POST", "/login", form, {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}))
    if status != 302:
        raise RuntimeError(f"登录失败（HTTP {status}）：{body[:300]!r}")
    auth = {"Cookie": headers["set-cookie"].split(";", 1)[0]}
    # follow the redirect as a browser does: the welcome message is shown once and leaves the session
    status, headers, body = fetch(port, Request("GET", "/", None, auth))
    if "set-cookie" in headers:
        auth = {"Cookie": headers["set-cookie"].split(";", 1)[0]}
    return auth


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def __add__(self, other: LoadResult) -> LoadResult:
        return LoadResult(self.requests + other.requests, self.errors + other.errors, self.seconds + other.seconds,
                          self.latencies + other.latencies)


def run_load(port: int, req: Request, seconds: float, max_requests: int, clients: int = CLIENTS) -> LoadResult:
    """``clients`` threads send ``req`` back to back until ``max_requests`` are done or ``seconds`` pass."""
    lock = threading.Lock()
    issued = [0]
    latencies: list[float] = []
    errors = [0]
    stop_at = time.perf_counter() + seconds

    def worker():
        while True:
            with lock:
                if issued[0] >= max_requests or time.perf_counter() >= stop_at:
                    return
                issued[0] += 1
            t = time.perf_counter()
            try:
                status, _h, _b = fetch(port, req)
                ok = status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(len(latencies), errors[0], time.perf_counter() - t0, tuple(latencies))


# --- the measurement ---------------------------------------------------------------------------------------
def _pages(province: Province, auth: dict, app_port: int) -> list[tuple[str, Request]]:
    eid = province.election_id
    pages = [("事务总览 /（办公室用户）", Request("GET", "/", None, auth)),
             (f"选举总览 /elections/{eid}（含结构比例面板）", Request("GET", f"/elections/{eid}", None, auth)),
             (f"单位名单 /units/{province.election_unit_id}", Request("GET", f"/units/{province.election_unit_id}",
                                                                    None, auth))]
    _s, _h, body = fetch(app_port, Request("GET", f"/elections/{eid}", None, auth))
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
    chosen = province.nominee_ids[::2][:1200]  # ticking 1,000 of the 2,000 for the shortlist
    # as static/quota-panel.js sends it: the ticked ids in one dot-joined field
    form = urlencode([("csrf_token", token), ("step", "nominated"), ("ids", ".".join(map(str, chosen)))])
    pages.append((f"结构比例面板 POST（勾选{len(chosen):,}人/800名额）",
                  Request("POST", f"/elections/{eid}/quota-panel", form.encode(),
                          dict(auth, **{"Content-Type": "application/x-www-form-urlencoded"}))))
    ranking = _ranking_page(province, auth)
    if ranking:
        pages.append(ranking)
    return pages


def _ranking_page(province: Province, auth: dict) -> tuple[str, Request] | None:
    """The yearly ranking page, when the term-duties area (blueprint + bench loader) is there."""
    try:
        import bench_ranking  # the term-duties bench: its loader fills 100,000 delegates / 1,000,000 activities
    except ImportError:
        return None
    loader = getattr(bench_ranking, "load_duties", None)
    path = getattr(bench_ranking, "RANKING_PAGE", None)
    if loader is None or path is None or not province.url.startswith("postgresql"):
        return None  # the loader writes with generate_series: PostgreSQL only
    loader(province.url)
    return ("履职排名页面（10万代表/100万条）", Request("GET", path, None, auth))


def measure(database_url: str | None = None, seconds: float = 6.0, max_requests: int = 3000,
            label: str = "PostgreSQL") -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    cluster = None
    servers: list[Server] = []
    try:
        database_url, cluster = postgres_database(database_url, "bench_pages")
        province = load_province(database_url)
        env = dict(os.environ, ELECTION_DATABASE_URL=database_url, ELECTION_SECRET_KEY=SECRET,
                   PYTHONPATH=str(ROOT), ELECTION_UPLOAD_DIR=str(tmp / "uploads"))
        app = start_gunicorn("app", "election.wsgi:app", env, tmp)
        servers.append(app)
        bare = start_gunicorn("bare", "bench_pages:make_bare_app()", env, tmp, chdir=BENCH_DIR)
        servers.append(bare)
        auth = login(app.port, province.username)
        rows = []
        for name, req in _pages(province, auth, app.port):
            status, _h, body = fetch(app.port, req)
            if status != 200:
                rows.append(Row(f"页面 {name}", None, note=f"HTTP {status}，未测：{body[:120]!r}"))
                continue
            size = len(body)
            bare_req = Request("GET", f"/bare/{size}")
            for server, r in ((app, req), (bare, bare_req)):  # warm every worker
                run_load(server.port, r, 10, 2 * WORKERS, clients=WORKERS)
            app.reset_peaks()
            # ours and the floor in alternating slices: a burst of load from elsewhere on the machine falls on
            # both sides instead of on whichever happened to run then
            ours = floor = LoadResult(0, 0, 0.0, ())
            for _ in range(ROUNDS):
                ours = ours + run_load(app.port, req, seconds / ROUNDS, max_requests // ROUNDS)
                floor = floor + run_load(bare.port, bare_req, seconds / ROUNDS, max_requests // ROUNDS)
            peak = app.peak_mb()
            share = ours.throughput / floor.throughput
            note = (f"{ours.throughput:.0f} vs {floor.throughput:.0f} 次/秒（{share:.0%}）；"
                    f"p50 {percentile(list(ours.latencies), 50) * 1000:.0f} ms，"
                    f"p99 {percentile(list(ours.latencies), 99) * 1000:.0f} ms"
                    f"（基准 p50 {percentile(list(floor.latencies), 50) * 1000:.0f}/"
                    f"p99 {percentile(list(floor.latencies), 99) * 1000:.0f} ms）；"
                    f"{size / 1024:.0f} KiB；{ours.requests}次" + (f"，{ours.errors}次出错" if ours.errors else ""))
            rows.append(Row(f"页面 {name}［{label}］", 1 / ours.throughput, "裸Flask同尺寸页面",
                            1 / floor.throughput, f"吞吐 ≥ {TARGET_SHARE:.0%}",
                            share >= TARGET_SHARE and not ours.errors, peak, note,
                            {"p50": percentile(list(ours.latencies), 50), "p99": percentile(list(ours.latencies), 99),
                             "rps": ours.throughput, "bare_rps": floor.throughput, "bytes": size}))
        rows.insert(0, Row(f"载入省级选举数据［{label}］", province.load_seconds,
                           note="100个推荐单位、2,000名推荐人选、800名额；建表+批量插入"))
        return rows
    finally:
        for s in servers:
            s.stop()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=6.0, help="每个页面最多压测的秒数")
    ap.add_argument("--max-requests", type=int, default=3000, help="每个页面最多请求数")
    ap.add_argument("--database-url", help="已有的空数据库（会删表重建）；缺省时启动临时 PostgreSQL")
    ap.add_argument("--sqlite", action="store_true", help="改用临时 SQLite 文件")
    args = ap.parse_args()
    url, label = args.database_url, "PostgreSQL"
    if args.sqlite:
        url, label = f"sqlite:///{tempfile.mkdtemp(prefix='bench-sqlite-')}/bench.db", "SQLite"
    print(f"gunicorn {WORKERS} workers, {CLIENTS} 个并发客户端, 127.0.0.1；每页最多 {args.seconds:g} 秒/"
          f"{args.max_requests} 次请求", flush=True)
    print_table(measure(url, args.seconds, args.max_requests, label))


if __name__ == "__main__":
    main()
