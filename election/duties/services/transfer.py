"""「转入代表名册」: the elected of a recorded result become term delegates — the congress's level, the term from the
congress date, the 选举单位 — carrying what the election knew of each (民族, 籍贯, 出生年月, 入党时间, 参加工作时间, 学历,
工作单位及职务, 身份类别), each linked to the election's record (``source_delegate_id`` = voting ``Delegate.id``), with a
login (role 代表, a one-time password on the 账号通知单, the accounts' policy) for those the office ticks; a 补选's
elected fill the seats it was started for (same congress, level, unit and term end). Run again, it adds nobody twice.

Also the office's bulk assignment of 党代表工作室 and 代表小组 (组长) to the delegates it ticks.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.management import Slip
from election.accounts.models import User
from election.accounts.passwords import one_time_password
from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.core.roles import Role
from election.directory.models import DelegateOffice, Unit
from election.duties.models import TermDelegate
from election.duties.services.permissions import can_manage_delegates
from election.elections.models import Election
from election.nominations.models import Nominee
from election.voting.models import Delegate, HigherNominee, VotingResult

MANAGERS_ONLY = "只有组织部工作人员可以把当选人转入代表名册。"
# the congress's level (the first character of its name) → TermDelegate.level; 县 is a 区-level congress
_CONGRESS_LEVEL = {"市": "市", "区": "区", "县": "区", "镇": "镇", "乡": "镇"}
# Election.level (the electing body's level) when the congress's name does not say it
_ELECTION_LEVEL = {"市": "市", "区": "区", "县": "区", "乡镇": "镇", "镇": "镇", "乡": "镇"}
MAX_YEARS = 10


def derive_congress(title: str) -> str:
    """「出席区第十次党代会代表选举」 → 「区第十次党代会」; 「某区出席市第十二次党代会代表选举」 → 「市第十二次党代会」."""
    text = (title or "").strip()
    if "出席" in text:
        text = text.split("出席", 1)[1]
    m = re.search(r"(.*?(?:党代会|代表大会|代表会议))", text)
    if m:
        return m.group(1)
    return re.sub(r"(代表)?(选举|补选)$", "", text)


def congress_level(congress: str, election_level: str) -> tuple[str | None, str]:
    """The term delegate's level for a congress, or (None, why not) in Chinese."""
    first = (congress or "").strip()[:1]
    if first in _CONGRESS_LEVEL:
        return _CONGRESS_LEVEL[first], ""
    if first in ("省", "全"):
        return None, (f"“{congress}”是省级以上党代会：代表名册只管理市、区（县）、镇三级党代会的代表，"
                      "本次当选人请由上级组织录入，不能在此转入。")
    level = _ELECTION_LEVEL.get((election_level or "").strip())
    if level:
        return level, ""
    return None, (f"选举层级为“{election_level}”，届次名称“{congress}”也看不出是市、区（县）还是镇的党代会："
                  "代表名册只管理这三级党代会的代表。请把届次名称改为以“市”“区”“县”或“镇”开头（如“区第十次党代会”）。")


def term_end_for(start: date, years: int) -> date:
    """Five years (or ``years``) later, less a day: 2021-09-28 → 2026-09-27 (29 Feb → 28 Feb)."""
    try:
        later = start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        later = start.replace(year=start.year + years, day=28) + timedelta(days=1)
    return later - timedelta(days=1)


@dataclass(frozen=True)
class TransferChoices:
    """The form: the congress (None: from the title), the term's start (None: the result's date) and years, who
    gets a login (None: everyone), a 工作室 per person and a chosen username per person (voting Delegate id keys)."""

    congress: str | None = None
    term_start: date | None = None
    years: int = 5
    logins: frozenset[int] | None = None
    offices: Mapping[int, int] = field(default_factory=dict)
    usernames: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PreviewRow:
    delegate: Delegate
    gender: str
    ethnicity: str
    birth_date: date | None
    native_place: str
    party_join_date: date | None
    work_start_date: date | None
    education: str
    workplace: str
    category: str
    username: str                      # the default login name
    transferred: TermDelegate | None   # already in the roll from this record
    clash: str                         # why this person cannot be added ("" when he can)
    same_name_users: tuple[str, ...]   # existing accounts with this name: never merged, named on the page


@dataclass(frozen=True)
class TransferPlan:
    election: Election
    result: VotingResult | None
    refusal: str            # "" when the transfer is offered
    level: str | None
    congress: str
    term_start: date | None
    term_end: date | None
    electing_unit: str
    by_election: bool
    rows: tuple[PreviewRow, ...]

    @property
    def pending(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.transferred is None and not r.clash]


