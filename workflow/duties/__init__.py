"""代表任期履职: the pure rules, in one import.

    from workflow import duties
    book = duties.RuleBook.of(duties.PRESETS["yantian"])
    points = duties.compute_points(activities, book, 2026)
    ranking = duties.rank_delegates(duties.totals(points), office_of)

The pieces live in ``duty_rules`` (rule sets, versions, periods), ``duty_presets`` (盐田, 凤县, 印台),
``duty_points`` (scoring), ``duty_ranking`` (rankings), ``duty_compliance`` (requirements, reminders); the
模范履职党代表 cap is here. 来源: docs/rules.md §6.
"""
from __future__ import annotations

from fractions import Fraction

from workflow.common import sources
from workflow.common.results import Blocker, DomainError
from workflow.duties.compliance import (
    AT_RISK_DAYS,
    AtRisk,
    RequirementStatus,
    Service,
    check_requirements,
    current_period,
    owes,
    requirements_at_risk,
    service_of,
)
from workflow.duties.periods import (
    Period,
    PeriodKind,
    cn_date,
    entry_date_problem,
    period_containing,
    periods_of_year,
    periods_overlapping,
    scoring_year,
    scoring_year_of,
)
from workflow.duties.point_counts import CapGroup, PlanRule, compute_points_from_counts, points_plan, split_capped
from workflow.duties.points import (
    CappedItem,
    DelegatePoints,
    PointsTable,
    PublishedPoints,
    TypePoints,
    UnscoredItem,
    compute_points,
    compute_published_points,
    explain,
    publication_periods,
    totals,
)
from workflow.duties.presets import FENGXIAN, PRESETS, YANTIAN, YINTAI
from workflow.duties.ranking import RankRow, rank_delegates, rank_group, standing_of
from workflow.duties.rules import (
    Activity,
    ActivityStatus,
    ActivityType,
    AnnualReview,
    DutyRuleSet,
    Requirement,
    ReviewPart,
    Role,
    RuleBook,
    SatisfactionGrade,
    check_new_version,
    check_ruleset,
    normalize_grade,
)

# 来源: docs/rules.md §6 凤县 — 模范履职党代表 at most 25% of a unit's delegates; rounded down (our default).
MODEL_DELEGATE_SHARE = Fraction(1, 4)
_MODEL_SOURCE = sources.MODEL_DELEGATES


def max_model_delegates(n_delegates: int, share: Fraction = MODEL_DELEGATE_SHARE) -> int:
    """At most ⌊25% × n⌋ 模范履职党代表 per unit: 10 → 2, 8 → 2, 4 → 1, 3 → 0."""
    if isinstance(n_delegates, bool) or not isinstance(n_delegates, int) or n_delegates < 0:
        raise DomainError("单位代表人数应为不小于0的整数", code="duties.model.count_invalid")
    share = Fraction(share)
    return n_delegates * share.numerator // share.denominator


def model_cap_reason(n_delegates: int, share: Fraction = MODEL_DELEGATE_SHARE) -> str | None:
    """Why a unit can propose no 模范履职党代表 at all (⌊25% × n⌋ = 0: 1—3 delegates), or None when it can.
    来源: docs/rules.md §6 模范履职党代表名额取整 (rounded down so as never to exceed the share)."""
    if max_model_delegates(n_delegates, share) > 0:
        return None
    pct = Fraction(share) * 100
    pct_text = f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct):g}%"
    least = -(-share.denominator // share.numerator)  # the fewest delegates that give one place
    return (f"本单位在任代表{n_delegates}名，推荐名额按不超过{pct_text}向下取整为0名，不能推荐模范履职党代表"
            f"（在任代表{least}名及以上才有1个名额）")


def check_model_nominations(n_delegates: int, n_proposed: int,
                            share: Fraction = MODEL_DELEGATE_SHARE) -> list[Blocker]:
    """The system refuses a unit's nomination list longer than its cap."""
    if isinstance(n_proposed, bool) or not isinstance(n_proposed, int) or n_proposed < 0:
        raise DomainError("推荐人数应为不小于0的整数", code="duties.model.count_invalid")
    cap = max_model_delegates(n_delegates, share)
    if n_proposed <= cap:
        return []
    pct = Fraction(share) * 100
    pct_text = f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct):g}%"
    if cap == 0:
        text = (f"本单位共有代表{n_delegates}名，按不超过{pct_text}（向下取整）计算不能推荐模范履职党代表，"
                f"请撤回全部{n_proposed}名推荐")
    else:
        text = (f"推荐模范履职党代表{n_proposed}名，超过本单位代表{n_delegates}名的{pct_text}（向下取整最多{cap}名），"
                f"请减少{n_proposed - cap}名")
    return [Blocker("duties.model.over_cap", text, _MODEL_SOURCE)]


__all__ = [
    "AT_RISK_DAYS",
    "FENGXIAN",
    "MODEL_DELEGATE_SHARE",
    "PRESETS",
    "YANTIAN",
    "YINTAI",
    "Activity",
    "ActivityStatus",
    "ActivityType",
    "AnnualReview",
    "AtRisk",
    "CapGroup",
    "CappedItem",
    "DelegatePoints",
    "DutyRuleSet",
    "Period",
    "PeriodKind",
    "PlanRule",
    "PointsTable",
    "PublishedPoints",
    "RankRow",
    "Requirement",
    "RequirementStatus",
    "ReviewPart",
    "Role",
    "RuleBook",
    "SatisfactionGrade",
    "Service",
    "TypePoints",
    "UnscoredItem",
    "check_model_nominations",
    "check_new_version",
    "check_requirements",
    "check_ruleset",
    "cn_date",
    "compute_points",
    "compute_points_from_counts",
    "compute_published_points",
    "current_period",
    "entry_date_problem",
    "explain",
    "max_model_delegates",
    "model_cap_reason",
    "normalize_grade",
    "owes",
    "period_containing",
    "periods_of_year",
    "periods_overlapping",
    "points_plan",
    "publication_periods",
    "rank_delegates",
    "rank_group",
    "requirements_at_risk",
    "scoring_year",
    "scoring_year_of",
    "service_of",
    "split_capped",
    "standing_of",
    "totals",
]
