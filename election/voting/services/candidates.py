"""Who is on the ballot: the 全委会 圈选 that makes 初步人选 预备人选 (a list, or votes per person), the 批复's approved
list, the 上级提名 candidates with their own seats, and the 监票人 / 计票人 (never a candidate); each judged on the
ballot margin and the quotas (docs/rules.md §3.1, §3.2).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, ServiceError
from election.core.permissions import can_manage_elections, require
from election.elections.facts import quota_rules, reference_date, to_candidate
from election.elections.models import Election
from election.nominations.models import Nominee
from election.voting.models import BallotRound, ConfirmMeeting, HigherNominee, Scrutineer
from election.voting.services.state import (
    _ballot_margin,
    _need_stage,
    ballot_candidates,
    confirmed_people,
    higher_people,
    load_election,
    pads_single_names,
)
from workflow.common.results import Blocker
from workflow.common.strokes import sort_names
from workflow.pipeline.ratios import MarginStep, check_step_margin
from workflow.pipeline.stages import Stage
from workflow.quotas.checks import check_feasibility_blockers
from workflow.tally.rules import threshold_for


@dataclass(frozen=True)
class ConfirmInput:
    held_on: date
    members: int
    attendance: int
    mode: str  # 'list' | 'votes'
    chosen_ids: tuple[int, ...] = ()
    votes: Mapping[int, int] = field(default_factory=dict)
    max_chosen: int | None = None
    body: str = "全委会"


@dataclass(frozen=True)
class ConfirmOutcome:
    chosen: tuple[str, ...]  # 姓氏笔画 order
    warnings: tuple[Blocker, ...]  # margin and quota problems (the stage guard blocks on them)


def select_by_votes(votes: Mapping[int, int], attendance: int, max_chosen: int,
                    names: Mapping[int, str]) -> list[int]:
    """全委会 圈选 by votes: more than half of the members present, most votes first, at most ``max_chosen``;
    a tie at the cutoff raises (the meeting votes again among the tied). Decision, see the package docstring."""
    need = threshold_for(attendance)  # strictly more than half (docs/rules.md §3.3)
    passed = sorted((i for i, n in votes.items() if n >= need), key=lambda i: -votes[i])
    if len(passed) > max_chosen:
        cutoff = votes[passed[max_chosen - 1]]
        if votes[passed[max_chosen]] == cutoff:
            tied = "、".join(names[i] for i in passed if votes[i] == cutoff)
            raise ServiceError(f"{tied}各得{cutoff}票，并列于第{max_chosen}位，请在并列者中再次圈选后重新录入。")
        passed = passed[:max_chosen]
    return passed


def _ballot_warnings(session: Session, election: Election, people: Sequence[Nominee], today: date) -> list[Blocker]:
    """The margin of the final ballot and the quotas, judged on the 预备人选 against the seats.

    来源: docs/rules.md §3.1, §3.2."""
    out = list(check_step_margin(MarginStep.delegates, len(people), election.seats, _ballot_margin(election)))
    if election.quota_rules:
        out += check_feasibility_blockers([to_candidate(p) for p in people], quota_rules(election),
                                          reference_date(election, today), election.seats)
    return out


def record_confirm_meeting(session: Session, actor, election_id: int, data: ConfirmInput, now: datetime) -> ConfirmOutcome:
    """Record the 全委会 圈选 and make the chosen 初步人选 预备人选 (step 'confirmed'); re-recording replaces it."""
    require(can_manage_elections(actor))
    if data.mode not in ("list", "votes"):
        raise ServiceError("请选择录入方式：圈选名单或逐人得票。")
    if data.members <= 0 or not 0 < data.attendance <= data.members:
        raise ServiceError("到会委员人数应大于0且不多于应到会委员人数，请核对。")
    with transaction(session):
        election = load_election(session, election_id, lock=True)
        _need_stage(election, Stage.confirm)
        pool = {p.id: p for p in session.scalars(select(Nominee).where(
            Nominee.election_id == election_id, Nominee.step.in_(("preliminary", "confirmed")),
            Nominee.removed_reason.is_(None)))}
        names = {i: p.name for i, p in pool.items()}
        if data.mode == "list":
            chosen_ids = list(dict.fromkeys(data.chosen_ids))
            unknown = [i for i in chosen_ids if i not in pool]
            max_chosen = None
            votes = None
        else:
            unknown = [i for i in data.votes if i not in pool]
            bad = [names.get(i, str(i)) for i, n in data.votes.items() if n < 0 or n > data.attendance]
            if bad:
                raise ServiceError(f"{'、'.join(bad)}的得票应在0到到会委员人数{data.attendance}之间，请核对。")
            if not data.max_chosen or data.max_chosen <= 0:
                raise ServiceError("按得票确定时，请填写预备人选的人数上限。")
            max_chosen = data.max_chosen
            votes = {str(i): n for i, n in data.votes.items()}
            chosen_ids = select_by_votes({i: n for i, n in data.votes.items() if i in pool}, data.attendance,
                                         max_chosen, names)
        if unknown:  # each named (by 编号: a person of another election or no longer an 初步人选)
            raise ServiceError("；".join(f"人员（编号{i}）不在本次选举的初步人选之中" for i in unknown)
                               + "，请刷新页面后重新选择。")
        if not chosen_ids:
            raise ServiceError("没有确定任何预备人选，请核对圈选结果。")
        meeting = session.scalar(select(ConfirmMeeting).where(ConfirmMeeting.election_id == election_id))
        before = None
        if meeting is None:
            meeting = ConfirmMeeting(election_id=election_id)
            session.add(meeting)
        else:
            before = {"chosen": meeting.chosen, "attendance": meeting.attendance}
        meeting.body, meeting.held_on, meeting.members, meeting.attendance = data.body, data.held_on, data.members, \
            data.attendance
        meeting.mode, meeting.votes, meeting.max_chosen, meeting.chosen = data.mode, votes, max_chosen, chosen_ids
        for i, p in pool.items():
            p.step = "confirmed" if i in set(chosen_ids) else "preliminary"
        chosen_people = [pool[i] for i in chosen_ids]
        warnings = _ballot_warnings(session, election, chosen_people, now.date())
        chosen = tuple(sort_names([p.name for p in chosen_people], pad_single_given_name=pads_single_names(election)))
        audit(session, actor, "voting.confirm_meeting", election,
              summary=f"登记{data.body}圈选结果：到会委员{data.attendance}名（应到{data.members}名），"
                      f"确定预备人选{len(chosen)}名", before=before,
              after={"chosen": list(chosen), "mode": data.mode, "votes": votes, "max_chosen": max_chosen}, now=now)
    return ConfirmOutcome(chosen, tuple(warnings))


def record_approval_list(session: Session, actor, election_id: int, struck: Mapping[int, str],
                         now: datetime) -> ConfirmOutcome:
    """The 批复's approved list: every 预备人选 not struck is approved; a struck person leaves with the reason.
    (The 批复 itself — document number, date — is recorded with elections.record_decision(kind='approval').)"""
    require(can_manage_elections(actor))
    missing = [i for i, reason in struck.items() if not (reason or "").strip()]
    if missing:
        raise ServiceError("上级未批准的人员须填写原因。")
    with transaction(session):
        election = load_election(session, election_id, lock=True)
        _need_stage(election, Stage.confirm)
        people = {p.id: p for p in confirmed_people(session, election_id)}
        unknown = [i for i in struck if i not in people]
        if unknown:
            raise ServiceError("；".join(f"人员（编号{i}）不是本次选举的预备人选" for i in unknown)
                               + "，请刷新页面后重新选择。")
        removed = []
        for i, reason in struck.items():
            people[i].removed_reason = f"上级批复未同意：{reason.strip()}"
            removed.append(people[i].name)
        remaining = [p for i, p in people.items() if i not in struck]
        warnings = _ballot_warnings(session, election, remaining, now.date())
        approved = tuple(sort_names([p.name for p in remaining], pad_single_given_name=pads_single_names(election)))
        audit(session, actor, "voting.approval_list", election,
              summary=f"登记批复名单：同意预备人选{len(approved)}名"
                      + (f"，未同意{len(removed)}名（{'、'.join(removed)}）" if removed else ""),
              after={"approved": list(approved), "struck": {people[i].name: r for i, r in struck.items()}}, now=now)
    return ConfirmOutcome(approved, tuple(warnings))


@dataclass(frozen=True)
class HigherNomineeInput:
    name: str
    gender: str
    birth_date: date
    ethnicity: str = "汉族"
    category: str = ""
    workplace_title: str = ""
    note: str = ""


def higher_categories(election: Election) -> tuple[str, ...]:
    """The 身份类别 a 上级提名人选 may have: the election's leaf categories, as for a nominee."""
    from election.nominations.services import allowed_categories
    from workflow.quotas.categories import CategoryTree

    return allowed_categories(CategoryTree(election.categories or None))


