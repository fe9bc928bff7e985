"""Quota rules and candidates as data, and their readers (docs/rules.md §3.2).

A rule selects people with a :class:`Predicate` and bounds how many of them there are, by count or by an
exact share. Readers (``parse_*``) turn plain JSON-like data into these objects and raise
:class:`DomainError` with a Chinese message naming the rule or candidate and the field.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from workflow.common import sources
from workflow.common.results import DomainError
from workflow.quotas.categories import CategoryTree

SOURCE = sources.QUOTAS
PREDICATE_KEYS = ("gender", "ethnicity", "ethnicity_not", "age_below", "age_at_most", "category_in", "attribute")
GENDERS = ("男", "女")
_SHARE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")


def age_on(birth_date: dt.date, ref: dt.date) -> int:
    """Age in whole years on ``ref``; the birthday itself completes the year.

    来源: docs/rules.md §3.2 (年龄计算基准日, whole years). Someone born on 29 February completes a year on
    1 March in a non-leap year (the day after 28 February).
    """
    return ref.year - birth_date.year - ((ref.month, ref.day) < (birth_date.month, birth_date.day))


def parse_share(value: Any, what: str = "比例") -> Fraction:
    """Read a share exactly: ``"1/3"``, ``"50%"``, ``"0.5"`` (never through a float)."""
    if isinstance(value, Fraction):
        share = value
    elif isinstance(value, bool):
        raise DomainError(f"{what}应写作 1/3、50% 或 0.5，而不是 {value!r}", "share.invalid")
    elif isinstance(value, int):
        share = Fraction(value)
    elif isinstance(value, float):
        share = Fraction(repr(value))  # the shortest text that reads back as this number, e.g. 0.3 -> 3/10
    elif isinstance(value, str):
        text = value.strip().replace("／", "/")
        match = _SHARE_RE.match(text)
        try:
            share = Fraction(match.group(1)) / 100 if match else Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise DomainError(f"{what}“{value}”无法识别，应写作 1/3、50% 或 0.5", "share.invalid") from None
    else:
        raise DomainError(f"{what}应写作 1/3、50% 或 0.5，而不是 {value!r}", "share.invalid")
    if not 0 <= share <= 1:
        raise DomainError(f"{what}“{value}”应在 0 到 1（100%）之间", "share.out_of_range")
    return share


def format_share(share: Fraction) -> str:
    """1/3 -> "1/3", 1/2 -> "50%", 1/5 -> "20%"."""
    pct = share * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    return f"{share.numerator}/{share.denominator}"


@dataclass(frozen=True)
class Predicate:
    """Who a rule counts. Every given key must hold (AND); an empty predicate is not allowed by the reader.

    ``categories`` is ``category_in`` expanded through the category tree (a node and all it contains);
    :func:`parse_rules` fills it from the election's tree, direct construction uses the default tree.
    """

    gender: str | None = None
    ethnicity: str | None = None
    ethnicity_not: str | None = None
    age_below: int | None = None      # age < N on the reference date
    age_at_most: int | None = None    # age <= N on the reference date
    category_in: tuple[str, ...] = ()
    attribute: tuple[tuple[str, Any], ...] = ()
    categories: frozenset[str] = frozenset()

    def __post_init__(self):
        if isinstance(self.category_in, str):
            object.__setattr__(self, "category_in", (self.category_in,))
        if isinstance(self.attribute, Mapping):
            object.__setattr__(self, "attribute", tuple(self.attribute.items()))
        if self.category_in and not self.categories:
            tree = CategoryTree()
            object.__setattr__(self, "categories", frozenset().union(*(tree.expand(n) for n in self.category_in)))

    def matches(self, person: Candidate, ref: dt.date) -> bool:
        if self.gender is not None and person.gender != self.gender:
            return False
        if self.ethnicity is not None and person.ethnicity != self.ethnicity:
            return False
        if self.ethnicity_not is not None and person.ethnicity == self.ethnicity_not:
            return False
        if self.age_below is not None or self.age_at_most is not None:
            age = age_on(person.birth_date, ref)
            if self.age_below is not None and not age < self.age_below:
                return False
            if self.age_at_most is not None and not age <= self.age_at_most:
                return False
        if self.category_in and person.category not in self.categories:
            return False
        for name, value in self.attribute:
            if name not in person.attributes or person.attributes[name] != value:
                return False
        return True

    def describe(self) -> str:
        """Chinese wording of who is counted, e.g. ``女性、50岁以下``."""
        parts = []
        if self.gender is not None:
            parts.append(f"{self.gender}性" if self.gender in GENDERS else f"性别为{self.gender}")
        if self.ethnicity is not None:
            parts.append(self.ethnicity)
        if self.ethnicity_not is not None:
            parts.append("少数民族" if self.ethnicity_not == "汉族" else f"非{self.ethnicity_not}")
        if self.age_below is not None:
            parts.append(f"{self.age_below}岁以下")
        if self.age_at_most is not None:
            parts.append(f"{self.age_at_most}岁及以下")
        if self.category_in:
            parts.append("或".join(self.category_in))
        parts.extend(f"{name}为{value}" for name, value in self.attribute)
        return "、".join(parts) or "全体"


@dataclass(frozen=True)
class QuotaRule:
    """A bound on how many people matching ``where`` there are among ``n`` people.

    A share of n needs ceil(share·n) people for a minimum and allows floor(share·n) for a maximum, so
    exactly the limit passes (来源: docs/rules.md §3.2). A count and a share may both be given; both must hold.
    """

    code: str
    label: str
    where: Predicate
    min: int | None = None
    max: int | None = None
    min_share: Fraction | None = None
    max_share: Fraction | None = None
    source: str = SOURCE

    @property
    def has_min(self) -> bool:
        return self.min is not None or self.min_share is not None

    @property
    def has_max(self) -> bool:
        return self.max is not None or self.max_share is not None

    def required_min(self, n: int) -> int | None:
        """How many matching people a list of ``n`` needs at least (None: no minimum)."""
        bounds = [b for b in (self.min, None if self.min_share is None else math.ceil(self.min_share * n))
                  if b is not None]
        return max(bounds) if bounds else None

    def allowed_max(self, n: int) -> int | None:
        """How many matching people a list of ``n`` may have at most (None: no maximum)."""
        bounds = [b for b in (self.max, None if self.max_share is None else math.floor(self.max_share * n))
                  if b is not None]
        return min(bounds) if bounds else None

    def describe_bound(self, n: int) -> str:
        """``至少7名`` / ``至少6名（不少于1/3）`` / ``最多9名``."""
        parts = []
        low, high = self.required_min(n), self.allowed_max(n)
        if low is not None:
            share = f"（不少于{format_share(self.min_share)}）" if self.min_share is not None else ""
            parts.append(f"至少{low}名{share}")
        if high is not None:
            share = f"（不超过{format_share(self.max_share)}）" if self.max_share is not None else ""
            parts.append(f"最多{high}名{share}")
        return "，".join(parts)


@dataclass(frozen=True)
class Candidate:
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date
    category: str
    attributes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


# ---------------------------------------------------------------- readers

_RULE_FIELDS = {"code", "label", "where", "min", "max", "min_share", "max_share", "source"}
_CANDIDATE_FIELDS = {"name": "姓名", "gender": "性别", "ethnicity": "民族", "birth_date": "出生日期",
                     "category": "身份类别", "attributes": "其他属性"}


def _rule_name(i: int, item: Any) -> str:
    code = item.get("code") if isinstance(item, Mapping) else None
    return f"第{i}条规则（{code}）" if isinstance(code, str) and code else f"第{i}条规则"


def _count(value: Any, who: str, key: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError(f"{who}的{label}（{key}）应为非负整数，而不是 {value!r}", "rule.invalid")
    return value


def _text(value: Any, who: str, key: str, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError(f"{who}的{label}（{key}）应为非空文字，而不是 {value!r}", "rule.invalid")
    return value.strip()


def parse_predicate(where: Any, who: str, tree: CategoryTree) -> Predicate:
    if not isinstance(where, Mapping) or not where:
        raise DomainError(f"{who}缺少选取条件（where），例如 {{\"gender\": \"女\"}}", "rule.missing_where")
    unknown = [k for k in where if k not in PREDICATE_KEYS]
    if unknown:
        raise DomainError(f"{who}的选取条件（where）中有未知的键“{unknown[0]}”，可用：{'、'.join(PREDICATE_KEYS)}",
                          "rule.unknown_key")
    args: dict[str, Any] = {}
    if "gender" in where:
        args["gender"] = _text(where["gender"], who, "where.gender", "性别")
        if args["gender"] not in GENDERS:
            raise DomainError(f"{who}的性别（where.gender）应为“男”或“女”，而不是“{args['gender']}”", "rule.invalid")
    for key in ("ethnicity", "ethnicity_not"):
        if key in where:
            args[key] = _text(where[key], who, f"where.{key}", "民族")
    for key in ("age_below", "age_at_most"):
        if key in where:
            value = where[key]
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise DomainError(f"{who}的年龄条件（where.{key}）应为正整数，而不是 {value!r}", "rule.invalid")
            args[key] = value
    if "category_in" in where:
        nodes = where["category_in"]
        nodes = [nodes] if isinstance(nodes, str) else nodes
        if not isinstance(nodes, list) or not nodes:
            raise DomainError(f"{who}的身份类别（where.category_in）应为类别名称的列表", "rule.invalid")
        expanded: set[str] = set()
        for node in nodes:
            if node not in tree:
                raise DomainError(f"{who}的身份类别（where.category_in）中的“{node}”不存在，"
                                  f"可用：{'、'.join(tree.nodes)}", "rule.unknown_category")
            expanded |= tree.expand(node)
        args["category_in"] = tuple(nodes)
        args["categories"] = frozenset(expanded)
    if "attribute" in where:
        attrs = where["attribute"]
        if not isinstance(attrs, Mapping) or not attrs:
            raise DomainError(f"{who}的自定义属性条件（where.attribute）应为 {{\"属性名\": 值}}", "rule.invalid")
        args["attribute"] = tuple((str(k), v) for k, v in attrs.items())
    return Predicate(**args)


def parse_rules(data: Any, tree: CategoryTree | None = None) -> list[QuotaRule]:
    """Read ``[{"code", "label"?, "where", "min"?, "max"?, "min_share"?, "max_share"?}, …]``."""
    tree = tree or CategoryTree()
    if not isinstance(data, list):
        raise DomainError("结构要求（rules）应为规则列表", "rule.invalid")
    rules: list[QuotaRule] = []
    seen: set[str] = set()
    for i, item in enumerate(data, start=1):
        who = _rule_name(i, item)
        if not isinstance(item, Mapping):
            raise DomainError(f"{who}应为对象（包含 code、where 和上下限）", "rule.invalid")
        unknown = [k for k in item if k not in _RULE_FIELDS]
        if unknown:
            raise DomainError(f"{who}中有未知的字段“{unknown[0]}”，可用：{'、'.join(sorted(_RULE_FIELDS))}",
                              "rule.unknown_key")
        if "code" not in item:
            raise DomainError(f"{who}缺少代码（code）", "rule.missing_code")
        code = _text(item["code"], who, "code", "代码")
        if code in seen:
            raise DomainError(f"{who}的代码（code）“{code}”与前面的规则重复", "rule.duplicate")
        seen.add(code)
        where = parse_predicate(item.get("where"), who, tree)
        low = None if item.get("min") is None else _count(item["min"], who, "min", "最少人数")
        high = None if item.get("max") is None else _count(item["max"], who, "max", "最多人数")
        low_share = None if item.get("min_share") is None else parse_share(item["min_share"], f"{who}的最低比例（min_share）")
        high_share = None if item.get("max_share") is None else parse_share(item["max_share"], f"{who}的最高比例（max_share）")
        if low is None and high is None and low_share is None and high_share is None:
            raise DomainError(f"{who}没有上下限，请填写 min、max、min_share 或 max_share", "rule.no_bound")
        if low is not None and high is not None and low > high:
            raise DomainError(f"{who}的最少人数（min）{low} 大于最多人数（max）{high}", "rule.min_above_max")
        if low_share is not None and high_share is not None and low_share > high_share:
            raise DomainError(f"{who}的最低比例（min_share）大于最高比例（max_share）", "rule.min_above_max")
        label = _text(item["label"], who, "label", "名称") if item.get("label") is not None else where.describe()
        source = _text(item["source"], who, "source", "来源") if item.get("source") is not None else SOURCE
        rules.append(QuotaRule(code, label, where, low, high, low_share, high_share, source))
    return rules


def parse_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DomainError(f"{what}“{value}”不是有效日期，应写作 1975-03-02 这样的格式", "date.invalid")


def parse_candidates(data: Any, tree: CategoryTree | None = None,
                     reference_date: dt.date | None = None) -> list[Candidate]:
    """Read ``[{"name", "gender", "ethnicity", "birth_date", "category", "attributes"?}, …]``.

    Every category must be a node of ``tree``; with ``reference_date`` a birth date after it is refused.
    """
    tree = tree or CategoryTree()
    if not isinstance(data, list):
        raise DomainError("候选人（candidates）应为列表", "candidate.invalid")
    out: list[Candidate] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise DomainError(f"第{i}名候选人应为对象（包含 name、gender 等字段）", "candidate.invalid")
        name = item.get("name")
        who = f"第{i}名候选人（{name}）" if isinstance(name, str) and name.strip() else f"第{i}名候选人"
        for key, label in _CANDIDATE_FIELDS.items():
            if key != "attributes" and (item.get(key) is None or item.get(key) == ""):
                raise DomainError(f"{who}缺少{label}（{key}）", "candidate.missing_field")
        unknown = [k for k in item if k not in _CANDIDATE_FIELDS]
        if unknown:
            raise DomainError(f"{who}有未知的字段“{unknown[0]}”，自定义属性请放在 attributes 中", "candidate.unknown_key")
        texts = {}
        for key in ("name", "gender", "ethnicity", "category"):
            value = item[key]
            if not isinstance(value, str) or not value.strip():
                raise DomainError(f"{who}的{_CANDIDATE_FIELDS[key]}（{key}）应为文字，而不是 {value!r}",
                                  "candidate.invalid")
            texts[key] = value.strip()
        if texts["gender"] not in GENDERS:
            raise DomainError(f"{who}的性别（gender）应为“男”或“女”，而不是“{texts['gender']}”", "candidate.invalid")
        if not texts["ethnicity"].endswith(("族", "人")):
            raise DomainError(f"{who}的民族（ethnicity）应写全称，如“汉族”“回族”，而不是“{texts['ethnicity']}”",
                              "candidate.invalid")
        if texts["category"] not in tree:
            raise DomainError(f"{who}的身份类别（category）“{texts['category']}”不存在，可用：{'、'.join(tree.nodes)}",
                              "candidate.unknown_category")
        birth = parse_date(item["birth_date"], f"{who}的出生日期（birth_date）")
        if reference_date is not None and birth > reference_date:
            raise DomainError(f"{who}的出生日期（birth_date）{birth.isoformat()} 晚于年龄计算基准日 "
                              f"{reference_date.isoformat()}", "candidate.invalid")
        attrs = item.get("attributes") or {}
        if not isinstance(attrs, Mapping):
            raise DomainError(f"{who}的其他属性（attributes）应为 {{\"属性名\": 值}}", "candidate.invalid")
        out.append(Candidate(texts["name"], texts["gender"], texts["ethnicity"], birth, texts["category"],
                             MappingProxyType(dict(attrs))))
    return out


def seats_ok(seats: Any) -> int:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise DomainError(f"应选名额（seats）应为正整数，而不是 {seats!r}", "seats.invalid")
    return seats


__all__ = [
    "PREDICATE_KEYS",
    "Candidate",
    "Predicate",
    "QuotaRule",
    "age_on",
    "format_share",
    "parse_candidates",
    "parse_date",
    "parse_predicate",
    "parse_rules",
    "parse_share",
    "seats_ok",
]
