"""民主评议, 民主测评 and 信任投票 at a session (docs/rules.md §7): the grades, the tellers' figures and their checks,
the comparison of two independent entries, and the result per object.

- Grades are a setting: by default 好/较好/一般/差 (盐田, 待定); a 信任投票 has 信任/不信任/弃权.
- A ballot is valid or invalid as a whole (the tellers decide, as for an election ballot); on a valid ballot an
  object marked with no grade, or with more than one, counts as 未评 for that object (our rule).
- Rates are shares of the valid ballots: 好+较好率 (the "good" grades), 差评率 (the "poor" grade). An object is
  flagged (e.g. 不称职) when its poor share is over a threshold — a setting, by default one third (待定).
- A 信任投票 is won with 信任 votes over a share of the valid ballots — a setting, by default half (超过半数,
  exactly half is not enough; 待定).
- The tellers enter only totals: no figure links a ballot to a delegate.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from workflow.common import sources
from workflow.common.results import Blocker, DomainError

SOURCE = sources.ASSEMBLY_APPRAISAL
KINDS = {"appraisal": "民主评议", "rating": "民主测评", "confidence": "信任投票"}
DEFAULT_GRADES = ("好", "较好", "一般", "差")
CONFIDENCE_GRADES = ("信任", "不信任", "弃权")


@dataclass(frozen=True)
class AppraisalRules:
    kind: str
    grades: tuple[str, ...]
    good: tuple[str, ...] = ()  # counted in the 好+较好率
    poor: str | None = None  # counted in the 差评率
    poor_threshold: Fraction | None = None  # flagged when the poor share is over this
    flag_label: str = "不称职"
    pass_share: Fraction | None = None  # 信任投票: 信任 over this share of the valid ballots

    def __post_init__(self):
        if self.kind not in KINDS:
            raise DomainError("测评类型只能是民主评议、民主测评或信任投票。")
        grades = [g.strip() for g in self.grades]
        if len(grades) < 2 or any(not g for g in grades):
            raise DomainError("请至少设两个等次，等次名称不能为空。")
        if len(set(grades)) != len(grades):
            raise DomainError("等次名称不能重复。")
        if any(g not in grades for g in self.good):
            raise DomainError("计入好评率的等次须是所设等次之一。")
        if self.poor is not None and self.poor not in grades:
            raise DomainError("计入差评率的等次须是所设等次之一。")
        for share in (self.poor_threshold, self.pass_share):
            if share is not None and not 0 <= share < 1:
                raise DomainError("比例应在0到1之间（不含1）。")


def default_rules(kind: str) -> AppraisalRules:
    if kind == "confidence":
        return AppraisalRules(kind, CONFIDENCE_GRADES, good=("信任",), poor="不信任", pass_share=Fraction(1, 2))
    return AppraisalRules(kind, DEFAULT_GRADES, good=("好", "较好"), poor="差", poor_threshold=Fraction(1, 3))


def _fraction(value) -> Fraction | None:
    if value in (None, ""):
        return None
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise DomainError(f"比例“{value}”无法识别，请写成1/3或0.5这样的形式。") from None


def rules_from_settings(kind: str, grades: Sequence[str], settings: Mapping) -> AppraisalRules:
    """The rules stored on an appraisal (``settings``: good, poor, poor_threshold, flag_label, pass_share)."""
    base = default_rules(kind)
    grades = tuple(g.strip() for g in grades) or base.grades
    same = grades == base.grades
    return AppraisalRules(
        kind, grades,
        good=tuple(settings.get("good", base.good if same else ())),
        poor=settings.get("poor", base.poor if same else None) or None,
        poor_threshold=_fraction(settings.get("poor_threshold", base.poor_threshold)),
        flag_label=settings.get("flag_label") or base.flag_label,
        pass_share=_fraction(settings.get("pass_share", base.pass_share)),
    )


def rules_to_settings(rules: AppraisalRules) -> dict:
    return {"good": list(rules.good), "poor": rules.poor, "flag_label": rules.flag_label,
            "poor_threshold": None if rules.poor_threshold is None else str(rules.poor_threshold),
            "pass_share": None if rules.pass_share is None else str(rules.pass_share)}


@dataclass(frozen=True)
class Figures:
    """One entry of the count: invalid ballots, and per object (by key) the votes for each grade."""

    invalid: int
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def figures_from_json(data: Mapping) -> Figures:
    try:
        invalid = int(data.get("invalid", 0))
        counts = {str(k): {str(g): int(n) for g, n in (v or {}).items()} for k, v in (data.get("objects") or {}).items()}
    except (TypeError, ValueError, AttributeError):
        raise DomainError("票数应为整数，请核对。") from None
    return Figures(invalid, counts)


def figures_to_json(figures: Figures) -> dict:
    return {"invalid": figures.invalid, "objects": {k: dict(v) for k, v in figures.counts.items()}}


def check_figures(rules: AppraisalRules, objects: Sequence[tuple[str, str]], figures: Figures,
                  ballots_issued: int, ballots_collected: int) -> list[Blocker]:
    """Every problem with one entry: ``objects`` are (key, name) in ballot order."""
    out: list[Blocker] = []
    if ballots_collected > ballots_issued:
        out.append(Blocker("assembly.appraisal.collected_over_issued",
                           f"收回票数（{ballots_collected}）多于发出票数（{ballots_issued}），本次测评无效，应重新进行。",
                           SOURCE))
    if figures.invalid < 0 or figures.invalid > ballots_collected:
        out.append(Blocker("assembly.appraisal.invalid_range",
                           f"无效票数（{figures.invalid}）应在0到收回票数（{ballots_collected}）之间。", SOURCE))
        return out
    valid = ballots_collected - figures.invalid
    known = {k for k, _ in objects}
    for key in figures.counts:
        if key not in known:
            out.append(Blocker("assembly.appraisal.unknown_object", "录入中有不在测评表上的对象，请刷新页面后重新录入。",
                               SOURCE))
            break
    for key, name in objects:
        row = figures.counts.get(key, {})
        unknown = [g for g in row if g not in rules.grades]
        if unknown:
            out.append(Blocker("assembly.appraisal.unknown_grade", f"{name}：等次“{'、'.join(unknown)}”不在所设等次中。",
                               SOURCE))
        if any(n < 0 for n in row.values()):
            out.append(Blocker("assembly.appraisal.negative", f"{name}：票数不能为负数。", SOURCE))
            continue
        total = sum(row.get(g, 0) for g in rules.grades)
        if total > valid:
            out.append(Blocker("assembly.appraisal.over_valid",
                               f"{name}：各等次票数之和（{total}）超过有效票数（{valid}），请核对。", SOURCE))
    return out


@dataclass(frozen=True)
class Difference:
    object_key: str | None  # None: the invalid ballots
    grade: str | None
    first: int
    second: int


def compare_entries(rules: AppraisalRules, objects: Sequence[str], a: Figures, b: Figures) -> list[Difference]:
    """Every figure on which two independent entries differ: the invalid ballots, then object by object in ballot
    order, grade by grade (double entry by two tellers, as for an election count)."""
    diffs = [Difference(None, None, a.invalid, b.invalid)] if a.invalid != b.invalid else []
    for key in objects:
        ra, rb = a.counts.get(key, {}), b.counts.get(key, {})
        for grade in rules.grades:
            x, y = ra.get(grade, 0), rb.get(grade, 0)
            if x != y:
                diffs.append(Difference(key, grade, x, y))
    return diffs


@dataclass(frozen=True)
class ObjectResult:
    key: str
    counts: tuple[tuple[str, int], ...]  # grade, votes — in grade order
    blank: int  # 未评
    valid: int
    good_rate: Fraction | None  # None without valid ballots
    poor_share: Fraction | None
    top_grades: tuple[str, ...]  # the grade(s) with the most votes; more than one on a tie
    flagged: bool  # poor share over the threshold
    passed: bool | None  # 信任投票 only: won the confidence

    @property
    def verdict(self) -> str:
        if self.valid == 0:
            return "无有效票"
        if self.passed is not None:
            return "获得信任" if self.passed else "未获得信任"
        if not self.top_grades:  # every valid ballot left this object blank
            return "均未评定"
        return "、".join(self.top_grades) + ("（票数相同）" if len(self.top_grades) > 1 else "")


def results(rules: AppraisalRules, objects: Sequence[str], figures: Figures, ballots_collected: int,
            flag_label: str | None = None) -> list[ObjectResult]:
    valid = ballots_collected - figures.invalid
    out = []
    for key in objects:
        row = figures.counts.get(key, {})
        counts = tuple((g, row.get(g, 0)) for g in rules.grades)
        graded = sum(n for _, n in counts)
        most = max((n for _, n in counts), default=0)
        top = tuple(g for g, n in counts if n == most and n > 0)
        good = sum(row.get(g, 0) for g in rules.good)
        poor = row.get(rules.poor, 0) if rules.poor else 0
        good_rate = Fraction(good, valid) if valid else None
        poor_share = Fraction(poor, valid) if valid and rules.poor else None
        flagged = (rules.poor_threshold is not None and poor_share is not None and poor_share > rules.poor_threshold)
        passed = None
        if rules.kind == "confidence":
            share = rules.pass_share if rules.pass_share is not None else Fraction(1, 2)
            trust = row.get(rules.good[0], 0) if rules.good else 0
            passed = valid > 0 and Fraction(trust, valid) > share
        out.append(ObjectResult(key, counts, max(0, valid - graded), valid, good_rate, poor_share, top, flagged, passed))
    return out


def percent(share: Fraction | None) -> str:
    """83.3% (one decimal, half up); — without valid ballots."""
    if share is None:
        return "—"
    tenths = share * 1000
    rounded = (tenths.numerator * 2 + tenths.denominator) // (2 * tenths.denominator)
    return f"{rounded // 10}.{rounded % 10}%"
