"""Use cases of 考察, the two 公示 and complaints, and the documents they print (issue 6).

One function = one use case = one transaction + one audit entry (style.md §4.4). Pure checks (`check_*`)
return ``list[Blocker]``. Names on every list are in 姓氏笔画 order (workflow.common.strokes, domain.md §3.4) with the
election's two-character-name setting; no posting document carries an ID number (domain.md §3.5).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.calendar.services import load_calendar
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.directory.models import ElectionUnit, Unit
from election.documents.data import (
    ContactOffice,
    NoticeData,
    PersonRow,
    RegistrationFormData,
    ReportData,
    ReportSection,
    ReportStat,
)
from election.documents.data import NoticeKind as DocNoticeKind
from election.documents.forms import render_registration_forms
from election.documents.notices import render_publicity_notice
from election.documents.reports import render_situation_report
from election.documents.rosters import render_roster, roster_from_people
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting.models import Complaint, InspectorAssignment, Notice, Vetting
from workflow.common.calendar import CalendarMissing
from workflow.common.results import Blocker, DomainError
from workflow.common.strokes import sort_by_name
from workflow.pipeline.guards import ballot_minimum
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree
from workflow.quotas.rules import age_on

SRC_VETTING = "domain.md §5"
SRC_NOTICE = "domain.md §3.5"
NOTICE_WORKING_DAYS = 5  # 来源: domain.md §3.5 (不少于五个工作日, the posting day counted as day 1)


# ----------------------------------------------------------------------------------------------- enums
class Conclusion(StrEnum):
    passed = "passed"
    unfit = "unfit"

    @property
    def label(self) -> str:
        return {"passed": "通过", "unfit": "不宜"}[self.value]


class NoticeStatus(StrEnum):
    draft = "draft"
    published = "published"
    ended = "ended"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "published": "已发布", "ended": "已结束"}[self.value]


class Channel(StrEnum):
    phone = "phone"
    letter = "letter"
    visit = "visit"
    email = "email"
    other = "other"

    @property
    def label(self) -> str:
        return {"phone": "来电", "letter": "来信", "visit": "来访", "email": "电子邮件", "other": "其他"}[self.value]


class ComplaintStatus(StrEnum):
    registered = "registered"
    assigned = "assigned"
    checking = "checking"
    closed = "closed"

    @property
    def label(self) -> str:
        return {"registered": "已登记", "assigned": "已交办", "checking": "核查中", "closed": "已办结"}[self.value]


class ComplaintConclusion(StrEnum):
    true = "true"
    partly = "partly"
    false = "false"
    unverifiable = "unverifiable"

    @property
    def label(self) -> str:
        return {"true": "属实", "partly": "部分属实", "false": "不属实", "unverifiable": "无法核实"}[self.value]


class RosterKind(StrEnum):
    nominated = "nominated"
    shortlisted = "shortlisted"
    preliminary = "preliminary"

    @property
    def label(self) -> str:
        return {"nominated": "推荐人选", "shortlisted": "考察对象", "preliminary": "初步人选"}[self.value]


STEP_ORDER = ("nominated", "shortlisted", "preliminary", "confirmed")
VETTING_STAGES = (Stage.shortlist, Stage.vet, Stage.preliminary)
LEADER_ROOT = "领导干部"  # 来源: domain.md §5 (个人有关事项报告必核, leaders only) and §1 (领导干部)


# ----------------------------------------------------------------------------------------------- permissions
def can_manage_vetting(user) -> bool:
    """The office picks 考察对象 and 初步人选, assigns 考察组, runs the 公示 and closes complaints."""
    return has_role(user, Role.admin, Role.office)


def can_view_vetting(user) -> bool:
    """Vetting pages; a 考察组 member sees only the people assigned to them, unit users see nothing."""
    return has_role(user, Role.admin, Role.office, Role.inspector, Role.discipline, Role.auditor)


def can_record_discipline(user) -> bool:
    """纪检机关意见 is recorded by the 纪检 role (domain.md §5 纪检机关意见必听)."""
    return has_role(user, Role.discipline)


def can_edit_vetting(user, assigned_user_ids: Iterable[int]) -> bool:
    """The office, or a 考察组 member assigned to this person."""
    if can_manage_vetting(user):
        return True
    return has_role(user, Role.inspector) and user.id in set(assigned_user_ids)


def can_handle_complaint(user, complaint: Complaint) -> bool:
    return can_manage_vetting(user) or (complaint.assigned_to_id is not None and getattr(user, "id", None)
                                        == complaint.assigned_to_id and has_role(user, Role.inspector, Role.discipline))


# ----------------------------------------------------------------------------------------------- helpers
def _election(session: Session, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("选举不存在。")
    return election


def _nominee(session: Session, nominee_id: int) -> Nominee:
    nominee = session.get(Nominee, nominee_id)
    if nominee is None:
        raise NotFound("人员不存在。")
    return nominee


def _require_stage(election: Election, stages: Sequence[Stage], what: str) -> None:
    if election.stage not in stages:
        where = "、".join(f"“{s.label}”" for s in stages)
        raise ServiceError(f"{what}只能在{where}阶段进行，本选举目前处于“{Stage(election.stage).label}”阶段。")


def _reached(nominee: Nominee, step: str) -> bool:
    return STEP_ORDER.index(nominee.step) >= STEP_ORDER.index(step)


def _in_running(nominee: Nominee, step: str) -> bool:
    return nominee.removed_reason is None and _reached(nominee, step)


def _pad(election: Election) -> bool:
    return bool((election.settings or {}).get("pad_single_given_name", False))


def sort_people(election: Election, people: Iterable, key=lambda p: p.name) -> list:
    """Every list of people in 姓氏笔画 order with the election's setting (domain.md §3.4)."""
    return sort_by_name(people, key, pad_single_given_name=_pad(election),
                        overrides=(election.settings or {}).get("stroke_overrides") or None)


