"""代表任期履职 use cases (issue 8): delegates, rule sets, activities, rankings, petitions, proposals, review, 补选.

One function = one use case = one ``transaction`` + one ``audit`` entry. The rules themselves are pure and
live in ``workflow.duties`` / ``workflow.duties.petitions`` / ``workflow.duties.delegate_status``; this module maps rows to
their plain data and back. Points always come from the rule-set version in force on the activity's date.
"""
from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, case, func, literal, or_, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from election.accounts.models import User
from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import NotFound, PermissionDenied, ServiceError
from election.core.permissions import can_manage_elections, has_role, require
from election.core.roles import Role
from election.directory.models import DelegateOffice, Unit
from election.duties.models import (
    LEVELS,
    RATINGS,
    ActivityAttachment,
    ActivityRecord,
    AnnualSummary,
    DelegateStatusChange,
    DutyRuleSetVersion,
    ModelNomination,
    OfficeRuleAssignment,
    Petition,
    Proposal,
    ProposalCosigner,
    ReviewRating,
    TermDelegate,
)
from workflow import duties as wd
from workflow.common.results import Blocker, DomainError
from workflow.duties.delegate_status import (
    DecisionRecord,
    DelegateStatus,
    StatusReason,
    check_status_change,
    vacancy_opens,
)
from workflow.duties.petitions import (
    PetitionFacts,
    PetitionLimits,
    PetitionState,
    PetitionTimes,
    check_petition_transition,
    petition_overdue,
)
from workflow.pipeline.ratios import min_candidates

DEFAULT_RULESET = "yantian"  # 来源: issue 8 demo ("a year of activities under the 盐田 rules"); our default
SOURCE = "domain.md §6"


# ============================================================================================ permissions
def can_manage_rules(user) -> bool:
    """Rule sets are edited by the 管理员 (issue 8)."""
    return has_role(user, Role.admin)


def can_manage_delegates(user) -> bool:
    """Delegate roll, status changes, 补选, model decisions: the 组织部 (管理员, 选举办)."""
    return has_role(user, Role.admin, Role.office)


def can_view_duties(user) -> bool:
    return has_role(user, Role.admin, Role.office, Role.studio, Role.auditor)


def can_staff_office(user, office_id: int | None) -> bool:
    """Verify activities, handle petitions, rate: the 组织部, or the office's own staff (scoped to office_id)."""
    if has_role(user, Role.admin, Role.office):
        return True
    return has_role(user, Role.studio) and office_id is not None and user.office_id == office_id


def can_log_for(user, delegate: TermDelegate) -> bool:
    """A delegate logs his or her own activities; office staff log them for the delegates of their office."""
    if has_role(user, Role.delegate):
        return delegate.user_id == user.id
    return can_staff_office(user, delegate.office_id)


def office_scope(user) -> int | None:
    """The office a studio user is limited to (None: all offices)."""
    return user.office_id if has_role(user, Role.studio) else None


def delegate_of_user(session: Session, user) -> TermDelegate | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(select(TermDelegate).where(TermDelegate.user_id == user.id))


def _get(session: Session, model, obj_id: int, what: str):
    obj = session.get(model, obj_id)
    if obj is None:
        raise NotFound(f"{what}不存在。")
    return obj


def _raise_blockers(blockers: Sequence[Blocker]) -> None:
    if blockers:
        raise ServiceError("；".join(b.message for b in blockers))


# ============================================================================================ rule sets
def ruleset_to_dict(rs: wd.DutyRuleSet) -> dict:
    """A rule set as JSON-able data (what ``DutyRuleSetVersion.data`` stores)."""
    def points(t: wd.ActivityType):
        return t.points if isinstance(t.points, int) else [[g, p] for g, p in t.points]

    review = None
    if rs.annual_review is not None:
        ar = rs.annual_review
        review = {"summary_due": list(ar.summary_due), "record_due": list(ar.record_due),
                  "parts": [[p.code, p.label, p.rated_by] for p in ar.parts],
                  "model_share": [ar.model_share.numerator, ar.model_share.denominator],
                  "nominations_due": list(ar.nominations_due)}
    return {
        "code": rs.code, "name": rs.name, "version_from": rs.version_from.isoformat(),
        "activity_types": [{"code": t.code, "label": t.label, "points": points(t), "yearly_cap": t.yearly_cap,
                            "group": t.group, "co_signer_code": t.co_signer_code, "note": t.note}
                           for t in rs.activity_types],
        "requirements": [{"code": r.code, "label": r.label, "min_count": r.min_count, "period": r.period.value,
                          "types": list(r.types), "group": r.group, "due": list(r.due) if r.due else None}
                         for r in rs.requirements],
        "scoring_year_start": list(rs.scoring_year_start), "publication": rs.publication.value,
        "ranked_within": list(rs.ranked_within), "annual_review": review, "notes": list(rs.notes),
    }


def ruleset_from_dict(data: dict) -> wd.DutyRuleSet:
    """The inverse of ``ruleset_to_dict``; raises ``DomainError`` (Chinese) on bad data."""
    try:
        types = tuple(wd.ActivityType(
            t["code"], t["label"], t["points"] if isinstance(t["points"], int) else tuple(map(tuple, t["points"])),
            yearly_cap=t.get("yearly_cap"), group=t.get("group", ""), co_signer_code=t.get("co_signer_code"),
            note=t.get("note", "")) for t in data["activity_types"])
        reqs = tuple(wd.Requirement(r["code"], r["label"], r["min_count"], r["period"], types=tuple(r.get("types") or ()),
                                    group=r.get("group", ""), due=tuple(r["due"]) if r.get("due") else None)
                     for r in data.get("requirements", ()))
        review = None
        if data.get("annual_review"):
            ar = data["annual_review"]
            review = wd.AnnualReview(tuple(ar["summary_due"]), tuple(ar["record_due"]),
                                     tuple(wd.ReviewPart(*p) for p in ar["parts"]),
                                     Fraction(*ar["model_share"]), tuple(ar["nominations_due"]))
        return wd.DutyRuleSet(code=data["code"], name=data["name"], version_from=date.fromisoformat(data["version_from"]),
                              activity_types=types, requirements=reqs,
                              scoring_year_start=tuple(data.get("scoring_year_start", (1, 1))),
                              publication=data.get("publication", "quarter"),
                              ranked_within=tuple(data.get("ranked_within", ("office",))), annual_review=review,
                              notes=tuple(data.get("notes", ())))
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(f"规则集数据不完整或格式错误（{exc}），请检查后重新保存", code="duties.ruleset.bad_data") from exc


