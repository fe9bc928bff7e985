"""compute_points_from_counts gives what compute_points gives, from GROUP BY rows (ranking at scale)."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.common.results import DomainError
from workflow.duties.point_counts import compute_points_from_counts, points_plan, split_capped
from workflow.duties.points import compute_points
from workflow.duties.presets import YANTIAN
from workflow.duties.rules import Activity, ActivityType, RuleBook

D = date
YEAR = 2026
CODES = tuple(t.code for t in YANTIAN.activity_types) + ("karaoke", "night_patrol")
GRADES = (None, "very_satisfied", "satisfied", "dissatisfied", "非常满意", "基本满意")
ROLES = ("lead", "co_signer", None)
STATUSES = ("verified", "verified", "verified", "pending", "returned")


def count_rows(activities, book: RuleBook, year: int, until: date | None = None) -> list[tuple]:
    """What the SQL GROUP BY returns: verified activities in the window counted per
    (delegate, type, grade, role, version in force on the date)."""
    ys = book.scoring_year(year)
    last = ys.end if until is None or until > ys.end else until
    c = Counter((a.delegate_id, a.type_code, a.grade, a.role, book.index_in_force(a.on))
                for a in activities if a.status == "verified" and ys.start <= a.on <= last)
    return [(*k, n) for k, n in c.items()]


def same_table(activities, book, year=YEAR, until=None):
    want = compute_points(activities, book, year, until=until)
    got = compute_points_from_counts(count_rows(activities, book, year, until), book, year, until=until)
    assert got.totals == want.totals
    assert (got.first, got.last, got.year) == (want.first, want.last, want.year)
    for did in want:
        assert got[did].by_type == want[did].by_type, did
        assert got[did].total == want[did].total
    return got


def revised(on: date, co_points: int, co_cap: int | None, grades: tuple[int, int], extra: bool):
    types = []
    for t in YANTIAN.activity_types:
        if t.code == "co_proposal":
            t = ActivityType("co_proposal", "联署提案", co_points, yearly_cap=co_cap, group=t.group)
        elif t.code == "resolve_petition":
            t = ActivityType("resolve_petition", "诉求解决", {"非常满意": grades[0], "基本满意": grades[1]},
                             yearly_cap=grades[0] * 2 if extra else None, group=t.group)
        elif t.code == "inspection" and extra:
            t = ActivityType("inspection", "视察调研", 8, group=t.group)
        types.append(t)
    if extra:
        types.append(ActivityType("night_patrol", "夜间巡查", 2, yearly_cap=5))
    return YANTIAN.revise(on, activity_types=tuple(types))


days = st.integers(min_value=-15, max_value=380).map(lambda k: D(2026, 1, 1) + timedelta(days=k))
versions = st.lists(
    st.tuples(days, st.integers(0, 5), st.sampled_from((None, 0, 4, 9, 12)), st.tuples(st.integers(0, 7),
              st.integers(0, 7)), st.booleans()),
    min_size=0, max_size=2, unique_by=lambda v: v[0])
activities = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from(CODES), days, st.sampled_from(STATUSES), st.sampled_from(GRADES),
              st.sampled_from(ROLES)),
    max_size=60)


@settings(max_examples=400, deadline=None)
@given(changes=versions, rows=activities, first_mid_year=st.booleans(), until=st.none() | days)
def test_counts_equal_per_item_points_under_versions_caps_grades_and_statuses(changes, rows, first_mid_year, until):
    base = YANTIAN.revise(D(2026, 3, 1)) if first_mid_year else YANTIAN  # before 3月1日: no rule set yet
    book = RuleBook((base, *(revised(*v) for v in changes if v[0] != base.version_from)))
    acts = [Activity(i, *r) for i, r in enumerate(rows)]
    same_table(acts, book, until=until)


def test_counts_co_proposal_cap_at_nine_fourth_item_adds_nothing():
    acts = [Activity(i, "a", "lead_proposal", D(2026, 2, i), "verified", None, "co_signer") for i in range(1, 5)]
    assert same_table(acts[:3], RuleBook.of(YANTIAN))["a"].total == 9
    assert same_table(acts, RuleBook.of(YANTIAN))["a"].points_of("co_proposal") == 9


def test_counts_cap_lowered_mid_year_keeps_points_already_earned():
    book = RuleBook((YANTIAN, revised(D(2026, 7, 1), 3, 4, (6, 5), False)))
    acts = [Activity(i, "a", "co_proposal", D(2026, 6, i), "verified") for i in range(1, 3)]  # 6 under cap 9
    acts += [Activity(10 + i, "a", "co_proposal", D(2026, 7, i), "verified") for i in range(1, 3)]  # cap 4: +0
    got = same_table(acts, book)
    assert got["a"].by_type["co_proposal"] == (4, 6)


def test_counts_cap_raised_mid_year_counts_up_to_the_new_cap():
    book = RuleBook((YANTIAN, revised(D(2026, 7, 1), 5, 12, (6, 5), False)))
    acts = [Activity(i, "a", "co_proposal", D(2026, 6, i), "verified") for i in range(1, 5)]  # 9 (cap 9)
    acts += [Activity(10 + i, "a", "co_proposal", D(2026, 7, i), "verified") for i in range(1, 3)]  # +3 to 12
    assert same_table(acts, book)["a"].total == 12


def test_counts_graded_without_grade_and_unknown_type_list_the_delegate_with_zero():
    acts = [Activity(1, "a", "resolve_petition", D(2026, 5, 1), "verified"),
            Activity(2, "b", "karaoke", D(2026, 5, 1), "verified")]
    got = same_table(acts, RuleBook.of(YANTIAN))
    assert got.totals == {"a": 0, "b": 0}
    assert got["a"].capped == () and got["a"].unscored == ()  # per-item detail: compute_points only


def test_counts_version_index_out_of_range_is_refused():
    with pytest.raises(DomainError, match="版本序号"):
        compute_points_from_counts([("a", "inspection", None, "lead", 1, 1)], YANTIAN, YEAR)


# ------------------------------------------------------------------------------------------------------------
# points_plan: uncapped points summed by the database, capped types counted — the ranking's path
# ------------------------------------------------------------------------------------------------------------
def plan_points(plan, vi, code, grade, role):
    """What the SQL gives for one activity: points, None for capped, 0 when no rule matches. The rules must be
    mutually exclusive (the SQL sums and counts them independently)."""
    hits = [r for r in plan
            if r.version_index == vi and r.type_code == code
            and (r.co_signer is None or (role == "co_signer") == r.co_signer)
            and (r.grades is None or grade in r.grades)]
    assert len(hits) <= 1, hits
    if not hits:
        return 0
    return None if hits[0].capped else hits[0].points


def plan_totals(activities, book, year=YEAR, until=None):
    """The ranking's SQL, simulated: uncapped points summed, LEAST(sum, cap) for the capped types of one version
    (``split_capped``), the capped rules spanning versions counted for ``compute_points_from_counts``."""
    ys = book.scoring_year(year)
    last = ys.end if until is None or until > ys.end else until
    plan = points_plan(book, ys.start, last)
    groups, _ = split_capped(plan)
    in_sql = {r: g for g in groups for r in g.rules}
    sums: dict = {}
    capped_sums: dict = {}
    capped = []
    for did, code, grade, role, vi, n in count_rows(activities, book, year, until):
        p = plan_points(plan, vi, code, grade, role)
        if p is None:  # counted per rule, as the SQL does: the rule's own grade and role stand for the items
            r = next(r for r in plan if r.capped and r.version_index == vi and r.type_code == code
                     and (r.co_signer is None or (role == "co_signer") == r.co_signer)
                     and (r.grades is None or grade in r.grades))
            if r in in_sql:
                key = (did, in_sql[r])
                capped_sums[key] = capped_sums.get(key, 0) + n * r.points
            else:
                capped.append((did, code, r.grade, r.role, vi, n))
            sums.setdefault(did, 0)
        else:
            sums[did] = sums.get(did, 0) + n * p
    for (did, g), total in capped_sums.items():
        sums[did] += min(total, g.cap)
    for did, t in compute_points_from_counts(capped, book, year, until=until).totals.items():
        sums[did] = sums.get(did, 0) + t
    return sums


@settings(max_examples=300, deadline=None)
@given(changes=versions, rows=activities, first_mid_year=st.booleans(), until=st.none() | days)
def test_plan_sums_plus_capped_counts_equal_per_item_totals(changes, rows, first_mid_year, until):
    base = YANTIAN.revise(D(2026, 3, 1)) if first_mid_year else YANTIAN
    book = RuleBook((base, *(revised(*v) for v in changes if v[0] != base.version_from)))
    acts = [Activity(i, *r) for i, r in enumerate(rows)]
    assert plan_totals(acts, book, until=until) == compute_points(acts, book, YEAR, until=until).totals


def test_plan_yantian_co_signer_of_lead_proposal_is_capped_and_grades_score_by_label_or_code():
    plan = points_plan(YANTIAN, D(2026, 1, 1), D(2026, 12, 31))
    assert plan_points(plan, 0, "lead_proposal", None, "co_signer") is None
    assert plan_points(plan, 0, "lead_proposal", None, "lead") == 10
    assert plan_points(plan, 0, "resolve_petition", "非常满意", "lead") == 6
    assert plan_points(plan, 0, "resolve_petition", "satisfied", "lead") == 5
    assert plan_points(plan, 0, "resolve_petition", "unsatisfied", "lead") == 0
    assert plan_points(plan, 0, "co_proposal", None, "lead") is None


def test_split_capped_caps_one_version_in_sql_and_counts_a_cap_spanning_versions():
    groups, counted = split_capped(points_plan(YANTIAN, D(2026, 1, 1), D(2026, 12, 31)))
    # 联署提案 3 each, at most 9 — the co-signer of a lead proposal scores as 联署 under the same cap
    assert [(g.scored, g.cap, sorted(r.type_code for r in g.rules)) for g in groups] == [
        ("co_proposal", 9, ["co_proposal", "lead_proposal"])]
    assert counted == ()
    book = RuleBook((YANTIAN, YANTIAN.revise(D(2026, 7, 1))))
    groups, counted = split_capped(points_plan(book, D(2026, 1, 1), D(2026, 12, 31)))
    assert groups == ()
    assert {(r.version_index, r.type_code) for r in counted} == {
        (0, "co_proposal"), (0, "lead_proposal"), (1, "co_proposal"), (1, "lead_proposal")}
