"""The rounds of the 差额选举: opening the round the rules call for (a void one is closed at once), the two tellers'
entries of the totals and their comparison, the confirmed count, ballots entered one by one, closing a round
with its tally, and the plan after a round short of seats (另行选举 or fewer seats) (docs/rules.md §3.3).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.audit.seals import fixed
from election.audit.services import audit
from election.core.db import transaction
from election.core.double_entry import check_two_tellers, own_entry
from election.core.exceptions import Conflict, ServiceError
from election.core.permissions import can_manage_elections, require
from election.elections.models import Election
from election.notifications import events as notifications
from election.voting.models import BallotPaper, BallotRound, RoundPlan, TellerEntry
from election.voting.services.permissions import can_confirm_count, can_enter_count
from election.voting.services.state import (
    KIND_LABELS,
    KIND_TO_DB,
    _ballot_margin,
    _need_stage,
    _rounds_and_plans,
    _setup_of,
    load_election,
    load_round,
    replay,
    totals_from_json,
    totals_to_json,
)
from workflow.common.results import DomainError
from workflow.pipeline.ratios import min_candidates
from workflow.pipeline.stages import Stage
from workflow.tally.checks import check_ballots, check_totals
from workflow.tally.count import TallyResult, tally_ballots, tally_totals
from workflow.tally.rounds import ReductionBasis
from workflow.tally.rules import RoundSetup, Totals, compare_teller_entries


@dataclass(frozen=True)
class RoundInput:
    eligible: int
    present: int
    ballots_issued: int
    ballots_collected: int
    count_mode: str = "totals"


def open_round(session: Session, actor, election_id: int, data: RoundInput, now: datetime) -> BallotRound:
    """Start the next round the rules call for (first, repeat, re-vote among the tied, 另行选举) with the meeting's
    figures. A round without a quorum, or with more ballots collected than present, is closed at once as void."""
    require(can_manage_elections(actor))
    if data.count_mode not in ("totals", "ballots"):
        raise ServiceError("请选择计票方式。")
    if data.eligible <= 0 or data.present < 0 or data.present > data.eligible:
        raise ServiceError(f"实到会人数（{data.present}）应在0到应到会人数（{data.eligible}）之间，请核对。")
    if data.ballots_issued < 0 or data.ballots_collected < 0:
        raise ServiceError("发出和收回的选票数不能为负数。")
    with transaction(session):
        election = load_election(session, election_id, lock=True)  # one round opened at a time
        _need_stage(election, Stage.ballot)
        rounds, plans = _rounds_and_plans(session, election_id)
        if rounds and rounds[-1].status != "closed":
            raise Conflict(f"第{rounds[-1].round_no}轮尚未结束，请先完成计票。")
        state = replay(session, election, rounds, plans)
        if not rounds and len(state.candidates) < 1:
            raise ServiceError("还没有候选人：请先确定预备人选。")
        try:
            setup = state.next_round(eligible=data.eligible, present=data.present,
                                     ballots_collected=data.ballots_collected)
        except DomainError as exc:
            raise ServiceError(exc.message) from None
        rnd = BallotRound(election_id=election_id, round_no=setup.round_no, kind=KIND_TO_DB[setup.kind],
                          seats=setup.seats, eligible=data.eligible, present=data.present,
                          ballots_issued=data.ballots_issued, ballots_collected=data.ballots_collected,
                          candidates=setup.sort_names(setup.candidates), count_mode=data.count_mode, status="open",
                          opened_at=now)
        session.add(rnd)
        session.flush()
        early = tally_totals(setup, Totals(0, 0)) if _does_not_stand(setup) else None
        if early is not None:
            rnd.confirmed_totals = totals_to_json(Totals(0, data.ballots_collected))
            _store_result(rnd, early, now)
        audit(session, actor, "voting.open_round", rnd,
              summary=f"第{rnd.round_no}轮（{KIND_LABELS[rnd.kind]}）：应到会{data.eligible}人，实到会{data.present}人，"
                      f"发出选票{data.ballots_issued}张，收回{data.ballots_collected}张"
                      + (f"；{early.next.label}" if early is not None else ""),
              after={"seats": rnd.seats, "candidates": rnd.candidates}, now=now)
        notifications.round_opened(session, election, rnd, now)
    return rnd


def _does_not_stand(setup: RoundSetup) -> bool:
    return not setup.preset.quorum_met(setup.eligible, setup.present) or setup.ballots_collected > setup.present


def _store_result(rnd: BallotRound, result: TallyResult, now: datetime) -> None:
    rnd.result = {**result.as_json(), "against": dict(result.against), "passed": list(result.passed),
                  "base": result.base}
    rnd.explanation = result.explanation
    rnd.status = "closed"
    rnd.closed_at = now


def _parse_totals(rnd: BallotRound, data: Mapping) -> Totals:
    try:
        return totals_from_json(data)
    except (TypeError, ValueError):
        raise ServiceError("计票数字应为整数，请核对。") from None


def enter_totals(session: Session, actor, round_id: int, entry_no: int, totals: Totals, now: datetime) -> TellerEntry:
    """One teller's independent entry of the totals (entry 1 or 2); a teller may correct their own entry."""
    require(can_enter_count(actor), "只有监票计票人员可以录入计票结果。")
    if entry_no not in (1, 2):
        raise ServiceError("录入次序只能是第一次或第二次。")
    with transaction(session):
        rnd = load_round(session, round_id, lock=True)
        election = load_election(session, rnd.election_id)
        if rnd.status != "open" or rnd.count_mode != "totals":
            raise ServiceError("本轮不在汇总计票中，不能再录入（已确认或已结束的计票不能修改）。")
        problems = check_totals(_setup_of(election, rnd), totals)
        if problems:
            raise ServiceError("计票数字有误：" + "；".join(b.message for b in problems))
        entry = own_entry({e.entry_no: e for e in rnd.entries}, entry_no, actor)
        before = None
        if entry is None:
            entry = TellerEntry(round_id=rnd.id, entry_no=entry_no, teller_id=actor.id)
            session.add(entry)
        else:
            before = entry.totals
        entry.totals, entry.entered_at = totals_to_json(totals), now
        audit(session, actor, "voting.enter_totals", rnd,
              summary=f"第{rnd.round_no}轮第{entry_no}次录入计票结果（有效票{totals.valid}张，无效票{totals.invalid}张）",
              before=before, after=entry.totals, now=now)
    return entry