@dataclass(frozen=True)
class TransferOutcome:
    added: tuple[TermDelegate, ...]
    already: tuple[str, ...]    # names transferred before (nothing done)
    skipped: tuple[str, ...]    # "name：reason"
    slips: tuple[Slip, ...]     # one-time passwords: shown once


def default_username(d: Delegate) -> str:
    return f"db{d.election_id}x{d.id}"


def _details(session: Session, delegates: Sequence[Delegate]) -> dict[int, dict]:
    nominee_ids = [d.nominee_id for d in delegates if d.nominee_id]
    higher_ids = [d.higher_nominee_id for d in delegates if d.higher_nominee_id]
    nominees = {n.id: n for n in session.scalars(select(Nominee).where(Nominee.id.in_(nominee_ids)))} \
        if nominee_ids else {}
    highers = {h.id: h for h in session.scalars(select(HigherNominee).where(HigherNominee.id.in_(higher_ids)))} \
        if higher_ids else {}
    out = {}
    for d in delegates:
        n, h = nominees.get(d.nominee_id), highers.get(d.higher_nominee_id)
        src = n or h
        out[d.id] = {
            "gender": (src.gender if src else "") or d.gender, "ethnicity": (src.ethnicity if src else "") or d.ethnicity,
            "birth_date": (src.birth_date if src else None) or d.birth_date,
            "native_place": n.native_place if n else "", "party_join_date": n.party_join_date if n else None,
            "work_start_date": n.work_start_date if n else None, "education": n.education if n else "",
            "workplace": (src.workplace_title if src else "") or d.unit, "category": (src.category if src else "") or d.category,
        }
    return out


def _vacancies(session: Session, election_id: int) -> list[TermDelegate]:
    return list(session.scalars(select(TermDelegate).where(TermDelegate.by_election_id == election_id)
                                .order_by(TermDelegate.id)))


def plan_transfer(session: Session, election: Election, choices: TransferChoices | None = None) -> TransferPlan:
    """What the transfer would do (nothing written): the preview, and the use case's own checks."""
    choices = choices or TransferChoices()
    result = session.scalar(select(VotingResult).where(VotingResult.election_id == election.id))
    delegates = list(session.scalars(select(Delegate).where(Delegate.election_id == election.id)
                                     .order_by(Delegate.id))) if result else []
    order = {name: i for i, name in enumerate(result.elected or [])} if result else {}
    delegates.sort(key=lambda d: (order.get(d.name, len(order)), d.id))  # the result's 姓氏笔画 order
    vacancies = _vacancies(session, election.id)
    refusal = "" if result else "尚未录入选举结果：录入后才能把当选人转入代表名册。"
    term_start = choices.term_start or (to_local(result.recorded_at).date() if result else None)
    if vacancies:  # a 补选: the seats it fills decide the congress, level, unit and the term's end
        seat = vacancies[0]
        congress, level, unit, term_end = seat.congress, seat.level, seat.electing_unit, seat.term_end
        if not refusal and term_start and term_start > term_end:
            refusal = f"补选的任期开始日期晚于本届任期结束日期（{term_end.isoformat()}），请核对。"
    else:
        congress = (choices.congress or "").strip() or derive_congress(election.title)
        unit = (election.electing_body or election.convening_body or "").strip()
        level, why = congress_level(congress, election.level)
        refusal = refusal or why
        if not (1 <= choices.years <= MAX_YEARS):
            refusal = refusal or f"任期年数应为1至{MAX_YEARS}年。"
        term_end = term_end_for(term_start, choices.years) if term_start and not refusal else None
        if not refusal and len(congress) > 128:
            refusal = "届次名称不超过128个字。"
    details = _details(session, delegates)
    transferred = {t.source_delegate_id: t for t in session.scalars(select(TermDelegate).where(
        TermDelegate.source_delegate_id.in_([d.id for d in delegates])))} if delegates else {}
    same_roll = {t.name: t for t in session.scalars(select(TermDelegate).where(
        TermDelegate.congress == congress, TermDelegate.electing_unit == unit))} if delegates else {}
    users_by_name: dict[str, list[str]] = {}
    if delegates:
        for name, username in session.execute(select(User.display_name, User.username).where(
                User.display_name.in_([d.name for d in delegates]))):
            users_by_name.setdefault(name, []).append(username)
    rows = []
    for d in delegates:
        info = details[d.id]
        done = transferred.get(d.id)
        clash = ""
        if done is None:
            other = same_roll.get(d.name)
            if other is not None:
                clash = f"代表名册中已有{congress}、{unit}的{d.name}（非本次转入），未重复添加；如为同一人请核对。"
            elif info["gender"] not in ("男", "女"):
                clash = "缺少性别，请先在人选信息中补充。"
        rows.append(PreviewRow(d, info["gender"], info["ethnicity"], info["birth_date"], info["native_place"],
                               info["party_join_date"], info["work_start_date"], info["education"], info["workplace"],
                               info["category"], default_username(d), done, clash,
                               tuple(users_by_name.get(d.name, ()))))
    return TransferPlan(election, result, refusal, level, congress, term_start, term_end, unit, bool(vacancies),
                        tuple(rows))