def load_rulebooks(session: Session) -> dict[str, wd.RuleBook]:
    """code → RuleBook: the stored versions; the presets (盐田, 凤县, 印台) where nothing is stored yet. One query."""
    stored: dict[str, list[wd.DutyRuleSet]] = {}
    for row in session.scalars(select(DutyRuleSetVersion).order_by(DutyRuleSetVersion.code,
                                                                  DutyRuleSetVersion.version_from)):
        stored.setdefault(row.code, []).append(ruleset_from_dict(row.data))
    books = {code: wd.RuleBook.of(rs) for code, rs in wd.PRESETS.items()}
    books.update({code: wd.RuleBook(tuple(versions)) for code, versions in stored.items()})
    return books


@dataclass(frozen=True)
class RuleAssignments:
    """Which rule set applies to a delegate: the office's, else the level's, else the default."""

    by_office: dict[int, str]
    by_level: dict[str, str]
    default: str = DEFAULT_RULESET

    def code_for(self, office_id: int | None, level: str) -> str:
        if office_id is not None and office_id in self.by_office:
            return self.by_office[office_id]
        return self.by_level.get(level, self.default)


def load_assignments(session: Session) -> RuleAssignments:
    rows = session.execute(select(OfficeRuleAssignment.office_id, OfficeRuleAssignment.level,
                                  OfficeRuleAssignment.ruleset_code)).all()
    return RuleAssignments({o: c for o, lv, c in rows if o is not None}, {lv: c for o, lv, c in rows if lv is not None})


def book_for(session: Session, delegate: TermDelegate) -> wd.RuleBook:
    books = load_rulebooks(session)
    code = load_assignments(session).code_for(delegate.office_id, delegate.level)
    return books.get(code) or books[DEFAULT_RULESET]


def save_ruleset_version(session: Session, actor, version: wd.DutyRuleSet, today: date, now: datetime) -> list[Blocker]:
    """A new version of a rule set, in force from its date (never before today: past scores never change)."""
    require(can_manage_rules(actor), "只有管理员可以修改履职规则。")
    with transaction(session):
        books = load_rulebooks(session)
        book = books.get(version.code)
        if book is None:
            blockers = wd.check_ruleset(version.activity_types, version.requirements)
        else:
            blockers = wd.check_new_version(book, version, today)
        if blockers:
            return blockers
        stored = set(session.scalars(select(DutyRuleSetVersion.code)))
        if book is not None and version.code not in stored:  # the preset becomes the first stored version
            for old in book.versions:
                session.add(DutyRuleSetVersion(code=old.code, name=old.name, version_from=old.version_from,
                                               data=ruleset_to_dict(old), created_by_id=actor.id, created_at=now))
        row = DutyRuleSetVersion(code=version.code, name=version.name, version_from=version.version_from,
                                 data=ruleset_to_dict(version), created_by_id=actor.id, created_at=now)
        session.add(row)
        audit(session, actor, "duties.ruleset.version", row,
              summary=f"履职规则“{version.name}”新版本自{wd.cn_date(version.version_from)}起施行",
              after=row.data, now=now)
    return []


def assign_ruleset(session: Session, actor, code: str, now: datetime, *, office_id: int | None = None,
                   level: str | None = None) -> None:
    """Select a rule set for an office, or for a level (市/区/镇)."""
    require(can_manage_rules(actor), "只有管理员可以为工作室或层级选择履职规则。")
    if (office_id is None) == (level is None):
        raise ServiceError("请选择一个党代表工作室或一个层级。")
    if level is not None and level not in LEVELS:
        raise ServiceError("层级只能是市、区或镇。")
    with transaction(session):
        if code not in load_rulebooks(session):
            raise ServiceError(f"履职规则“{code}”不存在，请从列表中选择。")
        where = OfficeRuleAssignment.office_id == office_id if office_id is not None else \
            OfficeRuleAssignment.level == level
        row = session.scalar(select(OfficeRuleAssignment).where(where))
        before = row.ruleset_code if row else None
        if row is None:
            row = OfficeRuleAssignment(office_id=office_id, level=level, ruleset_code=code)
            session.add(row)
        row.ruleset_code = code
        target = f"工作室（编号{office_id}）" if office_id is not None else f"{level}级代表"
        audit(session, actor, "duties.ruleset.assign", row, summary=f"{target}采用履职规则“{code}”",
              before={"code": before}, after={"code": code}, now=now)


# ============================================================================================ delegates
DELEGATE_COLUMNS = (  # (header, required, attribute)
    ("姓名", True, "name"), ("性别", True, "gender"), ("出生年月", False, "birth_date"), ("民族", False, "ethnicity"),
    ("层级", True, "level"), ("党代会届次", True, "congress"), ("任期开始", True, "term_start"),
    ("任期结束", True, "term_end"), ("选举单位", True, "electing_unit"), ("工作单位及职务", False, "workplace"),
    ("联系电话", False, "phone"), ("党代表工作室", False, "office"), ("代表小组", False, "group_name"),
    ("小组职务", False, "group_role"), ("登录账号", False, "username"),
)
_ALIASES = {"届次": "党代会届次", "工作室": "党代表工作室", "单位及职务": "工作单位及职务", "电话": "联系电话",
            "职务": "小组职务", "账号": "登录账号", "用户名": "登录账号", "出生日期": "出生年月", "选举产生单位": "选举单位"}


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
    from openpyxl import load_workbook

    from election.nominations.readers import RowError, check_workbook_bytes, header_key

    check_workbook_bytes(data)
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        all_rows = list(ws.iter_rows(values_only=True))
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
            if required and not s:
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
        if row_errors:
            errors.extend(row_errors)
            continue
        out.append(DelegateRow(i, name, gender, day("出生年月"), text("民族", limit=32), level, congress, start, end,
                               unit, text("工作单位及职务", limit=200), text("联系电话", limit=32), office_id, group,
                               role, user_id))
    errors.sort()
    return DelegateParse(out, errors)


