"""Property tests: safe, worst case, critical, feasible and conflicts against brute force over all k-subsets.

Small random lists (n <= 14) and random overlapping rules; every k-seat outcome is enumerated.
"""
from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workflow.quotas.checks import SEATS_CONFLICT, classify, compute_feasibility, compute_safety
from workflow.quotas.rules import Candidate, Predicate, QuotaRule

REF = dt.date(2019, 4, 10)
CATEGORIES = ("工人", "农民", "其他先进模范", "专业技术人员", "其他一线", "局级领导干部", "处级领导干部", "其他",
              "先进模范人物")
# birth dates around the age-50 and age-40 limits, the birthday itself included
BIRTHS = (dt.date(1969, 4, 10), dt.date(1969, 4, 11), dt.date(1969, 4, 9), dt.date(1979, 4, 10),
          dt.date(1979, 4, 11), dt.date(1960, 1, 1), dt.date(1990, 6, 1))
PREDICATES = (
    Predicate(gender="女"),
    Predicate(ethnicity_not="汉族"),
    Predicate(age_below=50),
    Predicate(age_at_most=40),
    Predicate(category_in=("基层一线",)),
    Predicate(category_in=("先进模范人物",)),
    Predicate(category_in=("工人",)),
    Predicate(category_in=("领导干部",)),
    Predicate(gender="女", age_below=50),
    Predicate(attribute=(("非公企业", True),)),
)
SHARES = (Fraction(1, 3), Fraction(1, 2), Fraction(1, 4), Fraction(2, 3), Fraction(7, 16), Fraction(0), Fraction(1))

people = st.builds(
    lambda i, g, e, b, c, a: Candidate(f"p{i}", g, e, b, c, {"非公企业": True} if a else {}),
    st.just(0), st.sampled_from(("男", "女")), st.sampled_from(("汉族", "汉族", "回族")),
    st.sampled_from(BIRTHS), st.sampled_from(CATEGORIES), st.booleans())


@st.composite
def rule(draw, code):
    where = draw(st.sampled_from(PREDICATES))
    kind = draw(st.sampled_from(("min", "max", "min_share", "max_share", "both")))
    low = high = low_share = high_share = None
    if kind == "min":
        low = draw(st.integers(0, 6))
    elif kind == "max":
        high = draw(st.integers(0, 6))
    elif kind == "min_share":
        low_share = draw(st.sampled_from(SHARES))
    elif kind == "max_share":
        high_share = draw(st.sampled_from(SHARES))
    else:
        low = draw(st.integers(0, 4))
        high = draw(st.integers(low, 7))
    return QuotaRule(code, code, where, low, high, low_share, high_share)


@st.composite
def scenario(draw, max_n=14):
    n = draw(st.integers(0, max_n))
    cands = [Candidate(f"p{i}", p.gender, p.ethnicity, p.birth_date, p.category, p.attributes)
             for i, p in enumerate(draw(st.lists(people, min_size=n, max_size=n)))]
    rules = [draw(rule(f"r{j}")) for j in range(draw(st.integers(1, 5)))]
    seats = draw(st.integers(1, max(1, min(n + 1, 9))))
    return cands, rules, seats


def _ok(rule: QuotaRule, count: int, k: int) -> bool:
    low, high = rule.required_min(k), rule.allowed_max(k)
    return (low is None or count >= low) and (high is None or count <= high)


def _brute(cands, rules, seats, active=None):
    """Per rule (lowest, highest) count, set of critical positions, and whether some outcome meets all."""
    masks = [sum(1 << r for r, rl in enumerate(rules) if rl.where.matches(c, REF)) for c in cands]
    active = range(len(rules)) if active is None else active
    lowest = [None] * len(rules)
    highest = [None] * len(rules)
    critical: set[int] = set()
    feasible = False
    everyone = set(range(len(cands)))
    for combo in itertools.combinations(range(len(cands)), seats):
        counts = [sum(1 for i in combo if masks[i] >> r & 1) for r in range(len(rules))]
        for r, cnt in enumerate(counts):
            lowest[r] = cnt if lowest[r] is None else min(lowest[r], cnt)
            highest[r] = cnt if highest[r] is None else max(highest[r], cnt)
        oks = [_ok(rules[r], counts[r], seats) for r in range(len(rules))]
        if not all(oks):
            critical |= everyone - set(combo)
        if all(oks[r] for r in active):
            feasible = True
    return lowest, highest, critical, feasible


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_safety_matches_brute_force(case):
    cands, rules, seats = case
    result = compute_safety(cands, rules, REF, seats)
    if len(cands) < seats:
        assert not result.safe and result.critical == ()
        return
    lowest, highest, critical, _ = _brute(cands, rules, seats)
    for w, lo, hi, rl in zip(result.worst_case, lowest, highest, rules):
        assert (w.lowest, w.highest) == (lo, hi)
        assert w.ok == (_ok(rl, lo, seats) and _ok(rl, hi, seats))
        assert w.worst == (lo if rl.has_min else hi)
    assert result.safe == all(w.ok for w in result.worst_case)
    assert set(result.critical_indices) == critical
    assert result.critical == tuple(cands[i].name for i in sorted(critical))


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_feasibility_matches_brute_force(case):
    cands, rules, seats = case
    result = compute_feasibility(cands, rules, REF, seats)
    if len(cands) < seats:
        assert not result.feasible and result.conflicts == (SEATS_CONFLICT,)
        return
    *_, feasible = _brute(cands, rules, seats)
    assert result.feasible == feasible
    if feasible:
        chosen = result.example
        assert len(chosen) == seats == len(set(chosen))
        for rl in rules:
            assert _ok(rl, sum(1 for i in chosen if rl.where.matches(cands[i], REF)), seats)
    else:
        assert result.conflicts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(max_n=10))
def test_conflicts_are_an_irreducible_infeasible_subset(case):
    cands, rules, seats = case
    result = compute_feasibility(cands, rules, REF, seats)
    if result.feasible or len(cands) < seats:
        return
    index = {rl.code: r for r, rl in enumerate(rules)}
    core = [index[c] for c in result.conflicts]
    for r in core:
        alone_feasible = _brute(cands, rules, seats, active=[r])[3]
        if not alone_feasible:  # a rule infeasible on its own: conflicts lists exactly those
            assert all(not _brute(cands, rules, seats, active=[q])[3] for q in core)
            return
    assert not _brute(cands, rules, seats, active=core)[3]
    for r in core:
        assert _brute(cands, rules, seats, active=[q for q in core if q != r])[3]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(max_n=10))
def test_suggested_additions_make_the_list_feasible(case):
    cands, rules, seats = case
    result = compute_feasibility(cands, rules, REF, seats)
    if result.feasible or not result.suggestions:
        return
    classes = classify(cands, rules, REF)
    sizes = dict(zip(classes.masks, classes.sizes))
    for s in result.suggestions:
        mask = sum(1 << r for r, rl in enumerate(rules) if rl.code in s.matches)
        sizes[mask] = sizes.get(mask, 0) + s.count
    # every reachable (total, count per rule) after adding the suggested people, class by class
    states = {(0,) * (len(rules) + 1)}
    for mask, size in sizes.items():
        states = {(st_[0] + x, *(c + x * (mask >> r & 1) for r, c in enumerate(st_[1:])))
                  for st_ in states for x in range(size + 1) if st_[0] + x <= seats}
    assert any(st_[0] == seats and all(_ok(rl, st_[r + 1], seats) for r, rl in enumerate(rules)) for st_ in states)
    assert result.to_add >= max(0, seats - len(cands))
