"""履职积分 from the database for many delegates at once: verified activities as plain tuples or as GROUP BY counts
per rule-set version, and one GROUP BY per delegate that sums the uncapped points and caps with LEAST(sum, cap)
(``least``: PostgreSQL's LEAST, SQLite's min()). The scoring rules are pure, in ``workflow.duties``; points always
come from the rule-set version in force on the activity's date."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Integer, and_, case, func, literal, or_, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from election.duties.models import ActivityRecord
from workflow import duties as wd

ACTIVITY_COLUMNS = (ActivityRecord.id, ActivityRecord.delegate_id, ActivityRecord.type_code, ActivityRecord.on,
                    ActivityRecord.status, ActivityRecord.grade, ActivityRecord.role)


def fetch_activity_tuples(session: Session, first: date, last: date, delegate_filter=None,
                          statuses: Sequence[str] = ("verified",)) -> list[tuple]:
    """Activities in [first, last] as plain 7-tuples (id, delegate_id, type_code, on, status, grade, role): one
    SELECT through the DB-API cursor, no ORM rows — what ``compute_points`` takes as is."""
    q = select(*ACTIVITY_COLUMNS).where(ActivityRecord.on >= first, ActivityRecord.on <= last,
                                        or_(*(ActivityRecord.status == s for s in statuses)))
    if delegate_filter is not None:
        q = q.where(ActivityRecord.delegate_id.in_(delegate_filter))
    conn = session.connection(bind_arguments={"clause": q})  # a report: may read the replica
    compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    if conn.dialect.name == "sqlite":  # SQLite stores dates as text: let SQLAlchemy convert them
        return [tuple(r) for r in conn.execute(q)]
    params = compiled.construct_params()
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        cur.execute(str(compiled), params)
        return cur.fetchall()


def version_starts(books: Iterable[wd.RuleBook]) -> tuple[date, ...]:
    """Every ``version_from`` of the given rule books, sorted: the date buckets ``fetch_activity_counts`` counts in."""
    return tuple(sorted({v.version_from for b in books for v in b.versions}))


def fetch_activity_counts(session: Session, first: date, last: date, delegate_filter=None, *,
                          starts: Sequence[date]) -> list[tuple]:
    """Verified activities in [first, last] counted in ONE GROUP BY: rows (delegate_id, type_code, grade, role,
    bucket, count), ``bucket`` = index of the last of ``starts`` on or before the activity's date (-1 before all).

    With ``starts = version_starts([book])`` the bucket is the version index ``compute_points_from_counts`` takes;
    for several books, ``buckets_to_versions`` maps it. Rows come through the DB-API cursor on PostgreSQL."""
    starts = tuple(starts)
    bucket = (case(*((ActivityRecord.on >= d, i) for i, d in reversed(list(enumerate(starts)))), else_=-1)
              if starts else literal(-1))
    q = (select(ActivityRecord.delegate_id, ActivityRecord.type_code, ActivityRecord.grade, ActivityRecord.role,
                bucket, func.count())
         .where(ActivityRecord.status == wd.ActivityStatus.verified.value,
                ActivityRecord.on >= first, ActivityRecord.on <= last)
         .group_by(text("1, 2, 3, 4, 5")))  # positional: the CASE's bound dates need not be repeated
    if delegate_filter is not None:
        q = q.where(ActivityRecord.delegate_id.in_(delegate_filter))
    conn = session.connection(bind_arguments={"clause": q})  # a report: may read the replica
    if conn.dialect.name != "postgresql":  # SQLite stores dates as text: let SQLAlchemy bind them
        return [tuple(r) for r in conn.execute(q)]
    compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        cur.execute(str(compiled), compiled.construct_params())
        return cur.fetchall()


def buckets_to_versions(rows: Iterable[tuple], starts: Sequence[date], book: wd.RuleBook) -> list[tuple]:
    """Count rows bucketed by ``starts`` → the same rows with ``book``'s version index in force in each bucket."""
    vi = {b: book.index_in_force(d) for b, d in enumerate(starts)}
    vi[-1] = -1
    return [(did, code, grade, role, vi[b], n) for did, code, grade, role, b, n in rows]


class least(FunctionElement):
    """LEAST(a, b): PostgreSQL's LEAST, SQLite's scalar min()."""

    type = Integer()
    name = "least"
    inherit_cache = True


