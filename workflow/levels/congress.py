"""A congress's structure requirements over all its 选举单位 (来源: docs/rules.md §8.3).

The upper committee sets requirements over all the congress's seats (women at least 30% of 760 …); each 选举单位
fills its own seats from its own lists. Per 选举单位 the seats fall into *pools*: a part filled by electing
``seats`` out of a list (its own 预备人选, its 上级提名人选), an elected list (the result: as many people as seats)
or, before a list exists, seats nobody can yet name (未定). Per requirement this module sums, over every pool:

- *as is*: the matching people on the lists as they stand;
- *worst* and *best*: the fewest and the most matching people any outcome can elect (未定 seats: 0 … all);

and judges the sum against the bound over the congress's seats, exactly (integers, ceil/floor of a share; exactly
at the bound is met, docs/rules.md §3.2): 稳妥 (met in the worst case), 可行 (met in some case), 不可行. It names the
选举单位 that could still make up a shortfall (best above worst) and how many each could add.

*Joint* feasibility asks whether ONE outcome per 选举单位 meets every congress requirement and each 选举单位's own
requirements at once — an exact integer search (workflow.quotas.solver) over classes of interchangeable people
per pool, with one exact-seats bound per pool. So a congress whose requirements are each reachable but not all
together is reported 联合不可行, with the requirements in conflict.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from workflow.quotas.categories import CategoryTree
from workflow.quotas.checks import _profile_masks  # the kinds of people a list could still gain
from workflow.quotas.rules import Candidate, QuotaRule
from workflow.quotas.solver import solve

# 来源: docs/rules.md §8.3 (上级党委分配名额并提出结构要求)
SOURCE = "选举工作方案（上级党委分配名额与结构要求）"
UNALLOCATED = "未分配名额"


class Status(StrEnum):
    safe = "safe"
    feasible = "feasible"
    infeasible = "infeasible"

    @property
    def label(self) -> str:
        return {"safe": "稳妥", "feasible": "可行", "infeasible": "不可行"}[self.value]


@dataclass(frozen=True)
class Pool:
    """``seats`` people elected out of ``candidates``; seats beyond the list are 未定 (anyone may fill them).

    An elected list is a pool with as many candidates as seats; seats with no list yet a pool with no candidates.
    ``rules`` are the 选举单位's own requirements over this pool's seats (judged on ``reference``)."""

    candidates: tuple[Candidate, ...]
    seats: int
    rules: tuple[QuotaRule, ...] = ()
    reference: dt.date | None = None

    @property
    def open(self) -> int:
        """Seats the list cannot fill (未定)."""
        return max(0, self.seats - len(self.candidates))


@dataclass(frozen=True)
class UnitInput:
    """One 选举单位: its key and name, where it stands (shown, e.g. 预备人选 / 选举结果 / 尚无名单), its pools."""

    key: str
    name: str
    standing: str
    pools: tuple[Pool, ...]

    @property
    def seats(self) -> int:
        return sum(p.seats for p in self.pools)


@dataclass(frozen=True)
class UnitShare:
    """One 选举单位's part of one requirement: matching people on its lists, fewest and most it can elect."""

    key: str
    name: str
    as_is: int
    lowest: int
    highest: int
    open: int          # of which 未定 seats

    @property
    def room(self) -> int:
        """How much the outcome can still move this 选举单位's count (best minus worst)."""
        return self.highest - self.lowest


@dataclass(frozen=True)
class RequirementResult:
    code: str
    label: str
    bound: str                 # 至少228名（不少于30%）/ 最多380名, over the congress's seats
    minimum: int | None
    maximum: int | None
    as_is: int
    lowest: int                # the fewest matching people any outcome elects, over all 选举单位
    highest: int
    status: Status
    shortfall: int             # missing (a minimum) or too many (a maximum) in the worst case
    gap: int                   # still missing / too many even in the best case (> 0 only when 不可行)
    shares: tuple[UnitShare, ...]
    could_make_up: tuple[UnitShare, ...]   # 选举单位 whose outcome can still move the count, most room first

    @property
    def worst(self) -> int:
        return self.lowest if self.minimum is not None else self.highest

    @property
    def best(self) -> int:
        return self.highest if self.minimum is not None else self.lowest

    @property
    def message(self) -> str:
        if self.status is Status.safe:
            return f"{self.label}：任何选举结果都符合要求（{self.bound}，最不利{self.worst}名）"
        what = "还差" if self.minimum is not None and self.lowest < self.minimum else "超出"
        if self.status is Status.infeasible:
            return f"{self.label}：即使各选举单位都按最有利的结果，也只能达到{self.best}名，{self.bound}，{what}{self.gap}名"
        units = "、".join(f"{s.name}（最多可{'增加' if self.minimum is not None else '减少'}{s.room}名）"
                          for s in self.could_make_up)
        return f"{self.label}：最不利时{what}{self.shortfall}名（{self.bound}），可由{units}弥补"


@dataclass(frozen=True)
class JointResult:
    feasible: bool
    conflicts: tuple[str, ...] = ()     # congress requirement codes that cannot hold together
    units: tuple[str, ...] = ()         # keys of 选举单位 whose own requirements cannot be met
    message: str = ""


