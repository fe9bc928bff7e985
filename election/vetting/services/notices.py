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

from election.audit.seals import fixed
from election.audit.services import audit
from election.calendar.services import load_calendar
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import require
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election, StageChange
from election.nominations.models import Nominee
from election.vetting.models import Complaint, Notice
from election.vetting.services.enums import NoticeStatus
from election.vetting.services.people import STEP_ORDER, _election, _require_stage
from election.vetting.services.permissions import can_edit_notice, can_manage_vetting
from election.vetting.services.records import SRC_VETTING
from workflow.common import sources
from workflow.common.calendar import CalendarMissing
from workflow.common.results import Blocker, DomainError
from workflow.common.titles import join_title
from workflow.pipeline.notices import BACKDATE_WORKING_DAYS, backdating_problem
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


def _stage_began(session: Session, election_id: int, kind: str) -> date | None:
    """The day the election last entered the notice's stage (考察 for the first, 初步人选 for the second)."""
    stage = Stage.vet if kind == "first" else Stage.preliminary
    at = session.scalar(select(func.max(StageChange.at)).where(StageChange.election_id == election_id,
                                                                StageChange.to_stage == stage.value))
    return to_local(at).date() if at else None


def _backdate_reason(session: Session, election: Election, kind: str, posted_on: date, today: date,
                     reason: str | None) -> str | None:
    """The 补登理由 to keep with a 发布日期 that lies back, or None when the date needs none; without a reason such a
    date is refused, saying why (docs/rules.md §3.5 补登)."""
    reason = (reason or "").strip()
    allowed = int((election.settings or {}).get("notice_backdate_working_days", BACKDATE_WORKING_DAYS))
    try:
        problem = backdating_problem(posted_on, today, _stage_began(session, election.id, kind),
                                     load_calendar(session), allowed)
    except DomainError as exc:
        raise ServiceError(exc.message) from None
    if problem is None:
        return None
    if not reason:
        raise ServiceError(f"{problem}。如公示确已在该日张贴、现在补录，请填写补登理由（记入审计，并在公示页面显示），"
                           "否则请改为实际张贴的日期。")
    if len(reason) > 500:
        raise ServiceError("补登理由不能超过500个字。")
    return reason


def _notice_title(election: Election, kind: str, unit_name: str = "") -> str:
    if kind == "first":
        return join_title(election.title, f"考察对象公示（{unit_name}）")
    return join_title(election.title, "初步人选公示")


def create_first_notices(session: Session, actor, election_id: int, posted_on: date, contact: ContactInput,
                         now: datetime, backdate_reason: str = "") -> list[Notice]:
    """One draft first 公示 per unit that has 考察对象 and no notice yet (docs/rules.md §2 stage 5)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以发布公示。")
    _check_contact(contact)
    with transaction(session):
        election = _election(session, election_id)
        _require_stage(election, (Stage.vet,), "第一次公示")
        reason = _backdate_reason(session, election, "first", posted_on, to_local(now).date(), backdate_reason)
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
                            office_mailbox=contact.mailbox.strip(), status="draft", backdate_reason=reason,
                            created_at=now)
            session.add(notice)
            created.append(notice)
        if not created:
            raise ServiceError("没有需要新建第一次公示的单位：各单位均已有公示，或还没有考察对象。")
        audit(session, actor, "notice.create_first", election,
              summary=f"新建第一次公示{len(created)}份，{posted_on.isoformat()}起公示至{period_end.isoformat()}",
              after={"units": [n.election_unit_id for n in created], "posted_on": posted_on,
                     "period_end": period_end, "backdate_reason": reason}, now=now)
    return created


def create_second_notice(session: Session, actor, election_id: int, posted_on: date, contact: ContactInput,
                         now: datetime, backdate_reason: str = "") -> Notice:
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
        reason = _backdate_reason(session, election, "second", posted_on, to_local(now).date(), backdate_reason)
        period_end = compute_period_end(session, posted_on)
        notice = Notice(election_id=election_id, kind="second", election_unit_id=None,
                        title=_notice_title(election, "second"), posted_on=posted_on, working_days=NOTICE_WORKING_DAYS,
                        period_end=period_end, office_name=contact.name.strip(), office_phone=contact.phone.strip(),
                        office_address=contact.address.strip(), office_mailbox=contact.mailbox.strip(),
                        status="draft", backdate_reason=reason, created_at=now)
        session.add(notice)
        session.flush()
        audit(session, actor, "notice.create_second", notice,
              summary=f"新建第二次公示，{posted_on.isoformat()}起公示至{period_end.isoformat()}",
              after={"posted_on": posted_on, "period_end": period_end, "backdate_reason": reason}, now=now)
    return notice


def _notice(session: Session, notice_id: int, *, lock: bool = False) -> Notice:
    """The notice; ``lock``: its row locked for the transaction, so that two requests publishing (or ending) it at
    once do it once — the second waits, then sees the new status (issue 19)."""
    if lock:
        notice = session.scalar(select(Notice).where(Notice.id == notice_id).with_for_update(of=Notice)
                                .execution_options(populate_existing=True))
    else:
        notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound("公示不存在。")
    return notice


def notice_pool(session: Session, notice: Notice) -> list[Nominee]:
    """Who may be on a notice now: the unit's 考察对象 (first) or the 初步人选 (second)."""
    query = select(Nominee).where(Nominee.election_id == notice.election_id, Nominee.removed_reason.is_(None))
    if notice.kind == "first":
        query = query.where(Nominee.election_unit_id == notice.election_unit_id, Nominee.step.in_(STEP_ORDER[1:]))
    else:
        query = query.where(Nominee.step.in_(STEP_ORDER[2:]))
    return list(session.scalars(query))


