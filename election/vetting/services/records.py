"""The 考察 of one person (docs/rules.md §5): what the 考察组 records, the 纪检机关意见, the check that every required
item is done, and the 考察结论 (通过, or 不宜 with a reason, which removes the person).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.nominations.models import Nominee
from election.vetting.models import InspectorAssignment, Vetting
from election.vetting.services.enums import Conclusion
from election.vetting.services.people import VETTING_STAGES, _election, _in_running, _nominee, _require_stage, is_leader
from election.vetting.services.permissions import can_edit_vetting, can_record_discipline
from workflow.common import sources
from workflow.common.results import Blocker

SRC_VETTING = sources.VETTING


def _assigned_ids(session: Session, nominee_id: int) -> list[int]:
    return list(session.scalars(select(InspectorAssignment.user_id).where(InspectorAssignment.nominee_id == nominee_id)))


def _vetting_of(session: Session, nominee: Nominee) -> Vetting:
    vetting = session.scalar(select(Vetting).where(Vetting.nominee_id == nominee.id))
    return vetting if vetting is not None else start_vetting(session, nominee)


def empty_record(nominee: Nominee) -> dict:
    """The columns of an empty record for a person who has none yet (企业人员 first guessed from the workplace)."""
    return {"election_id": nominee.election_id, "nominee_id": nominee.id,
            "from_enterprise": looks_like_enterprise(nominee.workplace_title)}


def start_vetting(session: Session, nominee: Nominee) -> Vetting:
    """The empty record of a person who has none yet, stored."""
    vetting = Vetting(**empty_record(nominee))
    session.add(vetting)
    session.flush()
    return vetting


def looks_like_enterprise(workplace_title: str) -> bool:
    """A first guess for "企业人员" (the 考察组 may change it): the unit name reads like a company."""
    return any(w in (workplace_title or "") for w in ("公司", "集团", "企业", "厂", "有限", "银行"))


RECORD_FIELDS = ("file_audit", "file_audit_note", "petition_check", "personal_report_check", "appraisal_count",
                 "interview_count", "integrity_received", "from_enterprise", "regulator_opinion")  # the 考察组's record


def _vetting_snapshot(v: Vetting) -> dict:
    return {k: getattr(v, k) for k in (*RECORD_FIELDS, "conclusion", "conclusion_reason")}


# ----------------------------------------------------------------------------------------------- vetting record
@dataclass(frozen=True)
class VettingInput:
    """What the 考察组 records (docs/rules.md §5); None leaves a field not yet done."""

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


def check_record(actor, election, nominee: Nominee, assigned_ids, vetting: Vetting | None, data: VettingInput,
                 leader: bool) -> None:
    """Every rule of recording one person's 考察材料 — the one-person and the bulk use case both call it (the
    election's stage is checked once by the caller); raises ServiceError (PermissionDenied) with the reason."""
    require(can_edit_vetting(actor, assigned_ids), "您只能录入分配给您的考察对象的考察材料。")
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
    if _blank(data.personal_report_check) and not leader:
        problems.append(f"{nominee.name}不是领导干部（{nominee.category}），无需查核个人有关事项报告")
    if _blank(data.regulator_opinion) and not data.from_enterprise:
        problems.append("只有企业人员需要行政执法、行业监管部门的意见；如为企业人员请勾选“企业人员”")
    if problems:
        raise ServiceError("；".join(problems))
    if vetting is not None and vetting.conclusion is not None:
        raise ServiceError(f"{nominee.name}的考察已有结论（{Conclusion(vetting.conclusion).label}），不能再修改考察材料。")


def apply_record(vetting: Vetting, data: VettingInput, now: datetime) -> tuple[dict, dict]:
    """Write the checked record; -> (before, after) for the audit entry."""
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
    return before, _vetting_snapshot(vetting)


def record_vetting(session: Session, actor, nominee_id: int, data: VettingInput, now: datetime) -> Vetting:
    """The 考察组's record for one person; a member edits only the people assigned to them."""
    with transaction(session):
        nominee = _nominee(session, nominee_id, lock=True)
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "录入考察材料")
        existing = session.scalar(select(Vetting).where(Vetting.nominee_id == nominee.id))
        check_record(actor, election, nominee, _assigned_ids(session, nominee_id), existing, data,
                     is_leader(election, nominee.category))
        vetting = existing if existing is not None else start_vetting(session, nominee)
        before, after = apply_record(vetting, data, now)
        audit(session, actor, "vetting.record", nominee, summary=f"录入{nominee.name}的考察材料",
              before=before, after=after, now=now)
    return vetting


def check_discipline(nominee: Nominee, opinion: str) -> None:
    """The rules of one person's 纪检机关意见 (the role is checked once, by the caller)."""
    if not opinion.strip():
        raise ServiceError("请填写纪检机关意见。")
    if not _in_running(nominee, "shortlisted"):
        raise ServiceError(f"{nominee.name}不是考察对象或已移出名单。")


