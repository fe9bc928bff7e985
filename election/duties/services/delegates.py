"""The 任期代表 roll: the .xlsx 代表名册 read and checked row by row (errors name the sheet row and the Chinese
column), stored all or nothing, and its template; 资格终止 / 停止执行代表职务 with the committee's decision; the 补选
a vacancy opens (a new election for the original unit, on a shortened timeline)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import can_manage_elections, require
from election.directory.models import DelegateOffice, Unit
from election.duties.models import LEVELS, DelegateStatusChange, TermDelegate
from election.duties.services.permissions import _get, can_manage_delegates
from workflow.common.results import Blocker, DomainError
from workflow.duties.delegate_status import (
    DecisionRecord,
    DelegateStatus,
    StatusReason,
    check_status_change,
    vacancy_opens,
)
from workflow.pipeline.ratios import min_candidates

DELEGATE_COLUMNS = (  # (header, required, attribute)
    ("姓名", True, "name"), ("性别", True, "gender"), ("出生年月", False, "birth_date"), ("民族", False, "ethnicity"),
    ("层级", True, "level"), ("党代会届次", True, "congress"), ("任期开始", True, "term_start"),
    ("任期结束", True, "term_end"), ("选举单位", True, "electing_unit"), ("工作单位及职务", False, "workplace"),
    ("联系电话", False, "phone"), ("党代表工作室", False, "office"), ("代表小组", False, "group_name"),
    ("小组职务", False, "group_role"), ("登录账号", False, "username"),
    # what an election knows of a delegate (the 纪实表 shows it): optional, at the end so older sheets still read
    ("籍贯", False, "native_place"), ("入党时间", False, "party_join_date"), ("参加工作时间", False, "work_start_date"),
    ("学历", False, "education"), ("身份类别", False, "category"),
)
_ALIASES = {"届次": "党代会届次", "工作室": "党代表工作室", "单位及职务": "工作单位及职务", "电话": "联系电话",
            "职务": "小组职务", "账号": "登录账号", "用户名": "登录账号", "出生日期": "出生年月", "选举产生单位": "选举单位",
            "入党日期": "入党时间", "参加工作日期": "参加工作时间", "文化程度": "学历", "人员类别": "身份类别"}


@dataclass(frozen=True)
class DelegateRow:
    row: int
    name: str
    gender: str
    birth_date: date | None
    ethnicity: str
    level: str
    congress: str
    term_start: date
    term_end: date
    electing_unit: str
    workplace: str
    phone: str
    office_id: int | None
    group_name: str
    group_role: str | None
    user_id: int | None
    native_place: str = ""
    party_join_date: date | None = None
    work_start_date: date | None = None
    education: str = ""
    category: str = ""


@dataclass(frozen=True)
class DelegateParse:
    rows: list[DelegateRow]
    errors: list  # RowError

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def parse_delegate_sheet(data: bytes, offices: dict[str, int], users: dict[str, int],
                         existing: set[tuple[str, str, str]]) -> DelegateParse:
    """Check every row of a delegate roll (.xlsx); errors name the sheet row and the Chinese column.

    ``offices``: 工作室 name → id; ``users``: username → id; ``existing``: (name, congress, unit) already stored.
    Raises ``SheetRejected`` when the file itself is refused (same checks as nominee lists).
    """
    from election.core.xlsx import check_workbook_bytes, hidden_text_errors, open_workbook
    from election.core.xlsx_rows import sheet_rows
    from election.nominations.columns import RowError, header_key

    check_workbook_bytes(data)
    wb = open_workbook(data)
    try:  # streamed under the row and column caps: a declared A1:XFD1048576 costs nothing
        all_rows = list(sheet_rows(wb.worksheets[0]))
    finally:
        wb.close()
    wanted = {header_key(h): h for h, _, _ in DELEGATE_COLUMNS}
    wanted.update({header_key(a): h for a, h in _ALIASES.items()})
    header_at, cols = None, {}
    for i, values in enumerate(all_rows[:10]):
        found = {}
        for j, v in enumerate(values):
            h = wanted.get(header_key(_cell_text(v)))
            if h and h not in found:
                found[h] = j
        if "姓名" in found and len(found) >= 3:
            header_at, cols = i, found
            break
    if header_at is None:
        return DelegateParse([], [RowError(1, "表头", "找不到表头行：前10行中应有“姓名”“性别”“层级”等列，请使用导入模板")])
    errors: list = []
    for h, required, _ in DELEGATE_COLUMNS:
        if required and h not in cols:
            errors.append(RowError(header_at + 1, h, f"缺少必填列“{h}”，请在表头中补上"))
    if errors:
        return DelegateParse([], errors)
    out: list[DelegateRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, values in enumerate(all_rows[header_at + 1:], start=header_at + 2):
        cell = {h: (values[j] if j < len(values) else None) for h, j in cols.items()}
        if all(_cell_text(v) == "" for v in cell.values()):
            continue
        row_errors: list = []

        def text(h: str, required: bool = False, limit: int = 128, cell=cell, row_errors=row_errors, i=i) -> str:
            s = _cell_text(cell.get(h))
            hidden = hidden_text_errors(i, [(h, s)])
            if hidden:
                row_errors.extend(hidden)
            elif required and not s:
                row_errors.append(RowError(i, h, f"请填写{h}"))
            elif len(s) > limit:
                row_errors.append(RowError(i, h, f"{h}不超过{limit}个字"))
            return s

        def day(h: str, required: bool = False, cell=cell, row_errors=row_errors, i=i) -> date | None:
            v = cell.get(h)
            if _cell_text(v) == "":
                if required:
                    row_errors.append(RowError(i, h, f"请填写{h}，如 2021-09-28"))
                return None
            try:
                p = wd_parse_date(v)
            except DomainError as exc:
                row_errors.append(RowError(i, h, exc.message))
                return None
            return p

        name = text("姓名", True, 64)
        gender = text("性别", True)
        if gender and gender not in ("男", "女"):
            row_errors.append(RowError(i, "性别", "性别应填写“男”或“女”"))
        level = text("层级", True).removesuffix("级")
        if level and level not in LEVELS:
            row_errors.append(RowError(i, "层级", "层级应填写市、区或镇"))
        congress = text("党代会届次", True)
        start, end = day("任期开始", True), day("任期结束", True)
        if start and end and end < start:
            row_errors.append(RowError(i, "任期结束", "任期结束日期早于任期开始日期，请核对"))
        unit = text("选举单位", True)
        office_name = text("党代表工作室")
        office_id = None
        if office_name:
            office_id = offices.get(office_name)
            if office_id is None:
                row_errors.append(RowError(i, "党代表工作室", f"工作室“{office_name}”不存在，请先在系统中建立或核对名称"))
        group = text("代表小组", limit=64)
        role = text("小组职务") or None
        if role and role not in ("组长", "副组长"):
            row_errors.append(RowError(i, "小组职务", "小组职务应填写“组长”“副组长”或留空"))
        if role and not group:
            row_errors.append(RowError(i, "代表小组", "填写了小组职务，请同时填写代表小组"))
        username = text("登录账号")
        user_id = None
        if username:
            user_id = users.get(username)
            if user_id is None:
                row_errors.append(RowError(i, "登录账号", f"账号“{username}”不存在，请先创建账号或留空"))
        key = (name, congress, unit)
        if name and congress and unit:
            if key in existing:
                row_errors.append(RowError(i, "姓名", f"{name}（{unit}，{congress}）已在代表名册中，请勿重复导入"))
            elif key in seen:
                row_errors.append(RowError(i, "姓名", f"与第{seen[key]}行重复：同一届次、同一选举单位的{name}"))
            seen.setdefault(key, i)
        extra = {"native_place": text("籍贯", limit=64), "party_join_date": day("入党时间"),
                 "work_start_date": day("参加工作时间"), "education": text("学历", limit=32),
                 "category": text("身份类别", limit=32)}
        if row_errors:
            errors.extend(row_errors)
            continue
        out.append(DelegateRow(i, name, gender, day("出生年月"), text("民族", limit=32), level, congress, start, end,
                               unit, text("工作单位及职务", limit=200), text("联系电话", limit=32), office_id, group,
                               role, user_id, **extra))
    errors.sort()
    return DelegateParse(out, errors)


def wd_parse_date(value: Any) -> date:
    """Excel date cell or text (2021-09-28, 2021.09, 2021年9月) → a date (day 1 when only the month is given)."""
    from workflow.common.dates import parse_partial_date

    p = parse_partial_date(value)
    return date(p.year, p.month, p.day or 1)


def import_delegates(session: Session, actor, data: bytes, now: datetime) -> DelegateParse:
    """Store every row of a delegate roll, or none: the errors come back when there are any."""
    from election.core.xlsx import SheetRejected

    require(can_manage_delegates(actor), "只有组织部工作人员可以导入代表名册。")
    with transaction(session):
        offices = dict(session.execute(select(DelegateOffice.name, DelegateOffice.id)).all())
        users = dict(session.execute(select(User.username, User.id)).all())
        existing = set(session.execute(select(TermDelegate.name, TermDelegate.congress,
                                              TermDelegate.electing_unit)).all())
        try:
            parsed = parse_delegate_sheet(data, offices, users, existing)
        except SheetRejected as exc:
            raise ServiceError(exc.message) from exc
        if not parsed.ok:
            return parsed
        taken = set(session.scalars(select(TermDelegate.user_id).where(TermDelegate.user_id.is_not(None))))
        units = dict(session.execute(select(Unit.name, Unit.id)).all())
        from election.nominations.columns import RowError

        clash = [RowError(r.row, "登录账号", "该账号已关联其他代表") for r in parsed.rows if r.user_id in taken]
        if clash:
            return DelegateParse([], clash)
        for r in parsed.rows:
            session.add(TermDelegate(
                name=r.name, gender=r.gender, birth_date=r.birth_date, ethnicity=r.ethnicity, level=r.level,
                congress=r.congress, term_start=r.term_start, term_end=r.term_end, electing_unit=r.electing_unit,
                electing_unit_id=units.get(r.electing_unit), workplace=r.workplace, phone=r.phone,
                office_id=r.office_id, group_name=r.group_name, group_role=r.group_role, user_id=r.user_id,
                native_place=r.native_place, party_join_date=r.party_join_date, work_start_date=r.work_start_date,
                education=r.education, category=r.category, created_at=now))
        audit(session, actor, "duties.delegates.import", object_type="term_delegates", object_id="",
              summary=f"导入代表名册{len(parsed.rows)}人", after={"count": len(parsed.rows)}, now=now)
    return parsed


def render_delegate_template() -> bytes:
    """The .xlsx the roll is imported from: the header row and one example."""
    from openpyxl import Workbook

    from election.core.xlsx_write import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "代表名册"
    append_row(ws, [h for h, _, _ in DELEGATE_COLUMNS])
    append_row(ws, ["张三", "男", "1975-03", "汉族", "区", "区第十二次党代会", "2021-09-28", "2026-09-27",
               "城关街道党工委", "城关街道党工委副书记", "", "城关街道党代表工作室", "第一代表小组", "组长", "",
               "陕西宝鸡", "1998-07", "1996-08", "大学", "处级领导干部"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def change_delegate_status(session: Session, actor, delegate_id: int, target: str, reason: str | None,
                           decision: DecisionRecord, today: date, now: datetime) -> list[Blocker]:
    """资格终止 / 停止执行代表职务 with the committee's decision record; audited. Blockers: nothing written."""
    require(can_manage_delegates(actor), "只有组织部工作人员可以变更代表状态。")
    with transaction(session):
        d = _get(session, TermDelegate, delegate_id, "代表")
        blockers = check_status_change(d.status, target, reason, decision, today)
        if blockers:
            return blockers
        before = d.status
        d.status, d.status_reason = target, str(reason)
        d.status_issuer, d.status_doc_no = decision.issuer.strip(), decision.doc_no.strip()
        d.status_decided_on = decision.decided_on
        session.add(DelegateStatusChange(delegate_id=d.id, from_status=before, to_status=target, reason=str(reason),
                                         issuer=d.status_issuer, doc_no=d.status_doc_no,
                                         decided_on=decision.decided_on, filed_upward_to=decision.filed_upward_to,
                                         actor_id=actor.id, at=now))
        audit(session, actor, "duties.delegate.status", d,
              summary=f"代表{d.name}：{DelegateStatus(target).label}（{StatusReason(reason).label}，{d.status_doc_no}）",
              before={"status": before}, after={"status": target, "reason": reason, "doc_no": d.status_doc_no},
              now=now)
    return []


