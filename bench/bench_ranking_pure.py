"""Pure-Python scoring and ranking of a year of a district: 1,000,000 activities for 100,000 delegates.

    .venv/bin/python bench/bench_ranking_pure.py [--activities N] [--delegates M] [--repeat R]

Prints a table: each phase's best time over R runs and its ratio to a bare Counter-sum loop over the same rows
(the least any Python pass can cost). Data are generated with a fixed seed under the 盐田 rules.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import Row, best_of, info_row, peak_rss_mb, print_table  # noqa: E402

from workflow.duties.compliance import requirements_at_risk
from workflow.duties.points import compute_points, totals
from workflow.duties.presets import YANTIAN
from workflow.duties.ranking import rank_delegates
from workflow.duties.rules import Activity, ActivityType, RuleBook

WEIGHTS = {  # a plausible mix: many duty shifts and visits, few proposals and emergencies
    "duty_reception": 30, "community_activity": 15, "publicity": 10, "proxy_petition": 8, "resolve_petition": 8,
    "volunteering": 8, "inspection": 5, "co_proposal": 5, "lead_proposal": 3, "motion": 3, "mentoring": 2,
    "inquiry": 1, "written_opinion": 1, "emergency": 1,
}


def make_rows(n: int, delegates: int, seed: int = 20260101) -> list[tuple]:
    rnd = random.Random(seed)
    codes = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    grades = ("very_satisfied", "satisfied", "unsatisfied")
    rows = []
    for i, code in enumerate(rnd.choices(codes, weights, k=n)):
        r = rnd.random()
        status = "verified" if r < 0.95 else "pending" if r < 0.98 else "returned"
        grade = grades[i % 3] if code == "resolve_petition" else None
        role = "co_signer" if code == "lead_proposal" and i % 4 else "lead"
        rows.append((i, rnd.randrange(delegates), code, days[rnd.randrange(365)], status, grade, role))
    return rows


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def measure(activities: int = 1_000_000, delegates: int = 100_000, repeat: int = 5, full: bool = False) -> list[Row]:
    """Best wall time of ``repeat`` interleaved runs of each phase (pure CPU); peak memory of one run.
    ``full`` adds the phases that are for information only (namedtuples, revisions, the daily job)."""
    t0 = time.perf_counter()
    rows = make_rows(activities, delegates)
    gen = time.perf_counter() - t0
    offices = {d: f"工作室{d % 2000:04d}" for d in range(delegates)}  # 2,000 offices of 50 delegates
    flat = {t.code: t.points if isinstance(t.points, int) else 5 for t in YANTIAN.activity_types}

    def bare_counter():
        c: Counter = Counter()
        for _aid, did, code, _on, _st, _gr, _role in rows:
            c[did] += flat[code]
        return c

    phases = {
        "bare": bare_counter,
        "points": lambda: compute_points(rows, YANTIAN, 2026),
        "ranked": lambda: rank_delegates(totals(compute_points(rows, YANTIAN, 2026)), offices),
    }
    if full:
        v2_types = tuple(ActivityType(t.code, t.label, 8, group=t.group) if t.code == "duty_reception" else t
                         for t in YANTIAN.activity_types)
        book2 = RuleBook((YANTIAN, YANTIAN.revise(date(2026, 7, 1), activity_types=v2_types)))
        acts = [Activity._make(r) for r in rows]
        phases["tuples"] = lambda: compute_points(acts, YANTIAN, 2026)
        phases["versions"] = lambda: compute_points(rows, book2, 2026)
    times = best_of(phases, repeat)
    peak = {k: peak_rss_mb(phases[k])[0] for k in ("points", "ranked")}
    floor, base = "Counter求和裸循环", times["bare"]
    out = [
        info_row(f"履职积分 compute_points（纯Python，{activities:,}条）", times["points"], floor, base,
                 peak_mb=peak["points"], note=f"数据生成{gen:.1f} s"),
        info_row(f"积分+排名 rank_delegates（{delegates:,}人/2,000室）", times["ranked"], floor, base,
                 peak_mb=peak["ranked"]),
    ]
    if full:
        points = compute_points(rows, YANTIAN, 2026)
        t_risk = best_of({"r": lambda: requirements_at_risk(date(2026, 4, 20), rows, YANTIAN, range(delegates))}, 1)
        out += [info_row("compute_points, Activity namedtuples", times["tuples"], floor, base),
                info_row("compute_points, 2 versions (7月1日 change)", times["versions"], floor, base),
                info_row("requirements_at_risk (daily job), all delegates", t_risk["r"], floor, base,
                         note=f"delegates with points: {len(points):,}")]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, default=1_000_000)
    ap.add_argument("--delegates", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"{args.activities:,} activities, {args.delegates:,} delegates; Python {sys.version.split()[0]}; "
          f"best of {args.repeat}")
    print_table(measure(args.activities, args.delegates, args.repeat, full=True))


if __name__ == "__main__":
    main()
