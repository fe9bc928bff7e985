"""A 2,000-person roster: render_roster (GB/T 9704 page, XML-built table) vs a bare python-docx table.

Both produce .docx bytes with the same header and cells; the bare one has no styling at all. Target: the
styled roster within 1.5× of the bare table. Run: .venv/bin/python bench/bench_roster.py
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import time
from pathlib import Path

from docx import Document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import Row, best_of, peak_rss_mb, print_table, ratio_row  # noqa: E402

from election.documents.data import PersonRow
from election.documents.rosters import render_roster, roster_from_people

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


def measure(n: int = N, repeat: int = REPEAT) -> list[Row]:
    """Best wall time of ``repeat`` interleaved runs (python-docx and lxml are pure CPU, so wall ≈ CPU here)."""
    data = roster_from_people("推荐人选名册", people(n))
    sizes = {"ours": len(render_roster(data)), "bare": len(bare_python_docx(data.columns, data.rows))}
    times = best_of({"ours": lambda: render_roster(data),
                     "bare": lambda: bare_python_docx(data.columns, data.rows)}, repeat, clock=time.process_time)
    peak, _ = peak_rss_mb(lambda: render_roster(data))
    return [ratio_row(f"名册 render_roster：{n:,}人 .docx", times["ours"], "python-docx裸表格", times["bare"], 1.5,
                      peak_mb=peak, note=f"{sizes['ours'] // 1024} KiB（裸表格 {sizes['bare'] // 1024} KiB）")]


def main() -> None:
    print(f"{N} rows, best CPU time of {REPEAT}")
    print_table(measure())


if __name__ == "__main__":
    main()
