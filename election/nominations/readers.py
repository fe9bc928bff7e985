"""Read a recommending unit's nominee list (.xlsx) into checked rows, or say exactly what to fix.

Two layers (issue #5):
- **the file** — ``check_workbook_bytes`` refuses, before any spreadsheet parsing, what is unsafe or not an
  .xlsx: too large, .xls/.csv/HTML, password-protected, macro-enabled, corrupt, zip bombs, too many rows.
  Each refusal is a ``SheetRejected`` with a ``RejectKind`` and a Chinese message saying how to fix it.
- **the rows** — ``parse_nominee_sheet`` finds the header (any order, below a title, full-width or with
  spaces), checks *every* row and returns ``ParseResult(rows, errors, notes)``. ``errors`` hold the sheet's
  row number and the Chinese column name. A service stores ``rows`` only when ``errors`` is empty, after
  adding its own cross-unit checks (``nominated_elsewhere_errors``) keyed by ``NomineeRow.id_number``.

Required columns: all except 参加工作时间 and 备注 (our decision; the published roster prints the rest,
来源: domain.md §3.5 notice fields). 性别 and 出生年月 are still required, and must agree with the ID number.
"""
from __future__ import annotations

import io
import math
import posixpath
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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

MB = 1024 * 1024
SAVE_AS_XLSX = "请在Excel中另存为“Excel工作簿(*.xlsx)”后再上传"
CORRUPT = "文件已损坏，无法读取。请用Excel打开原文件，确认内容完整后另存为“Excel工作簿(*.xlsx)”再上传"
UNIT_LABEL = "推荐单位"
HEADER_SEARCH_ROWS = 10
TEMPLATE_SHEETS = frozenset({"说明", "选项"})  # our template's own sheets: ignored without a note
PARTY_AGE = 18  # 来源: 《中国共产党章程》第一条, 年满十八岁


# ---------------------------------------------------------------------------------------------- results


class RejectKind(StrEnum):
    empty = "empty"
    too_large = "too_large"
    xls = "xls"
    csv = "csv"
    html = "html"
    encrypted = "encrypted"
    macro = "macro"
    xlsb = "xlsb"
    ods = "ods"
    not_excel = "not_excel"
    corrupt = "corrupt"
    zip_bomb = "zip_bomb"
    too_many_rows = "too_many_rows"
    no_header = "no_header"
    several_lists = "several_lists"

    @property
    def label(self) -> str:
        return _REJECT_LABELS[self]


_REJECT_LABELS = {
    RejectKind.empty: "空文件", RejectKind.too_large: "文件过大", RejectKind.xls: "旧版Excel文件",
    RejectKind.csv: "文本/CSV文件", RejectKind.html: "网页文件", RejectKind.encrypted: "加密文件",
    RejectKind.macro: "含宏的文件", RejectKind.xlsb: "二进制工作簿", RejectKind.ods: "WPS/OpenOffice表格",
    RejectKind.not_excel: "不是Excel文件", RejectKind.corrupt: "文件已损坏", RejectKind.zip_bomb: "内容异常庞大",
    RejectKind.too_many_rows: "行数过多", RejectKind.no_header: "找不到表头", RejectKind.several_lists: "多个名单工作表",
}


class SheetRejected(Exception):
    """The whole file is refused; ``message`` (Chinese) says how to fix it, ``kind`` what was wrong."""

    def __init__(self, message: str, kind: RejectKind):
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class SheetLimits:
    """Bounds checked before parsing. 来源: issue #5 (5 MB; row limit a parameter, default 5,000)."""

    max_bytes: int = 5 * MB
    max_rows: int = 5000
    max_uncompressed: int = 30 * MB  # all zip members together (5,000 Excel rows ≈ 3 MB)
    max_ratio: int = 100  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1 * MB
    max_members: int = 1000


DEFAULT_LIMITS = SheetLimits()


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the sheet's row number, the Chinese column name, what to fix."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行“{self.column}”：{self.message}"


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

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


@dataclass(frozen=True)
class ParseResult:
    rows: list[NomineeRow]  # rows without errors, in sheet order
    errors: list[RowError]  # sorted by row, then column order
    notes: list[str] = field(default_factory=list)  # things ignored or normalised, for the user to know
    sheet_name: str = ""
    header_row: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def id_numbers(self) -> dict[str, NomineeRow]:
        """Rows by ID number, for a service's cross-unit duplicate check."""
        return {r.id_number: r for r in self.rows}

    def with_errors(self, extra: Iterable[RowError]) -> ParseResult:
        return replace(self, errors=sorted([*self.errors, *extra], key=_error_order))


