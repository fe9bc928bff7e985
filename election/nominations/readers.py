"""Read a recommending unit's nominee list (.xlsx) into checked rows, or say exactly what to fix.

Two layers:
- **the file** — ``check_workbook_bytes`` (``election.core.xlsx``) refuses, before any spreadsheet parsing, what
  is unsafe or not an .xlsx: too large, .xls/.csv/HTML, password-protected, macro-enabled, corrupt, zip bombs,
  too many rows. Each refusal is a ``SheetRejected`` with a ``RejectKind`` and a Chinese message saying how to
  fix it.
- **the rows** — ``parse_nominee_sheet`` finds the header (any order, below a title, full-width or with
  spaces), checks *every* row and returns ``ParseResult(rows, errors, notes)``. ``errors`` hold the sheet's
  row number and the Chinese column name. A service stores ``rows`` only when ``errors`` is empty, after
  adding its own cross-unit checks (``nominated_elsewhere_errors``) keyed by ``NomineeRow.id_number``.

The columns and their rules are in ``columns``; one row's checks, shared with the one-by-one form, in
``nominee_checks``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from openpyxl.utils import get_column_letter

from election.core.xlsx import (
    CORRUPT,
    DEFAULT_LIMITS,
    HEADER_SEARCH_ROWS,
    UNREADABLE,
    RejectKind,
    SheetLimits,
    SheetRejected,
    check_workbook_bytes,
    hidden_text_errors,
    open_workbook,
    reject,
    too_many_rows,
)
from election.core.xlsx_rows import sheet_rows
from election.nominations.columns import (
    _DATE_FIELDS,
    _HEADER_LOOKUP,
    COLUMN_BY_FIELD,
    COLUMNS,
    Column,
    RowError,
    _error_order,
    header_key,
)
from election.nominations.nominee_checks import (
    NomineeRow,
    PersonKey,
    RowContext,
    _format_has_day,
    _person_key,
    _text,
    check_duplicates,
    check_nominee_fields,
    make_context,
)
from workflow.common.vocab import vocab_key

UNIT_LABEL = "推荐单位"
TEMPLATE_SHEETS = frozenset({"说明", "选项"})  # our template's own sheets: ignored without a note


# ---------------------------------------------------------------------------------------------- results


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
    wb = open_workbook(data)
    try:
        return _parse_workbook(wb, ctx, unit_name, limits)
    except SheetRejected:
        raise
    except UNREADABLE:
        raise reject(RejectKind.corrupt, CORRUPT) from None
    finally:
        wb.close()


class _Text:
    """One value of a JSON list as ``_check_rows`` reads a cell: text, with no number format."""

    __slots__ = ("value",)
    number_format = "General"

    def __init__(self, value: object):
        self.value = value


JSON_SHEET = "推荐人选名单"  # the sheet a JSON list stands for: the template's header in row 1, item N in row N + 1


def parse_nominee_rows(
    people: Sequence[dict],
    *,
    allowed_categories: Sequence[str],
    today: date,
    limits: SheetLimits = DEFAULT_LIMITS,
) -> ParseResult:
    """Check a list sent as JSON (items keyed by the template's field names) exactly as the same list written as
    text into the template's sheet — header in row 1, item N in row N + 1 — would be checked, without writing and
    reading a workbook: the same row checks, duplicate check, errors (with those row numbers) and notes."""
    ctx = make_context(allowed_categories, today)
    header = _Header(1, dict(enumerate(COLUMNS)), [], [])
    # as the sheet stores it: an empty value is no cell, line breaks come back as the XML reader gives them
    rows = ([_Text(_sheet_text(person.get(c.field))) for c in COLUMNS] for person in people)
    clean, checked, errors, skipped = _check_rows(rows, header, ctx, limits, JSON_SHEET)
    notes = [f"已跳过第{'、'.join(map(str, skipped))}行（填表人、联系电话等说明文字）"] if skipped else []
    errors.extend(check_duplicates(checked))
    bad_rows = {e.row for e in errors}
    errors.sort(key=_error_order)
    return ParseResult([r for r in clean if r.row not in bad_rows], errors, notes, JSON_SHEET, header.row)


def _sheet_text(value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _parse_workbook(wb, ctx: RowContext, unit_name: str | None, limits: SheetLimits) -> ParseResult:
    notes: list[str] = []
    chosen = None  # (sheet, header, rows above the header, row iterator)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            if ws.title not in TEMPLATE_SHEETS:
                notes.append(f"已忽略隐藏的工作表“{ws.title}”")
            continue
        rows = sheet_rows(ws, limits, cells=True)  # streamed under the caps; a declared <dimension> is ignored
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
            raise reject(RejectKind.several_lists, f"工作表“{chosen[0].title}”和“{ws.title}”都像是推荐人选名单。"
                         "请把全部人选放在同一个工作表中，删除或隐藏其他工作表后再上传")
        chosen = (ws, header, above, rows)
    if chosen is None:
        raise reject(RejectKind.no_header, f"在工作表前{HEADER_SEARCH_ROWS}行中没有找到名单表头（应有“姓名”“身份证号”等列名）。"
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
            raise too_many_rows(limits, sheet_name)
        errors.extend(hidden_text_errors(number, ((COLUMN_BY_FIELD[f].header, v) for f, v in values.items())))
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
