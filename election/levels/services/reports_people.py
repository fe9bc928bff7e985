"""The list a package freezes (docs/rules.md §8.2): who is on it as the district's data has them at the moment it
is reported — 初步人选, 预备人选 with the 上级提名人选, or the elected — and the check that the list is decided.

Each person: name, gender, birth date, ethnicity, unit (推荐单位, or 上级提名), 身份类别, 工作单位及职务 and the key of the
person in the district's data ("n<nominee id>", "h<上级提名人选 id>", "d<delegate id>" for a write-in).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import ServiceError
from election.elections.models import Election, ElectionDecision
from election.vetting.services.people import people_at, sort_people
from election.voting.models import ConfirmMeeting, Delegate, HigherNominee, VotingResult

HIGHER_UNIT = "上级提名"


def _person(key: str, p, unit: str) -> dict:
    return {"key": key, "name": p.name, "gender": p.gender or "", "ethnicity": p.ethnicity or "",
            "birth_date": p.birth_date.isoformat() if p.birth_date else None, "unit": unit,
            "category": p.category or "", "workplace_title": getattr(p, "workplace_title", None) or ""}


def _higher(session: Session, election_id: int) -> list[dict]:
    return [_person(f"h{h.id}", h, HIGHER_UNIT) for h in session.scalars(
        select(HigherNominee).where(HigherNominee.election_id == election_id).order_by(HigherNominee.id))]


def frozen_people(session: Session, election: Election, kind: str) -> list[dict]:
    """The list of KIND as it stands; refused (saying what to do first) while it is not yet decided or empty."""
    if kind == "consent":
        if session.scalar(select(ElectionDecision.id).where(ElectionDecision.election_id == election.id,
                                                            ElectionDecision.kind == "preliminary")) is None:
            raise ServiceError("尚未登记确定初步人选的会议（常委会），请先在选举页面登记会议的日期和文号，再报送初步人选。")
        people = [_person(f"n{n.id}", n, unit) for n, unit in people_at(session, election, "preliminary")]
        if not people:
            raise ServiceError("还没有初步人选，请先确定初步人选再报送。")
        return people
    if kind == "approval":
        if session.scalar(select(ConfirmMeeting.id).where(ConfirmMeeting.election_id == election.id)) is None:
            raise ServiceError("尚未登记确定预备人选的全委会，请先在“选举大会与投票”中登记圈选结果，再报送预备人选。")
        people = [_person(f"n{n.id}", n, unit) for n, unit in people_at(session, election, "confirmed")]
        if not people:
            raise ServiceError("还没有预备人选，请先登记全委会圈选结果再报送。")
        return people + _higher(session, election.id)
    if session.scalar(select(VotingResult.id).where(VotingResult.election_id == election.id)) is None:
        raise ServiceError("尚未录入选举结果，请先在“选举大会与投票”中确定选举结果，再报送。")
    units = {n.id: unit for n, unit in people_at(session, election, "confirmed", include_removed=True)}
    people = []
    for d in session.scalars(select(Delegate).where(Delegate.election_id == election.id).order_by(Delegate.id)):
        if d.nominee_id is not None:
            key, unit = f"n{d.nominee_id}", units.get(d.nominee_id, "")
        elif d.higher_nominee_id is not None:
            key, unit = f"h{d.higher_nominee_id}", HIGHER_UNIT
        else:
            key, unit = f"d{d.id}", ""
        row = _person(key, d, unit)
        row["workplace_title"] = d.unit or ""
        people.append(row)
    if not people:
        raise ServiceError("选举结果中没有当选代表，无法报送。")
    return sort_people(election, people, key=lambda p: p["name"])
