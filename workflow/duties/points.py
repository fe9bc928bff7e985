"""Points per delegate per scoring year, with a per-type breakdown and yearly caps that explain themselves.

Only verified activities score; each scores under the rule-set version in force on its own date; a yearly cap
(联署提案 3 each, at most 9) is applied per delegate per scoring year in date order (then activity id), so which
item was cut is always the same. 来源: docs/rules.md §6 盐田.

The inner loop is written for a year of a district (10⁶ activities, 10⁵ delegates): it unpacks plain tuples,
looks each (date, type, grade, role) up once in a cache, and builds result objects only per delegate.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from workflow.common.results import DomainError
from workflow.duties.periods import Period, PeriodKind, cn_date, periods_of_year
from workflow.duties.rules import Activity, ActivityStatus, DutyRuleSet, RuleBook, normalize_grade

_VERIFIED = str(ActivityStatus.verified)


class TypePoints(NamedTuple):
    """One activity type's share of a delegate's points: how many verified activities, how many points."""

    count: int
    points: int


@dataclass(frozen=True)
class CappedItem:
    """An activity that the yearly cap cut (wholly or partly)."""

    activity_id: Any
    type_code: str
    type_label: str
    on: date
    points: int  # before the cap
    counted: int  # after the cap
    cap: int

    @property
    def message(self) -> str:
        return (f"{cn_date(self.on)}的{self.type_label}已达每年{self.cap}分上限，"
                f"本项计{self.counted}分（原{self.points}分）")


@dataclass(frozen=True)
class UnscoredItem:
    """A verified activity in the year that earns nothing, and why (unknown type, before any rule set)."""

    activity_id: Any
    type_code: str
    on: date
    reason: str


@dataclass(frozen=True)
class DelegatePoints:
    delegate_id: Any
    year: int
    total: int
    by_type: dict[str, TypePoints]  # scored type code → (count, points after caps)
    capped: tuple[CappedItem, ...] = ()
    unscored: tuple[UnscoredItem, ...] = ()

    def points_of(self, type_code: str) -> int:
        tp = self.by_type.get(type_code)
        return tp.points if tp else 0


def _id_key(activity_id: Any) -> tuple:
    """Orders ids of mixed kinds (database ints, "petition:42" strings) without a TypeError."""
    if isinstance(activity_id, int):
        return (0, activity_id, "")
    return (1, 0, str(activity_id))


# A resolved (date, type, grade, role): (scored code or None, points, cap or None, version index or reason)
_Resolved = tuple[str | None, int, int | None, Any]


def _resolver(book: RuleBook):
    def resolve(on: date, code: str, grade: str | None, role: str | None) -> _Resolved:
        vi = book.index_in_force(on)
        if vi < 0:
            return None, 0, None, f"{cn_date(on)}尚无生效的履职规则"
        return _resolve_in(book, vi, code, grade, role)

    return resolve


def _resolve_in(book: RuleBook, vi: int, code: str, grade: str | None, role: str | None) -> _Resolved:
    """(scored code or None, points, cap or None, version index or reason) under version ``vi`` of ``book``."""
    rs = book.versions[vi]
    scored = rs.scored_code(code, role)
    if scored is None:
        return None, 0, None, f"规则“{rs.name}”（{cn_date(rs.version_from)}起施行）中没有活动类型“{code}”"
    t = rs.types_by_code[scored]
    pts = t.points_for(normalize_grade(grade))
    if t.graded and grade is None:
        return None, 0, None, f"“{t.label}”按满意度计分，尚未填写满意度"
    return scored, pts, t.yearly_cap, vi


def _plain_codes(book: RuleBook, first: date, last: date) -> tuple[int, dict[str, tuple[int, ...]]]:
    """Types scored at a fixed number of points, with no cap, grade or role, in every version in force in
    [first, last]: (index of the first such version, code → points per version from it).

    Those take the fast paths of the loop; every other activity goes through the cache.
    """
    lo, hi = book.index_in_force(first), book.index_in_force(last)
    if lo < 0 or hi < lo:  # part of the window has no rule set, or the window is empty (until before the year)
        return 0, {}
    versions = book.versions[lo:hi + 1]
    out: dict[str, tuple[int, ...]] = {}
    for t in versions[0].activity_types:
        pts = []
        for v in versions:
            u = v.type(t.code)
            if u is None or u.graded or u.yearly_cap is not None or u.co_signer_code:
                break
            pts.append(u.points)
        else:
            out[t.code] = tuple(pts)
    return lo, out


def compute_points(
    activities: Iterable[Activity | tuple],
    rules: RuleBook | DutyRuleSet,
    year: int,
    *,
    until: date | None = None,
) -> PointsTable:
    """Points of every delegate with a verified activity in scoring ``year`` (up to ``until`` if given).

    ``activities`` are ``Activity`` tuples or any 7-tuples in the same field order (id, delegate_id, type_code,
    on, status, grade, role). Returns a read-only mapping delegate id → ``DelegatePoints``; delegates without a
    verified activity in the window are absent (0 points). ``.totals`` is the delegate → total dict for ranking.

    How it stays fast: each activity is reduced to a small "spec" id (scored type, points) — by type code alone
    for the usual fixed-point types (by code and day when a new version changed their points), otherwise via a
    cache on (date, type, grade, role) — and its delegate id
    is appended to that spec's list; ``collections.Counter`` then counts each list in C. Capped and unscored
    activities (few) are set aside and handled in date order afterwards.
    """
    book = RuleBook.of(rules)
    ys = book.scoring_year(year)
    first, last = ys.start, ys.end if until is None or until > ys.end else until
    resolve = _resolver(book)

    specs: list[tuple[str, int]] = []  # sid → (scored code, points)
    spec_ids: dict[tuple[str, int], int] = {}
    lists: list[list[Any]] = []
    appends: list[Any] = []

    def spec_id(scored: str, pts: int) -> int:
        sid = spec_ids.get((scored, pts))
        if sid is None:
            sid = spec_ids[(scored, pts)] = len(specs)
            specs.append((scored, pts))
            lists.append([])
            appends.append(lists[-1].append)
        return sid

    lo, plain = _plain_codes(book, first, last)
    # Same points all through the window: by code alone. Points changed by a new version: by code and day.
    simple = {code: spec_id(code, pts[0]) for code, pts in plain.items() if len(set(pts)) == 1}
    simple_get = simple.get
    by_day = {code: tuple(spec_id(code, p) for p in pts) for code, pts in plain.items() if code not in simple}
    by_day_get = by_day.get
    day_version: dict[date, int] = {}
    if by_day:
        d = first
        while d <= last:
            day_version[d] = book.index_in_force(d) - lo
            d += timedelta(days=1)
    cache: dict[tuple, int] = {}
    cache_get = cache.get
    side_specs: list[_Resolved] = []  # capped or unscored resolutions; referred to as -(1 + index)
    side: list[tuple] = []
    verified = _VERIFIED

    for aid, did, code, on, status, grade, role in activities:
        if status != verified or on < first or on > last:
            continue
        sid = simple_get(code)
        if sid is None:
            per_version = by_day_get(code)
            if per_version is not None:
                appends[per_version[day_version[on]]](did)
                continue
            key = (on, code, grade, role)
            sid = cache_get(key)
            if sid is None:
                r = resolve(on, code, grade, role)
                if r[0] is not None and r[2] is None:
                    sid = spec_id(r[0], r[1])
                else:
                    side_specs.append(r)
                    sid = -len(side_specs)
                cache[key] = sid
            if sid < 0:
                side.append((did, aid, code, on, -sid - 1))
                continue
        appends[sid](did)

    counted = [Counter(lst) for lst in lists]  # C: per spec, delegate → number of activities
    tot: dict[Any, int] = {}
    tget = tot.get
    for (_, pts), cnt in zip(specs, counted, strict=True):
        if pts:
            for did, n in cnt.items():
                tot[did] = tget(did, 0) + n * pts
        else:
            for did in cnt:
                if did not in tot:
                    tot[did] = 0

    # Yearly caps: in date order, then activity id, per delegate and type. Each item counts up to the cap of the
    # version in force on its own date, less what earlier items already used.
    capped_cells: dict[Any, dict[str, list[int]]] = {}
    cut: dict[Any, list[CappedItem]] = {}
    skipped: dict[Any, list[UnscoredItem]] = {}
    side.sort(key=lambda x: (x[3], _id_key(x[1])))  # date, then activity id: the same result for any input order
    used: dict[tuple, int] = {}
    for did, aid, code, on, idx in side:
        scored, pts, cap, extra = side_specs[idx]
        if scored is None:
            skipped.setdefault(did, []).append(UnscoredItem(aid, code, on, extra))
            if did not in tot:
                tot[did] = 0
            continue
        k = (did, scored)
        so_far = used.get(k, 0)
        got = min(pts, max(0, cap - so_far))
        used[k] = so_far + got
        cell = capped_cells.setdefault(did, {}).setdefault(scored, [0, 0])
        cell[0] += 1
        cell[1] += got
        tot[did] = tot.get(did, 0) + got
        if got < pts:
            label = book.versions[extra].types_by_code[scored].label
            cut.setdefault(did, []).append(CappedItem(aid, scored, label, on, pts, got, cap))

    return PointsTable(year, first, last, tot, tuple(specs), tuple(counted), capped_cells,
                       {d: tuple(v) for d, v in cut.items()}, {d: tuple(v) for d, v in skipped.items()})


class PointsTable(Mapping):
    """Read-only mapping delegate id → ``DelegatePoints`` for one scoring year (up to ``last``).

    Totals are computed up front (``.totals``); a delegate's breakdown is assembled when asked for, so scoring a
    whole district does not build 10⁵ breakdowns nobody reads.
    """

    __slots__ = ("_capped", "_counted", "_cut", "_skipped", "_specs", "first", "last", "totals", "year")

    def __init__(self, year, first, last, totals, specs, counted, capped, cut, skipped):
        self.year: int = year
        self.first: date = first
        self.last: date = last
        self.totals: dict[Any, int] = totals
        self._specs, self._counted, self._capped, self._cut, self._skipped = specs, counted, capped, cut, skipped

    def __getitem__(self, delegate_id: Any) -> DelegatePoints:
        total = self.totals[delegate_id]  # KeyError for a delegate without activities
        cells: dict[str, list[int]] = {}
        for (code, pts), cnt in zip(self._specs, self._counted, strict=True):
            n = cnt.get(delegate_id)
            if n:
                cell = cells.get(code)
                if cell is None:
                    cells[code] = [n, n * pts]
                else:
                    cell[0] += n
                    cell[1] += n * pts
        for code, (n, p) in self._capped.get(delegate_id, {}).items():
            cell = cells.setdefault(code, [0, 0])
            cell[0] += n
            cell[1] += p
        return DelegatePoints(delegate_id, self.year, total, {c: TypePoints(n, p) for c, (n, p) in cells.items()},
                              self._cut.get(delegate_id, ()), self._skipped.get(delegate_id, ()))

    def __iter__(self):
        return iter(self.totals)

    def __len__(self) -> int:
        return len(self.totals)

    def __contains__(self, delegate_id: object) -> bool:
        return delegate_id in self.totals

    def __repr__(self) -> str:
        return f"<PointsTable {self.year} {self.first}..{self.last}: {len(self.totals)} delegates>"


def totals(points: Mapping[Hashable, DelegatePoints]) -> dict[Hashable, int]:
    """delegate id → total, the shape ``rank_delegates`` takes."""
    if isinstance(points, PointsTable):
        return dict(points.totals)
    return {did: dp.total for did, dp in points.items()}


@dataclass(frozen=True)
class PublishedPoints:
    """Points as published for one period: everything from the year's start to the end of ``period``."""

    period: Period
    points: PointsTable


