"""What the voting pages read: the replayed rounds, the plans, the result and the ballot's candidates in a fixed
number of queries, and whether the 批复 has been recorded.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.elections.models import Election, ElectionDecision
from election.voting.models import BallotRound, RoundPlan, VotingResult
from election.voting.services.state import _rounds_and_plans, ballot_candidates, load_election, replay
from workflow.tally.rounds import ElectionRounds


@dataclass(frozen=True)
class VotingView:
    election: Election
    state: ElectionRounds
    rounds: list[BallotRound]
    plans: list[RoundPlan]
    result: VotingResult | None
    candidates: list[str]


def voting_view(session: Session, election_id: int) -> VotingView:
    """Everything the round and result pages read, in a fixed number of queries."""
    election = load_election(session, election_id)
    rounds, plans = _rounds_and_plans(session, election_id)
    candidates = ballot_candidates(session, election) if not rounds else list(rounds[0].candidates)
    state = replay(session, election, rounds, plans, candidates)
    result = session.scalar(select(VotingResult).where(VotingResult.election_id == election_id))
    return VotingView(election, state, rounds, plans, result, candidates)


def approval_recorded(session: Session, election_id: int) -> bool:
    return bool(session.scalar(select(ElectionDecision.id).where(ElectionDecision.election_id == election_id,
                                                                 ElectionDecision.kind == "approval")))