def _lock_election(session: Session, election_id: int) -> Election:
    election = session.scalar(select(Election).where(Election.id == election_id).with_for_update(of=Election)
                              .execution_options(populate_existing=True))
    if election is None:
        raise NotFound("选举不存在。")
    return election


def transfer_elected(session: Session, actor, election_id: int, choices: TransferChoices,
                     now: datetime) -> TransferOutcome:
    """「转入代表名册」: one transaction, one audit entry; the election's row is locked first, so two clicks at once
    transfer once (the second sees the first's rows and adds nobody)."""
    require(can_manage_delegates(actor), MANAGERS_ONLY)
    with transaction(session):
        election = _lock_election(session, election_id)
        plan = plan_transfer(session, election, choices)
        if plan.refusal:
            raise ServiceError(plan.refusal)
        known = {d.delegate.id for d in plan.rows}
        for what, ids in (("创建登录账号", choices.logins or ()), ("党代表工作室", choices.offices),
                          ("用户名", choices.usernames)):
            stray = sorted(set(ids) - known)
            if stray:
                raise NotFound(f"{what}中的当选人编号{stray[0]}不是本次选举的当选人。")
        offices = dict(session.execute(select(DelegateOffice.id, DelegateOffice.name)).all())
        for office_id in choices.offices.values():
            if office_id not in offices:
                raise NotFound(f"党代表工作室（编号{office_id}）不存在。")
        pending = plan.pending
        if not pending:  # a second click (or a repeated call): told so, nothing written
            done = [r.delegate.name for r in plan.rows if r.transferred is not None]
            if done:
                raise Conflict(f"本次选举的当选人已转入代表名册（{len(done)}名），没有再转入任何人。")
            raise ServiceError("没有可以转入的当选人：" + "；".join(f"{r.delegate.name}：{r.clash}" for r in plan.rows))
        wanted = {r.delegate.id: (choices.usernames.get(r.delegate.id) or r.username).strip() for r in pending
                  if choices.logins is None or r.delegate.id in choices.logins}
        problems = []
        for r in pending:
            u = wanted.get(r.delegate.id)
            if u is not None and not re.fullmatch(r"[A-Za-z0-9_.\-]{3,64}", u):
                problems.append(f"{r.delegate.name}的用户名“{u}”应为3至64位字母、数字或 _ . -")
        names = list(wanted.values())
        taken = set(session.scalars(select(User.username).where(User.username.in_(names)))) if names else set()
        for r in pending:
            u = wanted.get(r.delegate.id)
            if u in taken:
                problems.append(f"{r.delegate.name}的用户名“{u}”已被使用，请另填")
            elif u is not None and names.count(u) > 1:
                problems.append(f"{r.delegate.name}的用户名“{u}”与其他人重复")
        if problems:
            raise ServiceError("；".join(dict.fromkeys(problems)) + "。")
        unit_id = session.scalar(select(Unit.id).where(Unit.name == plan.electing_unit)) if plan.electing_unit else None
        if plan.by_election:
            seat = _vacancies(session, election.id)[0]
            unit_id = seat.electing_unit_id or unit_id
        added, slips = [], []
        for r in pending:
            user = None
            username = wanted.get(r.delegate.id)
            if username is not None:
                password = one_time_password()
                user = User(username=username, display_name=r.delegate.name, role=Role.delegate.value,
                            must_change_password=True)
                user.set_password(password)
                session.add(user)
                session.flush()
                slips.append(Slip(r.delegate.name, plan.congress + "代表", Role.delegate.label, username, password))
            t = TermDelegate(
                name=r.delegate.name, gender=r.gender, birth_date=r.birth_date, ethnicity=r.ethnicity or "",
                level=plan.level, congress=plan.congress, term_start=plan.term_start, term_end=plan.term_end,
                electing_unit=plan.electing_unit, electing_unit_id=unit_id, workplace=r.workplace or "",
                native_place=r.native_place or "", party_join_date=r.party_join_date,
                work_start_date=r.work_start_date, education=r.education or "", category=r.category or "",
                office_id=choices.offices.get(r.delegate.id), user_id=user.id if user else None,
                source_delegate_id=r.delegate.id, created_at=now)
            session.add(t)
            added.append(t)
        session.flush()
        already = tuple(r.delegate.name for r in plan.rows if r.transferred is not None)
        skipped = tuple(f"{r.delegate.name}：{r.clash}" for r in plan.rows if r.transferred is None and r.clash)
        audit(session, actor, "duties.delegates.transfer", election,
              summary=f"“{election.title}”的当选人转入代表名册{len(added)}名（{plan.congress}，"
                      f"{plan.term_start.isoformat()}至{plan.term_end.isoformat()}），创建登录账号{len(slips)}个"
                      + ("（补选）" if plan.by_election else ""),
              after={"term_delegates": [t.id for t in added], "source_delegates": [t.source_delegate_id for t in added],
                     "usernames": [s.username for s in slips], "congress": plan.congress, "level": plan.level,
                     "term_start": plan.term_start, "term_end": plan.term_end, "skipped": list(skipped)},
              now=now)
    return TransferOutcome(tuple(added), already, skipped, tuple(slips))


