"""Hostile spreadsheets against every upload reader (nominee lists, delegate rolls, the organisation directory, bulk
accounts): a huge declared dimension, floods of empty styled cells, very wide rows, a value far right or far down, a
bloated shared-string table, a workbook part of thousands of defined names. Each is read through ``election.core.xlsx`` (check, open, ``sheet_rows``) with the peak of
Python memory measured by tracemalloc around the whole read; it stays under PEAK_BOUND, and a file over the caps is
refused with a Chinese message naming the row and the column.

Before the streaming reader, file "declared" took the delegate reader past 300 MB (every row padded to 16,384 cells),
"wide" and "styled" past 100 MB (every cell of a row built before any was dropped, a row copied whole by the check)."""
from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from election.core.xlsx import RejectKind, SheetRejected

MB = 1024 * 1024
PEAK_BOUND = 50 * MB
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row(header: list[str]) -> str:
    return '<row r="1">' + "".join(_inline(f"{get_column_letter(i)}1", h) for i, h in enumerate(header, 1)) + "</row>"


def _xlsx(sheet_xml: str, shared_strings: str | None = None, names: str = "") -> bytes:
    """A real workbook from openpyxl (with a bold style, so s="1" exists) whose sheet XML is replaced (and, given
    NAMES, defined names added to its workbook part)."""
    wb = Workbook()
    wb.active["A1"] = "x"
    wb.active["A1"].font = wb.active["A1"].font.copy(bold=True)
    base = io.BytesIO()
    wb.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            elif info.filename == "xl/workbook.xml" and names:
                data = data.replace(b"</sheets>", f"</sheets><definedNames>{names}</definedNames>".encode(), 1)
            dst.writestr(info.filename, data)
        if shared_strings is not None:
            dst.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def _sheet(rows: str, dimension: str | None = "A1:XFD1048576") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""   # none: openpyxl would parse the sheet for it
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{declared}'
            f"<sheetData>{rows}</sheetData></worksheet>")


def declared(header):  # the report's file: a small roll declaring A1:XFD1048576
    rows = "".join(f'<row r="{n}">{_inline(f"A{n}", f"张{n}")}</row>' for n in range(2, 3002))
    return _xlsx(_sheet(_header_row(header) + rows))


def styled(header):  # 24 rows × 16,384 empty cells, each with a style
    rows = "".join(f'<row r="{n}">' + "".join(f'<c r="{get_column_letter(c)}{n}" s="1"/>' for c in range(1, 16385))
                   + "</row>" for n in range(2, 26))
    return _xlsx(_sheet(_header_row(header) + rows))


def wide(header):  # one row of 200,000 cells without references (noise defeats the zip-ratio check), no dimension
    rng = random.Random(19)
    cells = "".join(f'<c s="1" x="{rng.getrandbits(24):06x}"/>' for _ in range(200_000))
    return _xlsx(_sheet(_header_row(header) + f'<row r="2">{cells}</row>', None))


def far_right(header):
    return _xlsx(_sheet(_header_row(header) + f'<row r="2">{_inline("A2", "张三")}{_inline("XFD2", "备注")}</row>'))


def far_down(header):
    return _xlsx(_sheet(_header_row(header) + f'<row r="1048576">{_inline("A1048576", "张三")}</row>'))


def strings(header):  # a shared-string table far beyond any list
    table = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">'
             + "".join(f"<si><t>{n}</t></si>" for n in range(520_000)) + "</sst>")
    return _xlsx(_sheet(_header_row(header)), table)


def named(header):  # a workbook part of 4 MB: 80,000 defined names (openpyxl parses the part whole)
    names = "".join(f'<definedName name="n{n}">Sheet!$A${n % 999 + 1}</definedName>' for n in range(80_000))
    return _xlsx(_sheet(_header_row(header)), names=names)


FILES = {"declared": declared, "styled": styled, "wide": wide, "far_right": far_right, "far_down": far_down,
         "strings": strings, "named": named}
REFUSED = {"far_right": RejectKind.too_many_columns, "far_down": RejectKind.too_many_rows,
           "strings": RejectKind.zip_bomb, "named": RejectKind.zip_bomb}


def _nominees(data):
    from election.nominations.readers import parse_nominee_sheet

    return parse_nominee_sheet(data, allowed_categories=["工人"], today=date(2026, 3, 1))


def _delegates(data):
    from election.duties.services.delegates import parse_delegate_sheet

    return parse_delegate_sheet(data, {}, {}, set())


def _directory(data):
    from election.directory.readers import parse_directory_sheet

    return parse_directory_sheet(data)


def _accounts(data):
    from election.accounts.readers import parse_accounts_sheet

    return parse_accounts_sheet(data)


def _headers():
    from election.accounts.readers import COLUMNS as ACCOUNT_COLUMNS
    from election.duties.services.delegates import DELEGATE_COLUMNS
    from election.nominations.columns import COLUMNS as NOMINEE_COLUMNS
    from workflow.directory.tree import COLUMNS as DIRECTORY_COLUMNS

    return {"nominees": (_nominees, [c.header for c in NOMINEE_COLUMNS]),
            "delegates": (_delegates, [h for h, _, _ in DELEGATE_COLUMNS]),
            "directory": (_directory, list(DIRECTORY_COLUMNS)),
            "accounts": (_accounts, list(ACCOUNT_COLUMNS))}


def measure(read, data):
    """(outcome or SheetRejected, peak bytes) of READ(DATA) under tracemalloc."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        try:
            outcome = read(data)
        except SheetRejected as exc:
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", sorted(FILES))
@pytest.mark.parametrize("reader", ["nominees", "delegates", "directory", "accounts"])
def test_hostile_sheet_is_read_in_bounded_memory(reader, kind):
    read, header = _headers()[reader]
    data = FILES[kind](header)
    outcome, peak = measure(read, data)
    print(f"{reader:9} {kind:9} {len(data) // 1024:5} KB  peak {peak / MB:5.1f} MB  "
          f"{outcome.kind if isinstance(outcome, SheetRejected) else 'read'}")
    assert peak < PEAK_BOUND, f"{reader} read {kind} with a peak of {peak / MB:.0f} MB"
    if kind in REFUSED:
        assert isinstance(outcome, SheetRejected) and outcome.kind == REFUSED[kind]
    else:
        assert not isinstance(outcome, SheetRejected), outcome.message


def test_refusals_name_the_row_and_the_column():
    read, header = _headers()["delegates"]
    with pytest.raises(SheetRejected) as right:
        read(far_right(header))
    assert "第2行XFD列有内容，超出了前64列的范围" in right.value.message
    with pytest.raises(SheetRejected) as down:
        read(far_down(header))
    assert "第1048576行仍有内容，超出了5000行的上限" in down.value.message


def test_the_declared_roll_reads_every_row():
    read, header = _headers()["delegates"]
    parsed = read(declared(header))
    assert len({e.row for e in parsed.errors}) == 3000     # every row read (each lacks its required columns)
