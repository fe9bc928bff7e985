"""Ranking a year of 1,000,000 activities for 100,000 delegates on PostgreSQL (issue 8).

Compares the app's path — one GROUP BY (delegate, type, grade, role, rule-set version) counting verified
activities, then ``compute_points_from_counts`` (rule-set versions, caps, grades) — with the bare SQL aggregate on
the same rows (GROUP BY delegate, SUM of a CASE on the type), and times the ranking page through the Flask test
client. Target: within 1.5× of the SQL. The former path (every activity as a 7-tuple into ``compute_points``) is
timed too, for comparison.

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
    from election.db import make_engine

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
    from election.services.duties import fetch_points_sums

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
    from election.services.duties import fetch_activity_counts, version_starts

    rows = fetch_activity_counts(session, FIRST, LAST, starts=version_starts([BOOK]))
    return wd.compute_points_from_counts(rows, BOOK, 2026).totals


def per_item_path(session: Session) -> dict:
    """The former path: every activity as a 7-tuple, scored one by one."""
    from election.services.duties import fetch_activity_tuples

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
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cluster, why = pg.start_cluster()
    if cluster is None:
        print(f"PostgreSQL 不可用：{why}", file=sys.stderr)
        sys.exit(2)
    try:
        run(cluster.url_base, args)
    finally:
        cluster.stop()


def run(url_base: str, args) -> None:
    from election import create_app
    from election.db import make_engine
    from election.models import Base, User

    url = pg.create_database(url_base, "bench_ranking")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    t = time.perf_counter()
    with engine.begin() as conn:
        populate(conn, args.delegates, args.activities)
    load_s = time.perf_counter() - t
    rows: list[tuple[str, float, str]] = []
    with Session(engine) as session:
        sql_s, sql_totals = best(lambda: bare_sql(session), args.repeat)
        fetch_s, counts = best(lambda: fetch_counts(session), args.repeat)
        app_s, app_totals = best(lambda: app_path(session), args.repeat)
        cnt_s, cnt_totals = best(lambda: counts_path(session), args.repeat)
        old_s, old_totals = best(lambda: per_item_path(session), args.repeat)
        assert old_totals == app_totals == cnt_totals, "the paths disagree"
        admin = User(username="bench", display_name="bench", role="admin", password_hash="x")
        session.add(admin)
        session.commit()
        from election.services.duties import compute_ranking

        level_s, view = best(lambda: compute_ranking(session, admin, 2026, "level:区", 0, date(2026, 12, 31)), 1)
    # grades and caps make the app's totals differ from the bare CASE where they apply; the rest must agree
    same = sum(1 for d, v in sql_totals.items() if app_totals.get(d) == v)
    rows.append(("bare SQL aggregate (GROUP BY, SUM CASE)", sql_s, "floor"))
    n_rows = len(counts[0])
    rows.append((f"GROUP BY delegate: sums + capped counts ({n_rows:,} rows)", fetch_s, f"{fetch_s / sql_s:.2f}×"))
    rows.append(("GROUP BY sums+capped counts + compute_points_from_counts", app_s,
                 f"{app_s / sql_s:.2f}× (target ≤ 1.5×)"))
    rows.append(("all-type GROUP BY counts + compute_points_from_counts", cnt_s, f"{cnt_s / sql_s:.2f}×"))
    rows.append(("former: SELECT 7-tuples + compute_points", old_s, f"{old_s / sql_s:.2f}× (same totals)"))
    rows.append((f"compute_ranking level:区 ({len(view.lines):,} ranked, 姓氏笔画 ties)", level_s,
                 f"{level_s / sql_s:.2f}×"))

    app = create_app({"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench-secret-key-0123456789"})
    with app.app_context():
        from election.db import db
        from election.services.users import create_user

        create_user(db.session, None, username="bench-admin", password="bench-password", role="admin")
    client = app.test_client()
    client.post("/login", data={"username": "bench-admin", "password": "bench-password"})
    page_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        r = client.get("/duties/rankings?year=2026&group=office:1")
        page_times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    rows.append((f"ranking page, one office (~{args.delegates // 100:,} delegates), test client",
                 min(page_times), f"median {statistics.median(page_times) * 1000:.0f} ms"))
    engine.dispose()

    print(f"\n排名基准：{args.activities:,} 条活动 / {args.delegates:,} 名代表，PostgreSQL（装载 {load_s:.1f} s）")
    print(f"与纯SQL合计一致的代表：{same:,}/{len(sql_totals):,}（其余差异来自满意度分值和联署年度上限）\n")
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'操作':<{width}}{'秒':>9}  对比")
    for name, secs, note in rows:
        print(f"{name:<{width}}{secs:>9.3f}  {note}")


if __name__ == "__main__":
    main()
