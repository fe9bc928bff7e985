"""民主评议, 民主测评 and 信任投票 at a session (docs/rules.md §7): the 组织部 sets one up (grades, thresholds, the
units and persons appraised) while it is a draft, opens it with the ballots issued and collected, two tellers enter
the totals independently (the double-entry rule of the election count, election.core.double_entry), the agreed
figures are confirmed and then published to the delegates. Only totals are stored: no figure links a ballot to a
delegate. One use case = one transaction = one audit entry; the appraisal's row is locked for every write."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from election.assembly.models import APPRAISAL_KINDS, Appraisal, AppraisalEntry, AppraisalObject, AssemblySession
from election.assembly.permissions import (
    can_confirm_appraisal,
    can_enter_appraisal,
    can_manage_sessions,
    session_or_404,
    sessions_in_scope,
)
from election.audit.services import audit
from election.core.db import transaction
from election.core.double_entry import check_two_tellers, own_entry
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from workflow.assembly import appraisal as rules_mod
from workflow.common.results import DomainError

KIND_LABELS = rules_mod.KINDS
STATUS_LABELS = {"draft": "设置中", "open": "计票中", "confirmed": "已确认", "published": "已公布"}
DEFAULT_TITLES = {"appraisal": "对党委领导班子和班子成员的民主评议", "rating": "对区委领导班子和班子成员的民主测评",
                  "confidence": "对党委领导班子成员的信任投票"}
SETUP_STATUSES = ("preparing", "notified", "open")  # 来源: docs/rules.md §7 — set up before the session ends
COUNT_STATUSES = ("open", "held")  # ballots are cast at the session
MAX_OBJECTS = 200


@dataclass
class ObjectInput:
    name: str
    post: str = ""
    kind: str = ""  # unit | person; empty: a person when a post is given

    def __post_init__(self):
        self.name, self.post = (self.name or "").strip(), (self.post or "").strip()
        self.kind = self.kind or ("person" if self.post else "unit")


@dataclass
class AppraisalInput:
    kind: str
    title: str = ""
    grades: Sequence[str] = ()
    settings: Mapping = field(default_factory=dict)
    objects: Sequence[ObjectInput] = ()


def parse_objects(text: str) -> list[ObjectInput]:
    """One object a line: "名称" (a unit) or "姓名，职务" (a person); empty lines are skipped."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("，", ",", "\t"):
            if sep in line:
                name, post = line.split(sep, 1)
                out.append(ObjectInput(name, post, "person"))
                break
        else:
            out.append(ObjectInput(line, "", "unit"))
    return out


def parse_grades(text: str) -> list[str]:
    """"好，较好，一般，差" → the grades (comma, 、 or space separated)."""
    for sep in ("，", "、", " "):
        text = (text or "").replace(sep, ",")
    return [g.strip() for g in text.split(",") if g.strip()]


def rules_of(a: Appraisal) -> rules_mod.AppraisalRules:
    return rules_mod.rules_from_settings(a.kind, a.grades or (), a.settings or {})


def _rules(data: AppraisalInput) -> rules_mod.AppraisalRules:
    if data.kind not in APPRAISAL_KINDS:
        raise ServiceError("请选择测评类型：民主评议、民主测评或信任投票。")
    try:
        return rules_mod.rules_from_settings(data.kind, [g for g in data.grades if g.strip()], data.settings or {})
    except DomainError as exc:
        raise ServiceError(str(exc)) from None


def _check_objects(objects: Sequence[ObjectInput]) -> None:
    if not objects:
        raise ServiceError("请至少列出一个测评对象（单位或个人）。")
    if len(objects) > MAX_OBJECTS:
        raise ServiceError(f"测评对象不能超过{MAX_OBJECTS}个。")
    seen = set()
    for i, o in enumerate(objects, 1):
        if not o.name:
            raise ServiceError(f"第{i}个测评对象没有名称。")
        if len(o.name) > 128 or len(o.post) > 128:
            raise ServiceError(f"{o.name[:20]}：名称或职务过长（不超过128个字）。")
        if o.kind not in ("unit", "person"):
            raise ServiceError(f"{o.name}：对象类型只能是单位或个人。")
        if o.name in seen:
            raise ServiceError(f"测评对象“{o.name}”重复列出。")
        seen.add(o.name)


