"""Shared helpers for the bench scripts: one result row type, the table printer, timing and peak memory.

Every bench script exposes ``measure(...) -> list[Row]`` (run_all.py calls it in a fresh subprocess, so each
piece's peak memory is its own) and a ``main()`` that prints the same table with :func:`print_table`.

Peak memory is the peak resident set (VmHWM) of the process while the operation ran: :func:`peak_rss_mb` resets
the kernel's high-water mark (``/proc/self/clear_refs`` ← 5, Linux ≥ 4.0) before running the operation, so
memory used earlier in the same process (test data, the floor) is counted only as far as it stays resident.
Where the reset is not allowed, the process's whole peak is reported (ru_maxrss).
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULT_MARK = "BENCH-ROWS:"  # the child's last stdout line: this mark, then the rows as JSON


@dataclass(frozen=True)
class Row:
    """One line of the table: an operation, its floor measured in the same run, and the target."""

    operation: str
    seconds: float | None                 # the operation (best/median as the script says)
    floor: str = ""                        # what the floor is ("openpyxl read-only pass") or "" when none
    floor_seconds: float | None = None
    target: str = ""                       # "≤ 2×", "< 50 ms", "吞吐 ≥ 50%", "" = for information
    met: bool | None = None                # None: no target
    peak_mb: float | None = None
    note: str = ""                         # p50/p99, sizes, why not met …
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.floor_seconds:
            return None
        return self.seconds / self.floor_seconds


def ratio_row(operation: str, seconds: float, floor: str, floor_seconds: float, limit: float, *,
              peak_mb: float | None = None, note: str = "", extra: dict | None = None) -> Row:
    """A row whose target is ``seconds ≤ limit × floor_seconds``."""
    return Row(operation, seconds, floor, floor_seconds, f"≤ {limit:g}×", seconds <= limit * floor_seconds,
               peak_mb, note, extra or {})


def limit_row(operation: str, seconds: float, limit_seconds: float, *, peak_mb: float | None = None,
              note: str = "", floor: str = "", floor_seconds: float | None = None) -> Row:
    """A row whose target is an absolute time (``< 50 ms``)."""
    return Row(operation, seconds, floor, floor_seconds, f"< {fmt_seconds(limit_seconds)}",
               seconds < limit_seconds, peak_mb, note)


def info_row(operation: str, seconds: float | None, floor: str = "", floor_seconds: float | None = None, *,
             peak_mb: float | None = None, note: str = "") -> Row:
    return Row(operation, seconds, floor, floor_seconds, "", None, peak_mb, note)


def postgres_database(database_url: str | None, name: str):
    """DATABASE_URL as given, or a database NAME on a throwaway cluster (tests/pg.py): (url, cluster or None);
    the caller stops the cluster it was given."""
    if database_url is not None:
        return database_url, None
    from tests import pg

    cluster, why = pg.start_cluster()
    if cluster is None:
        raise RuntimeError(why)
    return pg.create_database(cluster.url_base, name), cluster


# --- timing -------------------------------------------------------------------------------------------------
def best_of(fns: dict[str, Callable[[], object]], repeat: int, clock: Callable[[], float] = time.perf_counter
            ) -> dict[str, float]:
    """Best time of ``repeat`` runs of each function, interleaved round-robin so that a busy moment of the
    (shared) machine hits every side alike. ``clock=time.process_time`` for pure CPU work: other processes
    then do not count; keep wall time (the default) where a server (PostgreSQL) does part of the work."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = clock()
            fn()
            best[name] = min(best[name], clock() - t0)
    return best


def median_of(fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(-(-p * len(ordered) // 100)) - 1))
    return ordered[k]


# --- memory -------------------------------------------------------------------------------------------------
def _vm_hwm_kb() -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Reset this process's peak RSS to its current RSS; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def current_peak_mb() -> float:
    kb = _vm_hwm_kb()
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def peak_rss_mb(fn: Callable[[], object]) -> tuple[float, object]:
    """Run ``fn`` once and return (peak resident MB while it ran, its result)."""
    reset_peak()
    out = fn()
    return current_peak_mb(), out


def children_peak_mb() -> float:
    """ru_maxrss of the largest waited-for child process (gunicorn workers, PostgreSQL excluded)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# --- the table ----------------------------------------------------------------------------------------------
def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "—"
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.01:
        return f"{s * 1000:.0f} ms"
    if s >= 0.001:
        return f"{s * 1000:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


HEADERS = ("操作", "用时", "基准（floor）", "基准用时", "比值", "目标", "达标", "峰值内存")


def table_lines(rows: Iterable[Row], title: str = "") -> list[str]:
    cells = []
    for r in rows:
        ratio = r.ratio
        cells.append((r.operation, fmt_seconds(r.seconds), r.floor or "—", fmt_seconds(r.floor_seconds),
                      f"{ratio:.2f}×" if ratio is not None else "—", r.target or "（仅供参考）",
                      {True: "是", False: "否", None: "—"}[r.met],
                      f"{r.peak_mb:.0f} MB" if r.peak_mb is not None else "—", r.note))
    widths = [max([_width(h)] + [_width(c[i]) for c in cells]) for i, h in enumerate(HEADERS)]
    right = (False, True, False, True, True, False, False, True)
    lines = [title] if title else []
    lines.append("  ".join(_pad(h, w, rt) for h, w, rt in zip(HEADERS, widths, right)))
    lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for c in cells:
        line = "  ".join(_pad(v, w, rt) for v, w, rt in zip(c, widths, right))
        if c[-1]:
            line += "  " + c[-1]
        lines.append(line)
    return lines


def print_table(rows: Iterable[Row], title: str = "") -> None:
    print("\n".join(table_lines(list(rows), title)), flush=True)


# --- subprocess protocol (run_all.py) -----------------------------------------------------------------------
def emit_rows(rows: Iterable[Row]) -> None:
    print(RESULT_MARK + json.dumps([asdict(r) for r in rows], ensure_ascii=False), flush=True)


def parse_rows(stdout: str) -> list[Row]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return [Row(**d) for d in json.loads(line[len(RESULT_MARK):])]
    return []
