"""年会 use cases of the session itself (docs/rules.md §7): create and edit it, its agenda, its 列席 guests, the
notice to the delegates, opening it for sign-in and recording it as held on the quorum. One function = one use case
= one transaction + one audit entry; a refusal says in Chinese what to fix."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from election.assembly.models import AGENDA_KINDS, AgendaItem, AssemblySession, Attendance, SessionGuest
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, ServiceError
from election.core.permissions import require
from election.directory.models import Unit
from election.directory.scope import org_scope
from election.duties.models import TermDelegate
from election.notifications.events import notify
from workflow.assembly import quorum as wq
from workflow.common.dates import cn_date

STATUS_LABELS = {"preparing": "筹备中", "notified": "已通知", "open": "会议进行中", "held": "已召开"}
AGENDA_LABELS = {"report": "审议工作报告", "proposals": "审议提案", "election": "选举", "appraisal": "民主评议/测评",
                 "confidence": "信任投票", "followup": "上次会议决议落实和整改情况", "other": "其他"}
assert set(AGENDA_LABELS) == set(AGENDA_KINDS)
MAX_TEXT = 2000
OPEN_DAYS_BEFORE = 1  # sign-in may start the day before the session (报到日). 来源: docs/rules.md §7


@dataclass(frozen=True)
class SessionInput:
    congress: str
    meeting_no: int
    title: str
    opens_on: date
    closes_on: date
    place: str = ""
    notice_days: int = 7
    quorum_preset: str = "township"
    quorum_num: int | None = None  # None: the preset's fraction
    quorum_den: int | None = None
    quorum_inclusive: bool | None = None
    self_sign_in: bool = False
    proposals_open_on: date | None = None
    proposals_close_on: date | None = None
    organisation_id: int | None = None  # a whole-installation user chooses; others: their own organisation


def default_title(congress: str, meeting_no: int) -> str:
    """"中国共产党区第十二次党代会第5次会议" (the clerk may type the usual full title instead)."""
    return f"中国共产党{congress}第{meeting_no}次会议"


def rule_of(meeting: AssemblySession) -> wq.QuorumRule:
    """The session's quorum rule: its preset, with the fraction and 以上 reading it was set to. 来源: docs/rules.md §7"""
    preset = wq.PRESETS.get(meeting.quorum_preset) or wq.PRESETS["township"]
    share = Fraction(meeting.quorum_num, meeting.quorum_den)
    same = share == preset.share and meeting.quorum_inclusive == preset.inclusive
    return wq.QuorumRule(share, meeting.quorum_inclusive, preset.settled and same, preset.label)


def congress_choices(db: Session, user=None) -> list[str]:
    """The congresses on the delegates' roll (TermDelegate.congress), for the session form. A user limited to a part
    of the directory sees those whose delegates were elected in it (their 选举单位's organisation) and those of the
    sessions already in it — not another district's."""
    query = select(TermDelegate.congress).distinct()
    scope = org_scope(user) if user is not None else None
    if scope is None:
        return list(db.scalars(query.order_by(TermDelegate.congress)))
    elected_here = query.join(Unit, Unit.id == TermDelegate.electing_unit_id).where(Unit.organisation_id.in_(scope))
    held_here = select(AssemblySession.congress).where(AssemblySession.organisation_id.in_(scope))
    return sorted(set(db.scalars(elected_here)) | set(db.scalars(held_here)))


def _check(db: Session, data: SessionInput, actor=None) -> list[str]:
    problems = []
    congress = data.congress.strip()
    if not congress:
        problems.append("请选择党代会（届次）")
    elif (not db.scalar(select(func.count()).select_from(TermDelegate).where(TermDelegate.congress == congress))
          or (org_scope(actor) is not None and congress not in congress_choices(db, actor))):
        # another district's congress reads like one with no roll at all (no existence oracle)
        problems.append(f"代表名册中没有“{data.congress}”的代表，请先导入代表名册或重新选择")
    if data.meeting_no < 1:
        problems.append("第几次会议应为正整数")
    if data.closes_on < data.opens_on:
        problems.append(f"闭幕日期{cn_date(data.closes_on)}早于开幕日期{cn_date(data.opens_on)}，请核对")
    if data.notice_days < 0 or data.notice_days > 60:
        problems.append("提前通知天数应在0至60之间")
    if data.quorum_preset not in wq.PRESETS:
        problems.append("请从列表中选择到会人数规则")
    num, den = data.quorum_num, data.quorum_den
    if (num is None) != (den is None):
        problems.append("到会比例的分子和分母应同时填写")
    elif num is not None and not (0 < num <= den <= 100):
        problems.append("到会比例应为不超过1的正分数，如 4/5")
    if data.proposals_open_on and data.proposals_close_on and data.proposals_close_on < data.proposals_open_on:
        problems.append("提案截止日期早于开始日期，请核对")
    if not data.title.strip() and data.congress.strip():
        pass  # the default title is used
    return problems


