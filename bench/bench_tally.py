"""Bench: tally 100,000 individual ballots for 30 candidates and 16 seats (target ≤ 2× a plain loop).

Run: ``.venv/bin/python bench/bench_tally.py [--ballots N] [--repeat R]``. Prints a table of the best CPU time of R runs:

* plain loop       — a plain Python counting loop over the same ballots: for-votes and write-ins per name,
                     no rules at all (the yardstick);
* tally_ballots(checked=True) — the rules as closing a round runs them (close_round): every ballot was checked
                     at entry (check_ballots); void ballots, unknown names, counting, threshold, ranking and the
                     explanation; skips only the per-ballot repeated-name set;
* tally_ballots    — the same on raw ballots (``election tally``): every ballot also re-checked for a name twice
                     or for and against at once (one set per ballot);
* run_tally_json   — the same from JSON text, as ``election tally`` does (JSON decoding and shape checks
                     included; for information, no target).

The ballots come from a fixed random seed, so every run counts the same data.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Row, best_of, info_row, peak_rss_mb, print_table, ratio_row

from workflow.tally.count import tally_ballots
from workflow.tally.io import run_tally_json
from workflow.tally.rules import LOCAL, RoundSetup

SEED = 20260410
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红辉鹏飞"


def make_ballots(n: int, candidates: list[str], seats: int, rng: random.Random) -> list[dict]:
    """Realistic ballots: most mark 8–16 for-votes, a few against, 5% write in one name, 1% void (17 for)."""
    ballots = []
    for _ in range(n):
        k = 17 if rng.random() < 0.01 else rng.randint(8, seats)
        marked = rng.sample(candidates, k)
        rest = [c for c in candidates if c not in marked]
        against = rng.sample(rest, rng.randint(0, 3))
        write_in = [f"另{rng.choice(GIVEN)}{rng.choice(GIVEN)}"] if k < seats and rng.random() < 0.05 else []
        if write_in and write_in[0] in candidates:
            write_in = []
        ballots.append({"for": marked, "against": against, "write_in": write_in})
    return ballots


def plain_loop(ballots: list[dict], candidates: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(candidates, 0)
    for ballot in ballots:
        for name in ballot["for"]:
            counts[name] += 1
        for name in ballot["write_in"]:
            counts[name] = counts.get(name, 0) + 1
    return counts


def measure(n_ballots: int = 100_000, repeat: int = 7) -> list[Row]:
    """Best CPU time of ``repeat`` interleaved runs (``time.process_time``: other processes on the shared
    machine do not count against either side); peak memory of one run of each operation."""
    rng = random.Random(SEED)
    candidates = [s + g for s, g in zip(SURNAMES, GIVEN)][:30]  # 30 distinct names
    assert len(candidates) == 30
    seats = 16
    ballots = make_ballots(n_ballots, candidates, seats, rng)
    setup = RoundSetup(LOCAL, seats, eligible=n_ballots + 8, present=n_ballots, ballots_collected=n_ballots,
                       candidates=tuple(candidates))
    text = json.dumps({"preset": "地方组织", "seats": seats, "eligible": n_ballots + 8, "present": n_ballots,
                       "ballots_collected": n_ballots, "candidates": candidates, "ballots": ballots},
                      ensure_ascii=False)

    # Same answer first: the rules count the same for-votes as the plain loop on valid ballots.
    result = tally_ballots(setup, ballots)
    valid_only = [b for b in ballots if len(b["for"]) + len(b["write_in"]) <= seats]
    assert dict(result.votes) == {k: v for k, v in plain_loop(valid_only, candidates).items() if v}, "counts differ"

    times = best_of({
        "plain": lambda: plain_loop(ballots, candidates),
        "tally": lambda: tally_ballots(setup, ballots),
        "checked": lambda: tally_ballots(setup, ballots, checked=True),
    }, repeat, clock=time.process_time)
    times["json"] = best_of({"json": lambda: run_tally_json(text)}, 3, clock=time.process_time)["json"]
    peak = {k: peak_rss_mb(fn)[0] for k, fn in (("tally", lambda: tally_ballots(setup, ballots)),
                                                   ("checked", lambda: tally_ballots(setup, ballots, checked=True)),
                                                   ("json", lambda: run_tally_json(text)))}
    floor, base = "计票裸循环", times["plain"]
    note = f"有效{result.valid_ballots:,}/无效{result.invalid_ballots:,}"
    return [
        ratio_row(f"计票 tally_ballots：{n_ballots:,}张选票/30人/16名（结束本轮，选票录入时已逐张检查）",
                  times["checked"], floor, base, 2, peak_mb=peak["checked"], note=note + "；close_round 的路径"),
        ratio_row("计票 tally_ballots（原始选票，逐张复查重复姓名）", times["tally"], floor, base, 2,
                  peak_mb=peak["tally"], note="election tally 命令的路径：每张选票建一个姓名集合"),
        info_row("计票 run_tally_json（含JSON解析）", times["json"], floor, base, peak_mb=peak["json"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{args.ballots:,} ballots, 30 candidates, 16 seats, seed {SEED}; best CPU time of {args.repeat} runs")
    print_table(measure(args.ballots, args.repeat))


if __name__ == "__main__":
    main()
