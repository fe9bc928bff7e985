"""The upper committee's own nominees (市委提名人选, docs/rules.md §8, §8.1): registered, edited and deleted by the
upper committee, each assigned to one 选举单位 where it stands on the ballot as a 上级提名人选 (the linked
HigherNominee, under the same rules as one the district registers, election.voting.services.candidates); the
result comes back from that election.

An assignment is refused once the election's voting has started, and never puts more nominees in a 选举单位 than
its 上级提名名额. Every write locks the congress row first, so two assignments to one 选举单位 wait for each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.elections.models import Election
from election.levels.models import Congress, CongressNominee, CongressUnit
from election.levels.scope import can_manage_congress
from election.levels.services.setup import _congress
from election.nominations.services import allowed_categories
from election.voting.models import BallotRound, Delegate, HigherNominee, VotingResult
from election.voting.services.candidates import HigherNomineeInput, check_higher_candidate
from workflow.common.results import DomainError
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree

# a 市委提名人选 carries what the 上级提名人选 it becomes on the ballot carries
NomineeInput = HigherNomineeInput


def congress_categories(congress: Congress) -> tuple[str, ...]:
    """The 身份类别 a 市委提名人选 may have: the congress's leaf categories."""
    return allowed_categories(CategoryTree(congress.categories or None))


def _check(congress: Congress, data: NomineeInput) -> None:
    problems = []
    if not data.name.strip():
        problems.append("请填写姓名")
    if data.gender not in ("男", "女"):
        problems.append("性别只能是“男”或“女”")
    if data.birth_date is None:
        problems.append("请填写出生日期")
    allowed = congress_categories(congress)
    if data.category not in allowed:  # it feeds the structure counts (docs/rules.md §3.2)
        problems.append(f"身份类别应为{'、'.join(allowed)}之一")
    if problems:
        raise ServiceError("；".join(problems) + "。")


def _snapshot(n: CongressNominee) -> dict:
    return {"name": n.name, "gender": n.gender, "ethnicity": n.ethnicity, "birth_date": n.birth_date,
            "category": n.category, "workplace_title": n.workplace_title, "note": n.note,
            "congress_unit_id": n.congress_unit_id}


def _same_person(session: Session, congress_id: int, data: NomineeInput, exclude: int | None = None) -> None:
    query = select(CongressNominee.id).where(CongressNominee.congress_id == congress_id,
                                             CongressNominee.name == data.name.strip(),
                                             CongressNominee.birth_date == data.birth_date)
    if exclude is not None:
        query = query.where(CongressNominee.id != exclude)
    if session.scalar(query) is not None:
        raise Conflict(f"“{data.name.strip()}”（出生日期相同）已登记为市委提名人选，无需重复登记。")


def _nominee(session: Session, actor, congress_nominee_id: int) -> tuple[Congress, CongressNominee]:
    congress_id = session.scalar(select(CongressNominee.congress_id).where(CongressNominee.id == congress_nominee_id))
    if congress_id is None:
        raise NotFound("未找到该市委提名人选。")
    congress = _congress(session, actor, congress_id)  # locked first
    return congress, session.get(CongressNominee, congress_nominee_id)


def _ballot_started(session: Session, election: Election) -> bool:
    """Voting has started (a round exists) or the election is past its ballot: its candidates are fixed."""
    return Stage(election.stage) in (Stage.report, Stage.completed, Stage.aborted) or bool(session.scalar(
        select(func.count()).select_from(BallotRound).where(BallotRound.election_id == election.id)))


def _child(session: Session, unit: CongressUnit) -> Election:
    election = session.scalar(select(Election).where(Election.id == unit.election_id).with_for_update())
    if election is None:
        raise ServiceError(f"“{unit.organisation.name}”的选举尚未下发或关联，请先在“下发选举”中下发。")
    return election


def _higher(nominee: CongressNominee, election: Election, data: NomineeInput | None = None) -> HigherNominee:
    d = data or nominee
    return HigherNominee(election_id=election.id, name=d.name.strip(), gender=d.gender, birth_date=d.birth_date,
                         ethnicity=d.ethnicity or "汉族", category=d.category, workplace_title=d.workplace_title,
                         note="市委提名")


