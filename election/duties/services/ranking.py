"""履职积分排名: a group's ranking (one office or one level, to today or to the end of a published period) for the
page, the API and the .xlsx export, and a delegate's own standing (points explained, rank in the office,
requirements met or missed, recent activities)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from election.core.exceptions import PermissionDenied, ServiceError
from election.core.permissions import require
from election.directory.models import DelegateOffice
from election.duties.models import LEVELS, ActivityRecord, TermDelegate
from election.duties.services.activities import type_labels
from election.duties.services.permissions import can_view_duties, office_scope
from election.duties.services.points import (
    ACTIVITY_COLUMNS,
    buckets_to_versions,
    fetch_activity_counts,
    points_totals,
    version_starts,
)
from election.duties.services.rulesets import DEFAULT_RULESET, book_for, load_assignments, load_rulebooks
from workflow import duties as wd
from workflow.duties.delegate_status import DelegateStatus


class RankLine(NamedTuple):
    """One line of a ranking page or export (a NamedTuple: cheap to build 10⁵ of them)."""

    rank: int
    rank_text: str
    delegate_id: int
    name: str
    office: str
    level: str
    points: int


@dataclass(frozen=True)
class RankingView:
    year: int
    until: date
    period_label: str
    group: str  # "office:3" or "level:区"
    group_label: str
    lines: list[RankLine]
    groups: list[tuple[str, str]]  # selectable groups (value, label)
    periods: list[tuple[int, str]]  # 0 = up to today, n = published period n

    @property
    def max_points(self) -> int:
        return max((ln.points for ln in self.lines), default=0)


def _group_filter(group: str):
    kind, _, value = group.partition(":")
    if kind == "office" and value.isdigit():
        return TermDelegate.office_id == int(value)
    if kind == "level" and value in LEVELS:
        return TermDelegate.level == value
    raise ServiceError("排名范围无效，请从列表中选择工作室或层级。")


def compute_ranking(session: Session, actor, year: int, group: str | None, period: int, today: date) -> RankingView:
    """Points of scoring ``year`` (to today, or to the end of published period ``period``) ranked within an office or
    a level. A fixed number of queries (offices, assignments, rule sets, delegates, activities)."""
    require(can_view_duties(actor), "您没有查看履职排名的权限。")
    scope = office_scope(actor)
    offices = session.execute(select(DelegateOffice.id, DelegateOffice.name).order_by(DelegateOffice.id)).all()
    office_names = dict(offices)
    groups = [(f"office:{oid}", name) for oid, name in offices if scope is None or oid == scope]
    if scope is None:
        groups += [(f"level:{lv}", f"{lv}级代表") for lv in LEVELS]
    if not groups:
        raise ServiceError("还没有党代表工作室，请先建立工作室。")
    group = group or groups[0][0]
    if group not in dict(groups):
        raise PermissionDenied("只能查看本工作室的排名。") if scope is not None else ServiceError("排名范围无效。")
    assignments = load_assignments(session)
    books = load_rulebooks(session)
    where = and_(_group_filter(group), TermDelegate.status == DelegateStatus.serving.value)
    people = session.execute(select(TermDelegate.id, TermDelegate.name, TermDelegate.office_id, TermDelegate.level)
                             .where(where)).all()
    by_code: dict[str, list[int]] = {}
    for did, _n, oid, lv in people:
        by_code.setdefault(assignments.code_for(oid, lv), []).append(did)
    any_book = books.get(next(iter(by_code), DEFAULT_RULESET)) or books[DEFAULT_RULESET]
    ys = any_book.scoring_year(year)
    cycle = any_book.in_force(min(ys.end, max(ys.start, today))).publication if any_book.index_in_force(ys.end) >= 0 \
        else wd.PeriodKind.quarter
    pubs = wd.publication_periods(year, cycle, any_book.year_start)
    periods = [(0, "截至今天" if ys.start <= today <= ys.end else "全年")] + [(p.index, f"{p.label}公布")
                                                                         for p in pubs if p.end <= max(today, ys.start)]
    if period and not 1 <= period <= len(pubs):
        raise ServiceError(f"{year}年只有{len(pubs)}个公布期，请重新选择。")
    until = pubs[period - 1].end if period else min(ys.end, today) if ys.start <= today else ys.end
    sub = select(TermDelegate.id).where(where).scalar_subquery()
    code_of = {did: code for code, ids in by_code.items() for did in ids}
    default = next(iter(by_code)) if len(by_code) == 1 and by_code.keys() <= books.keys() else DEFAULT_RULESET
    totals = points_totals(session, books, code_of, default, year, ys.start, until, sub)
    info = {did: (name, oid, lv) for did, name, oid, lv in people}
    from workflow.common.strokes import stroke_key_function

    key = stroke_key_function()
    names = {did: key(v[0]) for did, v in info.items()}
    ranked = wd.rank_group(totals, list(info), names)
    lines = [RankLine(r.rank, r.rank_text, r.delegate_id, info[r.delegate_id][0],
                      office_names.get(info[r.delegate_id][1], ""), info[r.delegate_id][2], r.points) for r in ranked]
    label = f"{year}年{'（截至' + wd.cn_date(until) + '）' if not period else pubs[period - 1].label + '公布'}"
    return RankingView(year, until, label, group, dict(groups)[group], lines, groups, periods)


def render_ranking_xlsx(view: RankingView) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from election.core.xlsx_write import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "履职积分排名"
    append_row(ws, [f"{view.group_label}代表履职积分排名 {view.period_label}"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, ["名次", "姓名", "党代表工作室", "层级", "积分"])
    for ln in view.lines:
        append_row(ws, [ln.rank_text, ln.name, ln.office, ln.level, ln.points])
    for col, width in zip("ABCDE", (12, 12, 28, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class Standing:
    delegate: TermDelegate
    year: int
    total: int
    rank: wd.RankRow | None
    group_size: int
    explain: list[str]
    requirements: list[wd.RequirementStatus]
    activities: list[ActivityRecord]
    labels: dict[str, str]
    ruleset_name: str


def my_standing(session: Session, delegate: TermDelegate, year: int, today: date) -> Standing:
    """A delegate's own points, rank in the office, requirements met or missed, and recent activities."""
    book = book_for(session, delegate)
    ys = book.scoring_year(year)
    until = min(ys.end, today)
    mine = [tuple(r) for r in session.execute(select(*ACTIVITY_COLUMNS).where(
        ActivityRecord.delegate_id == delegate.id, ActivityRecord.on >= ys.start, ActivityRecord.on <= ys.end))]
    points = wd.compute_points(mine, book, year, until=until)
    rank, size = None, 0
    if delegate.office_id is not None and delegate.status == DelegateStatus.serving:
        peers = list(session.scalars(select(TermDelegate.id).where(TermDelegate.office_id == delegate.office_id,
                                                                  TermDelegate.status == "serving")))
        sub = select(TermDelegate.id).where(TermDelegate.office_id == delegate.office_id,
                                            TermDelegate.status == "serving").scalar_subquery()
        starts = version_starts([book])
        totals = wd.compute_points_from_counts(
            buckets_to_versions(fetch_activity_counts(session, ys.start, until, sub, starts=starts), starts, book),
            book, year, until=until).totals
        ranking = wd.rank_group(totals, peers)
        found = wd.standing_of({"office": ranking}, delegate.id)
        if found:
            _g, rank, size = found
    explain = wd.explain(points[delegate.id], book) if delegate.id in points else ["合计0分"]
    reqs: list[wd.RequirementStatus] = []
    if ys.start <= today and book.index_in_force(until) >= 0:
        # owed only from the term's start to its end or a status change (docs/rules.md §6 履职要求的起止)
        service = wd.service_of(delegate.term_start, delegate.term_end, delegate.status, delegate.status_decided_on)
        reqs = wd.check_requirements(mine, book.in_force(until), delegate.id, ys.start, until, service)
    acts = list(session.scalars(select(ActivityRecord).where(ActivityRecord.delegate_id == delegate.id)
                                .order_by(ActivityRecord.on.desc(), ActivityRecord.id.desc()).limit(50)).unique())
    return Standing(delegate, year, points.totals.get(delegate.id, 0), rank, size, explain, reqs, acts,
                    type_labels([book]), book.in_force(until).name if book.index_in_force(until) >= 0 else "")