HIGHER_FROM_ABOVE = "本次选举的上级提名人选由上级组织部门登记和分配。"


def check_higher_candidate(session: Session, election: Election, name: str, category: str, *,
                           exclude_id: int | None = None) -> None:
    """A 上级提名人选 may join ELECTION's ballot: voting not started, the name not taken by another candidate,
    a leaf category of the election (it feeds the structure counts, docs/rules.md §3.2)."""
    if session.scalar(select(func.count()).select_from(BallotRound).where(BallotRound.election_id == election.id)):
        raise ServiceError("投票已经开始，不能再增加候选人。")
    taken = set(ballot_candidates(session, election))
    if exclude_id is not None:
        taken.discard(session.get(HigherNominee, exclude_id).name)
    if name in taken:
        raise ServiceError(f"“{name}”已在候选人名单中（同名请在姓名后加注以示区别）。")
    allowed = higher_categories(election)
    if category not in allowed:
        raise ServiceError(f"请选择上级提名人选的身份类别（{'、'.join(allowed)}之一）：身份类别计入结构比例。")


def add_higher_nominee(session: Session, actor, election_id: int, data: HigherNomineeInput,
                       now: datetime) -> HigherNominee:
    """A candidate nominated by the higher committee joins the ballot (own seats, counted separately)."""
    require(can_manage_elections(actor))
    name = data.name.strip()
    if not name:
        raise ServiceError("请填写上级提名人选的姓名。")
    if data.gender not in ("男", "女"):
        raise ServiceError("性别只能是“男”或“女”。")
    with transaction(session):
        election = load_election(session, election_id, lock=True)
        if election.congress_id is not None:  # 来源: docs/rules.md §8.1
            raise ServiceError(HIGHER_FROM_ABOVE)
        _need_stage(election, Stage.confirm, Stage.ballot)
        if not election.higher_nominated_seats:
            raise ServiceError("本次选举的工作方案没有上级提名名额；如有，请先在工作方案中设置。")
        if session.scalar(select(func.count()).select_from(BallotRound).where(BallotRound.election_id == election_id)):
            raise ServiceError("投票已经开始，不能再增加候选人。")
        registered = len(higher_people(session, election_id))
        if registered >= election.higher_nominated_seats:
            raise ServiceError(f"上级提名名额为{election.higher_nominated_seats}名，已登记{registered}名，"
                               f"不能再增加；如需调整，请先修改工作方案中的上级提名名额。")
        check_higher_candidate(session, election, name, data.category)
        person = HigherNominee(election_id=election_id, name=name, gender=data.gender, birth_date=data.birth_date,
                               ethnicity=data.ethnicity or "汉族", category=data.category,
                               workplace_title=data.workplace_title, note=data.note)
        session.add(person)
        session.flush()
        audit(session, actor, "voting.higher_nominee", person, summary=f"登记上级提名人选“{name}”",
              after={"name": name, "gender": data.gender, "category": data.category}, now=now)
    return person