def is_leader(election: Election, category: str) -> bool:
    tree = CategoryTree(election.categories or None)
    return LEADER_ROOT in tree and category in tree and tree.contains(LEADER_ROOT, category)


def _assigned_ids(session: Session, nominee_id: int) -> list[int]:
    return list(session.scalars(select(InspectorAssignment.user_id).where(InspectorAssignment.nominee_id == nominee_id)))


def _vetting_of(session: Session, nominee: Nominee) -> Vetting:
    vetting = session.scalar(select(Vetting).where(Vetting.nominee_id == nominee.id))
    if vetting is None:
        vetting = Vetting(election_id=nominee.election_id, nominee_id=nominee.id,
                          from_enterprise=looks_like_enterprise(nominee.workplace_title))
        session.add(vetting)
        session.flush()
    return vetting


def looks_like_enterprise(workplace_title: str) -> bool:
    """A first guess for "企业人员" (the 考察组 may change it): the unit name reads like a company."""
    return any(w in (workplace_title or "") for w in ("公司", "集团", "企业", "厂", "有限", "银行"))


def _vetting_snapshot(v: Vetting) -> dict:
    return {k: getattr(v, k) for k in ("file_audit", "file_audit_note", "petition_check", "personal_report_check",
                                       "appraisal_count", "interview_count", "integrity_received", "from_enterprise",
                                       "regulator_opinion", "conclusion", "conclusion_reason")}


# ----------------------------------------------------------------------------------------------- counters
@dataclass(frozen=True)
class CountLine:
    label: str
    value: int
    target: str = ""
    ok: bool = True


@dataclass(frozen=True)
class SelectionCounters:
    """The live counters next to a 考察对象 / 初步人选 selection."""

    selected: int
    counters: tuple[CountLine, ...]
    blockers: tuple[Blocker, ...] = ()


def compute_selection_counters(election: Election, chosen: Sequence[Nominee], step: str, today: date) -> SelectionCounters:
    """Counts against the plan (domain.md §3.1: 考察对象 > 初步人选 ≥ ballot minimum) and the quota rules."""
    from election.elections.facts import ballot_margin, quota_rules, reference_date, to_candidate
    from workflow.quotas.checks import check_feasibility_blockers, classify

    settings = election.settings or {}
    floor = ballot_minimum(election.seats, ballot_margin(settings))
    planned_pre = int(settings.get("preliminary_count") or 0)
    n = len(chosen)
    items = []
    if step == "shortlisted":
        need = max(planned_pre, floor) + 1
        planned = int(settings.get("shortlist_count") or 0)
        items.append(CountLine("考察对象人数", n, f"至少{need}名" + (f"，计划{planned}名" if planned else ""), n >= need))
    else:
        items.append(CountLine("初步人选人数", n, f"至少{floor}名" + (f"，计划{planned_pre}名" if planned_pre else ""),
                              n >= floor))
    tree = CategoryTree(election.categories or None)
    by_root = Counter()
    for p in chosen:
        for root in tree.roots():
            if p.category in tree and tree.contains(root, p.category):
                by_root[root] += 1
    for root in tree.roots():
        items.append(CountLine(root, by_root[root]))
    items.append(CountLine("女", sum(1 for p in chosen if p.gender == "女")))
    items.append(CountLine("少数民族", sum(1 for p in chosen if p.ethnicity not in ("汉族", "汉"))))
    blockers: list[Blocker] = []
    if election.quota_rules:
        try:
            rules = quota_rules(election, tree)
            ref = reference_date(election, today)
            candidates = [to_candidate(p) for p in chosen]
            matching = classify(candidates, rules, ref).matching
            for rule, actual in zip(rules, matching):
                items.append(CountLine(rule.label, actual))
            blockers = check_feasibility_blockers(candidates, rules, ref, election.seats, tree) if chosen else []
        except DomainError as exc:
            blockers = [Blocker("quota.rules_invalid", exc.message)]
    return SelectionCounters(n, tuple(items), tuple(blockers))


# ----------------------------------------------------------------------------------------------- selection
def select_shortlist(session: Session, actor, election_id: int, nominee_ids: Iterable[int], now: datetime) -> int:
    """The office's 考察对象 (domain.md §2 stage 4): picked from the submitted nominees; returns the count."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以确定考察对象。")
    wanted = set(nominee_ids)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.shortlist,), "确定考察对象")
        rows = session.execute(select(Nominee, ElectionUnit.status).join(ElectionUnit,
                                                                        ElectionUnit.id == Nominee.election_unit_id)
                               .where(Nominee.election_id == election_id)).all()
        pool = {n.id: (n, status) for n, status in rows}
        problems = []
        for nid in sorted(wanted):
            if nid not in pool:
                problems.append(f"人员（编号{nid}）不在本次选举的推荐人选中")
                continue
            n, status = pool[nid]
            if status != "submitted":
                problems.append(f"{n.name}所在单位尚未提交推荐名单，不能列为考察对象")
            elif n.removed_reason is not None:
                problems.append(f"{n.name}已移出名单（{n.removed_reason}），不能列为考察对象")
        if problems:
            raise ServiceError("；".join(problems))
        before = sorted(n.id for n, _ in pool.values() if n.step == "shortlisted")
        for n, _ in pool.values():
            if n.id in wanted and n.step == "nominated":
                n.step = "shortlisted"
            elif n.id not in wanted and n.step == "shortlisted":
                n.step = "nominated"
        audit(session, actor, "vetting.shortlist", election, summary=f"确定考察对象{len(wanted)}名",
              before={"ids": before}, after={"ids": sorted(wanted)}, now=now)
    return len(wanted)


def select_preliminary(session: Session, actor, election_id: int, nominee_ids: Iterable[int], now: datetime) -> int:
    """The office's 初步人选 (domain.md §2 stage 6): from 考察对象 whose vetting concluded 通过."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以确定初步人选。")
    wanted = set(nominee_ids)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.preliminary,), "确定初步人选")
        people = {n.id: n for n in session.scalars(select(Nominee).where(Nominee.election_id == election_id))}
        passed = set(session.scalars(select(Vetting.nominee_id).where(Vetting.election_id == election_id,
                                                                      Vetting.conclusion == Conclusion.passed)))
        problems = []
        for nid in sorted(wanted):
            n = people.get(nid)
            if n is None or not _reached(n, "shortlisted"):
                problems.append(f"人员（编号{nid}）不是本次选举的考察对象")
            elif n.removed_reason is not None:
                problems.append(f"{n.name}已移出名单（{n.removed_reason}），不能列为初步人选")
            elif nid not in passed:
                problems.append(f"{n.name}的考察结论还不是“通过”，请先完成考察")
        if problems:
            raise ServiceError("；".join(problems))
        before = sorted(n.id for n in people.values() if n.step == "preliminary")
        for n in people.values():
            if n.id in wanted and n.step == "shortlisted":
                n.step = "preliminary"
            elif n.id not in wanted and n.step == "preliminary":
                n.step = "shortlisted"
        audit(session, actor, "vetting.preliminary", election, summary=f"确定初步人选{len(wanted)}名",
              before={"ids": before}, after={"ids": sorted(wanted)}, now=now)
    return len(wanted)


