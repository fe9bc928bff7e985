"""The state of the voting, replayed and never stored twice: loading the election and a round, the stage check,
the meeting rules (quorum, majority base), the seats and candidates on the ballot (预备人选 and 上级提名 in 姓氏笔画
order), the totals as stored, and the pure ``ElectionRounds`` rebuilt from the closed rounds and the recorded plans
(workflow.tally, docs/rules.md §3.3).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import NotFound, ServiceError
from election.directory.models import ElectionUnit, Unit
from election.elections.facts import ballot_margin
from election.elections.models import Election
from election.nominations.models import Nominee
from election.voting.models import BallotRound, HigherNominee, RoundPlan
from workflow.common import sources
from workflow.common.strokes import sort_names
from workflow.pipeline.ratios import parse_margin
from workflow.pipeline.stages import Stage
from workflow.tally.count import TallyResult, tally_totals
from workflow.tally.rounds import ElectionRounds, ReductionBasis, start_election
from workflow.tally.rules import MajorityBase, QuorumRule, RoundKind, RoundSetup, RulePreset, Totals, get_preset

SRC = sources.MEETING
KIND_TO_DB = {RoundKind.regular: "regular", RoundKind.repeat: "repeat", RoundKind.revote_tie: "revote",
              RoundKind.additional: "additional"}
DB_TO_KIND = {v: k for k, v in KIND_TO_DB.items()}
KIND_LABELS = {"regular": "正式选举", "repeat": "重新投票", "revote": "并列者再次投票", "additional": "另行选举"}
STATUS_LABELS = {"open": "计票中", "confirmed": "计票已确认", "closed": "已结束"}


def load_election(session: Session, election_id: int, *, lock: bool = False) -> Election:
    """The election; ``lock``: its row locked for this transaction (SELECT … FOR UPDATE on PostgreSQL), so a second
    request doing the same (opening a round, recording the result) waits here and then sees the first one's rows."""
    if lock:
        election = session.scalar(select(Election).where(Election.id == election_id)
                                  .with_for_update(of=Election).execution_options(populate_existing=True))
    else:
        election = session.get(Election, election_id)
    if election is None:
        raise NotFound("选举不存在。")
    return election


def load_round(session: Session, round_id: int, *, lock: bool = False) -> BallotRound:
    """The round; ``lock``: its row locked for this transaction, so the checks of a use case (the other entry is
    not yours, not yet confirmed or closed, fewer ballots than collected) still hold when it writes
    (docs: style.md §4.10 — SQLite's BEGIN IMMEDIATE serialises anyway)."""
    if lock:
        rnd = session.scalar(select(BallotRound).where(BallotRound.id == round_id)
                             .with_for_update(of=BallotRound).execution_options(populate_existing=True))
        if rnd is not None:
            session.expire(rnd, ["entries"])  # read again, after the lock
    else:
        rnd = session.get(BallotRound, round_id)
    if rnd is None:
        raise NotFound("该轮投票不存在。")
    return rnd


def _need_stage(election: Election, *stages: Stage) -> None:
    if election.stage not in stages:
        names = "、".join(f"“{s.label}”" for s in stages)
        raise ServiceError(f"选举现处于“{Stage(election.stage).label}”阶段，此操作只能在{names}阶段进行。")


def pads_single_names(election: Election) -> bool:
    return bool((election.settings or {}).get("pad_single_given_name", False))


def rule_preset(election: Election) -> RulePreset:
    """The election's meeting rules (来源: docs/rules.md §3.3; editable per election in its settings)."""
    base = get_preset(election.preset)
    rules = (election.settings or {}).get("meeting_rules") or {}
    share = parse_margin(rules["quorum"]) if "quorum" in rules else base.quorum_share
    strict = rules.get("quorum_strict")
    quorum_rule = base.quorum_rule if strict is None else (QuorumRule.more_than if strict else QuorumRule.at_least)
    majority = MajorityBase(rules.get("majority_base", base.majority_base.value))
    return RulePreset(base.name, Fraction(share), quorum_rule, majority)


def _ballot_margin(election: Election) -> Fraction:
    return ballot_margin(election.settings or {})


