"""An uploaded .xlsx, checked before any spreadsheet parsing and then opened read-only.

``check_workbook_bytes`` refuses what is unsafe or not an .xlsx: too large, .xls/.csv/HTML, password-protected,
macro-enabled, .xlsb/.ods, corrupt, zip bombs, too many rows, too many shared strings or cell formats. Each refusal
is a ``SheetRejected`` with a ``RejectKind`` and a Chinese message saying how to fix it. ``open_workbook`` then opens
what passed (openpyxl, read-only, values only) and ``election.core.xlsx_rows.sheet_rows`` streams a sheet's rows under
the caps: the sheet's declared ``<dimension>`` is ignored, only the first ``max_columns`` cells of a row are ever built
(a value further right is refused, naming its row and column), empty styled cells cost nothing, and rows stop at the
row cap. So a 31 KB file declaring A1:XFD1048576 reads in the memory of what it holds
(tests/security/test_hostile_sheets.py measures it).
Every spreadsheet import goes through these three; what a sheet's rows must hold is the importing area's business
(the nominee list: ``election.nominations.readers``).
"""
from __future__ import annotations

import io
import posixpath
import re
import threading
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from xml.etree import ElementTree

from openpyxl import load_workbook

MB = 1024 * 1024
SAVE_AS_XLSX = "请在Excel中另存为“Excel工作簿(*.xlsx)”后再上传"
CORRUPT = "文件已损坏，无法读取。请用Excel打开原文件，确认内容完整后另存为“Excel工作簿(*.xlsx)”再上传"
HEADER_SEARCH_ROWS = 10


# ---------------------------------------------------------------------------------------------- refusals, limits


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
    too_many_columns = "too_many_columns"
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
    RejectKind.too_many_rows: "行数过多", RejectKind.too_many_columns: "列数过多",
    RejectKind.no_header: "找不到表头", RejectKind.several_lists: "多个名单工作表",
}


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of a sheet's cell: the row number, the Chinese column name, what to fix."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行“{self.column}”：{self.message}"


class SheetRejected(Exception):
    """The whole file is refused; ``message`` (Chinese) says how to fix it, ``kind`` what was wrong."""

    def __init__(self, message: str, kind: RejectKind):
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class SheetLimits:
    """Bounds checked before parsing (our defaults: 5 MB; a row limit per sheet, 5,000 for a unit's list)."""

    max_bytes: int = 5 * MB
    max_rows: int = 5000
    max_uncompressed: int = 30 * MB  # all zip members together (5,000 Excel rows ≈ 3 MB)
    max_ratio: int = 100  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1 * MB
    max_members: int = 1000
    max_columns: int = 64  # cells read per row; a value further right is refused
    max_strings: int = 100_000  # the shared-string table (5,000 rows × 20 columns), loaded whole by openpyxl
    max_formats: int = 64_000  # cell formats (Excel's own limit), loaded whole by openpyxl
    max_part_bytes: int = 2 * MB  # each part openpyxl parses whole (workbook, styles, …): ~10× that in memory
    too_many_rows_hint: str = "请只保留本单位的推荐人选"  # what the uploader should keep, said when there are too many rows


DEFAULT_LIMITS = SheetLimits()


# ---------------------------------------------------------------------------------------------- the file

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ROW_OR_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row[\s/>]|v>|is>)")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def reject(kind: RejectKind, message: str) -> SheetRejected:
    return SheetRejected(message, kind)


def _sniff_non_zip(data: bytes) -> SheetRejected:
    """Name what a non-zip upload is, and how to turn it into an .xlsx."""
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_STREAM in data:
            return reject(RejectKind.encrypted, "文件设置了打开密码，系统无法读取。请在Excel中打开文件，"
                          "点“文件—信息—保护工作簿—用密码进行加密”，清空密码并保存后再上传")
        return reject(RejectKind.xls, f"这是旧版Excel文件(.xls)，系统只接受.xlsx文件。{SAVE_AS_XLSX}")
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
                return reject(RejectKind.html, "这是网页格式的表格（有些系统导出的“Excel”实为网页），不是.xlsx文件。"
                              f"{SAVE_AS_XLSX}")
            return reject(RejectKind.csv, "这是文本或CSV文件，不是.xlsx文件。请用Excel打开后另存为“Excel工作簿(*.xlsx)”再上传")
    return reject(RejectKind.not_excel, "无法识别的文件，不是Excel工作簿。请使用下载的模板(.xlsx)填写后再上传")


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
    """Rows of a sheet's XML that hold at least one value, streamed a chunk at a time (never a whole row: a row can be
    megabytes of empty cells); stops once past ``stop_after``."""
    count, pending, tail = 0, False, b""   # pending: the current row has a value not counted yet
    with archive.open(member) as stream:
        while chunk := stream.read(MB):
            buf = tail + chunk
            cut = max(len(buf) - 64, 0)      # a tag cut in two is seen with the next chunk
            for match in _ROW_OR_VALUE.finditer(buf):
                if match.start() >= cut:
                    break
                if match.group(1)[:1] == b"r":
                    count += pending
                    pending = False
                else:
                    pending = True
            tail = buf[cut:]
            if count > stop_after:
                return count
    for match in _ROW_OR_VALUE.finditer(tail):
        if match.group(1)[:1] == b"r":
            count += pending
            pending = False
        else:
            pending = True
    return count + pending


