"""An election of several rounds: re-votes among the tied, 另行选举 and fewer seats (来源: docs/rules.md §3.3).

:class:`ElectionRounds` is an append-only history of rounds (:class:`~workflow.tally.count.TallyResult`), plans for
additional rounds (:class:`AdditionalRoundPlan`) and seat reductions (:class:`SeatReduction`). Every event is
kept with its figures; the current state (elected so far, empty seats, what comes next, the next round's seats
and candidates) is derived from the history. Each round's seats are the seats still empty.

* a round without a quorum, or void (more ballots than voters): the same round again (RoundKind.repeat);
* a tie for the last seats: a re-vote among the tied only, for the seats still empty;
* fewer elected than seats: :func:`plan_additional_round` picks the next candidates among the listed
  candidates not elected, in vote order — the number is a setting [待定 in docs/rules.md §3.3], ties at its cutoff
  are all included and reported — or :meth:`ElectionRounds.reduce_seats` records a decision to reduce seats.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from workflow.common.results import DomainError
from workflow.common.strokes import sort_names
from workflow.tally.count import TallyResult
from workflow.tally.rules import SRC, NextStep, RoundKind, RoundSetup, RulePreset


class ReductionBasis(StrEnum):
    """Who decided to reduce the seats (来源: docs/rules.md §3.3)."""

    voters_consent = "voters_consent"
    presidium = "presidium"

    @property
    def label(self) -> str:
        return "经过半数选举人同意" if self is ReductionBasis.voters_consent else "大会主席团决定"


@dataclass(frozen=True)
class SeatReduction:
    """A recorded decision to reduce the seats instead of (or after) an additional round."""

    seats_removed: int
    basis: ReductionBasis
    note: str = ""

    @property
    def explanation(self) -> str:
        note = f"（{self.note}）" if self.note else ""
        return f"{self.basis.label}，减少应选名额{self.seats_removed}名{note}。"


@dataclass(frozen=True)
class AdditionalRoundPlan:
    """The candidates of a 另行选举 round, in vote order of the round before."""

    after_round: int
    seats: int
    candidates_count: int  # the setting; ``candidates`` is longer when a tie sits at its cutoff
    candidates: tuple[str, ...]
    tied_at_cutoff: tuple[str, ...]
    explanation: str


def plan_additional_round(result: TallyResult, candidates_count: int, *, seats: int | None = None) -> AdditionalRoundPlan:
    """Pick the candidates of the next 另行选举 round among the listed candidates of ``result`` who were not
    elected, most votes first. ``candidates_count`` is the election's setting (docs/rules.md §3.3 [待定]); when the
    last place is tied, every tied candidate is included and named. ``seats`` defaults to the round's unfilled
    seats (pass fewer after a seat reduction). Raises DomainError."""
    if result.next is not NextStep.additional_round:
        raise DomainError(f"第{result.setup.round_no}轮的结果是“{result.next.label}”，不需要另行选举。",
                          "tally.additional.not_needed")
    seats = result.unfilled_seats if seats is None else seats
    if seats < 1:
        raise DomainError("已没有空缺名额，不需要另行选举。", "tally.additional.no_seats")
    if isinstance(candidates_count, bool) or not isinstance(candidates_count, int) or candidates_count < seats:
        raise DomainError(f"另行选举的候选人数（{candidates_count}）不能少于待选名额{seats}名，请按选举办法重新设定。",
                          "tally.additional.too_few")
    votes = result.votes
    elected = set(result.elected)
    pool = [n for n in votes if n in set(result.setup.candidates) and n not in elected]  # votes are in rank order
    if len(pool) < seats:
        raise DomainError(f"未当选的候选人只有{len(pool)}名，少于待选名额{seats}名；请依规减少名额。",
                          "tally.additional.pool_too_small")
    chosen = pool[:candidates_count]
    tied: list[str] = []
    if len(pool) > candidates_count:
        cutoff = votes[chosen[-1]]
        if votes[pool[candidates_count]] == cutoff:  # a tie at the cutoff: all of them go on the ballot
            tied = [n for n in pool if votes[n] == cutoff]
            chosen = [n for n in pool if votes[n] >= cutoff]
    listing = "、".join(f"{n}{votes[n]}票" for n in chosen)
    text = [f"第{result.setup.round_no}轮后尚缺{seats}名，在未当选的候选人中按得票多少确定另行选举的候选人{len(chosen)}名：{listing}。"]
    if tied:
        text.append(f"{'、'.join(result.setup.sort_names(tied))}"
                    f"各得{votes[tied[0]]}票，并列于第{candidates_count}位，一并列为候选人，"
                    f"候选人数由设定的{candidates_count}名增至{len(chosen)}名。")
    elif len(pool) < candidates_count:
        text.append(f"未当选的候选人只有{len(pool)}名，少于设定的{candidates_count}名，全部列为候选人。")
    return AdditionalRoundPlan(after_round=result.setup.round_no, seats=seats, candidates_count=candidates_count,
                               candidates=tuple(chosen), tied_at_cutoff=tuple(tied), explanation="".join(text))


Event = TallyResult | AdditionalRoundPlan | SeatReduction


@dataclass(frozen=True)
class PendingRound:
    """What the next round must be: its number, kind, seats and candidates."""

    round_no: int
    kind: RoundKind
    seats: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class ElectionRounds:
    """Every round of one election with its figures, as an append-only history (来源: docs/rules.md §3.3).

    Methods return a new object; nothing is changed in place."""

    preset: RulePreset
    seats: int
    candidates: tuple[str, ...]
    history: tuple[Event, ...] = ()
    pad_single_given_name: bool = False  # 姓氏笔画 settings of the election (docs/rules.md §3.4)
    stroke_overrides: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.candidates, tuple):
            object.__setattr__(self, "candidates", tuple(self.candidates))

    # -- derived state -------------------------------------------------------------------------------------
    @property
    def results(self) -> tuple[TallyResult, ...]:
        return tuple(e for e in self.history if isinstance(e, TallyResult))

    @property
    def seats_now(self) -> int:
        """Seats after every recorded reduction."""
        return self.seats - sum(e.seats_removed for e in self.history if isinstance(e, SeatReduction))

    @property
    def elected(self) -> tuple[str, ...]:
        """Everyone elected in any round, in 姓氏笔画 order (来源: docs/rules.md §3.3, §3.4)."""
        names = [n for r in self.results for n in r.elected]
        return tuple(sort_names(names, pad_single_given_name=self.pad_single_given_name, overrides=self.stroke_overrides))

    @property
    def empty_seats(self) -> int:
        return self.seats_now - sum(len(r.elected) for r in self.results)

    @property
    def next(self) -> NextStep | None:
        """What the latest round left to do, or None before the first round. ``done`` when no seat is empty."""
        if not self.history:
            return None
        if self.empty_seats == 0:
            return NextStep.done
        return self.results[-1].next

    @property
    def finished(self) -> bool:
        return self.next is NextStep.done

    @property
    def pending(self) -> PendingRound | None:
        """The next round to hold, or None when finished or when an additional round still needs its plan
        (:meth:`plan_additional_round`) or a seat reduction."""
        round_no = len(self.results) + 1
        if not self.history:
            return PendingRound(1, RoundKind.regular, self.seats, self.candidates)
        if self.empty_seats == 0:
            return None
        last = self.history[-1]
        if isinstance(last, AdditionalRoundPlan):
            return PendingRound(round_no, RoundKind.additional, self.empty_seats, last.candidates)
        if isinstance(last, SeatReduction):
            return None  # still short: the additional round needs its plan
        if last.next in (NextStep.no_quorum, NextStep.void_round):
            return PendingRound(round_no, RoundKind.repeat, last.setup.seats, last.setup.candidates)
        if last.next is NextStep.revote_tie:
            return PendingRound(round_no, RoundKind.revote_tie, self.empty_seats, last.tied)
        return None

    # -- events --------------------------------------------------------------------------------------------
    def next_round(self, *, eligible: int, present: int, ballots_collected: int) -> RoundSetup:
        """The setup of the next round with this meeting's figures. Raises DomainError when there is none."""
        p = self.pending
        if p is None:
            if self.finished:
                raise DomainError("应选名额已全部选出，选举已完成。", "tally.rounds.finished")
            raise DomainError(f"尚缺{self.empty_seats}名：请先确定另行选举的候选人，或依规减少名额。",
                              "tally.rounds.plan_needed")
        return RoundSetup(self.preset, p.seats, eligible, present, ballots_collected, p.candidates, round_no=p.round_no,
                          kind=p.kind, pad_single_given_name=self.pad_single_given_name,
                          stroke_overrides=self.stroke_overrides)

    def record(self, result: TallyResult) -> ElectionRounds:
        """Append a counted round; its seats and candidates must be those of :attr:`pending`."""
        p = self.pending
        s = result.setup
        if p is None or (s.seats, set(s.candidates), s.round_no) != (p.seats, set(p.candidates), p.round_no):
            raise DomainError("这一轮的名额、候选人或轮次与应进行的下一轮不符，请按 next_round() 给出的设置投票。",
                              "tally.rounds.unexpected_round")
        if s.preset != self.preset:
            raise DomainError("这一轮使用的选举规则与本次选举不同。", "tally.rounds.preset_changed")
        return replace(self, history=self.history + (result,))

    def plan_additional_round(self, candidates_count: int) -> ElectionRounds:
        """Record the candidates of the next 另行选举 round (see :func:`plan_additional_round`)."""
        if self.next is not NextStep.additional_round or self.pending is not None:
            raise DomainError("现在不需要另行选举。", "tally.additional.not_needed")
        plan = plan_additional_round(self.results[-1], candidates_count, seats=self.empty_seats)
        return replace(self, history=self.history + (plan,))

    def reduce_seats(self, seats_removed: int, basis: ReductionBasis, note: str = "") -> ElectionRounds:
        """Record a decision to reduce the seats while some are empty after a round (来源: docs/rules.md §3.3:
        with the consent of more than half the voters or by decision of the presidium)."""
        if self.next is not NextStep.additional_round or self.pending is not None:
            raise DomainError("只有在当选人数少于应选名额、尚未另行选举时才能减少名额。", "tally.reduce.not_allowed")
        if isinstance(seats_removed, bool) or not isinstance(seats_removed, int) or not 1 <= seats_removed <= self.empty_seats:
            raise DomainError(f"减少的名额应在1到{self.empty_seats}名之间，现为“{seats_removed}”。", "tally.reduce.out_of_range")
        event = SeatReduction(seats_removed, ReductionBasis(basis), note)
        return replace(self, history=self.history + (event,))

    # -- report --------------------------------------------------------------------------------------------
    @property
    def explanation(self) -> str:
        """The whole election in Chinese, round by round."""
        lines = [f"应选{self.seats}名，候选人{len(self.candidates)}名（{self.preset.name}规则，来源：{SRC}）。"]
        for e in self.history:
            lines.append(e.explanation)
        if self.finished:
            lines.append(f"选举完成，当选{len(self.elected)}名（按姓氏笔画为序）：{'、'.join(self.elected)}。")
        elif self.history:
            lines.append(f"已当选{self.seats_now - self.empty_seats}名，尚缺{self.empty_seats}名，下一步：{self.results[-1].next.label}。")
        return "\n".join(lines)


def start_election(preset: RulePreset, seats: int, candidates: Sequence[str], *, pad_single_given_name: bool = False,
                   stroke_overrides: Mapping[str, str] | None = None) -> ElectionRounds:
    """An election with no round held yet."""
    return ElectionRounds(preset, seats, tuple(candidates), (), pad_single_given_name, stroke_overrides)