def notice_people(session: Session, notice: Notice) -> list[Nominee]:
    """Who is on a notice: the snapshot once published; on a draft, the pool now (or the part of it the office
    chose when editing the draft)."""
    if notice.status != NoticeStatus.draft:
        ids = list(notice.people_ids or [])
        return list(session.scalars(select(Nominee).where(Nominee.id.in_(ids)))) if ids else []
    pool = notice_pool(session, notice)
    if notice.people_ids is None:
        return pool
    chosen = set(notice.people_ids)
    return [p for p in pool if p.id in chosen]


@dataclass(frozen=True)
class NoticeDraftInput:
    """What the office may change on a 公示 draft: its title, first day, contact office and who is on it."""

    title: str
    posted_on: date
    contact: ContactInput
    people_ids: frozenset[int]
    backdate_reason: str = ""  # 补登理由, when the 发布日期 lies back


def _draft(session: Session, actor, notice_id: int, what: str) -> Notice:
    # locked like publishing: an edit or a deletion racing a publication waits, then sees 已发布 and is refused
    notice = _notice(session, notice_id, lock=True)
    require(can_manage_vetting(actor), f"只有选举办工作人员可以{what}公示草稿。")
    if not can_edit_notice(actor, notice):
        raise ServiceError(f"该公示{NoticeStatus(notice.status).label}，名单和公示期已经对外公布，不能再{what}；"
                           f"如有错误，请在公示页面登记反映或另行说明。")
    return notice


def _draft_snapshot(notice: Notice) -> dict:
    return {"title": notice.title, "posted_on": notice.posted_on, "period_end": notice.period_end,
            "office_name": notice.office_name, "office_phone": notice.office_phone,
            "office_address": notice.office_address, "office_mailbox": notice.office_mailbox,
            "people": notice.people_ids, "backdate_reason": notice.backdate_reason}


def update_notice_draft(session: Session, actor, notice_id: int, data: NoticeDraftInput, now: datetime) -> Notice:
    """Edit a 公示 draft: title, first day (the period recomputed on the calendar), contact office and people."""
    title = data.title.strip()
    if not title:
        raise ServiceError("请填写公示标题。")
    if len(title) > 200:
        raise ServiceError("公示标题不能超过200个字。")
    _check_contact(data.contact)
    with transaction(session):
        notice = _draft(session, actor, notice_id, "修改")
        election = _election(session, notice.election_id)
        _require_stage(election, (Stage.vet,) if notice.kind == "first" else (Stage.preliminary,), "修改公示")
        pool = {p.id for p in notice_pool(session, notice)}
        if stray := set(data.people_ids) - pool:
            raise ServiceError(f"有{len(stray)}人不在本公示的名单范围内（已移出或不是"
                               f"{'本单位的考察对象' if notice.kind == 'first' else '初步人选'}），请刷新页面后重选。")
        if not data.people_ids:
            raise ServiceError("公示名单不能为空，请至少选择一人。")
        reason = _backdate_reason(session, election, notice.kind, data.posted_on, to_local(now).date(),
                                  data.backdate_reason or (notice.backdate_reason if data.posted_on == notice.posted_on
                                                           else ""))
        before = _draft_snapshot(notice)
        # the period before any change: reading the calendar flushes, and a later first day must not meet the old end
        period_end = compute_period_end(session, data.posted_on, notice.working_days)
        notice.title, notice.posted_on, notice.backdate_reason = title, data.posted_on, reason
        notice.period_end = period_end
        c = data.contact
        notice.office_name, notice.office_phone = c.name.strip(), c.phone.strip()
        notice.office_address, notice.office_mailbox = c.address.strip(), c.mailbox.strip()
        # everyone in the pool: None, so people who become eligible later join the draft too
        notice.people_ids = None if set(data.people_ids) == pool else sorted(data.people_ids)
        after = _draft_snapshot(notice)
        if after == before:
            return notice
        audit(session, actor, "notice.update", notice,
              summary=f"修改公示草稿“{notice.title}”（{notice.posted_on.isoformat()}起公示至"
                      f"{notice.period_end.isoformat()}，{len(data.people_ids)}人）",
              before=before, after=after, now=now)
    return notice