# 补选: the pipeline's stages in a shortened timeline — days from the start for each stage's due date.
# 待定 (docs/rules.md §6 gives no durations): about a month instead of the usual quarter.
BY_ELECTION_DAYS = {"plan": 2, "deploy": 4, "nominate": 9, "shortlist": 11, "vet": 16, "preliminary": 18,
                    "confirm": 21, "ballot": 25, "report": 28}


def by_election_dues(session: Session, start: date) -> dict[str, date]:
    """The 补选's timeline from its start: each stage BY_ELECTION_DAYS calendar days on, moved to the next working
    day when that falls on a weekend or holiday (docs/rules.md §3.5 工作日)."""
    from election.calendar.services import load_calendar

    calendar = load_calendar(session)
    try:
        return {s: calendar.next_working_day(start + timedelta(days=k)) for s, k in BY_ELECTION_DAYS.items()}
    except DomainError as exc:
        raise ServiceError(exc.message) from None


def vacancies_of_unit(session: Session, delegate: TermDelegate) -> list[TermDelegate]:
    """Vacant seats (资格终止, no 补选 yet) of the same electing unit and congress as ``delegate``."""
    return list(session.scalars(select(TermDelegate).where(
        TermDelegate.congress == delegate.congress, TermDelegate.electing_unit == delegate.electing_unit,
        TermDelegate.status == DelegateStatus.terminated.value, TermDelegate.by_election_id.is_(None))
        .order_by(TermDelegate.id)))