def assign_inspector(session: Session, actor, nominee_id: int, user_id: int, now: datetime, *,
                     remove: bool = False) -> None:
    """Assign (or un-assign) a 考察组 member to a 考察对象."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以分配考察组。")
    with transaction(session):
        nominee = _nominee(session, nominee_id)
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "分配考察组")
        if not _in_running(nominee, "shortlisted"):
            raise ServiceError(f"{nominee.name}不是考察对象，不能分配考察组。")
        user = session.get(User, user_id)
        if user is None or user.role != Role.inspector or not user.active:
            raise ServiceError("请选择一名有效的考察组成员。")
        existing = session.scalar(select(InspectorAssignment).where(InspectorAssignment.nominee_id == nominee_id,
                                                                    InspectorAssignment.user_id == user_id))
        if remove:
            if existing is None:
                raise ServiceError(f"{user.display_name}并未负责考察{nominee.name}。")
            session.delete(existing)
            summary = f"取消{user.display_name}对{nominee.name}的考察分工"
        else:
            if existing is not None:
                raise ServiceError(f"{user.display_name}已负责考察{nominee.name}。")
            session.add(InspectorAssignment(election_id=nominee.election_id, nominee_id=nominee_id, user_id=user_id,
                                            assigned_by_id=actor.id, assigned_at=now))
            summary = f"分配{user.display_name}考察{nominee.name}"
        audit(session, actor, "vetting.assign", nominee, summary=summary,
              after={"user_id": user_id, "removed": remove}, now=now)


# ----------------------------------------------------------------------------------------------- vetting record
@dataclass(frozen=True)
class VettingInput:
    """What the 考察组 records (domain.md §5); None leaves a field not yet done."""

    file_audit: str | None = None            # 'passed' | 'issues'
    file_audit_note: str = ""
    petition_check: str | None = None
    personal_report_check: str | None = None
    appraisal_count: int | None = None
    interview_count: int | None = None
    integrity_received: bool = False
    from_enterprise: bool = False
    regulator_opinion: str | None = None


def _blank(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def record_vetting(session: Session, actor, nominee_id: int, data: VettingInput, now: datetime) -> Vetting:
    """The 考察组's record for one person; a member edits only the people assigned to them."""
    with transaction(session):
        nominee = _nominee(session, nominee_id)
        require(can_edit_vetting(actor, _assigned_ids(session, nominee_id)),
                "您只能录入分配给您的考察对象的考察材料。")
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "录入考察材料")
        if not _in_running(nominee, "shortlisted"):
            raise ServiceError(f"{nominee.name}不是考察对象或已移出名单，不能录入考察材料。")
        problems = []
        if data.file_audit not in (None, "passed", "issues"):
            problems.append("档案审核结果只能是“通过”或“存在问题”")
        if data.file_audit == "issues" and not data.file_audit_note.strip():
            problems.append("档案审核存在问题时，请写明问题")
        for label, value in (("民主测评人数", data.appraisal_count), ("个别谈话人数", data.interview_count)):
            if value is not None and value < 0:
                problems.append(f"{label}不能为负数")
        if _blank(data.personal_report_check) and not is_leader(election, nominee.category):
            problems.append(f"{nominee.name}不是领导干部（{nominee.category}），无需查核个人有关事项报告")
        if _blank(data.regulator_opinion) and not data.from_enterprise:
            problems.append("只有企业人员需要行政执法、行业监管部门的意见；如为企业人员请勾选“企业人员”")
        if problems:
            raise ServiceError("；".join(problems))
        vetting = _vetting_of(session, nominee)
        if vetting.conclusion is not None:
            raise ServiceError(f"{nominee.name}的考察已有结论（{Conclusion(vetting.conclusion).label}），不能再修改考察材料。")
        before = _vetting_snapshot(vetting)
        vetting.file_audit = data.file_audit
        vetting.file_audit_note = data.file_audit_note.strip()
        vetting.petition_check = _blank(data.petition_check)
        vetting.personal_report_check = _blank(data.personal_report_check)
        vetting.appraisal_count = data.appraisal_count
        vetting.interview_count = data.interview_count
        vetting.integrity_received = data.integrity_received
        vetting.from_enterprise = data.from_enterprise
        vetting.regulator_opinion = _blank(data.regulator_opinion)
        vetting.updated_at = now
        audit(session, actor, "vetting.record", nominee, summary=f"录入{nominee.name}的考察材料",
              before=before, after=_vetting_snapshot(vetting), now=now)
    return vetting


