"""Counting one round of a competitive ballot by the rules of domain.md §3.3 (issue 7).

Plain data in, a :class:`TallyResult` that explains itself out:

* :class:`RulePreset` — the quorum rule and the majority base as data ("地方组织", "基层组织").
* :class:`RoundSetup` — one round: seats, 应到会, 实到会, ballots collected, candidates.
* :func:`tally_ballots` — individual ballots (``{"for": [...], "against": [...], "write_in": [...]}``).
* :func:`tally_totals` — the tellers' totals (:class:`Totals`); :func:`compare_teller_entries` lists every
  difference between two tellers' independent entries.

Several rounds (re-vote among the tied, 另行选举, fewer seats) live in ``workflow.tally_rounds``; the JSON
shape of the ``election tally`` command lives in ``workflow.tally_io``.

Decisions taken where domain.md and issue 7 are silent (also in docs/tally.md):

* A write-in of a listed candidate's name counts as a for-vote for that candidate.
* Each name appears at most once per ballot across for/against/write_in; a repeat, or a name both for and
  against, is a data-entry error (:class:`DomainError`), not a void ballot.
* Write-in names are people too: one who reaches the threshold can be elected. A 另行选举 round takes its
  candidates from the listed candidates only (``workflow.tally_rounds.plan_additional_round``).
* A round without a quorum, or with more ballots collected than voters present, is not counted: every
  collected ballot is void (valid 0, invalid = collected), votes are empty, the threshold is still computed,
  nobody is elected and every seat of the round stays unfilled.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from itertools import chain
from typing import TypedDict

from workflow.results import Blocker, DomainError
from workflow.strokes import sort_names

SRC = "domain.md §3.3"
MAX_LISTED_PROBLEMS = 20  # a DomainError lists this many problems, then says how many more there are


# ---------------------------------------------------------------------------------------------------------
# Presets


class QuorumRule(StrEnum):
    """How attendees are compared with the preset's share of 应到会."""

    more_than = "more_than"
    at_least = "at_least"

    @property
    def label(self) -> str:
        return "超过" if self is QuorumRule.more_than else "不少于"


class MajorityBase(StrEnum):
    """Whose half the for-votes must exceed."""

    eligible = "eligible"
    present = "present"

    @property
    def label(self) -> str:
        return "应到会" if self is MajorityBase.eligible else "实到会"


class NextStep(StrEnum):
    """What a round leaves to do (the ``next`` key of ``election tally``)."""

    done = "done"
    revote_tie = "revote_tie"
    additional_round = "additional_round"
    void_round = "void_round"
    no_quorum = "no_quorum"

    @property
    def label(self) -> str:
        return _NEXT_LABELS[self]


_NEXT_LABELS = {
    NextStep.done: "选举完成",
    NextStep.revote_tie: "并列者再次投票",
    NextStep.additional_round: "另行选举",
    NextStep.void_round: "本轮无效，重新投票",
    NextStep.no_quorum: "不足法定人数，不能进行选举",
}


class RoundKind(StrEnum):
    """Why a round is held."""

    regular = "regular"
    repeat = "repeat"
    revote_tie = "revote_tie"
    additional = "additional"

    @property
    def label(self) -> str:
        return {"regular": "正式选举", "repeat": "重新投票", "revote_tie": "并列者再次投票",
                "additional": "另行选举"}[self.value]