def wd_parse_date(value: Any) -> date:
    """Excel date cell or text (2021-09-28, 2021.09, 2021年9月) → a date (day 1 when only the month is given)."""
    from workflow.common.dates import parse_partial_date

    p = parse_partial_date(value)
    return date(p.year, p.month, p.day or 1)


def import_delegates(session: Session, actor, data: bytes, now: datetime) -> DelegateParse:
    """Store every row of a delegate roll, or none: the errors come back when there are any."""
    from election.nominations.readers import SheetRejected

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
        from election.nominations.readers import RowError

        clash = [RowError(r.row, "登录账号", "该账号已关联其他代表") for r in parsed.rows if r.user_id in taken]
        if clash:
            return DelegateParse([], clash)
        for r in parsed.rows:
            session.add(TermDelegate(
                name=r.name, gender=r.gender, birth_date=r.birth_date, ethnicity=r.ethnicity, level=r.level,
                congress=r.congress, term_start=r.term_start, term_end=r.term_end, electing_unit=r.electing_unit,
                electing_unit_id=units.get(r.electing_unit), workplace=r.workplace, phone=r.phone,
                office_id=r.office_id, group_name=r.group_name, group_role=r.group_role, user_id=r.user_id,
                created_at=now))
        audit(session, actor, "duties.delegates.import", object_type="term_delegates", object_id="",
              summary=f"导入代表名册{len(parsed.rows)}人", after={"count": len(parsed.rows)}, now=now)
    return parsed