def record_discipline_opinion(session: Session, actor, nominee_id: int, opinion: str, now: datetime) -> Vetting:
    """纪检机关意见 for one 考察对象, recorded by the 纪检 role with who and when (domain.md §5)."""
    require(can_record_discipline(actor), "纪检机关意见只能由纪检人员录入。")
    if not opinion.strip():
        raise ServiceError("请填写纪检机关意见。")
    with transaction(session):
        nominee = _nominee(session, nominee_id)
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "录入纪检机关意见")
        if not _in_running(nominee, "shortlisted"):
            raise ServiceError(f"{nominee.name}不是考察对象或已移出名单。")
        vetting = _vetting_of(session, nominee)
        before = {"opinion": vetting.discipline_opinion}
        vetting.discipline_opinion, vetting.discipline_by_id, vetting.discipline_at = opinion.strip(), actor.id, now
        audit(session, actor, "vetting.discipline", nominee, summary=f"录入{nominee.name}的纪检机关意见",
              before=before, after={"opinion": opinion.strip()}, now=now)
    return vetting


def check_vetting_complete(v: Vetting, leader: bool) -> list[Blocker]:
    """What is still missing before a 通过 (来源: domain.md §5, the "四必" and the rest)."""
    out = []
    if v.file_audit is None:
        out.append(Blocker("vetting.file_audit_missing", "尚未录入档案审核（三龄两历一身份）结果", SRC_VETTING))
    if v.discipline_opinion is None:
        out.append(Blocker("vetting.discipline_missing", "尚未听取纪检机关意见，请纪检人员录入", SRC_VETTING))
    if v.petition_check is None:
        out.append(Blocker("vetting.petition_missing", "尚未录入信访举报核查情况", SRC_VETTING))
    if leader and v.personal_report_check is None:
        out.append(Blocker("vetting.personal_report_missing", "领导干部须查核个人有关事项报告，尚未录入", SRC_VETTING))
    if v.appraisal_count is None:
        out.append(Blocker("vetting.appraisal_missing", "尚未录入民主测评人数", SRC_VETTING))
    if v.interview_count is None:
        out.append(Blocker("vetting.interview_missing", "尚未录入个别谈话人数", SRC_VETTING))
    if not v.integrity_received:
        out.append(Blocker("vetting.integrity_missing", "尚未收到本人廉洁自律情况说明", SRC_VETTING))
    if v.from_enterprise and v.regulator_opinion is None:
        out.append(Blocker("vetting.regulator_missing", "企业人员须听取行政执法、行业监管部门意见，尚未录入", SRC_VETTING))
    return out


def conclude_vetting(session: Session, actor, nominee_id: int, conclusion: str, reason: str, now: datetime) -> Vetting:
    """通过 (every item done) or 不宜 with a reason; 不宜 removes the person, the reason kept (domain.md §5)."""
    try:
        verdict = Conclusion(conclusion)
    except ValueError:
        raise ServiceError("考察结论只能是“通过”或“不宜”。") from None
    if verdict is Conclusion.unfit and not reason.strip():
        raise ServiceError("结论为“不宜”时须写明理由。")
    with transaction(session):
        nominee = _nominee(session, nominee_id)
        require(can_edit_vetting(actor, _assigned_ids(session, nominee_id)),
                "您只能对分配给您的考察对象作出考察结论。")
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "作出考察结论")
        if not _in_running(nominee, "shortlisted"):
            raise ServiceError(f"{nominee.name}不是考察对象或已移出名单。")
        vetting = _vetting_of(session, nominee)
        if vetting.conclusion is not None:
            raise ServiceError(f"{nominee.name}已有考察结论（{Conclusion(vetting.conclusion).label}）。")
        if verdict is Conclusion.passed:
            missing = check_vetting_complete(vetting, is_leader(election, nominee.category))
            if missing:
                raise ServiceError(f"{nominee.name}的考察还不完整：" + "；".join(b.message for b in missing))
        vetting.conclusion, vetting.concluded_by_id, vetting.concluded_at = verdict.value, actor.id, now
        vetting.conclusion_reason = reason.strip() or None
        if verdict is Conclusion.unfit:
            nominee.removed_reason = f"考察结论为不宜：{reason.strip()}"
        audit(session, actor, "vetting.conclude", nominee,
              summary=f"{nominee.name}考察结论：{verdict.label}" + (f"（{reason.strip()}）" if reason.strip() else ""),
              after={"conclusion": verdict.value, "reason": reason.strip()}, now=now)
    return vetting


# ----------------------------------------------------------------------------------------------- notices
@dataclass(frozen=True)
class ContactInput:
    name: str
    phone: str
    address: str
    mailbox: str


def default_contact(election: Election) -> ContactInput:
    office = (election.settings or {}).get("office") or {}
    return ContactInput(office.get("name", ""), office.get("phone", ""), office.get("address", ""),
                        office.get("mailbox", ""))


def compute_period_end(session: Session, posted_on: date, days: int = NOTICE_WORKING_DAYS) -> date:
    """Last day of a 公示 of DAYS working days from POSTED_ON (that day counted when it is a working day)."""
    # 来源: domain.md §3.5 (5 working days on the official calendar)
    try:
        return load_calendar(session).period_end(posted_on, days)
    except CalendarMissing as exc:
        raise ServiceError(exc.message) from None
    except DomainError as exc:
        raise ServiceError(exc.message) from None


def _check_contact(contact: ContactInput) -> None:
    missing = [label for label, v in (("受理单位", contact.name), ("受理电话", contact.phone),
                                      ("通信地址", contact.address), ("电子邮箱或意见箱", contact.mailbox))
               if not v.strip()]
    if missing:
        raise ServiceError(f"请填写公示的{'、'.join(missing)}（来源：domain.md §3.5）。")


def _notice_title(election: Election, kind: str, unit_name: str = "") -> str:
    if kind == "first":
        return f"{election.title}考察对象公示（{unit_name}）"
    return f"{election.title}初步人选公示"


