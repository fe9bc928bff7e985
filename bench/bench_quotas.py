"""Benchmark: the three quota questions on 10,000 candidates and 8 overlapping rules (issue 4).

Run: .venv/bin/python bench/bench_quotas.py   (target: each answer under 50 ms on a 2-core machine)
Prints the median of several runs per question, for 16 and 800 seats, on a list that can comply
(feasible) and on one that cannot (too few minority women under 40: conflicts and suggestions included).
"""
from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow.categories import CategoryTree
from workflow.quota_rules import parse_candidates, parse_rules
from workflow.quotas import check_as_is, compute_feasibility, compute_safety

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


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    tree = CategoryTree()
    lists = {"可满足": make_candidates(10_000, 1), "不可满足": make_candidates(10_000, 1, minority_women_young=False)}
    print(f"10,000 名候选人，{len(RULES)} 条交叉规则；每项取 {RUNS} 次运行的中位数；目标 {TARGET_MS} ms")
    print(f"{'名单':<6}{'名额':>6}  {'问题':<22}{'中位数 ms':>10}  {'结果':<10}{'达标'}")
    for list_name, cands in lists.items():
        for seats in (16, 800):
            questions = {
                "as_is (check_as_is)": lambda c=cands: check_as_is(c, RULES, REF),
                "safe (compute_safety)": lambda c=cands, k=seats: compute_safety(c, RULES, REF, k),
                "feasible (compute_feas.)": lambda c=cands, k=seats: compute_feasibility(c, RULES, REF, k, tree),
            }
            for q, fn in questions.items():
                ms = median_ms(fn)
                res = fn()
                if q.startswith("safe"):
                    outcome = f"safe={res.safe}"
                elif q.startswith("feasible"):
                    outcome = f"feasible={res.feasible}" + (f" +{res.to_add}" if not res.feasible else "")
                else:
                    outcome = f"{sum(r.ok for r in res)}/{len(res)} ok"
                print(f"{list_name:<6}{seats:>6}  {q:<22}{ms:>10.1f}  {outcome:<14}{'是' if ms < TARGET_MS else '否'}")


if __name__ == "__main__":
    main()
