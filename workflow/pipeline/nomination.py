"""The rules a 推荐单位's own nominee list must pass before it can be submitted (差额推荐)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from workflow.common import sources
from workflow.common.results import Blocker
from workflow.pipeline.ratios import check_margin, min_candidates
from workflow.quotas.categories import CategoryTree

SOURCE_ALLOCATION = sources.UNIT_ALLOCATION


@dataclass(frozen=True)
class UnitAllocation:
    """What the 工作方案 allots one unit: 推荐名额, the number to report and its breakdown by category."""

    quota: int                      # 推荐名额 (seed: 11)
    report_count: int = 0           # 应上报人数 (seed: 17); 0 = only the margin applies
    breakdown: Mapping[str, int] = field(default_factory=dict)  # {"局级领导干部": 6, "处级领导干部": 3, "基层一线": 8}
    margin: Fraction = Fraction(1, 2)   # 差额推荐 margin over 推荐名额 (seed ≥50%, docs/rules.md §3.1)

    @property
    def minimum(self) -> int:
        return min_candidates(self.quota, self.margin)


def check_unit_list(categories: Sequence[str], allocation: UnitAllocation, tree: CategoryTree) -> list[Blocker]:
    """Every reason a unit's list (given as each person's 身份类别) cannot be submitted yet."""
    n = len(categories)
    blockers: list[Blocker] = []
    if n == 0:
        return [Blocker("unit_list.empty", "本单位尚未录入推荐人选，请下载模板填写后上传，或逐条添加", SOURCE_ALLOCATION)]
    if allocation.quota:
        blockers += check_margin(n, allocation.quota, allocation.margin, code="unit_list.margin", what="推荐人选",
                                 seats_what="推荐名额")
    if allocation.report_count and n != allocation.report_count:
        more_or_less = f"还需增加{allocation.report_count - n}名" if n < allocation.report_count else \
            f"请减少{n - allocation.report_count}名"
        blockers.append(Blocker("unit_list.report_count",
                                f"应上报{allocation.report_count}名，现有{n}名，{more_or_less}", SOURCE_ALLOCATION))
    counts = Counter(categories)
    for node, wanted in allocation.breakdown.items():
        have = sum(c for cat, c in counts.items() if tree.contains(node, cat))
        if have != wanted:
            fix = f"还需{wanted - have}名" if have < wanted else f"多出{have - wanted}名"
            blockers.append(Blocker(f"unit_list.breakdown.{node}",
                                    f"{node}应为{wanted}名，现有{have}名，{fix}", SOURCE_ALLOCATION))
    return blockers
