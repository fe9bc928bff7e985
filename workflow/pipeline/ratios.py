"""差额: how many more candidates than seats each step needs (docs/rules.md §3.1).

The margin is ``(candidates - seats) / seats``. Extra candidates are rounded **up** (进一法): 16 seats at
20% need 4 extra (3.2 -> 4), so 20 candidates; a unit list of 11 at 50% needs 6 extra (5.5 -> 6), so 17.
Counts and Fractions only, never floats.
"""
from __future__ import annotations

import math
from collections.abc import Sized
from enum import StrEnum
from fractions import Fraction

from workflow.common import sources
from workflow.common.results import Blocker, DomainError
from workflow.quotas.rules import format_share

SOURCE = sources.MARGIN


class MarginStep(StrEnum):
    """Steps with a margin rule; defaults are per-election settings (docs/rules.md §3.1)."""

    unit_list = "unit_list"   # 推荐人选: seed ≥50% per unit
    vetting = "vetting"       # 考察对象 more than 初步人选 (strict)
    delegates = "delegates"   # 代表候选人: ≥20% [条例]

    @property
    def label(self) -> str:
        return {"unit_list": "推荐人选", "vetting": "考察对象", "delegates": "代表候选人"}[self.value]

    @property
    def default_margin(self) -> Fraction:
        return {"unit_list": Fraction(1, 2), "vetting": Fraction(0), "delegates": Fraction(1, 5)}[self.value]

    @property
    def strict(self) -> bool:
        return self is MarginStep.vetting


def parse_margin(value: object) -> Fraction:
    """``"20%"``, ``"1/5"`` or ``"0.2"`` -> Fraction(1, 5), exactly (a margin may exceed 100%)."""
    bad = DomainError(f"差额比例“{value}”无法识别，应写作 20%、1/5 或 0.2", "margin.invalid")
    if isinstance(value, bool):
        raise bad
    try:
        if isinstance(value, str):
            text = value.strip().replace("／", "/")
            margin = Fraction(text[:-1]) / 100 if text.endswith(("%", "％")) else Fraction(text)
        elif isinstance(value, float):
            margin = Fraction(repr(value))
        elif isinstance(value, (int, Fraction)):
            margin = Fraction(value)
        else:
            raise bad
    except (ValueError, ZeroDivisionError):
        raise bad from None
    if margin < 0:
        raise bad
    return margin


def _count(value: int | Sized, what: str) -> int:
    count = len(value) if isinstance(value, Sized) else value
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise DomainError(f"{what}应为非负整数，而不是 {value!r}", "margin.invalid")
    return count


def min_candidates(seats: int, margin: Fraction) -> int:
    """Fewest candidates for ``seats`` at ``margin`` (extra candidates rounded up). 来源: docs/rules.md §3.1."""
    seats = _count(seats, "应选名额")
    if margin < 0:
        raise DomainError("差额比例不能为负数", "margin.invalid")
    return seats + math.ceil(Fraction(margin) * seats)


def min_candidates_strict(seats: int, margin: Fraction) -> int:
    """Fewest candidates when the margin must be exceeded ("多于"): extra > seats·margin."""
    seats = _count(seats, "应选名额")
    return seats + math.floor(Fraction(margin) * seats) + 1


def check_margin(candidates: int | Sized, seats: int, margin: Fraction, strict: bool = False,
                 code: str = "ratio.margin", what: str = "候选人", seats_what: str = "应选名额") -> list[Blocker]:
    """Blocker when ``candidates`` fall short of ``seats`` plus the margin.

    ``strict`` asks for more than the margin (考察对象 more than 初步人选: margin 0, strict). Exactly the
    margin passes when not strict. 来源: docs/rules.md §3.1.
    """
    have = _count(candidates, f"{what}人数")
    seats = _count(seats, seats_what)
    margin = Fraction(margin)
    need = min_candidates_strict(seats, margin) if strict else min_candidates(seats, margin)
    if have >= need:
        return []
    if strict and margin == 0:
        rule = f"应多于{seats_what}{seats}名"
    elif strict:
        rule = f"差额比例应高于{format_share(margin) if margin <= 1 else margin}（{seats_what}{seats}名）"
    else:
        rule = f"差额比例不低于{format_share(margin) if margin <= 1 else margin}（{seats_what}{seats}名，差额人数进一取整）"
    return [Blocker(code, f"{what}{have}名，{rule}，至少需要{need}名，还差{need - have}名", SOURCE)]


def check_step_margin(step: MarginStep, candidates: int | Sized, seats: int,
                      margin: Fraction | None = None) -> list[Blocker]:
    """``check_margin`` with a step's label, code (``ratio.<step>``) and default margin."""
    seats_what = {"vetting": "初步人选", "unit_list": "推荐名额"}.get(step.value, "应选名额")
    return check_margin(candidates, seats, step.default_margin if margin is None else margin, step.strict,
                        f"ratio.{step.value}", step.label, seats_what)