def _apply(session: Session, a: Appraisal, data: AppraisalInput) -> None:
    rules = _rules(data)
    _check_objects(data.objects)
    title = (data.title or "").strip() or DEFAULT_TITLES[data.kind]
    if len(title) > 200:
        raise ServiceError("测评名称不能超过200个字。")
    a.kind, a.title, a.grades = data.kind, title, list(rules.grades)
    a.settings = rules_mod.rules_to_settings(rules)
    for old in list(a.objects):  # replaced as listed: delete first (unique seq and name), then insert
        a.objects.remove(old)
    session.flush()
    for seq, o in enumerate(data.objects, 1):
        a.objects.append(AppraisalObject(seq=seq, kind=o.kind, name=o.name, post=o.post))


def _figures_view(a: Appraisal, figures: Mapping | None) -> dict | None:
    """Figures as the audit shows them: 无效票 and the votes per object by name."""
    if figures is None:
        return None
    names = dict(object_keys(a))
    return {"无效票": figures.get("invalid", 0),
            **{names.get(k, k): dict(v) for k, v in (figures.get("objects") or {}).items()}}


def _summary(a: Appraisal) -> dict:
    return {"类型": KIND_LABELS[a.kind], "名称": a.title, "等次": "、".join(a.grades),
            "测评对象": "、".join(o.name for o in a.objects)}


# ------------------------------------------------------------------------------------------------------- reads
def appraisals_query(user, session: Session):
    return sessions_in_scope(select(Appraisal).join(AssemblySession, Appraisal.session_id == AssemblySession.id),
                             user, session)


def can_see_counting(user) -> bool:
    """The count before publication: the 组织部, the tellers and the 审计 (a delegate sees only published results)."""
    return has_role(user, Role.admin, Role.office, Role.teller, Role.auditor)


def load_appraisal(session: Session, user, appraisal_id: int, *, lock: bool = False) -> Appraisal:
    query = appraisals_query(user, session).where(Appraisal.id == appraisal_id)
    if lock:
        query = query.with_for_update(of=Appraisal).execution_options(populate_existing=True)
    found = session.scalar(query)
    if found is None or (not can_see_counting(user) and found.status != "published"):
        raise NotFound("未找到该项测评，或它不属于您的组织。")
    return found


def session_appraisals(session: Session, user, session_id: int) -> list[Appraisal]:
    query = (appraisals_query(user, session).where(Appraisal.session_id == session_id).order_by(Appraisal.id)
             .options(selectinload(Appraisal.objects)))
    if not can_see_counting(user):
        query = query.where(Appraisal.status == "published")
    return list(session.scalars(query))


def _entries(session: Session, a: Appraisal) -> dict[int, AppraisalEntry]:
    rows = session.scalars(select(AppraisalEntry).where(AppraisalEntry.appraisal_id == a.id)
                           .execution_options(populate_existing=True))
    return {e.entry_no: e for e in rows}


# ------------------------------------------------------------------------------------------------------ set up
def create_appraisal(session: Session, actor, session_id: int, data: AppraisalInput, now: datetime) -> Appraisal:
    require(can_manage_sessions(actor), "只有组织部（选举办）可以设置测评。")
    with transaction(session):
        meeting = session_or_404(session, actor, session_id, lock=True)
        if meeting.status not in SETUP_STATUSES:
            raise ServiceError("会议已召开完毕，不能再增加测评。")
        a = Appraisal(session_id=meeting.id, kind=data.kind if data.kind in APPRAISAL_KINDS else "rating",
                      title="", grades=[], settings={}, created_at=now)
        session.add(a)
        _apply(session, a, data)
        audit(session, actor, "assembly.appraisal.create", a, summary=f"设置{KIND_LABELS[a.kind]}：{a.title}",
              after=_summary(a), now=now)
    return a


def update_appraisal(session: Session, actor, appraisal_id: int, data: AppraisalInput, now: datetime) -> Appraisal:
    require(can_manage_sessions(actor), "只有组织部（选举办）可以修改测评。")
    with transaction(session):
        a = load_appraisal(session, actor, appraisal_id, lock=True)
        if a.status != "draft":
            raise ServiceError("测评已开始计票，设置不能再修改。")
        before = _summary(a)
        _apply(session, a, data)
        audit(session, actor, "assembly.appraisal.update", a, summary=f"修改测评设置：{a.title}", before=before,
              after=_summary(a), now=now)
    return a