def publication_periods(year: int, cycle: PeriodKind | str, year_start: tuple[int, int] = (1, 1)) -> tuple[Period, ...]:
    """The periods points are published for in scoring ``year`` (e.g. four quarters). 来源: docs/rules.md §6 盐田."""
    return periods_of_year(year, cycle, year_start)


def compute_published_points(
    activities: Iterable[Activity | tuple],
    rules: RuleBook | DutyRuleSet,
    year: int,
    index: int,
    cycle: PeriodKind | str | None = None,
) -> PublishedPoints:
    """Points up to the end of the ``index``-th publication period (e.g. quarter 2 → 1月1日 to 6月30日).

    The cycle defaults to the one of the version in force at the end of the scoring year.
    """
    book = RuleBook.of(rules)
    if cycle is None:
        ys = book.scoring_year(year)
        i = book.index_in_force(ys.end)
        cycle = book.versions[max(i, 0)].publication
    periods = publication_periods(year, cycle, book.year_start)
    if not 1 <= index <= len(periods):
        raise DomainError(f"{year}年只有{len(periods)}个公布期，请选择第1至第{len(periods)}期",
                          code="duties.publication.index_invalid")
    period = periods[index - 1]
    return PublishedPoints(period, compute_points(activities, book, year, until=period.end))


def explain(points: DelegatePoints, rules: RuleBook | DutyRuleSet) -> list[str]:
    """Chinese lines explaining a delegate's points: one per type, then every cap cut and unscored item."""
    book = RuleBook.of(rules)
    labels: dict[str, str] = {}
    for v in book.versions:
        for t in v.activity_types:
            labels.setdefault(t.code, t.label)
    lines = [f"{labels.get(c, c)}：{tp.count}项，计{tp.points}分" for c, tp in sorted(points.by_type.items())]
    lines += [c.message for c in points.capped]
    lines += [f"{cn_date(u.on)}的活动未计分：{u.reason}" for u in points.unscored]
    lines.append(f"合计{points.total}分")
    return lines


__all__ = [
    "CappedItem",
    "DelegatePoints",
    "PointsTable",
    "PublishedPoints",
    "TypePoints",
    "UnscoredItem",
    "compute_points",
    "compute_published_points",
    "explain",
    "publication_periods",
    "totals",
]