@compiles(least)
def _least(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(least, "sqlite")
def _least_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"


def fetch_points_sums(session: Session, book: wd.RuleBook, first: date, last: date,
                      delegate_filter=None) -> tuple[dict[int, int], list[tuple]]:
    """ONE GROUP BY delegate for ranking many delegates under one rule book: the database sums the points of the
    uncapped types (``wd.points_plan``) and caps with LEAST(sum, cap) what one version caps (``wd.split_capped``);
    only the capped rules spanning versions are counted. Returns (delegate → summed points, count rows (delegate,
    type, grade, role, version, count) for ``compute_points_from_counts``; empty unless a cap spans versions)."""
    plan = wd.points_plan(book, first, last)
    _, counted = wd.split_capped(plan)
    q = points_sums_query(book, first, last, delegate_filter, plan)
    conn = session.connection(bind_arguments={"clause": q})  # a report: may read the replica
    if conn.dialect.name != "postgresql":
        rows = [tuple(r) for r in conn.execute(q)]
    else:  # straight from the driver: no Row objects for 10⁵ rows
        compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        with conn.connection.dbapi_connection.cursor() as cur:
            cur.execute(str(compiled), compiled.construct_params())
            rows = cur.fetchall()
    if not counted:  # SUM and COUNT of integers come back as int: no conversion per row
        return dict(rows), []
    sums: dict[int, int] = {}
    counts: list[tuple] = []
    for did, pts, *ns in rows:
        sums[did] = int(pts)
        for r, n in zip(counted, ns, strict=True):
            if n:
                counts.append((did, r.type_code, r.grade, r.role, r.version_index, int(n)))
    return sums, counts


def points_sums_query(book: wd.RuleBook, first: date, last: date, delegate_filter=None, plan=None):
    """The SELECT of ``fetch_points_sums``: per delegate, the points (uncapped sums plus LEAST(capped sum, cap) per
    capped type of one version), then one count per capped rule that spans versions."""
    plan = wd.points_plan(book, first, last) if plan is None else plan
    groups, counted = wd.split_capped(plan)
    a = ActivityRecord
    froms = [v.version_from for v in book.versions]
    lo, hi = book.index_in_force(first), book.index_in_force(last)

    def cond(r: wd.PlanRule, with_type: bool = True):
        c = [a.type_code == r.type_code] if with_type else []
        if lo != hi:  # the version in force: a date range (the rules are exclusive, so no CASE on the date)
            c.append(a.on >= froms[r.version_index])
            if r.version_index + 1 < len(froms):
                c.append(a.on < froms[r.version_index + 1])
        if r.co_signer is True:
            c.append(a.role == wd.Role.co_signer.value)
        elif r.co_signer is False:
            c.append(or_(a.role.is_(None), a.role != wd.Role.co_signer.value))
        if r.grades is not None:
            c.append(a.grade.in_(r.grades))
        return and_(*c) if c else None

    # CASE type_code WHEN …: one comparison of the type per row, as in the bare aggregate; versions, roles and
    # grades only inside the types that need them.
    by_type: dict[str, list[wd.PlanRule]] = {}
    for r in plan:
        if not r.capped:
            by_type.setdefault(r.type_code, []).append(r)
    whens = {}
    for code, rules in by_type.items():
        conds = [(cond(r, with_type=False), r.points) for r in rules]
        whens[code] = conds[0][1] if len(conds) == 1 and conds[0][0] is None else case(*conds, else_=0)
    total = func.sum(case(whens, value=a.type_code, else_=0)) if whens else literal(0)
    for g in groups:  # 来源: docs/rules.md §6 盐田 (联署提案 3 each, at most 9): min(sum, cap) per delegate and year
        by_points: dict[int, list] = {}
        for r in g.rules:
            by_points.setdefault(r.points, []).append(cond(r))
        capped_sum = None
        for pts, conds in by_points.items():
            term = literal(pts) * func.count().filter(or_(*conds))
            capped_sum = term if capped_sum is None else capped_sum + term
        total = total + least(capped_sum, literal(g.cap))
    cols = [func.count().filter(cond(r)) for r in counted]
    q = (select(a.delegate_id, total, *cols)
         .where(a.status == wd.ActivityStatus.verified.value, a.on >= first, a.on <= last)
         .group_by(a.delegate_id))
    if delegate_filter is not None:
        q = q.where(a.delegate_id.in_(delegate_filter))
    return q


def points_totals(session: Session, books: dict[str, wd.RuleBook], code_of: dict[int, str], default: str,
                  year: int, first: date, until: date, delegate_filter=None) -> dict[int, int]:
    """delegate id → points of scoring ``year`` up to ``until``, for many delegates: one GROUP BY, then
    ``compute_points_from_counts`` per rule book (``code_of`` names each delegate's; ``default`` for the rest)."""
    used = {code_of.get(d, default) for d in code_of} | {default}
    used_books = {c: books.get(c, books[default]) for c in used}
    if len({id(b) for b in used_books.values()}) == 1:  # the usual case: SQL sums what needs no cap
        book = next(iter(used_books.values()))
        sums, counts = fetch_points_sums(session, book, first, until, delegate_filter)
        for did, t in wd.compute_points_from_counts(counts, book, year, until=until).totals.items():
            sums[did] = sums.get(did, 0) + t
        return sums
    starts = version_starts(used_books.values())
    rows = fetch_activity_counts(session, first, until, delegate_filter, starts=starts)
    if len(used_books) == 1 or not rows:
        book = next(iter(used_books.values())) if len(used_books) == 1 else used_books[default]
        return dict(wd.compute_points_from_counts(buckets_to_versions(rows, starts, book), book, year,
                                                  until=until).totals)
    parts: dict[str, list[tuple]] = {}
    for r in rows:
        parts.setdefault(code_of.get(r[0], default), []).append(r)
    totals: dict[int, int] = {}
    for code, part in parts.items():
        book = used_books[code]
        totals.update(wd.compute_points_from_counts(buckets_to_versions(part, starts, book), book, year,
                                                    until=until).totals)
    return totals