def check_workbook_bytes(data: bytes, limits: SheetLimits = DEFAULT_LIMITS) -> None:
    """Refuse (``SheetRejected``) anything but a safe, plain .xlsx within the limits; parse nothing."""
    if not data:
        raise reject(RejectKind.empty, "上传的文件是空的，请重新选择填好的.xlsx文件")
    if len(data) > limits.max_bytes:
        raise reject(RejectKind.too_large, f"文件大小为{len(data) / MB:.1f} MB，超过{limits.max_bytes // MB} MB的上限。"
                     "请删除多余的工作表、图片和空白行后再上传")
    if not data.startswith(_ZIP_MAGIC):
        raise _sniff_non_zip(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, limits)
    except UNREADABLE:
        raise reject(RejectKind.corrupt, CORRUPT) from None


# what zipfile, zlib and ElementTree raise on damaged content (RuntimeError: a zip-level password;
# NotImplementedError: a compression method zipfile lacks)
UNREADABLE = (zipfile.BadZipFile, zlib.error, ElementTree.ParseError, EOFError, OSError, KeyError, IndexError,
              ValueError, RuntimeError, NotImplementedError)


def _check_archive(archive: zipfile.ZipFile, limits: SheetLimits) -> None:
    infos = archive.infolist()
    # zip bomb: sizes come from the central directory; zipfile never inflates a member past its declared
    # size (it raises a CRC/size error instead), so these checks bound the work of everything after.
    if len(infos) > limits.max_members:
        raise reject(RejectKind.zip_bomb, f"文件内部包含{len(infos)}个部件，结构异常，系统拒绝读取。请使用下载的模板重新填写")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed or any(
        i.file_size > limits.ratio_floor and i.file_size > limits.max_ratio * max(i.compress_size, 1) for i in infos
    ):
        raise reject(RejectKind.zip_bomb, f"文件解压后的内容异常庞大（约{total // MB} MB），可能不是正常的表格，系统拒绝读取。"
                     "请使用下载的模板重新填写")
    names = archive.NameToInfo
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        raise reject(RejectKind.ods, f"这是WPS/OpenOffice表格(.ods)，不是.xlsx文件。{SAVE_AS_XLSX}")
    if "xl/workbook.bin" in names:
        raise reject(RejectKind.xlsb, f"这是Excel二进制工作簿(.xlsb)。{SAVE_AS_XLSX}")
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise reject(RejectKind.not_excel, "这是Word文档，不是Excel工作簿。请使用系统提供的模板(.xlsx)填写")
        raise reject(RejectKind.not_excel, "文件不是Excel工作簿。请使用下载的模板(.xlsx)填写后再上传")
    content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if "xl/vbaProject.bin" in names or b"macroEnabled" in content_types:
        raise reject(RejectKind.macro, "文件含有宏(.xlsm)，为安全起见系统不接受。请在Excel中点“文件—另存为”，"
                     "保存类型选“Excel工作簿(*.xlsx)”（宏会被去掉）后再上传")
    _check_tables(archive, content_types, limits)
    # the row limit before parsing; slack for title and header rows above the data
    for sheet_name, member in _visible_sheet_members(archive):
        if _count_rows_with_values(archive, member, limits.max_rows + HEADER_SEARCH_ROWS) > (
            limits.max_rows + HEADER_SEARCH_ROWS
        ):
            raise too_many_rows(limits, sheet_name)


_SHARED_STRINGS_TYPE = "sharedStrings+xml"
_STYLES_TYPE = "styles+xml"
_OVERRIDE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?Override\b[^>]*>')
_SI_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_XF_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?xf[\s/>]")


def _parts_of_type(archive: zipfile.ZipFile, content_types: bytes, suffix: str, default: str) -> set[str]:
    parts = {default} if default in archive.NameToInfo else set()
    for tag in _OVERRIDE.findall(content_types):
        kind = re.search(rb'ContentType="([^"]*)"', tag)
        name = re.search(rb'PartName="/?([^"]*)"', tag)
        if kind and name and kind.group(1).decode("utf-8", "replace").endswith(suffix):
            member = name.group(1).decode("utf-8", "replace")
            if member in archive.NameToInfo:
                parts.add(member)
    return parts