def open_appraisal(session: Session, actor, appraisal_id: int, issued: int, collected: int,
                   now: datetime) -> Appraisal:
    """Start the count with the ballots issued and collected (more collected than issued: void, to be redone)."""
    require(can_manage_sessions(actor), "只有组织部（选举办）可以开始计票。")
    with transaction(session):
        a = load_appraisal(session, actor, appraisal_id, lock=True)
        if a.status != "draft":
            raise ServiceError("测评已开始计票。")
        if a.session.status not in COUNT_STATUSES:
            raise ServiceError("会议开幕后才能进行测评计票。")
        if not a.objects:
            raise ServiceError("请先列出测评对象。")
        if issued <= 0 or collected < 0:
            raise ServiceError("请填写发出票数（大于0）和收回票数。")
        if collected > issued:  # 来源: docs/rules.md §7 (as an election round, §3.3)
            raise ServiceError(f"收回票数（{collected}）多于发出票数（{issued}），本次测评无效，应重新进行。")
        present = a.session.present_count
        if present is not None and issued > present:
            raise ServiceError(f"发出票数（{issued}）多于实到人数（{present}），请核对。")
        a.ballots_issued, a.ballots_collected, a.status, a.opened_at = issued, collected, "open", now
        audit(session, actor, "assembly.appraisal.open", a, summary=f"开始{a.title}计票（发出{issued}张，收回{collected}张）",
              after={"发出票数": issued, "收回票数": collected}, now=now)
    return a


# ------------------------------------------------------------------------------------------- double entry
def object_keys(a: Appraisal) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in a.objects]


def enter_figures(session: Session, actor, appraisal_id: int, entry_no: int, data: Mapping,
                  now: datetime) -> AppraisalEntry:
    """One teller's independent entry (1 or 2): invalid ballots and, per object, the votes for each grade."""
    require(can_enter_appraisal(actor), "只有监票计票人员可以录入测评票数。")
    with transaction(session):
        a = load_appraisal(session, actor, appraisal_id, lock=True)
        if a.status != "open":
            raise ServiceError("本项测评不在计票中，不能录入（已确认的票数不能修改）。")
        try:
            figures = rules_mod.figures_from_json(data)
        except DomainError as exc:
            raise ServiceError(str(exc)) from None
        problems = rules_mod.check_figures(rules_of(a), object_keys(a), figures, a.ballots_issued,
                                           a.ballots_collected)
        if problems:
            raise ServiceError("票数有误：" + "；".join(b.message.rstrip("。") for b in problems) + "。")
        entry = own_entry(_entries(session, a), entry_no, actor)
        before = None
        if entry is None:
            entry = AppraisalEntry(appraisal_id=a.id, entry_no=entry_no, teller_id=actor.id)
            session.add(entry)
        else:
            before = entry.figures
        entry.figures, entry.entered_at = rules_mod.figures_to_json(figures), now
        audit(session, actor, "assembly.appraisal.enter", a,
              summary=f"第{entry_no}次录入{a.title}票数（无效票{figures.invalid}张）",
              before=_figures_view(a, before), after=_figures_view(a, entry.figures), now=now)
    return entry


@dataclass(frozen=True)
class DiffRow:
    object_name: str  # 无效票 for the invalid ballots
    grade: str
    first: int
    second: int


@dataclass(frozen=True)
class Comparison:
    first: AppraisalEntry | None
    second: AppraisalEntry | None
    differences: tuple[DiffRow, ...]

    @property
    def complete(self) -> bool:
        return self.first is not None and self.second is not None

    @property
    def agree(self) -> bool:
        return self.complete and not self.differences


def compare(session: Session, a: Appraisal) -> Comparison:
    entries = _entries(session, a)
    first, second = entries.get(1), entries.get(2)
    if not (first and second):
        return Comparison(first, second, ())
    names = dict(object_keys(a))
    diffs = rules_mod.compare_entries(rules_of(a), list(names), rules_mod.figures_from_json(first.figures),
                                      rules_mod.figures_from_json(second.figures))
    return Comparison(first, second, tuple(DiffRow(names[d.object_key] if d.object_key else "无效票", d.grade or "—",
                                                   d.first, d.second) for d in diffs))