# ---------------------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool
    hint: str  # example shown in messages and in the template
    aliases: tuple[str, ...] = ()
    max_length: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, "", ("名字",), 30),
    Column("gender", "性别", True, "男或女"),
    Column("ethnicity", "民族", True, "如汉族、回族", ("民族成分",)),
    Column("id_number", "身份证号", True, "18位公民身份号码", ("身份证号码", "公民身份号码", "身份证", "身份号码")),
    Column("birth_month", "出生年月", True, "如1975-03", ("出生日期", "出生年月日", "出生时间")),
    Column("native_place", "籍贯", True, "如山东济南", (), 40),
    Column("education", "学历", True, "如大学本科", ("文化程度", "最高学历")),
    Column("party_join_date", "入党时间", True, "如1998-07", ("入党日期", "入党年月")),
    Column("work_start_date", "参加工作时间", False, "如1997-08", ("参加工作日期", "参加工作年月", "工作时间")),
    Column("workplace_title", "工作单位及职务", True, "", ("工作单位和职务", "单位及职务", "工作单位职务", "单位职务"), 100),
    Column("category", "身份类别", True, "", ("人员类别", "类别", "身份")),
    Column("remark", "备注", False, "", (), 200),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
_DATE_FIELDS = ("birth_month", "party_join_date", "work_start_date")
_COLUMN_ORDER = {c.header: i for i, c in enumerate(COLUMNS)}
_PARENS = re.compile(r"[(\[【].*?[)\]】]")
_MARKS = re.compile(r"[*＊:：]")


def header_key(text: str) -> str:
    """'＊身份证号码（18位）' → '身份证号码': NFKC, no spaces, no parenthesised hints or required marks."""
    s = unicodedata.normalize("NFKC", text)
    s = _PARENS.sub("", s)
    return _MARKS.sub("", "".join(s.split()))


_HEADER_LOOKUP: dict[str, Column] = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases):
        _HEADER_LOOKUP[header_key(_name)] = _c


def _error_order(e: RowError) -> tuple[int, int, str]:
    return e.row, _COLUMN_ORDER.get(e.column, -1), e.message


# ---------------------------------------------------------------------------------------------- the file

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_HAS_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)>")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _reject(kind: RejectKind, message: str) -> SheetRejected:
    return SheetRejected(message, kind)


def _sniff_non_zip(data: bytes) -> SheetRejected:
    """Name what a non-zip upload is, and how to turn it into an .xlsx."""
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_STREAM in data:
            return _reject(RejectKind.encrypted, "文件设置了打开密码，系统无法读取。请在Excel中打开文件，"
                           "点“文件—信息—保护工作簿—用密码进行加密”，清空密码并保存后再上传")
        return _reject(RejectKind.xls, f"这是旧版Excel文件(.xls)，系统只接受.xlsx文件。{SAVE_AS_XLSX}")
    head = data[:8192]
    if b"\x00" not in head:
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = head.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is not None:
            lowered = text.lstrip().lower()
            if lowered.startswith("<") and ("<html" in lowered or "<table" in lowered or "<?xml" in lowered):
                return _reject(RejectKind.html, "这是网页格式的表格（有些系统导出的“Excel”实为网页），不是.xlsx文件。"
                               f"{SAVE_AS_XLSX}")
            return _reject(RejectKind.csv, "这是文本或CSV文件，不是.xlsx文件。请用Excel打开后另存为“Excel工作簿(*.xlsx)”再上传")
    return _reject(RejectKind.not_excel, "无法识别的文件，不是Excel工作簿。请使用下载的模板(.xlsx)填写后再上传")