def add_scrutineer(session: Session, actor, election_id: int, name: str, duty: str, now: datetime,
                   round_id: int | None = None) -> Scrutineer:
    """A 监票人 / 计票人; a candidate of the election cannot be one (our rule)."""
    require(can_manage_elections(actor))
    name = name.strip()
    if duty not in ("scrutineer", "counter") or not name:
        raise ServiceError("请填写姓名并选择监票人或计票人。")
    with transaction(session):
        election = load_election(session, election_id, lock=True)
        candidates = set(ballot_candidates(session, election))
        rounds = session.scalars(select(BallotRound.candidates).where(BallotRound.election_id == election_id)).all()
        for c in rounds:
            candidates.update(c)
        if name in candidates:
            raise ServiceError(f"“{name}”是候选人，不能担任监票人或计票人，请另选。")
        label = "监票人" if duty == "scrutineer" else "计票人"
        same = select(Scrutineer.id).where(Scrutineer.election_id == election_id, Scrutineer.name == name,
                                           Scrutineer.duty == duty, Scrutineer.round_id.is_(None) if round_id is None
                                           else Scrutineer.round_id == round_id)
        if session.scalar(same) is not None:  # under the election's lock: a double submit stores one row
            raise Conflict(f"“{name}”已登记为{label}，无需重复登记。")
        s = Scrutineer(election_id=election_id, round_id=round_id, name=name, duty=duty)
        session.add(s)
        session.flush()
        audit(session, actor, "voting.scrutineer", s, summary=f"确定{label}“{name}”", after={"name": name, "duty": duty},
              now=now)
    return s
