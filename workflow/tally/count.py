"""Counting one round of a competitive ballot by the rules of docs/rules.md §3.3.

Plain data in, a :class:`TallyResult` that explains itself out:

* :class:`RulePreset` — the quorum rule and the majority base as data ("地方组织", "基层组织").
* :class:`RoundSetup` — one round: seats, 应到会, 实到会, ballots collected, candidates.
* :func:`tally_ballots` — individual ballots (``{"for": [...], "against": [...], "write_in": [...]}``).
* :func:`tally_totals` — the tellers' totals (:class:`Totals`); :func:`compare_teller_entries` lists every
  difference between two tellers' independent entries.

Several rounds (re-vote among the tied, 另行选举, fewer seats) live in ``workflow.tally.rounds``; the JSON
shape of the ``election tally`` command lives in ``workflow.tally.io``.

Decisions taken where docs/rules.md is silent (also in docs/tally.md):

* A write-in of a listed candidate's name counts as a for-vote for that candidate.
* Each name appears at most once per ballot across for/against/write_in; a repeat, or a name both for and
  against, is a data-entry error (:class:`DomainError`), not a void ballot.
* Write-in names are people too: one who reaches the threshold can be elected. A 另行选举 round takes its
  candidates from the listed candidates only (``workflow.tally.rounds.plan_additional_round``).
* A round without a quorum, or with more ballots collected than voters present, is not counted: every
  collected ballot is void (valid 0, invalid = collected), votes are empty, the threshold is still computed,
  nobody is elected and every seat of the round stays unfilled.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from workflow.common.results import DomainError
from workflow.tally.checks import (
    ballot_repeats,
    check_ballots,
    check_setup,
    check_totals,
    is_name,
    merge_votes,
    raise_for_blockers,
)
from workflow.tally.rules import Ballot, NextStep, RoundSetup, Totals, threshold_for

# ---------------------------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class TallyResult:
    """One counted (or not counted) round with every figure and a Chinese explanation."""

    setup: RoundSetup
    quorum_met: bool
    round_valid: bool  # the round stands: quorum met and ballots collected ≤ present
    base: int  # the voters whose half must be exceeded (应到会 or 实到会)
    threshold: int  # for-votes needed to be elected
    valid_ballots: int
    invalid_ballots: int
    votes: Mapping[str, int]  # listed candidates and write-ins; most votes first, equal votes in 姓氏笔画 order
    against: Mapping[str, int]  # 不赞成 per listed candidate, when known
    passed: tuple[str, ...]  # reached the threshold, most votes first
    elected: tuple[str, ...]  # 姓氏笔画 order
    tied: tuple[str, ...]  # to re-vote for the last seats, 姓氏笔画 order
    unfilled_seats: int
    next: NextStep
    explanation: str

    def abstain(self, name: str) -> int:
        """弃权 of a listed candidate: valid ballots neither for nor against (write-ins of the name count as for)."""
        return self.valid_ballots - self.votes.get(name, 0) - self.against.get(name, 0)

    def as_json(self) -> dict:
        """The output object of ``election tally``."""
        return {
            "round_valid": self.round_valid,
            "quorum_met": self.quorum_met,
            "threshold": self.threshold,
            "valid_ballots": self.valid_ballots,
            "invalid_ballots": self.invalid_ballots,
            "votes": dict(self.votes),
            "elected": list(self.elected),
            "tied": list(self.tied),
            "unfilled_seats": self.unfilled_seats,
            "next": self.next.value,
            "explanation": self.explanation,
        }


# ---------------------------------------------------------------------------------------------------------
# Tally


def tally_ballots(setup: RoundSetup, ballots: Sequence[Ballot], *, checked: bool = False) -> TallyResult:
    """Count individual ballots. A ballot is void when its for-votes (write-ins included) exceed the seats;
    equal or fewer, or all abstentions, is valid (来源: docs/rules.md §3.3). Data-entry errors (see
    :func:`check_ballots`) raise one DomainError listing them all.

    ``checked=True`` skips the per-ballot test for a name repeated on one ballot (or both for and against) when
    every ballot already passed :func:`check_ballots` at entry; unknown names are still caught. Raises DomainError."""
    raise_for_blockers(check_setup(setup), "本轮选举的基本数字有误：")
    early = _not_counted(setup)
    if early is not None:
        return early
    if len(ballots) != setup.ballots_collected:
        raise DomainError(f"录入的选票有{len(ballots)}张，与收回选票{setup.ballots_collected}张不符，请补齐或核对。",
                          "tally.ballot.count_mismatch")
    valid_for, valid_against, valid_write_in, void, repeats = _split_ballots(ballots, setup.seats, not checked)
    # Counting happens in C: one Counter over each chain of lists, no per-ballot objects.
    for_counts = Counter(chain.from_iterable(valid_for))
    write_in_counts = Counter(chain.from_iterable(valid_write_in))
    against_counts = Counter(chain.from_iterable(valid_against))
    listed = set(setup.candidates)
    if (repeats or for_counts.keys() - listed or against_counts.keys() - listed
            or not all(map(is_name, write_in_counts)) or (void and _void_ballots_have_errors(void, listed))):
        raise_for_blockers(check_ballots(setup, ballots), "选票录入有误：")  # slow path: name every problem
    votes = merge_votes(setup.candidates, for_counts, write_in_counts)
    against = {name: against_counts.get(name, 0) for name in setup.candidates}
    return _decide(setup, len(ballots) - len(void), len(void), votes, against)


def _split_ballots(ballots: Iterable[Ballot], seats: int, check_repeats: bool):
    """One pass over the ballots: the for/against/write-in lists of valid ballots, the void ballots, and whether
    any ballot names someone twice. Allocates nothing per ballot but, when checking, one short-lived set."""
    valid_for: list[Sequence[str]] = []
    valid_against: list[Sequence[str]] = []
    valid_write_in: list[Sequence[str]] = []
    void: list[Ballot] = []
    keep_for, keep_against, keep_write_in, keep_void = (valid_for.append, valid_against.append,
                                                        valid_write_in.append, void.append)
    repeats = False
    empty = ()
    if check_repeats:
        # A name twice on one ballot (or for and against at once): the set of its names is smaller than their
        # count. The set is built only from the lists the ballot has (unpacking an empty list costs as much).
        for b in ballots:
            f = b.get("for", empty)
            a = b.get("against", empty)
            w = b.get("write_in", empty)
            n_for = len(f) + len(w)
            if n_for > seats:  # 来源: docs/rules.md §3.3 — more for-votes (write-ins included) than seats: void
                keep_void(b)
                if ballot_repeats(b):
                    repeats = True
                continue
            keep_for(f)
            if w:   # rare: written-in names are compared as normalised (checks.ballot_repeats)
                keep_write_in(w)
                if a:
                    keep_against(a)
                if ballot_repeats(b):
                    repeats = True
            elif a:
                keep_against(a)
                if len({*f, *a}) != n_for + len(a):
                    repeats = True
            elif len(set(f)) != n_for:
                repeats = True
    else:
        for b in ballots:
            f = b.get("for", empty)
            w = b.get("write_in", empty)
            if len(f) + len(w) > seats:  # 来源: docs/rules.md §3.3 — as above
                keep_void(b)
                continue
            keep_for(f)
            a = b.get("against", empty)
            if a:
                keep_against(a)
            if w:
                keep_write_in(w)
    return valid_for, valid_against, valid_write_in, void, repeats


def _void_ballots_have_errors(void: list[Ballot], listed: set[str]) -> bool:
    for b in void:
        if any(n not in listed for n in chain(b.get("for", ()), b.get("against", ()))):
            return True
        if not all(map(is_name, b.get("write_in", ()))):
            return True
    return False


def tally_totals(setup: RoundSetup, totals: Totals) -> TallyResult:
    """Decide a round from a teller's confirmed totals (来源: docs/rules.md §3.3). Raises DomainError."""
    raise_for_blockers(check_setup(setup), "本轮选举的基本数字有误：")
    early = _not_counted(setup)
    if early is not None:
        return early
    raise_for_blockers(check_totals(setup, totals), "计票数字有误：")
    votes = merge_votes(setup.candidates, totals.for_votes, totals.write_in)
    against = {name: totals.against[name] for name in setup.candidates if name in totals.against}
    return _decide(setup, totals.valid, totals.invalid, votes, against)