@dataclass(frozen=True)
class CongressStructure:
    seats: int
    allocated: int
    requirements: tuple[RequirementResult, ...]
    joint: JointResult
    notes: tuple[str, ...] = field(default=())

    @property
    def status(self) -> Status:
        """稳妥 when every requirement is; 不可行 when one is or they cannot hold together; else 可行."""
        if not self.joint.feasible or any(r.status is Status.infeasible for r in self.requirements):
            return Status.infeasible
        return Status.safe if all(r.status is Status.safe for r in self.requirements) else Status.feasible


# ---------------------------------------------------------------- per requirement

def _pool_extremes(pool: Pool, matching: int) -> tuple[int, int]:
    """Fewest and most of MATCHING listed people among the pool's elected; 未定 seats add 0 … all."""
    n, k = len(pool.candidates), pool.seats
    if n >= k:
        return max(0, k - (n - matching)), min(matching, k)
    return matching, matching + (k - n)


def _matching(pool: Pool, rule: QuotaRule, ref: dt.date) -> int:
    return sum(1 for c in pool.candidates if rule.where.matches(c, ref))


def _judge(rule: QuotaRule, seats: int, shares: list[UnitShare]) -> RequirementResult:
    low, high = rule.required_min(seats), rule.allowed_max(seats)
    lowest = sum(s.lowest for s in shares)
    highest = sum(s.highest for s in shares)
    as_is = sum(s.as_is for s in shares)
    short_min = 0 if low is None else max(0, low - lowest)
    over_max = 0 if high is None else max(0, highest - high)
    gap = (0 if low is None else max(0, low - highest)) + (0 if high is None else max(0, lowest - high))
    if not short_min and not over_max:
        status = Status.safe
    elif not gap:
        status = Status.feasible
    else:
        status = Status.infeasible
    movers = () if status is Status.safe else tuple(
        sorted((s for s in shares if s.room > 0), key=lambda s: -s.room))
    return RequirementResult(rule.code, rule.label, rule.describe_bound(seats), low, high, as_is, lowest, highest,
                             status, short_min + over_max, gap, tuple(shares), movers)


def compute_congress_structure(seats: int, rules: Sequence[QuotaRule], units: Sequence[UnitInput], ref: dt.date,
                               tree: CategoryTree | None = None) -> CongressStructure:
    """Each congress requirement over SEATS from every 选举单位's pools, and whether they can all hold at once.

    Seats of the congress not allocated to any 选举单位 count as 未定 (a row 未分配名额)."""
    allocated = sum(u.seats for u in units)
    notes = []
    units = list(units)
    if allocated < seats:
        units.append(UnitInput(UNALLOCATED, UNALLOCATED, "未定", (Pool((), seats - allocated),)))
        notes.append(f"各选举单位名额合计{allocated}名，少于代表总额{seats}名，余下{seats - allocated}名按未定计算")
    elif allocated > seats:
        notes.append(f"各选举单位名额合计{allocated}名，超过代表总额{seats}名，请核对名额分配")
    results = []
    for rule in rules:
        shares = []
        for u in units:
            as_is = lowest = highest = 0
            for pool in u.pools:
                m = _matching(pool, rule, ref)
                lo, hi = _pool_extremes(pool, m)
                as_is, lowest, highest = as_is + m, lowest + lo, highest + hi
            shares.append(UnitShare(u.key, u.name, as_is, lowest, highest, sum(p.open for p in u.pools)))
        results.append(_judge(rule, seats, shares))
    joint = compute_joint(seats, rules, units, ref, tree, results)
    return CongressStructure(seats, allocated, tuple(results), joint, tuple(notes))


# ---------------------------------------------------------------- joint feasibility

@dataclass
class _Problem:
    """Classes of interchangeable people over all pools: sizes, rule masks, and the bounds of every rule."""

    sizes: list[int] = field(default_factory=list)
    masks: list[int] = field(default_factory=list)
    lows: list[int] = field(default_factory=list)
    highs: list[int | None] = field(default_factory=list)
    seats: int = 0

    def bit(self, low: int, high: int | None) -> int:
        self.lows.append(low)
        self.highs.append(high)
        return len(self.lows) - 1


def _pool_classes(pool: Pool, rules: Sequence[QuotaRule], ref: dt.date,
                  tree: CategoryTree | None) -> tuple[dict[tuple[int, int], int], list[tuple[int, int]]]:
    """The pool's listed people by (congress-rule mask, own-rule mask) → how many, and the masks of the kinds
    of people its 未定 seats could hold."""
    own_ref = pool.reference or ref
    tree = tree or CategoryTree()  # with no list, the kinds of people come from the categories
    counts: dict[tuple[int, int], int] = {}
    for person in pool.candidates:
        key = (sum(1 << r for r, rule in enumerate(rules) if rule.where.matches(person, ref)),
               sum(1 << r for r, rule in enumerate(pool.rules) if rule.where.matches(person, own_ref)))
        counts[key] = counts.get(key, 0) + 1
    kinds: list[tuple[int, int]] = []
    if pool.open:
        both = [*rules, *pool.rules]
        r = len(rules)
        for mask in _profile_masks(pool.candidates, both, ref, tree):
            kinds.append((mask & ((1 << r) - 1), mask >> r))
    return counts, kinds


