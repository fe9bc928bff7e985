"""Ranking a year of 1,000,000 activities for 100,000 delegates on PostgreSQL.

Compares the app's path — one GROUP BY delegate summing each verified activity's points under the rule set
(a CASE on the type, grades and roles inside the types that need them) plus LEAST(sum, cap) per yearly cap, with
``compute_points_from_counts`` only for a cap that spans a mid-year rule change — with the bare SQL aggregate on
the same rows (GROUP BY delegate, SUM of a CASE on the type), and times the ranking page through the Flask test
client, rendered and then from the page cache. Target: within 1.5× of the SQL. The older paths (every type
counted and scored in Python; every activity as a 7-tuple into ``compute_points``) are timed for comparison.

    .venv/bin/python bench/bench_ranking.py [--delegates 100000] [--activities 1000000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _common import Row, best_of, info_row, print_table, ratio_row
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests import pg
from workflow import duties as wd

TYPES = ("duty_reception", "proxy_petition", "resolve_petition", "publicity", "community_activity", "inspection",
         "motion", "lead_proposal", "inquiry", "written_opinion", "volunteering", "mentoring", "emergency")


def populate(conn, n_delegates: int, n_activities: int, n_offices: int = 100) -> None:
    conn.execute(text("INSERT INTO delegate_offices (name, level, address) "
                      "SELECT '工作室' || g, '镇', '' FROM generate_series(1, :n) g"), {"n": n_offices})
    conn.execute(text(
        "INSERT INTO term_delegates (name, gender, ethnicity, level, congress, term_start, term_end, electing_unit, "
        "workplace, phone, office_id, group_name, status, created_at) "
        "SELECT '代表' || g, CASE WHEN g % 3 = 0 THEN '女' ELSE '男' END, '汉族', '区', '区第十二次党代会', "
        "DATE '2022-01-01', DATE '2026-12-31', '单位' || (g % 50), '', '', 1 + g % :o, '', 'serving', now() "
        "FROM generate_series(1, :n) g"), {"n": n_delegates, "o": n_offices})
    types = "ARRAY[" + ",".join(f"'{t}'" for t in TYPES) + "]"
    conn.execute(text(
        "INSERT INTO duty_activities (delegate_id, type_code, \"on\", place, description, people, status, grade, role, "
        "verified_at, created_at) "
        f"SELECT 1 + (g::bigint * 7919) % :d, ({types})[1 + g % {len(TYPES)}], DATE '2026-01-01' + (g % 365), '', '', '', "
        "CASE WHEN g % 20 = 0 THEN 'pending' ELSE 'verified' END, "
        f"CASE WHEN g % {len(TYPES)} = 2 THEN (CASE WHEN g % 2 = 0 THEN 'very_satisfied' ELSE 'satisfied' END) END, "
        "CASE WHEN g % 26 = 7 THEN 'co_signer' ELSE 'lead' END, "
        "CASE WHEN g % 20 = 0 THEN NULL ELSE now() END, now() FROM generate_series(1, :a) g"),
        {"d": n_delegates, "a": n_activities})
    conn.execute(text("ANALYZE"))


def bare_sql(session: Session) -> dict:
    """GROUP BY delegate, SUM of points via a CASE on the type (fixed points; no caps, versions or grades)."""
    rs = wd.YANTIAN
    cases = " ".join(f"WHEN '{t.code}' THEN {t.points_for('very_satisfied')}" for t in rs.activity_types)
    sql = (f"SELECT delegate_id, SUM(CASE type_code {cases} ELSE 0 END) FROM duty_activities "
           "WHERE \"on\" BETWEEN '2026-01-01' AND '2026-12-31' AND status = 'verified' GROUP BY delegate_id")
    raw = session.connection().connection.dbapi_connection
    with raw.cursor() as cur:
        cur.execute(sql)
        return dict(cur.fetchall())


BOOK = wd.RuleBook.of(wd.YANTIAN)
# the ranking page bench_pages.py loads under gunicorn: one office's standing (~1,000 of the 100,000 delegates)
RANKING_PAGE = "/duties/rankings?year=2026&group=office:1"


def load_duties(url: str, n_delegates: int = 100_000, n_activities: int = 1_000_000) -> float:
    """Fill the term-duty tables of an existing app database (PostgreSQL) for bench_pages.py; returns seconds."""
    from election.core.db import make_engine

    t = time.perf_counter()
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            populate(conn, n_delegates, n_activities)
    finally:
        engine.dispose()
    return time.perf_counter() - t
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)


def fetch_counts(session: Session) -> tuple[dict, list[tuple]]:
    from election.duties.services import fetch_points_sums

    return fetch_points_sums(session, BOOK, FIRST, LAST)


def app_path(session: Session) -> dict:
    """The ranking's path (``points_totals``): one GROUP BY summing the uncapped points (``wd.points_plan`` as a
    CASE) and counting the capped types, then ``compute_points_from_counts`` for the caps."""
    sums, counts = fetch_counts(session)
    for did, t in wd.compute_points_from_counts(counts, BOOK, 2026).totals.items():
        sums[did] = sums.get(did, 0) + t
    return sums


def counts_path(session: Session) -> dict:
    """Every (delegate, type, grade, role, version) counted by SQL, all scored in Python."""
    from election.duties.services import fetch_activity_counts, version_starts

    rows = fetch_activity_counts(session, FIRST, LAST, starts=version_starts([BOOK]))
    return wd.compute_points_from_counts(rows, BOOK, 2026).totals


def per_item_path(session: Session) -> dict:
    """The former path: every activity as a 7-tuple, scored one by one."""
    from election.duties.services import fetch_activity_tuples

    return wd.compute_points(fetch_activity_tuples(session, FIRST, LAST), BOOK, 2026).totals


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delegates", type=int, default=100_000)
    ap.add_argument("--activities", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print_table(measure(args.delegates, args.activities, args.repeat),
                f"履职年度排名：{args.activities:,} 条活动 / {args.delegates:,} 名代表，PostgreSQL")


def measure(n_delegates: int = 100_000, n_activities: int = 1_000_000, repeat: int = 5,
            url_base: str | None = None) -> list[Row]:
    """The table's rows (run_all.py); starts a throwaway cluster unless ``url_base`` names a server."""
    cluster = None
    if url_base is None:
        cluster, why = pg.start_cluster()
        if cluster is None:
            return [Row("履职年度排名（PostgreSQL）vs 裸SQL聚合", None, target="≤ 1.5×", note=f"PostgreSQL 不可用：{why}")]
        url_base = cluster.url_base
    try:
        return run(url_base, n_delegates, n_activities, repeat)
    finally:
        if cluster is not None:
            cluster.stop()


