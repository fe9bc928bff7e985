"""Whether a session of the congress may be held: the share of the delegates on the current roll who are present.

来源: docs/rules.md §7 — 乡镇常任制: "五分之四以上的代表到会"; the roll is the delegates in office (已出缺的名额不计);
whether "以上" includes exactly four fifths is 待定, a setting that defaults to inclusive. The other schemes are
silent: the same fraction is their default setting (待定).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from workflow.common import sources
from workflow.common.results import Blocker, DomainError
from workflow.duties.delegate_status import DelegateStatus

SOURCE = sources.ASSEMBLY_QUORUM


@dataclass(frozen=True)
class QuorumRule:
    """Present ≥ (or >) ``share`` of the roll. ``settled`` is False where the texts are silent (待定)."""

    share: Fraction
    inclusive: bool = True
    settled: bool = True
    label: str = ""

    def __post_init__(self):
        if not 0 < self.share <= 1:
            raise DomainError("到会比例应大于0且不超过1。")

    @property
    def wording(self) -> str:
        frac = f"{_chinese_fraction(self.share)}"
        return f"{frac}{'以上（含）' if self.inclusive else '以上（不含本数）'}"


def _chinese_fraction(share: Fraction) -> str:
    digits = "零一二三四五六七八九十"
    if share == 1:
        return "全体"
    if share.denominator <= 10 and share.numerator <= 10:
        return f"{digits[share.denominator]}分之{digits[share.numerator]}"
    return f"{share.numerator}/{share.denominator}"


# preset code -> the rule, with the scheme's name as the clerk reads it
PRESETS: dict[str, QuorumRule] = {
    "township": QuorumRule(Fraction(4, 5), True, True, "乡镇党代会常任制（2004）"),
    "yantian": QuorumRule(Fraction(4, 5), True, False, "盐田（2013）"),
    "fengxian": QuorumRule(Fraction(4, 5), True, False, "凤县（2022）"),
    "yintai": QuorumRule(Fraction(4, 5), True, False, "印台（2015）"),
}


def roll_count(statuses: Iterable[str]) -> int:
    """The delegates on the current roll: those in office. A vacated seat (资格终止) is not counted, nor a delegate
    whose duties are suspended (停止执行: transferred out of the area; our reading — he cannot take a seat)."""
    return sum(1 for s in statuses if s == DelegateStatus.serving)


def needed(roll: int, rule: QuorumRule) -> int:
    """The fewest present for the session to be held."""
    if roll < 0:
        raise DomainError("代表人数不能为负数。")
    exact = rule.share * roll
    if rule.inclusive:
        return -(-exact.numerator // exact.denominator)  # ceiling
    return exact.numerator // exact.denominator + 1


@dataclass(frozen=True)
class Quorum:
    roll: int
    present: int
    needed: int
    met: bool

    @property
    def short(self) -> int:
        return max(0, self.needed - self.present)


def check_quorum(roll: int, present: int, rule: QuorumRule) -> Quorum:
    if present < 0 or present > roll:
        raise DomainError(f"实到人数（{present}）应在0到应到人数（{roll}）之间。")
    need = needed(roll, rule)
    return Quorum(roll, present, need, roll > 0 and present >= need)


def quorum_blockers(q: Quorum, rule: QuorumRule) -> list[Blocker]:
    if q.met:
        return []
    if q.roll == 0:
        return [Blocker("assembly.quorum.empty_roll", "代表名册中没有在任代表，不能召开。", SOURCE)]
    return [Blocker("assembly.quorum.short",
                    f"应到{q.roll}人，实到{q.present}人，须{rule.wording}即至少{q.needed}人到会，还差{q.short}人，"
                    "不能召开。", SOURCE)]