def create_first_notices(session: Session, actor, election_id: int, posted_on: date, contact: ContactInput,
                         now: datetime) -> list[Notice]:
    """One draft first 公示 per unit that has 考察对象 and no notice yet (domain.md §2 stage 5)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以发布公示。")
    _check_contact(contact)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.vet,), "第一次公示")
        period_end = compute_period_end(session, posted_on)
        units = session.execute(
            select(ElectionUnit.id, Unit.name).join(Unit, Unit.id == ElectionUnit.unit_id)
            .where(ElectionUnit.election_id == election_id,
                   ElectionUnit.id.in_(select(Nominee.election_unit_id)
                                       .where(Nominee.election_id == election_id, Nominee.removed_reason.is_(None),
                                              Nominee.step.in_(STEP_ORDER[1:]))))
            .order_by(Unit.code)).all()
        have = set(session.scalars(select(Notice.election_unit_id).where(Notice.election_id == election_id,
                                                                          Notice.kind == "first")))
        created = []
        for eu_id, unit_name in units:
            if eu_id in have:
                continue
            notice = Notice(election_id=election_id, kind="first", election_unit_id=eu_id,
                            title=_notice_title(election, "first", unit_name), posted_on=posted_on,
                            working_days=NOTICE_WORKING_DAYS, period_end=period_end, office_name=contact.name.strip(),
                            office_phone=contact.phone.strip(), office_address=contact.address.strip(),
                            office_mailbox=contact.mailbox.strip(), status="draft", created_at=now)
            session.add(notice)
            created.append(notice)
        if not created:
            raise ServiceError("没有需要新建第一次公示的单位：各单位均已有公示，或还没有考察对象。")
        audit(session, actor, "notice.create_first", election,
              summary=f"新建第一次公示{len(created)}份，{posted_on.isoformat()}起公示至{period_end.isoformat()}",
              after={"units": [n.election_unit_id for n in created], "posted_on": posted_on,
                     "period_end": period_end}, now=now)
    return created


def create_second_notice(session: Session, actor, election_id: int, posted_on: date, contact: ContactInput,
                         now: datetime) -> Notice:
    """The region-wide second 公示 of the 初步人选 (domain.md §2 stage 6)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以发布公示。")
    _check_contact(contact)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.preliminary,), "第二次公示")
        if session.scalar(select(Notice.id).where(Notice.election_id == election_id, Notice.kind == "second")):
            raise ServiceError("本次选举已有第二次公示，请在原公示上操作。")
        if not session.scalar(select(func.count()).select_from(Nominee).where(
                Nominee.election_id == election_id, Nominee.removed_reason.is_(None),
                Nominee.step.in_(STEP_ORDER[2:]))):
            raise ServiceError("还没有初步人选，请先确定初步人选。")
        period_end = compute_period_end(session, posted_on)
        notice = Notice(election_id=election_id, kind="second", election_unit_id=None,
                        title=_notice_title(election, "second"), posted_on=posted_on, working_days=NOTICE_WORKING_DAYS,
                        period_end=period_end, office_name=contact.name.strip(), office_phone=contact.phone.strip(),
                        office_address=contact.address.strip(), office_mailbox=contact.mailbox.strip(),
                        status="draft", created_at=now)
        session.add(notice)
        session.flush()
        audit(session, actor, "notice.create_second", notice,
              summary=f"新建第二次公示，{posted_on.isoformat()}起公示至{period_end.isoformat()}",
              after={"posted_on": posted_on, "period_end": period_end}, now=now)
    return notice


def _notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound("公示不存在。")
    return notice


def notice_people(session: Session, notice: Notice) -> list[Nominee]:
    """Who is on a notice: the snapshot once published, else the unit's 考察对象 / the 初步人选 now."""
    if notice.people_ids is not None:
        ids = list(notice.people_ids)
        return list(session.scalars(select(Nominee).where(Nominee.id.in_(ids)))) if ids else []
    query = select(Nominee).where(Nominee.election_id == notice.election_id, Nominee.removed_reason.is_(None))
    if notice.kind == "first":
        query = query.where(Nominee.election_unit_id == notice.election_unit_id, Nominee.step.in_(STEP_ORDER[1:]))
    else:
        query = query.where(Nominee.step.in_(STEP_ORDER[2:]))
    return list(session.scalars(query))


def publish_notice(session: Session, actor, notice_id: int, now: datetime) -> Notice:
    """草稿 → 已发布: the list of people is fixed and the period recomputed on the current calendar."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以发布公示。")
    with transaction(session):
        notice = _notice(session, notice_id)
        if notice.status != NoticeStatus.draft:
            raise ServiceError(f"该公示状态为“{NoticeStatus(notice.status).label}”，只有草稿可以发布。")
        election = _election(session, notice.election_id)
        _require_stage(election, (Stage.vet,) if notice.kind == "first" else (Stage.preliminary,), "发布公示")
        people = notice_people(session, notice)
        if not people:
            raise ServiceError("公示名单为空，不能发布。")
        notice.period_end = compute_period_end(session, notice.posted_on, notice.working_days)
        notice.people_ids = sorted(p.id for p in people)
        notice.status, notice.published_at = NoticeStatus.published.value, now
        audit(session, actor, "notice.publish", notice,
              summary=f"发布“{notice.title}”（{len(people)}人，公示至{notice.period_end.isoformat()}）",
              after={"people": notice.people_ids, "period_end": notice.period_end}, now=now)
    return notice


def end_notice(session: Session, actor, notice_id: int, today: date, now: datetime) -> Notice:
    """已发布 → 已结束: only after the period and with every complaint closed (domain.md §3.5, §5)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以结束公示。")
    with transaction(session):
        notice = _notice(session, notice_id)
        if notice.status != NoticeStatus.published:
            raise ServiceError(f"该公示状态为“{NoticeStatus(notice.status).label}”，只有已发布的公示可以结束。")
        problems = check_notice_can_end(notice, today, _open_complaints(session, [notice.id]).get(notice.id, 0))
        if problems:
            raise ServiceError("；".join(b.message for b in problems))
        notice.status, notice.ended_at = NoticeStatus.ended.value, now
        audit(session, actor, "notice.end", notice, summary=f"“{notice.title}”公示结束", now=now)
    return notice