def total_seats(election: Election) -> int:
    """Seats on the ballot: 应选名额 plus the higher committee's own seats (counted separately)."""
    return election.seats + (election.higher_nominated_seats or 0)


def confirmed_people(session: Session, election_id: int) -> list[Nominee]:
    return list(session.scalars(select(Nominee).where(Nominee.election_id == election_id, Nominee.step == "confirmed",
                                                      Nominee.removed_reason.is_(None))))


def higher_people(session: Session, election_id: int) -> list[HigherNominee]:
    return list(session.scalars(select(HigherNominee).where(HigherNominee.election_id == election_id)
                                .order_by(HigherNominee.id)))


def ballot_candidates(session: Session, election: Election) -> list[str]:
    """预备人选 and 上级提名 candidates, in 姓氏笔画 order (来源: docs/rules.md §3.4)."""
    names = [p.name for p in confirmed_people(session, election.id)] + \
            [h.name for h in higher_people(session, election.id)]
    return sort_names(names, pad_single_given_name=pads_single_names(election))


def totals_to_json(t: Totals) -> dict:
    return {"valid": t.valid, "invalid": t.invalid, "for": dict(t.for_votes), "against": dict(t.against),
            "write_in": dict(t.write_in)}


def totals_from_json(d: Mapping | None) -> Totals:
    d = d or {}
    return Totals(valid=int(d.get("valid", 0)), invalid=int(d.get("invalid", 0)), for_votes=dict(d.get("for", {})),
                  write_in=dict(d.get("write_in", {})), against=dict(d.get("against", {})))


def _setup_of(election: Election, rnd: BallotRound, preset: RulePreset | None = None) -> RoundSetup:
    return RoundSetup(preset or rule_preset(election), rnd.seats, rnd.eligible, rnd.present, rnd.ballots_collected,
                      tuple(rnd.candidates), round_no=rnd.round_no, kind=DB_TO_KIND[rnd.kind],
                      pad_single_given_name=pads_single_names(election))


def _rounds_and_plans(session: Session, election_id: int) -> tuple[list[BallotRound], list[RoundPlan]]:
    rounds = list(session.scalars(select(BallotRound).where(BallotRound.election_id == election_id)
                                  .order_by(BallotRound.round_no)))
    plans = list(session.scalars(select(RoundPlan).where(RoundPlan.election_id == election_id)
                                 .order_by(RoundPlan.id)))
    return rounds, plans


def replay(session: Session, election: Election, rounds: Sequence[BallotRound] | None = None,
           plans: Sequence[RoundPlan] | None = None, candidates: Sequence[str] | None = None) -> ElectionRounds:
    """The election's voting as the pure :class:`ElectionRounds`, from its closed rounds and plans."""
    if rounds is None or plans is None:
        rounds, plans = _rounds_and_plans(session, election.id)
    preset = rule_preset(election)
    first = rounds[0].candidates if rounds else (candidates if candidates is not None
                                                 else ballot_candidates(session, election))
    state = start_election(preset, total_seats(election), first, pad_single_given_name=pads_single_names(election))
    by_round: dict[int, list[RoundPlan]] = {}
    for p in plans:
        by_round.setdefault(p.after_round_no, []).append(p)
    for rnd in rounds:
        if rnd.status != "closed":
            break
        state = state.record(_tally(election, rnd, preset))
        for p in by_round.get(rnd.round_no, []):
            if p.kind == "additional":
                state = state.plan_additional_round(p.candidates_count)
            else:
                state = state.reduce_seats(p.seats_removed, ReductionBasis(p.basis), p.note)
    return state


def _tally(election: Election, rnd: BallotRound, preset: RulePreset | None = None) -> TallyResult:
    return tally_totals(_setup_of(election, rnd, preset), totals_from_json(rnd.confirmed_totals))


def _unit_names(session: Session, election_id: int) -> dict[int, str]:
    return dict(session.execute(select(ElectionUnit.id, Unit.name).join(Unit, Unit.id == ElectionUnit.unit_id)
                                .where(ElectionUnit.election_id == election_id)).all())