def _apply(meeting: AssemblySession, data: SessionInput) -> None:
    preset = wq.PRESETS[data.quorum_preset]
    share = preset.share if data.quorum_num is None else Fraction(data.quorum_num, data.quorum_den)
    meeting.congress = data.congress.strip()
    meeting.meeting_no = data.meeting_no
    meeting.title = data.title.strip() or default_title(meeting.congress, data.meeting_no)
    meeting.opens_on, meeting.closes_on = data.opens_on, data.closes_on
    meeting.place = data.place.strip()
    meeting.notice_days = data.notice_days
    meeting.quorum_preset = data.quorum_preset
    meeting.quorum_num, meeting.quorum_den = share.numerator, share.denominator
    meeting.quorum_inclusive = preset.inclusive if data.quorum_inclusive is None else data.quorum_inclusive
    meeting.self_sign_in = data.self_sign_in
    meeting.proposals_open_on, meeting.proposals_close_on = data.proposals_open_on, data.proposals_close_on


def _number_taken(db: Session, congress: str, meeting_no: int, but: int | None = None) -> bool:
    q = select(AssemblySession.id).where(AssemblySession.congress == congress, AssemblySession.meeting_no == meeting_no)
    if but is not None:
        q = q.where(AssemblySession.id != but)
    return db.scalar(q) is not None


def _taken_message(data: SessionInput) -> str:
    return f"{data.congress}第{data.meeting_no}次会议已经登记，请核对会议次数或打开已有的会议"


def _flush_unique(db: Session, data: SessionInput) -> None:
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise Conflict(_taken_message(data)) from None


def _organisation(actor, wanted: int | None) -> int | None:
    scope = org_scope(actor)
    own = getattr(actor, "organisation_id", None)
    if scope is None:
        return wanted if wanted is not None else own
    if wanted is None or wanted == own:
        return own
    if wanted not in scope:
        raise ServiceError("所选党委不在您的管理范围内，请重新选择")
    return wanted


def create_session(db: Session, actor, data: SessionInput, now: datetime) -> AssemblySession:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以筹备年会。")
        problems = _check(db, data, actor)
        if problems:
            raise ServiceError("；".join(problems))
        if _number_taken(db, data.congress.strip(), data.meeting_no):
            raise Conflict(_taken_message(data))
        meeting = AssemblySession(organisation_id=_organisation(actor, data.organisation_id), created_by_id=actor.id,
                                  created_at=now, status="preparing")
        _apply(meeting, data)
        db.add(meeting)
        _flush_unique(db, data)
        audit(db, actor, "assembly.session.create", meeting, summary=f"筹备{meeting.title}",
              after={"opens_on": meeting.opens_on, "place": meeting.place}, now=now)
    return meeting


def update_session(db: Session, actor, session_id: int, data: SessionInput, now: datetime) -> AssemblySession:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以修改年会。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if meeting.status == "held":
            raise Conflict("会议已召开，不能再修改会议信息。")
        problems = _check(db, data, actor)
        if meeting.status != "preparing" and data.congress.strip() != meeting.congress:
            problems.append("已发出通知的会议不能更换党代会（届次）")
        if problems:
            raise ServiceError("；".join(problems))
        if _number_taken(db, data.congress.strip(), data.meeting_no, but=meeting.id):
            raise Conflict(_taken_message(data))
        before = {"title": meeting.title, "opens_on": meeting.opens_on, "place": meeting.place}
        _apply(meeting, data)
        if data.organisation_id is not None:
            meeting.organisation_id = _organisation(actor, data.organisation_id)
        _flush_unique(db, data)
        audit(db, actor, "assembly.session.update", meeting, summary=f"修改{meeting.title}的会议信息", before=before,
              after={"title": meeting.title, "opens_on": meeting.opens_on, "place": meeting.place}, now=now)
    return meeting


# ---------------------------------------------------------------------------------------------- agenda
def _editable(meeting: AssemblySession, what: str) -> None:
    if meeting.status == "held":
        raise Conflict(f"会议已召开，不能再修改{what}。")


def _item(db: Session, meeting: AssemblySession, item_id: int | None) -> AgendaItem:
    item = db.get(AgendaItem, item_id) if item_id else None
    if item is None or item.session_id != meeting.id:  # another session's item answers like a missing one
        raise ServiceError("该议程事项不存在，请刷新页面后重试")
    return item