def check_notice_can_end(notice: Notice, today: date, open_complaints: int) -> list[Blocker]:
    out = []
    if today <= notice.period_end:
        out.append(Blocker("notice.period_running", f"公示期到{notice.period_end.year}年{notice.period_end.month}月"
                                                    f"{notice.period_end.day}日（含）才结束，期满后才能结束公示", SRC_NOTICE))
    if open_complaints:
        out.append(Blocker("notice.open_complaints", f"还有{open_complaints}件反映未办结，请核查并登记办理结果后再结束公示",
                           SRC_VETTING))
    return out


def _open_complaints(session: Session, notice_ids: Sequence[int]) -> dict[int, int]:
    if not notice_ids:
        return {}
    return dict(session.execute(select(Complaint.notice_id, func.count())
                                .where(Complaint.notice_id.in_(list(notice_ids)), Complaint.status != "closed")
                                .group_by(Complaint.notice_id)).all())


# ----------------------------------------------------------------------------------------------- complaints
@dataclass(frozen=True)
class ComplaintInput:
    nominee_id: int
    channel: str
    received_on: date
    content: str
    real_name: bool = False


def register_complaint(session: Session, actor, notice_id: int, data: ComplaintInput, now: datetime) -> Complaint:
    """Register a 反映 against a person on a published notice."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以登记反映。")
    try:
        channel = Channel(data.channel)
    except ValueError:
        raise ServiceError("请选择反映方式（来电、来信、来访、电子邮件或其他）。") from None
    if not data.content.strip():
        raise ServiceError("请填写反映内容。")
    with transaction(session):
        notice = _notice(session, notice_id)
        if notice.status != NoticeStatus.published:
            raise ServiceError("只能对已发布、尚未结束的公示登记反映。")
        if data.nominee_id not in (notice.people_ids or []):
            raise ServiceError("被反映人不在该公示名单中。")
        if data.received_on < notice.posted_on:
            raise ServiceError("收到日期早于公示发布日期，请核对。")
        nominee = _nominee(session, data.nominee_id)
        complaint = Complaint(notice_id=notice_id, nominee_id=nominee.id, channel=channel.value,
                              received_on=data.received_on, content=data.content.strip(), real_name=data.real_name,
                              status=ComplaintStatus.registered.value, created_at=now)
        session.add(complaint)
        session.flush()
        audit(session, actor, "complaint.register", complaint,
              summary=f"登记对{nominee.name}的反映（{channel.label}，{'实名' if data.real_name else '匿名'}）",
              after={"notice_id": notice_id, "nominee_id": nominee.id, "channel": channel.value}, now=now)
    return complaint


def _complaint(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("反映不存在。")
    return complaint


def assign_complaint(session: Session, actor, complaint_id: int, user_id: int, now: datetime) -> Complaint:
    require(can_manage_vetting(actor), "只有选举办工作人员可以交办反映。")
    with transaction(session):
        complaint = _complaint(session, complaint_id)
        if complaint.status == ComplaintStatus.closed:
            raise ServiceError("该反映已办结。")
        user = session.get(User, user_id)
        if user is None or not user.active or user.role not in (Role.inspector, Role.discipline, Role.office,
                                                                 Role.admin):
            raise ServiceError("请选择一名考察组、纪检或选举办人员承办。")
        complaint.assigned_to_id = user.id
        if complaint.status == ComplaintStatus.registered:
            complaint.status = ComplaintStatus.assigned.value
        audit(session, actor, "complaint.assign", complaint, summary=f"反映交{user.display_name}核查",
              after={"user_id": user.id}, now=now)
    return complaint


def record_complaint_check(session: Session, actor, complaint_id: int, findings: str, now: datetime) -> Complaint:
    """核查情况, by the person it was assigned to (or the office)."""
    if not findings.strip():
        raise ServiceError("请填写核查情况。")
    with transaction(session):
        complaint = _complaint(session, complaint_id)
        require(can_handle_complaint(actor, complaint), "您不是该反映的承办人。")
        if complaint.status == ComplaintStatus.closed:
            raise ServiceError("该反映已办结。")
        if complaint.assigned_to_id is None:
            raise ServiceError("请先交办承办人。")
        before = complaint.findings
        complaint.findings = findings.strip()
        complaint.status = ComplaintStatus.checking.value
        audit(session, actor, "complaint.check", complaint, summary="登记反映核查情况",
              before={"findings": before}, after={"findings": complaint.findings}, now=now)
    return complaint


def conclude_complaint(session: Session, actor, complaint_id: int, conclusion: str, effect: str,
                       now: datetime) -> Complaint:
    """Close with 属实/部分属实/不属实/无法核实 and the effect; 属实 removes the person with the reason (domain.md §5)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以办结反映。")
    try:
        verdict = ComplaintConclusion(conclusion)
    except ValueError:
        raise ServiceError("核查结论只能是属实、部分属实、不属实或无法核实。") from None
    if not effect.strip():
        raise ServiceError("请填写处理意见（对被反映人的影响）。")
    with transaction(session):
        complaint = _complaint(session, complaint_id)
        if complaint.status == ComplaintStatus.closed:
            raise ServiceError("该反映已办结。")
        if not complaint.findings.strip():
            raise ServiceError("请先登记核查情况再办结。")
        nominee = _nominee(session, complaint.nominee_id)
        complaint.conclusion, complaint.effect = verdict.value, effect.strip()
        complaint.status, complaint.closed_at = ComplaintStatus.closed.value, now
        removed = False
        if verdict is ComplaintConclusion.true and nominee.removed_reason is None:
            nominee.removed_reason = f"公示期间反映问题经核查属实：{effect.strip()}"
            removed = True
        audit(session, actor, "complaint.conclude", complaint,
              summary=f"对{nominee.name}的反映办结：{verdict.label}；{effect.strip()}" + ("（已移出名单）" if removed else ""),
              after={"conclusion": verdict.value, "effect": effect.strip(), "removed": removed}, now=now)
    return complaint