def _not_counted(setup: RoundSetup) -> TallyResult | None:
    """The round does not stand: no quorum, or more ballots collected than voters present (来源: docs/rules.md §3.3)."""
    preset = setup.preset
    quorum = preset.quorum_met(setup.eligible, setup.present)
    if quorum and setup.ballots_collected <= setup.present:
        return None
    base = preset.base(setup.eligible, setup.present)
    threshold = threshold_for(base)
    lines = [_round_heading(setup), _quorum_sentence(setup)]
    if not quorum:
        nxt = NextStep.no_quorum
        lines.append("本轮不能进行选举，也不计票；请待实到会人数符合要求后再投票。")
    else:
        nxt = NextStep.void_round
        lines.append(f"收回选票{setup.ballots_collected}张，多于实到会人数{setup.present}人，本轮选举无效，全部选票作废，"
                     f"须重新投票（候选人和应选名额{setup.seats}名不变）。")
    return TallyResult(setup=setup, quorum_met=quorum, round_valid=False, base=base, threshold=threshold,
                       valid_ballots=0, invalid_ballots=setup.ballots_collected, votes={}, against={}, passed=(),
                       elected=(), tied=(), unfilled_seats=setup.seats, next=nxt, explanation="".join(lines))


def _decide(setup: RoundSetup, valid: int, invalid: int, votes: dict[str, int], against: dict[str, int]) -> TallyResult:
    """Rank the counted votes against the threshold (来源: docs/rules.md §3.3)."""
    preset = setup.preset
    base = preset.base(setup.eligible, setup.present)
    threshold = threshold_for(base)
    stroke_rank = {n: i for i, n in enumerate(setup.sort_names(votes))}
    ranked = sorted(votes, key=lambda n: (-votes[n], stroke_rank[n]))
    passed = [n for n in ranked if votes[n] >= threshold]  # never a seat below the bar
    seats = setup.seats
    tied: list[str] = []
    if len(passed) <= seats:
        elected = passed
    else:
        cutoff = votes[passed[seats - 1]]
        if votes[passed[seats]] == cutoff:  # a tie straddling the last seat → re-vote among the tied only
            elected = [n for n in passed if votes[n] > cutoff]
            tied = [n for n in passed if votes[n] == cutoff]
        else:  # more passers than seats: take them in vote order
            elected = passed[:seats]
    unfilled = seats - len(elected)
    if tied:
        nxt = NextStep.revote_tie
    elif unfilled:
        nxt = NextStep.additional_round
    else:
        nxt = NextStep.done
    ordered_votes = {n: votes[n] for n in ranked}
    elected_sorted = tuple(n for n in sorted(elected, key=stroke_rank.__getitem__))
    tied_sorted = tuple(sorted(tied, key=stroke_rank.__getitem__))
    explanation = _explain(setup, base, threshold, valid, invalid, ranked, votes, passed, elected, tied_sorted,
                           unfilled, nxt)
    return TallyResult(setup=setup, quorum_met=True, round_valid=True, base=base, threshold=threshold,
                       valid_ballots=valid, invalid_ballots=invalid, votes=ordered_votes, against=against,
                       passed=tuple(passed), elected=elected_sorted, tied=tied_sorted, unfilled_seats=unfilled,
                       next=nxt, explanation=explanation)


