"""One nominee checked field by field, for a spreadsheet row and the one-by-one form alike
(``check_nominee_fields`` → a ``NomineeRow``, or ``RowError``s naming the column), cell values read as text,
and the duplicate checks: within one list (``check_duplicates``) and across units (``nominated_elsewhere_errors``).
"""
from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from election.nominations.columns import _DATE_FIELDS, COLUMN_BY_FIELD, RowError
from workflow.common.dates import PartialDate, anniversary, parse_partial_date
from workflow.common.idcard import inspect_id_number, mask_id
from workflow.common.results import DomainError
from workflow.common.vocab import (
    EDUCATION_LEVELS,
    Gender,
    category_matcher,
    normalise_education,
    normalise_ethnicity,
    normalise_gender,
    vocab_key,
)

PARTY_AGE = 18  # 来源: 《中国共产党章程》第一条, 年满十八岁

# ---------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NomineeRow:
    row: int  # sheet row number
    name: str
    gender: Gender
    ethnicity: str
    id_number: str  # normalised, upper-case X
    birth_date: date  # from the ID number
    birth_month_text: str  # 出生年月 as written (trimmed)
    native_place: str
    education: str
    party_join_date: PartialDate
    work_start_date: PartialDate | None
    workplace_title: str
    category: str
    remark: str = ""
    birthplace: str = ""
    health: str = ""
    professional_title: str = ""
    resume: str = ""  # lines joined with "\n"
    rewards: str = ""

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


# ---------------------------------------------------------------------------------------------- cell values

_EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_NAME_DOTS = re.compile(r"[•・．‧∙⋅·]")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EXCEL_EPOCH = date(1899, 12, 30)