@dataclass(frozen=True)
class Comparison:
    first: TellerEntry | None
    second: TellerEntry | None
    differences: tuple  # workflow.tally.count.Difference

    @property
    def complete(self) -> bool:
        return self.first is not None and self.second is not None

    @property
    def agree(self) -> bool:
        return self.complete and not self.differences


def compare_entries(session: Session, round_id: int) -> Comparison:
    """Every figure on which the two tellers' entries differ (read only)."""
    rnd = load_round(session, round_id)
    entries = {e.entry_no: e for e in rnd.entries}
    a, b = entries.get(1), entries.get(2)
    diffs = tuple(compare_teller_entries(totals_from_json(a.totals), totals_from_json(b.totals))) if a and b else ()
    return Comparison(a, b, diffs)


def confirm_count(session: Session, actor, round_id: int, now: datetime) -> BallotRound:
    """Confirm the count, only when both entries exist and agree in every figure."""
    require(can_confirm_count(actor), "只有监票计票人员或选举办可以确认计票结果。")
    with transaction(session):
        rnd = load_round(session, round_id, lock=True)
        if rnd.status != "open" or rnd.count_mode != "totals":
            raise ServiceError("本轮计票已确认或已结束。")
        cmp = compare_entries(session, round_id)
        check_two_tellers(cmp.first, cmp.second)
        if cmp.differences:
            raise ServiceError(f"两次录入有{len(cmp.differences)}处不同，请核对选票、改正后再确认。")
        rnd.confirmed_totals = dict(cmp.first.totals)
        rnd.status = "confirmed"
        audit(session, actor, "voting.confirm_count", rnd, summary=f"确认第{rnd.round_no}轮计票结果（两次录入一致）",
              after=rnd.confirmed_totals, now=now, seal=fixed(session, "tally", rnd.id))
    return rnd


def enter_ballot(session: Session, actor, round_id: int, for_names: Sequence[str], against_names: Sequence[str],
                 write_in_names: Sequence[str], now: datetime) -> BallotPaper:
    """One ballot as marked (small meetings). Void when its for-votes, write-ins included, exceed the seats."""
    require(can_enter_count(actor), "只有监票计票人员可以录入选票。")
    f = [n.strip() for n in for_names if n.strip()]
    a = [n.strip() for n in against_names if n.strip()]
    w = [n.strip() for n in write_in_names if n.strip()]
    with transaction(session):
        rnd = load_round(session, round_id, lock=True)
        election = load_election(session, rnd.election_id)
        if rnd.status != "open" or rnd.count_mode != "ballots":
            raise ServiceError("本轮不在逐张录入选票中。")
        count = session.scalar(select(func.count()).select_from(BallotPaper).where(BallotPaper.round_id == rnd.id))
        if count >= rnd.ballots_collected:
            raise ServiceError(f"已录入{count}张，等于收回选票数，不能再录入。")
        ballot = {"for": f, "against": a, "write_in": w}
        problems = check_ballots(_setup_of(election, rnd), [ballot])
        if problems:
            raise ServiceError("；".join(b.message.replace("第1张选票：", "") for b in problems))
        void = len(f) + len(w) > rnd.seats  # 来源: docs/rules.md §3.3 — more for-votes than seats: void
        paper = BallotPaper(round_id=rnd.id, seq=count + 1, for_names=f, against_names=a, write_in_names=w, void=void,
                            entered_by=actor.id, entered_at=now)
        session.add(paper)
        session.flush()
        audit(session, actor, "voting.enter_ballot", rnd,
              summary=f"第{rnd.round_no}轮录入第{paper.seq}张选票" + ("（无效票：划○人数多于应选名额）" if void else ""),
              after=ballot, now=now)
    return paper


