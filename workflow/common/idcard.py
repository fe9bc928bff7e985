"""Resident ID numbers (公民身份号码, GB 11643—1999): validate, read birth date and gender, mask.

Our own small validator (python-stdnum accepts future birth dates and
rejects some real region codes; id-validator accepts 15-digit numbers). Only the province prefix is
checked, never the full region code, because region codes change and old ones stay valid.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from workflow.common.results import Blocker, DomainError
from workflow.common.vocab import Gender

SOURCE = "GB 11643—1999"
ID_LENGTH = 18
EARLIEST_BIRTH_YEAR = 1900

# 来源: GB 11643—1999 §8.2, ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"  # indexed by sum mod 11

# 来源: GB/T 2260 province-level prefixes; 71 台湾, 81 香港, 82 澳门, 83 港澳台居民居住证
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
     "71", "81", "82", "83"}
)


@dataclass(frozen=True)
class IdInfo:
    """A valid ID number and what it says about its holder."""

    number: str  # normalised: half-width, upper-case X
    birth_date: date
    gender: Gender

    @property
    def region(self) -> str:
        return self.number[:6]

    @property
    def masked(self) -> str:
        return mask_id(self.number)


@dataclass(frozen=True)
class IdCheck:
    """Outcome of inspecting one ID number: ``info`` when valid, else every reason in ``blockers``."""

    number: str  # normalised input, even when invalid
    info: IdInfo | None
    blockers: tuple[Blocker, ...] = ()

    @property
    def valid(self) -> bool:
        return self.info is not None


def normalise_id(text: str) -> str:
    """Full-width → half-width, drop spaces and a leading apostrophe, lower-case x → X."""
    s = unicodedata.normalize("NFKC", text)
    s = "".join(s.split()).lstrip("'")
    return s.upper()


def check_character(first17: str) -> str:
    """The 18th character for 17 leading digits."""
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def _blocker(code: str, message: str) -> Blocker:
    return Blocker(f"id.{code}", message, SOURCE)


def inspect_id_number(text: str, today: date) -> IdCheck:
    """Every reason ``text`` is not a valid 18-character ID on ``today``; its facts when it is."""
    number = normalise_id(text)
    if not number:
        return IdCheck(number, None, (_blocker("empty", "身份证号为空，请填写18位公民身份号码"),))
    if len(number) != ID_LENGTH:
        hint = "（这是15位旧号码，请改填18位新号码）" if len(number) == 15 and number.isdigit() else ""
        return IdCheck(number, None, (_blocker("length", f"身份证号应为18位，当前为{len(number)}位{hint}"),))
    body, last = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or not (last.isdigit() or last == "X"):
        return IdCheck(number, None, (_blocker("chars", "身份证号前17位应为数字，第18位为数字或X，请检查是否混入了字母或符号"),))
    blockers: list[Blocker] = []
    if number[:2] not in _PROVINCES:
        blockers.append(_blocker("region", f"身份证号前两位“{number[:2]}”不是有效的省级行政区划代码，请核对号码"))
    birth: date | None = None
    y, m, d = int(number[6:10]), int(number[10:12]), int(number[12:14])
    try:
        birth = date(y, m, d)
    except ValueError:
        blockers.append(_blocker("birth_invalid", f"身份证号第7～14位的出生日期“{number[6:14]}”不是有效日期，请核对号码"))
    if birth is not None:
        if birth > today:
            blockers.append(_blocker("birth_future", f"身份证号中的出生日期{birth.isoformat()}晚于今天，请核对号码"))
        elif y < EARLIEST_BIRTH_YEAR:
            blockers.append(_blocker("birth_too_early", f"身份证号中的出生年份{y}早于{EARLIEST_BIRTH_YEAR}年，请核对号码"))
    if check_character(body) != last:
        blockers.append(_blocker("checksum", "身份证号校验位（第18位）不符，号码中可能有录错的数字，请逐位核对"))
    if blockers or birth is None:
        return IdCheck(number, None, tuple(blockers))
    # 来源: GB 11643—1999 §6.3: the 17th character (顺序码 last digit) is odd for men, even for women
    gender = Gender.male if int(number[16]) % 2 else Gender.female
    return IdCheck(number, IdInfo(number, birth, gender))


def check_id_number(text: str, today: date) -> list[Blocker]:
    """Every reason ``text`` is not a valid ID on ``today`` (empty list: valid)."""
    return list(inspect_id_number(text, today).blockers)


def parse_id_number(text: str, today: date) -> IdInfo:
    """The facts of a valid ID; raises ``DomainError`` with the first reason otherwise."""
    result = inspect_id_number(text, today)
    if result.info is None:
        first = result.blockers[0]
        raise DomainError(first.message, first.code)
    return result.info


def mask_id(text: str) -> str:
    """First 3 and last 4 characters kept: 110***********1234. Short strings are masked whole."""
    number = normalise_id(text)
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def make_id(region: str, birth: date, seq: int, male: bool) -> str:
    """A valid ID for seeds and tests: 6-digit ``region``, ``birth``, ``seq`` in 0..499, gender by parity."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be 6 digits")
    if not 0 <= seq <= 499:
        raise ValueError("seq must be in 0..499")
    body = f"{region}{birth:%Y%m%d}{seq * 2 + (1 if male else 0):03d}"
    return body + check_character(body)