def _visible_sheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member) of each visible worksheet, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels_path = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_path in archive.NameToInfo:
        for rel in ElementTree.fromstring(archive.read(rels_path)).iter(f"{{{_NS_PKG}}}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = path
    result = []
    for sheet in workbook.iter(f"{{{_NS_MAIN}}}sheet"):
        if sheet.get("state", "visible") != "visible":
            continue
        member = targets.get(sheet.get(f"{{{_NS_REL}}}id", ""))
        if member and member in archive.NameToInfo:
            result.append((sheet.get("name", ""), member))
    return result


def _count_rows_with_values(archive: zipfile.ZipFile, member: str, stop_after: int) -> int:
    """Rows of a sheet's XML that hold at least one value, streamed; stops once past ``stop_after``."""
    count = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(MB):
            buf = tail + chunk
            starts = [m.start() for m in _ROW_START.finditer(buf)]
            if not starts:
                tail = buf[-64:]
                continue
            for begin, end in pairwise(starts):
                if _HAS_VALUE.search(buf, begin, end):
                    count += 1
            if count > stop_after:
                return count
            tail = buf[starts[-1]:]
    if tail and _ROW_START.match(tail) and _HAS_VALUE.search(tail):
        count += 1
    return count


def check_workbook_bytes(data: bytes, limits: SheetLimits = DEFAULT_LIMITS) -> None:
    """Refuse (``SheetRejected``) anything but a safe, plain .xlsx within the limits; parse nothing."""
    if not data:
        raise _reject(RejectKind.empty, "上传的文件是空的，请重新选择填好的.xlsx文件")
    if len(data) > limits.max_bytes:
        raise _reject(RejectKind.too_large, f"文件大小为{len(data) / MB:.1f} MB，超过{limits.max_bytes // MB} MB的上限。"
                      "请删除多余的工作表、图片和空白行后再上传")
    if not data.startswith(_ZIP_MAGIC):
        raise _sniff_non_zip(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, limits)
    except _UNREADABLE:
        raise _reject(RejectKind.corrupt, CORRUPT) from None


# what zipfile, zlib and ElementTree raise on damaged content (RuntimeError: a zip-level password;
# NotImplementedError: a compression method zipfile lacks)
_UNREADABLE = (zipfile.BadZipFile, zlib.error, ElementTree.ParseError, EOFError, OSError, KeyError, IndexError,
               ValueError, RuntimeError, NotImplementedError)


def _check_archive(archive: zipfile.ZipFile, limits: SheetLimits) -> None:
    infos = archive.infolist()
    # zip bomb: sizes come from the central directory; zipfile never inflates a member past its declared
    # size (it raises a CRC/size error instead), so these checks bound the work of everything after.
    if len(infos) > limits.max_members:
        raise _reject(RejectKind.zip_bomb, f"文件内部包含{len(infos)}个部件，结构异常，系统拒绝读取。请使用下载的模板重新填写")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed or any(
        i.file_size > limits.ratio_floor and i.file_size > limits.max_ratio * max(i.compress_size, 1) for i in infos
    ):
        raise _reject(RejectKind.zip_bomb, f"文件解压后的内容异常庞大（约{total // MB} MB），可能不是正常的名单，系统拒绝读取。"
                      "请使用下载的模板重新填写")
    names = archive.NameToInfo
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        raise _reject(RejectKind.ods, f"这是WPS/OpenOffice表格(.ods)，不是.xlsx文件。{SAVE_AS_XLSX}")
    if "xl/workbook.bin" in names:
        raise _reject(RejectKind.xlsb, f"这是Excel二进制工作簿(.xlsb)。{SAVE_AS_XLSX}")
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise _reject(RejectKind.not_excel, "这是Word文档，不是Excel工作簿。请使用下载的名单模板(.xlsx)填写")
        raise _reject(RejectKind.not_excel, "文件不是Excel工作簿。请使用下载的模板(.xlsx)填写后再上传")
    content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if "xl/vbaProject.bin" in names or b"macroEnabled" in content_types:
        raise _reject(RejectKind.macro, "文件含有宏(.xlsm)，为安全起见系统不接受。请在Excel中点“文件—另存为”，"
                      "保存类型选“Excel工作簿(*.xlsx)”（宏会被去掉）后再上传")
    # 来源: issue #5 — row limit before parsing; slack for title and header rows above the data
    for sheet_name, member in _visible_sheet_members(archive):
        if _count_rows_with_values(archive, member, limits.max_rows + HEADER_SEARCH_ROWS) > (
            limits.max_rows + HEADER_SEARCH_ROWS
        ):
            raise _too_many_rows(limits, sheet_name)


def _too_many_rows(limits: SheetLimits, sheet_name: str) -> SheetRejected:
    return _reject(RejectKind.too_many_rows, f"工作表“{sheet_name}”的数据超过{limits.max_rows}行的上限。"
                   "请只保留本单位的推荐人选；如有大量带格式的空白行，请删除这些行后再上传")


def _open_workbook(data: bytes):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on bad files; all mean "cannot read"
        raise _reject(RejectKind.corrupt, CORRUPT) from None


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
            text[f] = _text(value)

    for f, value in text.items():
        col = COLUMN_BY_FIELD[f]
        if value in _EXCEL_ERRORS:
            add(RowError(row, col.header, f"单元格是公式错误值“{value}”，请改为实际内容"))
            text[f] = ""
        elif not value and col.required and f != "gender" and f not in absent:
            add(RowError(row, col.header, f"请填写{col.header}" + (f"（{col.hint}）" if col.hint else "")))
        elif col.max_length and len(value) > col.max_length:
            add(RowError(row, col.header, f"{col.header}不能超过{col.max_length}个字（当前{len(value)}个字），请精简"))

    name = _clean_name(text["name"])
    if name and any(ch.isdigit() for ch in name):
        add(RowError(row, "姓名", f"姓名“{name}”中含有数字，请核对"))

    # ID number. 来源: issue #5; GB 11643—1999 (workflow.common.idcard)
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
        if d.first_day > today:  # 来源: issue #5, no future dates
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
        category=category, remark=text["remark"],
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
    """Duplicates within one list: the same ID, or the same name and birth date. 来源: issue #5."""
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
    """Errors for rows whose ID another unit already nominated (the unit is not told which). 来源: issue #5."""
    return [RowError(r.row, "身份证号", "此人已被其他推荐单位推荐，请与选举工作办公室联系")
            for r in rows if r.id_number in taken]


# ---------------------------------------------------------------------------------------------- the sheet


@dataclass
class _Header:
    row: int
    columns: dict[int, Column]  # 0-based column index → column
    errors: list[RowError]
    notes: list[str]


def _match_header(cells: Sequence[object], row: int) -> _Header | None:
    found: dict[int, Column] = {}
    first_index: dict[str, int] = {}
    errors: list[RowError] = []
    unknown: list[str] = []
    for index, value in enumerate(cells):
        label = _text(value)
        if not label:
            continue
        column = _HEADER_LOOKUP.get(header_key(label))
        if column is None:
            unknown.append(f"“{label}”（{get_column_letter(index + 1)}列）")
            continue
        if column.header in first_index:
            a, b = get_column_letter(first_index[column.header] + 1), get_column_letter(index + 1)
            errors.append(RowError(row, column.header, f"“{column.header}”列出现了两次（{a}列和{b}列），请删除多余的一列"))
            continue
        first_index[column.header] = index
        found[index] = column
    if len(found) < 3:  # a title or a note, not the header
        return None
    present = {c.header for c in found.values()}
    for column in COLUMNS:
        if column.required and column.header not in present:
            errors.append(RowError(row, column.header, f"缺少“{column.header}”列，请使用下载的模板，或在第{row}行表头中补上该列"))
    notes = [f"已忽略无法识别的列：{'、'.join(unknown)}"] if unknown else []
    return _Header(row, found, errors, notes)


def _row_values(row: Sequence[object]) -> list[object]:
    return [getattr(c, "value", None) for c in row]


def _find_unit_name(rows: list[list[object]]) -> tuple[int, str] | None:
    """The '推荐单位：XX' line above the header (our template puts it there)."""
    for number, values in enumerate(rows, start=1):
        texts = [_text(v) for v in values]
        for i, t in enumerate(texts):
            key = unicodedata.normalize("NFKC", t)
            if key.replace(" ", "").startswith(UNIT_LABEL):
                rest = re.sub(r"^推荐单位\s*[:：]?\s*", "", key.strip())
                if not rest:
                    rest = next((x for x in texts[i + 1:] if x), "")
                return (number, rest) if rest else None
    return None


_FOOTER = re.compile(r"^(填表人|填报人|联系人|联系电话|审核人|制表人|制表|单位盖章|注[:：]|说明[:：])")


def parse_nominee_sheet(
    data: bytes,
    *,
    allowed_categories: Sequence[str],
    today: date,
    unit_name: str | None = None,
    limits: SheetLimits = DEFAULT_LIMITS,
) -> ParseResult:
    """Check a unit's uploaded nominee list; raise ``SheetRejected`` when the file itself is refused."""
    check_workbook_bytes(data, limits)
    ctx = make_context(allowed_categories, today)
    wb = _open_workbook(data)
    try:
        return _parse_workbook(wb, ctx, unit_name, limits)
    except SheetRejected:
        raise
    except _UNREADABLE:
        raise _reject(RejectKind.corrupt, CORRUPT) from None
    finally:
        wb.close()


def _parse_workbook(wb, ctx: RowContext, unit_name: str | None, limits: SheetLimits) -> ParseResult:
    notes: list[str] = []
    chosen = None  # (sheet, header, rows above the header, row iterator)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            if ws.title not in TEMPLATE_SHEETS:
                notes.append(f"已忽略隐藏的工作表“{ws.title}”")
            continue
        ws.reset_dimensions()  # some programs write a wrong <dimension>; read what is really there
        rows = ws.iter_rows()
        above: list[list[object]] = []
        header = None
        for number, row in enumerate(rows, start=1):
            values = _row_values(row)
            header = _match_header(values, number)
            if header is not None:
                break
            above.append(values)
            if number >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            if ws.title not in TEMPLATE_SHEETS and any(any(_text(v) for v in r) for r in above):
                notes.append(f"已忽略工作表“{ws.title}”（前{HEADER_SEARCH_ROWS}行中没有名单表头）")
            continue
        if chosen is not None:
            raise _reject(RejectKind.several_lists, f"工作表“{chosen[0].title}”和“{ws.title}”都像是推荐人选名单。"
                          "请把全部人选放在同一个工作表中，删除或隐藏其他工作表后再上传")
        chosen = (ws, header, above, rows)
    if chosen is None:
        raise _reject(RejectKind.no_header, f"在工作表前{HEADER_SEARCH_ROWS}行中没有找到名单表头（应有“姓名”“身份证号”等列名）。"
                      "请使用下载的模板填写，不要删除或改动表头行")
    ws, header, above, rows = chosen
    notes.extend(header.notes)
    errors = list(header.errors)

    if unit_name is not None:
        found = _find_unit_name(above)
        if found is not None and vocab_key(found[1]) != vocab_key(unit_name):
            errors.append(RowError(found[0], UNIT_LABEL, f"表中推荐单位为“{found[1]}”，与本单位“{unit_name}”不一致，"
                                                        "请下载并使用本单位的模板"))

    clean, people, row_errors, skipped = _check_rows(rows, header, ctx, limits, ws.title)
    errors.extend(row_errors)
    if skipped:
        notes.append(f"已跳过第{'、'.join(map(str, skipped))}行（填表人、联系电话等说明文字）")
    errors.extend(check_duplicates(people))
    bad_rows = {e.row for e in errors}
    clean = [r for r in clean if r.row not in bad_rows]
    errors.sort(key=_error_order)
    return ParseResult(clean, errors, notes, ws.title, header.row)


def _check_rows(
    rows: Iterator, header: _Header, ctx: RowContext, limits: SheetLimits, sheet_name: str,
) -> tuple[list[NomineeRow], list[NomineeRow | PersonKey], list[RowError], list[int]]:
    fields = [(index, column.field) for index, column in sorted(header.columns.items())]
    date_indexes = {index for index, f in fields if f in _DATE_FIELDS}
    absent = frozenset(COLUMN_BY_FIELD) - {f for _, f in fields}
    results: list[NomineeRow] = []
    people: list[NomineeRow | PersonKey] = []  # every row whose ID is valid, for the duplicate check
    errors: list[RowError] = []
    skipped: list[int] = []
    data_rows = 0
    for number, row in enumerate(rows, start=header.row + 1):
        width = len(row)
        values: dict[str, object] = {}
        has_day: dict[str, bool] = {}
        for index, f in fields:
            if index >= width:
                continue
            cell = row[index]
            value = cell.value
            if value is None or (value.__class__ is str and not value.strip()):
                continue
            values[f] = value
            if index in date_indexes and isinstance(value, datetime):
                has_day[f] = _format_has_day(cell.number_format)
        if not values:
            continue  # fully empty (or only ignored columns): skipped
        if len(values) == 1 and _FOOTER.match(_text(next(iter(values.values())))):
            skipped.append(number)
            continue
        data_rows += 1
        if data_rows > limits.max_rows:
            raise _too_many_rows(limits, sheet_name)
        nominee, row_errors = check_nominee_fields(values, row=number, ctx=ctx, date_has_day=has_day, absent=absent)
        if nominee is not None:
            results.append(nominee)
            people.append(nominee)
        else:
            errors.extend(row_errors)
            key = _person_key(values, number, ctx.today)
            if key is not None:
                people.append(key)
    return results, people, errors, skipped

