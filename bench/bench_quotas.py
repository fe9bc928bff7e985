"""Benchmark: the three quota questions on 10,000 candidates and 8 overlapping rules.

Run: .venv/bin/python bench/bench_quotas.py   (target: each answer under 50 ms on a 2-core machine)
Prints the median of several runs per question, for 16 and 800 seats, on a list that can comply
(feasible) and on one that cannot (too few minority women under 40: conflicts and suggestions included).
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import Row, limit_row, median_of, peak_rss_mb, print_table
from workflow.quotas.categories import CategoryTree
from workflow.quotas.checks import check_as_is, compute_feasibility, compute_safety
from workflow.quotas.rules import parse_candidates, parse_rules

REF = dt.date(2019, 4, 10)
TARGET_MS = 50
RUNS = 7
CATEGORIES = ["工人", "农民", "其他先进模范", "专业技术人员", "其他一线", "局级领导干部", "处级领导干部", "其他"]
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族"]

RULES = parse_rules([
    {"code": "women", "where": {"gender": "女"}, "min_share": "7/16"},
    {"code": "minority", "where": {"ethnicity_not": "汉族"}, "min_share": "1/16"},
    {"code": "under50", "where": {"age_below": 50}, "min_share": "9/16"},
    {"code": "frontline", "where": {"category_in": ["基层一线"]}, "min_share": "1/3"},
    {"code": "models", "where": {"category_in": ["先进模范人物"]}, "min_share": "3/16"},
    {"code": "workers", "where": {"category_in": ["工人"]}, "min_share": "1/16"},
    {"code": "leaders", "where": {"category_in": ["领导干部"]}, "max_share": "9/16"},
    {"code": "young_minority_women", "where": {"gender": "女", "ethnicity_not": "汉族", "age_below": 40},
     "min_share": "1/16"},
])


def make_candidates(n: int, seed: int, minority_women_young: bool = True) -> list:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        gender = rnd.choice("男女")
        ethnicity = rnd.choice(ETHNICITIES)
        year = rnd.randint(1959, 1994)
        if not minority_women_young and gender == "女" and ethnicity != "汉族" and year > 1978:
            year -= 16  # nobody young, female and minority: the last rule cannot be met
        rows.append({"name": f"候选人{i:05d}", "gender": gender, "ethnicity": ethnicity,
                     "birth_date": f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                     "category": rnd.choice(CATEGORIES)})
    return parse_candidates(rows, CategoryTree())


FRONTLINE = {"工人", "农民", "其他先进模范", "专业技术人员", "其他一线"}
MODELS = {"工人", "农民", "其他先进模范"}
LEADERS = {"局级领导干部", "处级领导干部"}


def bare_counts(cands: list) -> list[int]:
    """The floor: one hand-written pass counting the people matching each of the 8 rules (no shares, no
    seats, no worst case) — the least any answer about the list must cost."""
    under50 = REF.replace(year=REF.year - 50)
    under40 = REF.replace(year=REF.year - 40)
    n = [0] * 8
    for c in cands:
        woman, minority, cat, born = c.gender == "女", c.ethnicity != "汉族", c.category, c.birth_date
        n[0] += woman
        n[1] += minority
        n[2] += born > under50
        n[3] += cat in FRONTLINE
        n[4] += cat in MODELS
        n[5] += cat == "工人"
        n[6] += cat in LEADERS
        n[7] += woman and minority and born > under40
    return n


def measure(n: int = 10_000, seats_list: tuple[int, ...] = (16, 800), runs: int = RUNS) -> list[Row]:
    """Each question's median CPU time over ``runs`` runs (CPU time: the shared machine's other load does not
    count), on a list that can comply and on one that cannot; peak memory of one run of each."""
    tree = CategoryTree()
    lists = {"可满足": make_candidates(n, 1), "不可满足": make_candidates(n, 1, minority_women_young=False)}
    rows = []
    for list_name, cands in lists.items():
        floor = median_of(lambda c=cands: bare_counts(c), runs, clock=time.process_time)
        for seats in seats_list:
            questions = {
                "as_is": lambda c=cands: check_as_is(c, RULES, REF),
                "safe": lambda c=cands, k=seats: compute_safety(c, RULES, REF, k),
                "feasible": lambda c=cands, k=seats: compute_feasibility(c, RULES, REF, k, tree),
            }
            for q, fn in questions.items():
                seconds = median_of(fn, runs, clock=time.process_time)
                peak, res = peak_rss_mb(fn)
                if q == "safe":
                    outcome = f"safe={res.safe}"
                elif q == "feasible":
                    outcome = f"feasible={res.feasible}" + (f" +{res.to_add}" if not res.feasible else "")
                else:
                    outcome = f"{sum(r.ok for r in res)}/{len(res)} ok"
                rows.append(limit_row(f"结构比例 {q}：{n:,}人/{seats}名额/{list_name}", seconds, TARGET_MS / 1000,
                                      peak_mb=peak, note=outcome, floor="一次遍历计数8条规则",
                                      floor_seconds=floor))
    return rows


def main() -> None:
    print(f"{len(RULES)} 条交叉规则；每项取 {RUNS} 次运行 CPU 时间的中位数；目标 {TARGET_MS} ms")
    print_table(measure())


if __name__ == "__main__":
    main()