def confirm_appraisal(session: Session, actor, appraisal_id: int, now: datetime) -> Appraisal:
    """Confirm the figures, only when two tellers' entries exist and agree in every figure."""
    require(can_confirm_appraisal(actor), "只有监票计票人员或组织部可以确认测评票数。")
    with transaction(session):
        a = load_appraisal(session, actor, appraisal_id, lock=True)
        if a.status != "open":
            raise ServiceError("本项测评的票数已确认或尚未开始计票。")
        cmp = compare(session, a)
        check_two_tellers(cmp.first, cmp.second)
        if cmp.differences:
            raise ServiceError(f"两次录入有{len(cmp.differences)}处不同，请核对选票、改正后再确认。")
        a.confirmed, a.status = dict(cmp.first.figures), "confirmed"
        audit(session, actor, "assembly.appraisal.confirm", a, summary=f"确认{a.title}票数（两次录入一致）",
              after=_figures_view(a, a.confirmed), now=now)
    return a


def publish_appraisal(session: Session, actor, appraisal_id: int, now: datetime) -> Appraisal:
    require(can_manage_sessions(actor), "只有组织部（选举办）可以公布测评结果。")
    with transaction(session):
        a = load_appraisal(session, actor, appraisal_id, lock=True)
        if a.status != "confirmed":
            raise ServiceError("票数确认后才能公布结果。" if a.status in ("draft", "open") else "结果已公布。")
        a.status, a.published_at, a.published_by_id = "published", now, actor.id
        audit(session, actor, "assembly.appraisal.publish", a, summary=f"公布{a.title}结果", now=now)
    return a


# ------------------------------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class ResultRow:
    obj: AppraisalObject
    result: rules_mod.ObjectResult

    @property
    def good_rate(self) -> str:
        return rules_mod.percent(self.result.good_rate)

    @property
    def poor_share(self) -> str:
        return rules_mod.percent(self.result.poor_share)


@dataclass(frozen=True)
class Results:
    appraisal: Appraisal
    rules: rules_mod.AppraisalRules
    invalid: int
    valid: int
    rows: tuple[ResultRow, ...]

    @property
    def flagged(self) -> list[ResultRow]:
        return [r for r in self.rows if r.result.flagged]

    @property
    def not_passed(self) -> list[ResultRow]:
        return [r for r in self.rows if r.result.passed is False]


def results_of(a: Appraisal) -> Results | None:
    """The result per object from the confirmed figures (None before confirmation)."""
    if a.confirmed is None:
        return None
    rules = rules_of(a)
    figures = rules_mod.figures_from_json(a.confirmed)
    by_key = {str(o.id): o for o in a.objects}
    rows = rules_mod.results(rules, list(by_key), figures, a.ballots_collected)
    return Results(a, rules, figures.invalid, a.ballots_collected - figures.invalid,
                   tuple(ResultRow(by_key[r.key], r) for r in rows))


def session_results(session: Session, user, meeting: AssemblySession) -> list[Results]:
    """Every confirmed appraisal of the session the user may read, for the 结果通报."""
    return [r for a in session_appraisals(session, user, meeting.id) if (r := results_of(a)) is not None]


def attendance_figures(session: Session, meeting: AssemblySession) -> tuple[int | None, int | None]:
    """应到/实到 for the documents: as recorded when held, else the roll and the sign-in so far (来源: docs/rules.md
    §7 — the roll is the delegates in office)."""
    if meeting.roll_count is not None and meeting.present_count is not None:
        return meeting.roll_count, meeting.present_count
    from sqlalchemy import func

    from election.assembly.models import Attendance
    from election.duties.models import TermDelegate
    from workflow.duties.delegate_status import DelegateStatus

    roll = session.scalar(select(func.count()).select_from(TermDelegate).where(
        TermDelegate.congress == meeting.congress, TermDelegate.status == DelegateStatus.serving))
    present = session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.session_id == meeting.id, Attendance.status == "present"))
    return roll, present


def waiting_for_entry(session: Session, user) -> list[Appraisal]:
    """For a teller's dashboard: the appraisals being counted in his part, with an entry still to make."""
    rows = session.scalars(appraisals_query(user, session).where(Appraisal.status == "open").order_by(Appraisal.id)
                           .options(selectinload(Appraisal.entries), selectinload(Appraisal.session)))
    return [a for a in rows if len(a.entries) < 2 or any(e.teller_id == user.id for e in a.entries)]