def start_by_election(session: Session, actor, delegate_id: int, start: date, now: datetime,
                      unit_id: int | None = None, title: str | None = None):
    """A 补选 for the original unit from a vacancy: a new Election with the seats to fill (every open vacancy of the
    same unit and congress), the unit's allocation and a shortened timeline, linked back to the vacancies.

    Reuses the election use cases (each its own transaction); the link to the vacancies is the last step.
    """
    from election.elections.services import (
        AllocationRow,
        ElectionSetup,
        create_election,
        set_allocations,
        set_timeline,
    )

    require(can_manage_delegates(actor) and can_manage_elections(actor), "只有组织部工作人员可以启动补选。")
    d = _get(session, TermDelegate, delegate_id, "代表")
    if not vacancy_opens(d.status):
        raise ServiceError(f"代表{d.name}目前为“{DelegateStatus(d.status).label}”，没有空缺名额，不能启动补选"
                           "（只有资格终止才出缺）。")
    if d.by_election_id is not None:
        raise ServiceError(f"代表{d.name}的空缺已启动补选（选举编号{d.by_election_id}），请勿重复启动。")
    seats = vacancies_of_unit(session, d)
    unit_id = unit_id or d.electing_unit_id or session.scalar(select(Unit.id).where(Unit.name == d.electing_unit))
    if unit_id is None:
        raise ServiceError(f"系统中没有选举单位“{d.electing_unit}”，请先在单位管理中建立该单位，或选择原选举单位。")
    n = len(seats)
    dues = by_election_dues(session, start)
    # 年龄计算基准日: the 补选's election day, as for any election (docs/rules.md §3.2), shown on its plan
    setup = ElectionSetup(title=title or f"{d.electing_unit}补选{d.congress}代表", seats=n,
                          level={"市": "市", "区": "区", "镇": "乡镇"}[d.level], electing_body=d.electing_unit,
                          age_reference_date=dues["ballot"])
    election = create_election(session, actor, setup, now)
    # 来源: docs/rules.md §3.1 — a unit's list ≥ 50% more than its seats (rounded up)
    set_allocations(session, actor, election.id, [AllocationRow(unit_id, n, min_candidates(n, Fraction(1, 2)), {})],
                    now)
    set_timeline(session, actor, election.id, dues, now)
    with transaction(session):
        for v in seats:
            v.by_election_id = election.id
        audit(session, actor, "duties.by_election.start", election,
              summary=f"因{'、'.join(v.name for v in seats)}资格终止，启动{d.electing_unit}补选（{n}名）",
              after={"vacancies": [v.id for v in seats], "election_id": election.id}, now=now)
    return election