def run(url_base: str, n_delegates: int, n_activities: int, repeat: int) -> list[Row]:
    from election import create_app
    from election.accounts.models import User
    from election.core.db import make_engine
    from election.duties.services import compute_ranking
    from election.models import Base

    url = pg.create_database(url_base, "bench_ranking")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    t = time.perf_counter()
    with engine.begin() as conn:
        populate(conn, n_delegates, n_activities)
    load_s = time.perf_counter() - t
    with Session(engine) as session:
        out: dict[str, object] = {}

        def keep(name, fn):
            return lambda: out.__setitem__(name, fn(session))

        # round-robin, best of REPEAT: a busy moment of the machine falls on every side alike
        times = best_of({"sql": keep("sql", bare_sql), "fetch": keep("fetch", fetch_counts),
                         "app": keep("app", app_path)}, repeat)
        slow = best_of({"counts": keep("counts", counts_path), "items": keep("items", per_item_path)},
                       max(1, repeat // 2))
        assert out["items"] == out["app"] == out["counts"], "the paths disagree"
        admin = User(username="bench", display_name="bench", role="admin", password_hash="x")
        session.add(admin)
        session.commit()
        level_s, view = best(lambda: compute_ranking(session, admin, 2026, "level:区", 0, date(2026, 12, 31)), 1)
    sql_s = times["sql"]
    sql_totals, app_totals = out["sql"], out["app"]
    # grades and caps make the app's totals differ from the bare CASE where they apply; the rest must agree
    same = sum(1 for d, v in sql_totals.items() if app_totals.get(d) == v)
    rows = [
        info_row(f"装载 {n_activities:,} 条活动 / {n_delegates:,} 名代表（generate_series）", load_s),
        ratio_row("履职年度排名：本系统（一次 GROUP BY：CASE 计分 + LEAST(合计, 年度上限)）", times["app"],
                  "裸SQL聚合（GROUP BY 代表，SUM CASE 类型）", sql_s, 1.5,
                  note=f"{len(app_totals):,} 名代表；与裸SQL合计一致 {same:,} 名（其余差异来自满意度分值和联署上限）"),
        info_row("  其中 SQL 取数（不含 Python）", times["fetch"], "裸SQL聚合", sql_s),
        info_row("  对照：逐类型计数 + compute_points_from_counts", slow["counts"], "裸SQL聚合", sql_s),
        info_row("  对照：逐条 7 元组 + compute_points（旧路径）", slow["items"], "裸SQL聚合", sql_s,
                 note="三条路径合计完全一致"),
        info_row(f"compute_ranking 全区 {len(view.lines):,} 人排名（姓氏笔画排序同分）", level_s),
    ]

    app = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench-secret-key-0123456789"})
    with app.app_context():
        from election.accounts.services import create_user
        from election.core.db import db

        create_user(db.session, None, username="bench-admin", password="Bench-ranking-password-7", role="admin")
    client = app.test_client()
    client.post("/login", data={"username": "bench-admin", "password": "Bench-ranking-password-7"})
    client.get("/help/")  # the welcome message: a page with a pending flash is never cached
    t = time.perf_counter()
    r = client.get(RANKING_PAGE)
    first_s = time.perf_counter() - t
    assert r.status_code == 200, r.status_code
    page_times = []
    for _ in range(max(repeat, 5)):
        t = time.perf_counter()
        r = client.get(RANKING_PAGE)
        page_times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    engine.dispose()
    rows.append(info_row(f"排名页面（一个工作室约 {n_delegates // 100:,} 人），首次渲染", first_s,
                         note="Flask 测试客户端；gunicorn 下的吞吐见页面基准"))
    rows.append(info_row("排名页面，数据未变时（页面缓存）", statistics.median(page_times), note="中位数"))
    return rows


if __name__ == "__main__":
    main()
