"""Tables on the GB/T 9704 page: list tables (名册, 公示名单) as one XML string with a repeated 黑体 header row,
form tables with merged cells (登记表, 选票), column widths sized by their text (:func:`fit_columns`). 小四 仿宋_GB2312 on exact
14 pt lines, 0.5 pt borders, fixed layout, rows never split across pages.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from election.documents.gbt9704.page import CHAR_SPACING_TWENTIETHS, FANGSONG, HEITI, SIZE_SMALL_4
from election.documents.gbt9704.text import text_width_chars
from election.documents.gbt9704.wordml import (
    _W,
    _clean,
    _mm_to_twips,
    para_props_xml,
    paragraph_xml,
    run_props_xml,
    run_xml,
)
from workflow.common.results import DomainError


# ---------------------------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class Cell:
    """A table cell for :meth:`OfficialDocument.grid_table` (forms, ballots)."""

    text: str = ""
    span: int = 1                 # gridSpan
    vmerge: str | None = None     # "restart" | "continue" | None
    align: str = "center"         # left | center | right | both
    font: str = FANGSONG
    size: int = SIZE_SMALL_4
    bold: bool = False
    keep_next: bool = False
    valign: str = "center"                    # top | center | bottom
    shade: str | None = None                  # fill colour, e.g. "D9D9D9" for a box not to be used
    lines: tuple[tuple[str, str], ...] = ()   # (text, align) paragraphs; used instead of ``text`` when given
    hanging_chars: float = 0                  # hanging indent of each paragraph (résumé lines)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    height_mm: float | None = None
    exact: bool = False           # exact height instead of at least
    header: bool = False          # repeat on each page


_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)


def _table_open(widths_twips: Sequence[int]) -> str:
    total = sum(widths_twips)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths_twips)
    return (
        f"<w:tbl {_W}><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>{_BORDERS}"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
        '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )


TABLE_LINE_RATIO = (7, 6)       # exact lines at 7/6 of the size: 14 pt for 小四 (the same height in every viewer)


def _cell_para_props(align: str, keep_next: bool = False, size: int = SIZE_SMALL_4,
                     hanging_chars: float = 0) -> str:
    # Cells are off the 22-line grid so that 小四 lines are not stretched to 29 pt.
    line = size * 10 * TABLE_LINE_RATIO[0] // TABLE_LINE_RATIO[1]
    return para_props_xml(align=align, snap=False, keep_next=keep_next, char_twips=size * 10,
                          line_exact_twips=line, left_chars=hanging_chars, hanging_chars=hanging_chars)


def _tr_props(height_twips: int | None, exact: bool, header: bool) -> str:
    out = "<w:trPr><w:cantSplit/>"
    if height_twips:
        out += f'<w:trHeight w:val="{height_twips}" w:hRule="{"exact" if exact else "atLeast"}"/>'
    if header:
        out += "<w:tblHeader/>"
    return out + "</w:trPr>"


def _wrap_header(text: str, width_mm: float, size: int) -> str:
    """"出生年月" in a narrow column → "出生\n年月" (split in the middle, not "出生年\n月")."""
    char_mm = (size / 2 + CHAR_SPACING_TWENTIETHS / 20) * 25.4 / 72
    if "\n" in text or text_width_chars(text) * char_mm + 2.2 <= width_mm or len(text) < 4:
        return text
    half = (len(text) + 1) // 2
    return f"{text[:half]}\n{text[half:]}"


def data_table_xml(
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths_mm: Sequence[float],
    *,
    aligns: Sequence[str] | None = None,
    size: int = SIZE_SMALL_4,
    row_height_mm: float = 7,
) -> str:
    """A list table as one XML string: header row (黑体, repeated on each page), then one row per entry.

    Every row has ``cantSplit`` so no row is cut across pages. Per-column strings are prepared once, so
    the cost per cell is one escape and one join.
    """
    widths = [_mm_to_twips(w) for w in widths_mm]
    if len(widths) != len(columns):
        raise ValueError("列宽数与列数不一致")
    aligns = list(aligns or ["center"] * len(columns))
    height = _mm_to_twips(row_height_mm)
    tc_open = [
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        for w in widths
    ]
    body_open = [
        f"{tc}<w:p>{_cell_para_props(a, size=size)}<w:r>{run_props_xml(FANGSONG, size)}<w:t xml:space=\"preserve\">"
        for tc, a in zip(tc_open, aligns)
    ]
    body_close = "</w:t></w:r></w:p></w:tc>"
    head = "".join(
        f"{tc}<w:p>{_cell_para_props('center', size=size)}{run_xml(_wrap_header(c, w, size), HEITI, size)}"
        "</w:p></w:tc>"
        for tc, c, w in zip(tc_open, columns, widths_mm)
    )
    out = [_table_open(widths), f"<w:tr>{_tr_props(height, False, True)}{head}</w:tr>"]
    row_open = f"<w:tr>{_tr_props(height, False, False)}"
    n = len(columns)
    for r, values in enumerate(rows, 1):
        if len(values) != n:
            raise DomainError(f"名册第{r}行有{len(values)}项，应为{n}项（与表头列数一致）", code="roster.row_width")
        out.append(row_open)
        for opener, value in zip(body_open, values):
            out.append(opener)
            out.append(_clean(value))
            out.append(body_close)
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def grid_table_xml(widths_mm: Sequence[float], rows: Sequence[Row]) -> str:
    """A form-like table with merged cells (gridSpan / vMerge) and row heights."""
    widths = [_mm_to_twips(w) for w in widths_mm]
    out = [_table_open(widths)]
    for row in rows:
        out.append("<w:tr>")
        out.append(_tr_props(_mm_to_twips(row.height_mm) if row.height_mm else None, row.exact, row.header))
        col = 0
        for cell in row.cells:
            w = sum(widths[col:col + cell.span])
            col += cell.span
            tcpr = f'<w:tcW w:w="{w}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.vmerge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif cell.vmerge == "continue":
                tcpr += "<w:vMerge/>"
            if cell.shade:
                tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.shade}"/>'
            tcpr += f'<w:vAlign w:val="{cell.valign}"/>'
            lines = cell.lines or ((cell.text, cell.align),)
            paras = "".join(
                paragraph_xml(run_xml(text, cell.font, cell.size, cell.bold) if text else "",
                              _cell_para_props(align, cell.keep_next, cell.size, cell.hanging_chars))
                for text, align in lines
            )
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>")
        if col != len(widths):
            raise ValueError(f"表格一行占{col}列，应为{len(widths)}列")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------- widths
CELL_PAD_MM = 2.6        # 1 mm cell margin a side (tblCellMar 57 twips) and slack for substitute fonts
NAME_MIN_CHARS = 4       # a name column holds four characters on one line (欧阳少东, 买买提 wider by content)
WRAP_MIN_CHARS = 4       # the widest free-text column is never narrower than four characters
KEEP_WHOLE_CHARS = 5     # a column whose longest text is at most this wide stays on one line
FREE_TEXT_FIRST = ("工作单位及职务", "工作单位", "职务", "推荐单位", "身份类别", "备注")
_DIGIT_WIDTH = 0.55      # ASCII digits and letters in half-width fonts, with room for a wider substitute
_CAPITAL_WIDTH = 0.7     # capital letters are wider than half ("XX区XX街道")


def char_mm(size: int = SIZE_SMALL_4) -> float:
    """Width of one full-width character (mm) at ``size`` half-points, with the −0.25 pt character spacing."""
    return (size / 2 + CHAR_SPACING_TWENTIETHS / 20) * 25.4 / 72


def measure_chars(text: str) -> float:
    """Printed width in full-width characters as the table widths count it: CJK 1, capital letters 0.7 ("XX区"),
    other ASCII 0.55 (the digits of "1975.03", with room for a substitute font a little wider than half)."""
    capitals = sum(1 for ch in text if "A" <= ch <= "Z")
    return text_width_chars(text, _DIGIT_WIDTH) + capitals * (_CAPITAL_WIDTH - _DIGIT_WIDTH)


def cell_need_mm(text: str, size: int = SIZE_SMALL_4) -> float:
    """Cell width (mm) that prints ``text`` on one line (its longest line when it holds "\n")."""
    longest = max((measure_chars(line) for line in text.split("\n")), default=0.0)
    return longest * char_mm(size) + CELL_PAD_MM


def _header_chars(header: str, one_line: bool) -> float:
    """Characters a header needs: its longest line; a header of four or more characters may wrap onto two
    lines ("出生/年月", as :func:`_wrap_header` breaks it) unless ``one_line``."""
    if "\n" in header:
        return max(text_width_chars(line) for line in header.split("\n"))
    if one_line or len(header) < 4:
        return text_width_chars(header)
    return text_width_chars(header[:(len(header) + 1) // 2])


def _share(wants: dict[int, float], floors: dict[int, float], available: float) -> dict[int, float]:
    """Share ``available`` characters in proportion to what each column wants (so the columns wrap onto about
    the same number of lines), none below its floor."""
    pinned: dict[int, float] = {}
    while True:
        free = {i: w for i, w in wants.items() if i not in pinned}
        room = available - sum(pinned.values())
        k = room / sum(free.values()) if free and sum(free.values()) else 0.0
        low = {i for i, w in free.items() if w * k < floors[i]}
        if not low:
            return {**pinned, **{i: w * k for i, w in free.items()}}
        for i in low:
            pinned[i] = floors[i]


def fit_columns(
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    total_mm: float,
    *,
    size: int = SIZE_SMALL_4,
    flexible: str | int | None = None,
    name_columns: Collection[int] | None = None,
    fixed_mm: Mapping[int, float] | None = None,
) -> list[float]:
    """Column widths (mm) from the text each column holds, filling ``total_mm``.

    Each column is as wide as its longest text (CJK full width, ASCII half) and never narrower than its header
    needs (a header of four or more characters may wrap onto two lines, "出生/年月"). Name columns (a header
    with "姓名", or ``name_columns``) hold at least four characters and, like columns of ASCII text (dates
    "1975.03", counts), are never narrowed. Free text (longer than five characters) shares what is left in
    proportion to its longest text, so no column wraps onto many more lines than another, and the widest
    free-text column (工作单位及职务 first, or ``flexible``) takes the remainder. When that is not enough the
    short Chinese columns (籍贯 "山东济南") may wrap onto two lines too; when even the minimums overflow the
    text columns are narrowed and names and dates kept whole (all are scaled only if those alone overflow). ``fixed_mm`` pins columns (a photo box).
    """
    n = len(columns)
    pinned = dict(fixed_mm or {})
    longest = [0.0] * n
    ascii_only = [True] * n
    for row in rows:
        for i, value in enumerate(row[:n]):
            if value:
                text = str(value)
                longest[i] = max(longest[i], *(measure_chars(line) for line in text.split("\n")))
                if ascii_only[i] and not text.isascii():
                    ascii_only[i] = False
    names = set(name_columns) if name_columns is not None else {i for i, c in enumerate(columns) if "姓名" in c}
    flex = columns.index(flexible) if isinstance(flexible, str) else flexible
    if flex is None:
        flex = next((columns.index(c) for c in FREE_TEXT_FIRST if c in columns), None)
    loose = [i for i in range(n) if i not in pinned]
    free = [i for i in loose if (i not in names and longest[i] > KEEP_WHOLE_CHARS) or i == flex]
    if flex is None and free:
        flex = max(free, key=lambda i: longest[i])
    header = {i: _header_chars(columns[i], one_line=False) for i in range(n)}
    want = {i: max(longest[i], header[i], NAME_MIN_CHARS if i in names else 0) for i in range(n)}
    floor = {i: max(header[i], WRAP_MIN_CHARS if i == flex else 0 if i in free else -(-longest[i] // 2))
             for i in loose}
    short = [i for i in loose if i not in free and i not in names and not ascii_only[i]]
    cm = char_mm(size)
    widths = [pinned.get(i, want[i] * cm + CELL_PAD_MM) for i in range(n)]
    if free:
        best: tuple[float, dict[int, float]] | None = None
        for sharing in (free, free + short):            # then let 籍贯/学历 wrap too, if that means fewer lines
            room = (total_mm - sum(w for i, w in enumerate(widths) if i not in sharing)) / cm \
                - CELL_PAD_MM / cm * len(sharing)
            if sum(want[i] for i in sharing) <= room:     # all on one line: the widest free text takes the rest
                shares = {i: want[i] for i in sharing}
                shares[flex] = room - sum(w for i, w in shares.items() if i != flex)
            else:
                shares = _share({i: want[i] for i in sharing}, floor, room)
            lines = max(-(-want[i] // max(c, 0.5)) for i, c in shares.items())
            if best is None or lines < best[0]:
                best = (lines, shares)
        shares = best[1]
        for i, chars in shares.items():
            widths[i] = chars * cm + CELL_PAD_MM
    elif loose:
        spare = (total_mm - sum(widths)) / len(loose)   # nothing wraps: spread the spare width evenly
        for i in loose:
            widths[i] += max(spare, 0)
    if sum(widths) > total_mm + 0.01:                  # even the minimums overflow: narrow the text columns,
        hard = {i for i in range(n) if i in pinned or i in names or (ascii_only[i] and i not in free)}
        kept = sum(widths[i] for i in hard)              # names and dates stay whole while they can
        soft = sum(w for i, w in enumerate(widths) if i not in hard)
        scale = (total_mm - kept) / soft if soft and kept < total_mm else 0.0
        if scale > 0:
            widths = [w if i in hard else w * scale for i, w in enumerate(widths)]
        else:
            widths = [w * total_mm / sum(widths) for w in widths]
    return widths


def wrapped_lines(columns: Sequence[str], rows: Iterable[Sequence[str]], widths_mm: Sequence[float],
                  size: int = SIZE_SMALL_4) -> int:
    """The most lines any cell wraps onto at these widths (an estimate: characters over the usable width)."""
    cm = char_mm(size)
    usable = [max((w - CELL_PAD_MM) / cm, 0.5) for w in widths_mm]
    worst = 1
    for row in rows:
        for value, room in zip(row, usable):
            for line in str(value).split("\n"):
                lines = -(-measure_chars(line) // room) if line else 1
                worst = max(worst, int(lines))
    return worst
