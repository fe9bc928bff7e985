"""`make bench`: every benchmark at province size, one table — operation, time, its floor measured in the same
run, the ratio, the target, met or not, and peak memory.

    .venv/bin/python bench/run_all.py [--only import,tally,…] [--quick] [--page-seconds 6]

Each piece runs in its own subprocess (``run_all.py --child NAME``) so its peak memory is its own: the piece
reports the peak resident set of its operation (VmHWM, reset before the operation), and where a row has none
the child's ``ru_maxrss`` (from ``wait4``) stands in. The data are generated from fixed seeds, so every run
measures the same province: 100 推荐单位, 2,000 nominees, 800 seats (pages, import, 名册); 10,000 candidates
(quota questions); 100,000 ballots (tally); 100,000 delegates in 2,000 offices with 1,000,000 activities in a
year (ranking). The pages run on a throwaway PostgreSQL cluster (tests/pg.py) and on SQLite; so does a whole
election through the JSON API at 300 and 3,000 nominees (api_flow, api_flow_sqlite: bench/bench_api_flow.py), and
the 年会 of a 2,000-delegate congress in session (assembly: bench/bench_assembly.py).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from _common import ROOT, Row, emit_rows, parse_rows, print_table, table_lines  # noqa: E402

PIECE_TIMEOUT = 420  # seconds; the whole run must stay under 15 minutes on 2 cores


def _import_piece(quick: bool) -> list[Row]:
    import bench_import

    return bench_import.measure(rows=2_000, repeat=2 if quick else 5)


def _roster_piece(quick: bool) -> list[Row]:
    import bench_roster

    return bench_roster.measure(2_000, 2 if quick else 3)


def _quotas_piece(quick: bool) -> list[Row]:
    import bench_quotas

    return bench_quotas.measure(10_000, (800,), 3 if quick else 7)


def _tally_piece(quick: bool) -> list[Row]:
    import bench_tally

    return bench_tally.measure(20_000 if quick else 100_000, 2 if quick else 5)


def _ranking_pure_piece(quick: bool) -> list[Row]:
    import bench_ranking_pure

    if quick:
        return bench_ranking_pure.measure(100_000, 10_000, 2)
    return bench_ranking_pure.measure(1_000_000, 100_000, 3)


def _ranking_sql_piece(quick: bool) -> list[Row]:
    """The yearly ranking on PostgreSQL vs the bare SQL aggregate: bench/bench_ranking.py (the term-duties
    area's own bench). Its ``measure()`` is used when it returns rows; otherwise its printed table is quoted."""
    path = BENCH_DIR / "bench_ranking.py"
    if not path.exists():
        return [Row("履职年度排名（PostgreSQL）vs 裸SQL聚合", None, target="≤ 1.5×",
                    note="bench/bench_ranking.py 尚不存在（履职模块未完成），本次未测")]
    import bench_ranking

    measure = getattr(bench_ranking, "measure", None)
    if measure is not None:
        try:
            rows = measure()
        except TypeError:
            rows = None
        if isinstance(rows, list) and rows and all(isinstance(r, Row) for r in rows):
            return rows
    args = [sys.executable, str(path)] + (["--quick"] if quick and "--quick" in path.read_text() else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=PIECE_TIMEOUT, cwd=str(ROOT))
    rows = parse_rows(out.stdout)
    if rows:
        return rows
    text = (out.stdout + out.stderr).strip()
    print(f"== bench/bench_ranking.py 的输出（退出码 {out.returncode}）\n{text}", file=sys.stderr, flush=True)
    return [Row("履职年度排名（PostgreSQL）vs 裸SQL聚合", None, target="≤ 1.5×",
                note="见上方 bench_ranking.py 自己的表格（它未提供 measure() 行）")]


def _pages_piece(quick: bool, sqlite: bool = False) -> list[Row]:
    import tempfile

    import bench_pages

    seconds = float(os.environ.get("BENCH_PAGE_SECONDS", "2" if quick else "6"))
    url = os.environ.get("BENCH_PG_URL")
    label = "PostgreSQL"
    if sqlite:
        url, label = f"sqlite:///{tempfile.mkdtemp(prefix='bench-sqlite-')}/bench.db", "SQLite"
    elif url:
        from tests import pg

        url = pg.create_database(url, "bench_pages")
    return bench_pages.measure(url, seconds=seconds, max_requests=500 if quick else 3000, label=label)


def _api_flow_piece(quick: bool, sqlite: bool = False) -> list[Row]:
    """A whole election through /api/v1 at N = 300 and 3,000 (bench/bench_api_flow.py; --quick: 60 and 300)."""
    import bench_api_flow

    sizes = (60, 300) if quick else (300, 3000)
    if sqlite:
        return bench_api_flow.measure(bench_api_flow.sqlite_urls(), "SQLite", sizes)
    return bench_api_flow.measure(bench_api_flow.pg_urls(os.environ["BENCH_PG_URL"]), "PostgreSQL", sizes)


def _assembly_piece(quick: bool) -> list[Row]:
    """The 年会 at city size: 2,000 delegates signed in, the 签到 page, held, a 民主评议 of 40 objects counted and
    its results page and .docx, on SQLite and PostgreSQL (bench/bench_assembly.py; --quick: 300 delegates)."""
    import bench_assembly

    return bench_assembly.measure(300 if quick else 2000, url_base=os.environ.get("BENCH_PG_URL"))


def _jobs_piece(quick: bool) -> list[Row]:
    """The job queue: a burst of exports and an idle pickup, embedded and on Redis with 1 and 2 worker processes
    (bench/bench_jobs.py; --quick: 12 jobs)."""
    import bench_jobs

    return bench_jobs.measure(12 if quick else 40, url_base=os.environ.get("BENCH_PG_URL"))


def _scaleout_piece(quick: bool) -> list[Row]:
    """Page throughput with one and two app servers on this machine, as a ratio (bench/bench_scaleout.py)."""
    import bench_scaleout

    url = os.environ.get("BENCH_PG_URL")
    if url:
        from tests import pg

        url = pg.create_database(url, "bench_scaleout")
    return bench_scaleout.measure(url, seconds=4 if quick else 16)


PIECES = {
    "import": _import_piece,
    "roster": _roster_piece,
    "quotas": _quotas_piece,
    "tally": _tally_piece,
    "ranking_pure": _ranking_pure_piece,
    "ranking_sql": _ranking_sql_piece,
    "pages": _pages_piece,
    "pages_sqlite": lambda quick: _pages_piece(quick, sqlite=True),
    "api_flow": _api_flow_piece,
    "api_flow_sqlite": lambda quick: _api_flow_piece(quick, sqlite=True),
    "assembly": _assembly_piece,
    "jobs": _jobs_piece,
    "scaleout": _scaleout_piece,
}


def run_child(name: str, quick: bool) -> tuple[list[Row], float, float, str]:
    """Run one piece in a fresh interpreter; (rows, wall seconds, child's ru_maxrss in MB, error text)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name] + (["--quick"] if quick else [])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=PIECE_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        return [], time.perf_counter() - t0, 0.0, f"超过 {PIECE_TIMEOUT} 秒，已终止"
    # communicate() reaped the child; its rusage is folded into RUSAGE_CHILDREN — use the child's own report
    rows = parse_rows(stdout)
    peak = next((json.loads(line[6:]) for line in reversed(stdout.splitlines()) if line.startswith("RSSMB:")), 0.0)
    if stderr.strip():
        print(stderr.rstrip(), file=sys.stderr, flush=True)
    error = "" if proc.returncode == 0 and rows else (stderr.strip().splitlines() or ["无输出"])[-1]
    return rows, time.perf_counter() - t0, peak, error


def child(name: str, quick: bool) -> None:
    import resource

    rows = PIECES[name](quick)
    print("RSSMB:" + json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), flush=True)
    emit_rows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", choices=sorted(PIECES), help=argparse.SUPPRESS)
    ap.add_argument("--only", help="逗号分隔：" + ",".join(PIECES))
    ap.add_argument("--quick", action="store_true", help="小规模试跑（不是验收数字）")
    ap.add_argument("--json", help="另存结果为 JSON 文件")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.quick)
        return

    names = args.only.split(",") if args.only else list(PIECES)
    unknown = [n for n in names if n not in PIECES]
    if unknown:
        print(f"未知的测试项：{'，'.join(unknown)}；可选：{'，'.join(PIECES)}", file=sys.stderr)
        sys.exit(2)
    cluster = None
    started = time.perf_counter()
    try:
        needs_pg = any(n in ("pages", "ranking_sql", "api_flow", "assembly", "scaleout") for n in names)
        if needs_pg and not os.environ.get("BENCH_PG_URL"):
            sys.path.insert(0, str(ROOT))
            from tests import pg

            cluster, why = pg.start_cluster()
            if cluster is None:
                print(f"无法启动临时 PostgreSQL：{why}", file=sys.stderr)
                sys.exit(1)
            os.environ["BENCH_PG_URL"] = cluster.url_base
        all_rows: list[Row] = []
        for name in names:
            print(f"… {name}", file=sys.stderr, flush=True)
            rows, wall, peak, error = run_child(name, args.quick)
            if error:
                rows.append(Row(f"{name}：运行失败", None, note=error[:200]))
            rows = [r if r.peak_mb is not None or r.seconds is None else replace(r, peak_mb=peak) for r in rows]
            all_rows.extend(rows)
            print(f"  {name}: {wall:.0f} s", file=sys.stderr, flush=True)
    finally:
        if cluster is not None:
            cluster.stop()
    total = time.perf_counter() - started
    title = (f"基准测试（{'试跑规模' if args.quick else '省级规模'}）：{os.cpu_count()} 核，Python "
             f"{sys.version.split()[0]}；各项在独立子进程中运行；总用时 {total:.0f} 秒")
    print_table(all_rows, title)
    missed = [r.operation for r in all_rows if r.met is False]
    print(f"\n达标 {sum(r.met is True for r in all_rows)} 项，未达标 {len(missed)} 项，"
          f"未测或仅供参考 {sum(r.met is None for r in all_rows)} 项。")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": [asdict(r) for r in all_rows], "seconds": total,
                                               "table": table_lines(all_rows)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