def register_nominee(session: Session, actor, congress_id: int, data: NomineeInput, now: datetime) -> CongressNominee:
    require(can_manage_congress(actor))
    with transaction(session):
        congress = _congress(session, actor, congress_id)
        _check(congress, data)
        _same_person(session, congress.id, data)
        nominee = CongressNominee(congress_id=congress.id, name=data.name.strip(), gender=data.gender,
                                  ethnicity=data.ethnicity or "汉族", birth_date=data.birth_date,
                                  category=data.category, workplace_title=data.workplace_title.strip(),
                                  note=data.note.strip(), created_at=now)
        session.add(nominee)
        session.flush()
        audit(session, actor, "levels.nominee_add", nominee, summary=f"登记市委提名人选“{nominee.name}”",
              after=_snapshot(nominee), now=now)
    return nominee


def update_nominee(session: Session, actor, congress_nominee_id: int, data: NomineeInput,
                   now: datetime) -> CongressNominee:
    """Edit a nominee; an assigned one's 上级提名人选 in the 选举单位's election changes with it (until voting)."""
    require(can_manage_congress(actor))
    with transaction(session):
        congress, nominee = _nominee(session, actor, congress_nominee_id)
        _check(congress, data)
        _same_person(session, congress.id, data, exclude=nominee.id)
        before = _snapshot(nominee)
        higher = session.get(HigherNominee, nominee.higher_nominee_id) if nominee.higher_nominee_id else None
        if higher is not None:
            election = _child(session, nominee.congress_unit)
            if _ballot_started(session, election):
                raise ServiceError(f"“{election.title}”的投票已经开始，不能再修改其上级提名人选。")
            check_higher_candidate(session, election, data.name.strip(), data.category, exclude_id=higher.id)
            for key in ("gender", "birth_date", "category"):
                setattr(higher, key, getattr(data, key))
            higher.name, higher.ethnicity = data.name.strip(), data.ethnicity or "汉族"
            higher.workplace_title = data.workplace_title.strip()
        nominee.name, nominee.gender, nominee.birth_date = data.name.strip(), data.gender, data.birth_date
        nominee.ethnicity, nominee.category = data.ethnicity or "汉族", data.category
        nominee.workplace_title, nominee.note = data.workplace_title.strip(), data.note.strip()
        audit(session, actor, "levels.nominee_update", nominee, summary=f"修改市委提名人选“{nominee.name}”",
              before=before, after=_snapshot(nominee), now=now)
        if higher is not None:
            audit(session, actor, "levels.child_higher", election,
                  summary=f"上级组织部门修改上级提名人选“{nominee.name}”", before=before, after=_snapshot(nominee),
                  now=now)
    return nominee


def delete_nominee(session: Session, actor, congress_nominee_id: int, now: datetime) -> None:
    """Delete a nominee; an assigned one leaves the 选举单位's ballot with it (until voting)."""
    require(can_manage_congress(actor))
    with transaction(session):
        congress, nominee = _nominee(session, actor, congress_nominee_id)
        before = _snapshot(nominee)
        _leave(session, actor, congress, nominee, now)
        session.delete(nominee)
        audit(session, actor, "levels.nominee_delete", nominee, summary=f"删除市委提名人选“{before['name']}”",
              before=before, now=now)


def _leave(session: Session, actor, congress: Congress, nominee: CongressNominee, now: datetime) -> None:
    """Take the nominee off the ballot of the 选举单位 it was assigned to (refused once voting started there)."""
    if nominee.higher_nominee_id is None:
        return
    election = _child(session, nominee.congress_unit)
    if _ballot_started(session, election):
        raise ServiceError(f"“{election.title}”的投票已经开始，“{nominee.name}”不能再移出该选举。")
    higher = session.get(HigherNominee, nominee.higher_nominee_id)
    nominee.higher_nominee_id = None
    session.flush()
    if higher is not None:
        session.delete(higher)
    audit(session, actor, "levels.child_higher", election,
          summary=f"上级组织部门将上级提名人选“{nominee.name}”移出本选举（{congress.title}）",
          before={"name": nominee.name}, now=now)