def render_delegate_template() -> bytes:
    """The .xlsx the roll is imported from: the header row and one example."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "代表名册"
    ws.append([h for h, _, _ in DELEGATE_COLUMNS])
    ws.append(["张三", "男", "1975-03", "汉族", "区", "区第十二次党代会", "2021-09-28", "2026-09-27",
               "城关街道党工委", "城关街道党工委副书记", "", "城关街道党代表工作室", "第一代表小组", "组长", ""])
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
# 待定 (domain.md §6 gives no durations): about a month instead of the usual quarter.
BY_ELECTION_DAYS = {"plan": 2, "deploy": 4, "nominate": 9, "shortlist": 11, "vet": 16, "preliminary": 18,
                    "confirm": 21, "ballot": 25, "report": 28}


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
    setup = ElectionSetup(title=title or f"{d.electing_unit}补选{d.congress}代表", seats=n,
                          level={"市": "市", "区": "区", "镇": "乡镇"}[d.level], electing_body=d.electing_unit)
    election = create_election(session, actor, setup, now)
    # 来源: domain.md §3.1 — a unit's list ≥ 50% more than its seats (rounded up)
    set_allocations(session, actor, election.id, [AllocationRow(unit_id, n, min_candidates(n, Fraction(1, 2)), {})],
                    now)
    set_timeline(session, actor, election.id, {s: start + timedelta(days=k) for s, k in BY_ELECTION_DAYS.items()},
                 now)
    with transaction(session):
        for v in seats:
            v.by_election_id = election.id
        audit(session, actor, "duties.by_election.start", election,
              summary=f"因{'、'.join(v.name for v in seats)}资格终止，启动{d.electing_unit}补选（{n}名）",
              after={"vacancies": [v.id for v in seats], "election_id": election.id}, now=now)
    return election


# ============================================================================================ activities
ALLOWED_UPLOADS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
                   ".webp": "image/webp", ".pdf": "application/pdf",
                   ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOADS = 6


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ActivityInput:
    type_code: str
    on: date
    place: str = ""
    description: str = ""
    people: str = ""
    grade: str | None = None


def _sniff(ext: str, data: bytes) -> bool:
    if ext in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext == ".gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if ext == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if ext == ".docx":
        import zipfile

        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return False
        return "word/document.xml" in names and "word/vbaProject.bin" not in names
    return False


def check_uploads(files: Sequence[UploadedFile]) -> list[str]:
    """Every problem with the files, in Chinese (check all, then write all)."""
    problems = []
    files = [f for f in files if f.filename]
    if len(files) > MAX_UPLOADS:
        problems.append(f"最多上传{MAX_UPLOADS}个附件，当前{len(files)}个，请删减")
    for f in files:
        ext = os.path.splitext(f.filename)[1].lower()
        if ext not in ALLOWED_UPLOADS:
            problems.append(f"附件“{f.filename}”的类型不支持，只能上传图片（jpg、png、gif、webp）、pdf或docx")
        elif not f.data:
            problems.append(f"附件“{f.filename}”是空文件，请重新选择")
        elif len(f.data) > MAX_UPLOAD_BYTES:
            problems.append(f"附件“{f.filename}”大小为{len(f.data) / 1024 / 1024:.1f} MB，超过5 MB上限，请压缩后再上传")
        elif not _sniff(ext, f.data):
            problems.append(f"附件“{f.filename}”的内容与扩展名不符或已损坏，请重新导出后上传")
    return problems


def _types_of(book: wd.RuleBook, on: date) -> dict[str, wd.ActivityType]:
    try:
        return book.in_force(on).types_by_code
    except DomainError:
        return {}


def log_activity(session: Session, actor, delegate_id: int, data: ActivityInput, files: Sequence[UploadedFile],
                 upload_dir: str | Path, today: date, now: datetime) -> ActivityRecord:
    """A delegate (or office staff) logs an activity; it waits as 待核实."""
    problems = check_uploads(files)
    if data.on > today:
        problems.append(f"活动日期{wd.cn_date(data.on)}晚于今天，请核对")
    if not data.description.strip():
        problems.append("请简要描述活动内容")
    if problems:
        raise ServiceError("；".join(problems))
    written: list[Path] = []
    try:
        with transaction(session):
            d = _get(session, TermDelegate, delegate_id, "代表")
            require(can_log_for(actor, d), "只能为本人或本工作室的代表登记活动。")
            if d.status != DelegateStatus.serving:
                raise ServiceError(f"代表{d.name}目前为“{DelegateStatus(d.status).label}”，不能登记履职活动。")
            types = _types_of(book_for(session, d), data.on)
            t = types.get(data.type_code)
            if t is None:
                raise ServiceError(f"活动类型“{data.type_code}”在{wd.cn_date(data.on)}施行的履职规则中不存在，请重新选择。")
            grade = wd.normalize_grade(data.grade) if t.graded else None
            if t.graded and grade not in t.grades:
                raise ServiceError(f"“{t.label}”按群众满意度计分，请选择满意度。")
            rec = ActivityRecord(delegate_id=d.id, type_code=t.code, on=data.on, place=data.place.strip(),
                                 description=data.description.strip(), people=data.people.strip(), grade=grade,
                                 status=wd.ActivityStatus.pending.value, created_by_id=actor.id, created_at=now)
            session.add(rec)
            session.flush()
            folder = Path(upload_dir)
            folder.mkdir(parents=True, exist_ok=True)
            for f in files:
                if not f.filename:
                    continue
                ext = os.path.splitext(f.filename)[1].lower()
                stored = secrets.token_hex(16) + ext
                path = folder / stored
                path.write_bytes(f.data)
                written.append(path)
                rec.attachments.append(ActivityAttachment(original_name=os.path.basename(f.filename)[:200],
                                                          stored_name=stored, content_type=ALLOWED_UPLOADS[ext],
                                                          size=len(f.data)))
            audit(session, actor, "duties.activity.log", rec,
                  summary=f"{d.name}登记{wd.cn_date(data.on)}的“{t.label}”（待核实）",
                  after={"type": t.code, "on": data.on, "files": len(written)}, now=now)
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return rec


def review_activity(session: Session, actor, activity_id: int, verify: bool, reason: str, now: datetime) -> ActivityRecord:
    """Office staff verify (已核实) or return (已退回, with a reason) a pending activity."""
    if not verify and not reason.strip():
        raise ServiceError("退回活动请填写理由，说明需要补充或更正的内容。")
    with transaction(session):
        rec = _get(session, ActivityRecord, activity_id, "活动")
        require(can_staff_office(actor, rec.delegate.office_id), "只能核实本工作室代表的活动。")
        if rec.status != wd.ActivityStatus.pending:
            raise ServiceError(f"该活动已{wd.ActivityStatus(rec.status).label}，不能重复处理。")
        rec.status = (wd.ActivityStatus.verified if verify else wd.ActivityStatus.returned).value
        rec.return_reason = None if verify else reason.strip()
        rec.verified_by_id, rec.verified_at = actor.id, now
        audit(session, actor, "duties.activity.verify" if verify else "duties.activity.return", rec,
              summary=f"{'核实' if verify else '退回'}{rec.delegate.name}{wd.cn_date(rec.on)}的活动"
                      + ("" if verify else f"：{reason.strip()}"),
              before={"status": "pending"}, after={"status": rec.status}, now=now)
    return rec


def pending_activities(session: Session, actor, limit: int = 200) -> list[ActivityRecord]:
    """The 待核实 queue of the actor's office (all offices for the 组织部). One query."""
    require(can_view_duties(actor))
    q = (select(ActivityRecord).join(TermDelegate, TermDelegate.id == ActivityRecord.delegate_id)
         .where(ActivityRecord.status == wd.ActivityStatus.pending.value)
         .order_by(ActivityRecord.on, ActivityRecord.id).limit(limit))
    scope = office_scope(actor)
    if scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    return list(session.scalars(q).unique())


def type_labels(books: Iterable[wd.RuleBook]) -> dict[str, str]:
    out: dict[str, str] = {}
    for book in books:
        for v in book.versions:
            for t in v.activity_types:
                out.setdefault(t.code, t.label)
    return out