def _text(value: object) -> str:
    """A cell as trimmed text: spaces (full-width, no-break) collapsed, invisible characters removed."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not value.isprintable():  # zero-width characters, tabs, line breaks
            value = value.translate(_INVISIBLE)
        return " ".join(value.split())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat(" ")
    return str(value)


_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|_x000[dD]_")


def _multiline_text(value: object) -> str:
    """A multi-line cell (简历): each line trimmed as ``_text`` does, blank lines dropped, joined with "\n"."""
    if not isinstance(value, str):
        return _text(value)
    lines = (_text(line) for line in _LINE_BREAKS.split(value))
    return "\n".join(line for line in lines if line)


def _format_has_day(number_format: str) -> bool:
    """Whether an Excel number format shows the day ('yyyy-mm' does not; 'yyyy"年"m"月"d"日"' does)."""
    return "d" in _QUOTED.sub("", number_format).lower()


def _clean_name(text: str) -> str:
    """'王　芳' → '王芳'; '阿依古丽•买买提' → '阿依古丽·买买提'; Latin names keep single spaces."""
    s = _NAME_DOTS.sub("·", text)
    if all(not ch.isascii() for ch in s.replace(" ", "")):
        s = s.replace(" ", "")
    return s


# ---------------------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class RowContext:
    """Per-file settings of the row checks (``make_context``)."""

    today: date
    categories: dict[str, str]
    category_list: str
    education_list: str = "、".join(EDUCATION_LEVELS)


def _date_value(cell_value: object, has_day: bool) -> PartialDate:
    if isinstance(cell_value, datetime | date):
        return PartialDate.of(cell_value, with_day=has_day)
    if isinstance(cell_value, int | float) and not isinstance(cell_value, bool) and 10000 <= cell_value < 80000:
        # a date serial number whose format openpyxl did not recognise (e.g. zh-CN built-in 57 "yyyy年m月")
        return PartialDate.of(_EXCEL_EPOCH + timedelta(days=int(cell_value)), with_day=False)
    return parse_partial_date(cell_value)


def check_nominee_fields(
    values: Mapping[str, object],
    *,
    row: int,
    ctx: RowContext,
    date_has_day: Mapping[str, bool] | None = None,
    absent: Collection[str] = (),
) -> tuple[NomineeRow | None, list[RowError]]:
    """Check one row's raw values (by field name); return the row when it has no errors.

    ``date_has_day`` says, per date field holding an Excel date, whether its cell format shows a day;
    ``absent`` names fields whose column is missing (reported once at the header, not on every row).
    """
    errors: list[RowError] = []
    add = errors.append
    today = ctx.today
    text = dict.fromkeys(COLUMN_BY_FIELD, "")
    for f, value in values.items():
        if f in text:
            text[f] = _multiline_text(value) if COLUMN_BY_FIELD[f].multiline else _text(value)

    for f, value in text.items():
        col = COLUMN_BY_FIELD[f]
        length = len(value.replace("\n", ""))
        if value in _EXCEL_ERRORS:
            add(RowError(row, col.header, f"单元格是公式错误值“{value}”，请改为实际内容"))
            text[f] = ""
        elif not value and col.required and f != "gender" and f not in absent:
            add(RowError(row, col.header, f"请填写{col.header}" + (f"（{col.hint}）" if col.hint else "")))
        elif col.max_length and length > col.max_length:
            add(RowError(row, col.header, f"{col.header}不能超过{col.max_length}个字（当前{length}个字），请精简"))
        elif col.max_lines and value.count("\n") + 1 > col.max_lines:
            add(RowError(row, col.header, f"{col.header}不能超过{col.max_lines}行（当前{value.count(chr(10)) + 1}行），"
                                          "请合并或精简"))

    name = _clean_name(text["name"])
    if name and any(ch.isdigit() for ch in name):
        add(RowError(row, "姓名", f"姓名“{name}”中含有数字，请核对"))

    # ID number. 来源: GB 11643—1999 (workflow.common.idcard)
    id_info = None
    id_number = ""
    raw_id = values.get("id_number")
    if text["id_number"]:
        id_check = inspect_id_number(text["id_number"], today)
        id_number = id_check.number
        if _lost_digits(raw_id):
            add(RowError(row, "身份证号", "身份证号被Excel存成了数字，末尾几位已丢失（Excel只保留15位有效数字）。"
                                          "请把“身份证号”列设为文本格式后重新输入号码"))
        else:
            for blocker in id_check.blockers:
                add(RowError(row, "身份证号", blocker.message))
        id_info = id_check.info

    gender = None
    if text["gender"]:
        gender = normalise_gender(text["gender"])
        if gender is None:
            add(RowError(row, "性别", f"性别应填“男”或“女”，当前为“{text['gender']}”"))
        elif id_info is not None and gender is not id_info.gender:
            add(RowError(row, "性别", f"性别“{gender.label}”与身份证号不一致（身份证号第17位表示{id_info.gender.label}），"
                                     "请核对性别或身份证号"))
    elif "gender" not in absent:
        hint = f"按身份证号应为“{id_info.gender.label}”" if id_info is not None else "男或女"
        add(RowError(row, "性别", f"请填写性别（{hint}）"))

    ethnicity = None
    if text["ethnicity"]:
        ethnicity = normalise_ethnicity(text["ethnicity"])
        if ethnicity is None:
            add(RowError(row, "民族", f"民族“{text['ethnicity']}”不是56个民族的名称，请从下拉列表中选择（如汉族、回族）"))

    education = None
    if text["education"]:
        education = normalise_education(text["education"])
        if education is None:
            add(RowError(row, "学历", f"学历“{text['education']}”不在可选范围内，请填写：{ctx.education_list}"))

    category = None
    if text["category"]:
        key = vocab_key(text["category"])
        category = ctx.categories.get(key) or ctx.categories.get(key.replace("-", ""))
        if category is None:
            add(RowError(row, "身份类别", f"身份类别“{text['category']}”不在本次选举的身份类别中，请填写：{ctx.category_list}"))

    has_day = date_has_day or {}
    dates: dict[str, PartialDate | None] = {}
    for f in _DATE_FIELDS:
        header = COLUMN_BY_FIELD[f].header
        raw = values.get(f)
        if not text[f]:
            dates[f] = None
            continue
        try:
            d = _date_value(raw, has_day.get(f, True))
        except DomainError as exc:
            add(RowError(row, header, f"{header}：{exc.message}"))
            dates[f] = None
            continue
        if d.first_day > today:  # no future dates (a data-entry check of ours)
            add(RowError(row, header, f"{header}{d}晚于今天（{today.isoformat()}），请核对"))
            d = None
        dates[f] = d

    birth_month = dates["birth_month"]
    if birth_month is not None and id_info is not None and not birth_month.matches(id_info.birth_date):
        add(RowError(row, "出生年月", f"出生年月{birth_month}与身份证号中的出生日期{id_info.birth_date.isoformat()}不一致，"
                                     "请核对出生年月或身份证号"))
    birth = id_info.birth_date if id_info is not None else (birth_month.first_day if birth_month else None)

    joined = dates["party_join_date"]
    if joined is not None and birth is not None:
        # 来源: 《中国共产党章程》第一条 — 年满十八岁; with a month only, any day of that month may be the date
        adult = anniversary(birth, PARTY_AGE)
        if joined.last_day < adult:
            add(RowError(row, "入党时间", f"入党时间{joined}早于年满18周岁的日期（{adult.isoformat()}），"
                                         "请核对入党时间或身份证号"))
    started = dates["work_start_date"]
    if started is not None and birth is not None and started.last_day < birth:
        add(RowError(row, "参加工作时间", f"参加工作时间{started}早于出生日期，请核对"))

    if errors or id_info is None or gender is None or not (ethnicity and education and category and joined):
        return None, errors  # a required column is missing: reported once, at the header row
    return NomineeRow(
        row=row, name=name, gender=gender, ethnicity=ethnicity, id_number=id_number, birth_date=id_info.birth_date,
        birth_month_text=text["birth_month"], native_place=text["native_place"], education=education,
        party_join_date=joined, work_start_date=started, workplace_title=text["workplace_title"],
        category=category, remark=text["remark"], birthplace=text["birthplace"], health=text["health"],
        professional_title=text["professional_title"], resume=text["resume"], rewards=text["rewards"],
    ), errors


def _lost_digits(value: object) -> bool:
    """An ID typed into a number cell: Excel keeps 15 significant digits, so the last three read 000.

    A float is never exact; an int is exact only when a program wrote it (its tail is then not 000).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):  # a huge number reads back as inf (fuzzing found it)
        return False
    digits = str(int(Decimal(repr(value)))) if isinstance(value, float) else str(value)
    return 15 <= len(digits) <= 18 and (isinstance(value, float) or digits.endswith("000"))


