"""Fixed vocabularies of the nominee roster: 性别, the 56 民族, 学历 and default 身份类别 leaves.

Pure data plus small normalisers that turn what people actually type ("汉", "男性", "本科") into the
canonical value, or ``None`` when the value is not in the list. The identity-category tree lives in
``workflow.quotas.categories``; readers take the allowed category labels as a parameter and only use
``DEFAULT_CATEGORY_LEAVES`` when an election has not defined its own.
"""
from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache


class Gender(StrEnum):
    male = "male"
    female = "female"

    @property
    def label(self) -> str:
        return "男" if self is Gender.male else "女"


GENDER_LABELS: tuple[str, ...] = ("男", "女")

# 来源: GB/T 3304—1991《中国各民族名称的罗马字母拼写法和代码》, codes 01–56 in this order
ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
MAJORITY_ETHNICITY = "汉族"

# 学历 levels of the roster, highest first (our choice: the levels used on 党员/干部 registration forms).
EDUCATION_LEVELS: tuple[str, ...] = (
    "博士研究生", "硕士研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学",
)
_EDUCATION_ALIASES: dict[str, str] = {
    "博士": "博士研究生", "研究生博士": "博士研究生",
    "硕士": "硕士研究生", "研究生硕士": "硕士研究生",
    "本科": "大学本科", "大学": "大学本科", "大本": "大学本科",
    "大专": "大学专科", "专科": "大学专科",
    "中等专科": "中专", "中技": "中专", "技校": "中专", "职高": "高中", "普通高中": "高中",
}

# 来源: docs/rules.md §3.2 (one category per person). The leaves of workflow.quotas.categories.DEFAULT_CATEGORIES, in the
# order a roster lists them; an election with its own 身份界定说明 passes its tree's leaves instead.
DEFAULT_CATEGORY_LEAVES: tuple[str, ...] = (
    "局级领导干部", "处级领导干部", "工人", "农民", "其他先进模范", "专业技术人员", "其他一线", "其他",
)

_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[-‐‑‒–—―－─]")


@lru_cache(maxsize=4096)
def vocab_key(text: str) -> str:
    """Comparison key: NFKC (full-width → half-width), no spaces, every dash as '-'."""
    return _DASHES.sub("-", _SPACES.sub("", unicodedata.normalize("NFKC", text)))


def normalise_gender(text: str) -> Gender | None:
    key = vocab_key(text)
    if key in ("男", "男性", "M", "m"):
        return Gender.male
    if key in ("女", "女性", "F", "f"):
        return Gender.female
    return None


_ETHNICITY_KEYS = {e: e for e in ETHNICITIES} | {e[:-1]: e for e in ETHNICITIES}


def normalise_ethnicity(text: str) -> str | None:
    """'汉' or '汉族' → '汉族'; ``None`` when not one of the 56."""
    return _ETHNICITY_KEYS.get(vocab_key(text))


def is_minority(ethnicity: str) -> bool:
    """少数民族: any of the 56 except 汉族 (来源: docs/rules.md §3.2)."""
    return ethnicity in ETHNICITIES and ethnicity != MAJORITY_ETHNICITY


def normalise_education(text: str) -> str | None:
    key = vocab_key(text)
    if key in EDUCATION_LEVELS:
        return key
    return _EDUCATION_ALIASES.get(key)


def category_matcher(allowed: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Map comparison keys to the canonical labels. '先进模范工人' also matches '先进模范-工人'."""
    table: dict[str, str] = {}
    for label in allowed:
        key = vocab_key(label)
        table.setdefault(key, label)
        table.setdefault(key.replace("-", ""), label)
    return table
