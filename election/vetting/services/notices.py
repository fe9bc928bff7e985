"""The two 公示 (docs/rules.md §3.5): one first 公示 of the 考察对象 per unit and the region-wide second 公示 of the
初步人选, with their contact office and a period of five working days on the official calendar; drafted,
published (the list fixed) and ended only after the period with every 反映 closed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.calendar.services import load_calendar
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import require
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting.models import Complaint, Notice
from election.vetting.services.enums import NoticeStatus
from election.vetting.services.people import STEP_ORDER, _election, _require_stage
from election.vetting.services.permissions import can_manage_vetting
from election.vetting.services.records import SRC_VETTING
from workflow.common import sources
from workflow.common.calendar import CalendarMissing
from workflow.common.results import Blocker, DomainError
from workflow.pipeline.stages import Stage

SRC_NOTICE = sources.NOTICE
NOTICE_WORKING_DAYS = 5  # 来源: docs/rules.md §3.5 (不少于五个工作日, the posting day counted as day 1)


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
    # 来源: docs/rules.md §3.5 (5 working days on the official calendar)
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
        raise ServiceError(f"请填写公示的{'、'.join(missing)}（依据：{sources.NOTICE_CONTENT}）。")


def _notice_title(election: Election, kind: str, unit_name: str = "") -> str:
    if kind == "first":
        return f"{election.title}考察对象公示（{unit_name}）"
    return f"{election.title}初步人选公示"


def create_first_notices(session: Session, actor, election_id: int, posted_on: date, contact: ContactInput,
                         now: datetime) -> list[Notice]:
    """One draft first 公示 per unit that has 考察对象 and no notice yet (docs/rules.md §2 stage 5)."""
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
    """The region-wide second 公示 of the 初步人选 (docs/rules.md §2 stage 6)."""
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
    """已发布 → 已结束: only after the period and with every complaint closed (docs/rules.md §3.5, §5)."""
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