def _count_tags(archive: zipfile.ZipFile, member: str, pattern: re.Pattern, stop_after: int) -> int:
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(MB):
            buf = tail + chunk
            cut = max(len(buf) - 64, 0)      # a tag cut in two is counted with the next chunk
            count += len(pattern.findall(buf, 0, cut))
            tail = buf[cut:]
            if count > stop_after:
                return count
    return count + len(pattern.findall(tail))


_WHOLE_PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_WHOLE_FOLDERS = ("docProps/", "xl/theme/", "xl/externalLinks/")


def _check_tables(archive: zipfile.ZipFile, content_types: bytes, limits: SheetLimits) -> None:
    """openpyxl loads the workbook, its styles, properties and theme as whole trees, and the shared strings and the
    cell formats in full, before a row is read: bound them first."""
    styles = _parts_of_type(archive, content_types, _STYLES_TYPE, "xl/styles.xml")
    for info in archive.infolist():
        name = info.filename
        if (name in _WHOLE_PARTS or name.startswith(_WHOLE_FOLDERS) or name in styles) and \
                info.file_size > limits.max_part_bytes:
            raise reject(RejectKind.zip_bomb, f"文件内部的“{name}”部分异常庞大（约{info.file_size / MB:.1f} MB），"
                         "系统拒绝读取。请把内容复制到下载的模板中（选择性粘贴为“数值”）后再上传")
    for member in _parts_of_type(archive, content_types, _SHARED_STRINGS_TYPE, "xl/sharedStrings.xml"):
        if _count_tags(archive, member, _SI_START, limits.max_strings) > limits.max_strings:
            raise reject(RejectKind.zip_bomb, f"文件中的不同文字超过{limits.max_strings}条，远多于一份名单应有的内容，"
                         "系统拒绝读取。请只保留需要导入的工作表和行，或使用下载的模板重新填写")
    for member in styles:
        if _count_tags(archive, member, _XF_START, limits.max_formats) > limits.max_formats:
            raise reject(RejectKind.zip_bomb, f"文件中的单元格格式超过{limits.max_formats}种，结构异常，系统拒绝读取。"
                         "请把内容复制到下载的模板中（选择性粘贴为“数值”）后再上传")


def too_many_rows(limits: SheetLimits, sheet_name: str) -> SheetRejected:
    return reject(RejectKind.too_many_rows, f"工作表“{sheet_name}”的数据超过{limits.max_rows}行的上限。"
                  f"{limits.too_many_rows_hint}；如有大量带格式的空白行，请删除这些行后再上传")


def open_workbook(data: bytes):
    """The workbook, read-only and values only, for ``sheet_rows``. No sheet's declared dimension is read: openpyxl
    looks for it by parsing the sheet until ``<dimension>`` or the end of ``<sheetData>``, which for a sheet without
    one means building every row in memory before anything is read."""
    _guard_dimensions()
    _opening.active = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on bad files; all mean "cannot read"
        raise reject(RejectKind.corrupt, CORRUPT) from None
    finally:
        _opening.active = False


_opening = threading.local()   # True while open_workbook loads, in this thread only


def _guard_dimensions() -> None:
    """Make openpyxl's read-only sheets skip their size probe while open_workbook loads (other callers unchanged)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    probe = ReadOnlyWorksheet._get_size
    if getattr(probe, "guarded", False):
        return

    def _get_size(self):
        if not getattr(_opening, "active", False):
            probe(self)

    _get_size.guarded = True
    ReadOnlyWorksheet._get_size = _get_size


def hidden_text_errors(row: int, cells) -> list[RowError]:
    """A RowError for each (column name, value) whose text holds an invisible direction control or zero-width
    character (``workflow.common.text``): such a name prints reversed or differs from the one it looks like."""
    from workflow.common.text import hidden_message

    return [RowError(row, column, message) for column, value in cells
            if isinstance(value, str) and (message := hidden_message(column, value))]


def cell_text(value) -> str:
    """A cell as text: whole numbers without ".0" (codes and phone numbers typed as numbers), strings stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(rows, columns: tuple[str, ...]) -> int:
    """The number of the row, among the first HEADER_SEARCH_ROWS of ``rows`` (an iterator, left just past it), that
    holds exactly ``columns`` from its first cell; 0 when none does (a title line above the header is allowed)."""
    for number, cells in enumerate(rows, start=1):
        if tuple(cell_text(c) for c in cells[:len(columns)]) == columns:
            return number
        if number >= HEADER_SEARCH_ROWS:
            return 0
    return 0
