"""The voting area's contribution to the stage guards' facts (called from services._facts.build_facts)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.elections.models import Election
from election.voting.models import HigherNominee, VotingResult


def voting_facts(session: Session, election: Election) -> dict:
    """``result_recorded``: the final elected list is recorded (docs/rules.md §2 stage 8);
    ``result_reported``: the 选举情况报告 and 代表名册 were reported upward (document number and date);
    ``higher_registered``: 上级提名人选 registered for the plan's ``higher_seats``. One query."""
    mine = VotingResult.election_id == election.id
    result_id, reported_on, higher = session.execute(select(
        select(VotingResult.id).where(mine).scalar_subquery(),
        select(VotingResult.reported_on).where(mine).scalar_subquery(),
        select(func.count()).select_from(HigherNominee).where(HigherNominee.election_id == election.id)
        .scalar_subquery())).one()
    return {"result_recorded": result_id is not None, "result_reported": reported_on is not None,
            "higher_seats": election.higher_nominated_seats or 0, "higher_registered": higher or 0}
