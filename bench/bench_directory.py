"""Time the organisation directory import and export at district and city sizes, next to a plain openpyxl
read-only pass over the same sheet.

    .venv/bin/python bench/bench_directory.py [--sizes 2000,20000] [--postgresql]

A tree of one 选举单位, 100 推荐单位, their 党总支 and 党支部, and a 党代表工作室 under each unit, written as the
directory sheet; then: the sheet read and checked (every cell, the whole tree), the import into an empty database
(all or nothing, one transaction), the same file again (nothing changes), and the export. SQLite by default, and a
throwaway PostgreSQL cluster with --postgresql.
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _common import Row, print_table, ratio_row  # noqa: E402


def make_sheet(n: int) -> bytes:
    from openpyxl import Workbook

    from workflow.directory.tree import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织机构")
    ws.append(list(COLUMNS))
    ws.append(["100", "中共某市某区委员会", "党委", "", 0, 0, "", ""])
    units = 100
    for u in range(units):
        ws.append([f"1{u:03d}", f"第{u + 1}街道党工委", "党工委", "100", 0, 0, "", ""])
        ws.append([f"1{u:03d}99", f"第{u + 1}街道党代表工作室", "党代表工作室", f"1{u:03d}", 0, 0, "", ""])
    left = n - 1 - 2 * units
    per_unit = -(-left // units)  # rounded up: the last units take fewer, so exactly n in all
    made = 0
    for u in range(units):
        for k in range(per_unit):
            if made >= left:
                break
            if k % 10 == 0:  # a 党总支 every ten, the 党支部 under it
                parent = f"1{u:03d}"
                ws.append([f"1{u:03d}{k:05d}", f"第{u + 1}街道第{k + 1}党总支", "党总支", parent, 9, 300, "", ""])
                branch_parent = f"1{u:03d}{k:05d}"
            else:
                ws.append([f"1{u:03d}{k:05d}", f"第{u + 1}街道第{k + 1}党支部", "党支部", branch_parent, 0, 30,
                           "联系人", "0917-0000000"])
            made += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _best(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def measure(sizes: list[int], postgresql: bool = False) -> list[Row]:
    from openpyxl import load_workbook
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from election.core.db import make_engine
    from election.directory.models import Organisation
    from election.directory.queries import all_records
    from election.directory.readers import parse_directory_sheet, write_directory_sheet
    from election.directory.services import import_organisations
    from election.models import Base

    rows: list[Row] = []
    cluster = None
    if postgresql:
        from tests import pg

        cluster, why = pg.start_cluster()
        if cluster is None:
            print(f"PostgreSQL 不可用：{why}", file=sys.stderr)
    try:
        for n in sizes:
            data = make_sheet(n)
            floor, _ = _best(lambda: sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True)
                                         .worksheets[0].iter_rows(values_only=True)))
            parse_s, sheet = _best(lambda: parse_directory_sheet(data))
            assert not sheet.errors, sheet.errors[:3]
            rows.append(ratio_row(f"组织机构表读取与逐格检查，{n:,}个组织（{len(data) // 1024} KB）", parse_s,
                                  "openpyxl 只读遍历", floor, 2.0))
            kinds = [("SQLite", None)]
            if cluster is not None:
                kinds.append(("PostgreSQL", cluster.url_base))
            for label, base in kinds:
                with tempfile.TemporaryDirectory() as tmp:
                    url = f"sqlite:///{tmp}/dir.db" if base is None else pg.create_database(base, f"bench_dir_{n}")
                    engine = make_engine(url)
                    Base.metadata.create_all(engine)
                    with Session(engine) as session:
                        t = time.perf_counter()
                        first = import_organisations(session, None, sheet.records)
                        first_s = time.perf_counter() - t
                        t = time.perf_counter()
                        again = import_organisations(session, None, sheet.records)
                        again_s = time.perf_counter() - t
                        t = time.perf_counter()
                        exported = write_directory_sheet(list(all_records(session).values()))
                        export_s = time.perf_counter() - t
                        stored = session.scalar(select(func.count()).select_from(Organisation))
                    engine.dispose()
                assert first.added == n == stored and again.unchanged == n and exported
                rows.append(Row(f"导入（空库，{label}），{n:,}个组织", first_s, note=f"新增{first.added}个"))
                rows.append(Row(f"同一文件再导入（{label}），{n:,}个组织", again_s, note="未变，不写库"))
                rows.append(Row(f"导出（{label}），{n:,}个组织", export_s, note=f"{len(exported) // 1024} KB"))
    finally:
        if cluster is not None:
            cluster.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    print_table(measure([int(s) for s in args.sizes.split(",")], args.postgresql), "组织机构导入导出")


if __name__ == "__main__":
    main()
