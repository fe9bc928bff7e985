"""A 2,000-person roster: render_roster (GB/T 9704 page, XML-built table) vs a bare python-docx table.

Both produce .docx bytes with the same header and cells; the bare one has no styling at all. Target: the
styled roster within 1.5× of the bare table. Run: .venv/bin/python bench/bench_roster.py
"""
from __future__ import annotations

import datetime as dt
import io
import statistics
import time

from docx import Document

from election.documents import PersonRow, render_roster, roster_from_people

N = 2000
REPEAT = 3
UNITS = ["区教育局党组书记、局长", "区人民医院内科主任医师", "某某街道社区卫生服务中心护士长", "区城管执法局一中队队员"]
NAMES = ["丁一", "于洋", "万里", "上官云", "马力", "王芳", "司马光", "乔丹", "刘伟", "李娜", "张伟", "陈静", "欧阳明"]


def people(n: int) -> list[PersonRow]:
    return [PersonRow(NAMES[i % 13], "女" if i % 2 else "男", "汉族", dt.date(1970 + i % 20, 1 + i % 12, 1),
                      "山东济南", "大学本科", dt.date(1995 + i % 20, 7, 1), UNITS[i % 4], "专业技术人员")
            for i in range(n)]


def bare_python_docx(columns, rows) -> bytes:
    doc = Document()
    table = doc.add_table(rows=1, cols=len(columns))
    for cell, text in zip(table.rows[0].cells, columns):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def timed(fn, *args) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(REPEAT):
        start = time.perf_counter()
        size = len(fn(*args))
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    data = roster_from_people("推荐人选名册", people(N))
    ours, ours_size = timed(render_roster, data)
    bare, bare_size = timed(bare_python_docx, data.columns, data.rows)
    print(f"{N} rows × {len(data.columns)} columns, median of {REPEAT}")
    print(f"{'variant':<34}{'seconds':>10}{'KiB':>10}{'ratio':>8}")
    print(f"{'bare python-docx table':<34}{bare:>10.3f}{bare_size / 1024:>10.0f}{1:>8.2f}")
    print(f"{'render_roster (GB/T 9704)':<34}{ours:>10.3f}{ours_size / 1024:>10.0f}{ours / bare:>8.2f}")
    print(f"target ≤ 1.5×: {'met' if ours / bare <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