# ============================================================================================ points and rankings
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
    conn = session.connection()
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
    conn = session.connection()
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
    conn = session.connection()
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
    for g in groups:  # 来源: domain.md §6 盐田 (联署提案 3 each, at most 9): min(sum, cap) per delegate and year
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

    wb = Workbook()
    ws = wb.active
    ws.title = "履职积分排名"
    ws.append([f"{view.group_label}代表履职积分排名 {view.period_label}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["名次", "姓名", "党代表工作室", "层级", "积分"])
    for ln in view.lines:
        ws.append([ln.rank_text, ln.name, ln.office, ln.level, ln.points])
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
        reqs = wd.check_requirements(mine, book.in_force(until), delegate.id, ys.start, until)
    acts = list(session.scalars(select(ActivityRecord).where(ActivityRecord.delegate_id == delegate.id)
                                .order_by(ActivityRecord.on.desc(), ActivityRecord.id.desc()).limit(50)).unique())
    return Standing(delegate, year, points.totals.get(delegate.id, 0), rank, size, explain, reqs, acts,
                    type_labels([book]), book.in_force(until).name if book.index_in_force(until) >= 0 else "")


# ============================================================================================ petitions
def _local_day(at: datetime | None) -> date | None:
    return to_local(at).date() if at else None


def petition_times(p: Petition) -> PetitionTimes:
    return PetitionTimes(p.id, PetitionState(p.state), _local_day(p.registered_at), _local_day(p.received_at),
                         _local_day(p.replied_at), _local_day(p.feedback_at))


def petition_facts(p: Petition, form: dict | None = None) -> PetitionFacts:
    f = form or {}
    return PetitionFacts(receiver=f.get("receiver", p.receiver), handler=f.get("handler", p.handler),
                         reply=f.get("reply", p.reply) or "", grade=f.get("grade", p.grade),
                         feedback_note=f.get("feedback_note", p.feedback_note) or "",
                         reason=f.get("reason", "") or "", archive_note=f.get("archive_note", p.archive_note) or "")


@dataclass(frozen=True)
class PetitionInput:
    resident_name: str
    content: str
    resident_phone: str = ""
    delegate_id: int | None = None
    office_id: int | None = None


def register_petition(session: Session, actor, data: PetitionInput, now: datetime) -> Petition:
    """登记 a resident's petition at an office."""
    problems = []
    if not data.resident_name.strip():
        problems.append("请填写群众姓名")
    if not data.content.strip():
        problems.append("请填写诉求内容")
    if problems:
        raise ServiceError("；".join(problems))
    office_id = office_scope(actor) or data.office_id
    require(can_staff_office(actor, office_id), "只能在本工作室登记群众诉求。")
    with transaction(session):
        if office_id is None or session.get(DelegateOffice, office_id) is None:
            raise ServiceError("请选择受理诉求的党代表工作室。")
        if data.delegate_id is not None:
            d = _get(session, TermDelegate, data.delegate_id, "代表")
            if d.office_id != office_id:
                raise ServiceError(f"代表{d.name}不属于本工作室，请选择本工作室的代表。")
        p = Petition(office_id=office_id, delegate_id=data.delegate_id, resident_name=data.resident_name.strip(),
                     resident_phone=data.resident_phone.strip(), content=data.content.strip(),
                     state=PetitionState.registered.value, registered_at=now, created_by_id=actor.id)
        session.add(p)
        audit(session, actor, "duties.petition.register", p, summary=f"登记群众诉求（{p.resident_name}）", now=now)
    return p


_STEP_TIME = {PetitionState.received: "received_at", PetitionState.processing: "processing_at",
              PetitionState.replied: "replied_at", PetitionState.feedback: "feedback_at",
              PetitionState.archived: "archived_at"}


def move_petition(session: Session, actor, petition_id: int, target: str, form: dict, now: datetime) -> list[Blocker]:
    """One step of the six (or 反馈 → 处理 again); the 反馈's satisfaction grade earns the delegate 诉求解决 points."""
    with transaction(session):
        p = _get(session, Petition, petition_id, "诉求")
        require(can_staff_office(actor, p.office_id), "只能办理本工作室的群众诉求。")
        try:
            target_state = PetitionState(target)
        except ValueError:
            return [Blocker("petition.transition.illegal", "目标步骤无效，请刷新页面后重试", SOURCE)]
        facts = petition_facts(p, form)
        blockers = check_petition_transition(p.state, target_state, facts)
        if blockers:
            return blockers
        before = p.state
        for name in ("receiver", "handler", "reply", "feedback_note", "archive_note"):
            if name in form and form[name] is not None:
                setattr(p, name, str(form[name]).strip())
        if target_state is PetitionState.feedback:
            p.grade = wd.normalize_grade(form.get("grade")) or None
        if target_state is PetitionState.processing and before == PetitionState.feedback:
            p.return_reason = (form.get("reason") or "").strip()
            p.feedback_at = None  # the matter is handled again; the next 反馈 is recorded afresh
            p.replied_at = None
        p.state = target_state.value
        setattr(p, _STEP_TIME[target_state], now)
        if target_state is PetitionState.feedback and p.delegate_id is not None and p.grade:
            day = _local_day(now)
            rec = session.scalar(select(ActivityRecord).where(ActivityRecord.petition_id == p.id))
            if rec is None:
                rec = ActivityRecord(delegate_id=p.delegate_id, type_code="resolve_petition", petition_id=p.id,
                                     description=f"群众诉求办理（{p.resident_name}）：{p.content[:100]}",
                                     created_by_id=actor.id, created_at=now)
                session.add(rec)
            rec.on, rec.grade, rec.status = day, p.grade, wd.ActivityStatus.verified.value
            rec.verified_by_id, rec.verified_at = actor.id, now
        audit(session, actor, "duties.petition.move", p,
              summary=f"群众诉求（{p.resident_name}）：{PetitionState(before).label} → {target_state.label}",
              before={"state": before}, after={"state": p.state, "grade": p.grade}, now=now)
    return []


def list_petitions(session: Session, actor, limit: int = 300) -> list[Petition]:
    require(can_view_duties(actor), "您没有查看群众诉求的权限。")
    q = select(Petition).order_by(Petition.registered_at.desc(), Petition.id.desc()).limit(limit)
    scope = office_scope(actor)
    if scope is not None:
        q = q.where(Petition.office_id == scope)
    return list(session.scalars(q).unique())


def overdue_of(petitions: Iterable[Petition], today: date, limits: PetitionLimits) -> dict[int, list]:
    return {p.id: petition_overdue(petition_times(p), today, limits) for p in petitions}


def enabled_moves(p: Petition) -> tuple[PetitionState, ...]:
    """Next steps offered as buttons (each with its own form fields; the POST runs the same check)."""
    from workflow.duties.petitions import next_states

    return () if p.state == PetitionState.archived else next_states(p.state)


# ============================================================================================ proposals
@dataclass(frozen=True)
class ProposalInput:
    lead_delegate_id: int
    title: str
    grounds: str
    solution: str
    submitted_on: date
    cosigner_ids: tuple[int, ...] = ()
    handling_unit: str = ""
    kind: str = "proposal"


def create_proposal(session: Session, actor, data: ProposalInput, now: datetime) -> Proposal:
    """提案/提议 with its lead and co-signers; each earns points under its rule set (联署 capped, e.g. at 9)."""
    problems = [f"请填写{label}" for label, v in (("案由", data.title), ("案据", data.grounds), ("方案", data.solution))
                if not v.strip()]
    if data.lead_delegate_id in data.cosigner_ids:
        problems.append("领衔代表不能同时作为联署代表")
    if data.kind not in ("proposal", "motion"):
        problems.append("类型只能是提案或提议")
    if problems:
        raise ServiceError("；".join(problems))
    with transaction(session):
        lead = _get(session, TermDelegate, data.lead_delegate_id, "领衔代表")
        require(can_log_for(actor, lead), "只能为本人或本工作室的代表登记提案。")
        cos = list(session.scalars(select(TermDelegate).where(TermDelegate.id.in_(data.cosigner_ids))))
        if len(cos) != len(set(data.cosigner_ids)):
            raise ServiceError("联署代表中有不存在的代表，请重新选择。")
        inactive = [d.name for d in [lead, *cos] if d.status != DelegateStatus.serving]
        if inactive:
            raise ServiceError(f"{'、'.join(inactive)}不在任，不能领衔或联署。")
        p = Proposal(kind=data.kind, lead_delegate_id=lead.id, title=data.title.strip(), grounds=data.grounds.strip(),
                     solution=data.solution.strip(), submitted_on=data.submitted_on,
                     handling_unit=data.handling_unit.strip(), created_by_id=actor.id, created_at=now)
        p.cosigners = [ProposalCosigner(delegate_id=d.id) for d in cos]
        session.add(p)
        session.flush()
        # 来源: domain.md §6 盐田 — 领衔提案 10, 联署提案 3 each (≤ 9 a year), 提议 3
        code = "lead_proposal" if data.kind == "proposal" else "motion"
        staff = not has_role(actor, Role.delegate)
        for d, role in [(lead, "lead"), *((d, "co_signer") for d in cos)]:
            if data.kind == "motion" and role == "co_signer":
                continue
            session.add(ActivityRecord(
                delegate_id=d.id, type_code=code, on=data.submitted_on, role=role, proposal_id=p.id,
                description=f"{'领衔' if role == 'lead' else '联署'}{'提案' if data.kind == 'proposal' else '提议'}：{p.title}",
                status="verified" if staff else "pending", verified_by_id=actor.id if staff else None,
                verified_at=now if staff else None, created_by_id=actor.id, created_at=now))
        audit(session, actor, "duties.proposal.create", p,
              summary=f"{lead.name}领衔{'提案' if data.kind == 'proposal' else '提议'}“{p.title}”，联署{len(cos)}人",
              after={"cosigners": [d.id for d in cos]}, now=now)
    return p


def reply_proposal(session: Session, actor, proposal_id: int, handling_unit: str, reply: str, replied_on: date,
                   now: datetime) -> Proposal:
    if not reply.strip() or not handling_unit.strip():
        raise ServiceError("请填写承办单位和答复内容。")
    with transaction(session):
        p = _get(session, Proposal, proposal_id, "提案")
        require(can_staff_office(actor, p.lead.office_id), "只能登记本工作室代表提案的答复。")
        if replied_on < p.submitted_on:
            raise ServiceError("答复日期早于提出日期，请核对。")
        p.handling_unit, p.reply, p.replied_on = handling_unit.strip(), reply.strip(), replied_on
        audit(session, actor, "duties.proposal.reply", p, summary=f"登记“{p.title}”的答复（{p.handling_unit}）", now=now)
    return p


def assess_proposal(session: Session, actor, proposal_id: int, assessment: str, now: datetime) -> Proposal:
    """The lead delegate's (or the office's) assessment of the reply: 非常满意 / 基本满意 / 不满意."""
    grade = wd.normalize_grade(assessment)
    if grade not in {g.value for g in wd.SatisfactionGrade}:
        raise ServiceError("请选择对答复的评价：非常满意、基本满意或不满意。")
    with transaction(session):
        p = _get(session, Proposal, proposal_id, "提案")
        require(can_log_for(actor, p.lead), "只有领衔代表或本工作室工作人员可以评价答复。")
        if p.replied_on is None:
            raise ServiceError("承办单位尚未答复，不能评价。")
        p.assessment = grade
        audit(session, actor, "duties.proposal.assess", p,
              summary=f"对“{p.title}”的答复评价为{wd.SatisfactionGrade(grade).label}", now=now)
    return p


# ============================================================================================ annual review
def submit_summary(session: Session, actor, delegate_id: int, year: int, text: str, now: datetime) -> AnnualSummary:
    """个人履职总结 (凤县: by 12月15日); counts as the ``personal_summary`` activity where the rule set has it."""
    if not text.strip():
        raise ServiceError("请填写个人履职总结。")
    with transaction(session):
        d = _get(session, TermDelegate, delegate_id, "代表")
        require(can_log_for(actor, d), "只能提交本人或本工作室代表的履职总结。")
        row = session.scalar(select(AnnualSummary).where(AnnualSummary.delegate_id == d.id, AnnualSummary.year == year))
        if row is None:
            row = AnnualSummary(delegate_id=d.id, year=year, text=text.strip(), submitted_at=now)
            session.add(row)
            day = _local_day(now)
            if "personal_summary" in _types_of(book_for(session, d), day) and day.year == year:
                session.add(ActivityRecord(delegate_id=d.id, type_code="personal_summary", on=day, status="verified",
                                           description=f"{year}年度个人履职总结", verified_by_id=actor.id,
                                           verified_at=now, created_by_id=actor.id, created_at=now))
        else:
            row.text, row.submitted_at = text.strip(), now
        audit(session, actor, "duties.review.summary", row, summary=f"{d.name}提交{year}年度个人履职总结", now=now)
    return row


REVIEW_PARTS = wd.FENGXIAN.annual_review.parts  # 来源: domain.md §6 凤县 — four parts, each rated by its body


def rate_part(session: Session, actor, delegate_id: int, year: int, part_code: str, rating: str, body: str,
              comment: str, now: datetime) -> ReviewRating:
    """Rate one part of the 履职纪实表 (by the body that part belongs to)."""
    parts = {p.code: p for p in REVIEW_PARTS}
    if part_code not in parts:
        raise ServiceError("履职纪实表没有这一部分，请从列表中选择。")
    if rating not in RATINGS:
        raise ServiceError("评定等次只能是优秀、良好、合格或不合格。")
    with transaction(session):
        d = _get(session, TermDelegate, delegate_id, "代表")
        require(can_staff_office(actor, d.office_id), "只能评定本工作室代表的履职纪实表。")
        row = session.scalar(select(ReviewRating).where(ReviewRating.delegate_id == d.id, ReviewRating.year == year,
                                                       ReviewRating.part_code == part_code))
        if row is None:
            row = ReviewRating(delegate_id=d.id, year=year, part_code=part_code)
            session.add(row)
        row.rating, row.rated_by_body = rating, (body.strip() or parts[part_code].rated_by)
        row.comment, row.rated_by_id, row.rated_at = comment.strip(), actor.id, now
        audit(session, actor, "duties.review.rate", row,
              summary=f"{d.name}{year}年度“{parts[part_code].label}”评定为{rating}（{row.rated_by_body}）", now=now)
    return row


def propose_model_delegates(session: Session, actor, year: int, unit_name: str, delegate_ids: Sequence[int],
                            now: datetime) -> list[Blocker]:
    """A unit's 模范履职党代表 list: at most 25% of its serving delegates, rounded down — refused otherwise."""
    require(can_manage_delegates(actor), "只有组织部工作人员可以登记各单位的推荐名单。")
    ids = list(dict.fromkeys(delegate_ids))
    with transaction(session):
        members = {d.id: d for d in session.scalars(select(TermDelegate).where(
            TermDelegate.electing_unit == unit_name, TermDelegate.status == DelegateStatus.serving.value))}
        if not members:
            raise ServiceError(f"单位“{unit_name}”没有在任代表。")
        outside = [i for i in ids if i not in members]
        if outside:
            raise ServiceError("推荐名单中有不属于本单位或不在任的代表，请重新选择。")
        blockers = wd.check_model_nominations(len(members), len(ids))
        if blockers:
            return blockers
        existing = {n.delegate_id: n for n in session.scalars(select(ModelNomination).where(
            ModelNomination.year == year, ModelNomination.unit_name == unit_name))}
        if any(n.decision != "pending" for n in existing.values()):
            raise ServiceError("组织部已对本单位的推荐作出决定，不能再修改推荐名单。")
        for did, n in existing.items():
            if did not in ids:
                session.delete(n)
        for did in ids:
            if did not in existing:
                session.add(ModelNomination(year=year, delegate_id=did, unit_name=unit_name, proposed_by_id=actor.id,
                                            proposed_at=now))
        audit(session, actor, "duties.model.propose", object_type="duty_model_nominations", object_id=f"{year}",
              summary=f"{unit_name}推荐{year}年度模范履职党代表{len(ids)}名（在任代表{len(members)}名）",
              after={"unit": unit_name, "delegates": ids}, now=now)
    return []


def decide_model_delegate(session: Session, actor, nomination_id: int, approve: bool, now: datetime) -> ModelNomination:
    require(can_manage_delegates(actor), "由组织部决定模范履职党代表。")
    with transaction(session):
        n = _get(session, ModelNomination, nomination_id, "推荐")
        if n.decision != "pending":
            raise ServiceError("该推荐已作出决定。")
        n.decision, n.decided_by_id, n.decided_at = ("approved" if approve else "rejected"), actor.id, now
        audit(session, actor, "duties.model.decide", n,
              summary=f"{'确定' if approve else '不同意'}{n.delegate.name}为{n.year}年度模范履职党代表", now=now)
    return n


def render_duty_record(delegate: TermDelegate, year: int, points_lines: list[str], part_activities: dict[str, list[str]],
                       ratings: dict[str, ReviewRating], summary: str, office_name: str) -> bytes:
    """履职纪实表 (.docx, GB/T 9704 page): the delegate, the four parts with their activities and ratings, the
    个人履职总结. 来源: domain.md §6 凤县."""
    from election.documents import gbt9704 as g

    Row, Cell = g.Row, g.Cell
    widths = (28, 62, 33, 33)
    birth = g.format_month_table(delegate.birth_date) if delegate.birth_date else ""
    rows = [
        Row((Cell("姓名"), Cell(delegate.name), Cell("性别"), Cell(delegate.gender)), 10),
        Row((Cell("出生年月"), Cell(birth), Cell("层级"), Cell(f"{delegate.level}级")), 10),
        Row((Cell("选举单位"), Cell(delegate.electing_unit, span=3, align="left")), 10),
        Row((Cell("党代表\n工作室"), Cell(office_name, span=3, align="left")), 10),
        Row((Cell("履职内容", bold=True), Cell("主要活动", bold=True), Cell("评定等次", bold=True),
             Cell("评定机关", bold=True)), 10),
    ]
    for part in REVIEW_PARTS:
        acts = part_activities.get(part.code) or ["（无记录）"]
        r = ratings.get(part.code)
        rows.append(Row((Cell(part.label), Cell(lines=tuple((a, "left") for a in acts), valign="top"),
                         Cell(r.rating if r else ""), Cell(r.rated_by_body if r else part.rated_by)), 22))
    rows.append(Row((Cell("积分情况"), Cell(lines=tuple((x, "left") for x in points_lines) or (("", "left"),),
                                        span=3, valign="top")), 20))
    rows.append(Row((Cell("个人履职\n总结"), Cell(lines=tuple((x, "left") for x in (summary or "（未提交）").split("\n")),
                                           span=3, valign="top")), 40))
    doc = g.OfficialDocument(title=f"{delegate.name}{year}年度履职纪实表")
    doc.title(f"党代表履职纪实表（{year}年度）", after_twips=240)
    doc.grid_table(widths, rows)
    return doc.to_bytes()


def render_bulletin(year: int, names: Sequence[str], issuer: str, on: date) -> bytes:
    """通报: the 模范履职党代表 the 组织部 decided, names in 姓氏笔画 order."""
    from election.documents import gbt9704 as g
    from workflow.common.strokes import sort_names

    doc = g.OfficialDocument(title=f"关于{year}年度模范履职党代表的通报")
    doc.title(f"关于{year}年度模范履职党代表的通报")
    doc.blank()
    doc.addressee("各党（工）委，各党代表工作室")
    doc.paragraph(f"{year}年，全区广大党代表认真履行代表职责，积极参加驻室接访、视察调研、联系服务群众等活动，"
                  "涌现出一批履职尽责的先进典型。根据党代表履职积分和年度考评情况，经各单位推荐、组织部审核，"
                  f"决定对以下{len(names)}名模范履职党代表予以通报表扬（按姓氏笔画排序）：")
    ordered = sort_names(names)
    for i in range(0, len(ordered), 5):
        doc.paragraph("\u3000".join(ordered[i:i + 5]))
    doc.paragraph("希望受到通报表扬的党代表珍惜荣誉、再接再厉。广大党代表要以他们为榜样，切实发挥党代表作用。")
    doc.signature(issuer, on)
    return doc.to_bytes()


@dataclass
class ReviewBoard:
    year: int
    delegates: list[TermDelegate]
    summaries: dict[int, AnnualSummary]
    ratings: dict[tuple[int, str], ReviewRating]
    nominations: list[ModelNomination]
    units: dict[str, int] = field(default_factory=dict)  # unit → serving delegates

    def cap(self, unit: str) -> int:
        return wd.max_model_delegates(self.units.get(unit, 0))


def review_board(session: Session, actor, year: int) -> ReviewBoard:
    """Everything of the annual review page in four queries, scoped to the studio's office."""
    require(can_view_duties(actor), "您没有查看年度考评的权限。")
    q = select(TermDelegate).where(TermDelegate.status == "serving").order_by(TermDelegate.electing_unit,
                                                                            TermDelegate.id)
    scope = office_scope(actor)
    if scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    people = list(session.scalars(q).unique())
    ids = [d.id for d in people]
    summaries = {s.delegate_id: s for s in session.scalars(select(AnnualSummary).where(
        AnnualSummary.year == year, AnnualSummary.delegate_id.in_(ids)))}
    ratings = {(r.delegate_id, r.part_code): r for r in session.scalars(select(ReviewRating).where(
        ReviewRating.year == year, ReviewRating.delegate_id.in_(ids)))}
    noms = list(session.scalars(select(ModelNomination).where(ModelNomination.year == year,
                                                              ModelNomination.delegate_id.in_(ids))
                                .order_by(ModelNomination.unit_name, ModelNomination.id)).unique())
    units: dict[str, int] = {}
    for d in people:
        units[d.electing_unit] = units.get(d.electing_unit, 0) + 1
    return ReviewBoard(year, people, summaries, ratings, noms, units)


def duty_record_for(session: Session, actor, delegate_id: int, year: int) -> bytes:
    d = _get(session, TermDelegate, delegate_id, "代表")
    if not (can_staff_office(actor, d.office_id) or d.user_id == getattr(actor, "id", None)):
        raise NotFound("代表不存在。")  # out of scope answers like a missing id: no existence oracle
    book = book_for(session, d)
    ys = book.scoring_year(year)
    acts = list(session.scalars(select(ActivityRecord).where(
        ActivityRecord.delegate_id == d.id, ActivityRecord.on >= ys.start, ActivityRecord.on <= ys.end,
        ActivityRecord.status == "verified").order_by(ActivityRecord.on)).unique())
    labels = type_labels([book, wd.RuleBook.of(wd.FENGXIAN)])
    groups = {t.code: t.group for v in book.versions for t in v.activity_types}
    part_of_group = {"联系群众": "contact_masses", "参政议政": "county_activity", "服务奉献": "exemplary",
                     "参加县委活动": "county_activity", "驻室活动": "office_activity", "模范带头": "exemplary",
                     "四个一": "contact_masses"}
    per_part: dict[str, list[str]] = {}
    for a in acts:
        code = a.type_code if a.type_code in {p.code for p in REVIEW_PARTS} else \
            part_of_group.get(groups.get(a.type_code, ""), "")
        if a.type_code == "duty_reception":
            code = "office_activity"
        if code:
            per_part.setdefault(code, []).append(f"{a.on.month}月{a.on.day}日 {labels.get(a.type_code, a.type_code)}")
    points = wd.compute_points([(a.id, a.delegate_id, a.type_code, a.on, a.status, a.grade, a.role) for a in acts],
                               book, year)
    lines = wd.explain(points[d.id], book) if d.id in points else ["合计0分"]
    ratings = {r.part_code: r for r in session.scalars(select(ReviewRating).where(
        ReviewRating.delegate_id == d.id, ReviewRating.year == year))}
    summary = session.scalar(select(AnnualSummary.text).where(AnnualSummary.delegate_id == d.id,
                                                             AnnualSummary.year == year)) or ""
    return render_duty_record(d, year, lines, {k: v[:12] for k, v in per_part.items()}, ratings, summary,
                              d.office.name if d.office else "")


def bulletin_for(session: Session, actor, year: int, issuer: str, on: date) -> bytes:
    require(can_manage_delegates(actor), "由组织部印发通报。")
    names = list(session.scalars(select(TermDelegate.name).join(ModelNomination,
                                                                ModelNomination.delegate_id == TermDelegate.id)
                                 .where(ModelNomination.year == year, ModelNomination.decision == "approved")))
    if not names:
        raise ServiceError(f"{year}年度还没有确定的模范履职党代表，请先作出决定。")
    return render_bulletin(year, names, issuer, on)