# ---------------------------------------------------------------------------------------------------------
# Explanation (Chinese)


def _round_heading(setup: RoundSetup) -> str:
    return f"第{setup.round_no}轮（{setup.kind.label}，应选{setup.seats}名，候选人{len(setup.candidates)}名）：\n"


def _quorum_sentence(setup: RoundSetup) -> str:
    p = setup.preset
    need = p.quorum_minimum(setup.eligible)
    verdict = "符合法定人数" if p.quorum_met(setup.eligible, setup.present) else "不足法定人数"
    return (f"按“{p.name}”规则，{p.describe_quorum()}方可选举（应到会{setup.eligible}人，须至少{need}人）；"
            f"实到会{setup.present}人，{verdict}。")


def _names_with_votes(names: Iterable[str], votes: Mapping[str, int]) -> str:
    return "、".join(f"{n}{votes[n]}票" for n in names)


def _explain(setup: RoundSetup, base: int, threshold: int, valid: int, invalid: int, ranked: list[str],
             votes: dict[str, int], passed: list[str], elected: list[str], tied: tuple[str, ...], unfilled: int,
             nxt: NextStep) -> str:
    seats = setup.seats
    parts = [_round_heading(setup), _quorum_sentence(setup),
             f"收回选票{setup.ballots_collected}张，不多于实到会人数{setup.present}人，本轮选举有效。"]
    void_note = f"（所选人数多于应选名额{seats}名的选票无效）" if invalid else ""
    parts.append(f"有效票{valid}张，无效票{invalid}张{void_note}。\n")
    parts.append(f"当选须获得超过{setup.preset.majority_base.label}人数{base}人一半的赞成票，即至少{threshold}票"
                 f"（恰好一半不能当选）。")
    if passed:
        parts.append(f"达到{threshold}票的有{len(passed)}人：{_names_with_votes(passed, votes)}。")
    else:
        parts.append(f"无人达到{threshold}票。")
    below = [n for n in ranked if votes[n] < threshold and votes[n] > 0][:3]
    if below:
        parts.append("未达到的最高得票：" + "、".join(f"{n}{votes[n]}票（差{threshold - votes[n]}票）" for n in below) + "。")
    parts.append("\n")
    if nxt is NextStep.done:
        if len(passed) > seats:
            last, first_out = passed[seats - 1], passed[seats]
            parts.append(f"达到当选票数的{len(passed)}人多于应选名额{seats}名，按得票多少取前{seats}名：第{seats}名{last}"
                         f"{votes[last]}票，多于第{seats + 1}名{first_out}的{votes[first_out]}票。")
        parts.append(f"应选{seats}名，当选{len(elected)}名，本轮选举完成。")
    elif nxt is NextStep.revote_tie:
        cutoff = votes[tied[0]]
        open_seats = seats - len(elected)
        parts.append(f"{'、'.join(tied)}各得{cutoff}票，得票相同，争夺最后{open_seats}个名额。")
        if elected:
            parts.append(f"得票更多的{len(elected)}人已确定当选。")
        parts.append(f"须只在{'、'.join(tied)}之间再次投票，选出{open_seats}名（仍须超过半数）。")
    else:
        parts.append(f"应选{seats}名，当选{len(elected)}名，尚缺{unfilled}名。不得让未达到当选票数的人当选："
                     f"须在未当选的候选人中按得票多少另行选举{unfilled}名（另行选举的候选人数由选举办法规定），"
                     "或者在接近应选名额时，经过半数选举人同意或大会主席团决定，减少名额。")
    return "".join(parts)