# ------------------------------------------------------------------------------------------------ bulk assignment
KEEP = object()


@dataclass(frozen=True)
class Assignment:
    """For every ticked delegate: a 工作室 (None: none; KEEP: unchanged), a 代表小组 name (None: unchanged; "": none)
    and the 组长 among them (one of the ids, or None)."""

    delegate_ids: tuple[int, ...]
    office_id: object = KEEP
    group_name: str | None = None
    leader_id: int | None = None


def assign_delegates(session: Session, actor, data: Assignment, now: datetime) -> list[TermDelegate]:
    """The office sets the 工作室 and 代表小组 (and its 组长) of many delegates at once; one audit entry."""
    require(can_manage_delegates(actor), "只有组织部工作人员可以分配工作室和代表小组。")
    ids = list(dict.fromkeys(data.delegate_ids))
    if not ids:
        raise ServiceError("请勾选要分配的代表。")
    group = None if data.group_name is None else data.group_name.strip()
    if group is not None and len(group) > 64:
        raise ServiceError("代表小组名称不超过64个字。")
    if data.office_id is KEEP and group is None:
        raise ServiceError("请选择党代表工作室或填写代表小组。")
    if data.leader_id is not None and data.leader_id not in ids:
        raise ServiceError("组长应为勾选的代表之一。")
    if data.leader_id is not None and not group:
        raise ServiceError("指定组长时请填写代表小组。")
    with transaction(session):
        rows = {d.id: d for d in session.scalars(select(TermDelegate).where(TermDelegate.id.in_(ids))
                                                  .with_for_update(of=TermDelegate)).unique()}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise NotFound(f"代表（编号{missing[0]}）不存在。")
        office_name = "不变"
        if data.office_id is not KEEP and data.office_id is not None:
            office = session.get(DelegateOffice, data.office_id)
            if office is None:
                raise NotFound("党代表工作室不存在。")
            office_name = office.name
        elif data.office_id is None:
            office_name = "无"
        before = {i: {"office_id": rows[i].office_id, "group_name": rows[i].group_name,
                      "group_role": rows[i].group_role} for i in ids}
        for i in ids:
            d = rows[i]
            if data.office_id is not KEEP:
                d.office_id = data.office_id
            if group is not None:
                d.group_name = group
                d.group_role = "组长" if i == data.leader_id else None
        session.flush()
        leader = rows[data.leader_id].name if data.leader_id is not None else ""
        audit(session, actor, "duties.delegates.assign", object_type="term_delegates", object_id="",
              summary=f"为{len(ids)}名代表分配：工作室{office_name}；代表小组{'不变' if group is None else (group or '无')}"
                      + (f"，组长{leader}" if leader else ""),
              before=before, after={"delegate_ids": ids, "office_id": None if data.office_id is KEEP else data.office_id,
                                    "group_name": group, "leader_id": data.leader_id}, now=now)
    return [rows[i] for i in ids]