# ----------------------------------------------------------------------------------------------- read views
@dataclass(frozen=True)
class PersonRowView:
    nominee: Nominee
    unit_name: str
    vetting: Vetting | None
    inspectors: tuple[str, ...]
    inspector_ids: tuple[int, ...]
    open_complaints: int
    leader: bool

    @property
    def status_label(self) -> str:
        if self.nominee.removed_reason:
            return "已移出"
        if self.vetting is None or self.vetting.conclusion is None:
            return "考察中"
        return Conclusion(self.vetting.conclusion).label


def people_at(session: Session, election: Election, step: str, *, include_removed: bool = False,
              submitted_only: bool = False) -> list[tuple[Nominee, str]]:
    """(nominee, unit name) of everyone who reached STEP, in 姓氏笔画 order; one query."""
    query = (select(Nominee, Unit.name).join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
             .join(Unit, Unit.id == ElectionUnit.unit_id)
             .where(Nominee.election_id == election.id, Nominee.step.in_(STEP_ORDER[STEP_ORDER.index(step):])))
    if not include_removed:
        query = query.where(Nominee.removed_reason.is_(None))
    if submitted_only:
        query = query.where(ElectionUnit.status == "submitted")
    return sort_people(election, session.execute(query).all(), key=lambda r: r[0].name)


def vetting_board(session: Session, election: Election, user) -> list[PersonRowView]:
    """Every 考察对象 (removed ones too, with reason) with vetting, inspectors and open complaints; four queries.
    A 考察组 member sees only the people assigned to them."""
    rows = people_at(session, election, "shortlisted", include_removed=True)
    ids = [n.id for n, _ in rows]
    vettings = {v.nominee_id: v for v in session.scalars(select(Vetting).where(Vetting.election_id == election.id))}
    assigned: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for nid, uid, uname in session.execute(select(InspectorAssignment.nominee_id, User.id, User.display_name)
                                           .join(User, User.id == InspectorAssignment.user_id)
                                           .where(InspectorAssignment.election_id == election.id)
                                           .order_by(InspectorAssignment.id)):
        assigned[nid].append((uid, uname))
    open_counts = dict(session.execute(select(Complaint.nominee_id, func.count())
                                       .join(Notice, Notice.id == Complaint.notice_id)
                                       .where(Notice.election_id == election.id, Complaint.status != "closed")
                                       .group_by(Complaint.nominee_id)).all()) if ids else {}
    tree = CategoryTree(election.categories or None)
    leaders = tree.expand(LEADER_ROOT) if LEADER_ROOT in tree else frozenset()
    out = []
    for n, unit_name in rows:
        who = assigned.get(n.id, [])
        if has_role(user, Role.inspector) and user.id not in {uid for uid, _ in who}:
            continue
        out.append(PersonRowView(n, unit_name, vettings.get(n.id), tuple(u for _, u in who), tuple(u for u, _ in who),
                                 open_counts.get(n.id, 0), n.category in leaders))
    return out


@dataclass(frozen=True)
class NoticeView:
    notice: Notice
    unit_name: str
    open_complaints: int
    total_complaints: int


def notices_overview(session: Session, election_id: int) -> list[NoticeView]:
    """All notices of an election with complaint counts; two queries."""
    rows = session.execute(select(Notice, Unit.name).outerjoin(ElectionUnit, ElectionUnit.id == Notice.election_unit_id)
                           .outerjoin(Unit, Unit.id == ElectionUnit.unit_id)
                           .where(Notice.election_id == election_id).order_by(Notice.kind, Unit.code)).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for nid, status, n in session.execute(select(Complaint.notice_id, Complaint.status, func.count())
                                          .join(Notice, Notice.id == Complaint.notice_id)
                                          .where(Notice.election_id == election_id)
                                          .group_by(Complaint.notice_id, Complaint.status)):
        counts[nid][1] += n
        if status != "closed":
            counts[nid][0] += n
    return [NoticeView(notice, unit_name or "全区", counts[notice.id][0], counts[notice.id][1])
            for notice, unit_name in rows]


def complaints_of(session: Session, notice_id: int) -> list[Complaint]:
    from sqlalchemy.orm import joinedload

    return list(session.scalars(select(Complaint).options(joinedload(Complaint.nominee),
                                                          joinedload(Complaint.assigned_to))
                                .where(Complaint.notice_id == notice_id).order_by(Complaint.id)))


# ----------------------------------------------------------------------------------------------- documents
def person_row(n: Nominee) -> PersonRow:
    """A person as printed: the notice fields of domain.md §3.5, never an ID number."""
    return PersonRow(name=n.name, gender=n.gender, ethnicity=n.ethnicity, birth_month=n.birth_date,
                     native_place=n.native_place, education=n.education, party_join=n.party_join_date,
                     workplace_title=n.workplace_title, category=n.category)


def _order_note(election: Election) -> str:
    return "按姓氏笔画排序" + ("，单名姓名间空一字" if _pad(election) else "")


def _issuing_body(election: Election) -> str:
    return (election.electing_body or "").strip() or "选举工作领导小组"


def notice_data(session: Session, notice: Notice) -> NoticeData:
    election = _election(session, notice.election_id)
    people = sort_people(election, notice_people(session, notice))
    return NoticeData(
        kind=DocNoticeKind(notice.kind), title=("关于考察对象的公示" if notice.kind == "first" else "关于初步人选的公示"),
        election_title=election.title, issuing_body=_issuing_body(election), intro="",
        people=tuple(person_row(p) for p in people), period_start=notice.posted_on, period_end=notice.period_end,
        office=ContactOffice(notice.office_name, notice.office_phone, notice.office_address, notice.office_mailbox),
        signature=notice.office_name or _issuing_body(election), date=notice.posted_on,
        working_days=notice.working_days, pad_single_given_name=_pad(election))


def render_notice_document(session: Session, notice_id: int) -> bytes:
    """The .docx of a first (per unit) or second 公示."""
    return render_publicity_notice(notice_data(session, _notice(session, notice_id)))


