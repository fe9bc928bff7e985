"""Points from per-(delegate, type) counts instead of single activities: the plan of what the database may sum
and cap itself (LEAST(sum, cap)) and what must still be carried version by version in Python.

来源: docs/rules.md §6 盐田."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from workflow.common.results import DomainError
from workflow.duties.points import PointsTable, _resolve_in
from workflow.duties.rules import _GRADE_BY_LABEL, DutyRuleSet, RuleBook


def compute_points_from_counts(
    counts: Iterable[tuple],
    rules: RuleBook | DutyRuleSet,
    year: int,
    *,
    until: date | None = None,
) -> PointsTable:
    """The same ``PointsTable`` as ``compute_points`` — totals, per-type counts and points, yearly caps — from
    activities already counted, e.g. by a SQL GROUP BY.

    ``counts`` are rows ``(delegate_id, type_code, grade, role, version_index, count)`` of verified activities in
    the scoring year (up to ``until``); ``version_index`` is the index into ``RuleBook.versions`` of the version
    in force on the activities' dates (-1 before the first version: unscored). Several rows may share a key.

    Why counts are enough for the caps (来源: docs/rules.md §6 盐田, 联署提案 3 each, at most 9): points and
    caps are never negative, so under one cap the items of a delegate and type give
    min(their sum, cap − already used) whatever their order; versions follow each other in date order, so taking
    the rows version by version, carrying the capped running total, gives exactly the per-item result.

    What counts cannot give: which items the cap cut and which items were unscored, with their dates and ids —
    ``capped`` and ``unscored`` are empty here. The single-delegate views (``explain``) use ``compute_points``.
    """
    book = RuleBook.of(rules)
    ys = book.scoring_year(year)
    first, last = ys.start, ys.end if until is None or until > ys.end else until
    n_versions = len(book.versions)

    specs: list[tuple[str, int]] = []
    spec_ids: dict[tuple[str, int], int] = {}
    counted: list[Counter] = []
    cache: dict[tuple, Any] = {}  # (type, grade, role, version) → spec id, or (scored, pts, cap), or None
    tot: dict[Any, int] = {}
    capped_rows: list[tuple] = []

    for did, code, grade, role, vi, n in counts:
        if not n:
            continue
        key = (code, grade, role, vi)
        how = cache.get(key, cache)
        if how is cache:
            if not isinstance(vi, int) or isinstance(vi, bool) or vi >= n_versions:
                raise DomainError(f"规则集“{book.code}”只有{n_versions}个版本，汇总行中的版本序号{vi!r}无效",
                                  code="duties.counts.version_invalid")
            r = _resolve_in(book, vi, code, grade, role) if vi >= 0 else (None, 0, None, None)
            if r[0] is None:
                how = None
            elif r[2] is None:
                how = spec_ids.get((r[0], r[1]))
                if how is None:
                    how = spec_ids[(r[0], r[1])] = len(specs)
                    specs.append((r[0], r[1]))
                    counted.append(Counter())
            else:
                how = (r[0], r[1], r[2])
            cache[key] = how
        if how is None:  # unscored: the delegate is listed with 0 points, as in compute_points
            if did not in tot:
                tot[did] = 0
        elif type(how) is int:
            counted[how][did] += n
            tot[did] = tot.get(did, 0) + n * specs[how][1]
        else:
            capped_rows.append((vi, did, how, n))

    capped_cells: dict[Any, dict[str, list[int]]] = {}
    used: dict[tuple, int] = {}
    capped_rows.sort(key=lambda x: x[0])  # version order = date order; within a version the order does not matter
    for _vi, did, (scored, pts, cap), n in capped_rows:
        k = (did, scored)
        so_far = used.get(k, 0)
        got = min(n * pts, max(0, cap - so_far))
        used[k] = so_far + got
        cell = capped_cells.setdefault(did, {}).setdefault(scored, [0, 0])
        cell[0] += n
        cell[1] += got
        tot[did] = tot.get(did, 0) + got

    return PointsTable(year, first, last, tot, tuple(specs), tuple(counted), capped_cells, {}, {})


class PlanRule(NamedTuple):
    """One condition of the points a database evaluates per activity (see ``points_plan``)."""

    version_index: int
    type_code: str
    co_signer: bool | None  # True: role 联署 (co_signer) only; False: any other role (or none); None: any role
    grades: tuple[str, ...] | None  # None: any grade
    points: int  # > 0
    capped: bool  # True: under a yearly cap (``cap``), shared by every capped rule scoring as ``scored``
    scored: str  # the type the item scores as (a co-signer's item scores as the co-signer type)
    cap: int | None  # the yearly cap of ``scored`` in this version; None when uncapped

    @property
    def role(self) -> str:
        """A role that matches this rule, for the count rows of capped rules."""
        return "co_signer" if self.co_signer else "lead"

    @property
    def grade(self) -> str | None:
        """A grade that matches this rule, for the count rows of capped rules."""
        return self.grades[0] if self.grades else None


def points_plan(rules: RuleBook | DutyRuleSet, first: date, last: date) -> tuple[PlanRule, ...]:
    """The scoring of [first, last] as mutually exclusive conditions, no match = 0 points: what a database sums
    per delegate for the uncapped types, and counts per delegate for the capped ones, so ranking many delegates
    needs one row per delegate.

    Exact for totals: an uncapped item adds its points whatever the order; an unknown type, a graded item without
    or with an unlisted grade, a date before any version all add 0. Items matching a ``capped`` rule are counted
    and passed (delegate, type, ``rule.grade``, ``rule.role``, version, count) to ``compute_points_from_counts``,
    which applies the cap version by version. Target: ranking within 1.5× of the bare SQL aggregate.
    """
    book = RuleBook.of(rules)
    lo, hi = max(book.index_in_force(first), 0), book.index_in_force(last)
    out: list[PlanRule] = []
    for vi in range(lo, hi + 1):
        rs = book.versions[vi]
        for t in rs.activity_types:
            if t.co_signer_code:
                c = rs.type(t.co_signer_code)
                if c is not None:  # else scored as an unknown type: 0
                    out += _plan_of(vi, t.code, True, c)
                out += _plan_of(vi, t.code, False, t)
            else:
                out += _plan_of(vi, t.code, None, t)
    return tuple(out)


def _plan_of(vi: int, code: str, co_signer: bool | None, t) -> list[PlanRule]:
    capped = t.yearly_cap is not None
    if not t.graded:
        return [PlanRule(vi, code, co_signer, None, t.points, capped, t.code, t.yearly_cap)] if t.points else []
    by_points: dict[int, list[str]] = {}
    for g, p in t.grades.items():
        if p:  # an unlisted grade, a missing grade: 0
            by_points.setdefault(p, []).append(g)
            by_points[p] += [label for label, code_ in _GRADE_BY_LABEL.items() if code_ == g]
    return [PlanRule(vi, code, co_signer, tuple(gs), p, capped, t.code, t.yearly_cap)
            for p, gs in sorted(by_points.items())]


class CapGroup(NamedTuple):
    """Capped rules a database can cap by itself: every capped rule scoring as ``scored`` sits in one version, so a
    delegate's points from them are min(their sum, ``cap``) whatever the order (points are never negative)."""

    scored: str
    cap: int
    rules: tuple[PlanRule, ...]


def split_capped(plan: Iterable[PlanRule]) -> tuple[tuple[CapGroup, ...], tuple[PlanRule, ...]]:
    """The capped rules of ``plan`` as (groups the database caps with LEAST(sum, cap), rules still to count).

    A cap runs per delegate and scored type through the whole scoring year; when the capped rules of one scored
    type span several versions (a rule change in the middle of the year, each with its own cap), what an item
    may add depends on what earlier versions used, so those rules are counted and ``compute_points_from_counts``
    carries the running total version by version. Target: ranking within 1.5× of the bare SQL aggregate.
    """
    by_scored: dict[str, list[PlanRule]] = {}
    for r in plan:
        if r.capped:
            by_scored.setdefault(r.scored, []).append(r)
    groups: list[CapGroup] = []
    counted: list[PlanRule] = []
    for scored, rules in by_scored.items():
        if len({r.version_index for r in rules}) == 1:
            groups.append(CapGroup(scored, rules[0].cap, tuple(rules)))
        else:
            counted += rules
    return tuple(groups), tuple(counted)