@dataclass(frozen=True)
class RulePreset:
    """The meeting rules of one kind of election (来源: domain.md §3.3)."""

    name: str
    quorum_share: Fraction  # share of 应到会 that must attend
    quorum_rule: QuorumRule
    majority_base: MajorityBase
    source: str = SRC

    def quorum_minimum(self, eligible: int) -> int:
        """The fewest attendees that make a quorum, in whole people."""
        share = self.quorum_share * eligible
        if self.quorum_rule is QuorumRule.more_than:
            return share.numerator // share.denominator + 1
        return -(-share.numerator // share.denominator)  # ceiling: exactly the share passes

    def quorum_met(self, eligible: int, present: int) -> bool:
        return present >= self.quorum_minimum(eligible)

    def base(self, eligible: int, present: int) -> int:
        return eligible if self.majority_base is MajorityBase.eligible else present

    def threshold(self, eligible: int, present: int) -> int:
        """For-votes needed: strictly more than half of the base; exactly half is not enough (§3.3)."""
        return threshold_for(self.base(eligible, present))

    def describe_quorum(self) -> str:
        share = "一半" if self.quorum_share == Fraction(1, 2) else f"{self.quorum_share.numerator}/{self.quorum_share.denominator}"
        return f"实到会人数{self.quorum_rule.label}应到会人数的{share}"


def threshold_for(base: int) -> int:
    """Smallest whole number of votes strictly above half of ``base``: ⌊base/2⌋ + 1 (来源: domain.md §3.3)."""
    return base // 2 + 1


# 来源: domain.md §3.3 — 地方组织: quorum attendees > ½ of 应到会; elected: for-votes > ½ of 应到会.
LOCAL = RulePreset("地方组织", Fraction(1, 2), QuorumRule.more_than, MajorityBase.eligible)
# 来源: domain.md §3.3 — 基层组织: quorum attendees ≥ 4/5 of 应到会 [待定 ≥ or >, default ≥];
# elected: for-votes > ½ of 实到会.
GRASSROOTS = RulePreset("基层组织", Fraction(4, 5), QuorumRule.at_least, MajorityBase.present)
PRESETS: Mapping[str, RulePreset] = {p.name: p for p in (LOCAL, GRASSROOTS)}


def get_preset(name: str, *, quorum_rule: QuorumRule | str | None = None) -> RulePreset:
    """The preset called ``name``, with its quorum comparison overridden when ``quorum_rule`` is given."""
    preset = PRESETS.get(name)
    if preset is None:
        raise DomainError(f"未知的选举规则“{name}”，请填写{'或'.join(f'“{n}”' for n in PRESETS)}。", "tally.preset.unknown")
    if quorum_rule is None:
        return preset
    try:
        rule = QuorumRule(quorum_rule)
    except ValueError:
        raise DomainError(f"法定人数比较方式“{quorum_rule}”无效，请填写 at_least（不少于）或 more_than（超过）。",
                          "tally.preset.quorum_rule") from None
    return RulePreset(preset.name, preset.quorum_share, rule, preset.majority_base, preset.source)


# ---------------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class RoundSetup:
    """The figures of one round before counting (来源: domain.md §3.3)."""

    preset: RulePreset
    seats: int  # 应选名额 of this round (the still-empty seats in later rounds)
    eligible: int  # 应到会
    present: int  # 实到会
    ballots_collected: int
    candidates: tuple[str, ...]
    round_no: int = 1
    kind: RoundKind = RoundKind.regular
    pad_single_given_name: bool = False  # 姓氏笔画 setting of the election (domain.md §3.4 [待定])
    stroke_overrides: Mapping[str, str] | None = None  # strokes of rare characters (workflow.strokes)

    def __post_init__(self) -> None:
        if not isinstance(self.candidates, tuple):
            object.__setattr__(self, "candidates", tuple(self.candidates))

    def sort_names(self, names: Iterable[str]) -> list[str]:
        """``names`` in 姓氏笔画 order with this election's settings (来源: domain.md §3.4)."""
        return sort_names(names, pad_single_given_name=self.pad_single_given_name, overrides=self.stroke_overrides)


# One ballot as JSON gives it; missing keys are empty lists. Names not mentioned are 弃权 (domain.md §3.3).
Ballot = TypedDict("Ballot", {"for": Sequence[str], "against": Sequence[str], "write_in": Sequence[str]}, total=False)


@dataclass(frozen=True)
class Totals:
    """One teller's totals of a round: ballots valid/invalid, for-votes per listed candidate, write-in votes
    per written-in name and (optionally) 不赞成 per listed candidate."""

    valid: int
    invalid: int
    for_votes: Mapping[str, int] = field(default_factory=dict)
    write_in: Mapping[str, int] = field(default_factory=dict)
    against: Mapping[str, int] = field(default_factory=dict)


class TotalsField(StrEnum):
    valid = "valid"
    invalid = "invalid"
    for_votes = "for"
    against = "against"
    write_in = "write_in"

    @property
    def label(self) -> str:
        return {"valid": "有效票", "invalid": "无效票", "for": "赞成票", "against": "不赞成票",
                "write_in": "另选他人票"}[self.value]


@dataclass(frozen=True)
class Difference:
    """One figure the two tellers entered differently (a missing figure counts as 0)."""

    field: TotalsField
    name: str | None  # the candidate or written-in name; None for valid/invalid
    first: int
    second: int

    @property
    def message(self) -> str:
        what = f"{self.name}的{self.field.label}" if self.name else self.field.label
        return f"{what}：第一次录入{self.first}，第二次录入{self.second}，请核对选票后改正。"


def compare_teller_entries(a: Totals, b: Totals) -> list[Difference]:
    """Every figure on which two independent entries of the totals differ, in a stable order: valid, invalid,
    then per field (for, against, write-in) the names in the order the first entry gives them, then the
    second's extra names (来源: issue 7, double entry by two tellers)."""
    diffs: list[Difference] = []
    for fld, x, y in ((TotalsField.valid, a.valid, b.valid), (TotalsField.invalid, a.invalid, b.invalid)):
        if x != y:
            diffs.append(Difference(fld, None, x, y))
    for fld, ma, mb in ((TotalsField.for_votes, a.for_votes, b.for_votes), (TotalsField.against, a.against, b.against),
                        (TotalsField.write_in, a.write_in, b.write_in)):
        for name in dict.fromkeys(chain(ma, mb)):
            x, y = ma.get(name, 0), mb.get(name, 0)
            if x != y:
                diffs.append(Difference(fld, name, x, y))
    return diffs


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
        """The output object of ``election tally`` (issue 7)."""
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
# Checks


def check_setup(setup: RoundSetup) -> list[Blocker]:
    """Every problem with a round's figures (not with its outcome)."""
    out: list[Blocker] = []

    def bad(code: str, message: str) -> None:
        out.append(Blocker(f"tally.setup.{code}", message, SRC))

    for label, value, minimum in (("应选名额", setup.seats, 1), ("应到会人数", setup.eligible, 1),
                                  ("实到会人数", setup.present, 0), ("收回选票数", setup.ballots_collected, 0)):
        if isinstance(value, bool) or not isinstance(value, int):
            bad("not_integer", f"{label}应为整数，现为“{value}”。")
        elif value < minimum:
            bad("too_small", f"{label}不能小于{minimum}，现为{value}，请改正。")
    if not out and setup.present > setup.eligible:
        bad("present_above_eligible", f"实到会人数（{setup.present}）多于应到会人数（{setup.eligible}），请核对。")
    if not setup.candidates:
        bad("no_candidates", "候选人名单为空，请填写本轮候选人。")
    for name in setup.candidates:
        if not _is_name(name):
            bad("candidate_name", f"候选人姓名“{name}”无效：应为不含首尾空格的非空文字。")
    repeated = [n for n, c in Counter(setup.candidates).items() if c > 1]
    if repeated:
        bad("candidate_repeated", f"候选人名单中重复出现：{'、'.join(map(str, repeated))}，请删去重复的姓名。")
    return out


def check_ballots(setup: RoundSetup, ballots: Sequence[Ballot]) -> list[Blocker]:
    """Every data-entry problem in individual ballots: a name twice on one ballot, a name both for and against
    (or written in as well), a for/against name that is not a candidate, an empty write-in name. These are
    errors of transcription, not void ballots; a void ballot is one with more for-votes than seats
    (来源: domain.md §3.3; decision in the module docstring)."""
    out: list[Blocker] = []
    for i, b in enumerate(ballots):
        f, a, w = b.get("for", ()), b.get("against", ()), b.get("write_in", ())
        if len({*f, *a, *w}) != len(f) + len(a) + len(w):
            out.append(_repeat_blocker(i, b))
    listed = set(setup.candidates)
    for key, what in (("for", "赞成"), ("against", "不赞成")):
        unknown = set(chain.from_iterable(b.get(key, ()) for b in ballots)) - listed
        if unknown:
            for i, b in enumerate(ballots):
                for name in b.get(key, ()):
                    if name in unknown:
                        out.append(Blocker(f"tally.ballot.unknown_{key}",
                                           f"第{i + 1}张选票：{what}的“{name}”不在候选人名单中；另选他人请填在 write_in 中。",
                                           SRC))
    for i, b in enumerate(ballots):
        for name in b.get("write_in", ()):
            if not _is_name(name):
                out.append(Blocker("tally.ballot.write_in_name",
                                   f"第{i + 1}张选票：另选他人的姓名“{name}”无效，应为不含首尾空格的非空文字。", SRC))
    return out


def _repeat_blocker(i: int, b: Ballot) -> Blocker:
    """The first name that appears more than once on ballot ``i`` (0-based), and where."""
    where: dict[str, list[str]] = {}
    for key, what in (("for", "赞成"), ("against", "不赞成"), ("write_in", "另选他人")):
        for name in b.get(key, ()):
            where.setdefault(name, []).append(what)
    name, places = next((n, p) for n, p in where.items() if len(p) > 1)
    if len(set(places)) == 1:
        detail = f"在{places[0]}中重复出现"
    else:
        detail = f"同时出现在{'和'.join(dict.fromkeys(places))}中（一人在一张选票上只能有一种意见）"
    return Blocker("tally.ballot.name_repeated", f"第{i + 1}张选票：“{name}”{detail}，请按选票原样改正。", SRC)


def check_totals(setup: RoundSetup, totals: Totals) -> list[Blocker]:
    """Every problem with a teller's totals (来源: domain.md §3.3; issue 7)."""
    out: list[Blocker] = []

    def bad(code: str, message: str) -> None:
        out.append(Blocker(f"tally.totals.{code}", message, SRC))

    counts_ok = True
    for label, value in (("有效票", totals.valid), ("无效票", totals.invalid)):
        if not _is_count(value):
            bad("not_count", f"{label}应为不小于0的整数，现为“{value}”。")
            counts_ok = False
    if counts_ok and totals.valid + totals.invalid != setup.ballots_collected:
        bad("ballots_mismatch", f"有效票{totals.valid}张加无效票{totals.invalid}张，不等于收回选票{setup.ballots_collected}张，请核对。")
    listed = set(setup.candidates)
    for fld, mapping in ((TotalsField.for_votes, totals.for_votes), (TotalsField.against, totals.against),
                         (TotalsField.write_in, totals.write_in)):
        for name, n in mapping.items():
            if fld is not TotalsField.write_in and name not in listed:
                bad(f"unknown_{fld.value}", f"{fld.label}中的“{name}”不在候选人名单中；另选他人请填在 write_in 中。")
            elif fld is TotalsField.write_in and not _is_name(name):
                bad("write_in_name", f"另选他人的姓名“{name}”无效，应为不含首尾空格的非空文字。")
            if not _is_count(n):
                bad("not_count", f"“{name}”的{fld.label}应为不小于0的整数，现为“{n}”。")
                counts_ok = False
    if not counts_ok or out:
        return out
    votes = _merge_votes(setup.candidates, totals.for_votes, totals.write_in)
    for name, n in votes.items():
        if n + totals.against.get(name, 0) > totals.valid:
            extra = f"与不赞成票{totals.against[name]}张合计" if totals.against.get(name) else ""
            bad("above_valid", f"“{name}”得票{n}张{extra}多于有效票{totals.valid}张：每张有效票对一人至多一票，请核对。")
    if sum(votes.values()) > totals.valid * setup.seats:
        bad("too_many_votes", f"赞成票（含另选他人）合计{sum(votes.values())}张，多于有效票{totals.valid}张×应选名额"
                              f"{setup.seats}名，不可能出现，请核对。")
    return out


def _is_name(name: object) -> bool:
    return isinstance(name, str) and bool(name) and name.strip() == name


def _is_count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def raise_for_blockers(blockers: list[Blocker], heading: str) -> None:
    """Raise one DomainError listing the blockers' messages (at most MAX_LISTED_PROBLEMS), if there are any."""
    if blockers:
        lines = [b.message for b in blockers[:MAX_LISTED_PROBLEMS]]
        if len(blockers) > MAX_LISTED_PROBLEMS:
            lines.append(f"……另有{len(blockers) - MAX_LISTED_PROBLEMS}处问题。")
        raise DomainError(heading + "\n" + "\n".join(lines), blockers[0].code)


# ---------------------------------------------------------------------------------------------------------
# Tally


def tally_ballots(setup: RoundSetup, ballots: Sequence[Ballot], *, checked: bool = False) -> TallyResult:
    """Count individual ballots. A ballot is void when its for-votes (write-ins included) exceed the seats;
    equal or fewer, or all abstentions, is valid (来源: domain.md §3.3). Data-entry errors (see
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
            or not all(map(_is_name, write_in_counts)) or (void and _void_ballots_have_errors(void, listed))):
        raise_for_blockers(check_ballots(setup, ballots), "选票录入有误：")  # slow path: name every problem
    votes = _merge_votes(setup.candidates, for_counts, write_in_counts)
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
            if n_for > seats:  # 来源: domain.md §3.3 — more for-votes (write-ins included) than seats: void
                keep_void(b)
                if len({*f, *a, *w}) != n_for + len(a):
                    repeats = True
                continue
            keep_for(f)
            if a:
                keep_against(a)
                if w:
                    keep_write_in(w)
                    if len({*f, *a, *w}) != n_for + len(a):
                        repeats = True
                elif len({*f, *a}) != n_for + len(a):
                    repeats = True
            elif w:
                keep_write_in(w)
                if len({*f, *w}) != n_for:
                    repeats = True
            elif len(set(f)) != n_for:
                repeats = True
    else:
        for b in ballots:
            f = b.get("for", empty)
            w = b.get("write_in", empty)
            if len(f) + len(w) > seats:  # 来源: domain.md §3.3 — as above
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
        if not all(map(_is_name, b.get("write_in", ()))):
            return True
    return False


def tally_totals(setup: RoundSetup, totals: Totals) -> TallyResult:
    """Decide a round from a teller's confirmed totals (来源: domain.md §3.3). Raises DomainError."""
    raise_for_blockers(check_setup(setup), "本轮选举的基本数字有误：")
    early = _not_counted(setup)
    if early is not None:
        return early
    raise_for_blockers(check_totals(setup, totals), "计票数字有误：")
    votes = _merge_votes(setup.candidates, totals.for_votes, totals.write_in)
    against = {name: totals.against[name] for name in setup.candidates if name in totals.against}
    return _decide(setup, totals.valid, totals.invalid, votes, against)


def _merge_votes(candidates: Iterable[str], for_votes: Mapping[str, int], write_in: Mapping[str, int]) -> dict[str, int]:
    """Votes per person: every listed candidate (0 included), plus written-in names with votes. A write-in of a
    listed candidate's name counts for that candidate (decision, docs/tally.md)."""
    votes = {name: for_votes.get(name, 0) for name in candidates}
    for name, n in write_in.items():
        if n or name in votes:
            votes[name] = votes.get(name, 0) + n
    return votes


def _not_counted(setup: RoundSetup) -> TallyResult | None:
    """The round does not stand: no quorum, or more ballots collected than voters present (来源: domain.md §3.3)."""
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
    """Rank the counted votes against the threshold (来源: domain.md §3.3)."""
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
