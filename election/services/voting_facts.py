"""The voting area's contribution to the stage guards' facts (called from services._facts.build_facts)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.models import Election
from election.models.voting import VotingResult


def voting_facts(session: Session, election: Election) -> dict:
    """``result_recorded``: the final elected list is recorded (domain.md §2 stage 8);
    ``result_reported``: the 选举情况报告 and 代表名册 were reported upward (document number and date). One query."""
    row = session.execute(select(VotingResult.id, VotingResult.reported_on)
                          .where(VotingResult.election_id == election.id)).first()
    return {"result_recorded": row is not None, "result_reported": bool(row and row.reported_on is not None)}