def make_context(allowed_categories: Sequence[str], today: date) -> RowContext:
    """What ``check_nominee_fields`` needs, built once per file (or once per web form)."""
    if not allowed_categories:
        raise ValueError("allowed_categories must not be empty")
    return RowContext(today, category_matcher(list(allowed_categories)), "、".join(allowed_categories))


@dataclass(frozen=True)
class PersonKey:
    """Who a row is about, for duplicate checks; also taken from rows that have other errors."""

    row: int
    id_number: str
    name: str
    birth_date: date


def _person_key(values: Mapping[str, object], row: int, today: date) -> PersonKey | None:
    info = inspect_id_number(_text(values.get("id_number")), today).info
    return None if info is None else PersonKey(row, info.number, _clean_name(_text(values.get("name"))), info.birth_date)


def check_duplicates(rows: Iterable[NomineeRow | PersonKey]) -> list[RowError]:
    """Duplicates within one list: the same ID, or the same name and birth date (our upload check)."""
    errors = []
    by_id: dict[str, int] = {}
    by_person: dict[tuple[str, date], int] = {}
    for r in rows:
        first = by_id.setdefault(r.id_number, r.row)
        if first != r.row:
            errors.append(RowError(r.row, "身份证号", f"身份证号与第{first}行重复，同一人只能填写一次，请删除重复的行"))
            continue
        first = by_person.setdefault((r.name, r.birth_date), r.row)
        if first != r.row:
            errors.append(RowError(r.row, "姓名", f"与第{first}行的姓名和出生日期都相同，请核实是否重复填写了同一人"))
    return errors


def nominated_elsewhere_errors(rows: Iterable[NomineeRow], taken: Collection[str]) -> list[RowError]:
    """Errors for rows whose ID another unit already nominated (the unit is not told which: our default)."""
    return [RowError(r.row, "身份证号", "此人已被其他推荐单位推荐，请与选举工作办公室联系")
            for r in rows if r.id_number in taken]