def apply_discipline(actor, vetting: Vetting, opinion: str, now: datetime) -> tuple[dict, dict]:
    before = {"opinion": vetting.discipline_opinion}
    vetting.discipline_opinion, vetting.discipline_by_id, vetting.discipline_at = opinion.strip(), actor.id, now
    return before, {"opinion": opinion.strip()}


def record_discipline_opinion(session: Session, actor, nominee_id: int, opinion: str, now: datetime) -> Vetting:
    """纪检机关意见 for one 考察对象, recorded by the 纪检 role with who and when (docs/rules.md §5)."""
    require(can_record_discipline(actor), "纪检机关意见只能由纪检人员录入。")
    if not opinion.strip():
        raise ServiceError("请填写纪检机关意见。")
    with transaction(session):
        nominee = _nominee(session, nominee_id, lock=True)
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "录入纪检机关意见")
        check_discipline(nominee, opinion)
        vetting = _vetting_of(session, nominee)
        before, after = apply_discipline(actor, vetting, opinion, now)
        audit(session, actor, "vetting.discipline", nominee, summary=f"录入{nominee.name}的纪检机关意见",
              before=before, after=after, now=now)
    return vetting


def check_vetting_complete(v: Vetting, leader: bool) -> list[Blocker]:
    """What is still missing before a 通过 (来源: docs/rules.md §5, the "四必" and the rest)."""
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


def verdict_of(conclusion: str, reason: str) -> Conclusion:
    """The conclusion asked for: 通过 or 不宜, and 不宜 with a reason."""
    try:
        verdict = Conclusion(conclusion)
    except ValueError:
        raise ServiceError("考察结论只能是“通过”或“不宜”。") from None
    if verdict is Conclusion.unfit and not reason.strip():
        raise ServiceError("结论为“不宜”时须写明理由。")
    return verdict


def check_conclusion(actor, nominee: Nominee, assigned_ids, vetting: Vetting | None, verdict: Conclusion,
                     leader: bool) -> None:
    """Every rule of one person's 考察结论 — the one-person and the bulk use case both call it (the stage is
    checked once by the caller); VETTING None = no record yet (an empty one, as ``_vetting_of`` would start)."""
    require(can_edit_vetting(actor, assigned_ids), "您只能对分配给您的考察对象作出考察结论。")
    if not _in_running(nominee, "shortlisted"):
        raise ServiceError(f"{nominee.name}不是考察对象或已移出名单。")
    if vetting is not None and vetting.conclusion is not None:
        raise ServiceError(f"{nominee.name}已有考察结论（{Conclusion(vetting.conclusion).label}）。")
    if verdict is Conclusion.passed:
        record = vetting or Vetting(integrity_received=False,
                                    from_enterprise=looks_like_enterprise(nominee.workplace_title))
        missing = check_vetting_complete(record, leader)
        if missing:
            raise ServiceError(f"{nominee.name}的考察还不完整：" + "；".join(b.message for b in missing))


def apply_conclusion(actor, nominee: Nominee, vetting: Vetting, verdict: Conclusion, reason: str,
                     now: datetime) -> tuple[str, dict]:
    """Write the checked conclusion (不宜 removes the person); -> (summary, after) for the audit entry."""
    vetting.conclusion, vetting.concluded_by_id, vetting.concluded_at = verdict.value, actor.id, now
    vetting.conclusion_reason = reason.strip() or None
    if verdict is Conclusion.unfit:
        nominee.removed_reason = f"考察结论为不宜：{reason.strip()}"
    summary = f"{nominee.name}考察结论：{verdict.label}" + (f"（{reason.strip()}）" if reason.strip() else "")
    return summary, {"conclusion": verdict.value, "reason": reason.strip()}


def conclude_vetting(session: Session, actor, nominee_id: int, conclusion: str, reason: str, now: datetime) -> Vetting:
    """通过 (every item done) or 不宜 with a reason; 不宜 removes the person, the reason kept (docs/rules.md §5)."""
    verdict = verdict_of(conclusion, reason)
    with transaction(session):
        nominee = _nominee(session, nominee_id, lock=True)  # one conclusion, even when sent twice at once
        election = _election(session, nominee.election_id)
        _require_stage(election, VETTING_STAGES, "作出考察结论")
        existing = session.scalar(select(Vetting).where(Vetting.nominee_id == nominee.id))
        check_conclusion(actor, nominee, _assigned_ids(session, nominee_id), existing, verdict,
                         is_leader(election, nominee.category))
        vetting = existing if existing is not None else start_vetting(session, nominee)
        summary, after = apply_conclusion(actor, nominee, vetting, verdict, reason, now)
        audit(session, actor, "vetting.conclude", nominee, summary=summary, after=after, now=now)
    return vetting