def assign_nominee(session: Session, actor, congress_nominee_id: int, congress_unit_id: int | None,
                   now: datetime) -> CongressNominee:
    """Assign the nominee to a 选举单位 (None: to none): it joins that election's ballot as a 上级提名人选 and
    leaves the one it was in. At most the 选举单位's 上级提名名额; refused once voting started on either side."""
    require(can_manage_congress(actor))
    with transaction(session):
        congress, nominee = _nominee(session, actor, congress_nominee_id)
        if congress_unit_id == nominee.congress_unit_id:
            return nominee
        target = session.get(CongressUnit, congress_unit_id) if congress_unit_id is not None else None
        if congress_unit_id is not None and (target is None or target.congress_id != congress.id):
            raise NotFound("未找到该选举单位，或它不属于本次上级选举。")
        before = _snapshot(nominee)
        election = None
        if target is not None:  # 来源: docs/rules.md §8.1 — counted apart from the seats, at most 上级提名名额
            taken = session.scalar(select(func.count()).select_from(CongressNominee).where(
                CongressNominee.congress_unit_id == target.id, CongressNominee.id != nominee.id))
            if taken >= target.higher_seats:
                raise ServiceError(f"“{target.organisation.name}”的上级提名名额为{target.higher_seats}名，"
                                   f"已分配{taken}名，不能再分配；如需调整，请先修改名额分配。")
            election = _child(session, target)
            if _ballot_started(session, election):
                raise ServiceError(f"“{election.title}”的投票已经开始，不能再分配上级提名人选。")
            check_higher_candidate(session, election, nominee.name, nominee.category)
        _leave(session, actor, congress, nominee, now)
        nominee.congress_unit_id = target.id if target is not None else None
        if election is not None:
            higher = _higher(nominee, election)
            session.add(higher)
            session.flush()
            nominee.higher_nominee_id = higher.id
            audit(session, actor, "levels.child_higher", election,
                  summary=f"上级组织部门分配上级提名人选“{nominee.name}”到本选举（{congress.title}）",
                  after={"name": nominee.name, "category": nominee.category}, now=now)
        where = target.organisation.name if target is not None else "（不分配）"
        audit(session, actor, "levels.nominee_assign", nominee, summary=f"市委提名人选“{nominee.name}”分配到{where}",
              before=before, after=_snapshot(nominee), now=now)
    return nominee


@dataclass(frozen=True)
class NomineeResult:
    status: str      # "" (no result yet), "当选", "未当选"
    votes: int | None


def nominee_results(session: Session, congress: Congress) -> dict[int, NomineeResult]:
    """Each assigned nominee's result in its 选举单位, read from that election's recorded result."""
    nominees = session.scalars(select(CongressNominee).where(CongressNominee.congress_id == congress.id,
                                                             CongressNominee.higher_nominee_id.is_not(None))).all()
    higher_ids = [n.higher_nominee_id for n in nominees]
    if not higher_ids:
        return {}
    highers = {h.id: h for h in session.scalars(select(HigherNominee).where(HigherNominee.id.in_(higher_ids)))}
    elected = {d.higher_nominee_id: d for d in session.scalars(select(Delegate).where(
        Delegate.higher_nominee_id.in_(higher_ids)))}
    done = set(session.scalars(select(VotingResult.election_id).where(
        VotingResult.election_id.in_({h.election_id for h in highers.values()}))))
    out = {}
    for n in nominees:
        h = highers.get(n.higher_nominee_id)
        if h is None or h.election_id not in done:
            out[n.id] = NomineeResult("", None)
        elif n.higher_nominee_id in elected:
            out[n.id] = NomineeResult("当选", elected[n.higher_nominee_id].votes)
        else:
            out[n.id] = NomineeResult("未当选", _votes(session, h.election_id, h.name))
    return out


def _votes(session: Session, election_id: int, name: str) -> int | None:
    """The votes of a candidate who was not elected: from the last confirmed round that counted him or her."""
    from election.voting.services.state import replay

    election = session.get(Election, election_id)
    try:
        state = replay(session, election)
    except (DomainError, ServiceError, KeyError, ValueError):  # rounds that no longer replay show no votes
        return None
    votes = [r.votes[name] for r in state.results if name in getattr(r, "votes", {})]
    return votes[-1] if votes else None