def close_round(session: Session, actor, round_id: int, now: datetime) -> TallyResult:
    """Tally the round by the rules and store the result with its Chinese explanation."""
    require(can_manage_elections(actor))
    with transaction(session):
        rnd = load_round(session, round_id, lock=True)
        election = load_election(session, rnd.election_id)
        if rnd.status == "closed":
            raise Conflict("本轮已经结束。")
        setup = _setup_of(election, rnd)
        try:
            if rnd.count_mode == "ballots":
                papers = session.scalars(select(BallotPaper).where(BallotPaper.round_id == rnd.id)
                                         .order_by(BallotPaper.seq)).all()
                ballots = [{"for": p.for_names, "against": p.against_names, "write_in": p.write_in_names}
                           for p in papers]
                # every paper passed check_ballots when it was entered (enter_ballot): the tally skips only the
                # repeated-name test; void ballots and unknown names are still checked
                result = tally_ballots(setup, ballots, checked=True)
                listed = set(rnd.candidates)
                rnd.confirmed_totals = totals_to_json(Totals(
                    result.valid_ballots, result.invalid_ballots,
                    {n: v for n, v in result.votes.items() if n in listed},
                    {n: v for n, v in result.votes.items() if n not in listed}, dict(result.against)))
            else:
                if rnd.status != "confirmed":
                    raise ServiceError("计票结果尚未确认：须两位计票人员录入一致并确认后才能结束本轮。")
                result = tally_totals(setup, totals_from_json(rnd.confirmed_totals))
        except DomainError as exc:
            raise ServiceError(exc.message) from None
        _store_result(rnd, result, now)
        audit(session, actor, "voting.close_round", rnd,
              summary=f"第{rnd.round_no}轮计票结束：{result.next.label}"
                      + (f"，当选{'、'.join(result.elected)}" if result.elected else ""),
              after=rnd.result, now=now, seal=fixed(session, "tally", rnd.id))
    return result


def plan_next_round(session: Session, actor, election_id: int, action: str, now: datetime, *,
                    candidates_count: int | None = None, seats_removed: int | None = None,
                    basis: str | None = None, note: str = "") -> RoundPlan:
    """After a round with fewer elected than seats: the 另行选举's candidates (count per the setting), or a
    recorded decision to reduce the seats (来源: docs/rules.md §3.3). A re-vote among the tied needs no plan."""
    require(can_manage_elections(actor))
    with transaction(session):
        election = load_election(session, election_id, lock=True)  # one plan per closed round
        _need_stage(election, Stage.ballot)
        rounds, plans = _rounds_and_plans(session, election_id)
        state = replay(session, election, rounds, plans)
        closed = [r for r in rounds if r.status == "closed"]
        if not closed:
            raise ServiceError("还没有结束的投票。")
        try:
            if action == "additional":
                count = candidates_count or default_additional_count(election, state.empty_seats)
                new_state = state.plan_additional_round(count)
                plan = RoundPlan(election_id=election_id, after_round_no=closed[-1].round_no, kind="additional",
                                 candidates_count=count, note=note, explanation=new_state.history[-1].explanation)
                summary = f"确定另行选举的候选人{len(new_state.pending.candidates)}名"
            elif action == "reduce":
                if not note.strip():
                    raise ServiceError("减少名额须写明依据（会议、决定）。")
                new_state = state.reduce_seats(seats_removed or 0, ReductionBasis(basis or ""), note.strip())
                plan = RoundPlan(election_id=election_id, after_round_no=closed[-1].round_no, kind="reduce",
                                 seats_removed=seats_removed, basis=basis, note=note.strip(),
                                 explanation=new_state.history[-1].explanation)
                summary = f"减少应选名额{seats_removed}名（{ReductionBasis(basis).label}）"
            else:
                raise ServiceError("未知的操作。")
        except DomainError as exc:
            raise ServiceError(exc.message) from None
        except ValueError:
            raise ServiceError("请选择减少名额的依据：经过半数选举人同意，或大会主席团决定。") from None
        session.add(plan)
        session.flush()
        audit(session, actor, "voting.plan", plan, summary=summary, after={"explanation": plan.explanation}, now=now)
    return plan


def default_additional_count(election: Election, empty_seats: int) -> int:
    """The 另行选举's candidate count: the election's setting, else the ballot margin on the empty seats."""
    setting = (election.settings or {}).get("additional_round_candidates")
    if setting:
        return max(int(setting), empty_seats)
    return min_candidates(empty_seats, _ballot_margin(election))