def _agenda_input(kind: str, title: str, note: str) -> tuple[str, str, str]:
    if kind not in AGENDA_LABELS:
        raise ServiceError("请从列表中选择议程类别")
    title = (title or "").strip() or AGENDA_LABELS[kind]
    if len(title) > 200 or len(note or "") > MAX_TEXT:
        raise ServiceError("议程名称不超过200字，说明不超过2000字，请删减")
    return kind, title, (note or "").strip()


def add_agenda_item(db: Session, actor, session_id: int, kind: str, title: str, note: str,
                    now: datetime) -> AgendaItem:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以排定议程。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _editable(meeting, "议程")
        kind, title, note = _agenda_input(kind, title, note)
        seq = (db.scalar(select(func.max(AgendaItem.seq)).where(AgendaItem.session_id == meeting.id)) or 0) + 1
        item = AgendaItem(session_id=meeting.id, seq=seq, kind=kind, title=title, note=note)
        db.add(item)
        audit(db, actor, "assembly.agenda.add", meeting, summary=f"{meeting.title}议程增加第{seq}项：{title}",
              after={"seq": seq, "kind": AGENDA_LABELS[kind], "title": title}, now=now)
    return item


def update_agenda_item(db: Session, actor, session_id: int, item_id: int, kind: str, title: str, note: str,
                       now: datetime) -> AgendaItem:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以排定议程。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _editable(meeting, "议程")
        item = _item(db, meeting, item_id)
        before = {"kind": AGENDA_LABELS[item.kind], "title": item.title}
        item.kind, item.title, item.note = _agenda_input(kind, title, note)
        audit(db, actor, "assembly.agenda.update", meeting, summary=f"{meeting.title}议程第{item.seq}项改为：{item.title}",
              before=before, after={"kind": AGENDA_LABELS[item.kind], "title": item.title}, now=now)
    return item


def _renumber(db: Session, items: list[AgendaItem]) -> None:
    """Write SEQ 1..n in the list's order (through numbers above all current ones: (session, seq) stays unique)."""
    top = max((item.seq for item in items), default=0) + len(items)
    for i, item in enumerate(items, start=1):
        item.seq = top + i
    db.flush()
    for i, item in enumerate(items, start=1):
        item.seq = i
    db.flush()


def delete_agenda_item(db: Session, actor, session_id: int, item_id: int, now: datetime) -> None:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以排定议程。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _editable(meeting, "议程")
        item = _item(db, meeting, item_id)
        title = item.title
        db.delete(item)
        db.flush()
        _renumber(db, list(db.scalars(select(AgendaItem).where(AgendaItem.session_id == meeting.id)
                                      .order_by(AgendaItem.seq))))
        audit(db, actor, "assembly.agenda.delete", meeting, summary=f"{meeting.title}议程删除：{title}",
              before={"title": title}, now=now)


def move_agenda_item(db: Session, actor, session_id: int, item_id: int, direction: str, now: datetime) -> AgendaItem:
    if direction not in ("up", "down"):
        raise ServiceError("移动方向只能是上移（up）或下移（down）")
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以排定议程。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _editable(meeting, "议程")
        item = _item(db, meeting, item_id)
        items = list(db.scalars(select(AgendaItem).where(AgendaItem.session_id == meeting.id).order_by(AgendaItem.seq)))
        i = items.index(item)
        j = i - 1 if direction == "up" else i + 1
        if not 0 <= j < len(items):
            raise ServiceError(f"“{item.title}”已是{'第一' if direction == 'up' else '最后一'}项")
        items[i], items[j] = items[j], items[i]
        _renumber(db, items)
        audit(db, actor, "assembly.agenda.move", meeting, summary=f"{meeting.title}议程“{item.title}”移至第{item.seq}项",
              after={"seq": item.seq}, now=now)
    return item


# ---------------------------------------------------------------------------------------------- 列席
def add_guest(db: Session, actor, session_id: int, name: str, workplace: str, reason: str,
              now: datetime) -> SessionGuest:
    name, workplace, reason = (name or "").strip(), (workplace or "").strip(), (reason or "").strip()
    problems = [] if name else ["请填写列席人员姓名"]
    if len(name) > 64 or len(workplace) > 200 or len(reason) > 200:
        problems.append("姓名不超过64字，工作单位及职务、列席理由各不超过200字")
    if problems:
        raise ServiceError("；".join(problems))
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以确定列席人员。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _editable(meeting, "列席人员")
        guest = SessionGuest(session_id=meeting.id, name=name, workplace=workplace, reason=reason)
        db.add(guest)
        audit(db, actor, "assembly.guest.add", meeting, summary=f"{meeting.title}增加列席人员{name}",
              after={"name": name, "workplace": workplace}, now=now)
    return guest


