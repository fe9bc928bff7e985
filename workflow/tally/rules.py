"""The rules of a round and its inputs as data: presets ("地方组织", "基层组织") with their quorum rule and
majority base, a round's setup, a ballot, the tellers' totals and how two tellers' entries differ.

来源: docs/rules.md §3.3."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from itertools import chain
from typing import TypedDict

from workflow.common import sources
from workflow.common.results import DomainError
from workflow.common.strokes import sort_names

SRC = sources.MEETING


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
    """The meeting rules of one kind of election (来源: docs/rules.md §3.3)."""

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
    """Smallest whole number of votes strictly above half of ``base``: ⌊base/2⌋ + 1 (来源: docs/rules.md §3.3)."""
    return base // 2 + 1


# 来源: docs/rules.md §3.3 — 地方组织: quorum attendees > ½ of 应到会; elected: for-votes > ½ of 应到会.
LOCAL = RulePreset("地方组织", Fraction(1, 2), QuorumRule.more_than, MajorityBase.eligible)
# 来源: docs/rules.md §3.3 — 基层组织: quorum attendees ≥ 4/5 of 应到会 [待定 ≥ or >, default ≥];
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
    """The figures of one round before counting (来源: docs/rules.md §3.3)."""

    preset: RulePreset
    seats: int  # 应选名额 of this round (the still-empty seats in later rounds)
    eligible: int  # 应到会
    present: int  # 实到会
    ballots_collected: int
    candidates: tuple[str, ...]
    round_no: int = 1
    kind: RoundKind = RoundKind.regular
    pad_single_given_name: bool = False  # 姓氏笔画 setting of the election (docs/rules.md §3.4 [待定])
    stroke_overrides: Mapping[str, str] | None = None  # strokes of rare characters (workflow.common.strokes)

    def __post_init__(self) -> None:
        if not isinstance(self.candidates, tuple):
            object.__setattr__(self, "candidates", tuple(self.candidates))

    def sort_names(self, names: Iterable[str]) -> list[str]:
        """``names`` in 姓氏笔画 order with this election's settings (来源: docs/rules.md §3.4)."""
        return sort_names(names, pad_single_given_name=self.pad_single_given_name, overrides=self.stroke_overrides)


# One ballot as JSON gives it; missing keys are empty lists. Names not mentioned are 弃权 (docs/rules.md §3.3).
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
    second's extra names (double entry by two tellers: our rule)."""
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
