"""结构要求: structural quotas, checked exactly at every stage (docs/rules.md §3.2).

Three questions for a list of n people and k seats:

1. *as is* (:func:`check_as_is`, :func:`check_list_blockers`): does this list itself meet each rule; a
   share is taken of the list's length.
2. *safe* (:func:`compute_safety`): does **every** k-seat outcome meet every rule; per rule the worst
   count any outcome can give (a share is taken of k), and who is critical.
3. *feasible* (:func:`compute_feasibility`): does **some** k-seat outcome meet all rules jointly; if not,
   which rules conflict and the fewest people to add to the list that would fix it.

Everything is exact: integers and Fractions, no sampling, no floats.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.common import sources
from workflow.common.results import Blocker
from workflow.quotas.categories import CategoryTree
from workflow.quotas.rules import (
    PREDICATE_KEYS,
    SOURCE,
    Candidate,
    Predicate,
    QuotaRule,
    age_on,
    format_share,
    parse_candidates,
    parse_date,
    parse_rules,
    parse_share,
    seats_ok,
)
from workflow.quotas.solver import solve

SEATS_CONFLICT = "seats"  # conflicts code: fewer candidates than seats, no k-seat outcome exists
PROFILE_LIMIT = 4096      # most hypothetical profiles tried when looking for people to add

__all__ = [
    "PREDICATE_KEYS",
    "SEATS_CONFLICT",
    "Candidate",
    "FeasibilityResult",
    "Predicate",
    "QuotaRule",
    "RuleResult",
    "SafetyResult",
    "Suggestion",
    "WorstCase",
    "age_on",
    "check_as_is",
    "check_feasibility_blockers",
    "check_list_blockers",
    "check_safety_blockers",
    "classify",
    "compute_feasibility",
    "compute_safety",
    "parse_candidates",
    "parse_date",
    "parse_rules",
    "parse_share",
]


# ---------------------------------------------------------------- attribute classes

@dataclass(frozen=True)
class Classes:
    """People grouped by which rules they match: ``masks[c]`` (bit r = rule r), ``members[c]`` (indices)."""

    masks: tuple[int, ...]
    members: tuple[tuple[int, ...], ...]
    matching: tuple[int, ...]  # per rule: how many people match it

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(m) for m in self.members)


def _age_cutoffs(preds: Sequence[Predicate], ref: dt.date) -> tuple[dt.date, ...]:
    """For each age limit N the latest birth date with age >= N on ``ref`` (29 Feb falls back to 28 Feb)."""
    limits = sorted({t for p in preds for t in (p.age_below, p.age_at_most, None if p.age_at_most is None
                                                else p.age_at_most + 1) if t is not None})
    out = []
    for years in limits:
        try:
            out.append(ref.replace(year=ref.year - years))
        except ValueError:
            out.append(dt.date(ref.year - years, 2, 28))
    return tuple(sorted(out))


def classify(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date) -> Classes:
    """Group people by the set of rules they match (in list order within each class)."""
    preds = [r.where for r in rules]
    cutoffs = _age_cutoffs(preds, ref)  # people between the same cutoffs match the same age conditions
    attr_names = tuple(sorted({name for p in preds for name, _ in p.attribute}))
    cache: dict[tuple, int] = {}
    by_mask: dict[int, list[int]] = {}
    for i, person in enumerate(candidates):
        born = person.birth_date
        bucket = bisect.bisect_left(cutoffs, born)  # how many cutoffs lie before the birth date
        if attr_names:
            attrs = person.attributes
            key = (person.gender, person.ethnicity, bucket, person.category,
                   tuple((n in attrs, attrs.get(n)) for n in attr_names))
        else:
            key = (person.gender, person.ethnicity, bucket, person.category)
        mask = cache.get(key)
        if mask is None:
            mask = 0
            for r, p in enumerate(preds):
                if p.matches(person, ref):
                    mask |= 1 << r
            try:
                cache[key] = mask
            except TypeError:  # an unhashable custom attribute value: classify this person alone
                pass
        group = by_mask.get(mask)
        if group is None:
            group = by_mask[mask] = []
        group.append(i)
    masks = tuple(by_mask)
    members = tuple(tuple(by_mask[m]) for m in masks)
    matching = tuple(sum(len(by_mask[m]) for m in masks if m >> r & 1) for r in range(len(rules)))
    return Classes(masks, members, matching)


# ---------------------------------------------------------------- 1. the list as is

@dataclass(frozen=True)
class RuleResult:
    """One rule judged on a whole list: ``actual`` matching people against the bounds for its length."""

    code: str
    label: str
    actual: int
    minimum: int | None
    maximum: int | None
    ok: bool

    @property
    def required(self) -> int | None:
        """The minimum for a minimum rule, else the maximum (the one number the JSON output shows)."""
        return self.minimum if self.minimum is not None else self.maximum


def _within(count: int, low: int | None, high: int | None) -> bool:
    return (low is None or count >= low) and (high is None or count <= high)


def check_as_is(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date) -> list[RuleResult]:
    """Judge the list itself; a share is taken of ``len(candidates)``. 来源: docs/rules.md §3.2."""
    n = len(candidates)
    matching = classify(candidates, rules, ref).matching
    out = []
    for rule, actual in zip(rules, matching):
        low, high = rule.required_min(n), rule.allowed_max(n)
        out.append(RuleResult(rule.code, rule.label, actual, low, high, _within(actual, low, high)))
    return out


def _min_message(rule: QuotaRule, actual: int, need: int, total: int, what: str = "") -> str:
    share = f"，按{format_share(rule.min_share)}计" if rule.min_share is not None and need != rule.min else ""
    return f"{what}{rule.label}{actual}名，至少需要{need}名（共{total}名{share}；还差{need - actual}名）"


def _max_message(rule: QuotaRule, actual: int, allowed: int, total: int, what: str = "") -> str:
    share = f"，按{format_share(rule.max_share)}计" if rule.max_share is not None and allowed != rule.max else ""
    return f"{what}{rule.label}{actual}名，最多{allowed}名（共{total}名{share}；需减少{actual - allowed}名）"


def check_list_blockers(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date) -> list[Blocker]:
    """Blockers for every rule the list itself breaks (``quota.<code>.below_min`` / ``.above_max``)."""
    rule_by_code = {r.code: r for r in rules}
    n = len(candidates)
    out = []
    for res in check_as_is(candidates, rules, ref):
        rule = rule_by_code[res.code]
        if res.minimum is not None and res.actual < res.minimum:
            out.append(Blocker(f"quota.{res.code}.below_min", _min_message(rule, res.actual, res.minimum, n),
                               rule.source))
        if res.maximum is not None and res.actual > res.maximum:
            out.append(Blocker(f"quota.{res.code}.above_max", _max_message(rule, res.actual, res.maximum, n),
                               rule.source))
    return out


# ---------------------------------------------------------------- 2. safe: every outcome

@dataclass(frozen=True)
class WorstCase:
    """One rule over all k-seat outcomes.

    ``lowest``/``highest`` are the fewest/most matching people any outcome can elect; ``worst`` is
    ``lowest`` for a rule with a minimum, else ``highest``. ``could_lose`` = matching people who can fail
    to be elected in the worst case (``matching - lowest``).
    """

    code: str
    label: str
    matching: int
    minimum: int | None
    maximum: int | None
    lowest: int
    highest: int
    ok: bool

    @property
    def worst(self) -> int:
        return self.lowest if self.minimum is not None else self.highest

    @property
    def could_lose(self) -> int:
        return self.matching - self.lowest


@dataclass(frozen=True)
class SafetyResult:
    seats: int
    candidates: int
    safe: bool
    worst_case: tuple[WorstCase, ...]
    critical: tuple[str, ...]          # names, in list order
    critical_indices: tuple[int, ...]  # positions in the list, for lists with equal names

    @property
    def enough_candidates(self) -> bool:
        return self.candidates >= self.seats


def _extremes(n: int, k: int, m: int) -> tuple[int, int]:
    """Fewest and most of m matching people among k chosen from n (n >= k)."""
    return max(0, k - (n - m)), min(m, k)


def compute_safety(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date,
                   seats: int) -> SafetyResult:
    """Worst case per rule over all k-subsets, exactly; 来源: docs/rules.md §3.2 ("safe when every outcome …").

    ``critical`` follows the literal reading: p is critical when SOME k-seat outcome without p breaks SOME
    rule. Removing p changes the bounds only through whether p matches each rule, so this is decided per
    class with two closed formulas, no enumeration. With n == k nobody can be left out (no one is critical);
    with n < k no k-seat outcome exists: ``safe`` is False and the worst case is the whole list elected.
    """
    k = seats_ok(seats)
    n = len(candidates)
    classes = classify(candidates, rules, ref)
    worst = []
    for rule, m in zip(rules, classes.matching):
        low, high = rule.required_min(k), rule.allowed_max(k)
        lowest, highest = _extremes(n, k, m) if n >= k else (m, m)
        ok = (low is None or lowest >= low) and (high is None or highest <= high)
        worst.append(WorstCase(rule.code, rule.label, m, low, high, lowest, highest, ok))
    critical: list[int] = []
    if n > k:
        for mask, members in zip(classes.masks, classes.members):
            for r, (rule, w) in enumerate(zip(rules, worst)):
                m = w.matching - (mask >> r & 1)  # matching people left once p is out
                lowest, highest = _extremes(n - 1, k, m)
                if not _within(lowest, w.minimum, None) or not _within(highest, None, w.maximum):
                    critical.extend(members)
                    break
        critical.sort()
    safe = n >= k and all(w.ok for w in worst)
    return SafetyResult(k, n, safe, tuple(worst), tuple(candidates[i].name for i in critical), tuple(critical))


def check_safety_blockers(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date,
                          seats: int) -> list[Blocker]:
    """``quota.<code>.unsafe`` for every rule some outcome of the ballot can break."""
    result = compute_safety(candidates, rules, ref, seats)
    rule_by_code = {r.code: r for r in rules}
    out = []
    if not result.enough_candidates:
        out.append(Blocker("quota.seats.too_few_candidates",
                           f"候选人{result.candidates}名，少于应选名额{seats}名，还需增加{seats - result.candidates}名",
                           sources.MARGIN))
    for w in result.worst_case:
        if w.ok:
            continue
        rule = rule_by_code[w.code]
        if w.minimum is not None and w.lowest < w.minimum:
            msg = (f"最坏情况下{rule.label}只当选{w.lowest}名（可能落选{w.could_lose}名），至少需要{w.minimum}名；"
                   f"请增加{rule.label}候选人或减少其他候选人")
        else:
            msg = (f"最坏情况下{rule.label}当选{w.highest}名，最多{w.maximum}名；"
                   f"请增加不属于{rule.label}的候选人或减少{rule.label}候选人")
        out.append(Blocker(f"quota.{w.code}.unsafe", msg, rule.source))
    return out


# ---------------------------------------------------------------- 3. feasible: some outcome

@dataclass(frozen=True)
class Suggestion:
    """Add ``count`` people matching exactly the rules ``matches`` (and none of the others)."""

    count: int
    matches: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class FeasibilityResult:
    seats: int
    candidates: int
    feasible: bool
    conflicts: tuple[str, ...]        # rule codes (or "seats"); empty when feasible
    suggestions: tuple[Suggestion, ...]
    example: tuple[int, ...] = ()     # positions of one compliant outcome, when feasible
    message: str = ""                 # Chinese summary of what to change, when infeasible

    @property
    def to_add(self) -> int:
        return sum(s.count for s in self.suggestions)


def _bounds(rules: Sequence[QuotaRule], k: int, active: Sequence[bool] | None = None) -> tuple[list[int], list]:
    lows, highs = [], []
    for r, rule in enumerate(rules):
        on = active is None or active[r]
        low, high = rule.required_min(k), rule.allowed_max(k)
        lows.append(low or 0 if on else 0)
        highs.append(high if on else None)
    return lows, highs


def _alone_infeasible(n: int, k: int, m: int, low: int, high: int | None) -> bool:
    lowest, highest = _extremes(n, k, m)
    return highest < low or (high is not None and lowest > high)


def compute_feasibility(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date, seats: int,
                        tree: CategoryTree | None = None) -> FeasibilityResult:
    """Does some k-subset meet all rules jointly? Exact integer search over attribute classes.

    When not: ``conflicts`` are the rules infeasible on their own if any, else an irreducible infeasible
    subset (deletion filter in rule order); ``suggestions`` the fewest people to add, by which rules they
    should match. ``tree`` (the election's categories) tells which kinds of people can exist at all.
    来源: docs/rules.md §3.2 ("feasible when some outcome does").
    """
    k = seats_ok(seats)
    n = len(candidates)
    classes = classify(candidates, rules, ref)
    sizes = classes.sizes
    lows, highs = _bounds(rules, k)
    x = solve(sizes, classes.masks, lows, highs, k)
    if x is not None:
        example = sorted(i for c, members in enumerate(classes.members) for i in members[:x[c]])
        return FeasibilityResult(k, n, True, (), (), tuple(example))

    if n < k:
        conflicts: tuple[str, ...] = (SEATS_CONFLICT,)
    else:
        alone = tuple(rule.code for rule, m, low, high in zip(rules, classes.matching, lows, highs)
                      if _alone_infeasible(n, k, m, low, high))
        conflicts = alone or _deletion_filter(classes, rules, k)
    suggestions, message = _suggest(candidates, rules, ref, k, classes, tree)
    return FeasibilityResult(k, n, False, conflicts, suggestions, (), message)


def _deletion_filter(classes: Classes, rules: Sequence[QuotaRule], k: int) -> tuple[str, ...]:
    active = [True] * len(rules)
    for r in range(len(rules)):
        active[r] = False
        lows, highs = _bounds(rules, k, active)
        if solve(classes.sizes, classes.masks, lows, highs, k) is not None:
            active[r] = True  # needed for the conflict
    return tuple(rule.code for rule, on in zip(rules, active) if on)


def _profile_masks(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date,
                   tree: CategoryTree | None) -> list[int]:
    """Rule masks of the kinds of people that could be added (from the values the rules and list mention)."""
    preds = [r.where for r in rules]
    genders = ["女", "男"]
    ethnicities = list(dict.fromkeys(["汉族", *(v for p in preds for v in (p.ethnicity, p.ethnicity_not) if v),
                                      *(c.ethnicity for c in candidates), "其他民族"]))
    limits = {t for p in preds for t in (p.age_below, p.age_at_most) if t is not None}
    ages = sorted({a for t in limits for a in (t - 1, t, t + 1) if a >= 0} or {40})
    if tree is not None:
        categories = list(tree.nodes)
    else:
        categories = list(dict.fromkeys([*(c.category for c in candidates),
                                         *sorted(set().union(*(p.categories for p in preds)))]))
    attr_values: dict[str, list] = {}
    for p in preds:
        for name, value in p.attribute:
            attr_values.setdefault(name, [])
            if value not in attr_values[name]:
                attr_values[name].append(value)
    names = list(attr_values)
    attr_choices = [attr_values[nm] + [_MISSING] for nm in names]
    masks: dict[int, None] = {}
    combos = itertools.product(genders, ethnicities, ages, categories, itertools.product(*attr_choices))
    for gender, ethnicity, age, category, attrs in itertools.islice(combos, PROFILE_LIMIT):
        birth = dt.date(ref.year - age, ref.month, 1)
        person = Candidate("", gender, ethnicity, birth, category,
                           {nm: v for nm, v in zip(names, attrs) if v is not _MISSING})
        mask = sum(1 << r for r, p in enumerate(preds) if p.matches(person, ref))
        masks[mask] = None
    return list(masks)


_MISSING = object()


def _describe_mask(rules: Sequence[QuotaRule], mask: int, avoid: Sequence[int]) -> str:
    yes = [r.label for i, r in enumerate(rules) if mask >> i & 1]
    no = [rules[i].label for i in avoid]
    text = "、".join(yes)
    if no:
        text += ("且" if yes else "") + f"不属于{'、'.join(no)}"
    return text


def _suggest(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date, k: int,
             classes: Classes, tree: CategoryTree | None) -> tuple[tuple[Suggestion, ...], str]:
    """Fewest people to add (binary search on the number; each probe is an exact solve)."""
    profiles = _profile_masks(candidates, rules, ref, tree)
    extra_bit = 1 << len(rules)
    masks = list(classes.masks) + [m | extra_bit for m in profiles]
    base_lows, base_highs = _bounds(rules, k)
    late = [False] * len(classes.masks) + [True] * len(profiles)

    def attempt(t: int) -> list[int] | None:
        sizes = list(classes.sizes) + [t] * len(profiles)
        return solve(sizes, masks, base_lows + [0], base_highs + [t], k, late)

    # Lower bound: the seats still missing, and each minimum's shortfall among the people listed.
    n = sum(classes.sizes)
    t = max(1, k - n, *(low - m for low, m in zip(base_lows, classes.matching)))
    failed_at, best, step = t - 1, None, 1
    while t <= k:  # gallop up from the lower bound, then halve the gap
        best = attempt(t)
        if best is not None:
            break
        failed_at, t, step = t, min(k, t + step), step * 2
        if failed_at == k:
            break
    if best is None:
        return (), "结构要求之间互相矛盾，无论增加哪些候选人都无法同时满足，请调整结构要求"
    lo, hi = failed_at + 1, t
    while lo < hi:
        mid = (lo + hi) // 2
        found = attempt(mid)
        if found is not None:
            hi, best = mid, found
        else:
            lo = mid + 1
    offset = len(classes.masks)
    totals = [sum(x for x, m in zip(best, masks) if m >> r & 1) for r in range(len(rules))]
    suggestions = []
    for j, mask in enumerate(profiles):
        count = best[offset + j]
        if count:
            # name a rule this kind must stay out of only when counting them in would break its maximum
            avoid = [r for r, high in enumerate(base_highs)
                     if high is not None and not mask >> r & 1 and totals[r] + count > high]
            what = _describe_mask(rules, mask, avoid)
            suggestions.append(Suggestion(count, tuple(r.code for i, r in enumerate(rules) if mask >> i & 1),
                                          f"增加{count}名{what + '的' if what else ''}候选人"))
    total = sum(s.count for s in suggestions)
    message = f"至少需要增加{total}名候选人：" + "；".join(s.message for s in suggestions)
    return tuple(suggestions), message


def check_feasibility_blockers(candidates: Sequence[Candidate], rules: Sequence[QuotaRule], ref: dt.date,
                               seats: int, tree: CategoryTree | None = None) -> list[Blocker]:
    """``quota.infeasible`` when no outcome of the ballot can meet all rules together."""
    result = compute_feasibility(candidates, rules, ref, seats, tree)
    if result.feasible:
        return []
    labels = {r.code: r.label for r in rules}
    which = "、".join(labels.get(c, "应选名额") for c in result.conflicts)
    return [Blocker("quota.infeasible", f"任何选举结果都无法同时满足：{which}。{result.message}", SOURCE)]