def _own_feasible(pool: Pool, counts: dict, kinds: list, n_rules: int) -> bool:
    if not pool.rules:
        return True
    sizes = [*counts.values(), *([pool.open] * len(kinds))]
    masks = [own for _, own in counts] + [own for _, own in kinds]
    lows = [r.required_min(pool.seats) or 0 for r in pool.rules]
    highs = [r.allowed_max(pool.seats) for r in pool.rules]
    return solve(sizes, masks, lows, highs, pool.seats) is not None


def _build(seats: int, rules: Sequence[QuotaRule], units: Sequence[UnitInput], ref: dt.date,
           tree: CategoryTree | None, active: Sequence[bool], prepared) -> _Problem:
    """The integer problem: congress rules first (bits 0…R-1), then per pool its exact-seats bit and own rules.

    A pool whose outcome is forced (an elected list) adds no classes: its counts come off the bounds."""
    p = _Problem()
    fixed = [0] * len(rules)
    for r, (rule, on) in enumerate(zip(rules, active)):
        p.bit(rule.required_min(seats) or 0 if on else 0, rule.allowed_max(seats) if on else None)
    for pool, counts, kinds in prepared:
        if not pool.open and len(pool.candidates) == pool.seats:
            for (mask, _own), n in counts.items():
                for r in range(len(rules)):
                    fixed[r] += n if mask >> r & 1 else 0
            continue
        p.seats += pool.seats
        seat_bit = p.bit(pool.seats, pool.seats)
        own_bits = [p.bit(rule.required_min(pool.seats) or 0, rule.allowed_max(pool.seats)) for rule in pool.rules]

        def full(mask: int, own: int) -> int:
            out = mask | 1 << seat_bit
            for i, b in enumerate(own_bits):
                if own >> i & 1:
                    out |= 1 << b
            return out

        for (mask, own), n in counts.items():
            p.sizes.append(n)
            p.masks.append(full(mask, own))
        for mask, own in kinds:
            p.sizes.append(pool.open)
            p.masks.append(full(mask, own))
    for r in range(len(rules)):
        p.lows[r] = max(0, p.lows[r] - fixed[r])
        if p.highs[r] is not None:
            p.highs[r] -= fixed[r]   # negative: the elected alone already exceed it, and solve says so
    return p


def _solvable(p: _Problem) -> bool:
    if any(h is not None and h < 0 for h in p.highs):
        return False
    return solve(p.sizes, p.masks, p.lows, p.highs, p.seats) is not None


def compute_joint(seats: int, rules: Sequence[QuotaRule], units: Sequence[UnitInput], ref: dt.date,
                  tree: CategoryTree | None = None,
                  results: Sequence[RequirementResult] | None = None) -> JointResult:
    """Whether one outcome per 选举单位 meets every congress requirement and every 选举单位's own at once.

    When not, the reason: the 选举单位 whose own requirements cannot be met; else the requirements that are out of
    reach on their own; else a smallest set of requirements that cannot hold together (a deletion filter in
    rule order, each probe an exact solve). 来源: docs/rules.md §8.3."""
    prepared = []
    broken = []
    for u in units:
        for pool in u.pools:
            counts, kinds = _pool_classes(pool, rules, ref, tree)
            prepared.append((pool, counts, kinds))
            if not _own_feasible(pool, counts, kinds, len(rules)) and u.key not in broken:
                broken.append(u.key)
    if broken:
        names = "、".join(u.name for u in units if u.key in broken)
        return JointResult(False, (), tuple(broken), f"{names}的名单无论怎样选举都无法满足本单位的结构要求")
    if results is not None:
        alone = [r for r in results if r.status is Status.infeasible]
        if alone:
            return JointResult(False, tuple(r.code for r in alone), (),
                               "以下要求单独也无法达到：" + "；".join(r.message for r in alone))
    active = [True] * len(rules)
    if _solvable(_build(seats, rules, units, ref, tree, active, prepared)):
        return JointResult(True)
    for r in range(len(rules)):
        active[r] = False
        if _solvable(_build(seats, rules, units, ref, tree, active, prepared)):
            active[r] = True     # needed for the conflict
    conflicts = tuple(rule.code for rule, on in zip(rules, active) if on)
    labels = "、".join(rule.label for rule, on in zip(rules, active) if on)
    if not conflicts:
        return JointResult(False, (), (), "各选举单位本身的结构要求与名额无法同时满足")
    return JointResult(False, conflicts, (),
                       f"各项要求单独都有可能达到，但任何选举结果都无法同时满足：{labels}")


__all__ = [
    "UNALLOCATED",
    "CongressStructure",
    "JointResult",
    "Pool",
    "RequirementResult",
    "Status",
    "UnitInput",
    "UnitShare",
    "compute_congress_structure",
    "compute_joint",
]