def remove_guest(db: Session, actor, session_id: int, guest_id: int, now: datetime) -> None:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以确定列席人员。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _editable(meeting, "列席人员")
        guest = db.get(SessionGuest, guest_id) if guest_id else None
        if guest is None or guest.session_id != meeting.id:
            raise ServiceError("该列席人员不存在，请刷新页面后重试")
        db.delete(guest)
        audit(db, actor, "assembly.guest.remove", meeting, summary=f"{meeting.title}删除列席人员{guest.name}",
              before={"name": guest.name}, now=now)


# ---------------------------------------------------------------------------------------------- notice, open, held
def notice_due(meeting: AssemblySession) -> date:
    """The last day the notice may go out. 来源: docs/rules.md §7"""
    return meeting.opens_on - timedelta(days=meeting.notice_days)


def send_notice(db: Session, actor, session_id: int, now: datetime) -> int:
    """Status notified; the materials are distributed; every serving delegate of the congress with an account is
    told in the app (date, place, link). -> how many delegates were told."""
    from election.assembly.models import SessionMaterial

    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以发出年会通知。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if meeting.status != "preparing":
            raise Conflict(f"{meeting.title}的通知已经发出（{STATUS_LABELS[meeting.status]}），不能重复发送。")
        if not meeting.agenda:
            raise ServiceError("请先排定议程再发出通知")
        meeting.status, meeting.notified_at = "notified", now
        for m in db.scalars(select(SessionMaterial).where(SessionMaterial.session_id == meeting.id,
                                                           SessionMaterial.distributed_at.is_(None))):
            m.distributed_at = now
        users = db.scalars(select(TermDelegate.user_id).where(TermDelegate.congress == meeting.congress,
                                                              TermDelegate.status == "serving",
                                                              TermDelegate.user_id.is_not(None))).all()
        when = cn_date(meeting.opens_on) + ("" if meeting.closes_on == meeting.opens_on
                                            else f"至{cn_date(meeting.closes_on)}")
        message = f"{meeting.title}定于{when}在{meeting.place or '（地点另行通知）'}召开，请按时出席；不能出席的请向选举办请假。"
        told = notify(db, users, "assembly_notice", message, f"/assembly/sessions/{meeting.id}",
                      dedup_key=f"assembly_notice:{meeting.id}", now=now)
        audit(db, actor, "assembly.session.notice", meeting, summary=f"发出{meeting.title}的通知（{told}名代表）",
              after={"notified": told}, now=now)
    return told


def open_session(db: Session, actor, session_id: int, today: date, now: datetime) -> AssemblySession:
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以开始签到。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if meeting.status not in ("preparing", "notified"):
            raise Conflict(f"{meeting.title}{STATUS_LABELS[meeting.status]}，不能再开始签到。")
        earliest = meeting.opens_on - timedelta(days=OPEN_DAYS_BEFORE)
        if today < earliest:
            raise ServiceError(f"会议{cn_date(meeting.opens_on)}开幕，最早于{cn_date(earliest)}（报到日）开始签到")
        meeting.status, meeting.opened_at = "open", now
        audit(db, actor, "assembly.session.open", meeting, summary=f"{meeting.title}开始签到", now=now)
    return meeting


def roll_statuses(db: Session, congress: str) -> list[str]:
    return list(db.scalars(select(TermDelegate.status).where(TermDelegate.congress == congress)))


def present_count(db: Session, meeting: AssemblySession) -> int:
    return db.scalar(select(func.count()).select_from(Attendance).join(TermDelegate).where(
        Attendance.session_id == meeting.id, Attendance.status == "present",
        TermDelegate.status == "serving")) or 0


def hold_session(db: Session, actor, session_id: int, now: datetime) -> AssemblySession:
    """Record the session as held, on the quorum of the current roll (refused below it); the roll and the
    attendance are frozen. 来源: docs/rules.md §7"""
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以确认会议召开。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if meeting.status == "held":
            raise Conflict(f"{meeting.title}已确认召开。")
        if meeting.status != "open":
            raise ServiceError("请先开始签到，代表签到后再确认会议召开")
        rule = rule_of(meeting)
        roll = wq.roll_count(roll_statuses(db, meeting.congress))
        q = wq.check_quorum(roll, present_count(db, meeting), rule)
        blockers = wq.quorum_blockers(q, rule)
        if blockers:
            raise ServiceError("；".join(b.message for b in blockers))
        meeting.status, meeting.held_at, meeting.held_by_id = "held", now, actor.id
        meeting.roll_count, meeting.present_count = q.roll, q.present
        audit(db, actor, "assembly.session.hold", meeting,
              summary=f"{meeting.title}确认召开：应到{q.roll}人，实到{q.present}人",
              after={"roll": q.roll, "present": q.present, "needed": q.needed}, now=now)
    return meeting
