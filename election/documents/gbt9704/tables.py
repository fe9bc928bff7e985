"""Tables on the GB/T 9704 page: list tables (名册, 公示名单) as one XML string with a repeated 黑体 header row,
form tables with merged cells (登记表, 选票), column widths fitted to the text block. 小四 仿宋_GB2312 on exact
14 pt lines, 0.5 pt borders, fixed layout, rows never split across pages.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def fit_widths(natural_mm: Sequence[float], total_mm: float, flexible: int) -> list[float]:
    """Give column ``flexible`` whatever is left of ``total_mm``; shrink the rest evenly if they overflow."""
    fixed = sum(w for i, w in enumerate(natural_mm) if i != flexible)
    minimum_flexible = 24.0
    if fixed + minimum_flexible > total_mm:
        scale = (total_mm - minimum_flexible) / fixed
        widths = [w * scale for w in natural_mm]
        widths[flexible] = minimum_flexible
        return widths
    widths = list(natural_mm)
    widths[flexible] = total_mm - fixed
    return widths