def render_roster_document(session: Session, election_id: int, kind: str) -> bytes:
    """推荐人选名册 / 考察对象名册 / 初步人选名册 in 姓氏笔画 order; no ID numbers."""
    election = _election(session, election_id)
    which = RosterKind(kind)
    rows = people_at(session, election, which.value, submitted_only=which is RosterKind.nominated)
    people = [person_row(n) for n, _ in rows]
    roster = roster_from_people(f"{election.title}{which.label}名册", people, note=_order_note(election),
                                pad_single_given_name=_pad(election), extra_columns=("推荐单位",),
                                extra_values=[(u,) for _, u in rows])
    return render_roster(roster)


def _form_title(kind: RosterKind) -> str:
    return {"nominated": "推荐人选登记表", "shortlisted": "考察对象登记表", "preliminary": "代表候选人初步人选登记表"}[kind.value]


def render_registration_document(session: Session, election_id: int, kind: str, nominee_id: int | None = None,
                                 today: date | None = None) -> bytes:
    """登记表: one person, or everyone at a step (each on its own page), in 姓氏笔画 order."""
    from election.elections.facts import reference_date

    election = _election(session, election_id)
    which = RosterKind(kind)
    rows = people_at(session, election, which.value, submitted_only=which is RosterKind.nominated)
    if nominee_id is not None:
        rows = [r for r in rows if r[0].id == nominee_id]
        if not rows:
            raise NotFound("该人员不在此名单中。")
    if not rows:
        raise ServiceError(f"还没有{which.label}，无法生成登记表。")
    ref = reference_date(election, today or date.today())
    forms = [RegistrationFormData(
        title=_form_title(which), name=n.name, gender=n.gender, ethnicity=n.ethnicity, birth_month=n.birth_date,
        native_place=n.native_place, party_join=n.party_join_date, work_start=n.work_start_date,
        education=n.education, workplace_title=n.workplace_title, category=n.category,
        age=age_on(n.birth_date, ref), recommending_unit=unit) for n, unit in rows]
    return render_registration_forms(forms)


@dataclass(frozen=True)
class ReportCounts:
    nominated: int
    shortlisted: int
    preliminary: int
    unfit: int
    removed_by_complaint: int
    appraisals: int
    interviews: int
    complaints: Counter = field(default_factory=Counter)


def compute_report_counts(session: Session, election: Election) -> ReportCounts:
    nominated = people_at(session, election, "nominated", include_removed=True, submitted_only=True)
    shortlisted = [n for n, _ in people_at(session, election, "shortlisted", include_removed=True)]
    vettings = list(session.scalars(select(Vetting).where(Vetting.election_id == election.id)))
    complaints = session.scalars(select(Complaint.conclusion).join(Notice, Notice.id == Complaint.notice_id)
                                 .where(Notice.election_id == election.id)).all()
    return ReportCounts(
        nominated=len(nominated), shortlisted=len(shortlisted),
        preliminary=len(people_at(session, election, "preliminary")),
        unfit=sum(1 for v in vettings if v.conclusion == Conclusion.unfit),
        removed_by_complaint=sum(1 for n in shortlisted if (n.removed_reason or "").startswith("公示期间")),
        appraisals=sum(v.appraisal_count or 0 for v in vettings),
        interviews=sum(v.interview_count or 0 for v in vettings),
        complaints=Counter(c or "open" for c in complaints))


def render_report_document(session: Session, election_id: int, today: date) -> bytes:
    """情况报告 on the 初步人选 for the higher committee, with its counts filled in."""
    from election.elections.facts import reference_date

    election = _election(session, election_id)
    c = compute_report_counts(session, election)
    people = [n for n, _ in people_at(session, election, "preliminary")]
    ref = reference_date(election, today)
    tree = CategoryTree(election.categories or None)
    total = len(people)
    stats = [ReportStat("女性", sum(1 for p in people if p.gender == "女"), total),
             ReportStat("少数民族", sum(1 for p in people if p.ethnicity not in ("汉族", "汉")), total),
             ReportStat("50岁以下", sum(1 for p in people if age_on(p.birth_date, ref) < 50), total)]
    for root in tree.roots():
        stats.append(ReportStat(root, sum(1 for p in people if p.category in tree and tree.contains(root, p.category)),
                                total))
    complaint_text = "、".join(f"{ComplaintConclusion(k).label}{v}件" for k, v in sorted(c.complaints.items())
                               if k != "open") or "无"
    names = "、".join(p.name for p in people)
    vetting_text = (f"对{c.shortlisted}名考察对象进行了考察，组织民主测评{c.appraisals}人次、个别谈话{c.interviews}人次；"
                    f"考察结论为不宜的{c.unfit}名。")
    received = sum(c.complaints.values())
    closed = sum(v for k, v in c.complaints.items() if k != "open")
    notice_text = (f"公示期间收到反映{received}件，已办结{closed}件（{complaint_text}），"
                   f"因反映问题属实移出名单{c.removed_by_complaint}名。")
    data = ReportData(
        title=f"关于{election.title}初步人选的情况报告",
        addressee=(election.convening_body or "上级党委") + "组织部",
        intro=((f"按照{election.convening_body or '上级党委'}的部署，{_issuing_body(election)}组织开展了代表推荐提名、"
                f"考察和公示工作。现将有关情况报告如下："),),
        sections=(
            ReportSection("推荐提名情况", (f"各推荐单位共推荐人选{c.nominated}名，经研究确定考察对象{c.shortlisted}名。",)),
            ReportSection("考察和公示情况", (vetting_text, notice_text)),
            ReportSection("初步人选情况", (f"经研究确定初步人选{total}名（按姓氏笔画排序）：{names}。",)),
        ),
        signature=_issuing_body(election), date=today, stats=tuple(stats), stats_title="初步人选结构情况",
        attachments=("初步人选名册", "初步人选登记表"))
    return render_situation_report(data)