def delete_notice_draft(session: Session, actor, notice_id: int, now: datetime) -> str:
    """Delete a 公示 draft (never a published one); returns its title."""
    with transaction(session):
        notice = _draft(session, actor, notice_id, "删除")
        election = _election(session, notice.election_id)
        title, before = notice.title, _draft_snapshot(notice)
        audit(session, actor, "notice.delete", election, summary=f"删除公示草稿“{title}”", before=before,
              now=now)
        session.delete(notice)
    return title


def publish_notice(session: Session, actor, notice_id: int, now: datetime) -> Notice:
    """草稿 → 已发布: the list of people is fixed and the period recomputed on the current calendar."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以发布公示。")
    with transaction(session):
        notice = _notice(session, notice_id, lock=True)
        if notice.status != NoticeStatus.draft:
            raise ServiceError(f"该公示状态为“{NoticeStatus(notice.status).label}”，只有草稿可以发布。")
        election = _election(session, notice.election_id)
        _require_stage(election, (Stage.vet,) if notice.kind == "first" else (Stage.preliminary,), "发布公示")
        people = notice_people(session, notice)
        if not people:
            raise ServiceError("公示名单为空，不能发布。")
        try:  # a draft dated for today and published days later lies back by then: its reason is needed now
            notice.backdate_reason = _backdate_reason(session, election, notice.kind, notice.posted_on,
                                                      to_local(now).date(), notice.backdate_reason)
        except ServiceError as exc:
            raise ServiceError(f"{exc.message}（请在“修改草稿”中填写补登理由或改正发布日期后再发布）") from None
        notice.period_end = compute_period_end(session, notice.posted_on, notice.working_days)
        notice.people_ids = sorted(p.id for p in people)
        notice.status, notice.published_at = NoticeStatus.published.value, now
        audit(session, actor, "notice.publish", notice,
              summary=f"发布“{notice.title}”（{len(people)}人，公示至{notice.period_end.isoformat()}）",
              after={"people": notice.people_ids, "period_end": notice.period_end,
                     "backdate_reason": notice.backdate_reason}, now=now,
              seal=fixed(session, "notice", notice.id))
    return notice


def end_notice(session: Session, actor, notice_id: int, today: date, now: datetime) -> Notice:
    """已发布 → 已结束: only after the period and with every complaint closed (docs/rules.md §3.5, §5)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以结束公示。")
    with transaction(session):
        notice = _notice(session, notice_id, lock=True)
        if notice.status != NoticeStatus.published:
            raise ServiceError(f"该公示状态为“{NoticeStatus(notice.status).label}”，只有已发布的公示可以结束。")
        problems = check_notice_can_end(notice, today, _open_complaints(session, [notice.id]).get(notice.id, 0))
        if problems:
            raise ServiceError("；".join(b.message for b in problems))
        notice.status, notice.ended_at = NoticeStatus.ended.value, now
        audit(session, actor, "notice.end", notice, summary=f"“{notice.title}”公示结束", now=now)
    return notice


def end_due_notices(session: Session, today: date, now: datetime, election_id: int | None = None) -> int:
    """Every published 公示 whose period is over and whose 反映 are all closed ends by itself (已结束, with the
    time), one audit entry each; ELECTION_ID: only that election's. The daily run; returns how many ended."""
    with transaction(session):
        return end_due_within(session, today, now, election_id)


def end_due_within(session: Session, today: date, now: datetime, election_id: int | None = None) -> int:
    """end_due_notices inside the caller's transaction: when a 反映 is closed, and when an election leaves the
    notice's stage (docs/rules.md §3.5: the 公示 ends when its period is over and its 反映 are closed)."""
    query = (select(Notice).where(Notice.status == NoticeStatus.published.value, Notice.period_end < today)
             .order_by(Notice.id).with_for_update(of=Notice))
    if election_id is not None:
        query = query.where(Notice.election_id == election_id)
    due = list(session.scalars(query))
    open_ = _open_complaints(session, [n.id for n in due])
    ended = [n for n in due if not open_.get(n.id)]
    for notice in ended:
        notice.status, notice.ended_at = NoticeStatus.ended.value, now
        audit(session, None, "notice.end", notice, now=now,
              summary=f"“{notice.title}”公示期满（至{notice.period_end.isoformat()}），反映均已办结，公示结束")
    return len(ended)


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
